"""How fast does plain-language search answer over a large index, and how big is that index?

1. Builds an index of ``--hours`` camera-hours (default 1,000: 20 cameras x 50 hours) from
   generated rows, written with footage's own store functions (``ensure_camera``,
   ``begin_recording``, ``finish_recording`` with its tracks and moments and their base scores), so
   the schema, indexes and full-text triggers are the real ones. Descriptions are written by
   ``footage.events.describe.describe``, so they use the real wording.
2. Opens one connection (as a server would), runs each query of a fixed list once to warm up,
   then ``--repeats`` times round-robin, timing ``footage.pipeline.search.search_index`` with
   ``time.perf_counter`` (``SearchParams()`` defaults, no embedding model, zone UTC, "now" the
   end of the generated footage).
3. Prints p50, p95 and max over all timed runs, a table per query, and the index size on disk
   per camera-hour; writes everything to ``benchmarks/out/search_latency.json``.

Target (the issue): p95 at most 100 ms on the 2-core machine, reported as ``p95 / 100 ms``
(<= 1.0 passes). A missed target is printed as MISSED; the exit status is non-zero only when
something failed (search not importable, a query raising).

Assumptions behind the generated index (per camera-hour in daytime; x0.2 from 23:00 to 06:00):

| camera kind | names | of every 20 | tracks | moments | track labels, most common first |
|---|---|---|---|---|---|
| home, front door | front_door_N | 8 | 30 | 6 | person, car, dog, bicycle, truck, backpack, handbag |
| yard, driveway | driveway_N | 6 | 60 | 12 | person, car, truck, dog, bicycle, sports ball, backpack |
| busy street | street_N | 6 | 300 | 40 | person, car, bicycle, truck, bus, dog, backpack, handbag |

- One recording per camera-hour (``/cameras/NAME/YYYY-MM-DD_HH0000.mp4``, 1080p, status done);
  each camera records consecutive hours ending at ``--end`` (50 hours = about 2 days).
- Tracks last 5-60 s typically (log-normal, by label), longer when a story needs it (a person
  lingering, a parked car); 5 boxes a second over the whole track (an upper bound: the motion
  gate stores fewer boxes for still objects), each box 32 bytes in ``tracks.boxes``.
- Moments are stories told with real event kinds: mostly a visit (appeared + left), lingering or
  an arrival or departure at the edge of the hour; some together, approached, vehicle stopped,
  sat or crouched; rarely handed over, played catch, adult with child, got out of or into a
  vehicle, vehicle stopped near a person. Subjects are tracks of the recording; tracks not in a
  story are passers-by with no moment of their own.
- A fixed seed (``--seed``) makes the index the same on every run.

A query whose first run takes more than ``--slow-ms`` (default 5 s) is not run again; that run
is its timing, and counts ``--repeats`` times in the overall percentiles so every query weighs
the same. ``--profile`` adds the time of each step of ``search_index`` per query (store vs
ranking) and a cProfile of the slowest query.

    python benchmarks/search_latency.py                              # 1,000 camera-hours (about 1.5 min on 2 cores)
    python benchmarks/search_latency.py --hours 20 --cameras 2       # smoke test (seconds)
    python benchmarks/search_latency.py --db /tmp/idx.sqlite         # keep the generated index there
    python benchmarks/search_latency.py --reuse /tmp/idx.sqlite      # time the queries on an existing index
    python benchmarks/search_latency.py --profile                    # and time search step by step
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import os
import platform
import pstats
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from footage.cli.render import table
from footage.config import Settings
from footage.events import EVENT_KINDS
from footage.events.describe import describe
from footage.events.moments import KIND_ORDER
from footage.events.score import base_score
from footage.store.database import connect, thumbnail_dir
from footage.store.moments import StoredMoment
from footage.store.queries import begin_recording, ensure_camera, finish_recording
from footage.store.records import IndexedTrack
from footage.time import WallClock
from footage.types import Event, Moment, RecordingInfo, Track, TrackBox

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
DEFAULT_END = datetime(2026, 11, 21, tzinfo=UTC)

HOUR_S = 3600.0
EDGE_S = 3.0  # stories start and end this far inside the hour, so they are not cut by its edges
VISIT_GAP_S = 60.0  # EventParams.visit_gap_s: a longer visit is two moments (appeared; left)
SAMPLES_PER_S = 5.0
FRAME_RATE = 25
TIME_BASE = Fraction(1, 90_000)
FRAME_W, FRAME_H = 1920.0, 1080.0
NIGHT_HOURS = frozenset((23, 0, 1, 2, 3, 4, 5))
NIGHT_FACTOR = 0.2

#: typical time in view (median seconds of a log-normal) and box size (w, h pixels at 1080p)
LABEL_SECONDS: Mapping[str, float] = {
    "person": 15, "car": 8, "truck": 10, "bus": 15, "bicycle": 8, "dog": 15,
    "backpack": 12, "handbag": 12, "suitcase": 12, "sports ball": 5,
}
LABEL_SIZE: Mapping[str, tuple[float, float]] = {
    "person": (70, 190), "car": (240, 130), "truck": (330, 210), "bus": (520, 300), "bicycle": (100, 110),
    "dog": (80, 55), "backpack": (40, 50), "handbag": (35, 35), "suitcase": (45, 60), "sports ball": (20, 20),
}
OBJECT_LABELS = frozenset(("backpack", "handbag", "suitcase", "sports ball"))  # no appeared/left events


# ---------------------------------------------------------------------------------- what is generated


@dataclass(frozen=True)
class CameraKind:
    """One kind of camera: its name prefix, how many of every 20 cameras are of this kind, tracks
    and moments per daytime hour, the labels of its tracks and the stories of its moments (each
    with a relative weight)."""

    prefix: str
    share: int
    tracks_per_hour: float
    moments_per_hour: float
    labels: Mapping[str, float]
    stories: Mapping[str, float]


CAMERA_KINDS: tuple[CameraKind, ...] = (
    CameraKind(
        "front_door", 8, 30, 6,
        {"person": 0.62, "car": 0.18, "dog": 0.07, "bicycle": 0.04, "truck": 0.04, "backpack": 0.03, "handbag": 0.02},
        {"visit": 0.42, "edge": 0.05, "lingered": 0.14, "sat": 0.03, "together": 0.07, "approached": 0.08,
         "adult_with_child": 0.03, "vehicle_stopped": 0.06, "stopped_near_person": 0.02, "left_vehicle": 0.03,
         "entered_vehicle": 0.02, "handed_over": 0.04, "played_catch": 0.01},
    ),
    CameraKind(
        "driveway", 6, 60, 12,
        {"person": 0.50, "car": 0.28, "truck": 0.06, "dog": 0.06, "bicycle": 0.04, "sports ball": 0.03, "backpack": 0.03},
        {"visit": 0.38, "edge": 0.05, "lingered": 0.10, "sat": 0.05, "together": 0.10, "approached": 0.06,
         "adult_with_child": 0.04, "vehicle_stopped": 0.10, "stopped_near_person": 0.01, "left_vehicle": 0.04,
         "entered_vehicle": 0.03, "handed_over": 0.01, "played_catch": 0.03},
    ),
    CameraKind(
        "street", 6, 300, 40,
        {"person": 0.55, "car": 0.28, "bicycle": 0.06, "truck": 0.04, "bus": 0.03, "dog": 0.02, "backpack": 0.01,
         "handbag": 0.01},
        {"visit": 0.55, "edge": 0.08, "lingered": 0.09, "sat": 0.03, "together": 0.08, "approached": 0.06,
         "adult_with_child": 0.02, "vehicle_stopped": 0.06, "stopped_near_person": 0.01, "left_vehicle": 0.01,
         "entered_vehicle": 0.005, "handed_over": 0.003, "played_catch": 0.002},
    ),
)


@dataclass(frozen=True)
class Camera:
    """A generated camera: its name, kind and how many hours it recorded."""

    name: str
    kind: CameraKind
    hours: int


def camera_plan(cameras: int, hours: int) -> list[Camera]:
    """``cameras`` cameras whose kinds follow the shares (each next camera is of the kind furthest
    below its share), sharing ``hours`` as evenly as possible; cameras left without hours are
    dropped."""
    total_share = sum(k.share for k in CAMERA_KINDS)
    counts = dict.fromkeys((k.prefix for k in CAMERA_KINDS), 0)
    plan = []
    for n in range(cameras):
        kind = max(CAMERA_KINDS, key=lambda k: k.share * (n + 1) / total_share - counts[k.prefix])
        counts[kind.prefix] += 1
        plan.append(Camera(f"{kind.prefix}_{counts[kind.prefix]}", kind, hours // cameras + (n < hours % cameras)))
    return [c for c in plan if c.hours > 0]


class HourDraft:
    """The subjects (future tracks, by local id from 1) and moments (each a list of events) of one
    generated camera-hour. Story functions add to it."""

    def __init__(self, rng: np.random.Generator, kind: CameraKind) -> None:
        self.rng = rng
        self.kind = kind
        self.subjects: list[tuple[str, float, float]] = []  # label, start_s, end_s
        self.moments: list[list[Event]] = []

    def seconds(self, median: float, spread: float, low: float, high: float) -> float:
        """A log-normal duration around ``median`` seconds, clipped to ``[low, high]``."""
        return float(np.clip(median * np.exp(spread * self.rng.standard_normal()), low, high))

    def place(self, length: float) -> float:
        """A start for a story ``length`` seconds long that fits in the hour."""
        return float(self.rng.uniform(EDGE_S, max(EDGE_S, HOUR_S - EDGE_S - length)))

    def pick(self, weights: Mapping[str, float]) -> str:
        names = list(weights)
        p = np.array([weights[n] for n in names])
        return names[int(self.rng.choice(len(names), p=p / p.sum()))]

    def moving_label(self) -> str:
        """A label of this camera that has appearances of its own (not a carried object)."""
        return self.pick({label: w for label, w in self.kind.labels.items() if label not in OBJECT_LABELS})

    def subject(self, label: str, start_s: float, end_s: float) -> int:
        """A new subject in view from ``start_s`` to ``end_s`` (clipped to the hour); its local id."""
        self.subjects.append((label, max(0.0, start_s), min(HOUR_S, max(end_s, start_s + 1.0))))
        return len(self.subjects)

    def event(self, kind: str, subjects: tuple[int, ...], start_s: float, end_s: float, key_s: float | None = None,
              **facts: float) -> Event:
        if kind not in EVENT_KINDS:
            raise ValueError(f"{kind!r} is not an event kind of footage.events")
        labels = tuple(self.subjects[s - 1][0] for s in subjects)
        key = (start_s + end_s) / 2 if key_s is None else key_s
        return Event(kind, start_s, end_s, subjects, labels, subjects, key, tuple(sorted(facts.items())))

    def appeared(self, s: int) -> Event:
        _, start, end = self.subjects[s - 1]
        return self.event("appeared", (s,), start, start, min(start + 1.0, end), present_s=end - start)

    def left(self, s: int) -> Event:
        _, start, end = self.subjects[s - 1]
        return self.event("left", (s,), end, end, max(end - 1.0, start), present_s=end - start)


# Story functions: each adds its subjects to the draft and returns its moments (lists of events).


def visit(d: HourDraft) -> list[list[Event]]:
    """Something came and went; a visit longer than a minute is two moments."""
    label = d.moving_label()
    present = d.seconds(LABEL_SECONDS[label], 0.8, 3, 900)
    t = d.place(present)
    s = d.subject(label, t, t + present)
    events = [d.appeared(s), d.left(s)]
    return [events] if present <= VISIT_GAP_S else [[events[0]], [events[1]]]


def at_edge(d: HourDraft) -> list[list[Event]]:
    """Something already there when the hour began left, or something arrived and stayed."""
    label = d.moving_label()
    present = d.seconds(LABEL_SECONDS[label] * 4, 1.0, 5, 1800)
    if d.rng.random() < 0.5:
        return [[d.left(d.subject(label, 0.0, present))]]
    return [[d.appeared(d.subject(label, HOUR_S - present, HOUR_S))]]


def _stayed(d: HourDraft, kind: str, median_s: float, **facts: float) -> list[list[Event]]:
    stay = d.seconds(median_s, 0.9, 30, 1800)
    before, after = (float(v) for v in d.rng.uniform(3, 40, 2))
    t = d.place(before + stay + after)
    s = d.subject("person", t, t + before + stay + after)
    return [[d.appeared(s), d.event(kind, (s,), t + before, t + before + stay, duration_s=stay, **facts), d.left(s)]]


def lingered(d: HourDraft) -> list[list[Event]]:
    return _stayed(d, "lingered", 120)


def sat(d: HourDraft) -> list[list[Event]]:
    return _stayed(d, "sat_or_crouched", 90, height_ratio=float(d.rng.uniform(0.5, 0.7)), aspect=float(d.rng.uniform(0.5, 0.9)))


def _group(d: HourDraft, people: int, length: float) -> tuple[list[int], float]:
    """``people`` persons together for ``length`` seconds from the returned start."""
    lead, tail = d.rng.uniform(2, 30, people), d.rng.uniform(2, 30, people)
    start = d.place(length + float(lead.max() + tail.max())) + float(lead.max())
    members = [d.subject("person", start - float(lead[i]), start + length + float(tail[i])) for i in range(people)]
    return members, start


def together(d: HourDraft) -> list[list[Event]]:
    """Two (sometimes three) people together; the rules find one event per pair."""
    length = d.seconds(90, 1.0, 20, 2400)
    members, start = _group(d, 3 if d.rng.random() < 0.25 else 2, length)
    events = [d.appeared(m) for m in members]
    events += [d.event("together", pair, start, start + length, duration_s=length, closest=float(d.rng.uniform(0.2, 0.8)))
               for pair in itertools.combinations(members, 2)]
    return [events + [d.left(m) for m in members]]


def adult_with_child(d: HourDraft) -> list[list[Event]]:
    length = d.seconds(120, 0.9, 30, 1800)
    (adult, child), start = _group(d, 2, length)
    return [[d.appeared(adult), d.appeared(child),
             d.event("together", (adult, child), start, start + length, duration_s=length, closest=0.3),
             d.event("adult_with_child", (adult, child), start, start + length, duration_s=length,
                     height_ratio=float(d.rng.uniform(0.5, 0.72))),
             d.left(adult), d.left(child)]]


def played_catch(d: HourDraft) -> list[list[Event]]:
    """Two people throwing a ball; the ball is a track of the recording but not a subject."""
    length = d.seconds(120, 0.8, 30, 1200)
    (a, b), start = _group(d, 2, length)
    d.subject("sports ball", start + 1, start + length - 1)
    passes = max(3, round(length / float(d.rng.uniform(4, 12))))
    return [[d.appeared(a), d.appeared(b),
             d.event("together", (a, b), start, start + length, duration_s=length, closest=0.9),
             d.event("played_catch", (a, b), start + 2, start + length - 2, passes=float(passes)),
             d.left(a), d.left(b)]]


def approached(d: HourDraft) -> list[list[Event]]:
    """One person walks up to another who was waiting; half of the time they then stay together."""
    waited, walk = float(d.rng.uniform(5, 55)), float(d.rng.uniform(4, 20))
    stay = d.seconds(40, 0.9, 5, 900) if d.rng.random() < 0.5 else 0.0
    t = d.place(waited + walk + stay + 20)
    start = t + waited
    other = d.subject("person", t, start + walk + stay + float(d.rng.uniform(3, 20)))
    mover = d.subject("person", start - float(d.rng.uniform(1, 5)), start + walk + stay + float(d.rng.uniform(3, 20)))
    events = [d.appeared(other), d.appeared(mover),
              d.event("approached", (mover, other), start, start + walk, start + walk,
                      from_distance=float(d.rng.uniform(3, 8)), to_distance=float(d.rng.uniform(0.3, 1.0)),
                      mutual=float(d.rng.random() < 0.3))]
    if stay:
        events.append(d.event("together", (mover, other), start + walk, start + walk + stay, duration_s=stay, closest=0.4))
    return [[*events, d.left(mover), d.left(other)]]


def _vehicle(d: HourDraft) -> str:
    return d.pick({"car": 0.8, "truck": 0.15, "bus": 0.05} if d.kind.prefix == "street" else {"car": 0.85, "truck": 0.15})


def vehicle_stopped(d: HourDraft) -> list[list[Event]]:
    """A vehicle drove in and stopped; it drove off again, or was still parked when the hour ended."""
    label = _vehicle(d)
    stop, drive_in, drive_out = d.seconds(60, 1.2, 15, 2400), float(d.rng.uniform(3, 15)), float(d.rng.uniform(3, 15))
    if d.rng.random() < 0.2:
        t = HOUR_S - stop - drive_in
        v = d.subject(label, t, HOUR_S)
        return [[d.appeared(v), d.event("vehicle_stopped", (v,), t + drive_in, HOUR_S, t + drive_in + 2, stopped_s=stop)]]
    t = d.place(drive_in + stop + drive_out)
    v = d.subject(label, t, t + drive_in + stop + drive_out)
    stopped_at, gone_at = t + drive_in, t + drive_in + stop
    return [[d.appeared(v), d.event("vehicle_stopped", (v,), stopped_at, gone_at, stopped_at + 2, stopped_s=stop),
             d.event("vehicle_departed", (v,), gone_at, gone_at + drive_out, gone_at, stopped_s=stop), d.left(v)]]


def stopped_near_person(d: HourDraft) -> list[list[Event]]:
    """A car pulls up by a waiting person, who gets in; it drives off."""
    label = _vehicle(d)
    waited, stop = float(d.rng.uniform(10, 50)), d.seconds(30, 0.6, 10, 300)
    t = d.place(waited + stop + 20)
    stopped_at = t + waited
    person = d.subject("person", t, stopped_at + stop - 3)
    v = d.subject(label, stopped_at - 8, stopped_at + stop + 8)
    return [[d.appeared(person), d.appeared(v),
             d.event("vehicle_stopped", (v,), stopped_at, stopped_at + stop, stopped_at + 2, stopped_s=stop),
             d.event("vehicle_stopped_near_person", (v, person), stopped_at, stopped_at + stop - 3, stopped_at + 1,
                     distance=float(d.rng.uniform(0.1, 0.6)), stopped_s=stop),
             d.event("entered_vehicle", (v, person), stopped_at + stop - 3, stopped_at + stop - 3),
             d.event("vehicle_departed", (v,), stopped_at + stop, stopped_at + stop + 8, stopped_at + stop, stopped_s=stop),
             d.left(v)]]


def left_vehicle(d: HourDraft) -> list[list[Event]]:
    """A car arrives and stops, someone gets out and walks away; the car usually stays."""
    label = _vehicle(d)
    drive_in, out_after, walk = float(d.rng.uniform(4, 15)), float(d.rng.uniform(5, 20)), d.seconds(20, 0.6, 5, 120)
    t = d.place(drive_in + out_after + walk + 10)
    stopped_at = t + drive_in
    v = d.subject(label, t, HOUR_S if d.rng.random() < 0.7 else stopped_at + out_after + walk + 30)
    person = d.subject("person", stopped_at + out_after, stopped_at + out_after + walk)
    _, _, v_end = d.subjects[v - 1]
    return [[d.appeared(v), d.event("vehicle_stopped", (v,), stopped_at, v_end, stopped_at + 2, stopped_s=v_end - stopped_at),
             d.event("left_vehicle", (v, person), stopped_at + out_after, stopped_at + out_after, stopped_at + out_after),
             d.left(person)]]


def entered_vehicle(d: HourDraft) -> list[list[Event]]:
    """Someone walks to a car parked since before the hour, gets in, and it drives off."""
    label = _vehicle(d)
    walk = d.seconds(15, 0.6, 4, 90)
    t = d.place(walk + 20)
    v = d.subject(label, 0.0, t + walk + 15)
    person = d.subject("person", t, t + walk)
    return [[d.appeared(person), d.event("entered_vehicle", (v, person), t + walk, t + walk),
             d.event("vehicle_departed", (v,), t + walk + 5, t + walk + 15, t + walk + 5, stopped_s=t + walk + 5),
             d.left(v)]]


def handed_over(d: HourDraft) -> list[list[Event]]:
    """A courier walks up to a resident and hands over a parcel (a bag or suitcase to the detector)."""
    thing_label = d.pick({"backpack": 0.4, "handbag": 0.3, "suitcase": 0.3})
    walk, wait = float(d.rng.uniform(5, 15)), float(d.rng.uniform(5, 30))
    t = d.place(walk + wait + 40)
    at = t + walk + wait
    giver = d.subject("person", t, at + float(d.rng.uniform(5, 20)))
    receiver = d.subject("person", at - wait, at + float(d.rng.uniform(5, 25)))
    thing = d.subject(thing_label, t + 1, at + float(d.rng.uniform(3, 20)))
    return [[d.appeared(giver), d.appeared(receiver),
             d.event("approached", (giver, receiver), t + 1, t + walk, t + walk, from_distance=5.0, to_distance=0.6, mutual=0.0),
             d.event("handed_over", (giver, receiver, thing), at - 1, at, at, held_before_s=at - 1 - t),
             d.left(giver), d.left(receiver)]]


STORIES: Mapping[str, Callable[[HourDraft], list[list[Event]]]] = {
    "visit": visit, "edge": at_edge, "lingered": lingered, "sat": sat, "together": together, "approached": approached,
    "adult_with_child": adult_with_child, "vehicle_stopped": vehicle_stopped, "stopped_near_person": stopped_near_person,
    "left_vehicle": left_vehicle, "entered_vehicle": entered_vehicle, "handed_over": handed_over,
    "played_catch": played_catch,
}


def draft_hour(rng: np.random.Generator, kind: CameraKind, hour_of_day: int) -> HourDraft:
    """The stories and passers-by of one camera-hour."""
    factor = NIGHT_FACTOR if hour_of_day in NIGHT_HOURS else 1.0
    d = HourDraft(rng, kind)
    wanted_moments = int(rng.poisson(kind.moments_per_hour * factor))
    while len(d.moments) < wanted_moments:
        d.moments += STORIES[d.pick(kind.stories)](d)
    for _ in range(max(0, int(rng.poisson(kind.tracks_per_hour * factor)) - len(d.subjects))):
        label = d.pick(kind.labels)
        present = d.seconds(LABEL_SECONDS[label], 0.8, 2, 600)
        t = float(rng.uniform(0, HOUR_S - present))
        d.subject(label, t, t + present)
    return d


def _story_order(event: Event) -> tuple[float, int, int, tuple[int, ...]]:
    """As ``footage.events.find_events`` sorts: by time, an appearance first and a departure last."""
    place = 0 if event.kind == "appeared" else 2 if event.kind == "left" else 1
    return (event.start_s, place, KIND_ORDER.index(event.kind), event.subjects)


def make_moment(events: Sequence[Event], labels_of: Callable[[int], str]) -> Moment:
    """A moment as ``merge_into_moments`` makes one: named after its most telling kind, subjects
    in order of their events' kinds, the description written by ``describe``."""
    members = sorted(events, key=_story_order)
    headline = min(members, key=lambda e: (KIND_ORDER.index(e.kind), -e.duration_s))
    keys: list[int] = []
    for event in sorted(members, key=lambda e: KIND_ORDER.index(e.kind)):
        keys += [k for k in event.subjects if k not in keys]
    labels = tuple(labels_of(k) for k in keys)
    return Moment(
        kind=headline.kind, start_s=min(e.start_s for e in members), end_s=max(e.end_s for e in members),
        events=tuple(members), subjects=tuple(keys), labels=labels, tracks=tuple(sorted(keys)),
        description=describe(members, keys, labels), key_s=headline.key_s, key_boxes=(),
        people=sum(1 for label in labels if label == "person"),
    )


def make_tracks(d: HourDraft, clock: WallClock, folder: Path) -> list[IndexedTrack]:
    """The draft's subjects as stored tracks: boxes every 1/5 s moving in a straight line (plus
    jitter) across a 1080p frame, box sizes by label, confidences 0.35-0.95."""
    rng, n = d.rng, len(d.subjects)
    if n == 0:
        return []
    labels = [s[0] for s in d.subjects]
    starts = np.array([s[1] for s in d.subjects])
    ends = np.array([s[2] for s in d.subjects])
    counts = np.maximum(2, np.floor((ends - starts) * SAMPLES_PER_S).astype(np.int64) + 1)
    owner = np.repeat(np.arange(n), counts)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    times = np.minimum(starts[owner] + (np.arange(len(owner)) - offsets[owner]) / SAMPLES_PER_S, ends[owner])
    times[offsets + counts - 1] = ends
    fraction = (times - starts[owner]) / np.maximum(ends - starts, 1e-3)[owner]
    size = np.array([LABEL_SIZE[label] for label in labels]) * rng.uniform(0.6, 1.4, (n, 1))
    begin, finish = rng.uniform((0, 300), (FRAME_W, FRAME_H), (n, 2)), rng.uniform((0, 300), (FRAME_W, FRAME_H), (n, 2))
    centre = begin[owner] + (finish - begin)[owner] * fraction[:, None] + rng.normal(0, 3, (len(owner), 2))
    half = size[owner] / 2
    xyxy: npt.NDArray[np.float32] = np.clip(np.hstack((centre - half, centre + half)), 0, (FRAME_W, FRAME_H, FRAME_W, FRAME_H)
                                            ).astype(np.float32)
    confidence = rng.uniform(0.35, 0.95, len(owner)).astype(np.float32)
    pts = np.rint(times / float(TIME_BASE)).astype(np.int64)
    index, pts_list = np.rint(times * FRAME_RATE).astype(np.int64).tolist(), pts.tolist()
    boxes_xyxy, confidences = [tuple(row) for row in xyxy.tolist()], confidence.tolist()
    stored = []
    for k in range(n):
        a, b = int(offsets[k]), int(offsets[k] + counts[k])
        boxes = tuple(map(TrackBox, index[a:b], pts_list[a:b], boxes_xyxy[a:b], confidences[a:b]))
        track = Track(k + 1, labels[k], pts_list[a], pts_list[b - 1], TIME_BASE, boxes)
        stored.append(IndexedTrack(track, clock.us_at(track.first_pts), clock.us_at(track.last_pts),
                                   float(confidence[a:b].mean()), str(folder / f"{k + 1}.jpg")))
    return stored


@dataclass
class Generated:
    """What building the index wrote, and how long it took."""

    cameras: list[dict[str, Any]] = field(default_factory=list)
    recordings: int = 0
    tracks: int = 0
    moments: int = 0
    seconds: float = 0.0


def write_hour(conn: sqlite3.Connection, camera: Camera, camera_id: int, start_utc: datetime, rng: np.random.Generator,
               thumbnails: Path, settings: dict[str, object]) -> tuple[int, int]:
    """One generated camera-hour stored as ``footage index`` stores a recording; returns (tracks, moments)."""
    path = f"/cameras/{camera.name}/{start_utc:%Y-%m-%d_%H%M%S}.mp4"
    info = RecordingInfo(path, int(rng.normal(900e6, 50e6)), HOUR_S, int(FRAME_W), int(FRAME_H), "h264", TIME_BASE,
                         Fraction(FRAME_RATE), None)
    clock = WallClock(start_utc, 0, TIME_BASE, "filename")
    mtime_ns = int((start_utc + timedelta(seconds=HOUR_S)).timestamp()) * 1_000_000_000
    recording_id = begin_recording(conn, camera_id=camera_id, info=info, mtime_ns=mtime_ns, content_hash=rng.bytes(32).hex(),
                                   clock=clock, settings=settings)
    draft = draft_hour(rng, camera.kind, start_utc.hour)
    folder = thumbnails / str(recording_id)
    tracks = make_tracks(draft, clock, folder)
    moments = sorted((make_moment(events, lambda s: draft.subjects[s - 1][0]) for events in draft.moments),
                     key=lambda m: (m.start_s, m.end_s))
    stored = [StoredMoment(m, clock.us_at_seconds(m.start_s), clock.us_at_seconds(m.end_s), str(folder / f"moment-{n + 1}.jpg"),
                           base_score(m.kinds or (m.kind,), m.duration_s, m.people))
              for n, m in enumerate(moments)]
    finish_recording(conn, recording_id, camera_id=camera_id, tracks=tracks, status="done", error=None, first_s=0.0,
                     indexed_s=HOUR_S, moments=stored)
    return len(tracks), len(stored)


def build_index(db: Path, plan: Sequence[Camera], end: datetime, seed: int, progress: bool) -> Generated:
    """Write every camera's hours (ending at ``end``) into a new index at ``db`` and checkpoint
    the WAL into the main file."""
    started = time.perf_counter()
    generated = Generated()
    settings = Settings().as_dict()
    conn = connect(db)
    try:
        with tqdm(total=sum(c.hours for c in plan), unit="camera-h", file=sys.stderr, disable=not progress,
                  desc="generating") as bar:
            for number, camera in enumerate(plan):
                rng = np.random.default_rng([seed, number])  # a camera's rows do not depend on the others
                camera_id = ensure_camera(conn, camera.name)
                tracks = moments = 0
                for h in range(camera.hours):
                    counted = write_hour(conn, camera, camera_id, end - timedelta(hours=camera.hours - h), rng,
                                         thumbnail_dir(db), settings)
                    tracks, moments = tracks + counted[0], moments + counted[1]
                    bar.update()
                generated.cameras.append({"name": camera.name, "hours": camera.hours, "tracks": tracks, "moments": moments})
                generated.recordings += camera.hours
                generated.tracks += tracks
                generated.moments += moments
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    generated.seconds = time.perf_counter() - started
    return generated


# ---------------------------------------------------------------------------------- the index as stored


def index_stats(db: Path) -> dict[str, Any]:
    """Counts, sizes on disk (file plus -wal and -shm) and the space each table and index takes."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def one(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    try:
        hours = float(one("SELECT COALESCE(SUM(indexed_s), 0) FROM recordings WHERE status IN ('done', 'damaged')")) / 3600
        stats: dict[str, Any] = {
            "cameras": one("SELECT COUNT(*) FROM cameras"),
            "recordings": one("SELECT COUNT(*) FROM recordings"),
            "camera_hours": hours,
            "tracks": one("SELECT COUNT(*) FROM tracks"),
            "boxes": one("SELECT COALESCE(SUM(box_count), 0) FROM tracks"),
            "moments": one("SELECT COUNT(*) FROM moments"),
            "events": one("SELECT COUNT(*) FROM events"),
            "moment_kinds": dict(conn.execute("SELECT kind, COUNT(*) FROM moments GROUP BY kind ORDER BY 2 DESC").fetchall()),
            "span_utc": [datetime.fromtimestamp(v / 1e6, UTC).isoformat() if v is not None else None for v in
                         conn.execute("SELECT MIN(start_utc_us), MAX(end_utc_us) FROM moments").fetchone()],
        }
        try:
            stats["bytes_by_table"] = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
        except sqlite3.OperationalError:  # SQLite built without the dbstat table
            stats["bytes_by_table"] = {}
    finally:
        conn.close()
    files = {suffix or "db": (Path(f"{db}{suffix}").stat().st_size if Path(f"{db}{suffix}").exists() else 0)
             for suffix in ("", "-wal", "-shm")}
    stats["file_bytes"] = files
    stats["bytes"] = sum(files.values())
    stats["mb_per_camera_hour"] = stats["bytes"] / 1e6 / hours if hours else None
    return stats


# ---------------------------------------------------------------------------------- queries and timing


QUERIES: tuple[str, ...] = (
    "two people together",
    "two people together for more than ten minutes",
    "a car that stopped in front of the house yesterday evening",
    "someone lingering at the door yesterday morning",
    "a person walking up to another",
    "kids playing with a ball",
    "someone with a backpack",
    "the officer sitting with a boy on the curb",
    "a truck",
    "a delivery man handing over a package",
    "people meeting between 3 and 5 pm",
    "a dog",
    "someone getting out of a car",
    "a person",
    "cars on the {street} camera",
    "what happened last tuesday",
    "what happened on thursday",
    "a group of people",
    "xyzzy plugh",
    "someone who stayed for more than 5 minutes",
    "a bus",
)


def queries_for(cameras: Sequence[str]) -> list[str]:
    """The fixed queries, ``{street}`` naming a real camera as people say it ("street 3")."""
    streets = sorted((c for c in cameras if c.startswith("street_")), key=lambda c: (len(c), c))
    street = "street_3" if "street_3" in cameras else (streets[-1] if streets else (sorted(cameras) or ["street_3"])[0])
    return [q.format(street=street.replace("_", " ")) for q in QUERIES]


@dataclass
class QueryTiming:
    """One query: its timed runs (ms), the first (warm-up) run, its results and how it was
    understood, or its error. ``slow``: the first run took so long that it is the only timing."""

    text: str
    times_ms: list[float] = field(default_factory=list)
    first_ms: float = 0.0
    slow: bool = False
    results: int = 0
    understood: str = ""
    top: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.times_ms, q)) if self.times_ms else float("nan")

    def weighted(self, repeats: int) -> list[float]:
        """The runs as they count in the overall percentiles: a slow query's single run counts
        ``repeats`` times, so that every query weighs the same."""
        return self.times_ms * repeats if self.slow else self.times_ms


def machine_busy_s() -> float:
    """CPU seconds all processes on the machine have used since boot (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def error_tail(exc: BaseException, lines: int = 6) -> str:
    """The last lines of a traceback, for the report."""
    return "".join(traceback.format_exception(exc)[-lines:]).rstrip()


class Searcher:
    """``search_index`` on one open connection, as a server would hold it."""

    def __init__(self, db: Path, now: datetime) -> None:
        from footage.pipeline.search import SearchRequest, search_index  # imported here: generation works without it
        from footage.search.params import SearchParams

        self.conn = connect(db, create=False)
        self.now = now
        self.params = SearchParams()
        self._request, self._search = SearchRequest, search_index

    def run(self, text: str) -> tuple[float, Any]:
        """(milliseconds, the SearchReport) for one query."""
        request = self._request(text, limit=10)
        started = time.perf_counter()
        report = self._search(self.conn, request, params=self.params, zone=UTC, now=self.now)
        return (time.perf_counter() - started) * 1000, report

    def close(self) -> None:
        self.conn.close()


def measure(searcher: Searcher, queries: Sequence[str], repeats: int, slow_ms: float,
            progress: bool) -> tuple[list[QueryTiming], float]:
    """Run each query once to warm up, then all ``repeats`` times round-robin; a query whose
    first run took more than ``slow_ms`` is not run again (that run is its timing). Returns the
    timings and how busy other processes kept the CPUs while timing (a fraction of all CPUs)."""
    timings = [QueryTiming(text) for text in queries]
    for timing in tqdm(timings, unit="query", file=sys.stderr, disable=not progress, desc="warm-up"):
        try:
            timing.first_ms, report = searcher.run(timing.text)
        except Exception as exc:  # a query that raises is reported, the others still measured
            timing.error = error_tail(exc)
            continue
        timing.results = len(report.results)
        timing.understood = report.query.summary()
        timing.top = [f"{r.camera} {r.start_utc:%a %H:%M} {r.kind}: {r.description}" for r in report.results[:3]]
        timing.notes = list(report.notes)
        if timing.first_ms > slow_ms:
            timing.slow, timing.times_ms = True, [timing.first_ms]
    runnable = [t for t in timings if t.error is None and not t.slow]
    busy_before, own_before, started = machine_busy_s(), time.process_time(), time.perf_counter()
    with tqdm(total=repeats * len(runnable), unit="query", file=sys.stderr, disable=not progress, desc="timing") as bar:
        for _ in range(repeats):
            for timing in runnable:
                elapsed_ms, _ = searcher.run(timing.text)
                timing.times_ms.append(elapsed_ms)
                bar.update()
    wall_s = time.perf_counter() - started
    others_s = machine_busy_s() - busy_before - (time.process_time() - own_before)
    return timings, max(0.0, others_s) / (max(wall_s, 1e-9) * (os.cpu_count() or 1))


#: the steps of ``search_index``: functions it calls through the globals of footage.pipeline.search
STEPS = ("camera_names", "parse_query", "text_similarity", "find_candidates", "rank", "merge_duplicates")
STEP_HEADERS = {"camera_names": "cameras", "parse_query": "parse", "text_similarity": "full text (store)",
                "find_candidates": "candidates (store)", "rank": "rank", "merge_duplicates": "merge"}


def time_steps(searcher: Searcher, queries: Sequence[str]) -> dict[str, dict[str, float]]:
    """ms per step of ``search_index`` for one more run of each query: the step functions are
    wrapped with timers in the module's namespace for these runs only (the timed runs before used
    the code unchanged), and put back afterwards. ``other`` is the rest of the run."""
    import footage.pipeline.search as module

    spent: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + (time.perf_counter() - started) * 1000

        return wrapper

    originals = {name: getattr(module, name) for name in STEPS if hasattr(module, name)}
    found: dict[str, dict[str, float]] = {}
    try:
        for name, function in originals.items():
            setattr(module, name, timed(name, function))
        for text in queries:
            spent.clear()
            total_ms, _ = searcher.run(text)
            found[text] = {**{name: spent.get(name, 0.0) for name in originals}, "other": total_ms - sum(spent.values()),
                           "total": total_ms}
    finally:
        for name, function in originals.items():
            setattr(module, name, function)
    return found


def profile(searcher: Searcher, text: str, runs: int) -> str:
    """cProfile of ``runs`` runs of one query: the top 15 functions by cumulative time
    (cProfile slows Python code far more than time spent inside SQLite)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        searcher.run(text)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return out.getvalue()


# ---------------------------------------------------------------------------------- the benchmark


def source_version() -> dict[str, Any]:
    """The commit measured, and the files under src/ changed since (edits skew comparisons)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "src_changes": git("status", "--porcelain", "--", "src").splitlines()}


def section(title: str, body: str) -> None:
    print(f"\n== {title}\n{body}", flush=True)


def ms(value: float) -> float:
    return round(value, 1)


def print_index(stats: dict[str, Any], generated: Generated | None) -> None:
    hours = stats["camera_hours"]
    row = (round(hours, 1), stats["cameras"], stats["recordings"], stats["tracks"], stats["boxes"], stats["moments"],
           stats["events"], round(stats["bytes"] / 1e6, 1),
           round(stats["mb_per_camera_hour"], 3) if stats["mb_per_camera_hour"] is not None else "-",
           round(generated.seconds, 1) if generated else "reused")
    section("index", table(("camera-hours", "cameras", "recordings", "tracks", "boxes", "moments", "events", "MB on disk",
                            "MB / camera-hour", "generation s"), [row]))
    if hours:
        rows = [(name, round(size / 1e6, 1), round(size / 1e6 / hours, 4), f"{size / stats['bytes']:.0%}")
                for name, size in list(stats["bytes_by_table"].items())[:8]]
        section("space by table or index (dbstat, largest 8)", table(("name", "MB", "MB / camera-hour", "share"), rows))
    kinds = stats["moment_kinds"]
    section("moments by kind", ", ".join(f"{kind} {count}" for kind, count in kinds.items()))


def print_queries(timings: Sequence[QueryTiming], repeats: int, slow_ms: float) -> None:
    rows = [(t.text, t.results, len(t.times_ms), ms(t.percentile(50)), ms(t.percentile(95)), ms(max(t.times_ms)),
             t.understood + (" [slow: first run only]" if t.slow else ""))
            if t.error is None else (t.text, "-", 0, "-", "-", "-", f"ERROR {t.error.splitlines()[-1]}")
            for t in timings]
    section(f"queries: {repeats} timed runs each after one warm-up, round-robin, one connection "
            f"(a query whose first run took over {slow_ms:g} ms: that run only)",
            table(("query", "results", "runs", "p50 ms", "p95 ms", "max ms", "understood as"), rows))


def print_steps(steps: dict[str, dict[str, float]]) -> None:
    names = list(dict.fromkeys(name for found in steps.values() for name in found))
    rows = [(text, *(ms(found.get(name, 0.0)) for name in names)) for text, found in steps.items()]
    section("ms per step of search_index, one more run of each query (slow queries left out)",
            table(("query", *(STEP_HEADERS.get(name, name) for name in names)), rows))


def summary_lines(all_ms: Sequence[float], timings: Sequence[QueryTiming], others_busy: float) -> tuple[list[str], float | None]:
    """The summary block and the p95 / target ratio (None when nothing was timed)."""
    if not all_ms:
        return ["no query could be timed"], None
    p50, p95 = float(np.percentile(all_ms, 50)), float(np.percentile(all_ms, 95))
    ratio = p95 / TARGET_P95_MS
    over = sorted((t for t in timings if t.times_ms and t.percentile(95) > TARGET_P95_MS), key=lambda t: -t.percentile(95))
    lines = [
        f"timed runs: {sum(len(t.times_ms) for t in timings)} of {len(timings)} queries",
        f"p50 = {p50:.1f} ms   p95 = {p95:.1f} ms   max = {max(all_ms):.1f} ms",
        f"p95 / {TARGET_P95_MS:g} ms target = {ratio:.2f}   {'PASS' if ratio <= 1.0 else 'MISSED'}",
        f"queries with p95 over {TARGET_P95_MS:g} ms: {len(over)}" + (f" (slowest: {over[0].text!r})" if over else ""),
    ]
    if any(t.slow for t in timings):
        lines.append("(each slow query's single run counts as many times as the others' runs in p50 and p95)")
    if others_busy > 0.05:
        lines.append(f"(other processes used {others_busy:.0%} of the CPUs while timing: re-run on a quiet machine)")
    return lines, ratio


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=int, default=1000, help="camera-hours to generate (default %(default)s)")
    parser.add_argument("--cameras", type=int, default=20, help="cameras sharing those hours (default %(default)s)")
    parser.add_argument("--end", type=lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")), default=DEFAULT_END,
                        help="when the generated footage ends, UTC; also 'now' for the queries (default 2026-11-21T00:00Z)")
    parser.add_argument("--seed", type=int, default=20261121, help="random seed of the generated rows")
    parser.add_argument("--db", type=Path, help="generate the index here (must not exist; kept); default a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the index generated in the temporary folder")
    parser.add_argument("--reuse", type=Path, metavar="DB", help="time the queries on this existing index, generate nothing")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs of each query (default %(default)s)")
    parser.add_argument("--slow-ms", type=float, default=5000.0,
                        help="a query whose first run takes longer is not run again: that run is its timing "
                        "(default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="also time each step of search per query, and cProfile the slowest query (top 15)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "search_latency.json")
    args = parser.parse_args(argv)
    if args.end.tzinfo is None:
        parser.error("--end needs a time zone, e.g. 2026-11-21T00:00Z")
    if args.hours < 1 or args.cameras < 1 or args.repeats < 1:
        parser.error("--hours, --cameras and --repeats must be at least 1")
    if args.reuse is not None and not args.reuse.is_file():
        parser.error(f"--reuse {args.reuse}: no such file")
    if args.db is not None and args.db.exists():
        parser.error(f"--db {args.db} exists; remove it, or time it with --reuse {args.db}")
    return args


def benchmark(args: argparse.Namespace, db: Path) -> tuple[dict[str, Any], int]:
    """Generate (unless reusing), measure, print; returns the JSON report and the exit status."""
    report: dict[str, Any] = {
        "command": [sys.executable, *sys.argv],
        "args": {k: str(v) if isinstance(v, Path | datetime) else v for k, v in vars(args).items()},
        "source": source_version(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "load_before": os.getloadavg()},
        "target_p95_ms": TARGET_P95_MS,
        "errors": [],
    }
    generated = None
    if args.reuse is None:
        plan = camera_plan(args.cameras, args.hours)
        print(f"generating {sum(c.hours for c in plan)} camera-hours on {len(plan)} cameras into {db} ...", flush=True)
        generated = build_index(db, plan, args.end, args.seed, not args.no_progress)
        report["generated"] = asdict(generated)
    stats = index_stats(db)
    report["index"] = stats
    print_index(stats, generated)

    status = 0
    try:
        searcher = Searcher(db, args.end)
    except Exception as exc:  # search is still being written: keep the generator's report
        report["errors"].append(f"cannot set up search: {error_tail(exc)}")
        section("search could not be set up", error_tail(exc))
        return report, 1
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as names:
            cameras = [row[0] for row in names.execute("SELECT name FROM cameras")]
        timings, others_busy = measure(searcher, queries_for(cameras), args.repeats, args.slow_ms, not args.no_progress)
        print_queries(timings, args.repeats, args.slow_ms)
        for t in timings:
            if t.error is not None:
                report["errors"].append(f"{t.text!r}: {t.error}")
                section(f"error in {t.text!r}", t.error)
                status = 1
        all_ms = [v for t in timings for v in t.weighted(args.repeats)]
        lines, ratio = summary_lines(all_ms, timings, others_busy)
        section("summary", "\n".join(lines))
        report["queries"] = [asdict(t) | {"p50_ms": t.percentile(50), "p95_ms": t.percentile(95)} for t in timings]
        report["others_busy"] = others_busy
        if all_ms:
            report["summary"] = {"runs": sum(len(t.times_ms) for t in timings), "p50_ms": float(np.percentile(all_ms, 50)),
                                 "p95_ms": float(np.percentile(all_ms, 95)), "max_ms": max(all_ms),
                                 "p95_over_target": ratio, "passed": ratio is not None and ratio <= 1.0,
                                 "slow_queries": [t.text for t in timings if t.slow],
                                 "mb_per_camera_hour": stats["mb_per_camera_hour"]}
        else:
            status = 1
        timed = [t for t in timings if t.times_ms]
        if args.profile and timed:
            steps = time_steps(searcher, [t.text for t in timed if not t.slow])
            print_steps(steps)
            slowest = max(timed, key=lambda t: t.percentile(95))
            runs = 1 if slowest.slow else args.repeats
            top = profile(searcher, slowest.text, runs)
            section(f"cProfile of the slowest query, {slowest.text!r}, {runs} run(s), top 15 by cumulative time", top.strip())
            report["profile"] = {"steps_ms": steps, "query": slowest.text, "runs": runs, "top": top}
    finally:
        searcher.close()
    report["machine"]["load_after"] = os.getloadavg()
    report["source_after"] = source_version()
    return report, status


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    scratch = Path(tempfile.mkdtemp(prefix="footage-search-bench-"))
    db = args.reuse or args.db or scratch / "index.sqlite"
    try:
        report, status = benchmark(args, db)
    finally:
        if args.keep and db.parent == scratch:
            print(f"\nkept the index at {db}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwrote {args.out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
