"""The clips the tests read: the sample clip bundled with the package, the real footage with
ground truth in ``../shared/footage`` (beside the repository), and encoder arguments for clips the
tests make with ffmpeg."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import av

from support.ci import missing

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FOOTAGE = SHARED / "footage"

#: ``make_clip(name, *ffmpeg_args)``: the conftest fixture that writes a clip with ffmpeg
MakeClip = Callable[..., Path]


def sample_clip_path() -> Path:
    """The Intel clip shipped inside the package (always present)."""
    return Path(str(resources.files("footage.sample").joinpath("one-by-one-person-detection.mp4")))


def shared_footage() -> Path:
    """``../shared/footage``: the one way a test reaches it. Without it a test skips, or fails in CI
    (where the quality gates must run)."""
    if not (FOOTAGE / "pets09_s2l1" / "vtest.avi").is_file():
        missing(f"the shared real footage is not at {FOOTAGE} (it sits beside the repository in CI)")
    return FOOTAGE


def shared_file(relative: str) -> Path:
    """One file or folder of ``../shared/footage``, through the same rule as :func:`shared_footage`."""
    found = shared_footage() / relative
    if not found.exists():
        missing(f"{found} is not in the shared real footage")
    return found


def h264(seconds: float, gop: int = 50) -> list[str]:
    """Encoder arguments for an IP-camera-like H.264 stream (no B-frames, fixed GOP)."""
    return ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", str(gop),
            "-keyint_min", str(gop), "-sc_threshold", "0", "-pix_fmt", "yuv420p"]


#: the clips of ``../shared/footage`` the reader's contract is checked on
REAL_CLIPS = [
    "pets09_s2l1/vtest.avi",
    "tud_campus/TUD-Campus_mp4v.mp4",
    "intel_sample_videos/car-detection.mp4",
    "traffic/video.avi",
]

# a grey scene with camera-like sensor noise; a box starts moving at 21.3 s, between keyframes
STILL_THEN_MOTION = [
    "-f", "lavfi", "-i", "color=c=0x707070:size=640x360:rate=25",
    "-f", "lavfi", "-i", "color=c=0x202020:size=50x110:rate=25",
    "-filter_complex", "[0][1]overlay=x='40+30*(t-21.3)':y=120:enable='gte(t,21.3)',noise=alls=6:allf=t",
]


def decode_indices(path: Path) -> dict[int, int]:
    """pts -> 0-based decode index, from a plain full decode."""
    with av.open(str(path)) as container:
        return {frame.pts: i for i, frame in enumerate(container.decode(video=0))}
