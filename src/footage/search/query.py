"""Understand a plain-language query: which objects, how many people, what happened, for how
long, when and on which camera, and which words were not understood.

Pure: the caller passes the current time, the zone for day words and the camera names in the
index. The result reads back as a line ("understood as: person + person (child), together,
>= 10 min, yesterday 17:00-21:00, camera front_door; not understood: curb").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from footage.search.durations import DurationBound, find_duration
from footage.search.tokens import tokenize
from footage.search.when import When, find_when
from footage.search.words import (
    COLOUR_PHRASES,
    COUNT_WORDS,
    GARMENT_PHRASES,
    GESTURE_PHRASES,
    KIND_PHRASES,
    NUMBER_WORDS,
    OBJECT_PHRASES,
    PLACE_PHRASES,
    POSTURE_PHRASES,
    STOP_WORDS,
    WEARING_WORDS,
    KindSense,
    ObjectSense,
    phrases_at,
)

__all__ = ["ColourTerm", "ObjectTerm", "ParsedQuery", "parse_query"]

#: "with" between two people means they were together; a child with an adult is its own kind
_WITH = KindSense("with", {"together": 1.0, "adult_with_child": 1.0, "approached": 0.6, "played_catch": 0.5,
                           "handed_over": 0.5})
_WITH_CHILD = KindSense("adult with child", {"adult_with_child": 1.0, "together": 0.9, "approached": 0.5})


_PERSON_LABELS: Mapping[str, float] = {"person": 1.0}
#: words that only say a colour is worn: understood, nothing to match
_WEARING = WEARING_WORDS - STOP_WORDS - {"with"}


@dataclass(frozen=True)
class ObjectTerm:
    """One thing the query names, with how many of it (``count``: at least that many)."""

    word: str
    sense: ObjectSense
    count: int = 1

    @property
    def is_person(self) -> bool:
        return "person" in self.sense.labels

    def reads(self) -> str:
        attribute = f" ({self.sense.attribute})" if self.sense.attribute else ""
        base = "person" if self.is_person else self.sense.name
        return f"{self.count} x {base}{attribute}" if self.count > 1 else f"{base}{attribute}"


@dataclass(frozen=True)
class ColourTerm:
    """A colour the query says something had: ``fits`` the stored colour names it stands for,
    ``part`` where it is read (``upper`` and ``lower`` clothing, ``any`` of the two, or a
    vehicle's ``body``), ``labels`` the detector labels of the thing that had it."""

    word: str
    fits: Mapping[str, float]
    part: str
    labels: Mapping[str, float]

    def reads(self) -> str:
        where = {"upper": " top", "lower": " trousers", "any": " clothes", "body": ""}[self.part]
        return f"wearing {self.word}{where}" if self.part != "body" else f"{self.word} vehicle"


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for. ``objects`` must all be seen; ``kinds`` say what should have
    happened (alternatives with how well they fit); ``words`` are the words for text similarity
    (those of actions and the ones not understood: objects are matched by label, and every
    description names them); ``unknown`` those footage did not understand at all."""

    text: str
    objects: tuple[ObjectTerm, ...]
    kinds: tuple[KindSense, ...]
    duration: DurationBound | None
    when: When | None
    cameras: tuple[str, ...]
    words: tuple[str, ...]
    unknown: tuple[str, ...]
    understood: int
    #: colours named for people's clothes or a vehicle
    colours: tuple[ColourTerm, ...] = ()
    #: postures someone in the moment should have been in (:data:`footage.people.posture.POSTURES`)
    postures: tuple[str, ...] = ()
    #: gestures someone in the moment should have made (:data:`footage.people.gestures.GESTURES`)
    gestures: tuple[str, ...] = ()

    @property
    def people(self) -> int:
        """How many people the query needs at least."""
        return sum(term.count for term in self.objects if term.is_person)

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no word understood and no content word left."""
        return not (self.objects or self.kinds or self.duration or self.when or self.cameras or self.words
                    or self.colours or self.postures or self.gestures)

    @property
    def understood_ratio(self) -> float:
        """Share of the query's meaningful words that were understood (1.0 when all were)."""
        total = self.understood + len(self.unknown)
        return 1.0 if total == 0 else self.understood / total

    def summary(self) -> str:
        """How the query was understood, for showing back to the user."""
        parts = [" + ".join(term.reads() for term in self.objects)] if self.objects else []
        parts += [term.reads() for term in self.colours]
        parts += [sense.name for sense in self.kinds]
        parts += [posture for posture in self.postures if posture not in " ".join(s.name for s in self.kinds)]
        parts += [gesture.replace("_", " ") for gesture in self.gestures]
        if self.duration:
            parts.append(self.duration.label)
        if self.when:
            parts.append(self.when.label)
        parts += [f"camera {name}" for name in self.cameras]
        line = ", ".join(p for p in parts if p) or "no known words"
        if self.unknown:
            line += f"; not understood: {', '.join(self.unknown)}"
        return line


def parse_query(text: str, now: datetime, zone: tzinfo, cameras: Sequence[str] = ()) -> ParsedQuery:
    """Read ``text``: time and duration phrases first, then camera names, object and kind
    phrases (longest first), counts; stop words are dropped and anything else is unknown."""
    tokens = tokenize(text)
    when, used_when = find_when(tokens, now, zone)
    duration, used_duration = find_duration(tokens)
    used = set(used_when) | set(used_duration)
    understood = len(used)
    camera_hits, used_cameras = _find_cameras(tokens, used, cameras)
    used |= used_cameras
    understood += len(used_cameras)

    objects: list[ObjectTerm] = []
    colours: list[ColourTerm] = []
    postures: list[str] = []
    gestures: list[str] = []
    kinds: list[KindSense] = []
    words: list[str] = []
    unknown: list[str] = []
    pending_count: int | None = None
    after_with = False  # "with" seen since the last object
    i = 0
    while i < len(tokens):
        if i in used:
            i += 1
            continue
        token = tokens[i]
        place = phrases_at(tokens, i, PLACE_PHRASES)
        if place:  # where it happened: footage cannot see places, so the words are not understood
            unknown.append(" ".join(place))
            words += place
            i += len(place)
            continue
        object_phrase = phrases_at(tokens, i, OBJECT_PHRASES)
        kind_phrase = phrases_at(tokens, i, KIND_PHRASES)
        colour = _colour_at(tokens, i, objects)
        if colour is not None:
            term, size = colour
            colours.append(term)
            understood += size
            i += size
            continue
        body = _body_at(tokens, i, max(len(kind_phrase or ()), len(object_phrase or ())))
        if body is not None:  # a posture or a gesture
            table, phrase, name = body
            found = postures if table is POSTURE_PHRASES else gestures
            if name not in found:
                found.append(name)
            if not kind_phrase:  # else the kind phrase below reads the words too
                understood += len(phrase)
                i += len(phrase)
                continue
        if object_phrase and (not kind_phrase or len(object_phrase) >= len(kind_phrase)):
            sense = OBJECT_PHRASES[object_phrase]
            count = pending_count or (2 if sense.plural else 1)
            if after_with and any(t.is_person for t in objects) and "person" in sense.labels:
                kinds.append(_WITH_CHILD if sense.child or any(t.sense.child for t in objects) else _WITH)
            objects.append(ObjectTerm(" ".join(object_phrase), sense, count))
            pending_count, after_with = None, False
            understood += len(object_phrase)
            i += len(object_phrase)
            continue
        if kind_phrase:
            if kind_phrase[0] in COUNT_WORDS:  # "a group" is also at least three people
                pending_count = max(pending_count or 0, COUNT_WORDS[kind_phrase[0]])
            if KIND_PHRASES[kind_phrase] not in kinds:
                kinds.append(KIND_PHRASES[kind_phrase])
            words += kind_phrase
            understood += len(kind_phrase)
            i += len(kind_phrase)
            continue
        if token in NUMBER_WORDS or token.isdigit():
            pending_count = NUMBER_WORDS.get(token) or min(int(token), 50)
            understood += 1
        elif token in COUNT_WORDS:
            pending_count = max(pending_count or 0, COUNT_WORDS[token])
            understood += 1
        elif token == "with":
            after_with = True
        elif token in _WEARING:
            understood += 1
        elif token not in STOP_WORDS:
            unknown.append(token)
            words.append(token)
        i += 1
    if pending_count:  # a count after the people it counts: "people ... in a group", "the two of them"
        people = [n for n, t in enumerate(objects) if t.is_person]
        if not people:
            objects.append(ObjectTerm("people", OBJECT_PHRASES[("people",)], pending_count))
        elif objects[people[-1]].count < pending_count:
            last = objects[people[-1]]
            objects[people[-1]] = ObjectTerm(last.word, last.sense, pending_count)
    about_people = bool(postures or gestures) or any(c.part != "body" for c in colours)
    if about_people and not any(t.is_person for t in objects):
        objects.append(ObjectTerm("person", OBJECT_PHRASES[("person",)]))  # "someone in red" without the someone
    return ParsedQuery(
        text=text, objects=tuple(_merge_people(objects)), kinds=tuple(_child_hint(objects, kinds)),
        duration=duration, when=when, cameras=tuple(camera_hits), words=tuple(dict.fromkeys(words)),
        unknown=tuple(dict.fromkeys(unknown)), understood=understood, colours=tuple(colours), postures=tuple(postures),
        gestures=tuple(gestures),
    )


def _body_at(tokens: Sequence[str], i: int, other: int) -> tuple[Mapping[tuple[str, ...], str], tuple[str, ...], str] | None:
    """The posture or gesture phrase at ``tokens[i]`` (the longer; a posture on a tie), when it
    is at least ``other`` tokens long (the object or kind phrase there)."""
    found = [(table, phrase) for table in (POSTURE_PHRASES, GESTURE_PHRASES)
             if (phrase := phrases_at(tokens, i, table)) is not None and len(phrase) >= other]
    if not found:
        return None
    table, phrase = max(found, key=lambda item: len(item[1]))
    return table, phrase, table[phrase]


def _colour_at(tokens: Sequence[str], i: int, before: Sequence[ObjectTerm]) -> tuple[ColourTerm, int] | None:
    """A colour phrase at ``tokens[i]`` with the garment after it, and how many tokens it takes:
    "a red shirt" is a person's top, "a white van" a vehicle's body, "the boy in blue" the
    clothes of the person named before it. A colour word that is also a thing ("an orange")
    is a colour only before a garment or an object, or after "in", "wearing" and the like."""
    phrase = phrases_at(tokens, i, COLOUR_PHRASES)
    if phrase is None:
        return None
    j = i + len(phrase)
    garment = phrases_at(tokens, j, GARMENT_PHRASES)
    following = phrases_at(tokens, j, OBJECT_PHRASES)
    worn = i > 0 and tokens[i - 1] in WEARING_WORDS
    if (phrase in OBJECT_PHRASES or phrase in KIND_PHRASES) and not (garment or following or worn):
        return None
    fits = COLOUR_PHRASES[phrase]
    word = " ".join(phrase)
    if garment is not None:
        return ColourTerm(word, fits, GARMENT_PHRASES[garment], _PERSON_LABELS), len(phrase) + len(garment)
    target = OBJECT_PHRASES[following] if following else before[-1].sense if before else None
    if target is not None and "person" not in target.labels:
        return ColourTerm(word, fits, "body", target.labels), len(phrase)
    return ColourTerm(word, fits, "any", _PERSON_LABELS), len(phrase)


def _merge_people(objects: list[ObjectTerm]) -> list[ObjectTerm]:
    """Repeated mentions of one object ("a boy ... the boy") count once; different person words
    ("an officer and a boy") are different people."""
    seen: dict[str, ObjectTerm] = {}
    for term in objects:
        key = term.word if term.is_person else term.sense.name
        if key not in seen or term.count > seen[key].count:
            seen[key] = term
    return list(seen.values())


def _child_hint(objects: list[ObjectTerm], kinds: list[KindSense]) -> list[KindSense]:
    """A child named with an adult suggests the adult-with-child kind even without "with"."""
    child = any(t.sense.child for t in objects)
    adult = any(t.is_person and not t.sense.child for t in objects)
    if child and adult and _WITH_CHILD not in kinds:
        return [*kinds, _WITH_CHILD]
    return kinds


def _camera_key(name: str) -> tuple[str, ...]:
    return tuple(tokenize(re.sub(r"[_\-./]+", " ", name)))


def _find_cameras(tokens: list[str], used: set[int], cameras: Sequence[str]) -> tuple[list[str], set[int]]:
    """Camera names written in the query as words ("front door" finds ``front_door``), with a
    "camera" just before or after them; a one-word name that is also an object or action word
    ("traffic") counts only with "camera" beside it."""
    hits: list[str] = []
    positions: set[int] = set()
    keys = {name: _camera_key(name) for name in cameras}
    for name in sorted(cameras, key=lambda n: -len(keys[n])):
        key = keys[name]
        for start in range(len(tokens) - len(key) + 1):
            span = set(range(start, start + len(key)))
            if not key or tuple(tokens[start : start + len(key)]) != key or span & (used | positions):
                continue
            said = {j for j in (start - 1, start + len(key)) if 0 <= j < len(tokens) and tokens[j] in ("camera", "cam")}
            if len(key) == 1 and (key in OBJECT_PHRASES or key in KIND_PHRASES) and not said:
                continue  # "any traffic" means vehicles unless it says "the traffic camera"
            hits.append(name)
            positions |= span | said
            break
    return hits, positions
