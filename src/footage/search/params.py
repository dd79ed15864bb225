"""Search settings (the ``[search]`` table of the settings file, see docs/config.md)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SearchParams"]


@dataclass(frozen=True)
class SearchParams:
    """How results are ranked, merged and cut, and the optional embedding models.

    A result's rank is ``structure_weight * structured match + text_weight * text similarity +
    semantic_weight * semantic similarity + notability_weight * notability``, each part in 0..1.
    Model paths are empty when no model is configured (the default)."""

    structure_weight: float = 0.65
    text_weight: float = 0.25
    semantic_weight: float = 0.3
    notability_weight: float = 0.1
    min_match: float = 0.5
    nearby_fit: float = 0.4
    duplicate_gap_s: float = 5.0
    candidate_limit: int = 500
    semantic_candidates: int = 50
    min_semantic: float = 0.5
    text_model: str = ""
    vocab: str = ""
    image_model: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.min_match <= 1:
            raise ValueError(f"min_match must be in (0, 1], got {self.min_match}")
        if self.candidate_limit < 1 or self.semantic_candidates < 0:
            raise ValueError("candidate_limit must be at least 1 and semantic_candidates at least 0")
        if self.image_model and not self.text_model:
            raise ValueError("image_model needs a text_model in the same embedding space (the query is text)")
        if self.text_model and not self.vocab:
            raise ValueError("text_model needs vocab: the WordPiece vocab.txt that came with the model")
