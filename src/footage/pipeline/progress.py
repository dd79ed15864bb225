"""Progress bars for indexing: one for the whole batch, one for the current file, both counting
seconds of video so that the rate reads directly as "x real time"."""

from __future__ import annotations

import sys

from tqdm import tqdm

__all__ = ["NullProgress", "Progress", "TqdmProgress"]


class Progress:
    """Receives indexing progress, everything in seconds of video. This base shows nothing
    (library use, tests); :class:`TqdmProgress` draws bars."""

    def start_batch(self, total_s: float, files: int) -> None: ...
    def start_file(self, name: str, duration_s: float) -> None: ...
    def advance(self, media_s: float) -> None: ...
    def end_file(self) -> None: ...
    def end_batch(self) -> None: ...
    def add(self, media_s: float) -> None:
        """A piece of ``media_s`` seconds finished somewhere (a worker): counts on the batch only."""


#: the progress that shows nothing
NullProgress = Progress


_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s of video [{elapsed}<{remaining}{postfix}]"


class TqdmProgress(Progress):
    """Two tqdm bars on stderr, each showing its rate as "NNx real time"."""

    def __init__(self) -> None:
        self._overall: tqdm | None = None  # type: ignore[type-arg]
        self._file: tqdm | None = None  # type: ignore[type-arg]
        self._file_position = 0.0

    @staticmethod
    def _bar(desc: str, total: float, position: int) -> tqdm:  # type: ignore[type-arg]
        bar = tqdm(total=total, desc=desc, position=position, leave=position == 0, file=sys.stderr,
                   bar_format=_FORMAT, dynamic_ncols=True, mininterval=0.5)
        return bar

    def start_batch(self, total_s: float, files: int) -> None:
        self._overall = self._bar(f"all {files} file(s)", max(total_s, 1e-6), 0)

    def start_file(self, name: str, duration_s: float) -> None:
        self._file = self._bar(name[-40:], max(duration_s, 1e-6), 1)
        self._file_position = 0.0

    def advance(self, media_s: float) -> None:
        step = max(0.0, media_s - self._file_position)
        self._file_position = max(self._file_position, media_s)
        for bar in (self._file, self._overall):
            if bar is not None:
                bar.update(min(step, bar.total - bar.n))
                elapsed = bar.format_dict["elapsed"]
                if elapsed > 0:
                    bar.set_postfix_str(f"{bar.n / elapsed:.0f}x real time", refresh=False)

    def add(self, media_s: float) -> None:
        bar = self._overall
        if bar is not None:
            bar.update(min(max(0.0, media_s), bar.total - bar.n))
            elapsed = bar.format_dict["elapsed"]
            if elapsed > 0:
                bar.set_postfix_str(f"{bar.n / elapsed:.0f}x real time", refresh=False)

    def end_file(self) -> None:
        if self._file is not None:
            self.advance(self._file.total)
            self._file.close()
            self._file = None

    def end_batch(self) -> None:
        if self._overall is not None:
            self._overall.close()
            self._overall = None

