"""The words search understands: everyday names for what the detector sees, and the verbs and
relations people use for what the event rules find.

Each entry is written once here; :mod:`footage.search.query` only looks words up. Phrases are
tuples of tokens, so "walks up to" and "patrol car" are matched whole, longest first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "COLOUR_PHRASES",
    "COUNT_WORDS",
    "GARMENT_PHRASES",
    "GESTURE_PHRASES",
    "KIND_PHRASES",
    "NUMBER_WORDS",
    "OBJECT_PHRASES",
    "PLACE_PHRASES",
    "POSTURE_PHRASES",
    "STOP_WORDS",
    "WEARING_WORDS",
    "KindSense",
    "ObjectSense",
    "phrases_at",
]


@dataclass(frozen=True)
class ObjectSense:
    """What an object word means: detector labels with how well each fits (1.0 exactly; less
    for a class the detector often confuses with it), the name read back, and what the word
    says about the object that footage cannot check from boxes (``officer``)."""

    name: str
    labels: Mapping[str, float]
    plural: bool = False
    child: bool = False
    attribute: str | None = None


@dataclass(frozen=True)
class KindSense:
    """What a relation or action word means: moment kinds with how well each fits."""

    name: str
    kinds: Mapping[str, float]


_PERSON = {"person": 1.0}
_VEHICLE = {"car": 1.0, "truck": 0.8, "bus": 0.6, "motorbike": 0.3}
_TRUCK = {"truck": 1.0, "car": 0.8, "bus": 0.6}
_BUS = {"bus": 1.0, "truck": 0.6, "car": 0.6}
_ANY_VEHICLE = {"car": 1.0, "truck": 1.0, "bus": 1.0, "motorbike": 0.8}
_BAG = {"backpack": 1.0, "handbag": 1.0, "suitcase": 0.8}
_BALL = {"sports ball": 1.0, "frisbee": 0.5}
_FOOD = {"sandwich": 1.0, "banana": 0.8, "apple": 0.8, "orange": 0.8, "pizza": 0.8, "donut": 0.8, "cake": 0.8,
         "bottle": 0.5, "cup": 0.5}


def _person(name: str, *, plural: bool = False, child: bool = False, attribute: str | None = None) -> ObjectSense:
    return ObjectSense(name, _PERSON, plural=plural, child=child, attribute=attribute)


def _words(senses: Mapping[str, ObjectSense]) -> dict[tuple[str, ...], ObjectSense]:
    return {tuple(phrase.split()): sense for phrase, sense in senses.items()}


OBJECT_PHRASES: dict[tuple[str, ...], ObjectSense] = _words({
    **{w: _person("person") for w in ("person", "someone", "somebody", "anyone", "anybody", "individual", "human",
                                       "pedestrian", "visitor", "stranger", "guy", "neighbour", "neighbor", "customer")},
    **{w: _person("people", plural=True) for w in ("people", "persons", "pedestrians", "visitors", "humans", "folks",
                                                    "guys", "strangers", "neighbours", "neighbors", "customers")},
    **{w: _person("person", attribute=w) for w in ("man", "woman", "lady", "gentleman", "adult", "mother", "father",
                                                    "mom", "mum", "dad", "parent", "grandma", "grandpa")},
    **{w: _person("people", plural=True, attribute=w) for w in ("men", "women", "ladies", "adults", "parents")},
    **{w: _person("person", attribute="officer") for w in ("officer", "cop", "policeman", "policewoman", "police",
                                                            "police officer", "guard", "security guard", "deputy",
                                                            "sheriff", "trooper")},
    **{w: _person("person", attribute="courier") for w in ("postman", "mailman", "mail man", "courier", "delivery man",
                                                            "delivery guy", "delivery driver", "delivery person")},
    **{w: _person("people", plural=True, attribute="officer") for w in ("officers", "cops", "policemen", "guards")},
    **{w: _person("person", child=True, attribute="child") for w in ("child", "kid", "boy", "girl", "toddler", "teen",
                                                                      "teenager", "youngster", "son", "daughter")},
    **{w: _person("people", plural=True, child=True, attribute="children")
       for w in ("children", "kids", "boys", "girls", "teens", "teenagers")},
    **{w: ObjectSense("car", _VEHICLE) for w in ("car", "suv", "van", "sedan", "hatchback", "jeep", "taxi", "cab",
                                                 "cruiser", "minivan", "automobile")},
    **{w: ObjectSense("car", _VEHICLE, attribute="police") for w in ("patrol car", "police car", "squad car",
                                                                      "police cruiser", "patrol vehicle")},
    **{w: ObjectSense("cars", _VEHICLE, plural=True) for w in ("cars", "suvs", "vans", "taxis")},
    **{w: ObjectSense("truck", _TRUCK) for w in ("truck", "lorry", "pickup", "pickup truck", "delivery truck")},
    **{w: ObjectSense("bus", _BUS) for w in ("bus", "coach", "minibus")},
    **{w: ObjectSense("vehicle", _ANY_VEHICLE) for w in ("vehicle", "vehicles", "traffic")},
    **{w: ObjectSense("motorbike", {"motorbike": 1.0, "bicycle": 0.5}) for w in ("motorbike", "motorcycle", "scooter",
                                                                                 "moped")},
    **{w: ObjectSense("bicycle", {"bicycle": 1.0, "motorbike": 0.5}) for w in ("bicycle", "bike", "cyclist", "bikes")},
    **{w: ObjectSense("dog", {"dog": 1.0}) for w in ("dog", "dogs", "puppy")},
    **{w: ObjectSense("cat", {"cat": 1.0}) for w in ("cat", "cats", "kitten")},
    **{w: ObjectSense("horse", {"horse": 1.0}) for w in ("horse", "horses", "pony")},
    **{w: ObjectSense("bag", _BAG) for w in ("bag", "bags", "backpack", "rucksack", "handbag", "purse", "suitcase",
                                             "luggage", "package", "parcel", "box")},
    **{w: ObjectSense("ball", _BALL) for w in ("ball", "football", "soccer ball", "basketball", "baseball", "soccer",
                                               "sports ball", "balls")},
    **{w: ObjectSense("frisbee", {"frisbee": 1.0, "sports ball": 0.5}) for w in ("frisbee",)},
    **{w: ObjectSense("umbrella", {"umbrella": 1.0}) for w in ("umbrella",)},
    **{w: ObjectSense("skateboard", {"skateboard": 1.0}) for w in ("skateboard", "skater")},
    **{w: ObjectSense("kite", {"kite": 1.0}) for w in ("kite",)},
    **{w: ObjectSense("food", _FOOD) for w in ("food", "lunch", "meal", "sandwich", "snack", "fruit", "apple",
                                               "banana", "orange", "pizza", "donut", "cake", "breakfast")},
    **{w: ObjectSense("drink", {"bottle": 1.0, "cup": 1.0}) for w in ("drink", "bottle", "cup", "coffee", "water")},
})

#: phrases for kinds; a word's fit to neighbouring kinds lets near misses rank below exact ones
_KIND_SENSES: tuple[tuple[KindSense, str], ...] = (
    (KindSense("together", {"together": 1.0, "adult_with_child": 0.9, "approached": 0.5, "played_catch": 0.5}),
     "together, with each other, spend time, spent time, spending time, hang out, hanging out, hung out, talk, "
     "talks, talking, talked, chat, chatting, chatted, conversation, company, keeping company, kept company, "
     "stay together, stayed together, group, sitting together, standing together"),
    (KindSense("met", {"approached": 1.0, "together": 0.8, "adult_with_child": 0.6}),
     "meet, meets, meeting, met, greet, greets, greeted, greeting"),
    (KindSense("walked up to", {"approached": 1.0, "together": 0.5, "vehicle_stopped_near_person": 0.3}),
     "walks up to, walked up to, walking up to, walk up to, comes up to, came up to, coming up to, goes up to, "
     "went up to, approach, approaches, approached, approaching, walks over to, walked over to, came over to, "
     "comes over to, joins, joined, join, walked up, walk up, walks up, walking up"),
    (KindSense("handed over", {"handed_over": 1.0, "together": 0.3}),
     "hands, handed, handing, hand over, hand, give, gives, gave, giving, given, pass, passes, passed, passing, "
     "share, shares, shared, sharing, offer, offers, offered, deliver, delivers, delivered"),
    (KindSense("played catch", {"played_catch": 1.0, "handed_over": 0.4, "together": 0.3}),
     "plays catch, played catch, playing catch, play catch, catch, throw, throws, threw, throwing, toss, tosses, "
     "tossed, tossing, kick, kicks, kicked, kicking, play ball, playing ball, play, plays, played, playing, game"),
    (KindSense("sat or crouched", {"sat_or_crouched": 1.0, "lingered": 0.4}),
     "sit, sits, sat, sitting, seated, crouch, crouches, crouched, crouching, kneel, kneels, knelt, kneeling, "
     "squat, squats, squatted, squatting, bend down, bent down, curb, kerb, bench, sat or crouched"),
    (KindSense("lingered", {"lingered": 1.0, "sat_or_crouched": 0.6, "together": 0.2}),
     "linger, lingers, lingered, lingering, loiter, loiters, loitered, loitering, wait, waits, waited, waiting, "
     "stand, stands, stood, standing, hang around, hangs around, hung around, hanging around, stay, stays, "
     "stayed, staying, idle, lurk, lurks, lurking, prowl, prowling, stayed in one spot, in one spot, for a while"),
    (KindSense("stopped", {"vehicle_stopped": 1.0, "vehicle_stopped_near_person": 0.9, "vehicle_departed": 0.4}),
     "stop, stops, stopped, stopping, park, parks, parked, parking, pull up, pulls up, pulled up, pulling up, "
     "halt, halted"),
    (KindSense("stopped near a person", {"vehicle_stopped_near_person": 1.0, "vehicle_stopped": 0.6}),
     "stops near, stopped near, stopping near, stops next to, stopped next to, stops by, stopped by, stop by, "
     "pulls up to, pulled up to, pulling up to, pull up to, pulled up next to, pulls up next to, stopped beside, "
     "stops beside"),
    (KindSense("got out of a vehicle", {"left_vehicle": 1.0, "vehicle_stopped_near_person": 0.4}),
     "gets out, got out, get out, getting out, steps out, stepped out, step out, exits, exited, climbs out, "
     "climbed out, gets out of, got out of, get out of, getting out of"),
    (KindSense("got into a vehicle", {"entered_vehicle": 1.0, "vehicle_departed": 0.4}),
     "gets in, got in, get in, getting in, gets into, got into, get into, getting into, boards, boarded, "
     "climbs in, climbed in, picked up, picks up"),
    (KindSense("arrived", {"appeared": 1.0, "vehicle_stopped": 0.6, "approached": 0.3}),
     "arrive, arrives, arrived, arriving, come, comes, came, coming, show up, shows up, showed up, turn up, "
     "turned up, appear, appears, appeared, appearing, enter, enters, entered, entering"),
    (KindSense("left", {"left": 1.0, "vehicle_departed": 0.9}),
     "leave, leaves, left, leaving, go away, goes away, went away, drive off, drives off, drove off, driving off, "
     "drive away, drives away, drove away, depart, departs, departed, walk away, walks away, walked away"),
    (KindSense("passed by", {"appeared": 0.6, "left": 0.6, "together": 0.2, "approached": 0.2}),
     "walk, walks, walked, walking, pass by, passes by, passed by, passing by, cross, crosses, crossed, crossing, "
     "drive, drives, drove, driving, drive through, driving through, go, goes, went, going, move, moves, moved, "
     "moving, run, runs, ran, running"),
)

KIND_PHRASES: dict[tuple[str, ...], KindSense] = {
    tuple(phrase.split()): sense for sense, phrases in _KIND_SENSES for phrase in phrases.split(", ")
}

def _colours(senses: Mapping[str, Mapping[str, float]]) -> dict[tuple[str, ...], Mapping[str, float]]:
    return {tuple(phrase.split()): fits for phrases, fits in senses.items() for phrase in phrases.split(", ")}


#: colour words -> the colour names footage stores (:data:`footage.people.colours.COLOURS`) with
#: how well each fits; the lower fits are the shades footage reads in place of the colour on
#: small or dim people (jeans read as dark blue, a white shirt in shade as grey)
COLOUR_PHRASES: dict[tuple[str, ...], Mapping[str, float]] = _colours({
    "black": {"black": 1.0, "dark blue": 0.5, "brown": 0.3},
    "white": {"white": 1.0, "grey": 0.5, "beige": 0.3},
    "grey, gray, silver": {"grey": 1.0, "white": 0.5, "black": 0.4},
    "red, maroon, burgundy, crimson": {"red": 1.0, "orange": 0.4, "pink": 0.4, "brown": 0.3},
    "blue, light blue, denim": {"blue": 1.0, "dark blue": 0.8, "grey": 0.3},
    "dark blue, navy, navy blue": {"dark blue": 1.0, "black": 0.6, "blue": 0.6},
    "dark, darker, dark coloured, dark colored": {"black": 1.0, "dark blue": 1.0, "brown": 0.6, "grey": 0.3},
    "green, olive, khaki green": {"green": 1.0, "brown": 0.3},
    "yellow, hi vis, high vis, hi viz": {"yellow": 1.0, "orange": 0.5, "beige": 0.3},
    "brown, tan": {"brown": 1.0, "beige": 0.6, "black": 0.4},
    "beige, khaki, cream": {"beige": 1.0, "brown": 0.5, "white": 0.4},
    "orange": {"orange": 1.0, "red": 0.5, "yellow": 0.4},
    "pink": {"pink": 1.0, "red": 0.5, "purple": 0.4},
    "purple, violet": {"purple": 1.0, "pink": 0.4, "dark blue": 0.3},
})

#: clothing words -> which part of a person the colour is read from
GARMENT_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): part
    for part, phrases in (
        ("upper", "shirt, shirts, t shirt, tshirt, top, tops, jacket, jackets, coat, coats, hoodie, hoody, sweater, "
                  "jumper, sweatshirt, vest, blouse, uniform, uniforms, jersey, sleeves, hat, cap"),
        ("lower", "trousers, pants, jeans, shorts, skirt, leggings, bottoms, slacks"),
        ("any", "clothes, clothing, outfit, outfits, dress, suit, overalls"),
    )
    for phrase in phrases.split(", ")
}

#: words that say a colour is what someone wore ("in red", "wearing blue", "dressed in black")
WEARING_WORDS: frozenset[str] = frozenset(("wearing", "wears", "wore", "dressed", "in", "with", "coloured", "colored"))

#: posture words -> the posture (:data:`footage.people.posture.POSTURES`) a person was read in
POSTURE_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): posture
    for posture, phrases in (
        ("sitting", "sit, sits, sat, sitting, seated, sit down, sat down, sitting down, sitting together"),
        ("crouching", "crouch, crouches, crouched, crouching, kneel, kneels, knelt, kneeling, squat, squats, "
                      "squatted, squatting, bend down, bent down, bending down, crouched down, on his knees, "
                      "on her knees, on their knees"),
        ("lying", "lie, lies, lay, lying, lying down, laying, laying down, on the ground, on the floor, fell, "
                  "fallen, fall, falls, falling, fell down, collapsed, collapse, collapses, lying on the ground"),
        ("standing", "stand, stands, stood, standing, standing together, standing still"),
        ("walking", "walk, walks, walked, walking"),
    )
    for phrase in phrases.split(", ")
}

#: gesture words -> the gesture (:data:`footage.people.gestures.GESTURES`) someone made
GESTURE_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): gesture
    for gesture, phrases in (
        ("raised_arm", "wave, waves, waved, waving, wave at, waved at, waving at, raised a hand, raised his hand, "
                       "raised her hand, raises a hand, raising a hand, raised an arm, raised his arm, raised her arm, "
                       "hand up, hands up, arm up, arms up, hands in the air, arms in the air, flag down, flagged down"),
        ("extended_arm", "point, points, pointed, pointing, point at, points at, pointed at, pointing at, reach out, "
                         "reached out, reaches out, reaching out, held out, holds out, holding out, hold out, "
                         "outstretched arm, arm out"),
        ("hand_to_hand", "shake hands, shakes hands, shook hands, shaking hands, handshake, hand shake, "
                         "held hands, holding hands, hold hands, holds hands, high five, high fived, fist bump, "
                         "hand to hand"),
        ("threw", "throw, throws, threw, throwing, thrown, toss, tosses, tossed, tossing"),
    )
    for phrase in phrases.split(", ")
}

#: places people name; footage cannot see them, but they must not be read as actions ("parking lot")
PLACE_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    tuple(phrase.split()) for phrase in (
        "parking lot", "car park", "parking space", "parking garage", "parking spot", "front yard", "back yard",
        "backyard", "front door", "back door", "bus stop", "side walk", "sidewalk", "driveway", "garage", "porch",
        "garden", "yard", "street", "road", "house", "door", "gate", "shop", "store", "office", "curbside",
    )
)

#: counts written as words; "a"/"an" are left out on purpose ("a car" says nothing about how many)
NUMBER_WORDS: Mapping[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "both": 2, "couple": 2, "pair": 2,
}

#: words that say how many people without naming them ("a group" is at least three)
COUNT_WORDS: Mapping[str, int] = {"group": 3, "crowd": 5, "several": 3, "few": 2, "many": 4, "gathering": 3}

#: words that carry no meaning for search; they are neither understood nor held against a query
_STOP_TEXT = (
    "a an the of in on at to and or but is are was were be been being am it its it's this that these those there "
    "here some any my our your their his her him them they he she we i me us you who whom which what when where "
    "while how did does do done has have had show find search look looking for me please all every just only "
    "very really also then than into onto from by as up down out off over about near next front back side "
    "something thing things happened happen happening moment moments event events footage video videos clip "
    "clips recording recordings camera cameras cam saw seen see see watch watching like maybe possibly "
    "can could would should will let lets let's get got another other others each anything everything "
    "someplace somewhere"
)
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


def phrases_at(tokens: Sequence[str], start: int, table: Collection[tuple[str, ...]], longest: int = 5) -> tuple[str, ...] | None:
    """The longest phrase of ``table`` that starts at ``tokens[start]``, or None."""
    for size in range(min(longest, len(tokens) - start), 0, -1):
        phrase = tuple(tokens[start : start + size])
        if phrase in table:
            return phrase
    return None
