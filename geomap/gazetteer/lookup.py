"""The gazetteer's own lookup of a place string (``lookup_place``): the name index
read with a query's descriptor words, its alternatives "X/Y", a name in
parentheses, a qualified name, and the compound forms (roads and borders
between places, sectors, offsets; :mod:`geomap.gazetteer.relative`).

It needs no document and no geoparser: ``within=`` areas and the parents of a
user's places are read with it, and :func:`geomap.geocode` (the one geocode,
:mod:`geomap.geoparsing.geocode`) reads the query forms running text does not
use through it. It imports nothing above the gazetteer's index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.model import Place
from geomap.gazetteer.query import parse_query

if TYPE_CHECKING:  # pragma: no cover
    from geomap.gazetteer.store import Gazetteer

#: how far from a place named in parentheses the outer name's place may lie
CONTEXT_KM = 40.0


def countryside_of(gazetteer: Gazetteer, place: Place) -> Place | None:
    """The countryside area ("ريف X") of the governorate ``place`` belongs to."""
    if not place.admin1:
        return None
    return gazetteer.get(f"geomap:countryside:{place.admin1}") or gazetteer.governorate(place.admin1)


def lookup_place(query: str, *, gazetteer: Gazetteer,
                 within: str | Place | None = None) -> Place | None:
    """The best single place for a place string in Arabic or English.

    Descriptor words steer the type ("Homs city", "مطار T-4", "Abu Dali
    village", "Hama Governorate"); "ريف حمص" / "Homs countryside" give the
    countryside area of the governorate.

    Parameters
    ----------
    query : str
        The place string.
    gazetteer : Gazetteer
        The gazetteer to read.
    within : str or Place, optional
        An area the place must lie in (e.g. ``"Hama Governorate"``).

    Returns
    -------
    Place or None
        The best candidate; None when nothing in the gazetteer matches.
    """
    gazetteer, area = prepare(query, gazetteer, within)
    derived = compound_place(query, gazetteer, area)
    if derived is not None:
        return derived
    return _simple(query, gazetteer, area)


def prepare(query: str, gazetteer: Gazetteer, within: str | Place | None) -> tuple[Gazetteer, Place | None]:
    """Check a place query; the gazetteer and the ``within`` area.

    Raises
    ------
    TypeError, InputError
        A query that is not a string, or an empty one.
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be str, not {type(query).__name__}")
    if not query.strip():
        raise InputError("empty place query")
    return gazetteer, (gazetteer.resolve_area(within) if within is not None else None)


def compound_place(query: str, gazetteer: Gazetteer, area: Place | None = None) -> Place | None:
    """The place a compound string makes — a sector ("ريف حلب الشمالي", "Eastern
    Daraa Governorate"), an offset ("10 km east of Palmyra"), a road or border
    between two places, "the area between X and Y" — or None when it is not one."""
    from geomap.gazetteer.relative import compound

    def is_name(text: str) -> bool:
        return any(score >= 0.9 for _, score in gazetteer.matches(text))

    return compound(query, lambda part, types=None: _simple(part, gazetteer, area, types), is_name)


def _simple(query: str, gazetteer: Gazetteer, area: Place | None,
            prefer: set[str] | None = None) -> Place | None:
    """geocode without compound forms (roads, borders, sectors); ``prefer``
    adds feature types to those the query's own words ask for."""
    if not query.strip():
        return None
    q = parse_query(query)
    types = (q.feature_types | (prefer or set())) or None
    # the whole string first when it is a name itself (ريف دمشق is a governorate)
    if q.countryside:
        hits = gazetteer.lookup(q.full, within=area, limit=1)
        if hits:
            return hits[0]
    names = [n for n in q.names if not (q.countryside and n == q.full)]
    # a query that is itself a name (Tall Rif`at, Hama Governorate) is that name first
    # (not when only a district named after its town bears it: "منطقة السفيرة" is the town's area)
    if q.full in names and any(score >= 0.9 and (types or not gazetteer.seat_named(p))
                               for p, score in gazetteer.matches(q.full)):
        names.remove(q.full)
        names.insert(0, q.full)
    # a name in parentheses is the place itself under another name, or a place
    # beside it: the outer name's homonyms near it win, else it stands for them
    anchors = [h[0] for c in q.context
               if any(s >= 0.9 for _, s in gazetteer.matches(c))
               and (h := gazetteer.lookup(c, within=area, limit=1))]
    if anchors:
        outer = [n for n in names if n not in q.context]
        for wanted in ([types, None] if types else [None]):
            for name in outer:
                for p in gazetteer.lookup(name, within=area, feature_types=wanted, limit=10):
                    if any(haversine_km(p.lat, p.lon, a.lat, a.lon) <= CONTEXT_KM for a in anchors):
                        return p
        return anchors[0]
    # every name variant, descriptor types first, before close spellings in
    # the area ("Hacilar / Hajilar village": Hajilar is a name there)
    for fuzzy in (False, True) if area is not None else (False,):
        for wanted in ([types, None] if types else [None]):
            for name in names:
                hits = gazetteer.lookup(name, within=area, feature_types=wanted, limit=1, fuzzy=fuzzy)
                if hits:
                    if q.countryside:
                        return countryside_of(gazetteer, hits[0]) or hits[0]
                    return hits[0]
    return None
