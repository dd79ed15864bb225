"""Split a query into lowercase word tokens, keeping times and dates whole.

``"Between 3 and 5pm, 2026-11-20"`` -> ``["between", "3", "and", "5pm", "2026-11-20"]``;
``"walks up to"`` -> ``["walks", "up", "to"]``; ``"o'clock"`` stays one token.
"""

from __future__ import annotations

import re

__all__ = ["tokenize"]

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
