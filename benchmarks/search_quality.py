"""How well does search find the moments people describe? recall@5 and mean reciprocal rank.

The labelled set is ``tests/search_queries.json``: queries written the way people talk, each
with the moments of the shared real clips it should find (by file and a media time inside the
moment), and queries that must find nothing. The clips are indexed with the default settings
and the timezone UTC (the set's times are UTC); each query is asked at its own "now".

Prints one row per query and the means, and writes ``benchmarks/out/search_quality.json``.

    python benchmarks/search_quality.py                    # index ../shared/footage into a temporary folder
    python benchmarks/search_quality.py --db index.sqlite  # reuse an index of ../shared/footage
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC
from pathlib import Path

from footage.cli.render import table
from footage.config import Settings
from footage.detect import load_detector
from footage.pipeline.index import index_paths
from footage.pipeline.search_quality import evaluate_queries
from footage.search.evaluate import QualityReport, load_queries
from footage.store.database import connect

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "footage"
QUERIES = REPO / "tests" / "search_queries.json"


def run(db: Path | None, scratch: Path) -> QualityReport:
    """Index the shared footage (unless ``db`` holds it) and score the labelled queries."""
    settings = Settings(timezone="UTC")
    if db is None:
        db = scratch / "index.sqlite"
        index_paths([SHARED], db_path=db, detector=load_detector(settings.detect), settings=settings)
    conn = connect(db, create=False)
    try:
        return evaluate_queries(conn, load_queries(QUERIES), params=settings.search, zone=UTC)
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an index of ../shared/footage made with timezone UTC")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"needs the shared footage at {SHARED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        report = run(args.db, Path(scratch))
    rows = [
        (o.query.text[:60], len(o.query.expect), o.returned,
         " ".join("-" if r is None else str(r) for r in o.ranks) or "(none expected)",
         f"{o.recall_at(report.k):.2f}" if o.query.expect else ("ok" if o.returned == 0 else "FOUND"),
         f"{o.reciprocal_rank:.2f}" if o.query.expect else "")
        for o in report.outcomes
    ]
    print(table(("query", "expected", "returned", "ranks of expected", f"recall@{report.k}", "RR"), rows))
    print(f"\nrecall@{report.k} {report.recall_at_k:.3f}, MRR {report.mrr:.3f} over "
          f"{sum(1 for o in report.outcomes if o.query.expect)} queries; must-find-nothing queries that found nothing: "
          f"{report.empty_correct}/{report.empty_total}; target recall@5 >= 0.8")
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "search_quality.json").write_text(json.dumps({
        "recall_at_5": report.recall_at_k, "mrr": report.mrr, "empty_correct": report.empty_correct,
        "empty_total": report.empty_total,
        "queries": [{"query": o.query.text, "expected": len(o.query.expect), "returned": o.returned, "ranks": list(o.ranks)}
                    for o in report.outcomes],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
