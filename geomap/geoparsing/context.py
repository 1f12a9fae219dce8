"""Context stage: what the document around a mention says.

Containers ("X بـY", "X في Y", "X in Y", "X, Y province"; a sector of a
countryside narrows X's candidates), roads and borders between two names
("طريق X - Y", "the X-Y road", "X/Y border"), the document's anchors (its
confident places) and focus country, and the filters that drop a bare name
the document does not support (a village abroad, a word far from every other
place).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from geomap.gazetteer import rank
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.model import Place
from geomap.gazetteer.store import Gazetteer
from geomap.geoparsing.cues import word_before
from geomap.geoparsing.mention import (
    HOME_COUNTRY,
    INTERNATIONAL_WATERS,
    MINOR,
    MINOR_OR_TOWN,
    SETTLEMENT,
    Mention,
    Reading,
)
from geomap.geoparsing.rows import Deriver, span
from geomap.geoparsing.rules import CUE_WORDS
from geomap.text import strip_article

#: words between a place and its container (X بريف Y, X in Y); nothing between them ("X Y") is one too
_CONTAINER_GAPS_AR = {"", *CUE_WORDS["container_gaps_ar"]}
_CONTAINER_GAPS_EN = {"", *CUE_WORDS["container_gaps_en"]}
#: how near another place of the document a small town abroad must lie (see stray_village)
LONELY_KM = 100.0
#: how near another place of the document a village that is also a word must lie (a
#: casualty report's «بجروح في قصف على مدينة خان شيخون» names a town 70 km from the
#: village Juruh: a neighbour that far does not make the word a place)
WORD_NEIGHBOUR_KM = 50.0
#: towns abroad smaller than this need the document's support (see stray_village)
STRAY_TOWN_POP = 50_000
#: words that make a road of two names: طريق X - Y, the X-Y road
_ROAD_HEADS = tuple(CUE_WORDS["road_heads"])
_ROAD_TAILS = tuple(CUE_WORDS["road_tails"])
#: words after two names that make a border of them: "the Syria-Turkey border", "الحدود السورية التركية"
_BORDER_TAILS = tuple(" " + w for w in CUE_WORDS["border_tails"])
#: how far outside a governorate's outline a place coded to another governorate still counts
#: as in it for ``within=`` (the codes of places on a border and the outlines disagree by ~1-4 km)
FILTER_BORDER_KM = 4.0
#: a village read over this far from the town the text puts it in is not that village
FAR_FROM_TOWN_KM = 50.0
#: containers that say where a village lies to within a few tens of km
_LOCAL_CONTAINERS = frozenset({"town", "village", "subdistrict"})
#: the types of place that name their governorate (the governorate, its seat)
_GOVERNORATE_NAMING = frozenset({"governorate", "city"})
_FOCUS_WEIGHT = {"country": 3, "governorate": 3, "city": 2, "town": 2}
#: places that say what country a document is about even when their name is a common word (الكويت)
FOCUS_TYPES = frozenset({"country", "governorate"})
#: how many of a document's confident places steer the choice among homonyms
MAX_ANCHORS = 25
#: a pick with this share of its candidates' probability is confident enough to anchor the document
CONFIDENT_SHARE = 0.8


def stray_village(m: Mention, focus: str, anchors: Sequence[Place] = ()) -> bool:
    """A cue-less, container-less mention whose every candidate is a small
    place outside the document's focus country, or whose name is a common
    word and whose every candidate is a town or smaller outside it (بيان), or
    whose every candidate is a small town abroad far from every other place
    of the document (الغانم in a Kuwaiti tweet is a family name, not the
    Qatari town)."""
    if m.cue.kind is not None or m.container is not None or m.is_container:
        return False
    if m.common:
        return all(p.country != focus and p.feature_type in MINOR_OR_TOWN for p, _ in m.cands)
    if all(p.feature_type in MINOR and p.country != focus and not p.population
           and "geomap" not in p.sources for p, _ in m.cands):  # the project's own landmarks are notable
        return True
    if not all(p.feature_type in MINOR_OR_TOWN and p.country != focus and (p.population or 0) < STRAY_TOWN_POP
               for p, _ in m.cands):
        return False
    others = [a for a in anchors if all(a is not p for p, _ in m.cands)]
    return bool(others) and not any(haversine_km(p.lat, p.lon, a.lat, a.lon) <= LONELY_KM
                                    for p, _ in m.cands for a in others)


def inside(gaz: Gazetteer, area: Place, place: Place) -> bool:
    """Whether ``place`` lies in ``area`` as a filter reads it (``within=``): a governorate
    holds the places of its own code, and of another code only within :data:`FILTER_BORDER_KM`
    of its outline (codes and outlines disagree by a few km; the ranking's wider tolerance,
    :meth:`Gazetteer.contains`, would let a Hama village 5 km from Aleppo's border be "in Aleppo")."""
    if area.feature_type == "governorate" and area.admin1 and place.admin1 and place.country == area.country:
        if place.admin1 == area.admin1:
            return True
        if not area.geometry_wkt:
            return False
        from shapely import Point

        return bool(area.geometry.distance(Point(place.lon, place.lat)) * 111.0 <= FILTER_BORDER_KM)
    return gaz.contains(area, place)


def within_filter(gaz: Gazetteer, area: Place, cands: Sequence[tuple[Place, float]]) -> list[tuple[Place, float]]:
    """The candidates ``within=`` ``area`` keeps (:func:`inside`); of a governorate, those coded to
    it when there are any, before those a few km past its outline (the Idlib Hamdaniyah lies
    within :data:`FILTER_BORDER_KM` of Hama, whose own Hamdaniyah is the answer there)."""
    keep = [(p, s) for p, s in cands if inside(gaz, area, p)]
    if area.feature_type == "governorate" and area.admin1:
        coded = [(p, s) for p, s in keep if p.admin1 == area.admin1]
        return coded or keep
    return keep


def named_governorates(ms: Sequence[Mention]) -> set[str]:
    """The Syrian governorates (admin1 codes) a document names: a governorate, its seat
    (a city) or its countryside."""
    return {m.best.admin1 for m in ms if m.best is not None and m.best.country == HOME_COUNTRY and m.best.admin1
            and (m.best.feature_type in _GOVERNORATE_NAMING or m.cue.kind == "countryside")}


def focus_of(anchors: Sequence[Place]) -> str | None:
    """The country most of ``anchors`` lie in; a country or province says more of a
    document's country than a village does. None when they say nothing."""
    focus = most_common([p.country for p in anchors if p.country != INTERNATIONAL_WATERS
                          for _ in range(_FOCUS_WEIGHT.get(p.feature_type, 1))], 1)
    return focus[0] if focus else None


def abroad(ms: list[Mention]) -> bool:
    """Whether the mentions say the text is about another country: one names only a
    country, governorate or city abroad, and none a Syrian city, governorate or region."""
    big = ("country", "governorate", "city", "region")
    return any(all(p.country != HOME_COUNTRY for p, _ in m.cands) and any(p.feature_type in big for p, _ in m.cands)
               for m in ms) \
        and not any(p.country == HOME_COUNTRY and p.feature_type in big for m in ms for p, _ in m.cands)


def most_common(items: list, n: int) -> list:
    """The ``n`` most frequent of ``items``, first seen first among equals
    (the keys of ``Counter(items).most_common(n)``, without its overhead on short lists)."""
    counts: dict = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    return sorted(counts, key=counts.__getitem__, reverse=True)[:n]


def anchors_of(ms: Sequence[Mention]) -> tuple[list[Place], str | None]:
    """The document's anchors — the most frequent of its confident picks:
    unambiguous names that are not common words, or names a cue supports —
    and the country they say the document is about (None: they say nothing)."""
    counted = most_common([m.best.id for m in ms if m.best is not None and
                           (m.cue.kind is not None or (m.score_gap >= CONFIDENT_SHARE and (
                               not m.common or m.best.feature_type in FOCUS_TYPES)))], MAX_ANCHORS)
    places = {m.best.id: m.best for m in ms if m.best is not None}
    anchors = [places[i] for i in counted]
    return anchors, focus_of(anchors)


class Context:
    """Links and filters the mentions of a reading, in one gazetteer."""

    def __init__(self, gazetteer: Gazetteer, deriver: Deriver, words: dict[str, int]) -> None:
        self.gaz = gazetteer
        self.deriver = deriver
        self.words = words

    def link_containers(self, r: Reading) -> None:
        """Mark Y as the container of X in "X بـY", "X في Y", "X in Y", "X, Y province"."""
        text, nt, mt, ms = r.text, r.nt, r.mt, r.mentions
        for x, y in pairwise(ms):
            assert x.hit is not None and y.hit is not None
            latin = x.hit.key.isascii() and y.hit.key.isascii()
            if latin and y.cue.kind == "admin" and y.cue.left < x.cue.right <= y.hit.start:
                # "the Jobar district of Damascus": the descriptor is X's, and Y its city
                y.cue = replace(y.cue, left=y.hit.start, kind=None, types=set())
            gap = mt[x.cue.right:y.cue.left].strip()
            if latin:
                ok = gap in _CONTAINER_GAPS_EN
                if ok and gap == "":  # only "X, Y": a comma between, not "X - Y" or "X Y"
                    a = span(nt, x.cue.left, x.cue.right)[1]
                    b = span(nt, y.cue.left, y.cue.right)[0]
                    ok = text[a:b].strip() == ","
            else:
                prefix = mt[y.hit.word_start:y.hit.start]
                ok = (gap == "" and prefix.startswith(("ب", "وب"))) or gap in _CONTAINER_GAPS_AR
            if ok and y.cue.kind not in ("direction", "near"):
                x.container = y
                if y.cue.direction and y.cue.kind in (None, "countryside"):
                    self._within_sector(x, y)

    def _within_sector(self, x: Mention, y: Mention) -> None:
        """X of "X بريف حماة الغربي": keep X's candidates in that sector of the
        countryside, when some lie there (قرية الربيعة is the western one)."""
        from shapely import Point

        sectors = []
        for p, _ in y.cands:
            if y.cue.kind != "countryside" and not p.id.startswith("geomap:countryside:"):
                continue
            geom = self.deriver.derive(p, y.cue.kind, y.cue.direction, None)[1]
            if geom is not None:
                sectors.append(geom)
        if not sectors:
            return
        inside = tuple((p, sc) for p, sc in x.cands if any(g.covers(Point(p.lon, p.lat)) for g in sectors))
        if inside and len(inside) < len(x.cands):
            x.cands = inside
            x.narrowed = True

    def link_roads(self, r: Reading) -> None:
        """Join "طريق X - Y" / "the X-Y road" into one mention (its second name
        becomes part of the first's span)."""
        text, nt, mt, ms = r.text, r.nt, r.mt, r.mentions
        out: list[Mention] = []
        skip = False
        for x, y in zip(ms, [*ms[1:], None], strict=False):  # no pair when ms is empty
            if skip:
                skip = False
                continue
            out.append(x)
            if y is None or y.cue.kind not in (None, "poi"):
                continue
            if mt[x.cue.right:y.cue.left].strip():
                continue  # a letter or digit between the names: no dash alone
            a = span(nt, x.cue.left, x.cue.right)[1]
            b = span(nt, y.cue.left, y.cue.right)[0]
            if text[a:b].strip() not in ("-", "–", "—", "/"):
                continue
            head = mt[x.cue.left:x.hit.start] if x.hit else ""
            road_before = x.cue.kind == "poi" and any(w in head for w in _ROAD_HEADS)
            road_after = y.cue.kind == "poi" and any(w in mt[y.cue.right - 9:y.cue.right] for w in _ROAD_TAILS)
            border_after = any(w in mt[y.cue.right:y.cue.right + 9] for w in _BORDER_TAILS)
            if border_after and y.cue.kind is None:
                x.road_to, x.border = y, True
                end = mt.find(" ", y.cue.right + 1)  # the mention takes in "border"
                x.cue = replace(x.cue, right=end if end != -1 else y.cue.right, kind=None)
                skip = True
            elif road_before or road_after:
                x.road_to = y
                x.cue = replace(x.cue, right=y.cue.right, kind=None)
                skip = True
        r.mentions = out

    def in_focus(self, m: Mention, anchors: Sequence[Place], seen: dict[int, str] | None = None) -> bool:
        """Whether ``m``'s pick fits the country the *rest* of the document is about
        (Syria when the rest says nothing: a lone place does not vote for itself).
        What does not fit — and what the calibrated confidence distrusts — is a
        small place (:data:`geomap.gazetteer.rank.SMALL`) outside that country and
        Syria, or any place abroad of another type than the words ask for (the
        *village* of Kum is not the city of Qom), unless its container holds it.
        ``seen``: the document's own-country reading per best place, filled here
        (one document's mentions share it: many name the same place)."""
        best = m.best
        if best is None or best.country in (HOME_COUNTRY, INTERNATIONAL_WATERS):
            return True
        if m.container is not None and m.container.best is not None and self.gaz.contains(m.container.best, best):
            return True  # the text says where: الخفجي في السعودية
        own = seen.get(id(best)) if seen is not None else None
        if own is None:
            own = focus_of([a for a in anchors if a is not best]) or HOME_COUNTRY
            if seen is not None:
                seen[id(best)] = own
        if best.country == own:
            return True
        if m.cue.types and best.feature_type not in m.cue.types:
            return False
        return best.feature_type not in rank.SMALL

    def far_from_its_town(self, x: Mention, y: Mention) -> bool:
        """Whether ``x`` («قرية X في ريف Y», «بلدة X في ناحية Y») is a village whose every candidate lies over
        :data:`FAR_FROM_TOWN_KM` from its container ``y``, a town, village or subdistrict: the
        gazetteer does not know X there, and a namesake elsewhere is no answer."""
        b = y.best
        if b is None or b.feature_type not in _LOCAL_CONTAINERS or y.cue.kind not in ("countryside", "admin"):
            return False  # (the words say both are places: «قرية X بريف Y», «بلدة X في ناحية Y»)
        if x.cue.kind != "admin":
            return False
        if not all(p.feature_type in MINOR for p, _ in x.cands):
            return False
        return all(haversine_km(p.lat, p.lon, b.lat, b.lon) > FAR_FROM_TOWN_KM for p, _ in x.cands)

    def into_governorates(self, ms: Sequence[Mention]) -> list[Mention]:
        """The mentions whose pick is a village or town outside every governorate the
        document names while a same-named candidate lies inside one (قرية X … بريف
        دير الزور, X read in Aleppo): their candidates narrowed to those inside (the
        caller ranks them again). A pick its own container holds is left alone."""
        govs = named_governorates(ms)
        out: list[Mention] = []
        if not govs:
            return out
        for m in ms:
            b = m.best
            if b is None or m.is_container or b.feature_type not in MINOR_OR_TOWN or b.admin1 in govs:
                continue
            y = m.container.best if m.container is not None else None
            if y is not None and self.gaz.contains(y, b):
                continue
            keep = tuple((p, sc) for p, sc in m.cands if p.country == HOME_COUNTRY and p.admin1 in govs)
            if keep and len(keep) < len(m.cands):
                m.cands = keep
                m.narrowed = True
                out.append(m)
        return out

    def _is_word(self, m: Mention) -> bool:
        """Whether ``m`` is an Arabic dictionary word, with or without its article."""
        if m.hit is None:
            return False
        key = m.hit.key
        return not key.isascii() and (key in self.words or strip_article(key) in self.words)

    def lonely_word(self, m: Mention, ms: list[Mention]) -> bool:
        """Whether ``m`` is a bare village whose name is a word, with no other place of the document near it."""
        if m.cue.kind is not None or m.container is not None or m.is_container or m.hit is None:
            return False
        if not all(p.feature_type in MINOR and not p.population for p, _ in m.cands):
            return False
        if not self._is_word(m):
            return False
        # the neighbour is a place the document names as a place: not another bare word
        # (two words of a casualty report do not vouch for each other), not a country
        others = [o.best for o in ms if o is not m and o.best is not None and o.best.feature_type != "country"
                  and (o.hit is None or o.cue.kind is not None or o.container is not None or not self._is_word(o))]
        lonely = not any(haversine_km(p.lat, p.lon, o.lat, o.lon) <= WORD_NEIGHBOUR_KM
                         for p, _ in m.cands for o in others)
        m.word = not lonely  # kept for its neighbour: its confidence says it may be the word
        return lonely


def the_region(r: Reading) -> None:
    """"the Golan", "the Ghouta", "the Euphrates": English writes the article before the name
    of a region, a river or a plain, not before a town's or village's name (which takes a
    descriptor when it has one: "the Jobar district"). Such a mention keeps its candidates
    that are not settlements, when it has some."""
    for m in r.mentions:
        if m.hit is None or m.cue.kind is not None or m.cue.types or not m.hit.key.isascii():
            continue
        if word_before(r.mt, m.hit.word_start) != "the":
            continue
        keep = tuple((p, s) for p, s in m.cands if p.feature_type not in SETTLEMENT)
        if keep and len(keep) < len(m.cands):
            m.cands, m.narrowed = keep, True
