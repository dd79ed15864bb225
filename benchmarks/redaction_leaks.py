"""What does a redacted export still show? Faces, and the people nobody detected.

For each shared clip with person ground truth (PETS 2009 S2.L1, TUD-Campus: every pedestrian
boxed by hand, MOTChallenge 2015), the whole clip is indexed and exported twice, with the
default redaction (faces, people) and with ``--redact bodies``, and every exported frame is
compared with the original frame:

* **faces**: OpenCV's own YuNet runner (``cv2.FaceDetectorYN``, score 0.6, the frame's own
  size) counts faces on the original frames and on the exported ones;
* **people the redaction did not hide**: for every hand-boxed person on every frame, the head
  (the top sixth of the box, its middle 60 %) and, for ``bodies``, the whole box, count as hidden
  when the correlation of their pixel gradients with the original's is below 0.4 (the leak
  tests' measure: a light blur keeps 0.6 or more, pixelation about 0). Heads under 6 pixels a
  side are counted apart: they hold nothing a person could recognise, and too few pixels to
  measure;
* the passes the face check needed.

Run: ``python benchmarks/redaction_leaks.py`` (about 5 minutes on the 2-core machine; needs
``../shared/footage`` and ``opencv-python-headless``). Writes ``benchmarks/out/redaction_leaks.json``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
FOOTAGE = ROOT.parent / "shared" / "footage"
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT / "tests"))

CLIPS = {"PETS09-S2L1": ("pets09_s2l1/vtest.avi", "pets09_s2l1/gt/gt.txt"),
         "TUD-Campus": ("tud_campus/TUD-Campus_mp4v.mp4", "tud_campus/gt/gt.txt")}
START, END = "2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z"
HIDDEN_BELOW = 0.4
MIN_SIDE = 6


def footage(*args: str | Path) -> str:
    done = subprocess.run([sys.executable, "-m", "footage.cli", *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"footage {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def grey_frames(path: Path) -> list[npt.NDArray[np.uint8]]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(video=0)]


def ground_truth(path: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """0-based frame -> person boxes (x1, y1, x2, y2)."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for line in path.read_text().splitlines():
        frame, _, left, top, width, height, *_ = (float(v) for v in line.split(","))
        boxes[int(frame) - 1].append((left, top, left + width, top + height))
    return boxes


def crop(image: npt.NDArray[np.uint8], box: tuple[float, float, float, float]) -> npt.NDArray[np.uint8] | None:
    height, width = image.shape
    x1, y1 = max(0, math.ceil(box[0])), max(0, math.ceil(box[1]))
    x2, y2 = min(width, math.floor(box[2])), min(height, math.floor(box[3]))
    if x2 - x1 < MIN_SIDE or y2 - y1 < MIN_SIDE:
        return None
    return image[y1:y2, x1:x2]


Box = tuple[float, float, float, float]


def shown(original: npt.NDArray[np.uint8], exported: npt.NDArray[np.uint8], box: Box) -> bool | None:
    """Whether the region still shows its detail (None: too small to measure)."""
    from support.leaks import gradient_correlation

    before, after = crop(original, box), crop(exported, box)
    if before is None or after is None:
        return None
    return gradient_correlation(before, after) >= HIDDEN_BELOW


def measure(name: str, clip: Path, gt: Path, folder: Path) -> dict[str, object]:
    from support.leaks import OpenCvFaces

    finder = OpenCvFaces()
    db = folder / f"{name}.sqlite"
    footage("index", clip, "--db", db, "--camera", name, "--start", START, "--no-progress")
    original = grey_frames(clip)
    boxes = ground_truth(gt)
    result: dict[str, object] = {"frames": len(original), "faces_before": sum(finder.per_frame(clip))}
    for mode in ("faces,people", "bodies"):
        out = folder / f"{name}-{mode.replace(',', '-')}.mp4"
        footage("export", "--db", db, "--camera", name, "--from", START, "--to", END, "--redact", mode, "--out", out)
        sidecar = json.loads(out.with_suffix(".json").read_text())
        exported = grey_frames(out)
        # the span ends where the recording's last frame starts, so that frame is not in the clip
        if not 0 <= len(original) - len(exported) <= 1:
            raise SystemExit(f"{name}: {len(exported)} exported frames for {len(original)} original ones")
        heads = {"hidden": 0, "shown": 0, "too_small": 0}
        bodies = {"hidden": 0, "shown": 0, "too_small": 0}
        for index, (before, after) in enumerate(zip(original, exported, strict=False)):
            for x1, y1, x2, y2 in boxes.get(index, []):
                width, height = x2 - x1, y2 - y1
                head = (x1 + 0.2 * width, y1, x2 - 0.2 * width, y1 + height / 6)
                verdict = shown(before, after, head)
                heads["too_small" if verdict is None else "shown" if verdict else "hidden"] += 1
                if mode == "bodies":
                    verdict = shown(before, after, (x1, y1, x2, y2))
                    bodies["too_small" if verdict is None else "shown" if verdict else "hidden"] += 1
        result[mode] = {"faces_after": sum(finder.per_frame(out)), "check": sidecar["check"], "heads": heads,
                        **({"bodies": bodies} if mode == "bodies" else {})}
    return result


def main() -> None:
    if not FOOTAGE.is_dir():
        raise SystemExit(f"the shared footage is not at {FOOTAGE}")
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (clip, gt) in CLIPS.items():
            results[name] = measure(name, FOOTAGE / clip, FOOTAGE / gt, Path(scratch))
    OUT.mkdir(exist_ok=True)
    (OUT / "redaction_leaks.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'clip':12s} {'mode':13s} {'frames':>6s} {'faces before':>12s} {'after':>5s} {'passes':>6s} "
          f"{'heads shown':>16s} {'bodies shown':>16s}")
    for name, result in results.items():
        for mode in ("faces,people", "bodies"):
            data = result[mode]  # type: ignore[index]
            heads = data["heads"]
            measured = heads["hidden"] + heads["shown"]
            body = data.get("bodies")
            bodies = f"{body['shown']}/{body['hidden'] + body['shown']}" if body else "-"
            print(f"{name:12s} {mode:13s} {result['frames']:6d} {result['faces_before']:12d} {data['faces_after']:5d} "
                  f"{data['check']['passes']:6d} {heads['shown']:>7d}/{measured:<8d} {bodies:>16s}"
                  f"   ({heads['too_small']} heads under {MIN_SIDE} px)")


if __name__ == "__main__":
    main()
