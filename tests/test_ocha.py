"""OCHA's Syria datasets: the reader, the merge with WOF settlements, P-codes on
places, mentions and events, and the neighbourhoods.

The reader's fixtures are written by the tests (a small workbook and a COD-AB-like
zip of shapefiles with real place names and approximate coordinates); tests marked
``shared`` read OCHA's files in ``../shared/data/ocha-syria`` and skip without them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from geomap import extract_events, geocode, geoparse, to_file
from geomap.errors import SourceError
from geomap.events.documents import Document
from geomap.gazetteer.admin import ADMIN_COLUMNS, admin_columns
from geomap.gazetteer.merge import Merger, assign_pcodes, merge_communities
from geomap.gazetteer.model import Place
from geomap.gazetteer.report import SourceReport
from geomap.gazetteer.sources import ocha
from geomap.gazetteer.store import haversine_km

HEADER = ("admin0Name_en", "admin1Name_en", "admin1Name_ar", "admin1Pcode", "admin2Name_en", "admin2Name_ar",
          "admin2Pcode", "admin3Name_en", "admin3Name_ar", "admin3Pcode", "admin4Name_en", "admin4Name_ar",
          "admin4Pcode", "LocationName_en", "LocationName_ar", "Location_Pcode", "location_type",
          "Latitude_y", "Longitude_x")


def _row(en: str, ar: str, pcode: str, lat, lon, adm3: str = "SY070501", sub=("Ehsem", "احسم")) -> tuple:
    return ("Syrian Arab Republic", "Idleb", "إدلب", "SY07", "Ariha", "أريحا", "SY0705", sub[0], sub[1], adm3,
            en.split(" (")[0], ar.split(" - ")[0], pcode, en, ar, pcode, "Community", lat, lon)


def _workbook(path: Path, rows: list[tuple]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _boundaries(path: Path) -> Path:
    """A COD-AB-like zip: Idleb governorate, Ariha district, Ehsem subdistrict (boxes),
    and two neighbourhoods of a city with the area that groups them."""
    import geopandas as gpd
    from shapely import box

    folder = path.parent / "cod"
    folder.mkdir()
    gov = box(35.9, 35.4, 37.2, 36.3)
    dist = box(36.3, 35.55, 36.75, 35.9)
    sub = box(36.40, 35.60, 36.60, 35.75)
    layers = {
        "syr_admbnda_adm1_uncs_unocha_20201217": [{"ADM1_EN": "Idleb", "ADM1_AR": "إدلب", "ADM1_PCODE": "SY07",
                                                   "ADM1ALT1EN": "Idlib", "geometry": gov}],
        "syr_admbnda_adm2_uncs_unocha_20201217": [{"ADM2_EN": "Ariha", "ADM2_AR": "أريحا", "ADM2_PCODE": "SY0705",
                                                   "geometry": dist}],
        "syr_admbnda_adm3_uncs_unocha_20201217": [
            {"ADM3_EN": "Ehsem", "ADM3_AR": "احسم", "ADM3_PCODE": "SY070501", "ADM3_REF": "Ihsim", "geometry": sub},
            {"ADM3_EN": "Broken", "ADM3_AR": "", "ADM3_PCODE": "SY07XX", "ADM3_REF": None, "geometry": sub}],
        "syr_neighbourhoods_unocha_20201217": [
            {"NAME_EN": "Joubar Gharbi", "NAME_AR": "جوبر الغربي", "PCODE": "N0388", "NAME_ALT1E": "Jobar West (Damascus)",
             "AREA_EN": "Jowbar", "AREA_AR": "جوبر", "AREA_PCODE": "A008", "ADM4_PCODE": "C1001",
             "ADM3_PCODE": "SY010000", "geometry": box(36.325, 33.525, 36.335, 33.532)},
            {"NAME_EN": "Joubar Sharqi", "NAME_AR": "جوبر الشرقي", "PCODE": "N0389", "NAME_ALT1E": None,
             "AREA_EN": "Jowbar", "AREA_AR": "جوبر", "AREA_PCODE": "A008", "ADM4_PCODE": "C1001",
             "ADM3_PCODE": "SY010000", "geometry": box(36.335, 33.525, 36.345, 33.532)}],
    }
    with zipfile.ZipFile(path, "w") as zf:
        for stem, rows in layers.items():
            gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").to_file(folder / f"{stem}.shp")
            for f in folder.glob(f"{stem}.*"):
                zf.write(f, f"syr_admbnda_uncs_unocha_20201217/{f.name}")
    return path


@pytest.fixture()
def ocha_dir(tmp_path: Path) -> Path:
    d = tmp_path / "ocha"
    d.mkdir()
    _workbook(d / ocha.WORKBOOK, [
        _row("Kansafra", "كنصفرة", "C4309", 35.659886, 36.48487),
        _row("Badriyeh (Ariha)", "البدرية - أريحا", "C4320", 35.705, 36.52),
        _row("Durra - Qoqaj", "الدرة_قولجق", "C4321", 35.71, 36.55),
        _row("Ihsim", "احسم", "C4300", 35.6856, 36.5597),
        _row("Nowhere", "لا مكان", "C4399", "n/a", 36.5),            # bad coordinates
        _row("Baghdad", "بغداد", "C4398", 33.31, 44.36),              # outside Syria
        _row("Nameless", "نكرة", "X12", 35.7, 36.5),                  # bad P-code
        _row("Bara", "3", "C4304", 35.68518, 36.541886),             # an Arabic name that is not Arabic
    ])
    _boundaries(d / "syr_admbnda_uncs_unocha_20201217.zip")
    return d


# -- the reader ---------------------------------------------------------------------------


def test_qualifiers_are_not_names() -> None:
    assert ocha.split_name("العجيل - المنصورة") == ("العجيل", [], "المنصورة")
    assert ocha.split_name("Badriyeh (Ariha)") == ("Badriyeh", [], "Ariha")
    assert ocha.split_name("الدرة_قولجق") == ("الدرة", ["قولجق"], "")
    assert ocha.split_name("ديروتان / جبلة") == ("ديروتان", [], "جبلة")
    assert ocha.split_name("<Null>") == ("", [], "")


def test_reader_reads_communities_admin_areas_and_neighbourhoods(ocha_dir: Path) -> None:
    rep = SourceReport("ocha")
    places = {p.id: p for p in ocha.read(ocha_dir, rep)}
    kansafra = places["ocha:C4309"]
    assert (kansafra.name, kansafra.name_ar, kansafra.feature_type) == ("Kansafra", "كنصفرة", "village")
    assert (kansafra.pcode, kansafra.adm1_pcode, kansafra.adm2_pcode, kansafra.adm3_pcode) == \
        ("C4309", "SY07", "SY0705", "SY070501")
    assert kansafra.admin1 == "SY-ID"
    # the qualifier is context, never a name; an alternative after "_" is a variant
    badriyeh = places["ocha:C4320"]
    assert (badriyeh.name, badriyeh.name_ar) == ("Badriyeh", "البدرية")
    assert not any("أريحا" in t or "Ariha" in t for t in badriyeh.all_names())
    durra = places["ocha:C4321"]
    assert durra.name_ar == "الدرة" and {"قولجق", "Qoqaj"} <= set(durra.all_names())
    # the community its subdistrict is named after is a town
    assert places["ocha:C4300"].feature_type == "town"
    # malformed rows are reported and skipped; a non-Arabic Arabic name is dropped, the row kept
    assert rep.skipped["missing or out-of-Syria coordinates"] == 2
    assert rep.skipped["bad community P-code"] == 1
    assert rep.skipped["bad subdistrict P-code"] == 1  # the broken subdistrict polygon row
    assert places["ocha:C4304"].name_ar is None and places["ocha:C4304"].name == "Bara"
    # admin areas with their polygons and alternative names
    sub = places["ocha:SY070501"]
    assert sub.feature_type == "subdistrict" and sub.geometry_wkt and "Ihsim" in sub.all_names()
    assert sub.adm3_pcode == "SY070501" and sub.adm2_pcode == "SY0705"
    assert "Idlib" in places["ocha:SY07"].all_names() and places["ocha:SY07"].admin1 == "SY-ID"
    # neighbourhoods: polygon, parent community, qualifier cut from the alternative name
    west = places["ocha:N0388"]
    assert west.feature_type == "neighbourhood" and west.geometry_wkt.startswith("POLYGON")
    assert west.parent == "C1001" and west.adm3_pcode == "SY010000"
    assert "Jobar West" in west.all_names() and not any("(" in t for t in west.all_names())
    # the area that groups them (Damascus' municipal district)
    jobar = places["ocha:A008"]
    assert jobar.name_ar == "جوبر" and jobar.feature_type == "neighbourhood" and jobar.pcode is None
    assert jobar.geometry.area > west.geometry.area * 1.9


def test_reader_errors(tmp_path: Path, ocha_dir: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        ocha.read(tmp_path / "absent")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="neither"):
        ocha.read(empty)
    bad = tmp_path / "syr_humanitarian_locations.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(SourceError, match="not a readable .xlsx"):
        ocha.read(bad)
    # the workbook alone is a source too
    only = ocha.read(ocha_dir / ocha.WORKBOOK)
    assert {p.feature_type for p in only} == {"village", "town"}


# -- merging with WOF settlements ----------------------------------------------------------


def _wof(pid: str, name: str, ar: str | None, lat: float, lon: float, sub: str = "SY080001") -> Place:
    return Place(id=pid, name=name, name_ar=ar, feature_type="village", lat=lat, lon=lon, admin1="SY-HA",
                 sources=("wof",), adm3_pcode=sub)


def _community(pcode: str, name: str, ar: str, lat: float, lon: float, sub: str = "SY080001") -> Place:
    return Place(id=f"ocha:{pcode}", name=name, name_ar=ar, feature_type="village", lat=lat, lon=lon,
                 admin1="SY-HA", sources=("ocha",), pcode=pcode, adm1_pcode=sub[:4], adm2_pcode=sub[:6],
                 adm3_pcode=sub)


def test_community_and_settlement_of_one_name_become_one_place() -> None:
    kuz = _wof("wof:1", "Al Kuzliyah", "الكزلية", 36.6260, 40.2240)
    east = _wof("wof:2", "As Suwaydah ash Sharqiyah", "السويدة الشرقية", 36.70, 40.30)
    qusayr = _wof("wof:3", "Al Qusayr", "القصير", 36.80, 40.10)
    far = _wof("wof:4", "Tall Hamis", "تل حميس", 36.90, 40.50)
    merger = Merger([kuz, east, qusayr, far])
    merged, added = merge_communities(merger, [
        _community("C6457", "Kozliyeh", "كزلية", 36.6249, 40.2253),           # same Arabic name, 0.2 km
        _community("C6458", "Western Sweida", "السويدة الغربية", 36.7005, 40.3010),  # east is not west
        _community("C6459", "Kassar", "الكسار", 36.8005, 40.1005),            # another name, same skeleton
        _community("C6460", "Tal Hmis", "تل حميس", 36.90, 40.58),             # 7 km away: two places
        _community("C6461", "Al Kuzliyah Saghira", "كزلية", 36.6330, 40.2240),  # farther: one per settlement
    ])
    assert (merged, added) == (1, 4)
    assert kuz.pcode == "C6457" and {"Kozliyeh", "Al Kuzliyah", "كزلية"} <= set(kuz.all_names())
    assert kuz.adm3_pcode == "SY080001" and "ocha" in kuz.sources
    assert east.pcode is None and qusayr.pcode is None and far.pcode is None
    assert {"ocha:C6458", "ocha:C6459", "ocha:C6460", "ocha:C6461"} <= set(merger.by_id)
    # a second pass (a full build over the default) merges by P-code, adding nothing
    again = merge_communities(merger, [_community("C6457", "Kozliyeh", "كزلية", 36.6249, 40.2253)])
    assert again == (1, 0)


def test_pcodes_by_subdistrict_polygon() -> None:
    sub = Place(id="ocha:SY070501", name="Ehsem", name_ar="احسم", feature_type="subdistrict", lat=35.68,
                lon=36.5, geometry_wkt="POLYGON ((36.4 35.6, 36.6 35.6, 36.6 35.75, 36.4 35.75, 36.4 35.6))",
                pcode="SY070501", adm1_pcode="SY07", adm2_pcode="SY0705", adm3_pcode="SY070501")
    inside = _wof("wof:9", "Kansafrah", "كنسفرة", 35.6594, 36.4855, sub=None)  # type: ignore[arg-type]
    coast = _wof("wof:10", "Near the edge", None, 35.7700, 36.5, sub=None)  # type: ignore[arg-type]
    far = _wof("wof:11", "Elsewhere", None, 34.5, 38.0, sub=None)  # type: ignore[arg-type]
    assert assign_pcodes([sub, inside, coast, far]) == 2
    assert (inside.adm1_pcode, inside.adm2_pcode, inside.adm3_pcode) == ("SY07", "SY0705", "SY070501")
    assert coast.adm3_pcode == "SY070501"  # 2 km outside: the nearest within ~5 km
    assert far.adm3_pcode is None


def test_old_place_records_load_without_pcodes() -> None:
    p = Place(id="wof:1", name="Saraqib", feature_type="town", lat=35.86, lon=36.8, pcode="C3916",
              adm3_pcode="SY070003", parent=None)
    rec = p.to_record()
    assert Place.from_record(rec).pcode == "C3916" and Place.from_record(rec).adm3_pcode == "SY070003"
    old = Place.from_record(rec[:14])
    assert old.name == "Saraqib" and old.pcode is None and old.adm3_pcode is None


# -- the default gazetteer -------------------------------------------------------------------


def test_default_has_ochas_places_and_pcodes(gaz) -> None:
    sy = [p for p in gaz if p.country == "SY"]
    assert sum(1 for p in sy if p.name_ar) >= 13_000
    assert sum(1 for p in sy if p.feature_type == "neighbourhood") >= 400
    settlements = [p for p in sy if p.feature_type in ("city", "town", "village")]
    assert sum(1 for p in settlements if p.adm3_pcode) / len(settlements) >= 0.95
    # P-codes name one place each
    codes = [p.pcode for p in gaz if p.pcode]
    assert len(codes) == len(set(codes))
    aleppo = gaz.get_pcode("C1007")
    assert aleppo.name == "Aleppo" and aleppo.feature_type == "city"
    assert gaz.lookup("C1007") == [aleppo] and gaz.get_pcode("c1007") is aleppo
    assert gaz.get_pcode("SY0200").feature_type == "district"
    assert gaz.get_pcode("SY02").admin1 == "SY-HL" and not gaz.get_pcode("SY02").geometry_approx
    # OCHA's transliteration is a variant of the WOF village, one pin
    kansafra = gaz.get_pcode("C4309")
    assert {"Kansafra", "Kansafrah", "كنصفرة"} <= set(kansafra.all_names())
    assert [p for p in gaz.lookup("Kansafra", limit=5) if haversine_km(p.lat, p.lon, 35.66, 36.485) < 3] == [kansafra]


def test_admin_columns_give_ochas_names(gaz) -> None:
    cols = admin_columns(gaz, gaz.get_pcode("C4309"))
    assert set(cols) == set(ADMIN_COLUMNS)
    assert cols == {"pcode": "C4309", "adm1_pcode": "SY07", "adm2_pcode": "SY0705", "adm3_pcode": "SY070501",
                    "admin1": "Idleb", "admin2": "Ariha", "admin3": "Ehsem",
                    "admin1_ar": "إدلب", "admin2_ar": "أريحا", "admin3_ar": "احسم"}
    gov = admin_columns(gaz, gaz.get("iso:SY-HL"))
    assert (gov["adm1_pcode"], gov["admin1"], gov["adm2_pcode"], gov["admin3"]) == ("SY02", "Aleppo", None, None)
    abroad = admin_columns(gaz, geocode("Beirut", gazetteer=gaz))
    assert all(v is None for v in abroad.values())
    assert all(v is None for v in admin_columns(gaz, None).values())


def test_cli_lookup_by_pcode(capsys) -> None:
    from geomap.cli import main

    assert main(["gazetteer", "lookup", "C1007", "SY0200"]) == 0
    out = capsys.readouterr().out
    assert "Aleppo" in out and "P-code C1007" in out and "subdistrict SY020000" in out
    assert "P-code SY0200" in out and "district" in out


def test_cli_info_reports_neighbourhoods_and_pcodes(capsys) -> None:
    from geomap.cli import main

    assert main(["gazetteer", "info"]) == 0
    out = capsys.readouterr().out
    assert "Syrian neighbourhoods:" in out and "settlements with a subdistrict P-code" in out


# -- mentions and events ---------------------------------------------------------------------

AIRSTRIKE = ("قصف الطيران الحربي الروسي قرية كنصفرة في جبل الزاوية بريف إدلب الجنوبي صباح اليوم، "
             "ما أدى إلى سقوط جرحى بين المدنيين")


def test_mentions_carry_pcodes(gaz) -> None:
    frame = geoparse(AIRSTRIKE, gazetteer=gaz)
    assert list(frame.columns[-len(ADMIN_COLUMNS):]) == list(ADMIN_COLUMNS)
    row = frame[frame["mention"].str.contains("كنصفرة")].iloc[0]
    assert (row["pcode"], row["adm3_pcode"], row["admin3"], row["admin2_ar"]) == ("C4309", "SY070501", "Ehsem", "أريحا")
    countryside = frame[frame["place_id"] == "geomap:countryside:SY-ID"].iloc[0]
    assert countryside["adm1_pcode"] == "SY07" and countryside["adm3_pcode"] is None


@pytest.mark.parametrize("ext", [".gpkg", ".parquet", ".csv"])
def test_events_export_carries_pcode_and_admin_columns(gaz, tmp_path: Path, ext: str) -> None:
    import geopandas as gpd
    import pandas as pd

    events = extract_events([Document(doc_id="d1", text=AIRSTRIKE)], gazetteer=gaz, n_jobs=1)
    path = to_file(events, tmp_path / f"events{ext}")
    back = pd.read_csv(path) if ext == ".csv" else (gpd.read_parquet(path) if ext == ".parquet"
                                                    else gpd.read_file(path, layer="events"))
    row = back[back["pcode"] == "C4309"].iloc[0]
    assert row["event_type"] == "airstrike"
    assert (row["adm1_pcode"], row["adm2_pcode"], row["adm3_pcode"]) == ("SY07", "SY0705", "SY070501")
    assert (row["admin1"], row["admin2"], row["admin3"]) == ("Idleb", "Ariha", "Ehsem")
    assert (row["admin1_ar"], row["admin3_ar"]) == ("إدلب", "احسم")


def test_events_from_old_mentions_get_pcodes(gaz) -> None:
    mentions = geoparse(AIRSTRIKE, gazetteer=gaz).drop(columns=list(ADMIN_COLUMNS))
    mentions.insert(0, "doc", 0)
    events = extract_events([Document(doc_id="d1", text=AIRSTRIKE)], gazetteer=gaz, mentions=mentions)
    assert "SY070501" in set(events["adm3_pcode"])


# -- neighbourhoods ------------------------------------------------------------------------------

ALEPPO, DAMASCUS, HOMS = (36.20, 37.16), (33.51, 36.29), (34.73, 36.71)


@pytest.mark.parametrize("query, city", [
    ("حي الشيخ مقصود", ALEPPO),
    ("Sheikh Maqsoud", ALEPPO),
    ("حي الحمدانية في مدينة حلب", ALEPPO),
    ("حي جوبر بدمشق", DAMASCUS),
    ("Jobar neighbourhood of Damascus", DAMASCUS),
    ("al-Waer neighbourhood in Homs", HOMS),
    ("حي الوعر في حمص", HOMS),
    # English news writes "district" for a city's neighbourhood, and spells it its own way
    ("Jobar district of Damascus", DAMASCUS),
    ("Hamdaniyah neighbourhood of Aleppo", ALEPPO),
])
def test_neighbourhoods_resolve(gaz, query: str, city: tuple[float, float]) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place is not None and place.feature_type == "neighbourhood", place
    assert haversine_km(place.lat, place.lon, *city) < 8
    assert place.geometry.geom_type in ("Polygon", "MultiPolygon")


def test_neighbourhood_in_a_post(gaz) -> None:
    frame = geoparse("سقوط قذائف هاون على حي الشيخ مقصود في مدينة حلب وأنباء عن إصابات", gazetteer=gaz)
    row = frame[frame["feature_type"] == "neighbourhood"].iloc[0]
    assert row["mention"] == "حي الشيخ مقصود" and row["adm3_pcode"] == "SY020000"
    assert gaz.get(row["place_id"]).parent == "C1007"  # its city: Aleppo


@pytest.mark.parametrize("post, name", [
    ("Regime shelling hit the Jobar district of Damascus on Monday, activists said.", "Jowbar"),
    ("Two civilians were killed in clashes in the Hamdaniyah district of Aleppo.", "Hamadaniyeh"),
])
def test_english_neighbourhood_of_a_city_in_a_post(gaz, post: str, name: str) -> None:
    """"X district of Y": the descriptor is X's and Y its city (a container, not a second place)."""
    frame = geoparse(post, gazetteer=gaz)
    assert list(frame["role"]) == ["place", "container"]
    x = frame.iloc[0]
    assert x["feature_type"] == "neighbourhood" and x["name"] == name and x["cue"].startswith("admin;in:")


def test_a_bare_village_name_still_gets_the_village(gaz) -> None:
    # Hamdaniyah is a neighbourhood of Aleppo and villages elsewhere; al-Waer one of Homs and a village
    for name in ("الحمدانية", "الوعر"):
        assert geocode(name, gazetteer=gaz).feature_type == "village"
    assert geoparse("غارة جوية على بلدة الحمدانية", gazetteer=gaz).iloc[0]["feature_type"] == "village"


# -- OCHA's real files ---------------------------------------------------------------------------


@pytest.mark.shared
def test_reader_on_ochas_files(shared_dir: Path) -> None:
    d = shared_dir / "data" / "ocha-syria"
    if not d.is_dir():
        pytest.skip("../shared/data/ocha-syria not present")
    rep = SourceReport("ocha")
    places = ocha.read(d, rep)
    by_type: dict[str, int] = {}
    for p in places:
        by_type[p.feature_type] = by_type.get(p.feature_type, 0) + 1
    assert (by_type["governorate"], by_type["district"], by_type["subdistrict"]) == (14, 62, 272)
    assert sum(1 for p in places if p.pcode and p.pcode.startswith("C")) == 7693
    assert sum(1 for p in places if p.pcode and p.pcode.startswith("N")) == 414
    assert rep.n_skipped <= 5
    for p in places:
        assert " - " not in p.name and "(" not in p.name and "_" not in (p.name_ar or "")
        assert p.adm1_pcode and p.adm1_pcode.startswith("SY")


@pytest.mark.shared
def test_full_build_adds_ocha_without_duplicate_pins(full_gaz) -> None:
    rep = next(r for r in full_gaz.build_report.sources if r.source == "ocha")
    assert rep.merged >= 8000  # all of it is in the default already: merged by P-code
    codes = [p.pcode for p in full_gaz if p.pcode and p.pcode.startswith("C")]
    assert len(codes) == len(set(codes)) == 7693
