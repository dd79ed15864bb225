"""Cover what a detector sees on some frames and not others: pure arithmetic over a window.

A face (or a body) near the detector's threshold is found on one frame, missed on the next two,
found again. Hiding only what was found on each frame would show it on the frames between. So
the sightings of a few frames either side are linked into short chains (the nearest sighting of
about the same size, not too far for the frames between), and a frame between two sightings of
a chain gets the box interpolated between them; a frame just before a chain's first or after its
last sighting gets the end box, moved on at the chain's speed.

:func:`bridged` answers for one frame given the sightings of the frames around it, so that a
stream of frames can be redacted with a short look-ahead instead of a second decode.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Box", "FlickerParams", "bridged", "bridged_stream"]

T = TypeVar("T")

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class FlickerParams:
    """A box missing for up to ``max_gap`` frames between two sightings is covered on them; a
    chain's end is covered ``hold`` frames beyond it. Two sightings link when their centres are
    at most ``reach`` box sizes apart per frame between them and their sizes differ by at most
    ``size_ratio``."""

    max_gap: int = 3
    hold: int = 2
    reach: float = 0.6
    size_ratio: float = 2.0

    @property
    def radius(self) -> int:
        """How many frames either side :func:`bridged` needs."""
        return self.max_gap + self.hold + 1


@dataclass(frozen=True)
class _Sighting:
    frame: int
    box: Box

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2

    @property
    def size(self) -> float:
        return max(self.box[2] - self.box[0], self.box[3] - self.box[1], 1e-6)


def _links(a: _Sighting, b: _Sighting, params: FlickerParams) -> float | None:
    """How far ``b`` is from ``a`` in box sizes per frame, or None when they cannot be one thing."""
    frames = b.frame - a.frame
    if not 1 <= frames <= params.max_gap + 1:
        return None
    if max(a.size, b.size) > params.size_ratio * min(a.size, b.size):
        return None
    (ax, ay), (bx, by) = a.centre, b.centre
    step = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 / max(a.size, b.size) / frames
    return step if step <= params.reach else None


def _chains(window: Sequence[Sequence[Box]], first_frame: int, params: FlickerParams) -> list[list[_Sighting]]:
    """Sightings linked greedily, frame by frame, each to the nearest free one ahead."""
    chains: list[list[_Sighting]] = []
    open_ends: list[list[_Sighting]] = []
    for offset, boxes in enumerate(window):
        frame = first_frame + offset
        open_ends = [c for c in open_ends if frame - c[-1].frame <= params.max_gap + 1]
        sightings = [_Sighting(frame, box) for box in boxes]
        pairs = sorted((step, i, j) for i, chain in enumerate(open_ends) for j, s in enumerate(sightings)
                       if (step := _links(chain[-1], s, params)) is not None)
        taken_chains: set[int] = set()
        taken: set[int] = set()
        for _, i, j in pairs:
            if i in taken_chains or j in taken:
                continue
            open_ends[i].append(sightings[j])
            taken_chains.add(i)
            taken.add(j)
        for j, sighting in enumerate(sightings):
            if j not in taken:
                chain = [sighting]
                chains.append(chain)
                open_ends.append(chain)
    return chains


def _between(a: _Sighting, b: _Sighting, frame: int) -> Box:
    share = (frame - a.frame) / (b.frame - a.frame)
    return tuple(p + (q - p) * share for p, q in zip(a.box, b.box, strict=True))  # type: ignore[return-value]


def _beyond(chain: list[_Sighting], frame: int) -> Box:
    """The end box of ``chain`` moved on (or back) to ``frame`` at the chain's last speed."""
    before = frame < chain[0].frame
    end, near = (chain[0], chain[1] if len(chain) > 1 else None) if before else (
        chain[-1], chain[-2] if len(chain) > 1 else None)
    if near is None:
        return end.box
    per_frame = [(p - q) / (end.frame - near.frame) for p, q in zip(end.box, near.box, strict=True)]
    frames = frame - end.frame
    return tuple(p + v * frames for p, v in zip(end.box, per_frame, strict=True))  # type: ignore[return-value]


def bridged(window: Sequence[Sequence[Box]], first_frame: int, frame: int, params: FlickerParams) -> list[Box]:
    """The boxes to cover on ``frame``: what was seen on it, plus the boxes of chains seen before
    and after it (interpolated) or just before or after it (held). ``window[i]`` holds the boxes
    seen on frame ``first_frame + i``; it should reach :attr:`FlickerParams.radius` frames either
    side of ``frame`` (fewer at the ends of a clip)."""
    covered: list[Box] = []
    for chain in _chains(window, first_frame, params):
        if chain[0].frame <= frame <= chain[-1].frame:
            after = next(i for i, s in enumerate(chain) if s.frame >= frame)
            covered.append(chain[after].box if chain[after].frame == frame else _between(chain[after - 1], chain[after], frame))
        elif chain[0].frame - params.hold <= frame < chain[0].frame or chain[-1].frame < frame <= chain[-1].frame + params.hold:
            covered.append(_beyond(chain, frame))
    return covered


def bridged_stream(items: Iterable[tuple[T, Sequence[Sequence[Box]]]], params: FlickerParams
                   ) -> Iterator[tuple[T, list[list[Box]]]]:
    """Each item with each of its kinds of sightings (faces, bodies, ...) bridged over the
    frames around it: an item comes out once :attr:`FlickerParams.radius` more have come in
    (or the stream has ended), so only that many are held at a time."""
    radius = params.radius
    past: deque[Sequence[Sequence[Box]]] = deque(maxlen=radius)
    ahead: deque[tuple[T, Sequence[Sequence[Box]]]] = deque()

    def release() -> tuple[T, list[list[Box]]]:
        item, seen = ahead.popleft()
        window = [*past, seen, *(s for _, s in ahead)]
        out = [bridged([frame[kind] for frame in window], 0, len(past), params) for kind in range(len(seen))]
        past.append(seen)
        return item, out

    for item in items:
        ahead.append(item)
        if len(ahead) > radius:
            yield release()
    while ahead:
        yield release()
