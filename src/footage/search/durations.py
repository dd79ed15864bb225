"""How long something lasted, read out of query tokens: "for more than 10 minutes", "under 30 s".

Rules:

* An *amount* is a number and a unit. Numbers: digits ("10", "1.5"), number words "one" .. "twenty", "thirty",
  "forty", "fifty", "sixty" and pairs like "forty five", "a"/"an" (one), "half a"/"half an" (a half), with an
  optional "and a half" before or after the unit. Units: s/sec/secs/second(s), m/min/mins/minute(s), h/hr/hrs/hour(s).
  Glued tokens such as "10min", "30s", "2h" are amounts too.
* "more than", "longer than", "greater than", "over", "at least" + amount give a lower bound; "less than",
  "shorter than", "under", "at most", "no more than", "no longer than", "up to" + amount an upper bound.
* "between 5 and 10 minutes", "from 5 to 10 minutes", "5-10 minutes" give both bounds; the unit of the second
  number applies to the first. Without a unit ("between 3 and 5 pm") it is a clock time, not a duration.
* A plain "for 20 minutes" means about that long: at least 0.8 x the amount (">= 16 min").
* Vague amounts: "for seconds" / "for a few seconds" >= 2 s; "for minutes", "for several minutes",
  "for a few minutes" >= 2 min ("for a while" is no bound:
  search reads it as lingering); "for a long time", "a long while", "for long", "for ages" >= 5 min;
  "for hours" >= 1 h.
* A bare amount with no "for" or comparator ("loitering 10 minutes") reads like "for"; it must start with digits
  or a number word, must not use a one-letter unit ("5 m" may be metres), and is left alone after
  last/past/next/within/every/in/the/after/before/since or before "ago": those name a time window.

Labels: ">= 10 min", "< 1 min", "5-10 min"; seconds below a minute ("30 s"), minutes below an hour ("16 min",
"1.5 min"), hours and whole minutes from an hour up ("1 h", "1 h 30 min").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from footage.search.tokens import token_at

__all__ = ["UNIT_SECONDS", "DurationBound", "find_duration", "format_seconds", "read_amount"]

UNIT_SECONDS: Mapping[str, float] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
}
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_WORDS = {word: float(k) for k, word in enumerate(_ONES, start=1)} | {
    "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0}
_TENS = ("twenty", "thirty", "forty", "fifty")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_GLUED = re.compile(r"(\d+)(s|m|h|min|mins)")
_HALF = ["and", "a", "half"]
_LOWER = (("more", "than"), ("longer", "than"), ("greater", "than"), ("over",), ("at", "least"))
_UPPER = (("no", "more", "than"), ("no", "longer", "than"), ("less", "than"), ("shorter", "than"), ("under",),
          ("at", "most"), ("up", "to"))
_QUALIFIERS = (("a", "few"), ("a", "couple", "of"), ("several",), ("some",), ("many",), ("few",), ())
_VAGUE = {"seconds": 2.0, "minutes": 120.0, "hours": 3600.0}
_LONG = ((("a", "long", "time"), True, 300.0), (("a", "long", "while"), True, 300.0), (("long",), False, 300.0),
         (("ages",), False, 300.0))
_NOT_AFTER = {"last", "past", "next", "within", "every", "in", "the", "after", "before", "since"}


@dataclass(frozen=True)
class DurationBound:
    """How long the thing went on, in seconds; either bound may be open (``None``)."""

    min_s: float | None
    max_s: float | None
    label: str


def _num(x: float) -> str:
    return f"{round(x, 1):g}"


def format_seconds(seconds: float) -> str:
    """``"30 s"``, ``"16 min"``, ``"1 h 30 min"``, ``"3 days"``: the unit the label rules above pick."""
    if seconds < 60:
        return f"{_num(seconds)} s"
    if seconds < 3600:
        return f"{_num(seconds / 60)} min"
    if seconds >= 172800 and seconds % 86400 == 0:
        days = int(seconds // 86400)
        return f"{days} days"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h" if minutes == 0 else f"{hours} h {minutes} min"


def _read_number(tokens: Sequence[str], i: int) -> tuple[float, int] | None:
    tok = token_at(tokens, i)
    if _DIGITS.fullmatch(tok):
        return float(tok), i + 1
    if tok in _WORDS:
        nxt = token_at(tokens, i + 1)
        if tok in _TENS and nxt in _ONES[:9]:
            return _WORDS[tok] + _WORDS[nxt], i + 2
        return _WORDS[tok], i + 1
    if tok in ("a", "an"):
        return 1.0, i + 1
    if tok == "half" and token_at(tokens, i + 1) in ("a", "an"):
        return 0.5, i + 2
    return None


def read_amount(tokens: Sequence[str], i: int, *, strict: bool = False,
                units: Mapping[str, float] = UNIT_SECONDS) -> tuple[float, float, int] | None:
    """The amount at ``tokens[i]`` as (number, seconds per unit, index after it), or None.

    ``strict`` is for amounts with no cue word before them: digits or number words only, no one-letter units.
    """
    glued = _GLUED.fullmatch(token_at(tokens, i))
    if glued:
        if strict and glued[2] in ("s", "m"):
            return None
        return float(glued[1]), UNIT_SECONDS[glued[2]], i + 1
    number = _read_number(tokens, i)
    if number is None or (strict and tokens[i] in ("a", "an", "half")):
        return None
    value, j = number
    if list(tokens[j:j + 3]) == _HALF:
        value, j = value + 0.5, j + 3
    unit = units.get(token_at(tokens, j))
    if unit is None or (strict and len(tokens[j]) == 1):
        return None
    j += 1
    if list(tokens[j:j + 3]) == _HALF:
        value, j = value + 0.5, j + 3
    return value, unit, j


def _starts_with(tokens: Sequence[str], i: int, words: tuple[str, ...]) -> bool:
    return tuple(tokens[i:i + len(words)]) == words


def _bound(lo: float | None, hi: float | None) -> DurationBound:
    lo = None if lo is None else round(lo, 3)
    hi = None if hi is None else round(hi, 3)
    if lo is not None and hi is not None:
        lo, hi = min(lo, hi), max(lo, hi)
        if lo >= 60 and hi < 3600:
            label = f"{_num(lo / 60)}-{_num(hi / 60)} min"
        elif hi < 60:
            label = f"{_num(lo)}-{_num(hi)} s"
        else:
            label = f"{format_seconds(lo)} - {format_seconds(hi)}"
    else:
        label = f">= {format_seconds(lo)}" if lo is not None else f"< {format_seconds(hi or 0.0)}"
    return DurationBound(lo, hi, label)


def _range(tokens: Sequence[str], i: int) -> tuple[DurationBound, int] | None:
    lead = token_at(tokens, i) in ("between", "from")
    j = i + 1 if lead else i
    first = _read_number(tokens, j)
    if first is None or tokens[j] in ("a", "an", "half"):
        return None
    sep = token_at(tokens, first[1])
    k = first[1] + 1 if sep in ("and", "to") else first[1]
    if (sep == "and" and token_at(tokens, i) != "between") or (k == first[1] and not tokens[j].isdigit()):
        return None
    second = read_amount(tokens, k)
    if second is None:
        return None
    return _bound(first[0] * second[1], second[0] * second[1]), second[2]


def _vague(tokens: Sequence[str], i: int) -> tuple[DurationBound, int] | None:
    for words in _QUALIFIERS:
        unit = token_at(tokens, i + len(words))
        if _starts_with(tokens, i, words) and unit in _VAGUE:
            return _bound(_VAGUE[unit], None), i + len(words) + 1
    return None


def _at(tokens: Sequence[str], i: int) -> tuple[DurationBound, int] | None:
    lead = token_at(tokens, i) in ("for", "lasting")
    j = i + 1 if lead else i
    for words, is_lower in [(w, True) for w in _LOWER] + [(w, False) for w in _UPPER]:
        if _starts_with(tokens, j, words):
            amount = read_amount(tokens, j + len(words))
            if amount is not None:
                seconds = amount[0] * amount[1]
                return _bound(seconds, None) if is_lower else _bound(None, seconds), amount[2]
    found = _range(tokens, j)
    if found is not None:
        return found
    for words, bare_ok, seconds in _LONG:
        if (lead or bare_ok) and _starts_with(tokens, j, words):
            return _bound(seconds, None), j + len(words)
    if lead:
        found = _vague(tokens, j)
        if found is not None:
            return found
    if not lead and token_at(tokens, i - 1) in _NOT_AFTER:
        return None
    amount = read_amount(tokens, j, strict=not lead)
    if amount is None or token_at(tokens, amount[2]) == "ago":
        return None
    return _bound(0.8 * amount[0] * amount[1], None), amount[2]


def find_duration(tokens: Sequence[str]) -> tuple[DurationBound | None, frozenset[int]]:
    """The duration constraint ("for more than 10 minutes") and the token positions it used.

    The first phrase from the left wins; ``(None, frozenset())`` when there is none.
    """
    for i in range(len(tokens)):
        found = _at(tokens, i)
        if found is not None:
            return found[0], frozenset(range(i, found[1]))
    return None, frozenset()
