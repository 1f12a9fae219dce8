"""``build_full``: merge the default gazetteer with public dumps into one file.

Sources (each a module of :mod:`geomap.gazetteer.sources` with a
``read(path, report)`` function): Who's On First admin (``wof``), GeoNames
country dumps (``geonames``), Open-Syria geography (``opensyria``), the Syrian
Archive locations list (``syrianarchive``).

Merging: a source place joins an existing place when they share a
normalised name and are the same kind of thing — the same governorate (by
ISO code), the same district (name within the governorate), or a settlement
within :data:`MERGE_KM`. Names are pooled, a surveyed polygon replaces an
approximate one, the larger population wins, ids of the first place stay.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from geomap.errors import SourceError
from geomap.gazetteer.model import Name, Place
from geomap.gazetteer.report import BuildReport, SourceReport
from geomap.gazetteer.store import Gazetteer, haversine_km, name_keys

#: Settlements with a shared name closer than this are one place.
MERGE_KM = 5.0

#: Public download addresses used by ``--download`` (online only).
DOWNLOADS: dict[str, str] = {
    "wof": "https://github.com/whosonfirst-data/whosonfirst-data-admin-sy/archive/refs/heads/master.tar.gz",
    "geonames": "https://download.geonames.org/export/dump/SY.zip",
}

_SETTLEMENTS = {"city", "town", "village", "neighbourhood"}
_KIND = {t: "settlement" for t in _SETTLEMENTS}


def _kind(feature_type: str) -> str:
    return _KIND.get(feature_type, feature_type)


class _Merger:
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


def _download(name: str, dest: Path) -> Path:
    url = DOWNLOADS[name]
    target = dest / Path(url).name
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, target.open("wb") as fh:  # noqa: S310
            while chunk := resp.read(1 << 20):
                fh.write(chunk)
    except OSError as exc:
        raise SourceError(url, f"download failed ({exc}); give a local file instead") from exc
    return target


def build_full(*, wof: str | os.PathLike | None = None, geonames: str | os.PathLike | None = None,
               open_syria: str | os.PathLike | None = None,
               syrian_archive: str | os.PathLike | None = None, download: bool = False,
               out: str | os.PathLike | None = None, base: Gazetteer | None = None,
               progress: Callable[[str], None] | None = None) -> tuple[Gazetteer, BuildReport]:
    """Build the full gazetteer from the default plus public dumps.

    Parameters
    ----------
    wof, geonames, open_syria, syrian_archive : path, optional
        Local dumps (a WOF directory or ``.tar.gz``; ``SY.txt`` or ``SY.zip``;
        an Open-Syria directory; the Syrian Archive JSON).
    download : bool
        Fetch the WOF and GeoNames dumps that were not given (needs internet).
    out : path, optional
        Where to write the result; default :func:`geomap.gazetteer.load.full_path`.
        ``out=False``-like empty string skips writing.
    base : Gazetteer, optional
        What to merge into; default: the default gazetteer.
    progress : callable, optional
        Called with each source's name as it starts.

    Returns
    -------
    (Gazetteer, BuildReport)
    """
    from geomap.gazetteer.load import full_path, load_gazetteer

    report = BuildReport()
    paths = {"wof": wof, "geonames": geonames, "opensyria": open_syria, "syrianarchive": syrian_archive}
    tmp: tempfile.TemporaryDirectory | None = None
    if download:
        tmp = tempfile.TemporaryDirectory(prefix="geomap-dl-")
        for name in DOWNLOADS:
            if paths[name] is None:
                paths[name] = _download(name, Path(tmp.name))
    if not any(paths.values()):
        raise SourceError("(no source)", "give at least one dump (--wof, --geonames, --open-syria, "
                          "--syrian-archive) or --download")
    base = base if base is not None else load_gazetteer("default")
    # work on copies: the cached default gazetteer must not change
    merger = _Merger(Place.from_record(p.to_record()) for p in base)
    try:
        for name in ("wof", "opensyria", "geonames", "syrianarchive"):
            path = paths[name]
            if path is None:
                continue
            if progress:
                progress(name)
            module = importlib.import_module(f"geomap.gazetteer.sources.{name}")
            rep = report.add(SourceReport(name, str(path)))
            for place in module.read(path, rep):
                merger.add(place)
    finally:
        if tmp is not None:
            tmp.cleanup()
    _finish(merger.places)
    report.merged = merger.merged
    gaz = Gazetteer(merger.places, name="full", meta={"sources": {k: str(v) for k, v in paths.items() if v}})
    report.total = len(gaz)
    if out != "":
        report.path = str(gaz.save(out or full_path()))
        from geomap.gazetteer.load import clear_cache

        clear_cache()  # a later load_gazetteer("full") in this process reads the new file
    return gaz, report


#: area types whose surveyed polygons give their point
_SURVEYED_AREAS = frozenset({"governorate", "district", "subdistrict"})


def _finish(places: list[Place]) -> None:
    """Fill admin paths from polygons, redraw countrysides on real polygons and
    place areas with a surveyed polygon at its centroid."""
    from shapely import STRtree, from_wkt, points

    from geomap.gazetteer.default import CITY_RADIUS_KM, _wkt
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
        cs.geometry_wkt, cs._geom, cs.lat, cs.lon = _wkt(area), None, round(rp.y, 5), round(rp.x, 5)
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
