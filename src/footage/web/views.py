"""What each page shows, as frozen records built from the index. One record serves both a page
(its template) and the page's JSON twin under ``/api/``, so the two cannot disagree.

Times in these records are aware datetimes in the user's zone (``Settings.timezone``), so the
JSON carries the offset and the templates print local clock times.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from urllib.parse import quote, urlencode

import numpy as np
import numpy.typing as npt

from footage.config import WebParams
from footage.errors import RequestError
from footage.events.describe import say_duration
from footage.people.gestures import say_gestures
from footage.people.spans import longest_posture
from footage.store import review
from footage.store.clips import linked_pieces
from footage.store.moments import MomentFilter, count_moments, get_moment, list_moments
from footage.store.people import poses_of
from footage.store.queries import TrackFilter, list_tracks
from footage.store.records import IndexedMoment, IndexedTrack
from footage.web.keyframe import KeyPerson, Row, people_at_key
from footage.web.stitched import clip_seconds, clip_seconds_at, moment_plan

__all__ = [
    "CameraCard", "EventView", "MomentCard", "MomentDetail", "MomentPage", "Overlay", "Playback", "TrackView",
    "camera_url", "cameras_view", "moment_card", "moment_detail", "moments_view",
]


def camera_url(name: str) -> str:
    return f"/cameras/{quote(name, safe='')}"


@dataclass(frozen=True)
class MomentCard:
    """A moment in a list: what, where, when, how long, its key frame and its page; ``starred``
    when the owner starred it (kept from retention), toggled by a POST to ``star_url``."""

    id: int
    kind: str
    kinds: tuple[str, ...]
    camera: str
    start: datetime
    end: datetime
    duration_s: float
    people: int
    description: str
    score: float
    keyframe_url: str | None
    url: str
    starred: bool
    star_url: str


def moment_card(moment: IndexedMoment, zone: tzinfo) -> MomentCard:
    return MomentCard(
        id=moment.id, kind=moment.kind, kinds=moment.kinds, camera=moment.camera,
        start=moment.start_utc.astimezone(zone), end=moment.end_utc.astimezone(zone),
        duration_s=round(moment.duration_s, 2), people=moment.people, description=moment.description,
        score=round(moment.score, 3), keyframe_url=f"/media/moments/{moment.id}/keyframe.jpg" if moment.keyframe else None,
        url=f"/moments/{moment.id}", starred=moment.starred, star_url=f"/api/moments/{moment.id}/star",
    )


@dataclass(frozen=True)
class CameraCard:
    """A camera on the overview: how much is indexed and its newest moments."""

    name: str
    recordings: int
    hours: float
    moments: int
    first: datetime | None
    last: datetime | None
    latest: tuple[MomentCard, ...]
    url: str


def cameras_view(conn: sqlite3.Connection, zone: tzinfo, params: WebParams) -> tuple[CameraCard, ...]:
    cards = []
    for totals in review.camera_totals(conn):
        latest = list_moments(conn, MomentFilter(camera=totals.name, order="latest", limit=params.latest_moments or None))
        cards.append(CameraCard(
            name=totals.name, recordings=totals.recordings, hours=round(totals.hours, 3), moments=totals.moments,
            first=totals.first_utc.astimezone(zone) if totals.first_utc else None,
            last=totals.last_utc.astimezone(zone) if totals.last_utc else None,
            latest=tuple(moment_card(m, zone) for m in latest[: params.latest_moments]), url=camera_url(totals.name),
        ))
    return tuple(cards)


@dataclass(frozen=True)
class MomentPage:
    """One page of the moment list, with the filters that made it and links to its neighbours."""

    camera: str | None
    kind: str | None
    day: str | None
    min_duration_s: float | None
    total: int
    offset: int
    moments: tuple[MomentCard, ...]
    previous_url: str | None
    next_url: str | None


def moments_view(conn: sqlite3.Connection, where: MomentFilter, day: str | None, zone: tzinfo) -> MomentPage:
    """``where`` carries the filters, ``limit`` and ``offset``; ``day`` is echoed into links."""
    total = count_moments(conn, where)
    found = list_moments(conn, where)
    shown = {"camera": where.camera, "kind": where.kind, "day": day, "min_duration": where.min_duration_s}
    query = {k: v for k, v in shown.items() if v is not None}
    limit = where.limit or total

    def link(offset: int) -> str:
        return "/moments?" + urlencode({**query, "offset": offset})

    return MomentPage(
        camera=where.camera, kind=where.kind, day=day, min_duration_s=where.min_duration_s, total=total,
        offset=where.offset, moments=tuple(moment_card(m, zone) for m in found),
        previous_url=link(max(0, where.offset - limit)) if where.offset > 0 else None,
        next_url=link(where.offset + limit) if where.offset + limit < total else None,
    )


@dataclass(frozen=True)
class EventView:
    """One event of the moment; ``subjects`` are track ids (see ``tracks``)."""

    kind: str
    start: datetime
    end: datetime
    duration_s: float
    subjects: tuple[int, ...]


@dataclass(frozen=True)
class TrackView:
    """A person or object involved, with its thumbnail."""

    id: int
    label: str
    first: datetime
    last: datetime
    thumbnail_url: str | None
    #: what a person wore and the posture they were in longest ("a red top and blue trousers",
    #: "standing 2 min"); empty where not read
    wore: str = ""
    mostly: str = ""
    #: the gestures they made ("raised an arm x2, hand to hand")
    did: str = ""


@dataclass(frozen=True)
class Overlay:
    """Where one involved track was: ``boxes`` rows are (seconds of the played video, x1, y1, x2,
    y2), the corners as fractions (0-1) of the picture's width and height. An object seen in
    several recordings has a track (a piece) in each; ``object_id`` is the piece the page names
    it by (see :class:`MomentDetail`)."""

    track_id: int
    label: str
    boxes: tuple[tuple[float, float, float, float, float], ...]
    object_id: int = 0
    #: the poses looked at: (seconds of the played video, then x, y, score of each of the 17
    #: keypoints of :data:`footage.types.KEYPOINTS`, x and y as fractions of the picture)
    poses: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class Playback:
    """How the moment page plays it: ``video_url`` (byte ranges served), seek to ``start_s`` (seconds
    of that video, a little before the moment), the moment itself from ``moment_start_s`` to
    ``moment_end_s``; the picture is ``width`` x ``height``. A moment within one recording plays
    that file (media seconds); one that runs across files plays a clip of the moment and its
    preroll joined from them (``pieces`` names the files, in order), its times those of the clip."""

    video_url: str
    recording_id: int
    start_s: float
    moment_start_s: float
    moment_end_s: float
    width: int
    height: int
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True)
class MomentDetail:
    """A moment's page. ``key_s`` is the time of its key frame in the played video (see
    :class:`Playback`), where ``key_people`` (the involved people) stand; ``tracks`` and
    ``key_people`` list each object once, by the piece of its track on the key frame (else its
    first piece), though ``overlays`` has every piece. ``export_url`` downloads it redacted,
    ``shares_url`` makes a share link (keeping a piece keeps the whole object)."""

    moment: MomentCard
    recording: str
    events: tuple[EventView, ...]
    tracks: tuple[TrackView, ...]
    overlays: tuple[Overlay, ...]
    playback: Playback | None
    timeline_url: str
    key_s: float
    key_people: tuple[KeyPerson, ...]
    export_url: str
    shares_url: str


def moment_detail(conn: sqlite3.Connection, moment_id: int, zone: tzinfo, params: WebParams) -> MomentDetail:
    """Raises :class:`RequestError` (404) for an id the index does not have."""
    moment = get_moment(conn, moment_id)
    if moment is None:
        raise RequestError(f"no moment {moment_id} in the index", 404)
    recording = review.recording_of_moment(conn, moment_id)
    tracks = list_tracks(conn, TrackFilter(ids=tuple(t for t, _ in moment.tracks)), with_boxes=True)
    poses = poses_of(conn, (t.id for t in tracks))
    # indexes older than schema 4 did not keep the key time: the middle of the moment is near it
    key_s = round(moment.key_s if moment.key_s is not None else (moment.start_s + moment.end_s) / 2, 3)
    playback: Playback | None = None
    overlays: tuple[Overlay, ...] = ()
    span = moment_plan(conn, moment, params.preroll_s) if recording is not None else None
    if recording is not None and span is not None:  # it runs across files: play them joined
        plan = span.plan
        names = {p.path: p.recording_id for p in plan.pieces}
        key_s = clip_seconds_at(span, recording.start_utc + timedelta(seconds=key_s))
        playback = Playback(f"/media/moments/{moment.id}/video", recording.id, 0.0,
                            clip_seconds_at(span, moment.start_utc), clip_seconds_at(span, moment.end_utc),
                            recording.width, recording.height, tuple(p.path.rsplit("/", 1)[-1] for p in plan.pieces))
        if recording.width:
            overlays = _overlays(tracks, lambda path, s: clip_seconds(plan, names[path], s) if path in names else None,
                                 (-1.0, plan.duration_s + 1.0), (recording.width, recording.height), poses)
    elif recording is not None:
        playback = Playback(f"/media/recordings/{recording.id}/video", recording.id,
                            round(max(0.0, moment.start_s - params.preroll_s), 3), moment.start_s, moment.end_s,
                            recording.width, recording.height)
        if recording.width:
            own = recording.path
            overlays = _overlays(tracks, lambda path, s: s if path == own else None,
                                 (moment.start_s - params.preroll_s - 1.0, moment.end_s + 10.0),
                                 (recording.width, recording.height), poses)
    day = moment.start_utc.astimezone(zone)
    views, people, named = _objects(conn, tracks, {o.track_id: o.boxes for o in overlays}, key_s, zone)
    return MomentDetail(
        moment=moment_card(moment, zone),
        recording=moment.recording.rsplit("/", 1)[-1],
        events=tuple(EventView(e.kind, e.start_utc.astimezone(zone), e.end_utc.astimezone(zone),
                               round(e.end_s - e.start_s, 2), e.subjects) for e in moment.events),
        tracks=views,
        overlays=tuple(replace(o, object_id=named.get(o.track_id, o.track_id)) for o in overlays),
        playback=playback,
        timeline_url=f"{camera_url(moment.camera)}?" + urlencode({"day": day.date().isoformat(),
                                                                  "at": day.strftime("%H:%M:%S"), "span": 1800}),
        key_s=key_s,
        key_people=people,
        export_url=f"/api/moments/{moment.id}/export",
        shares_url=f"/api/moments/{moment.id}/shares",
    )


def _objects(conn: sqlite3.Connection, tracks: Sequence[IndexedTrack], boxes: dict[int, Sequence[Row]], key_s: float,
             zone: tzinfo) -> tuple[tuple[TrackView, ...], tuple[KeyPerson, ...], dict[int, int]]:
    """Each object once (its pieces in the recordings are linked tracks): as a track, as a person
    on the key frame, and the id it goes by for each piece."""
    ids = {t.id for t in tracks}
    ordered = sorted(tracks, key=lambda t: (t.first_utc_us, t.id))
    views: list[TrackView] = []
    people: list[KeyPerson] = []
    named: dict[int, int] = {}
    for track in ordered:
        if track.id in named:
            continue
        linked = linked_pieces(conn, [track.id]) & ids
        group = [t for t in ordered if t.id in linked]
        placed = people_at_key([(t.id, t.track.label) for t in group], boxes, key_s)
        person = next((p for p in placed if p.box is not None), placed[0] if placed else None)
        name = person.track_id if person is not None else group[0].id
        named.update((t.id, name) for t in group)
        if person is not None:
            people.append(person)
        shown = next(t for t in group if t.id == name)
        thumbnail = next((t for t in [shown, *group] if t.thumbnail), None)
        wore = next((t.track.appearance.wearing() for t in [shown, *group] if t.track.appearance.wearing()), "")
        mostly = longest_posture([t.track for t in group])
        views.append(TrackView(name, shown.track.label, group[0].first_utc.astimezone(zone),
                               max(t.last_utc for t in group).astimezone(zone),
                               f"/media/tracks/{thumbnail.id}/thumbnail.jpg" if thumbnail else None,
                               wore, f"{mostly[0]} {say_duration(mostly[1])}" if mostly else "",
                               say_gestures([g for t in group for g in t.track.gestures])))
    return tuple(views), tuple(people), named


def _overlays(tracks: Sequence[IndexedTrack], place: Callable[[str, float], float | None], window: tuple[float, float],
              size: tuple[int, int], poses: Mapping[int, Sequence[tuple[int, npt.NDArray[np.float32]]]]) -> tuple[Overlay, ...]:
    """Each track's boxes and poses at the played video's times: ``place(recording path, media
    seconds)`` is that time (None where the video does not show that recording), kept when
    inside ``window``."""
    width, height = size
    scale = np.array([1 / width, 1 / height, 1.0], np.float32)
    overlays = []
    for indexed in tracks:
        track = indexed.track
        skeletons = []
        for pts, keypoints in poses.get(indexed.id, ()):
            seconds = place(indexed.recording, float(pts * track.time_base))
            if seconds is not None and window[0] <= seconds <= window[1]:
                skeletons.append((round(seconds, 3), *(round(float(v), 4) for v in (keypoints * scale).ravel())))
        boxes = []
        for box in track.boxes:
            seconds = place(indexed.recording, float(box.pts * track.time_base))
            if seconds is not None and window[0] <= seconds <= window[1]:
                x1, y1, x2, y2 = box.xyxy
                boxes.append((round(seconds, 3), round(x1 / width, 4), round(y1 / height, 4), round(x2 / width, 4),
                              round(y2 / height, 4)))
        if boxes:
            overlays.append(Overlay(indexed.id, track.label, tuple(boxes), poses=tuple(skeletons)))
    return tuple(overlays)
