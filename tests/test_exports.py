"""Exports and other tools (issue 19): dates kept by GeoPackage and GeoParquet, the CSV's
lat/lon and WKT in EPSG:4326, the README's geopy adapter and CSV reader as written, explore()."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

gpd = pytest.importorskip("geopandas")
import pandas as pd  # noqa: E402

from geomap.maps import to_file  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_events import example_events  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def events():
    return example_events()


@pytest.mark.parametrize("ext", [".gpkg", ".parquet"])
def test_to_file_keeps_dates_as_dates(tmp_path, events, ext):
    assert events["date"].isna().any() and events["date"].notna().any()  # a known and an unknown date
    path = to_file(events, tmp_path / f"events{ext}")
    back = gpd.read_parquet(path) if ext == ".parquet" else gpd.read_file(path, engine="pyogrio")
    assert pd.api.types.is_datetime64_any_dtype(back["date"]), back["date"].dtype
    i = list(back["place_id"]).index("geomap:tiyas")
    assert back["date"].iloc[i] == pd.Timestamp("2021-11-17")
    assert back["date"].isna().sum() == events["date"].isna().sum()


def test_csv_export_has_lat_lon_and_wkt_in_wgs84(tmp_path, events):
    from geomap import geoparse

    back = pd.read_csv(to_file(events, tmp_path / "events.csv"))
    i = list(back["place_id"]).index("geomap:tiyas")
    assert (round(back["lat"].iloc[i], 4), round(back["lon"].iloc[i], 4)) == (34.5225, 37.6297)
    assert back["geometry"].iloc[i].startswith("POINT (37.6")  # WKT, lon first
    # a frame in another CRS, without lat/lon columns, is written in EPSG:4326 all the same
    mentions = geoparse("غارات على مطار T-4 في ريف حمص الشرقي").drop(columns=["lat", "lon"]).to_crs(3857)
    back = pd.read_csv(to_file(mentions, tmp_path / "mentions.csv"))
    assert 34.4 < back["lat"].iloc[0] < 34.6 and 37.5 < back["lon"].iloc[0] < 37.7
    assert gpd.GeoSeries.from_wkt(back["geometry"]).iloc[0].y < 90


def _readme_block(after: str) -> str:
    """The first ```python block of README.md after the line containing ``after``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rest = text[text.index(after):]
    start = rest.index("```python\n") + len("```python\n")
    return rest[start:rest.index("```", start)]


def test_readme_geopy_adapter_snippet_runs_as_written():
    ns: dict = {}
    exec(compile(_readme_block("**geopy adapter.**"), "README.md", "exec"), ns)  # noqa: S102
    points = ns["points"]
    assert points.crs.to_epsg() == 4326 and len(points) == 3
    from geomap.geocoders import GazetteerGeocoder

    p = GazetteerGeocoder(within="Idlib Governorate").geocode("سراقب").point
    assert (round(p.latitude, 2), round(p.longitude, 2)) == (35.86, 36.81)
    assert GazetteerGeocoder().reverse((36.08, 37.37)).address == "As Safīrah (السفيرة)"


def test_readme_csv_reader_line_reads_the_export_back(tmp_path, events, monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"`(gpd\.read_file\(\"events\.csv\"[^`]*)`", text).group(1)
    to_file(events, tmp_path / "events.csv")
    monkeypatch.chdir(tmp_path)
    back = eval(line, {"gpd": gpd})  # noqa: S307 - the README's own line
    assert back.crs.to_epsg() == 4326 and set(back.geom_type) == {"Point", "Polygon"}
    assert len(back) == len(events)


def test_events_explore_with_the_explore_extra(events):
    pytest.importorskip("matplotlib")
    pytest.importorskip("mapclassify")
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["explore"]
    assert {d.split(">")[0] for d in extra} == {"matplotlib", "mapclassify"}
    m = events.explore(column="event_type")
    assert "Airstrike" in m.get_root().render() or "airstrike" in m.get_root().render()
    m2 = events.explore(column="confidence", scheme="equalinterval", k=3)  # a mapclassify scheme
    assert m2.get_root().render()
