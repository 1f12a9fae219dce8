"""The default's Syria table, users' own places and persistent corrections."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geomap import geocode, geoparse, load_gazetteer
from geomap.gazetteer.store import haversine_km
from geomap.gazetteer.tables import table_path

ROOT = Path(__file__).resolve().parents[1]


def near(x, point: tuple[float, float], km: float) -> bool:
    """A mention row (Series) or a Place within ``km`` of ``point`` (lat, lon)."""
    return haversine_km(float(x.lat), float(x.lon), *point) <= km


# -- the default knows Syria's villages -----------------------------------------------

def test_default_is_mostly_syria(gaz) -> None:
    by_country = gaz.counts("country")
    sy = [p for p in gaz if p.country == "SY"]
    assert len(sy) >= 10_000 and sum(1 for p in sy if p.name_ar) >= 8_000
    assert by_country.most_common(1)[0][0] == "SY"
    # the neighbours stay: Beirut, Amman, Mosul, Gaziantep resolve
    for name, country in (("بيروت", "LB"), ("عمان", "JO"), ("الموصل", "IQ"), ("Gaziantep", "TR")):
        assert geocode(name, gazetteer=gaz).country == country, name


@pytest.mark.parametrize(("query", "point"), [
    ("the village of Hass", (35.616, 36.591)),       # southern Idlib; was Ha'il in Saudi Arabia
    ("قرية حاس", (35.616, 36.591)),
    ("Kafr Sajnah village", (35.528, 36.590)),
    ("الهبيط", (35.439, 36.538)),
    ("Tall Tamr", (36.656, 40.371)),
])
def test_small_syrian_villages_resolve_in_syria(gaz, query: str, point: tuple[float, float]) -> None:
    place = geocode(query, gazetteer=gaz)
    assert place is not None and place.country == "SY" and near(place, point, 3), place


def test_villages_in_syrian_incident_text(gaz) -> None:
    df = geoparse("قصف مدفعي على قرية معرشورين والبارة بريف إدلب، وغارات على الهبيط وكفرسجنة وكفرنبودة، "
                  "واشتباكات قرب تل تمر", gazetteer=gaz)
    got = {r["mention"]: r for _, r in df.iterrows()}
    assert near(got["قرية معرشورين"], (35.668, 36.728), 3)
    assert near(got["البارة"], (35.686, 36.542), 3)
    assert near(got["كفرنبودة"], (35.432, 36.494), 3)
    assert near(got["قرب تل تمر"], (36.656, 40.371), 5)
    assert got["ريف إدلب"]["role"] == "container"


def test_a_district_named_after_its_town_is_the_town_by_default(gaz) -> None:
    # As Safira district's centroid is 35 km from the town; the bare name means the town
    assert near(geocode("منطقة السفيرة", gazetteer=gaz), (36.077, 37.373), 5)
    assert near(geocode("Tel Abyad", gazetteer=gaz), (36.70, 38.95), 5)
    assert geocode("Tell Abyad district", gazetteer=gaz).feature_type == "district"


def test_shipped_table_is_attributed_and_derived_not_shared() -> None:
    sources = (ROOT / "gazetteer" / "SOURCES.md").read_text(encoding="utf-8")
    assert "syria.csv.gz" in sources and "Who's On First" in sources and "CC BY 4.0" in sources
    assert "UN OCHA Syria, Common Operational Datasets (via HDX), CC BY 3.0 IGO" in sources
    assert "OpenSyria" in sources and "Syrian Archive" in sources  # (said to be left out)
    table = table_path("syria.csv.gz")
    assert table.stat().st_size < 3_000_000
    from geomap.gazetteer.syria_table import read_syria_table

    places = list(read_syria_table())
    assert len(places) >= 10_000
    assert not any("syrianarchive" in p.sources or p.id.startswith("sa:") for p in places)


@pytest.mark.shared
def test_export_default_regenerates_the_shipped_table(shared_dir: Path, tmp_path: Path) -> None:
    from geomap.cli import main

    out = tmp_path / "syria.csv.gz"
    data = shared_dir / "data"
    if not (data / "ocha-syria").is_dir():
        pytest.skip("../shared/data/ocha-syria not present")
    rc = main(["gazetteer", "export-default", "--wof", str(data / "whosonfirst-data-admin-sy.tar.gz"),
               "--open-syria", str(data / "open-syria-geography"), "--ocha", str(data / "ocha-syria"),
               "-o", str(out)])
    assert rc == 0
    assert out.read_bytes() == table_path("syria.csv.gz").read_bytes()
    # OCHA's admin names by P-code are written beside it, as shipped
    assert (tmp_path / "syria_admin.csv").read_bytes() == table_path("syria_admin.csv").read_bytes()


# -- users' own places -------------------------------------------------------------------

USER_CSV = """name_ar,name,type,lat,lon,parent
حاجز المعمل,Al-Maamal checkpoint,checkpoint,35.9412,36.6650,Idlib Governorate
مخيم الكرامة,Karama camp,camp,36.1820,36.6100,
,,village,35.1,36.2,
قرية بلا إحداثيات,No coords,village,95.0,36.0,
مزرعة خطأ,Bad type,castle,35.0,36.0,
حي الورود,,neighbourhood,abc,36.2,
"""


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    """A fresh user data directory (the default gazetteer is rebuilt from scratch there)."""
    from geomap.gazetteer.load import _CACHE, data_dir as real

    d = tmp_path / "data"
    d.mkdir()
    cached = Path(real())
    for f in cached.glob("default-*.json.gz"):  # reuse the session's built default
        os.link(f, d / f.name) if f.stat().st_dev == d.stat().st_dev else d.joinpath(f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(d))
    saved = dict(_CACHE)
    _CACHE.clear()
    yield d
    _CACHE.clear()
    _CACHE.update(saved)


def test_user_csv_good_rows_used_bad_rows_reported(tmp_path: Path, data_dir: Path) -> None:
    from geomap.gazetteer.load import UserPlacesWarning

    path = tmp_path / "my_places.csv"
    path.write_text(USER_CSV, encoding="utf-8")
    with pytest.warns(UserPlacesWarning) as rec:
        gaz = load_gazetteer("default", extra=path)
    msg = str(rec[0].message)
    assert "2 places kept, 4 rows rejected" in msg
    assert "line 4: missing name" in msg and "line 5: coordinates out of range" in msg
    assert "line 6: unknown type 'castle'" in msg and "line 7: bad coordinates" in msg
    df = geoparse("اشتباكات قرب حاجز المعمل وقصف على مخيم الكرامة", gazetteer=gaz)
    cp, camp = df.iloc[0], df.iloc[1]
    assert cp["place_id"].startswith("user:") and cp["feature_type"] == "checkpoint"
    assert near(cp, (35.9412, 36.6650), 0.1) and camp["feature_type"] == "camp"
    assert gaz.get(cp["place_id"]).admin1 == "SY-ID"  # from its parent
    assert len(gaz) == len(load_gazetteer("default")) + 2


def test_gazetteer_add_keeps_places_for_later_loads(tmp_path: Path, data_dir: Path, capsys) -> None:
    from geomap.cli import main

    path = tmp_path / "checkpoints.csv"
    path.write_text(USER_CSV, encoding="utf-8")
    assert main(["gazetteer", "add", str(path)]) == 1  # bad rows: a non-zero exit, each reported
    err = capsys.readouterr().err
    assert err.count("rejected") == 4 and "line 5" in err
    assert (data_dir / "user_places" / "checkpoints.csv").is_file()
    code = ("import geomap; df = geomap.geoparse('انفجار عند حاجز المعمل'); "
            "print(df.iloc[0]['place_id'], df.iloc[0]['feature_type'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "GEOMAP_DATA_DIR": str(data_dir)})
    assert out.stdout.split()[0].startswith("user:") and out.stdout.split()[1] == "checkpoint"
    assert main(["gazetteer", "info", "--top", "1"]) == 0
    assert "user places (1 files" in capsys.readouterr().out


def test_a_user_geojson_of_places(tmp_path: Path, gaz) -> None:
    from geomap.gazetteer.user import read_user_places

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.61, 36.18]},
         "properties": {"name_ar": "مزرعة الزيتون", "type": "farm"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[36.6, 36.1], [36.7, 36.1],
                                                                             [36.7, 36.2], [36.6, 36.1]]]},
         "properties": {"name": "Olive area", "type": "region", "parent": "no such place anywhere"}},
    ]}
    path = tmp_path / "farms.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    got = read_user_places(path, gaz)
    assert [p.feature_type for p in got.places] == ["farm"]
    assert near(got.places[0], (36.18, 36.61), 0.1)
    assert [str(e) for e in got.errors] == ["feature 2: unknown parent 'no such place anywhere'"]


def test_a_places_csv_in_geomaps_own_column_names_and_unknown_columns(tmp_path: Path, gaz) -> None:
    """A CSV headed like geomap's frames (feature_type, latitude/longitude) is read as such; a
    header geomap does not read is named in the summary, never silently dropped."""
    from geomap.gazetteer.user import read_user_places

    path = tmp_path / "camps.csv"
    path.write_text("name,name_ar,latitude,longitude,feature_type,notes\n"
                    "Atmeh camp,مخيم أطمة,36.3086,36.6603,camp,seen on the border road\n", encoding="utf-8")
    got = read_user_places(path, gaz)
    assert [(p.feature_type, round(p.lat, 4), round(p.lon, 4)) for p in got.places] == [("camp", 36.3086, 36.6603)]
    assert got.ignored_columns == ["notes"] and "columns not read: notes" in got.summary()


# -- corrections that persist --------------------------------------------------------------

TEXT = "غارات على مطار T-4 وقصف مدفعي على منطقة السفيرة بحلب، وانتشار في قرية حاس"


def test_override_changes_a_resolution_and_survives_a_new_process(tmp_path: Path, data_dir: Path) -> None:
    from geomap.review import apply_review, review_table

    before = geoparse(TEXT)
    hass = before[before["mention"] == "قرية حاس"].iloc[0]
    assert near(hass, (35.616, 36.591), 3) and hass["override"] == ""
    # the review table lists it when its confidence is under the threshold; fill it in
    table = review_table(before, [TEXT], threshold=1.01)
    assert list(table["confidence"]) == sorted(table["confidence"])  # worst first
    table.loc[table["mention"] == "قرية حاس", ["lat", "lon"]] = ["35.70", "36.70"]
    table.loc[table["mention"] == "منطقة السفيرة", "place_id"] = "gn:172503"
    table.loc[table["mention"] == "مطار T-4", "not_place"] = "yes"
    review = tmp_path / "review.csv"
    table.to_csv(review, index=False)
    assert apply_review(review) == 3
    code = f"import geomap, json; df = geomap.geoparse({TEXT!r}); " \
           "print(json.dumps(df[['mention', 'place_id', 'lat', 'lon', 'override']].to_dict('records'), " \
           "ensure_ascii=False)); print(json.dumps(df.attrs['geomap_overrides']))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "GEOMAP_DATA_DIR": str(data_dir)})
    rows_line, counts_line = out.stdout.strip().splitlines()
    rows = {r["mention"]: r for r in json.loads(rows_line)}
    assert "مطار T-4" not in rows  # "not a place" removes the mention ...
    assert json.loads(counts_line) == {"applied": 2, "removed": 1}  # ... and says so
    assert (rows["قرية حاس"]["lat"], rows["قرية حاس"]["lon"]) == (35.70, 36.70)
    assert rows["قرية حاس"]["override"].startswith("overrides.csv:")
    assert rows["منطقة السفيرة"]["place_id"] == "gn:172503" and rows["منطقة السفيرة"]["override"]
    assert rows["حلب"]["override"] == ""  # others untouched


def test_override_context_and_source(tmp_path: Path, gaz) -> None:
    from geomap import geoparse_many
    from geomap.geoparsing.overrides import load_overrides

    path = tmp_path / "overrides.csv"
    path.write_text("mention,context,source,place_id,lat,lon,not_place,note\n"
                    "حاس,دمشق,,,33.5,36.3,,only with Damascus in the text\n"
                    "حاس,,SANA,,,,yes,SANA means something else\n", encoding="utf-8")
    rules = load_overrides(path)
    texts = ["قصف على قرية حاس", "قصف على قرية حاس قرب دمشق", "قصف على قرية حاس"]
    df = geoparse_many(texts, gazetteer=gaz, overrides=rules, sources=["Enab", "Enab", "SANA"])
    hass = df[df["mention"] == "قرية حاس"]
    assert hass["doc"].tolist() == [0, 1]  # removed from the SANA document only
    assert hass.iloc[0]["override"] == "" and near(hass.iloc[0], (35.616, 36.591), 3)
    assert hass.iloc[1]["lat"] == 33.5 and hass.iloc[1]["override"] == "overrides.csv:2"


def test_a_bad_override_row_says_where(tmp_path: Path) -> None:
    from geomap import InputError
    from geomap.geoparsing.overrides import load_overrides

    path = tmp_path / "overrides.csv"
    path.write_text("mention,place_id,lat,lon\nحاس,,91,36\n", encoding="utf-8")
    with pytest.raises(InputError, match="overrides.csv:2: coordinates out of range"):
        load_overrides(path)


def test_worker_processes_see_the_users_places(tmp_path: Path, data_dir: Path) -> None:
    from contextlib import ExitStack

    from geomap._parallel import gazetteer_spec

    path = tmp_path / "my_places.csv"
    path.write_text(USER_CSV.splitlines()[0] + "\n" + USER_CSV.splitlines()[1] + "\n", encoding="utf-8")
    gaz = load_gazetteer("default", extra=path)
    with ExitStack() as stack:
        spec = gazetteer_spec(gaz, stack)
        # what a worker loads has the user's checkpoint, whatever the spec is
        worker = load_gazetteer(spec, user=False)
        assert any(p.feature_type == "checkpoint" and p.id.startswith("user:") for p in worker)


PLACES_V1 = """name_ar,name,type,lat,lon
حاجز المعمل,Al-Maamal checkpoint,checkpoint,35.9412,36.6650
مخيم الكرامة,Karama camp,camp,36.1820,36.6100
"""
# the second version moves the camp and repeats the checkpoint (same name and point)
PLACES_V2 = """name_ar,name,type,lat,lon
حاجز المعمل,Al-Maamal checkpoint,checkpoint,35.9412,36.6650
مخيم الكرامة,Karama camp,camp,36.1850,36.6120
"""


def test_a_second_version_of_a_places_file_replaces_rows_and_names_both_files(
        tmp_path: Path, data_dir: Path, capsys) -> None:
    from geomap.cli import main
    from geomap.gazetteer.load import UserPlacesWarning

    v1, v2 = tmp_path / "places.csv", tmp_path / "places_v2.csv"
    v1.write_text(PLACES_V1, encoding="utf-8")
    v2.write_text(PLACES_V2, encoding="utf-8")
    assert main(["gazetteer", "add", str(v1)]) == 0
    assert main(["gazetteer", "add", str(v2)]) == 0
    err = capsys.readouterr().err
    assert "places_v2.csv" in err and "user_places/places.csv" in err
    # every command still works; the load warns and names both files
    with pytest.warns(UserPlacesWarning, match=r"places_v2\.csv: 1 places replace .* in .*places\.csv"):
        assert main(["gazetteer", "info", "--top", "1"]) == 0
    gaz = load_gazetteer("default")
    users = [p for p in gaz if p.id.startswith("user:")]
    assert len(users) == 3  # v1's camp, plus v2's checkpoint and moved camp
    # --replace settles it: v1 keeps only its camp, and no more warning
    assert main(["gazetteer", "add", "--replace", str(v2)]) == 0
    assert "removed from" in capsys.readouterr().err
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserPlacesWarning)
        gaz = load_gazetteer("default")
    camps = [p for p in gaz if p.id.startswith("user:") and p.feature_type == "camp"]
    assert sorted(round(p.lat, 3) for p in camps) == [36.182, 36.185]
    # remove takes the file's name; an unknown name is a clear error listing the kept files
    assert main(["gazetteer", "remove", "places.csv"]) == 0
    assert not (data_dir / "user_places" / "places.csv").exists()
    assert main(["gazetteer", "remove", "nothing.csv"]) == 2
    assert "kept: places_v2.csv" in capsys.readouterr().err
    assert [p.lat for p in load_gazetteer("default") if p.feature_type == "camp" and p.id.startswith("user:")] \
        == [36.185]


def test_same_id_in_two_files_the_later_wins(tmp_path: Path, data_dir: Path) -> None:
    from geomap.gazetteer.load import UserPlacesWarning
    from geomap.gazetteer.user import user_dir

    user_dir().mkdir(parents=True)
    head = "id,name_ar,name,type,lat,lon,wkt,parent,aliases,country\n"
    (user_dir() / "a.csv").write_text(head + "user:cp1,حاجز المعمل,,checkpoint,35.9412,36.6650,,,,SY\n",
                                      encoding="utf-8")
    (user_dir() / "b.csv").write_text(head + "user:cp1,حاجز المعمل,,checkpoint,35.9500,36.6700,,,,SY\n",
                                      encoding="utf-8")
    with pytest.warns(UserPlacesWarning, match=r"b\.csv: 1 places replace .*a\.csv \(user:cp1\)"):
        gaz = load_gazetteer("default")
    assert gaz.get("user:cp1").lat == 35.95


def test_an_unreadable_kept_file_is_skipped_with_a_warning(tmp_path: Path, data_dir: Path) -> None:
    from geomap.gazetteer.load import UserPlacesWarning
    from geomap.gazetteer.user import user_dir

    user_dir().mkdir(parents=True)
    (user_dir() / "broken.csv").write_bytes(b"\xff\xfe\x00garbage\x81\x82")
    (user_dir() / "good.csv").write_text(PLACES_V1, encoding="utf-8")
    with pytest.warns(UserPlacesWarning, match=r"skipped .*broken\.csv: .*UTF-8"):
        gaz = load_gazetteer("default")
    assert sum(1 for p in gaz if p.id.startswith("user:")) == 2


# -- review ranks confident errors by suspicion ----------------------------------------

REVIEW_POSTS = {
    # a dateline: Damascus is where the agency writes from, the strike is in Deir ez-Zor
    "dateline": "دمشق - قصفت طائرات حربية مواقع في مدينة الميادين بريف دير الزور الشرقي صباح اليوم",
    # "near the river": a common word read as the village An Nahr
    "river": "قتل شاب برصاص مجهولين قرب النهر في بلدة سراقب بريف إدلب",
    # a place abroad in a Syrian post
    "amman": "اشتباكات عنيفة في بلدة سراقب بريف إدلب ونزوح عائلات نحو عمان",
    # a namesake in another governorate (An Nayrab of Idlib and of Aleppo)
    "nayrab": "غارات على بلدة النيرب بريف إدلب صباح اليوم",
}


def test_review_ranks_confident_errors_and_counts_applied_corrections(
        tmp_path: Path, data_dir: Path, monkeypatch, capsys) -> None:
    import pandas as pd

    from geomap.cli import main

    monkeypatch.setenv("GEOMAP_OVERRIDES", str(tmp_path / "overrides.csv"))
    posts = tmp_path / "posts"
    posts.mkdir()
    for name, text in REVIEW_POSTS.items():
        (posts / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "review.csv"
    assert main(["review", str(posts), "-o", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    why = {(r["doc"], r["mention"]): r["why"] for _, r in table.iterrows()}
    assert "dateline" in why[("dateline.txt", "دمشق")] and "km from the document's other places" \
        in why[("dateline.txt", "دمشق")]
    assert "frequent word" in why[("river.txt", "قرب النهر")]
    assert "abroad (JO) in a Syrian text" in why[("amman.txt", "عمان")]
    assert "rival An Nayrab" in why[("nayrab.txt", "بلدة النيرب")] and "SY-HL" in why[("nayrab.txt", "بلدة النيرب")]
    # the confident error (0.9) is listed although over the confidence threshold; ranked by suspicion
    river = table[table["mention"] == "قرب النهر"].iloc[0]
    assert river["confidence"] > 0.6 and list(table["suspicion"]) == sorted(table["suspicion"], reverse=True)
    # the well-placed Saraqib and Mayadin are not listed
    assert not table["mention"].isin(["بلدة سراقب", "مدينة الميادين"]).any()
    # fill one row, apply: the summary counts it, applying again adds nothing, the next review knows it
    table.loc[table["mention"] == "قرب النهر", "not_place"] = "yes"
    table.to_csv(out, index=False)
    capsys.readouterr()
    assert main(["review", "--apply", str(out)]) == 0
    assert capsys.readouterr().out.startswith("1 corrections applied")
    assert main(["review", "--apply", str(out)]) == 0
    assert capsys.readouterr().out.startswith("0 corrections applied")
    from geomap.gazetteer.load import clear_cache

    clear_cache()
    assert main(["review", str(posts), "-o", str(out)]) == 0
    again = pd.read_csv(out, keep_default_na=False)
    assert "قرب النهر" not in set(again["mention"]) and len(again) == len(table) - 1
