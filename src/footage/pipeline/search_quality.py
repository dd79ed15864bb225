"""Run a labelled query set against an index and score it (benchmarks/search_quality.py and
tests/test_search_quality.py both use this)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path

from footage.pipeline.search import SearchRequest, search_index
from footage.search.evaluate import LabelledQuery, QualityReport, judge, summarise
from footage.search.params import SearchParams

__all__ = ["evaluate_queries"]


def evaluate_queries(conn: sqlite3.Connection, queries: Sequence[LabelledQuery], *, params: SearchParams, zone: tzinfo,
                     k: int = 5) -> QualityReport:
    """Search each query (at its own ``now``), keep the first ``k`` results, and score them."""
    outcomes = []
    for query in queries:
        report = search_index(conn, SearchRequest(query.text, limit=k), params=params, zone=zone, now=query.now)
        outcomes.append(judge(query, [(Path(r.recording).name, r.start_s, r.end_s) for r in report.results]))
    return summarise(outcomes, k)
