"""One line of plain English for a moment, made from its events' facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from footage.types import Appearance, Event

__all__ = ["describe", "display_names", "say_duration"]

_MAX_CLAUSES = 6


def say_duration(seconds: float) -> str:
    """``42 s``, ``3 min``, ``3 min 20 s``, ``1 h 5 min``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {secs} s" if secs and minutes < 10 else "")
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h" + (f" {minutes} min" if minutes else "")


def display_names(subjects: Sequence[int], labels: Sequence[str]) -> dict[int, str]:
    """What to call each subject: its label when it is the only one of its kind in the moment,
    else the label with a letter in order of importance ("person A", "person B")."""
    names: dict[int, str] = {}
    for label in dict.fromkeys(labels):
        same = [s for s, lab in zip(subjects, labels, strict=True) if lab == label]
        for n, subject in enumerate(same):
            names[subject] = label if len(same) == 1 else f"{label} {chr(ord('A') + n) if n < 26 else n + 1}"
    return names


class _Names:
    """Names subjects as a reader would: "a car" then "the car" when it is the only one of its
    kind in the moment; "person A", "person B" when there are several. A person is first named
    with what they wore, where it was read ("a person in a red top", "person B (in a dark blue
    top)")."""

    def __init__(self, subjects: Sequence[int], labels: Sequence[str], looks: Mapping[int, Appearance]) -> None:
        self._names = display_names(subjects, labels)
        self._unique = {s for s, lab in zip(subjects, labels, strict=True) if self._names[s] == lab}
        self._looks = looks
        self._mentioned: set[int] = set()

    def __call__(self, subject: int) -> str:
        name = self._names[subject]
        first = subject not in self._mentioned
        self._mentioned.add(subject)
        wearing = self._looks[subject].wearing() if first and subject in self._looks else ""
        if subject not in self._unique:
            return f"{name} (in {wearing})" if wearing else name
        article = ("an" if name[0] in "aeiou" else "a") if first else "the"
        return f"{article} {name} in {wearing}" if wearing else f"{article} {name}"


def _together_clause(events: Sequence[Event], name: _Names) -> str:
    members = sorted({s for e in events for s in e.subjects}, key=lambda s: min(e.start_s for e in events if s in e.subjects))
    start, end = min(e.start_s for e in events), max(e.end_s for e in events)
    names = [name(s) for s in members]
    group = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{group} were together for {say_duration(end - start)}"


def _clause(event: Event, name: _Names) -> str:
    s = event.subjects
    kind = event.kind
    if kind == "appeared":
        return f"{name(s[0])} appeared"
    if kind == "left":
        return f"{name(s[0])} left after {say_duration(event.fact('present_s'))}"
    if kind == "lingered":
        return f"{name(s[0])} stayed in one spot for {say_duration(event.duration_s)}"
    if kind == "sat_or_crouched":  # the share crouching is known where the posture was read
        share = event.fact("crouched_share", -1.0)
        verb = "sat or crouched" if share < 0 else "crouched" if share >= 0.5 else "sat"
        return f"{name(s[0])} {verb} for {say_duration(event.duration_s)}"
    if kind == "vehicle_stopped":
        return f"{name(s[0])} stopped for {say_duration(event.fact('stopped_s'))}"
    if kind == "vehicle_departed":
        return f"{name(s[0])} drove off after standing {say_duration(event.fact('stopped_s'))}"
    if kind == "approached":
        a, b = name(s[0]), name(s[1])
        return f"{a} and {b} walked up to each other" if event.fact("mutual") else f"{a} walked up to {b}"
    if kind == "adult_with_child":
        a, b = name(s[0]), name(s[1])
        return f"{b}, markedly smaller, stayed with {a} for {say_duration(event.duration_s)} (a child with an adult?)"
    if kind == "vehicle_stopped_near_person":
        v, p = name(s[0]), name(s[1])
        return f"{v} stopped by {p}"
    if kind == "left_vehicle":
        v, p = name(s[0]), name(s[1])
        return f"{p} got out of {v}"
    if kind == "entered_vehicle":
        v, p = name(s[0]), name(s[1])
        return f"{p} got into {v}"
    if kind == "handed_over":
        a, b, thing = name(s[0]), name(s[1]), name(s[2])
        return f"{a} handed {thing} to {b}"
    if kind == "played_catch":
        a, b = name(s[0]), name(s[1])
        return f"{a} and {b} played catch ({int(event.fact('passes'))} passes)"
    raise ValueError(f"no wording for event kind {kind!r}")


def describe(events: Sequence[Event], subjects: Sequence[int], labels: Sequence[str],
             looks: Mapping[int, Appearance] | None = None) -> str:
    """The moment's story from its events (given in story order): one clause per event, all
    ``together`` events told as one group clause, at most six clauses. ``looks``: what the
    subjects wore, by subject, where it was read."""
    name = _Names(subjects, labels, looks or {})
    together = [e for e in events if e.kind == "together"]
    clauses: list[str] = []
    for event in events:
        if event.kind != "together":
            clauses.append(_clause(event, name))
        elif event is together[0]:
            clauses.append(_together_clause(together, name))
    if len(clauses) > _MAX_CLAUSES:
        clauses = [*clauses[:_MAX_CLAUSES], f"and {len(clauses) - _MAX_CLAUSES} more"]
    text = "; ".join(clauses)
    return text[:1].upper() + text[1:]
