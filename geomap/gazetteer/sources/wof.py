"""Reader for the Who's On First admin repository of Syria.

Accepts ``whosonfirst-data-admin-sy.tar.gz`` (read as a stream, never
extracted) or its unpacked directory. Region = governorate, county =
district, localadmin = subdistrict (kept with simplified polygons); localities
and neighbourhoods are points.
"""

from __future__ import annotations

import json
import os
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ..model import Place
from ..report import SourceReport
from ._common import (
    NameSet,
    admin1_from_geonames,
    arabic_lang,
    admin1_from_iso,
    admin1_from_name,
    clean,
    governorate,
    has_arabic,
    is_governorate_seat,
    is_latin,
    require_path,
    settlement_type,
    simplify_wkt,
    to_float,
    to_population,
)

NAME = "wof"

_AREA_TYPES = {"country": "country", "region": "governorate", "county": "district", "localadmin": "subdistrict",
               "macroregion": "region", "macrocounty": "region"}
_POINT_TYPES = {"locality": None, "neighbourhood": "neighbourhood", "microhood": "neighbourhood",
                "macrohood": "neighbourhood", "borough": "neighbourhood", "campus": None}
# Latin-script languages whose names are worth keeping as variants.
_LATIN_LANGS = ("fra", "deu", "tur", "kur", "spa", "ita")
_ARABIC_LANGS = ("ara", "arz", "apc", "ajp", "acm")


def _iter_features(path: Path, report: SourceReport) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(location, feature)`` for every record file of the repo."""

    def parse(raw: bytes, where: str) -> dict[str, Any] | None:
        try:
            feat = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            report.skip("invalid JSON", where)
            return None
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            report.skip("not a GeoJSON feature", where)
            return None
        return feat

    def wanted(name: str, where: str) -> bool:
        if not name.endswith(".geojson"):
            return False
        report.read += 1
        if "-alt-" in Path(name).name or Path(name).stem.endswith("-alt"):
            report.skip("alternate geometry file", where)
            return False
        return True

    if path.is_dir():
        files = sorted(path.rglob("*.geojson"))
        if not files:
            raise SourceError(path, "no Who's On First .geojson records in this directory")
        for f in files:
            where = str(f.relative_to(path))
            if not wanted(f.name, where):
                continue
            try:
                raw = f.read_bytes()
            except OSError as exc:
                raise SourceError(f, f"cannot read: {exc.strerror or exc}") from exc
            feat = parse(raw, where)
            if feat is not None:
                yield where, feat
        return

    seen_any = False
    try:
        with tarfile.open(path, mode="r:*") as tf:
            for member in tf:
                if not member.isfile() or not wanted(member.name, member.name):
                    continue
                seen_any = True
                fh = tf.extractfile(member)
                if fh is None:  # pragma: no cover - isfile() members always have data
                    report.skip("unreadable archive member", member.name)
                    continue
                feat = parse(fh.read(), member.name)
                if feat is not None:
                    yield member.name, feat
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise SourceError(path, f"corrupt or unreadable archive: {exc}") from exc
    if not seen_any:
        raise SourceError(path, "no Who's On First .geojson records in this archive")


def _first(value: Any) -> str:
    if isinstance(value, list):
        for v in value:
            if clean(v):
                return clean(v)
        return ""
    return clean(value)


def _strs(value: Any) -> list[str]:
    if isinstance(value, list):
        return [clean(v) for v in value if clean(v)]
    return [clean(value)] if clean(value) else []


def _hierarchy(props: dict[str, Any], regions: dict[int, str]) -> dict[str, Any]:
    """The hierarchy entry that runs through a Syrian governorate, if any."""
    hier = props.get("wof:hierarchy")
    if not isinstance(hier, list) or not hier:
        return {}
    entries = [h for h in hier if isinstance(h, dict)]
    for h in entries:
        if h.get("region_id") in regions:
            return h
    return entries[0] if entries else {}


def _region_iso(props: dict[str, Any]) -> str | None:
    conc = props.get("wof:concordances") or {}
    for code in (conc.get("iso:code"), conc.get("iso:id"), props.get("ne:iso_3166_2")):
        iso = admin1_from_iso(code)
        if iso:
            return iso
    short = clean(props.get("wof:shortcode"))
    if short and admin1_from_iso(f"SY-{short}"):
        return f"SY-{short}"
    return admin1_from_name(props.get("wof:name"), fuzzy=False)


def read(path: str | os.PathLike[str], report: SourceReport | None = None) -> list[Place]:
    """Read Who's On First Syria records as places.

    Parameters
    ----------
    path
        ``whosonfirst-data-admin-sy.tar.gz`` (or any tar) or its unpacked directory.
    report
        Counts read/kept records and skipped ones by reason (deprecated,
        superseded, not current, invalid JSON...).

    Returns
    -------
    list of Place
        ids ``wof:<id>``; governorates, districts and subdistricts carry a
        simplified polygon (WKT), other places are points.

    Raises
    ------
    SourceError
        Missing path, corrupt archive, or no WOF records in it.
    """
    p = require_path(path)
    rep = report if report is not None else SourceReport(NAME, str(p))
    if not rep.path:
        rep.path = str(p)
    return list(_read(p, rep))


def _read(p: Path, rep: SourceReport) -> Iterator[Place]:

    # Pass 1: keep current records (the repo has ~10k; they fit in memory).
    records: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    for where, feat in _iter_features(p, rep):
        props = feat["properties"]
        if props.get("edtf:deprecated") not in (None, "", "uuuu"):
            rep.skip("deprecated", where)
            continue
        if props.get("wof:superseded_by"):
            rep.skip("superseded", where)
            continue
        if props.get("mz:is_current") in (0, "0"):
            rep.skip("not current", where)
            continue
        if props.get("wof:placetype") not in _AREA_TYPES and props.get("wof:placetype") not in _POINT_TYPES:
            rep.skip("placetype not used", where)
            continue
        if not isinstance(props.get("wof:id"), int):
            rep.skip("missing wof:id", where)
            continue
        records.append((where, props, feat.get("geometry")))

    regions: dict[int, str] = {}
    counties: dict[int, Any] = {}
    for _, props, _geom in records:
        if props["wof:placetype"] == "region":
            iso = _region_iso(props)
            if iso:
                regions[props["wof:id"]] = iso
    from shapely import STRtree
    from shapely.geometry import shape

    region_shapes: list[tuple[Any, str]] = []
    county_shapes: list[tuple[Any, int]] = []
    for _, props, geom in records:
        pt = props["wof:placetype"]
        if pt in ("region", "county") and isinstance(geom, dict) and geom.get("type") in ("Polygon", "MultiPolygon"):
            try:
                g = shape(geom)
            except Exception:  # broken geometry: just not used for lookups
                continue
            if pt == "region" and props["wof:id"] in regions:
                region_shapes.append((g, regions[props["wof:id"]]))
            elif pt == "county":
                counties[props["wof:id"]] = g
                county_shapes.append((g, props["wof:id"]))
    region_tree = STRtree([g for g, _ in region_shapes]) if region_shapes else None
    county_tree = STRtree([g for g, _ in county_shapes]) if county_shapes else None

    def locate(lat: float, lon: float, tree: Any, items: list[tuple[Any, Any]]) -> Any:
        if tree is None:
            return None
        from shapely import Point

        pt = Point(lon, lat)
        hits = tree.query(pt, predicate="intersects")
        if len(hits):
            return items[int(hits[0])][1]
        # Coastal or border points just outside a polygon: nearest one within ~5 km.
        near = tree.query_nearest(pt, max_distance=0.05)
        return items[int(near[0])][1] if len(near) else None

    # Pass 2: build places.
    for where, props, geom in records:
        wid = props["wof:id"]
        pt = props["wof:placetype"]
        lat = to_float(props.get("lbl:latitude"))
        lon = to_float(props.get("lbl:longitude"))
        if lat is None or lon is None:
            lat, lon = to_float(props.get("geom:latitude")), to_float(props.get("geom:longitude"))
        if lat is None or lon is None:
            rep.skip("missing coordinates", where)
            continue

        eng = _first(props.get("name:eng_x_preferred"))
        wof_name = clean(props.get("wof:name"))
        ara_pref = _strs(props.get("name:ara_x_preferred"))
        ar_candidates = ara_pref + [
            n
            for key in ("name:arz_x_preferred", "name:apc_x_preferred", "name:ara_x_variant", "name:und_x_variant")
            for n in _strs(props.get(key))
        ]
        name_ar = next((n for n in ar_candidates if has_arabic(n) and arabic_lang(n) == "ar"), None)
        name = eng or wof_name or clean(props.get("gn:asciiname"))
        if not name:
            name = name_ar or ""
        if not name:
            rep.skip("missing name", where)
            continue

        hier = _hierarchy(props, regions)
        admin1 = regions.get(wid) if pt == "region" else regions.get(hier.get("region_id"))
        if admin1 is None and pt != "country":
            admin1 = admin1_from_geonames(props.get("gn:admin1_code"))
            if admin1 is None and pt not in _AREA_TYPES:
                admin1 = locate(lat, lon, region_tree, region_shapes)

        # Primary names of governorates follow governorates.csv so every source agrees.
        extra_primary: list[str] = []
        if pt == "region" and admin1:
            gov = governorate(admin1)
            if gov is not None:
                extra_primary = [name, name_ar or ""]
                name, name_ar = gov.name, gov.name_ar

        names = NameSet(name, name_ar)
        for n in extra_primary:
            names.add_auto(n)
        conc = props.get("wof:concordances") or {}
        if pt == "campus":
            for code_key in ("iata:code", "icao:code"):
                names.add(conc.get(code_key), "und", "code")
        if wof_name:
            names.add_auto(wof_name)
        for n in ara_pref:
            names.add_auto(n)
        for key in (f"name:{lang}_x_{kind}" for lang in _ARABIC_LANGS for kind in ("preferred", "variant", "colloquial")):
            for n in _strs(props.get(key)):
                names.add_auto(n)
        for n in _strs(props.get("name:eng_x_preferred"))[1:] + _strs(props.get("name:eng_x_variant")):
            names.add_auto(n)
        for n in _strs(props.get("name:und_x_variant")):
            names.add_auto(n, "variant", latin_kind="transliteration")
        for n in (props.get("gn:name"), props.get("gn:asciiname")):
            names.add_auto(n, "variant", latin_kind="transliteration")
        for lang in _LATIN_LANGS:
            for kind in ("preferred", "variant"):
                for n in _strs(props.get(f"name:{lang}_x_{kind}")):
                    if is_latin(n):
                        names.add(n, "la", "variant")

        population = to_population(props.get("wof:population")) or to_population(props.get("gn:population"))
        geometry_wkt = None
        admin2 = None
        if pt in _AREA_TYPES:
            ftype = _AREA_TYPES[pt]
            if pt == "region" and admin1 is None:
                ftype = "region"  # e.g. the UNDOF zone
            if isinstance(geom, dict) and geom.get("type") in ("Polygon", "MultiPolygon"):
                geometry_wkt = simplify_wkt(geom)
            if pt == "localadmin":
                cid = hier.get("county_id")
                admin2 = f"wof:{cid}" if cid in counties else None
        else:
            if pt == "campus":
                ftype = "airport" if ("iata:code" in conc or "icao:code" in conc or "airport" in name.lower()) else "landmark"
            elif pt == "locality":
                fcode = clean(props.get("gn:feature_code"))
                seat = fcode in ("PPLA", "PPLC") or is_governorate_seat([name, name_ar or "", wof_name], lat, lon)
                ftype = "city" if seat else settlement_type(population)
            else:
                ftype = _POINT_TYPES[pt] or "landmark"
            cid = hier.get("county_id")
            if cid in counties:
                admin2 = f"wof:{cid}"
            else:
                found = locate(lat, lon, county_tree, county_shapes)
                admin2 = f"wof:{found}" if found is not None else None

        rep.kept += 1
        yield Place(
            id=f"wof:{wid}",
            name=name,
            feature_type=ftype,
            lat=lat,
            lon=lon,
            name_ar=name_ar,
            names=names.as_tuple(),
            country=clean(props.get("wof:country")) or "SY",
            admin1=admin1,
            admin2=admin2,
            population=population,
            geometry_wkt=geometry_wkt,
            sources=(NAME,),
        )
