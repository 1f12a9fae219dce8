"""Merging places from several sources into one list.

A new place joins an existing place when they share a normalised name and are
the same kind of thing — the same governorate (by ISO code), the same district
(name within the governorate), or a settlement within :data:`MERGE_KM`. Names
are pooled, a surveyed polygon replaces an approximate one, the larger
population wins, ids of the first place stay. Used by the default gazetteer
(registry packages + the shipped Syria table + user places) and the full build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from geomap.gazetteer.model import Name, Place
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.store import name_keys

#: Settlements with a shared name closer than this are one place.
MERGE_KM = 5.0

#: km around a seat city that its countryside leaves out.
CITY_RADIUS_KM = 8.0


def wkt(geom) -> str:  # noqa: ANN001 - a shapely geometry
    """WKT of a geometry rounded to 4 decimals (~10 m), as the gazetteer stores areas."""
    from shapely import to_wkt

    return to_wkt(geom, rounding_precision=4)


_SETTLEMENTS = {"city", "town", "village"}
#: a neighbourhood is matched with neighbourhoods only: al-Midan of Damascus is not a village al-Midan nearby
_KIND = {t: "settlement" for t in _SETTLEMENTS}
#: an OCHA admin P-code (SY##, SY####, SY######) written as a code name by Open Syria
_ADMIN_PCODE = re.compile(r"SY\d{2}(?:\d{2}){0,2}")


def _kind(feature_type: str) -> str:
    return _KIND.get(feature_type, feature_type)


class Merger:
    """Accumulates places, merging duplicates as they come."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = []
        self.by_id: dict[str, Place] = {}
        self.by_key: dict[str, list[Place]] = {}
        self.by_pcode: dict[str, Place] = {}
        self.merged = 0
        self.govs: dict[tuple[str, str], Place] = {}
        for p in places:
            self._add(p)

    def _add(self, place: Place) -> None:
        self.places.append(place)
        self.by_id[place.id] = place
        if place.feature_type == "governorate" and place.admin1:
            self.govs.setdefault((place.country, place.admin1), place)
        for k in name_keys(place):
            self.by_key.setdefault(k, []).append(place)
        self._index_pcode(place)

    def _index_pcode(self, place: Place) -> None:
        if place.pcode:
            self.by_pcode.setdefault(place.pcode, place)
        if place.is_area:  # Open Syria gives the admin P-code as a code name
            for n in place.names:
                if n.kind == "code" and _ADMIN_PCODE.fullmatch(n.text):
                    self.by_pcode.setdefault(n.text, place)

    def _match(self, new: Place) -> Place | None:
        if new.pcode and new.pcode in self.by_pcode:
            return self.by_pcode[new.pcode]
        if new.feature_type == "governorate" and new.admin1:
            gov = self.govs.get((new.country, new.admin1))
            if gov is not None:
                return gov
        kind = _kind(new.feature_type)
        best, best_d = None, None
        for k in name_keys(new):
            for p in self.by_key.get(k, ()):
                if _kind(p.feature_type) != kind or p.country != new.country:
                    continue
                if p.pcode and new.pcode and p.pcode != new.pcode:
                    continue  # OCHA lists them as two places (two villages of one name 3 km apart)
                if kind in ("district", "subdistrict"):
                    if p.admin1 == new.admin1:
                        return p
                    continue
                d = haversine_km(p.lat, p.lon, new.lat, new.lon)
                limit = MERGE_KM if kind in ("settlement", "airbase", "airport") else 50.0
                if d <= limit and (best_d is None or d < best_d):
                    best, best_d = p, d
        return best

    def add(self, new: Place) -> bool:
        """Add ``new``, merged into the place it duplicates; True when it was merged."""
        if new.id in self.by_id:
            self._merge(self.by_id[new.id], new)
            return True
        old = self._match(new)
        if old is None:
            self._add(new)
            return False
        self._merge(old, new)
        return True

    def merge_into(self, old: Place, new: Place) -> None:
        """Merge ``new`` into ``old`` (a match found by the caller, e.g. :func:`merge_communities`)."""
        self._merge(old, new)

    def _merge(self, old: Place, new: Place) -> None:
        self.merged += 1
        have = set(old.all_names())
        extra = [n for n in (Name(new.name, "la", "variant"),
                             *([Name(new.name_ar, "ar", "variant")] if new.name_ar else []), *new.names)
                 if n.text and n.text not in have and not have.add(n.text)]  # type: ignore[func-returns-value]
        if extra:
            old.names = (*old.names, *extra)
            for k in name_keys(Place(id="", name="", feature_type="", lat=0, lon=0, names=tuple(extra))):
                self.by_key.setdefault(k, []).append(old)
        old.name_ar = old.name_ar or new.name_ar
        # a place's own admin P-code marks the reference (COD-AB) boundary, which P-codes are assigned by
        reference = new.is_area and bool(new.pcode and _ADMIN_PCODE.fullmatch(new.pcode))
        if new.geometry_wkt and (old.geometry_wkt is None or (old.geometry_approx and not new.geometry_approx)
                                 or reference):
            old.geometry_wkt, old.geometry_approx, old._geom = new.geometry_wkt, new.geometry_approx, None
        if new.population and (old.population or 0) < new.population:
            old.population = new.population
            if old.feature_type in ("village", "town") and new.feature_type in ("town", "city"):
                old.feature_type = new.feature_type
        old.admin1 = old.admin1 or new.admin1
        old.admin2 = old.admin2 or new.admin2
        if new.pcode and not old.pcode:  # the P-coded record's own admin path wins over one by polygon
            old.pcode, old.parent = new.pcode, new.parent
            old.adm1_pcode = new.adm1_pcode or old.adm1_pcode
            old.adm2_pcode = new.adm2_pcode or old.adm2_pcode
            old.adm3_pcode = new.adm3_pcode or old.adm3_pcode
        else:
            old.adm1_pcode = old.adm1_pcode or new.adm1_pcode
            old.adm2_pcode = old.adm2_pcode or new.adm2_pcode
            old.adm3_pcode = old.adm3_pcode or new.adm3_pcode
            old.parent = old.parent or new.parent
        old.sources = tuple(dict.fromkeys((*old.sources, *new.sources)))
        self._index_pcode(old)


#: an OCHA community and a settlement of another source are one place within these km
#: when they share an Arabic name, or a close spelling, in the same subdistrict
COMMUNITY_KM = 5.0
#: ... and closer than this across a subdistrict border (OCHA's and WOF's points of one
#: village on either side of a nahiya border): with the same Arabic name, or a close spelling
COMMUNITY_BORDER_KM = 3.0
COMMUNITY_BORDER_CLOSE_KM = 1.5
#: difflib ratio of two article-less Arabic keys that counts as a close spelling
ARABIC_CLOSE = 0.8


@lru_cache(maxsize=1)
def _namesake_words() -> dict[str, str]:
    """Normalised word → meaning (``east``, ``upper``, ``small``...) of ``namesake_words.csv``."""
    from geomap.gazetteer.tables import read_table
    from geomap.text import normalize_key

    return {normalize_key(r["word"]): r["meaning"] for r in read_table("namesake_words.csv")}


def _keys(place: Place) -> tuple[set[str], set[str], frozenset[str]]:
    """Article-less Arabic keys, consonant skeletons (Latin and Arabic) of a place's
    names, and the namesake words of its primary names (east, upper, small...)."""
    from geomap.gazetteer.store import skeleton_key
    from geomap.text import normalize_key, strip_article

    arabic, skels = set(), set()
    for key in name_keys(place):
        bare = strip_article(key)
        if not key.isascii():
            arabic.add(bare.replace(" ", ""))
        sk = skeleton_key(bare)
        if len(sk) >= 2:
            skels.add(sk)
    words = _namesake_words()
    marks = frozenset(words[w] for text in (place.name, place.name_ar) if text
                      for w in normalize_key(text).split() if w in words)
    return arabic, skels, marks


def _similarity(a: tuple[set[str], set[str], frozenset[str]], b: tuple[set[str], set[str], frozenset[str]]) -> int:
    """3: a shared Arabic name; 2: a close Arabic spelling; 1: a shared consonant
    skeleton of 3+ letters when one of the two has no Arabic name (two Arabic names
    that differ are two places, whatever their transliterations share); else 0.
    A close spelling or skeleton of names that differ by a namesake word (east and
    west Suwaydah, upper and lower Marwana) is no match."""
    from geomap.gazetteer.store import _ratio

    if a[0] & b[0]:
        return 3
    if a[2] != b[2]:
        return 0
    if any(_ratio(x, y) >= ARABIC_CLOSE for x in a[0] for y in b[0] if abs(len(x) - len(y)) <= 2):
        return 2
    if a[0] and b[0]:
        return 0
    return 1 if any(len(k) >= 3 for k in a[1] & b[1]) else 0


#: settlement types, smallest first: a merged community takes the larger
_SIZE = {"village": 0, "town": 1, "city": 2}


def merge_communities(merger: Merger, communities: Iterable[Place]) -> tuple[int, int]:
    """Merge OCHA communities into the settlements of ``merger``, one to one.

    A community and a settlement are one place when they are a similar name
    (:func:`_similarity`) within :data:`COMMUNITY_KM` in the same subdistrict
    (``adm3_pcode``; the settlements' are assigned by polygon beforehand), or
    within :data:`COMMUNITY_BORDER_KM` (:data:`COMMUNITY_BORDER_CLOSE_KM` for a
    close spelling) across a subdistrict border. The best
    pairs (most similar, then nearest) are taken first and each settlement
    takes one community, so two villages of one name a few km apart stay two.
    Returns ``(merged, added)``.
    """
    from shapely import STRtree, points

    todo = list(communities)
    merged = 0
    rest = []
    for c in todo:  # already there (a full build over the default): by P-code
        old = merger.by_pcode.get(c.pcode) if c.pcode else None
        if old is not None:
            merger.merge_into(old, c)
            merged += 1
        else:
            rest.append(c)
    pool = [p for p in merger.places if p.feature_type in _SETTLEMENTS and p.country == "SY" and not p.pcode]
    pairs: list[tuple[int, float, int, int]] = []
    if pool and rest:
        tree = STRtree(points([(p.lon, p.lat) for p in pool]))
        keys = [_keys(p) for p in pool]
        deg = COMMUNITY_KM / 111.0 * 1.3
        for ci, c in enumerate(rest):
            ck = _keys(c)
            for pi in tree.query(points(c.lon, c.lat).buffer(deg)):
                p = pool[int(pi)]
                d = haversine_km(c.lat, c.lon, p.lat, p.lon)
                if d > COMMUNITY_KM:
                    continue
                sim = _similarity(ck, keys[int(pi)])
                if p.adm3_pcode != c.adm3_pcode and d > (COMMUNITY_BORDER_KM if sim == 3 else
                                                         COMMUNITY_BORDER_CLOSE_KM):
                    continue
                if sim:
                    pairs.append((-sim, d, ci, int(pi)))
    pairs.sort()
    taken_c: set[int] = set()
    taken_p: set[int] = set()
    for _, _, ci, pi in pairs:
        if ci in taken_c or pi in taken_p:
            continue
        taken_c.add(ci)
        taken_p.add(pi)
        old, c = pool[pi], rest[ci]
        if _SIZE.get(c.feature_type, 0) > _SIZE.get(old.feature_type, 0):
            old.feature_type = c.feature_type  # a nahiya's seat is a town, a governorate's a city
        merger.merge_into(old, c)
        merged += 1
    added = 0
    for ci, c in enumerate(rest):
        if ci not in taken_c:
            merger._add(c)
            added += 1
    return merged, added


def assign_pcodes(places: list[Place]) -> int:
    """Give every Syrian place its admin P-codes: its own for admin areas, else by
    the subdistrict polygon (``adm3_pcode``) it lies in (the nearest within ~5 km for
    a point on the coast or a border). Returns how many places got a subdistrict."""
    from shapely import STRtree, from_wkt, points

    subs = [p for p in places if p.feature_type == "subdistrict" and p.pcode and p.geometry_wkt
            and p.pcode == p.adm3_pcode]
    for p in places:
        code = p.pcode or ""
        if p.feature_type == "governorate" and _ADMIN_PCODE.fullmatch(code) and len(code) == 4:
            p.adm1_pcode = code
        elif p.feature_type == "district" and _ADMIN_PCODE.fullmatch(code) and len(code) == 6:
            p.adm1_pcode, p.adm2_pcode = code[:4], code
    if not subs:
        return 0
    tree = STRtree([from_wkt(s.geometry_wkt) for s in subs])
    todo = [p for p in places if p.country == "SY" and not p.adm3_pcode and p.feature_type not in
            ("country", "governorate", "district", "region", "natural")]
    if not todo:
        return 0
    pts = points([(p.lon, p.lat) for p in todo])
    found: dict[int, int] = {}
    hit_p, hit_s = tree.query(pts, predicate="within")
    for ip, i_s in zip(hit_p, hit_s, strict=True):
        found.setdefault(int(ip), int(i_s))
    lost = [i for i in range(len(todo)) if i not in found]
    if lost:
        near_p, near_s = tree.query_nearest(pts[lost], max_distance=0.05)
        for ip, i_s in zip(near_p, near_s, strict=True):
            found.setdefault(lost[int(ip)], int(i_s))
    for i, si in found.items():
        p, code = todo[i], subs[si].pcode
        p.adm3_pcode = code
        p.adm2_pcode = p.adm2_pcode or code[:6]
        p.adm1_pcode = p.adm1_pcode or code[:4]
    return len(found)


#: area types whose surveyed polygons give their point
_SURVEYED_AREAS = frozenset({"governorate", "district", "subdistrict"})


def finish(places: list[Place]) -> None:
    """Fill admin paths from polygons, redraw countrysides on real polygons and
    place areas with a surveyed polygon at its centroid."""
    from shapely import STRtree, from_wkt, points

    from geomap.gazetteer.tables import governorates

    govs = [p for p in places if p.feature_type == "governorate" and p.country == "SY" and p.geometry_wkt]
    dists = [p for p in places if p.feature_type == "district" and p.country == "SY" and p.geometry_wkt]
    targets = [p for p in places if p.country == "SY" and p.feature_type not in ("country", "region", "natural")]
    pts = points([(p.lon, p.lat) for p in targets])
    for areas, attr in ((govs, "admin1"), (dists, "admin2")):
        if not areas:
            continue
        tree = STRtree([from_wkt(a.geometry_wkt) for a in areas])
        hit_pts, hit_areas = tree.query(pts, predicate="within")
        for ip, ia in zip(hit_pts, hit_areas, strict=True):
            p, a = targets[int(ip)], areas[int(ia)]
            if p is a:
                continue
            if attr == "admin1" and p.admin1 is None:
                p.admin1 = a.admin1
            elif attr == "admin2" and p.admin2 is None and p.feature_type != "district" and \
                    (p.admin1 is None or p.admin1 == a.admin1):
                p.admin2 = a.id
    seats = {r["iso"]: r for r in governorates()}
    by_id = {p.id: p for p in places}
    from shapely import Point

    for gov in govs:
        cs = by_id.get(f"geomap:countryside:{gov.admin1}")
        if cs is None or gov.geometry_approx:
            continue
        row = seats[gov.admin1]
        area = from_wkt(gov.geometry_wkt).difference(
            Point(float(row["seat_lon"]), float(row["seat_lat"])).buffer(CITY_RADIUS_KM / 100))
        rp = area.representative_point()
        cs.geometry_wkt, cs._geom, cs.lat, cs.lon = wkt(area), None, round(rp.y, 5), round(rp.x, 5)
        cs.geometry_approx = False
    # an area's point is its centroid, as UCDP and ACLED code area-level events (the
    # point of the polygon itself when the centroid falls outside it), not its seat
    for p in places:
        if p.feature_type in _SURVEYED_AREAS and p.geometry_wkt and not p.geometry_approx \
                and not p.id.startswith("geomap:countryside:"):
            shape = from_wkt(p.geometry_wkt)
            c = shape.centroid
            if not shape.contains(c):
                c = shape.representative_point()
            p.lat, p.lon = round(c.y, 5), round(c.x, 5)
