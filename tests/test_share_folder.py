"""``footage share``: a folder that can be uploaded anywhere. It holds a page, the redacted clip
and a poster, nothing that names the original recording, and the page plays the clip in a real
browser (Debian's Chromium, opened from the disk as a stranger would after downloading it)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from support.cli import footage

INDEX_NAME = "index.sqlite"


@pytest.fixture(scope="module")
def shared(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The share folder of the sample clip's first moment."""
    folder = tmp_path_factory.mktemp("share") / "moment-1"
    done = footage("share", "1", "--db", str(front_door_index), "--out", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def test_the_folder_holds_a_page_the_clip_and_a_poster(shared: Path) -> None:
    assert sorted(p.name for p in shared.iterdir()) == ["clip.mp4", "index.html", "poster.jpg"]
    with av.open(str(shared / "clip.mp4")) as clip:
        assert clip.streams.video[0].codec_context.name == "h264"
        assert not clip.streams.audio
        assert not {k.lower() for k in clip.metadata} & {"location", "title", "comment", "creation_time"}
    page = (shared / "index.html").read_text()
    assert 'src="clip.mp4"' in page and 'poster="poster.jpg"' in page
    assert "http" not in page.replace("http-equiv", ""), "nothing is loaded from elsewhere"


def test_nothing_names_the_original_recording(shared: Path, sample_clip: Path) -> None:
    for item in shared.iterdir():
        assert sample_clip.stem.encode() not in item.read_bytes(), item.name


def test_an_existing_folder_with_files_is_refused(front_door_index: Path, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("keep me")
    done = footage("share", "1", "--db", str(front_door_index), "--out", str(tmp_path))
    assert done.returncode == 2 and done.stderr.startswith("footage: ") and len(done.stderr.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


def test_an_unknown_moment_leaves_nothing(front_door_index: Path, tmp_path: Path) -> None:
    done = footage("share", "9999", "--db", str(front_door_index), "--out", str(tmp_path / "new"))
    assert done.returncode == 2 and "no moment 9999" in done.stderr
    assert not (tmp_path / "new").exists()


def test_the_page_plays_the_clip_in_chromium(shared: Path, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((shared / "index.html").as_uri())
    page.evaluate("document.getElementById('clip').play()")
    playing = "() => { const v = document.getElementById('clip'); return v.readyState >= 2 && v.currentTime > 0.5; }"
    page.wait_for_function(playing, timeout=30_000)
    assert page.evaluate("document.getElementById('clip').videoWidth") == 768
    page.close()
