"""Search quality gate on the shared real footage (marked slow; CI runs it): the labelled
queries of ``tests/search_queries.json`` against an index of ``../shared/footage``.

The issue's target is recall@5 >= 0.8; the gates sit just under what was measured (recall@5
0.99, MRR 0.94, every must-find-nothing query empty), so a change that makes search worse fails.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from footage.config import Settings
from footage.detect import Detector
from footage.pipeline.index import index_paths
from footage.pipeline.search_quality import evaluate_queries
from footage.search.evaluate import load_queries
from footage.store.database import connect

pytestmark = pytest.mark.slow

QUERIES = Path(__file__).with_name("search_queries.json")


def test_labelled_queries_find_their_moments(shared_footage: Path, detector: Detector, tmp_path: Path) -> None:
    settings = Settings(timezone="UTC")
    db = tmp_path / "index.sqlite"
    report = index_paths([shared_footage], db_path=db, detector=detector, settings=settings)
    assert not report.problems
    queries = load_queries(QUERIES)
    assert len(queries) >= 30 and sum(1 for q in queries if not q.expect) >= 5
    conn = connect(db, create=False)
    try:
        quality = evaluate_queries(conn, queries, params=settings.search, zone=UTC)
    finally:
        conn.close()
    misses = [(o.query.text, o.ranks) for o in quality.outcomes if o.query.expect and o.recall_at(5) < 1]
    assert quality.recall_at_k >= 0.9, misses
    assert quality.mrr >= 0.85, misses
    assert quality.empty_correct == quality.empty_total, [o.query.text for o in quality.outcomes
                                                          if not o.query.expect and o.returned]
