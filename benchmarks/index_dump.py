"""Dump what an index holds, canonically, to compare two versions of footage: every recording's
tracks (label, media times, confidence, box count, a hash of the boxes) and moments (kind, times,
people, description, score, labels, spans, what was seen, key time, tracks, events and facts).

It reads the SQLite file directly (no footage import), so the same script reads an index
written before a refactor and one written after. Index the same files with both trees, dump
both, and compare the files byte for byte::

    (cd OLD_TREE && PYTHONPATH=src footage index CLIPS --db /tmp/old.sqlite --camera c)
    footage index CLIPS --db /tmp/new.sqlite --camera c
    python benchmarks/index_dump.py /tmp/old.sqlite old.json
    python benchmarks/index_dump.py /tmp/new.sqlite new.json
    cmp old.json new.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: a moment's score: the stored column before schema 6, else the base score plus its camera's rarity
_SCORE_COLUMN = "round(score, 3)"
_SCORE_FROM_COUNTS = """(SELECT CAST((m.base_score + COALESCE(mc.rarity, 0.0)) * 1000.0 + 0.5 AS INTEGER) / 1000.0
    FROM moment_counts mc WHERE mc.camera_id = m.camera_id AND mc.kind = m.kind)"""


def dump(db: sqlite3.Connection) -> dict[str, Any]:
    """Recording file name -> its status, tracks and moments."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(moments)")}
    score = _SCORE_COLUMN if "score" in columns else _SCORE_FROM_COUNTS
    out: dict[str, Any] = {}
    for rid, path, status in db.execute("SELECT id, path, status FROM recordings ORDER BY path"):
        tracks = [
            {"local": r[0], "label": r[1], "first": r[2], "last": r[3], "conf": round(r[4], 4), "n": r[5],
             "boxes": hashlib.md5(r[6]).hexdigest()[:10]}
            for r in db.execute("SELECT local_id, label, first_pts, last_pts, confidence, box_count, boxes FROM tracks "
                                "WHERE recording_id = ? ORDER BY local_id", (rid,))
        ]
        local = dict(db.execute("SELECT id, local_id FROM tracks WHERE recording_id = ?", (rid,)).fetchall())
        moments = []
        for m in db.execute(f"""SELECT id, kind, start_s, end_s, people, description, {score}, labels, spans, seen, key_s,
                                       tracks FROM moments m WHERE recording_id = ? ORDER BY start_s, kind, id""", (rid,)):
            events = [list(e) for e in db.execute("SELECT kind, round(start_s, 3), round(end_s, 3), facts FROM events "
                                                  "WHERE moment_id = ? ORDER BY id", (m[0],))]
            moments.append({"kind": m[1], "start": round(m[2], 3), "end": round(m[3], 3), "people": m[4], "desc": m[5],
                            "score": m[6], "labels": m[7], "spans": m[8], "seen": m[9], "key": m[10],
                            "tracks": [local.get(t) for t in json.loads(m[11])], "events": events})
        out[Path(path).name] = {"status": status, "tracks": tracks, "moments": moments}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path, help="the index file (SQLite)")
    parser.add_argument("out", type=Path, help="where the JSON goes")
    args = parser.parse_args(argv)
    db = sqlite3.connect(f"file:{args.index}?mode=ro", uri=True)
    found = dump(db)
    args.out.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(f"{args.out}: {len(found)} recordings, {sum(len(v['tracks']) for v in found.values())} tracks, "
          f"{sum(len(v['moments']) for v in found.values())} moments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
