"""Tests of the gazetteer source readers (WOF, GeoNames, Open-Syria, Syrian Archive).

Small fixtures are written into ``tmp_path`` by the tests themselves (real
places and coordinates, invented ids); tests marked ``shared`` read the real
dumps in ``../shared/data`` and skip when it is absent.
"""

from __future__ import annotations

import io
import json
import math
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from geomap.errors import SourceError
from geomap.gazetteer.model import FEATURE_TYPES, NAME_KINDS, Place
from geomap.gazetteer.report import SourceReport
from geomap.gazetteer.sources import _common, geonames, opensyria, syrianarchive, wof

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ISO_CODES = {"SY-DI", "SY-HL", "SY-RD", "SY-HI", "SY-HM", "SY-LA", "SY-ID",
             "SY-HA", "SY-DY", "SY-TA", "SY-RA", "SY-DR", "SY-SU", "SY-QU"}
LANGS = {"ar", "en", "la", "und"}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _common.distance_km(lat1, lon1, lat2, lon2)


def check_places(places: list[Place], source: str) -> None:
    """Invariants every reader must keep."""
    ids = [p.id for p in places]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for p in places:
        assert p.name and p.feature_type in FEATURE_TYPES
        assert p.sources == (source,)
        assert math.isfinite(p.lat) and math.isfinite(p.lon)
        assert p.admin1 is None or p.admin1 in ISO_CODES
        assert p.name_ar is None or _common.has_arabic(p.name_ar)
        for n in p.names:
            assert n.lang in LANGS and n.kind in NAME_KINDS and n.text
        assert p.name not in [n.text for n in p.names]
        Place.from_record(p.to_record())  # serialisable


def by_id(places: list[Place]) -> dict[str, Place]:
    return {p.id: p for p in places}


# --------------------------------------------------------------------------- common


def test_table_path_and_governorates() -> None:
    path = _common.table_path("governorates.csv")
    assert path.name == "governorates.csv" and path.is_file()
    govs = _common.governorates()
    assert {g.iso for g in govs} == ISO_CODES
    with pytest.raises(FileNotFoundError):
        _common.table_path("no-such-table.csv")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Homs", "SY-HI"), ("HOMS", "SY-HI"), ("Hims", "SY-HI"), ("محافظة حمص", "SY-HI"),
        ("Ar-Raqqa", "SY-RA"), ("Al Raqqa", "SY-RA"), ("ar raqqah", "SY-RA"),
        ("DEIR EZZOR", "SY-DY"), ("Deir ez-Zor Governorate", "SY-DY"), ("دير الزور", "SY-DY"),
        ("QUINETRA", "SY-QU"), ("LATTAKIA", "SY-LA"), ("Rif Dimashq", "SY-RD"), ("ريف دمشق", "SY-RD"),
        ("Idleb", "SY-ID"), ("ادلب", "SY-ID"), ("Narnia", None), ("", None),
    ],
)
def test_admin1_from_name(text: str, iso: str | None) -> None:
    assert _common.admin1_from_name(text) == iso


def test_admin1_codes_and_districts() -> None:
    assert _common.admin1_from_pcode("SY04") == "SY-HI"
    assert _common.admin1_from_pcode("SY040100") == "SY-HI"
    assert _common.admin1_from_pcode("C1234") is None
    assert _common.admin1_from_geonames("11") == "SY-HI"
    assert _common.admin1_from_geonames("9.0") == "SY-HL"
    assert _common.admin1_from_geonames("00") is None
    assert _common.admin1_from_iso("sy-hi") == "SY-HI"
    assert _common.admin1_from_district("As-Suqaylabiyah") == "SY-HM"
    assert _common.admin1_from_district("مركز حمص") == "SY-HI"
    assert _common.admin1_from_district("Rural Damascus") == "SY-RD"
    assert _common.admin1_from_district("مدينة دمشق") == "SY-DI"
    assert _common.admin1_from_district("Jebel Saman") == "SY-HL"


def test_clean_drops_bidi_marks() -> None:
    assert _common.clean("\u202bالرقة  سلوك \u202c\u200e") == "الرقة سلوك"


@pytest.mark.parametrize("module", [wof, geonames, opensyria, syrianarchive])
def test_missing_path_raises(module, tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "dump.dat"
    with pytest.raises(SourceError) as exc:
        module.read(missing)
    assert str(missing) in str(exc.value)


# --------------------------------------------------------------------------- Who's On First


def _square(lon: float, lat: float, half: float) -> dict:
    return {"type": "Polygon", "coordinates": [[
        [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
        [lon - half, lat + half], [lon - half, lat - half]]]}


def _wof(wid: int, placetype: str, name: str, lat: float, lon: float, geometry: dict | None = None,
         hierarchy: dict | None = None, **props) -> dict:
    p = {
        "wof:id": wid, "wof:placetype": placetype, "wof:name": name, "wof:country": "SY",
        "geom:latitude": lat, "geom:longitude": lon, "mz:is_current": -1,
        "wof:superseded_by": [], "wof:hierarchy": [hierarchy or {"country_id": 85632413}],
    }
    p.update(props)
    return {"id": wid, "type": "Feature", "properties": p,
            "geometry": geometry or {"type": "Point", "coordinates": [lon, lat]}}


def make_wof_dir(root: Path) -> Path:
    """A tiny WOF repo: Homs governorate and district, Homs city, villages, bad records."""
    repo = root / "whosonfirst-data-admin-sy"
    region = {"country_id": 85632413, "region_id": 85678367}
    county = {**region, "county_id": 1108779211}
    feats = [
        _wof(85678367, "region", "Homs (Hims)", 34.55, 37.70, _square(37.70, 34.55, 1.0), region,
             **{"name:ara_x_preferred": ["حمص"], "name:eng_x_preferred": ["Homs (Hims)"],
                "wof:concordances": {"iso:code": "SY-HI", "gn:id": 169575}, "mz:is_current": 1}),
        _wof(1108779211, "county", "Homs", 34.75, 36.75, _square(36.75, 34.75, 0.3), county,
             **{"name:ara_x_preferred": ["حمص"], "name:eng_x_preferred": ["Markaz Hims"], "mz:is_current": 1}),
        _wof(421168647, "locality", "Homs", 34.72682, 36.72339, None, {**county, "locality_id": 421168647},
             **{"name:ara_x_preferred": ["حمص"], "name:eng_x_preferred": ["Homs"],
                "name:und_x_variant": ["Ḩimş", "Hims"], "name:fra_x_preferred": ["Homs"],
                "name:fas_x_preferred": ["حمص"], "wof:population": 775404, "gn:feature_code": "PPLA"}),
        # hierarchy names only the country: governorate and district found from the polygons
        _wof(1293184001, "locality", "Al Waer", 34.7386, 36.6653, None, None,
             **{"name:ara_x_variant": ["الوعر"], "gn:population": 0}),
        _wof(1293184002, "locality", "Tiyas", 34.5919, 37.5764, None, region,
             **{"name:ara_x_preferred": ["Tiyas", "تياس"], "gn:population": 12000}),
        _wof(1293184003, "locality", "Old Village", 34.60, 37.00, None, county,
             **{"edtf:deprecated": "2017-01-27", "mz:is_current": 0}),
        _wof(1293184004, "locality", "Moved Village", 34.61, 37.01, None, county,
             **{"wof:superseded_by": [1293184005]}),
        _wof(1293184006, "locality", "Gone Village", 34.62, 37.02, None, county, **{"mz:is_current": 0}),
        _wof(1293184007, "neighbourhood", "Bab Amr", 34.7120, 36.6885, None, county,
             **{"name:ara_x_preferred": ["بابا عمرو"]}),
        _wof(1293184008, "venue", "Some Shop", 34.73, 36.71, None, county),
    ]
    for f in feats:
        wid = str(f["id"])
        d = repo / "data" / wid[:3] / wid[3:6] / wid[6:]
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{wid}.geojson").write_text(json.dumps(f, ensure_ascii=False), encoding="utf-8")
    alt = repo / "data" / "856" / "783" / "67" / "85678367-alt-quattroshapes.geojson"
    alt.parent.mkdir(parents=True, exist_ok=True)
    alt.write_text(json.dumps(feats[0]), encoding="utf-8")
    bad = repo / "data" / "999" / "999999.geojson"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text('{"id": 999999, "type": "Feature", "properties": {', encoding="utf-8")
    (repo / "README.md").write_text("Who's On First admin data for Syria (test fixture)\n")
    return repo


def make_tar(src: Path, dest: Path) -> Path:
    with tarfile.open(dest, "w:gz") as tf:
        tf.add(src, arcname=src.name)
    return dest


def _check_wof_fixture(places: list[Place], report: SourceReport) -> None:
    check_places(places, "wof")
    got = by_id(places)
    assert report.read == 12 and report.kept == 6
    assert report.skipped == {"deprecated": 1, "superseded": 1, "not current": 1, "invalid JSON": 1,
                              "alternate geometry file": 1, "placetype not used": 1}
    assert report.read == report.kept + report.n_skipped

    gov = got["wof:85678367"]
    assert (gov.feature_type, gov.admin1, gov.name, gov.name_ar) == ("governorate", "SY-HI", "Homs", "حمص")
    assert gov.geometry_wkt.startswith("POLYGON") and gov.is_area
    assert "Homs (Hims)" in [n.text for n in gov.names]
    dist = got["wof:1108779211"]
    assert (dist.feature_type, dist.admin1, dist.name) == ("district", "SY-HI", "Markaz Hims")
    assert dist.geometry_wkt is not None

    city = got["wof:421168647"]
    assert (city.feature_type, city.admin1, city.admin2, city.population) == ("city", "SY-HI", "wof:1108779211", 775404)
    assert ("Ḩimş", "la", "transliteration") in [(n.text, n.lang, n.kind) for n in city.names]
    assert city.geometry_wkt is None and not city.is_area

    waer = got["wof:1293184001"]  # no region/county in its hierarchy
    assert (waer.admin1, waer.admin2, waer.name_ar, waer.feature_type) == ("SY-HI", "wof:1108779211", "الوعر", "village")
    tiyas = got["wof:1293184002"]
    assert (tiyas.name_ar, tiyas.feature_type, tiyas.admin2) == ("تياس", "town", None)
    assert got["wof:1293184007"].feature_type == "neighbourhood"


def test_wof_directory(tmp_path: Path) -> None:
    repo = make_wof_dir(tmp_path)
    report = SourceReport("wof")
    places = wof.read(repo, report)
    _check_wof_fixture(places, report)
    assert report.examples and all(":" in e for e in report.examples)


def test_wof_tar_gz(tmp_path: Path) -> None:
    tgz = make_tar(make_wof_dir(tmp_path / "src"), tmp_path / "whosonfirst-data-admin-sy.tar.gz")
    report = SourceReport("wof")
    _check_wof_fixture(wof.read(str(tgz), report), report)


def test_wof_without_report(tmp_path: Path) -> None:
    places = wof.read(make_wof_dir(tmp_path))
    assert len(places) == 6


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_wof_corrupt_archive(tmp_path: Path, damage: str) -> None:
    tgz = make_tar(make_wof_dir(tmp_path / "src"), tmp_path / "wof.tar.gz")
    data = tgz.read_bytes()
    bad = tmp_path / "broken-wof.tar.gz"
    bad.write_bytes(b"this is not a tarball at all" * 50 if damage == "garbage" else data[: len(data) // 2])
    with pytest.raises(SourceError) as exc:
        wof.read(bad)
    assert "broken-wof.tar.gz" in str(exc.value)


def test_wof_wrong_content(tmp_path: Path) -> None:
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    with pytest.raises(SourceError, match="empty-dir"):
        wof.read(empty)
    tgz = tmp_path / "other.tar.gz"
    with tarfile.open(tgz, "w:gz") as tf:
        info = tarfile.TarInfo("README.md")
        info.size = 5
        tf.addfile(info, io.BytesIO(b"hello"))
    with pytest.raises(SourceError, match="other.tar.gz"):
        wof.read(tgz)


# --------------------------------------------------------------------------- GeoNames


def gn_row(gid, name, ascii_name, alts, lat, lon, fclass, fcode, admin1="11", admin2="", pop=0, cc="SY") -> str:
    cols = [str(gid), name, ascii_name, ",".join(alts), str(lat), str(lon), fclass, fcode, cc, "",
            admin1, admin2, "", "", str(pop), "", "500", "Asia/Damascus", "2024-01-01"]
    assert len(cols) == 19
    return "\t".join(cols)


SY_TXT = "\n".join([
    gn_row(900001, "Muḩāfaz̧at Ḩimş", "Muhafazat Hims", ["Homs Governorate", "محافظة حمص"], 34.5, 37.9, "A", "ADM1"),
    gn_row(900002, "Mantiqat Hims", "Mantiqat Hims", ["منطقة حمص"], 34.73, 36.75, "A", "ADM2", admin2="1101"),
    gn_row(900003, "Ḩimş", "Homs", ["Emesa", "Hims", "حمص", "Хомс", "حِمْص"], 34.72682, 36.72339, "P", "PPLA",
           admin2="1101", pop=775404),
    gn_row(900004, "Tiyas Air Base", "Tiyas Air Base", ["T4", "OSTS", "مطار التيفور"], 34.5225, 37.6300, "S", "AIRB"),
    gn_row(900005, "Kafr Nabūdah", "Kafr Nabudah", ["Kafr Nabuda", "كفر نبودة"], 35.432, 36.494, "P", "PPL",
           admin1="10", pop=0),
    gn_row(900006, "As Safīrah", "As Safirah", ["Safira", "السفيرة"], 36.0769, 37.3722, "P", "PPLA2",
           admin1="09", pop=62000),
    gn_row(900007, "Dimashq", "Damascus", ["Damas", "دمشق", "الشام"], 33.5102, 36.29128, "P", "PPLC",
           admin1="13", pop=1569394),
    gn_row(900008, "Al Wa‘r", "Al Waer", ["الوعر"], 34.7386, 36.6653, "P", "PPLX", admin2="1101"),
    gn_row(900009, "Nahr al ‘Āşī", "Nahr al `Asi", ["Orontes", "نهر العاصي"], 34.8, 36.6, "H", "STM"),
    gn_row(900010, "Bayrūt", "Beirut", ["بيروت"], 33.89, 35.50, "P", "PPLC", admin1="04", cc="LB"),
    "900011\tBroken row\twith too few columns",
    gn_row(900012, "Bad Lat", "Bad Lat", [], "north", 36.0, "P", "PPL"),
    gn_row(900013, "Far Away", "Far Away", [], 40.5, 36.0, "P", "PPL"),
    gn_row(900014, "Tadmur", "Palmyra", ["تدمر", "Tadmor"], 34.5561, 38.2842, "P", "PPLA2", pop=51323),
]) + "\n"


def _check_geonames(places: list[Place], report: SourceReport) -> None:
    check_places(places, "geonames")
    got = by_id(places)
    assert report.read == 14 and report.kept == 9
    assert report.skipped == {"wrong column count (expected 19)": 1, "invalid coordinates": 1,
                              "outside Syria bbox": 1, "not in Syria (country code)": 1, "feature code not used": 1}
    assert got["gn:900001"].feature_type == "governorate" and got["gn:900001"].admin1 == "SY-HI"
    assert got["gn:900002"].feature_type == "district"
    homs = got["gn:900003"]
    assert (homs.name, homs.name_ar, homs.feature_type, homs.admin1, homs.admin2) == ("Homs", "حمص", "city", "SY-HI", "gn:900002")
    texts = {(n.text, n.lang, n.kind) for n in homs.names}
    assert ("Ḩimş", "la", "transliteration") in texts and ("حِمْص", "ar", "variant") in texts
    assert ("Emesa", "en", "variant") in texts and not any(t == "Хомс" for t, _, _ in texts)
    t4 = got["gn:900004"]
    assert t4.feature_type == "airbase" and ("OSTS", "und", "code") in {(n.text, n.lang, n.kind) for n in t4.names}
    kafr = got["gn:900005"]
    assert (kafr.name_ar, kafr.feature_type, kafr.admin1, kafr.population) == ("كفر نبودة", "village", "SY-HM", None)
    assert km(kafr.lat, kafr.lon, 35.432, 36.494) < 0.1
    assert got["gn:900006"].feature_type == "town" and got["gn:900006"].admin1 == "SY-HL"
    assert got["gn:900007"].feature_type == "city" and got["gn:900007"].admin1 == "SY-DI"
    assert got["gn:900008"].feature_type == "neighbourhood" and got["gn:900008"].admin2 == "gn:900002"
    assert got["gn:900014"].feature_type == "town"
    assert any("SY.txt:11" in e for e in report.examples)


def test_geonames_txt(tmp_path: Path) -> None:
    path = tmp_path / "SY.txt"
    path.write_text(SY_TXT, encoding="utf-8")
    report = SourceReport("geonames")
    _check_geonames(geonames.read(path, report), report)


def test_geonames_zip(tmp_path: Path) -> None:
    path = tmp_path / "SY.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "GeoNames export, see http://www.geonames.org\n")
        zf.writestr("SY.txt", SY_TXT)
    report = SourceReport("geonames")
    _check_geonames(geonames.read(path, report), report)


def test_geonames_bad_files(tmp_path: Path) -> None:
    bad_zip = tmp_path / "SY.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match="SY.zip"):
        geonames.read(bad_zip)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage\x00" * 20)
    with pytest.raises(SourceError, match="binary.txt"):
        geonames.read(binary)
    csv_like = tmp_path / "places.csv"
    csv_like.write_text("id,name,lat,lon\n1,Homs,34.7,36.7\n", encoding="utf-8")
    with pytest.raises(SourceError, match="places.csv"):
        geonames.read(csv_like)
    empty_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty_zip, "w") as zf:
        zf.writestr("data.csv", "x")
    with pytest.raises(SourceError, match="empty.zip"):
        geonames.read(empty_zip)


# --------------------------------------------------------------------------- Open-Syria


def make_opensyria(root: Path) -> Path:
    d = root / "open-syria-geography"
    d.mkdir(parents=True)
    govs = [
        {"id": "sy-homs", "name": {"en": "Homs", "ar": "حمص"},
         "aliases": [{"value": "Hims", "language": "en", "type": "alternate_spelling"},
                     {"value": "محافظة حمص", "language": "ar", "type": "formal"}],
         "iso31662": "SY-HI", "centroid": {"latitude": 34.55, "longitude": 37.7},
         "population": {"value": 1803000, "year": 2011}, "externalIds": {"ochaPcode": "SY04"}},
        {"id": "sy-hama", "name": {"en": "Hama", "ar": "حماة"}, "aliases": [],
         "centroid": {"latitude": 35.2, "longitude": 37.0}, "externalIds": {"ochaPcode": "SY05"}},
        {"id": "sy-nowhere", "name": {"en": "Nowhere"}, "externalIds": {"ochaPcode": "SY99"}},
    ]
    dists = [
        {"id": "sy-homs-homs", "governorateId": "sy-homs", "name": {"en": "Homs", "ar": "حمص"},
         "aliases": [{"value": "منطقة حمص", "language": "ar", "type": "formal"}],
         "centroid": {"latitude": 34.75, "longitude": 36.75}, "externalIds": {"ochaPcode": "SY0400"}},
        {"id": "sy-hama-al-suqaylabiyah", "governorateId": "sy-hama", "name": {"en": "Al-Suqaylabiyah", "ar": "السقيلبية"},
         "aliases": [], "centroid": {"latitude": 35.37, "longitude": 36.38}, "externalIds": {}},
    ]
    subs = [
        {"id": "sy-homs-homs-homs", "governorateId": "sy-homs", "districtId": "sy-homs-homs",
         "name": {"en": "Homs", "ar": "مركز حمص"},
         "aliases": [{"value": "Nāḩiyat Markaz Ḩimş", "language": "en", "type": "formal"},
                     {"value": "Kobanî", "language": "en", "type": "transliteration"}],
         "centroid": {"latitude": 34.73, "longitude": 36.72}, "population": {"value": None},
         "externalIds": {"ochaPcode": "SY040000"}},
        {"id": "sy-hama-al-suqaylabiyah-kafr-nabudah", "governorateId": "sy-hama",
         "districtId": "sy-hama-al-suqaylabiyah", "name": {"en": "Kafr Nabudah", "ar": "كفر نبودة"},
         "centroid": {"latitude": 35.432, "longitude": 36.494}, "externalIds": {"ochaPcode": "SY050205"}},
        "not a record",
        {"id": "sy-dup", "governorateId": "sy-homs", "districtId": "sy-homs-homs", "name": {"en": "Dup"},
         "centroid": {"latitude": 34.7, "longitude": 36.7}, "externalIds": {"ochaPcode": "SY040000"}},
        {"id": "sy-far", "name": {"en": "Far"}, "centroid": {"latitude": 48.0, "longitude": 2.3},
         "externalIds": {"ochaPcode": "SY049999"}},
        {"id": "sy-noname", "name": {}, "centroid": {"latitude": 34.7, "longitude": 36.7}},
    ]
    for fname, data in (("governorates.json", govs), ("districts.json", dists), ("subdistricts.json", subs)):
        (d / fname).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return d


def test_opensyria_dir(tmp_path: Path) -> None:
    d = make_opensyria(tmp_path)
    report = SourceReport("opensyria")
    places = opensyria.read(d, report)
    check_places(places, "opensyria")
    got = by_id(places)
    assert report.read == 11 and report.kept == 6
    assert report.skipped == {"missing coordinates": 1, "record is not an object": 1, "duplicate id": 1,
                              "outside Syria bbox": 1, "missing name": 1}
    homs = got["ocha:SY04"]
    assert (homs.feature_type, homs.admin1, homs.name_ar, homs.population) == ("governorate", "SY-HI", "حمص", 1803000)
    assert ("محافظة حمص", "ar", "official") in [(n.text, n.lang, n.kind) for n in homs.names]
    assert got["ocha:SY05"].admin1 == "SY-HM"  # from the p-code
    dist = got["ocha:sy-hama-al-suqaylabiyah"]  # no p-code: own id
    assert (dist.feature_type, dist.admin1) == ("district", "SY-HM")
    sub = got["ocha:SY040000"]
    assert (sub.feature_type, sub.admin1, sub.admin2) == ("subdistrict", "SY-HI", "ocha:SY0400")
    assert ("Nāḩiyat Markaz Ḩimş", "la", "official") in [(n.text, n.lang, n.kind) for n in sub.names]
    assert ("Kobanî", "la", "transliteration") in [(n.text, n.lang, n.kind) for n in sub.names]
    kafr = got["ocha:SY050205"]
    assert (kafr.admin1, kafr.admin2) == ("SY-HM", "ocha:sy-hama-al-suqaylabiyah")


def test_opensyria_single_file(tmp_path: Path) -> None:
    d = make_opensyria(tmp_path)
    places = opensyria.read(d / "governorates.json")
    assert [p.feature_type for p in places] == ["governorate", "governorate"]


def test_opensyria_bad_files(tmp_path: Path) -> None:
    d = make_opensyria(tmp_path)
    (d / "districts.json").write_text('{"type": "FeatureCollection", "features": 3}', encoding="utf-8")
    with pytest.raises(SourceError, match="districts.json"):
        opensyria.read(d)
    (d / "districts.json").write_text('[{"id": "x", ', encoding="utf-8")
    with pytest.raises(SourceError, match="districts.json"):
        opensyria.read(d)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="empty"):
        opensyria.read(empty)


# --------------------------------------------------------------------------- Syrian Archive


def sa_rec(rid: int, en: str, ar: str, short: str, pcode: str, lat, lon, loc_only: bool = False, old: str = "") -> dict:
    return {"id": rid, "search_name_en": f"{en} --- ((({rid})))", "search_name_ar_short": f"{short} ((({rid})))",
            "search_name_ar": f"{ar} --- ((({rid})))", "closest_geonames_post_code": pcode, "old_sa_name": old,
            "lat": lat, "lon": lon, "sa_loc_only": "TRUE" if loc_only else "FALSE"}


SA_RECORDS = [
    sa_rec(0, "Kafr Nabudah - Kafr Nabutha - As-Suqaylabiyah", "كفر نبودة - كفرنبودة - السقيلبية", "كفر نبودة",
           "C9001", 35.432, 36.494),
    sa_rec(1, "Ras Al Ain - Sere Kaniye - Ras Al Ain - Ras Al Ain", "رأس العين - مركز رأس العين - رأس العين",
           "رأس العين_سري كانيه", "C9002", 36.8497, 40.0714),
    sa_rec(2, "Qattinah (Homs) - Homs - Homs", "قطينة - مركز حمص - مركز حمص - حمص", "قطينة", "C9003", 34.6717, 36.6128),
    sa_rec(3, "Tiyas - Furqlus - Homs", "تياس - الفرقلس - مركز حمص", "تياس", "C9004", "34.5919", "37.5764",
           old="حمص : التياس"),
    sa_rec(4, "HOMS : Al Waer", "مدينة حمص : الوعر", "مدينة حمص : الوعر", "SY040100", 34.7386, 36.6653, True),
    sa_rec(5, "DAMASCUS : Mezzeh Airbase", "دمشق : مطار المزة", "دمشق : مطار المزة", "SY0100", 33.4775, 36.2233, True),
    sa_rec(6, "QUNAITRA : Khan Arnabah", "القنيطرة : خان أرنبة", "القنيطرة : خان أرنبة", "", 33.1842, 35.8911, True),
    sa_rec(7, "HOMS : Bab Amr", "Homs : Bab Amr", "Homs : Bab Amr", "SY040100", 34.7121, 36.6885, True, old="بابا عمرو"),
    sa_rec(8, "Nowhere - Nowhere - Homs", "لا مكان - لا مكان - مركز حمص", "لا مكان", "C9005", "", ""),
    sa_rec(9, "Badlat - Nowhere - Homs", "بادلات - لا مكان - مركز حمص", "بادلات", "C9006", "north", 36.0),
    sa_rec(10, "Paris - Paris - Homs", "باريس - باريس - مركز حمص", "باريس", "C9007", 48.85, 2.35),
    "not a record",
    sa_rec(12, "", "", "", "C9008", 34.9, 36.9),
    sa_rec(13, "Kafr Nabudah - Kafr Nabutha - As-Suqaylabiyah", "كفر نبودة - كفرنبودة - السقيلبية", "كفر نبودة",
           "C9001", 35.4321, 36.4941),
]


def test_syrianarchive(tmp_path: Path) -> None:
    path = tmp_path / "syrianarchive-locations.json"
    path.write_text(json.dumps(SA_RECORDS, ensure_ascii=False), encoding="utf-8")
    report = SourceReport("syrianarchive")
    places = syrianarchive.read(path, report)
    check_places(places, "syrianarchive")
    got = by_id(places)
    assert report.read == 14 and report.kept == 9
    assert report.skipped == {"missing coordinates": 1, "invalid coordinates": 1, "outside Syria bbox": 1,
                              "record is not an object": 1, "missing name": 1}
    kafr = got["sa:C9001"]
    assert (kafr.name, kafr.name_ar, kafr.admin1, kafr.feature_type) == ("Kafr Nabudah", "كفر نبودة", "SY-HM", "village")
    assert got["sa:13"].name == "Kafr Nabudah"  # repeated p-code: falls back to the record id
    ras = got["sa:C9002"]
    assert (ras.name, ras.name_ar, ras.admin1, ras.feature_type) == ("Ras Al Ain", "رأس العين", "SY-HA", "town")
    assert {"Sere Kaniye", "سري كانيه"} <= {n.text for n in ras.names}
    qat = got["sa:C9003"]
    assert (qat.name, qat.admin1) == ("Qattinah", "SY-HI") and "Homs" not in {n.text for n in qat.names}
    tiyas = got["sa:C9004"]
    assert tiyas.lat == pytest.approx(34.5919) and "التياس" in {n.text for n in tiyas.names}
    waer = got["sa:4"]
    assert (waer.name, waer.name_ar, waer.admin1, waer.feature_type) == ("Al Waer", "الوعر", "SY-HI", "neighbourhood")
    assert got["sa:5"].feature_type == "airbase" and got["sa:5"].admin1 == "SY-DI"
    assert got["sa:6"].admin1 == "SY-QU"  # misspelt governorate, no p-code
    bab = got["sa:7"]
    assert (bab.name, bab.name_ar, bab.admin1) == ("Bab Amr", "بابا عمرو", "SY-HI")


def test_syrianarchive_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "locations.json"
    path.write_text('{"locations": "none"}', encoding="utf-8")
    with pytest.raises(SourceError, match="locations.json"):
        syrianarchive.read(path)
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(SourceError, match="locations.json"):
        syrianarchive.read(path)


# --------------------------------------------------------------------------- real dumps


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.mark.shared
def test_shared_wof() -> None:
    path = _shared("whosonfirst-data-admin-sy.tar.gz")
    report = SourceReport("wof")
    t0 = time.perf_counter()
    places = wof.read(path, report)
    elapsed = time.perf_counter() - t0
    print(f"\nWOF: {report.summary()} in {elapsed:.1f}s")
    assert elapsed < 60
    check_places(places, "wof")
    assert report.kept == len(places) >= 10_000
    assert report.read == report.kept + report.n_skipped
    assert report.skipped["deprecated"] > 0 and report.skipped["not current"] > 0
    assert sum(1 for p in places if p.name_ar) >= 9_000
    govs = [p for p in places if p.feature_type == "governorate"]
    assert len(govs) == 14 and {p.admin1 for p in govs} == ISO_CODES
    assert all(p.geometry_wkt and p.geometry_wkt.startswith(("POLYGON", "MULTIPOLYGON")) for p in govs)
    dists = [p for p in places if p.feature_type == "district" and p.geometry_wkt]
    assert len(dists) >= 60 and all(p.admin1 in ISO_CODES for p in dists)
    assert sum(1 for p in places if p.admin1) >= len(places) - 5
    kafr = [p for p in places if p.name_ar == "كفر نبودة" and km(p.lat, p.lon, 35.432, 36.494) < 3]
    assert kafr and kafr[0].admin1 == "SY-HM" and kafr[0].feature_type == "village"
    damascus = [p for p in places if p.name == "Damascus" and p.feature_type == "city"]
    assert damascus and damascus[0].admin1 == "SY-DI" and km(damascus[0].lat, damascus[0].lon, 33.51, 36.29) < 5
    # the whole file stays small: simplified polygons
    assert sum(len(p.geometry_wkt or "") for p in places) < 1_500_000


@pytest.mark.shared
def test_shared_opensyria() -> None:
    path = _shared("open-syria-geography")
    report = SourceReport("opensyria")
    places = opensyria.read(path, report)
    check_places(places, "opensyria")
    govs = [p for p in places if p.feature_type == "governorate"]
    assert len(govs) == 14 and {p.admin1 for p in govs} == ISO_CODES
    assert by_id(places)["ocha:SY04"].name_ar == "حمص"
    dists = [p for p in places if p.feature_type == "district"]
    subs = [p for p in places if p.feature_type == "subdistrict"]
    assert len(dists) >= 60 and len(subs) >= 250
    dist_ids = {p.id for p in dists}
    assert all(p.admin1 in ISO_CODES for p in places)
    assert all(p.admin2 in dist_ids for p in subs)
    assert report.n_skipped == 0


@pytest.mark.shared
def test_shared_syrianarchive() -> None:
    path = _shared("syrianarchive-locations.json")
    report = SourceReport("syrianarchive")
    places = syrianarchive.read(path, report)
    check_places(places, "syrianarchive")
    assert report.read == 5_997 and len(places) >= 5_500
    assert all(p.admin1 in ISO_CODES for p in places)
    assert report.skipped["missing coordinates"] > 0
    assert sum(1 for p in places if p.name_ar) >= 5_500
    kafr = [p for p in places if p.name_ar == "كفر نبودة"]
    assert kafr and kafr[0].admin1 == "SY-HM" and km(kafr[0].lat, kafr[0].lon, 35.432, 36.494) < 3
    afrin = [p for p in places if p.name == "Afrin" and p.admin1 == "SY-HL"]
    assert afrin and afrin[0].feature_type == "town"
