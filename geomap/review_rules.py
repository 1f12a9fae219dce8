"""Why a resolved mention may still be wrong: the suspicions ``geomap review`` ranks by.

Confidence misses confident errors: a common word read as a village (جديدة
"new"), a dateline read as the place of the incident, a neighbourhood sent to a
namesake village in another governorate. Each rule here looks at one mention in
its document and says why it is suspect, with a weight; ``geomap review`` lists
the mentions by the sum of the weights, then by confidence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from geomap.gazetteer.model import Place
    from geomap.gazetteer.store import Gazetteer

#: a place this far (km) from every other resolved place of its document is suspect
FAR_KM = 100.0
#: a word among wordfreq's most frequent Arabic words up to this rank counts as a frequent word
FREQUENT_RANK = 20_000
#: weights of the suspicions (unresolved and low confidence weigh 1 and the shortfall)
WEIGHTS = {"frequent word": 0.5, "far": 0.6, "abroad": 0.7, "rival": 0.4, "dateline": 0.5}
#: a dateline: a place at the very start of a post, then a dash, a colon or "(agency)"
_DATELINE = re.compile(r"\s*[-–—:(]")


#: types whose names are frequent because the places are well known (دمشق, حلب), not because they are words
_WELL_KNOWN_TYPES = frozenset({"city", "governorate", "country", "district", "subdistrict", "airbase", "airport"})


def _written_name(mention: str, place: Place, gazetteer: Gazetteer) -> tuple[str, list[int]]:
    """The key of the place's name as the mention writes it (the longest word
    suffix the gazetteer indexes for that place; ``قرب النهر`` → ``النهر``), and
    the positions of every place bearing it."""
    from geomap.text import normalize_key

    words = normalize_key(mention).split()
    index = gazetteer.keys
    for i in range(len(words)):
        key = " ".join(words[i:])
        for k in (key, key[2:] if key.startswith("ال") else None):  # matched without its article
            positions = index.get(k, []) if k else []
            if any(gazetteer.place_at(pos).id == place.id for pos in positions):
                return key, positions
    return "", []


def _is_frequent_word(key: str) -> bool:
    from geomap.gazetteer.words import common_words, dictionary_words

    if not key or " " in key:
        return False
    bare = key[2:] if key.startswith("ال") and len(key) > 4 else key
    common = common_words()
    return key in common or bare in common or dictionary_words().get(key, 10**9) < FREQUENT_RANK


def _rivals(mention: str, chosen: Place, positions: list[int], gazetteer: Gazetteer) -> list[Place]:
    """Close rivals: other places of the name as written, in another governorate,
    of the chosen place's type or of a type the mention's descriptor words ask for
    (``حي X``: a neighbourhood)."""
    from geomap.gazetteer.query import DESCRIPTORS
    from geomap.text import normalize_key

    asked: set[str] = {chosen.feature_type}
    for word in normalize_key(mention).split():
        asked.update(DESCRIPTORS.get(word, ()))
    out = []
    for pos in positions:
        p = gazetteer.place_at(pos)
        if (p.id != chosen.id and p.country == chosen.country and p.admin1 and chosen.admin1
                and p.admin1 != chosen.admin1 and p.feature_type in asked):
            out.append(p)
    return out


def suspicions(mentions: pd.DataFrame, gazetteer: Gazetteer,
               texts: list[str] | None = None) -> dict[object, list[tuple[str, float]]]:
    """Reasons (text, weight) to doubt each resolved mention, by frame index.

    Rules: the mention is a frequent word; the place is more than
    :data:`FAR_KM` from every other resolved place of its document; the place
    is abroad while the document's other places are in Syria (a place in the
    governorate of another is not "far"); another place
    of the same name lies in another governorate; the mention opens the
    document as a dateline (``حلب - ...``).
    """
    from geomap.gazetteer.store import haversine_km

    out: dict[object, list[tuple[str, float]]] = {}
    if mentions.empty or "place_id" not in mentions.columns:
        return out
    resolved = mentions["resolved"].fillna(False).astype(bool) if "resolved" in mentions.columns \
        else mentions["place_id"].fillna("").astype(bool)
    text_col = "mention" if "mention" in mentions.columns else "name"
    doc_col = "doc" if "doc" in mentions.columns else "doc_id" if "doc_id" in mentions.columns else None
    groups = mentions[resolved].groupby(doc_col, sort=False) if doc_col else [(0, mentions[resolved])]
    for doc, frame in groups:
        places = {idx: gazetteer.get(str(frame.at[idx, "place_id"])) for idx in frame.index}
        points = {idx: (float(frame.at[idx, "lat"]), float(frame.at[idx, "lon"])) for idx in frame.index}
        role = frame["role"] if "role" in frame.columns else None
        for idx in frame.index:
            why: list[tuple[str, float]] = []
            mention = str(frame.at[idx, text_col])
            place = places[idx]
            others = [j for j in frame.index if j != idx and places[j] is not None
                      and frame.at[j, "place_id"] != frame.at[idx, "place_id"]]
            key, positions = _written_name(mention, place, gazetteer) if place is not None else ("", [])
            if place is not None and place.feature_type not in _WELL_KNOWN_TYPES and _is_frequent_word(key):
                why.append(("frequent word", WEIGHTS["frequent word"]))
            if others:
                near = min(haversine_km(*points[idx], *points[j]) for j in others)
                same_gov = place is not None and place.admin1 and any(
                    places[j].admin1 == place.admin1 for j in others)
                if near > FAR_KM and not same_gov:
                    why.append((f"{near:.0f} km from the document's other places", WEIGHTS["far"]))
                in_sy = sum(1 for j in others if places[j].country == "SY")
                if place is not None and place.country not in (None, "SY") and in_sy * 2 > len(others):
                    why.append((f"abroad ({place.country}) in a Syrian text", WEIGHTS["abroad"]))
            if place is not None and (role is None or role[idx] != "container"):
                rivals = _rivals(mention, place, positions, gazetteer)
                if rivals:
                    r = rivals[0]
                    why.append((f"rival {r.name} ({r.id}) in {r.admin1}, not {place.admin1}", WEIGHTS["rival"]))
            if texts is not None and "start" in frame.columns and isinstance(doc, (int,)) and 0 <= doc < len(texts):
                s, e = int(frame.at[idx, "start"]), int(frame.at[idx, "end"])
                t = texts[doc]
                if not t[:s].strip() and _DATELINE.match(t, e):
                    why.append(("dateline", WEIGHTS["dateline"]))
            if why:
                out[idx] = why
    return out
