"""Turn results into text for people (aligned tables) and for scripts (JSON, MOTChallenge)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from footage.events.describe import say_duration
from footage.people.gestures import say_gestures
from footage.people.spans import longest_posture
from footage.pipeline.search import SearchReport
from footage.store.records import IndexedMoment, IndexedTrack, IndexStatus
from footage.time import utc_from_us
from footage.types import Moment, PostureSpan

__all__ = [
    "file_moments_json", "file_moments_table", "iso", "moment_text", "moments_json", "moments_table", "search_json",
    "search_table", "status_text", "table", "tracks_json", "tracks_mot", "tracks_table",
]


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a Z, e.g. ``2026-11-20T15:30:00.200Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table; numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int | float) for row in rows) and rows for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def tracks_table(tracks: Sequence[IndexedTrack]) -> str:
    if not tracks:
        return "no tracks match"
    rows = [
        (t.id, t.track.label, t.camera, t.first_utc.strftime("%Y-%m-%d %H:%M:%S"), _duration(t.duration_s),
         round(t.confidence, 2), _wore(t), _longest_posture(t), t.recording.rsplit("/", 1)[-1])
        for t in tracks
    ]
    return table(("id", "label", "camera", "first seen (UTC)", "present", "conf", "wore", "mostly", "recording"), rows)


def _wore(track: IndexedTrack) -> str:
    """``red top, blue bottoms`` (empty when no colour was read)."""
    wore = track.track.appearance
    parts = [f"{wore.upper} top" if wore.upper else "", f"{wore.lower} bottoms" if wore.lower else ""]
    return ", ".join(p for p in parts if p)


def _longest_posture(track: IndexedTrack) -> str:
    """The posture the person spent longest in, with how long (``sitting 12:03``)."""
    longest = longest_posture([track.track])
    return f"{longest[0]} {_duration(longest[1])}" if longest else ""


def _track_dict(t: IndexedTrack) -> dict[str, object]:
    return {
        "id": t.id, "local_id": t.track.track_id, "label": t.track.label, "camera": t.camera,
        "recording": t.recording,
        "first_utc": iso(t.first_utc), "last_utc": iso(t.last_utc),
        "first_s": float(t.track.first_pts * t.track.time_base), "last_s": float(t.track.last_pts * t.track.time_base),
        "duration_s": round(t.duration_s, 3), "confidence": round(t.confidence, 4),
        "boxes": t.box_count, "thumbnail": t.thumbnail,
        "upper_colour": t.track.appearance.upper, "lower_colour": t.track.appearance.lower,
        "postures": [_posture_json(t, span) for span in t.track.postures],
        "gestures": [{"gesture": g.kind, "start_utc": iso(utc_from_us(t.utc_us_at(g.start_pts))),
                      "end_utc": iso(utc_from_us(t.utc_us_at(g.end_pts))), "confidence": g.confidence,
                      "with_local_id": g.other} for g in t.track.gestures],
    }


def tracks_json(tracks: Sequence[IndexedTrack]) -> str:
    return json.dumps([_track_dict(t) for t in tracks], indent=2)


def _posture_json(track: IndexedTrack, span: PostureSpan) -> dict[str, object]:
    start, end = track.utc_us_at(span.start_pts), track.utc_us_at(span.end_pts)
    return {"posture": span.posture, "start_utc": iso(utc_from_us(start)), "end_utc": iso(utc_from_us(end)),
            "duration_s": round((end - start) / 1e6, 1), "confidence": span.confidence}


def tracks_mot(tracks: Sequence[IndexedTrack]) -> str:
    """MOTChallenge lines ``frame,id,left,top,width,height,conf,-1,-1,-1`` sorted by frame;
    frame is the 1-based decode index, id the track's id within its recording."""
    lines = []
    for track in (t.track for t in tracks):
        for box in track.boxes:
            x1, y1, x2, y2 = box.xyxy
            fields = f"{x1:.2f},{y1:.2f},{x2 - x1:.2f},{y2 - y1:.2f},{box.confidence:.4f}"
            lines.append((box.index + 1, track.track_id, f"{box.index + 1},{track.track_id},{fields},-1,-1,-1"))
    lines.sort(key=lambda item: (item[0], item[1]))
    return "\n".join(line for _, _, line in lines)


def status_text(status: IndexStatus) -> str:
    parts = [f"{status.recordings} recording(s), {status.hours:.2f} hours indexed"]
    if status.cameras:
        parts.append(table(("camera", "recordings", "hours"), [(n, c, round(h, 2)) for n, c, h in status.cameras]))
    if status.stretches:
        parts.append(_stretches(status.stretches))
    if status.objects_by_label:
        parts.append(table(("objects", "count"), list(status.objects_by_label)))
    if status.failed:
        parts.append("files with problems:\n" + "\n".join(f"  {s}: {p}: {r}" for p, s, r in status.failed))
    if status.pose:
        parts.append(f"pose: {status.pose}")
    return "\n\n".join(parts)


def _stretches(stretches: Sequence[tuple[str, str, str, float, int]]) -> str:
    """Each camera's stretches of continuous recording, and the gap before each."""
    rows = []
    for n, (camera, first, last, hours, files) in enumerate(stretches):
        before = stretches[n - 1] if n and stretches[n - 1][0] == camera else None
        gap = say_duration((datetime.fromisoformat(first) - datetime.fromisoformat(before[2])).total_seconds()) \
            if before else ""
        rows.append((camera, first, last, round(hours, 2), files, gap))
    return table(("camera", "stretch from", "to", "hours", "files", "gap before"), rows)


def _clip(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def moments_table(moments: Sequence[IndexedMoment]) -> str:
    if not moments:
        return "no moments match"
    rows = [
        (m.id, m.start_utc.strftime("%Y-%m-%d %H:%M:%S"), m.camera, m.kind, say_duration(m.duration_s),
         round(m.score, 1), _clip(m.description))
        for m in moments
    ]
    return table(("id", "start (UTC)", "camera", "kind", "lasted", "score", "what happened"), rows)


def _moment_dict(m: IndexedMoment) -> dict[str, object]:
    return {
        "id": m.id, "kind": m.kind, "kinds": list(m.kinds), "camera": m.camera, "recording": m.recording,
        "start_utc": iso(m.start_utc), "end_utc": iso(m.end_utc), "start_s": round(m.start_s, 3),
        "end_s": round(m.end_s, 3), "duration_s": round(m.duration_s, 3), "people": m.people,
        "tracks": [{"id": t, "label": label} for t, label in m.tracks], "description": m.description,
        "keyframe": m.keyframe, "score": m.score,
    }


def moments_json(moments: Sequence[IndexedMoment]) -> str:
    return json.dumps([_moment_dict(m) for m in moments], indent=2, ensure_ascii=False)


def moment_text(m: IndexedMoment, people: Sequence[IndexedTrack] = (), *, as_json: bool = False) -> str:
    """Everything about one moment: the story, each event, its tracks (``people``: as listed,
    with what each wore, their postures and gestures) and the key frame."""
    if as_json:
        data = _moment_dict(m)
        if people:
            data["tracks"] = [_track_dict(t) for t in people]
        data["events"] = [
            {"kind": e.kind, "start_utc": iso(e.start_utc), "end_utc": iso(e.end_utc), "start_s": round(e.start_s, 3),
             "end_s": round(e.end_s, 3), "tracks": list(e.subjects), "facts": dict(e.facts)}
            for e in m.events
        ]
        return json.dumps(data, indent=2, ensure_ascii=False)
    lines = [
        f"moment {m.id}: {m.kind}, score {m.score:.1f}",
        m.description,
        f"camera {m.camera}, {m.start_utc:%Y-%m-%d %H:%M:%S} to {m.end_utc:%H:%M:%S} UTC ({say_duration(m.duration_s)})",
        f"recording {m.recording}, {m.start_s:.1f} s to {m.end_s:.1f} s",
        f"key frame: {m.keyframe or 'none (the recording could not be read)'}",
        "",
        table(("event", "from (s)", "to (s)", "tracks"),
              [(e.kind, round(e.start_s, 1), round(e.end_s, 1), ", ".join(map(str, e.subjects))) for e in m.events]),
        "",
        table(("track", "label", "wore", "mostly", "gestures"),
              [(t.id, t.track.label, _wore(t), _longest_posture(t), say_gestures(t.track.gestures)) for t in people])
        if people else table(("track", "label"), list(m.tracks)),
    ]
    return "\n".join(lines)


def file_moments_table(moments: Sequence[Moment]) -> str:
    """Moments found in a track file (no index: media time only)."""
    if not moments:
        return "no moments found"
    rows = [
        (n, round(m.start_s, 1), m.kind, say_duration(m.duration_s), round(m.score, 1), _clip(m.description))
        for n, m in enumerate(moments, 1)
    ]
    return table(("id", "start (s)", "kind", "lasted", "score", "what happened"), rows)


def file_moments_json(moments: Sequence[Moment], source: str) -> str:
    return json.dumps(
        [
            {
                "id": n, "kind": m.kind, "kinds": list(m.kinds), "camera": None, "recording": source,
                "start_utc": None, "end_utc": None, "start_s": round(m.start_s, 3), "end_s": round(m.end_s, 3),
                "duration_s": round(m.duration_s, 3), "people": m.people,
                "tracks": [{"id": t, "label": label} for t, label in zip(m.subjects, m.labels, strict=True)],
                "description": m.description, "keyframe": None, "score": m.score,
                "events": [
                    {"kind": e.kind, "start_s": round(e.start_s, 3), "end_s": round(e.end_s, 3), "tracks": list(e.subjects),
                     "facts": dict(e.facts)}
                    for e in m.events
                ],
            }
            for n, m in enumerate(moments, 1)
        ],
        indent=2,
        ensure_ascii=False,
    )


def search_table(report: SearchReport) -> str:
    """The query as understood, then the results best first, thumbnails last."""
    lines = [f"understood as: {report.query.summary()}"]
    if report.results:
        rows = [
            (n, r.id, r.start_utc.strftime("%Y-%m-%d %H:%M:%S"), r.camera, r.kind,
             say_duration(r.end_s - r.start_s), round(r.score, 2), _clip(r.description, 90) +
             (f" (+{len(r.merged)} alike)" if r.merged else ""), r.thumbnail or "")
            for n, r in enumerate(report.results, 1)
        ]
        lines.append(table(("#", "id", "start (UTC)", "camera", "kind", "lasted", "match", "what happened", "thumbnail"),
                           rows))
    else:
        lines.append("no moments match")
    return "\n".join(lines)


def search_json(report: SearchReport) -> str:
    """The parsed query and each result's id, kind, camera, times, description, score and
    thumbnail, for scripts."""
    q = report.query
    when = None if q.when is None else {
        "start_utc": q.when.start_utc and iso(q.when.start_utc), "end_utc": q.when.end_utc and iso(q.when.end_utc),
        "day_start_min": q.when.day_start_min, "day_end_min": q.when.day_end_min, "label": q.when.label,
    }
    query = {
        "text": q.text, "understood_as": q.summary(),
        "objects": [{"word": t.word, "labels": dict(t.sense.labels), "count": t.count, "attribute": t.sense.attribute}
                    for t in q.objects],
        "kinds": [{"name": k.name, "kinds": dict(k.kinds)} for k in q.kinds],
        "duration": None if q.duration is None else {"min_s": q.duration.min_s, "max_s": q.duration.max_s,
                                                     "label": q.duration.label},
        "colours": [{"word": c.word, "part": c.part, "colours": dict(c.fits)} for c in q.colours],
        "postures": list(q.postures), "gestures": list(q.gestures),
        "when": when, "cameras": list(q.cameras), "unknown": list(q.unknown),
    }
    results = [
        {"id": r.id, "kind": r.kind, "camera": r.camera, "recording": r.recording, "start_utc": iso(r.start_utc),
         "end_utc": iso(r.end_utc), "start_s": round(r.start_s, 3), "end_s": round(r.end_s, 3),
         "description": r.description, "score": r.score, "match": r.match, "semantic": r.semantic, "notability": r.notability,
         "thumbnail": r.thumbnail, "merged": list(r.merged)}
        for r in report.results
    ]
    return json.dumps({"query": query, "semantic": report.semantic, "notes": list(report.notes), "results": results},
                      indent=2, ensure_ascii=False)
