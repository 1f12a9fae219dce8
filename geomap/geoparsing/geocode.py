"""``geocode``: the best single place for a place string, or None.

The query is read by the geoparser as a one-mention text — the same
recognition, cues ("Abu Kamal town", "مطار T-4", "east of Homs", "ريف حمص"),
candidates and fitted ranking (:mod:`geomap.gazetteer.rank`) as running text,
with ``within`` as the container of its mention. Forms running text does not
use — alternatives ("Marran/Merane village"), names in parentheses ("Taybah
farms (Mayadin)"), roads and borders between two places, a qualified name
whose qualifier is unknown ("Baghuz at-Tahtani") — and names the reader does
not recognise (lower-case Latin) go through the gazetteer lookup
(:func:`geomap.gazetteer.lookup.lookup_place`), scored by the same ranker.
Either way a pick under the abstain confidence is not an answer: None.
"""

from __future__ import annotations

import weakref

from geomap.gazetteer import rank
from geomap.gazetteer.lookup import compound_place, lookup_place, prepare
from geomap.gazetteer.model import Place
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.store import FUZZY, STRIPPED, Gazetteer

_PARSERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: characters of the forms only the lookup reads (alternatives, parentheses, roads)
_LOOKUP_FORMS = ("/", "(", " - ", "–")


def geocode(query: str, *, gazetteer: Gazetteer | None = None,
            within: str | Place | None = None) -> Place | None:
    """The best single place for a place string in Arabic or English.

    Parameters
    ----------
    query : str
        The place string ("Saraqib town", "قرية حاس", "the village of Hass").
    gazetteer : Gazetteer, optional
        Defaults to the embedded default gazetteer.
    within : str or Place, optional
        An area the place must lie in (e.g. ``"Hama Governorate"``).

    Returns
    -------
    Place or None
        The best candidate; None when nothing matches or when the best
        candidate's calibrated confidence is under the abstain threshold
        (``gazetteer/ranker.json``): gibberish ("xyzzy") is not a place.
    """
    if gazetteer is None and isinstance(query, str) and query.strip():
        from geomap.gazetteer.load import load_gazetteer

        gazetteer = load_gazetteer()
    gazetteer, area = prepare(query, gazetteer, within)
    derived = compound_place(query, gazetteer, area)
    if derived is not None:
        return derived
    if not any(f in query for f in _LOOKUP_FORMS):
        parser = _PARSERS.get(gazetteer)
        if parser is None:
            from geomap.geoparsing.pipeline import Parser

            parser = _PARSERS[gazetteer] = Parser(gazetteer)
        place, read = parser.geocode(query, within=area)
        if read:  # the reader found the name: its answer, or its abstention
            return place if place is None or area is not None or _plausible(gazetteer, query, place) else None
    place = lookup_place(query, gazetteer=gazetteer, within=area)
    if place is None:
        return None
    conf, match = _lookup_confidence(gazetteer, query, place, area, alone=any(f in query for f in _LOOKUP_FORMS))
    if area is None and not _plausible(gazetteer, query, place, match):
        return None
    if query.isascii() and query == query.lower() and match < STRIPPED:
        return None  # "xyzzy", "asdf": a Latin name is written as a name, or matches one exactly
    return place if conf >= rank.abstain_below() else None


def _plausible(gazetteer: Gazetteer, query: str, place: Place, match: float | None = None) -> bool:
    """Whether a place abroad can be what a lone place string means: a place string
    is read as Syrian (geomap's premise) unless it names a country, a province or a
    city abroad by its name. A village or town abroad, a place of another type than
    the string's words ask for ("X village" is not the city of Qom), or a close
    spelling abroad (xyzzy ~ Gaza) is not an answer."""
    if place.country in ("SY", "XZ"):
        return True
    wanted = parse_query(query).feature_types
    if place.feature_type in rank.SMALL or (wanted and place.feature_type not in wanted):
        return False
    if match is None:
        match = _lookup_confidence(gazetteer, query, place)[1]
    return match >= STRIPPED


def _lookup_confidence(gazetteer: Gazetteer, query: str, place: Place, area: Place | None = None,
                       alone: bool = False) -> tuple[float, float]:
    """The ranker's confidence in a lookup answer, and its name match: the share
    of its score among the candidates of the query name it matches best (with
    ``alone``, as if it had no rival: the query's structure — an alternative
    name, a place in parentheses — chose among them)."""
    q = parse_query(query)
    types = q.feature_types or None
    best: tuple[float, list] | None = None
    for name in q.names:
        cands = gazetteer.matches(name)
        if area is not None:  # its rivals are the namesakes inside the area
            cands = [(p, s) for p, s in cands if gazetteer.contains(area, p)]
        mine = [s for p, s in cands if p.id == place.id]
        if mine and (best is None or max(mine) > best[0]):
            best = (max(mine), cands)
    if best is None:  # a close spelling within the area, or a derived place (road, border, sector)
        match = 1.0 if place.id.startswith("geomap-derived") else FUZZY
        return rank.confidence(1.0, match), match
    match, cands = best
    if alone:
        return rank.confidence(1.0, match), match
    scores: dict[str, float] = {}
    for p, s in cands:
        scores[p.id] = max(scores.get(p.id, -1e9), gazetteer.score(p, s, types))
    ids = list(scores)
    return rank.confidence(rank.share([scores[i] for i in ids], ids.index(place.id)), match), match
