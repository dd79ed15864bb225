"""Search wired together: parse the query, ask the store for candidates and text similarity,
add embedding similarity when a model is configured, rank, merge near-duplicates, cut."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from footage.config import Settings
from footage.errors import QueryError
from footage.pipeline.embeddings import embed_missing, load_embedder
from footage.search.params import SearchParams
from footage.search.query import ParsedQuery, parse_query
from footage.search.rank import Ranked, merge_duplicates, rank
from footage.search.semantic import Embedder, similarity
from footage.store import embeddings as stored_vectors
from footage.store.database import connect
from footage.store.search import CandidateQuery, camera_names, find_candidates, text_similarity
from footage.time import utc_to_us

__all__ = ["EXAMPLES", "SEMANTIC_OFF", "SearchReport", "SearchRequest", "SearchResult", "search_index", "search_moments"]

EXAMPLES = ('"two people together"', '"a car that stopped yesterday evening"', '"someone lingering this morning"',
            '"a person walking up to another"')

SEMANTIC_OFF = ("semantic search is off: with an ONNX text-embedding model (and optionally an image-text one) set in "
                "[search] of the settings, footage would also match words it does not know and what key frames "
                "look like; see docs/search.md")


@dataclass(frozen=True)
class SearchRequest:
    """A search: the words, how many results, and optional camera and start filters."""

    text: str
    limit: int = 10
    camera: str | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class SearchResult:
    """One answer: a moment (``id`` as in ``footage show``), how well it matches (``score``, and
    ``match``, the structured part alone; ``semantic``, the embedding similarity when a model is
    configured), its notability, and moments merged into it."""

    id: int
    kind: str
    camera: str
    recording: str
    start_utc: datetime
    end_utc: datetime
    start_s: float
    end_s: float
    description: str
    score: float
    match: float | None
    semantic: float | None
    notability: float
    thumbnail: str | None
    merged: tuple[int, ...]


@dataclass(frozen=True)
class SearchReport:
    """The query as understood, the results best first, and notes for the user."""

    query: ParsedQuery
    results: tuple[SearchResult, ...]
    notes: tuple[str, ...]
    semantic: bool


def _candidate_query(query: ParsedQuery, request: SearchRequest, params: SearchParams, extra: tuple[int, ...]) -> CandidateQuery:
    labels = sorted({label for term in query.objects for label in term.sense.labels})
    starts = (request.since, query.when.start_utc if query.when is not None else None)
    since = [utc_to_us(t) for t in starts if t is not None]
    until = query.when.end_utc if query.when is not None else None
    return CandidateQuery(
        cameras=(request.camera,) if request.camera else query.cameras,  # --camera wins over names in the words
        since_us=max(since) if since else None,
        until_us=utc_to_us(until) if until is not None else None,
        min_duration_s=query.duration.min_s if query.duration is not None else None,
        kinds=tuple(sorted({kind for sense in query.kinds for kind in sense.kinds})),
        labels=tuple(label for label in labels if label != "person" or not query.kinds),
        nearby_labels=tuple(label for label in labels if label != "person"),
        extra_ids=extra,
        exact_kinds=tuple(tuple(sorted(k for k, fit in sense.kinds.items() if fit == 1.0)) for sense in query.kinds),
        exact_labels=tuple(tuple(sorted(k for k, fit in t.sense.labels.items() if fit == 1.0)) for t in query.objects),
        colours=tuple(tuple(sorted(k for k, fit in c.fits.items() if fit == 1.0)) for c in query.colours if c.part != "body"),
        postures=query.postures,
        gestures=query.gestures,
        limit=params.candidate_limit,
    )


def search_index(
    conn: sqlite3.Connection,
    request: SearchRequest,
    *,
    params: SearchParams,
    zone: tzinfo,
    now: datetime | None = None,
    embedder: Embedder | None = None,
) -> SearchReport:
    """Answer ``request`` from the index behind ``conn`` (read only). Raises :class:`QueryError`
    for an empty search or an unknown camera; words that mean nothing give no results and a note."""
    cameras = camera_names(conn)
    if request.camera is not None and request.camera not in cameras:
        raise QueryError(f"no camera named {request.camera!r} in the index; cameras: {', '.join(cameras) or 'none yet'}")
    query = parse_query(request.text, now or datetime.now(UTC), zone, cameras)
    if query.is_empty:
        said = request.text.strip()
        hint = "empty search" if not said else f"nothing in {said!r} means something to search"
        raise QueryError(f"{hint}; describe the moment, e.g. {', '.join(EXAMPLES)}")
    notes = [] if embedder is not None else [SEMANTIC_OFF]
    texts = text_similarity(conn, query.words, params.candidate_limit)
    semantic: dict[int, float] = {}
    if embedder is not None:
        ids, vectors = stored_vectors.load(conn, embedder.model_id)
        semantic = similarity(embedder.embed_texts([request.text])[0], ids, vectors)
    best_semantic = sorted(semantic, key=lambda i: -semantic[i])[: params.semantic_candidates]
    structured = bool(query.objects or query.kinds)
    if not (structured or query.when or query.duration or query.cameras or texts or best_semantic):
        return SearchReport(query, (), (_not_understood(query), *notes), embedder is not None)  # nothing to look for
    extra = tuple(best_semantic) if structured else tuple(sorted({*texts, *best_semantic}))
    candidates = find_candidates(conn, _candidate_query(query, request, params, extra))
    ranked = rank(query, candidates, params, zone, texts, semantic if embedder is not None else None)
    ranked = merge_duplicates(ranked, params.duplicate_gap_s)[: request.limit]
    if not ranked and query.unknown and not structured:
        notes.insert(0, _not_understood(query))
    return SearchReport(query, tuple(_result(r) for r in ranked), tuple(notes), embedder is not None)


def _not_understood(query: ParsedQuery) -> str:
    return (f"no moment matches; footage did not understand {', '.join(query.unknown)}; "
            f"try words like {', '.join(EXAMPLES)}")


def _result(ranked: Ranked) -> SearchResult:
    c = ranked.candidate
    return SearchResult(
        id=c.moment_id, kind=c.kind, camera=c.camera, recording=c.recording,
        start_utc=c.start_utc, end_utc=c.end_utc,
        start_s=c.start_s, end_s=c.end_s, description=c.description, score=ranked.score, match=ranked.match,
        semantic=ranked.semantic, notability=c.notability, thumbnail=c.keyframe, merged=ranked.merged,
    )


def search_moments(
    db_path: Path,
    text: str,
    *,
    limit: int = 10,
    camera: str | None = None,
    since: datetime | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
    show_progress: bool = False,
) -> SearchReport:
    """Search the index at ``db_path`` for moments matching ``text`` (see docs/search.md). With a
    model in ``settings.search``, moments without vectors are embedded first."""
    settings = settings or Settings()
    embedder = load_embedder(settings.search)
    conn = connect(db_path, create=False)
    try:
        if embedder is not None:
            embed_missing(conn, embedder, show_progress=show_progress)
        return search_index(conn, SearchRequest(text, limit, camera, since), params=settings.search,
                            zone=settings.zone(), now=now, embedder=embedder)
    finally:
        conn.close()
