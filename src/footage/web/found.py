"""The search page: the query as footage understood it, and the results as cards."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import tzinfo

from footage.pipeline.embeddings import embed_missing
from footage.pipeline.search import EXAMPLES, SearchRequest, search_index
from footage.search.params import SearchParams
from footage.search.semantic import Embedder
from footage.store.moments import get_moment
from footage.web.views import MomentCard, moment_card

__all__ = ["Found", "SearchView", "search_view"]


@dataclass(frozen=True)
class Found:
    """One result: the moment, its rank (``score``, 0-1) and ids of near-duplicates folded in."""

    score: float
    moment: MomentCard
    merged: tuple[int, ...]


@dataclass(frozen=True)
class SearchView:
    """``understood`` is the query as footage read it (``2 x person, together, yesterday``)."""

    query: str
    understood: str
    results: tuple[Found, ...]
    notes: tuple[str, ...]
    examples: tuple[str, ...]


def search_view(
    conn: sqlite3.Connection, text: str, *, camera: str | None, limit: int, params: SearchParams, zone: tzinfo,
    embedder: Embedder | None,
) -> SearchView:
    """Raises :class:`~footage.errors.QueryError` for an empty search or an unknown camera."""
    if embedder is not None:
        embed_missing(conn, embedder)
    report = search_index(conn, SearchRequest(text, limit, camera), params=params, zone=zone, embedder=embedder)
    results = []
    for result in report.results:
        moment = get_moment(conn, result.id)
        if moment is not None:
            results.append(Found(round(result.score, 3), moment_card(moment, zone), result.merged))
    return SearchView(query=text, understood=report.query.summary(), results=tuple(results), notes=report.notes,
                      examples=tuple(e.strip('"') for e in EXAMPLES))
