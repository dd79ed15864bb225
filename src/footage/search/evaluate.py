"""Score search against a labelled query set: recall@k, mean reciprocal rank, and whether the
queries that must find nothing do.

Pure: the caller runs the searches and passes, per query, the results as ``(file name, start_s,
end_s)`` best first. An expected moment is named by its file and a media time inside it, so the
labels survive re-indexing (moment ids do not); a result finds it when it is of that file and
spans that time (one second of slack either side).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["Expected", "LabelledQuery", "QualityReport", "QueryOutcome", "judge", "load_queries", "summarise"]

_SLACK_S = 1.0


@dataclass(frozen=True)
class Expected:
    """A moment a query should find: the recording's file name and a media time in it."""

    file: str
    at_s: float


@dataclass(frozen=True)
class LabelledQuery:
    """A query, the moments it should find (none: it must find nothing), and when it is asked."""

    text: str
    expect: tuple[Expected, ...]
    now: datetime | None = None


@dataclass(frozen=True)
class QueryOutcome:
    """Where each expected moment came (1-based rank, None if not returned) and how many
    results there were."""

    query: LabelledQuery
    ranks: tuple[int | None, ...]
    returned: int

    def recall_at(self, k: int) -> float:
        """Share of the expected moments in the first ``k`` (of at most ``k`` that could be)."""
        found = sum(1 for r in self.ranks if r is not None and r <= k)
        return found / min(len(self.ranks), k)

    @property
    def reciprocal_rank(self) -> float:
        ranks = [r for r in self.ranks if r is not None]
        return 1.0 / min(ranks) if ranks else 0.0


@dataclass(frozen=True)
class QualityReport:
    """Means over the queries with expected moments, and the share of must-find-nothing queries
    that found nothing."""

    outcomes: tuple[QueryOutcome, ...]
    k: int
    recall_at_k: float
    mrr: float
    empty_correct: int
    empty_total: int


def load_queries(path: Path) -> list[LabelledQuery]:
    """The labelled queries of a JSON file like ``tests/search_queries.json``."""
    data = json.loads(Path(path).read_text("utf-8"))
    return [
        LabelledQuery(
            text=item["query"],
            expect=tuple(Expected(str(file), float(at)) for file, at in item["expect"]),
            now=datetime.fromisoformat(item["now"].replace("Z", "+00:00")) if item.get("now") else None,
        )
        for item in data["queries"]
    ]


def judge(query: LabelledQuery, results: Sequence[tuple[str, float, float]]) -> QueryOutcome:
    """Rank of each expected moment among ``results`` (file name, start_s, end_s; best first)."""
    ranks = tuple(
        next((n for n, (file, start, end) in enumerate(results, 1)
              if file == expected.file and start - _SLACK_S <= expected.at_s <= end + _SLACK_S), None)
        for expected in query.expect
    )
    return QueryOutcome(query, ranks, len(results))


def summarise(outcomes: Sequence[QueryOutcome], k: int = 5) -> QualityReport:
    """recall@k and MRR over the queries that expect moments; the empty ones are counted apart."""
    scored = [o for o in outcomes if o.query.expect]
    empty = [o for o in outcomes if not o.query.expect]
    return QualityReport(
        outcomes=tuple(outcomes), k=k,
        recall_at_k=sum(o.recall_at(k) for o in scored) / len(scored) if scored else 0.0,
        mrr=sum(o.reciprocal_rank for o in scored) / len(scored) if scored else 0.0,
        empty_correct=sum(1 for o in empty if o.returned == 0), empty_total=len(empty),
    )
