"""Split a query into lowercase word tokens, keeping times and dates whole.

``"Between 3 and 5pm, 2026-11-20"`` -> ``["between", "3", "and", "5pm", "2026-11-20"]``;
``"walks up to"`` -> ``["walks", "up", "to"]``; ``"o'clock"`` stays one token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["phrase_starts", "token_at", "tokenize"]

_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}"            # ISO date
    r"|\d{1,2}[:.]\d{2}(?:am|pm)?"  # 17:30, 5.30pm
    r"|\d+(?:am|pm|h|s|m|min|mins|st|nd|rd|th)\b"  # 3pm, 10min, 2nd
    r"|\d+(?:\.\d+)?"               # numbers
    r"|[a-z]+(?:'[a-z]+)?"          # words, o'clock, don't
)


def tokenize(text: str) -> list[str]:
    """The query's tokens, lowercased, punctuation dropped."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def token_at(tokens: Sequence[str], i: int) -> str:
    """The token at ``i``, or "" past either end: phrase readers look ahead and behind freely."""
    return tokens[i] if 0 <= i < len(tokens) else ""


def phrase_starts(t: Sequence[str], i: int, prefixes: set[str]) -> list[int]:
    """Where a phrase may start: at ``i``, after a prefix word there, and after a "the" that follows."""
    out, j = [i], i
    if token_at(t, j) in prefixes:
        j += 1
        out.append(j)
    if token_at(t, j) == "the":
        out.append(j + 1)
    return out
