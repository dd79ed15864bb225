"""Review page settings (the ``[web]`` table of the settings file, see docs/config.md)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WebParams"]


@dataclass(frozen=True)
class WebParams:
    """How the review pages show things, and which server folders may be indexed from them.

    ``index_roots`` is empty by default: the index form then says how to allow it
    (``footage serve --index-root DIR`` adds to this list)."""

    preroll_s: float = 3.0
    timeline_bins: int = 144
    page_size: int = 50
    latest_moments: int = 4
    index_roots: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.preroll_s < 0:
            raise ValueError(f"preroll_s must be at least 0, got {self.preroll_s}")
        if not 10 <= self.timeline_bins <= 2000:
            raise ValueError(f"timeline_bins must be between 10 and 2000, got {self.timeline_bins}")
        if not 1 <= self.page_size <= 500 or self.latest_moments < 0:
            raise ValueError("page_size must be between 1 and 500 and latest_moments at least 0")
