"""Proof that an exported clip leaks nothing it promises to hide.

* **Faces**: a clip made by panning a virtual camera over real photographs (the astronaut and a
  wall of 50 faces from scikit-image) has faces on every frame; after ``footage export`` the same
  YuNet detector, at the same threshold, finds none on any frame.
* **Heads of tracked people** (the bundled sample clip, and TUD-Campus from ../shared): on every
  exported frame, the head region of every person track the index holds (interpolated between
  its samples exactly as the exporter does) has lost its fine detail: the correlation of its
  gradients with the original's is below 0.4, where a light Gaussian blur (sigma 1.5) keeps more
  than 0.6.
* **Kept tracks** (``--keep``) stay as they were: gradient correlation above 0.8 after re-encoding.
* **Bad requests** fail with one ``footage:`` line, exit status 2, and leave no file behind.
* **``--redact none``** is a stream copy: the very frames of the original span.

A last test, expected to fail, records a leak: the head of a person who stands still.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from footage.errors import FootageError
from footage.export.heads import head_from_box
from footage.export.redact import Box, RedactParams
from footage.export.verify import VerifyParams
from footage.pipeline.export import ExportRequest, export_clip
from footage.store.clips import covering_recordings
from footage.store.database import connect
from footage.store.queries import TrackFilter, list_tracks
from footage.types import box_at
from support.cli import Ran, footage
from support.clips import shared_file
from support.leaks import OpenCvFaces, gradient_correlation

skdata = pytest.importorskip("skimage.data", reason="scikit-image (test extra) ships the sample photos")
skfilters = pytest.importorskip("skimage.filters")

Image8 = npt.NDArray[np.uint8]

#: the exporter's defaults (ExportRequest.params): where a head is, how long a box is held
PARAMS = RedactParams()

#: A head region counts as hidden when the correlation of its gradients with the original's is
#: below this. Pixelation leaves flat blocks: their gradients are zero inside and a step at the
#: block edges that owes nothing to the face, so the correlation falls to about 0 (median 0.03,
#: at most 0.27 over some 500 heads of the two clips below). A light blur (sigma 1.5) keeps every
#: edge where it was, only softer: its gradients still correlate 0.62 or more with the original's
#: on every one of those regions, so it fails, as the tests check on the same regions. 0.4 leaves
#: room on both sides for other encoder and decoder versions.
HIDDEN_BELOW = 0.4
#: A kept head must look as it did: its gradients correlate above this with the original's.
#: H.264 re-encoding (CRF 23) costs a little fine detail; kept heads measure 0.97 or more.
KEPT_ABOVE = 0.8
#: Heads whose visible part is narrower or lower than this many pixels are not measured (a head
#: mostly outside the picture leaves such a sliver). The exporter pixelates them like any other,
#: but with blocks of at least 4 px such a region is only 2 or 3 blocks high, and the correlation
#: of so few gradients is dominated by the one coarse edge the blocks must keep (the top of the
#: head against the background): TUD-Campus's 9 px high heads measure 0.30-0.39 where every larger
#: one is below 0.27. A head under 10 px holds nothing a person could recognise.
MIN_SIDE = 10

FACES_START = "2026-11-20T10:00:00"
FACES_END = "2026-11-20T10:00:10"
FACES_FPS = 10


# --- helpers -------------------------------------------------------------------------------------


def index(clip: Path, db: Path, camera: str, start: str) -> None:
    done = footage("index", clip, "--db", db, "--camera", camera, "--start", start, "--no-progress")
    assert done.returncode == 0, done.stderr


def export(db: Path, *args: str | Path) -> dict:
    """Run ``footage export`` and return its sidecar JSON."""
    done = footage("export", "--db", db, *args)
    assert done.returncode == 0, done.stderr
    out = Path(args[list(args).index("--out") + 1])
    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))


def write_h264(path: Path, frames: list[Image8], fps: int) -> Path:
    """Camera-like H.264 (no B-frames, a keyframe every 2 s) with PyAV."""
    height, width = frames[0].shape[:2]
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "20", "bf": "0", "g": str(2 * fps)}
        for image in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode(None))
    return path


def decode(path: Path, pixels: str = "rgb24", until_s: float = math.inf) -> list[tuple[float, Image8]]:
    """(media seconds, image) of every frame shown before ``until_s``; ``pixels`` "rgb24" or "gray"."""
    frames = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            seconds = float(frame.pts * stream.time_base)  # type: ignore[operator]
            if seconds >= until_s:
                break
            frames.append((seconds, frame.to_ndarray(format=pixels)))
    return frames


def face_counts(finder: OpenCvFaces, frames: list[tuple[float, Image8]]) -> list[int]:
    return [len(finder.find(np.ascontiguousarray(rgb[:, :, ::-1]))) for _, rgb in frames]


def head_region(box: Box, shape: tuple[int, ...]) -> Box:
    """Where the exporter places the head of a person in ``box`` in a frame of ``shape``."""
    return head_from_box(box, (shape[1], shape[0]), PARAMS.head)


def crowd_frames(count: int) -> list[Image8]:
    """640x480 frames of a camera panning left to right, zooming in and out, over a 1920x1080
    picture: the astronaut (enlarged 1.5x) and 50 faces of skimage's lfw_subset (enlarged 3.2x)."""
    picture = np.full((1080, 1920, 3), 90, np.uint8)
    picture[150:918, 40:808] = np.asarray(Image.fromarray(skdata.astronaut()).resize((768, 768), Image.Resampling.BICUBIC))
    crops = (skdata.lfw_subset()[:50] * 255).astype(np.uint8)  # the first 100 are faces
    for i, crop in enumerate(crops):
        row, col = divmod(i, 10)
        y, x = 60 + row * 136, 880 + col * 96
        picture[y : y + 80, x : x + 80] = np.asarray(Image.fromarray(crop).resize((80, 80), Image.Resampling.BICUBIC))[:, :, None]
    frames = []
    for i in range(count):
        share = i / (count - 1)
        zoom = 1.0 + 0.15 * math.sin(math.pi * share)
        width, height = int(1440 / zoom), int(1080 / zoom)
        left, top = int((1920 - width) * share), (1080 - height) // 2
        window = Image.fromarray(picture[top : top + height, left : left + width])
        frames.append(np.asarray(window.resize((640, 480), Image.Resampling.BILINEAR)))
    return frames


@dataclass(frozen=True)
class Person:
    """A person track of the index in the clip's seconds: its sampled boxes (``times_s`` placed
    exactly as the exporter places them) and the time the index says it was present."""

    track_id: int
    times_s: npt.NDArray[np.float64]
    xyxy: npt.NDArray[np.float64]
    first_s: float
    last_s: float

    def box(self, clip_s: float) -> Box | None:
        """Where the person is at ``clip_s`` if the exporter must hide their head: between the
        index's first and last sighting, or within the hold of a sample (1 ms short of the hold's
        edge, where float rounding decides). Beyond the samples the nearest one is held."""
        held = box_at(self.times_s, self.xyxy, clip_s, hold_s=PARAMS.hold_s - 1e-3) is not None
        return box_at(self.times_s, self.xyxy, clip_s, hold_s=math.inf) if held or self.first_s <= clip_s <= self.last_s else None


def people(db: Path, sidecar: dict) -> list[Person]:
    """The person tracks of the index during the clip, in the clip's seconds."""
    (piece,) = sidecar["source"]
    start_s = piece["start_s"]
    where = TrackFilter(camera=sidecar["camera"], label="person", since=datetime.fromisoformat(sidecar["start_utc"]),
                        until=datetime.fromisoformat(sidecar["end_utc"]))
    conn = connect(db, create=False)
    try:
        tracks = list_tracks(conn, where, with_boxes=True)
    finally:
        conn.close()
    found = []
    for indexed in tracks:
        track = indexed.track
        assert track.boxes
        # the exporter's arithmetic: clip seconds = media seconds + (piece.clip_start_s (0.0) - piece.start_s)
        times = track.times_s + (0.0 - start_s)
        first_s, last_s = (float(pts * track.time_base) - start_s for pts in (track.first_pts, track.last_pts))
        found.append(Person(indexed.id, times, track.xyxy, first_s, last_s))
    return found


def paired_frames(original: Path, clip: Path, sidecar: dict) -> Iterator[tuple[float, Image8, Image8]]:
    """(clip seconds, original grey frame, exported grey frame) for every frame of the clip, each
    matched to the original frame shown at the same time (the exporter writes whole milliseconds)."""
    (piece,) = sidecar["source"]
    start_s = piece["start_s"]
    source = decode(original, "gray", until_s=piece["end_s"] + 1)
    times = np.array([seconds for seconds, _ in source])
    for out_s, shown in decode(clip, "gray"):
        nearest = int(np.argmin(np.abs(times - start_s - out_s)))
        assert abs(times[nearest] - start_s - out_s) <= 1e-3, f"no original frame at {start_s + out_s:.3f} s"
        yield times[nearest] - start_s, source[nearest][1], shown


def visible(region: Box, shape: tuple[int, ...]) -> tuple[slice, slice] | None:
    """The whole pixels of ``region`` inside the picture, or None when fewer than MIN_SIDE a side."""
    height, width = shape[:2]
    left, top = max(0, math.ceil(region[0])), max(0, math.ceil(region[1]))
    right, bottom = min(width, math.floor(region[2])), min(height, math.floor(region[3]))
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        return None
    return slice(top, bottom), slice(left, right)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class HeadCheck:
    """The gradient correlation of one head region with the original: as exported, and as a
    light blur (sigma 1.5) of the original would have left it."""

    track_id: int
    clip_s: float
    exported: float
    blurred: float


def head_checks(original: Path, clip: Path, db: Path, sidecar: dict, skip: frozenset[int] = frozenset()) -> list[HeadCheck]:
    """One check per exported frame and measurable head of a person track not in ``skip``."""
    persons = [p for p in people(db, sidecar) if p.track_id not in skip]
    checks = []
    for clip_s, before, after in paired_frames(original, clip, sidecar):
        blurred = None
        for person in persons:
            box = person.box(clip_s)
            where = None if box is None else visible(head_region(box, before.shape), before.shape)
            if where is None:
                continue
            if blurred is None:
                blurred = skfilters.gaussian(before.astype(np.float64), sigma=1.5, preserve_range=True)
            checks.append(HeadCheck(person.track_id, clip_s, gradient_correlation(before[where], after[where]),
                                    gradient_correlation(before[where], blurred[where])))
    return checks


def assert_heads_hidden(checks: list[HeadCheck], name: str, capsys: pytest.CaptureFixture[str]) -> None:
    exported, blurred = np.array([c.exported for c in checks]), np.array([c.blurred for c in checks])
    with capsys.disabled():
        print(f"\n{name}: {len(checks)} head regions; gradient correlation with the original: exported max "
              f"{exported.max():.3f} median {np.median(exported):.3f}; light blur min {blurred.min():.3f} "
              f"median {np.median(blurred):.3f}")
    leaks = [c for c in checks if c.exported >= HIDDEN_BELOW]
    assert not leaks, f"{len(leaks)} head regions keep their detail, e.g. {leaks[:3]}"
    # the measure tells pixelation from a light blur: the blur passes on no region
    assert (blurred >= HIDDEN_BELOW).all(), f"a light blur passes on {(blurred < HIDDEN_BELOW).sum()} regions"


def recording_start(db: Path, camera: str) -> datetime:
    conn = connect(db, create=False)
    try:
        (recording,) = covering_recordings(conn, camera, datetime(1970, 1, 2, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    finally:
        conn.close()
    return recording.start_utc


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def faces() -> OpenCvFaces:
    return OpenCvFaces()  # OpenCV's own YuNet runner at 0.6, as a user would check


@pytest.fixture(scope="module")
def crowd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The panning crowd clip (10 s at 10 fps, 640x480 H.264) and an index of it as camera "faces"."""
    folder = tmp_path_factory.mktemp("crowd")
    clip = write_h264(folder / "crowd.mp4", crowd_frames(10 * FACES_FPS), FACES_FPS)
    db = folder / "index.sqlite"
    index(clip, db, "faces", FACES_START)
    return clip, db


@pytest.fixture(scope="module")
def sample_span(front_door_index: Path) -> tuple[str, str]:
    """12 s of the sample clip: one person leaves the table (about 19 s in), the next comes (23 s)."""
    start = recording_start(front_door_index, "front door")
    return iso(start + timedelta(seconds=15)), iso(start + timedelta(seconds=27))


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory: pytest.TempPathFactory, front_door_index: Path,
                  sample_span: tuple[str, str]) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample-export") / "OUT.mp4"
    sidecar = export(front_door_index, "--camera", "front door", "--from", sample_span[0], "--to", sample_span[1],
                     "--out", out)
    return out, sidecar


# --- faces ---------------------------------------------------------------------------------------


def test_no_face_is_found_on_any_exported_frame(crowd: tuple[Path, Path], faces: OpenCvFaces, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    clip, db = crowd
    original = decode(clip)
    before = face_counts(faces, original)
    assert len(original) == 10 * FACES_FPS
    assert min(before) >= 20, f"the original must show faces on every frame: {before}"  # else this proves nothing

    out = tmp_path / "OUT.mp4"
    sidecar = export(db, "--camera", "faces", "--from", FACES_START, "--to", FACES_END, "--out", out)
    exported = decode(out)
    after = face_counts(faces, exported)
    with capsys.disabled():
        print(f"\nfaces: {sum(before)} on {len(before)} original frames (min {min(before)} a frame); "
              f"{sum(after)} on {len(after)} exported frames")
    assert sum(after) == 0, f"faces found on exported frames {[i for i, n in enumerate(after) if n]}"

    assert abs(len(exported) - len(original)) <= 1  # the span is the whole recording
    assert exported[0][1].shape == original[0][1].shape
    assert sidecar["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sidecar["clip"] == "OUT.mp4" and sidecar["camera"] == "faces"
    redaction = sidecar["redaction"]
    assert redaction["mode"] == "redacted" and redaction["hidden"] == ["faces", "people"] and redaction["kept_tracks"] == []
    assert redaction["frames"] == redaction["frames_with_hidden_regions"] == len(exported)
    assert redaction["regions"] >= sum(before[: len(exported)])  # every face it found, and the astronaut's head
    check = sidecar["check"]
    assert check["frames_checked"] == len(exported) and check["faces_left"] == 0
    assert check["faces_found_per_pass"][-1] == 0 and len(check["faces_found_per_pass"]) == check["passes"]
    assert check["widths_px"] == [640, 960] and check["threshold"] < 0.6  # 640x480: its own size and 1.5 times


def test_the_check_catches_a_redaction_that_missed_every_face(crowd: tuple[Path, Path], faces: OpenCvFaces,
                                                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Positive control of the check: a redaction whose face detector can find nothing (its
    threshold above any score) hides no face; the check finds them on the written clip, covers
    them, and the clip that comes out shows none."""
    start, end = datetime(2026, 11, 20, 10, tzinfo=UTC), datetime(2026, 11, 20, 10, 0, 4, tzinfo=UTC)
    out = tmp_path / "OUT.mp4"
    report = export_clip(crowd[1], ExportRequest(camera="faces", start_utc=start, end_utc=end, out=out,
                                                 redact=frozenset({"faces"}), params=RedactParams(face_threshold=1.01)))
    assert report.check is not None
    with capsys.disabled():
        print(f"\nblind redaction: the check found {report.check.found} faces pass by pass; {report.check.summary()}")
    assert report.check.found[0] >= 20 * report.frames, "the first check sees the faces the redaction left"
    assert report.check.passes >= 2 and report.check.found[-1] == 0
    assert sum(faces.per_frame(out)) == 0


def test_a_face_that_survives_every_pass_fails_the_export_and_leaves_nothing(crowd: tuple[Path, Path],
                                                                               tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    shutil.copyfile(crowd[1], db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    start, end = datetime(2026, 11, 20, 10, tzinfo=UTC), datetime(2026, 11, 20, 10, 0, 2, tzinfo=UTC)
    request = ExportRequest(camera="faces", start_utc=start, end_utc=end, out=tmp_path / "OUT.mp4", gif=True,
                            redact=frozenset({"faces"}), params=RedactParams(face_threshold=1.01),
                            verify=VerifyParams(max_passes=1))
    with pytest.raises(FootageError, match=r"would still show a face .* after 1 passes; no clip was written"):
        export_clip(db, request)
    assert files_under(tmp_path) == {"index.sqlite"}
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before, "the index is unchanged"


# --- heads of tracked people ---------------------------------------------------------------------


def test_heads_of_people_on_the_sample_clip_are_pixelated(front_door_index: Path, sample_clip: Path,
                                                           sample_export: tuple[Path, dict],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out, sidecar = sample_export
    checks = head_checks(sample_clip, out, front_door_index, sidecar)
    assert len({c.track_id for c in checks}) >= 2 and len(checks) >= 60  # both people, most frames
    assert_heads_hidden(checks, "sample clip", capsys)


@pytest.mark.slow
def test_heads_of_pedestrians_on_tud_campus_are_pixelated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = shared_file("tud_campus/TUD-Campus_mp4v.mp4")
    db, out = tmp_path / "index.sqlite", tmp_path / "OUT.mp4"
    index(clip, db, "campus", "2026-11-20T10:00:00Z")
    sidecar = export(db, "--camera", "campus", "--from", "2026-11-20T10:00:00Z", "--to", "2026-11-20T10:00:03Z", "--out", out)
    checks = head_checks(clip, out, db, sidecar)
    assert len({c.track_id for c in checks}) >= 5 and len(checks) >= 300
    assert_heads_hidden(checks, "TUD-Campus", capsys)


@pytest.mark.parametrize("redact", ["faces,people", "bodies"])
def test_a_kept_person_stays_visible_and_no_one_else(front_door_index: Path, sample_clip: Path,
                                                     sample_span: tuple[str, str], sample_export: tuple[Path, dict],
                                                     tmp_path: Path, capsys: pytest.CaptureFixture[str], redact: str) -> None:
    persons = people(front_door_index, sample_export[1])
    kept = max(persons, key=lambda p: len(p.times_s)).track_id  # the person who comes to the table
    out = tmp_path / "OUT.mp4"
    sidecar = export(front_door_index, "--camera", "front door", "--from", sample_span[0], "--to", sample_span[1],
                     "--out", out, "--keep", str(kept), "--redact", redact)
    assert sidecar["redaction"]["kept_tracks"] == [kept]
    person = next(p for p in persons if p.track_id == kept)
    others = [p for p in persons if p.track_id != kept]
    similar, pixels = [], []
    for clip_s, before, after in paired_frames(sample_clip, out, sidecar):
        box = person.box(clip_s)
        if box is None:
            continue
        head = head_region(box, before.shape)
        if any(other_box is not None and overlaps(head, other_box) for other_box in (p.box(clip_s) for p in others)):
            continue  # hidden as another person's head or face
        where = visible(head, before.shape)
        if where is not None:
            similar.append(gradient_correlation(before[where], after[where]))
            pixels.append(float(np.corrcoef(before[where].ravel(), after[where].ravel())[0, 1]))
    with capsys.disabled():
        print(f"\nkept track {kept} ({redact}): {len(similar)} head regions, gradient correlation min {min(similar):.3f} "
              f"median {np.median(similar):.3f}")
    assert len(similar) >= 30
    assert min(similar) > KEPT_ABOVE
    assert min(pixels) >= 0.97, f"the kept head's pixels correlate {min(pixels):.3f} with the original's"
    assert_heads_hidden(head_checks(sample_clip, out, front_door_index, sidecar, skip=frozenset({kept})),
                        "sample clip, the others", capsys)
    if redact == "bodies":  # the others are hidden head to foot: no part of their box keeps its detail
        bodies = [gradient_correlation(before[where], after[where])
                  for clip_s, before, after in paired_frames(sample_clip, out, sidecar) for other in others
                  if (box := other.box(clip_s)) is not None and not overlaps(box, person.box(clip_s) or (0, 0, 0, 0))
                  and (where := visible(box, before.shape)) is not None]
        assert len(bodies) >= 30 and max(bodies) < HIDDEN_BELOW, f"{len(bodies)} bodies, max {max(bodies, default=0):.3f}"


# --- bad requests --------------------------------------------------------------------------------


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def assert_refused(done: Ran, says: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and lines[0].startswith("footage: "), done.stderr
    assert says in lines[0]


SPAN = ("--camera", "faces", "--from", "2026-11-20T10:00:02", "--to", "2026-11-20T10:00:05")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(("9999",), "no moment 9999", id="unknown-moment"),
        pytest.param(("--camera", "faces", "--from", "2030-01-01T00:00:00", "--to", "2030-01-01T00:00:05"),
                     "no recording of camera 'faces' covers", id="span-outside-recordings"),
        pytest.param((*SPAN, "--keep", "999"), "track(s) 999 are not in this clip", id="keep-unknown-track"),
        pytest.param((*SPAN, "--redact", "bogus"), "cannot redact bogus", id="redact-bogus"),
    ],
)
def test_a_bad_request_is_one_line_and_leaves_nothing(crowd: tuple[Path, Path], tmp_path: Path, args: tuple[str, ...],
                                                      says: str) -> None:
    out = tmp_path / "OUT.mp4"
    assert_refused(footage("export", "--db", crowd[1], *args, "--out", out), says)
    assert files_under(tmp_path) == set()


@pytest.mark.parametrize("redact", ["faces,people", "none"])
@pytest.mark.parametrize("where", ["folder-missing", "folder-is-a-file"])
def test_an_unwritable_output_is_one_line_and_leaves_nothing(crowd: tuple[Path, Path], tmp_path: Path, where: str,
                                                             redact: str) -> None:
    if where == "folder-is-a-file":
        (tmp_path / "folder").write_bytes(b"not a folder")
    before = files_under(tmp_path)
    done = footage("export", "--db", crowd[1], *SPAN, "--redact", redact, "--out", tmp_path / "folder" / "OUT.mp4")
    assert_refused(done, "cannot write")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("redact", ["faces,people", "none"])
def test_a_recording_gone_since_indexing_is_one_line_and_leaves_nothing(crowd: tuple[Path, Path], tmp_path: Path,
                                                                        redact: str) -> None:
    copy = tmp_path / "camera" / "gone.mp4"
    copy.parent.mkdir()
    shutil.copyfile(crowd[0], copy)
    db = tmp_path / "index.sqlite"
    index(copy, db, "faces", FACES_START)
    copy.unlink()
    (tmp_path / "out").mkdir()
    before = files_under(tmp_path)
    done = footage("export", "--db", db, *SPAN, "--redact", redact, "--out", tmp_path / "out" / "OUT.mp4")
    assert_refused(done, str(copy))
    assert files_under(tmp_path) == before


# --- no redaction --------------------------------------------------------------------------------


def test_redact_none_is_a_stream_copy_of_the_very_frames(crowd: tuple[Path, Path], tmp_path: Path) -> None:
    clip, db = crowd
    out = tmp_path / "OUT.mp4"
    sidecar = export(db, "--camera", "faces", "--from", "2026-11-20T10:00:02.5", "--to", "2026-11-20T10:00:07.5",
                     "--redact", "none", "--out", out)  # starts between keyframes (every 2 s)
    assert sidecar["redaction"]["mode"] == "copy" and sidecar["redaction"]["hidden"] == []
    assert sidecar["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    wanted = [(seconds, image) for seconds, image in decode(clip) if 2.5 - 1e-6 <= seconds < 7.5 - 1e-6]
    shown = decode(out)
    assert len(shown) == len(wanted) == 50 == sidecar["redaction"]["frames"]
    for (out_s, image), (source_s, expected) in zip(shown, wanted, strict=True):
        assert out_s == pytest.approx(source_s - 2.5, abs=1e-3)
        assert np.array_equal(image, expected)


# --- a person standing still ------------------------------------------------------------------
# A still scene gets no new boxes, yet the track lasts to its last sighting: the head is hidden
# the whole time, also in a span that starts long after the last box (a leak found and fixed).


@pytest.mark.parametrize("span_s", [(0, 12), (5, 12)], ids=["whole", "from-5s"])
def test_the_head_of_a_person_standing_still_is_hidden(tmp_path: Path, span_s: tuple[int, int],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    picture = np.full((480, 640, 3), 90, np.uint8)
    picture[:, 64:576] = np.asarray(Image.fromarray(skdata.astronaut()).resize((512, 480)))
    clip = write_h264(tmp_path / "still.mp4", [picture] * 120, FACES_FPS)  # 12 s, nothing moves
    db, out = tmp_path / "index.sqlite", tmp_path / "OUT.mp4"
    index(clip, db, "still", "2026-11-20T10:00:00Z")
    start = datetime(2026, 11, 20, 10, tzinfo=UTC)
    sidecar = export(db, "--camera", "still", "--from", iso(start + timedelta(seconds=span_s[0])),
                     "--to", iso(start + timedelta(seconds=span_s[1])), "--redact", "people", "--out", out)
    checks = head_checks(clip, out, db, sidecar)
    assert len(checks) >= 60
    assert_heads_hidden(checks, f"a person standing still, {span_s[0]}-{span_s[1]} s", capsys)
