"""Merging places from several sources into one list.

A new place joins an existing place when they share a normalised name and are
the same kind of thing — the same governorate (by ISO code), the same district
(name within the governorate), or a settlement within :data:`MERGE_KM`. Names
are pooled, a surveyed polygon replaces an approximate one, the larger
population wins, ids of the first place stay. Used by the default gazetteer
(registry packages + the shipped Syria table + user places) and the full build.
"""

from __future__ import annotations

from collections.abc import Iterable

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


_SETTLEMENTS = {"city", "town", "village", "neighbourhood"}
_KIND = {t: "settlement" for t in _SETTLEMENTS}


def _kind(feature_type: str) -> str:
    return _KIND.get(feature_type, feature_type)


class Merger:
    """Accumulates places, merging duplicates as they come."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: list[Place] = []
        self.by_id: dict[str, Place] = {}
        self.by_key: dict[str, list[Place]] = {}
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

    def _match(self, new: Place) -> Place | None:
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
                if kind in ("district", "subdistrict"):
                    if p.admin1 == new.admin1:
                        return p
                    continue
                d = haversine_km(p.lat, p.lon, new.lat, new.lon)
                limit = MERGE_KM if kind in ("settlement", "airbase", "airport") else 50.0
                if d <= limit and (best_d is None or d < best_d):
                    best, best_d = p, d
        return best

    def add(self, new: Place) -> None:
        if new.id in self.by_id:
            self._merge(self.by_id[new.id], new)
            return
        old = self._match(new)
        if old is None:
            self._add(new)
        else:
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
        if new.geometry_wkt and (old.geometry_wkt is None or (old.geometry_approx and not new.geometry_approx)):
            old.geometry_wkt, old.geometry_approx, old._geom = new.geometry_wkt, new.geometry_approx, None
        if new.population and (old.population or 0) < new.population:
            old.population = new.population
            if old.feature_type in ("village", "town") and new.feature_type in ("town", "city"):
                old.feature_type = new.feature_type
        old.admin1 = old.admin1 or new.admin1
        old.admin2 = old.admin2 or new.admin2
        old.sources = tuple(dict.fromkeys((*old.sources, *new.sources)))


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
