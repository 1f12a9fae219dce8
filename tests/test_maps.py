"""Tests of geomap.maps: escaping, event layers, offline HTML, scale modes, export, CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

folium = pytest.importorskip("folium")
gpd = pytest.importorskip("geopandas")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from shapely import Point, box  # noqa: E402

from geomap.errors import InputError  # noqa: E402
from geomap.maps import escape as E  # noqa: E402
from geomap.maps import event_map, to_file  # noqa: E402
from geomap.maps.layers import EventLayers  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_events import example_events, fake_mentions  # noqa: E402

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def events():
    return example_events()


def _payload(m) -> dict:
    (el,) = [c for c in m._children.values() if isinstance(c, EventLayers)]
    return el.payload


def _html(m) -> str:
    return m.get_root().render()


def synthetic(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """n point events scattered around real Syrian places, over 60 days."""
    rng = np.random.default_rng(seed)
    centers = np.array([[34.5225, 37.6297], [36.077, 37.373], [34.73, 36.71], [36.20, 37.16], [32.625, 36.106]])
    c = centers[rng.integers(0, len(centers), n)]
    lat, lon = c[:, 0] + rng.normal(0, 0.2, n), c[:, 1] + rng.normal(0, 0.2, n)
    types = np.array(["airstrike", "shelling", "drone", "clashes"])[rng.integers(0, 4, n)]
    return gpd.GeoDataFrame({
        "event_id": [f"ev{i}" for i in range(n)], "event_type": types,
        "date": pd.Timestamp("2021-10-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
        "date_precision": "day", "name": "Homs", "name_ar": "حمص",
        "precision": np.where(rng.random(n) < 0.2, "near", "exact"), "snippet": "قصف مدفعي على حمص",
        "source": "S", "url": "https://example.org/", "n_reports": 1,
    }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


# --- escape ------------------------------------------------------------------------


def test_esc_and_urls():
    assert E.esc(XSS_IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert E.esc('a"b\'c&') == "a&quot;b&#x27;c&amp;"
    assert E.esc(None) == "" and E.esc(float("nan")) == "" and E.esc(pd.NA) == ""
    assert E.safe_url("https://example.org/a?b=1&c=\"x\"") == "https://example.org/a?b=1&amp;c=&quot;x&quot;"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "/relative",
                "https://exa mple.org", "http://", "ftp://example.org/x", None, ""):
        assert E.safe_url(bad) is None, bad


def test_js_json_cannot_close_script():
    s = E.js_json({"t": "</script><script>alert(1)</script>", "u": "\u2028&"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"t": "</script><script>alert(1)</script>", "u": "\u2028&"}


def test_popup_html_escapes_and_sets_direction():
    ev = {"event_type": "meeting", "date": pd.Timestamp("2021-11-15"), "date_precision": "day",
          "name": "Homs", "name_ar": "حمص", "precision": "exact",
          "snippet": f"اجتماع في حمص {XSS_SCRIPT} {XSS_IMG}", "source": "Wire <b>x</b>",
          "url": "javascript:alert(1)", "n_reports": 3}
    h = E.popup_html(ev, label="Meeting · اجتماع", color="#1f77b4")
    assert "<script" not in h and "<img" not in h and "<b>x</b>" not in h
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h and "&lt;img src=x onerror=alert(1)&gt;" in h
    assert '<div class="gm-snippet" dir="rtl" lang="ar">' in h
    assert "href" not in h  # javascript: URL refused
    assert "2021-11-15" in h and "3 reports" in h and '<span dir="rtl" lang="ar">حمص</span>' in h
    h2 = E.popup_html({**ev, "snippet": "Shelling near Daraa", "url": "https://example.org/x"})
    assert 'dir="ltr"' in h2 and 'href="https://example.org/x"' in h2 and 'rel="noopener' in h2
    assert E.css_color("red;background:url(x)") == "#555555" and E.css_color("#d62728") == "#d62728"


# --- event_map on the examples -----------------------------------------------------


def test_event_map_layers_legend_time(events):
    m = event_map(events)
    assert isinstance(m, folium.Map)
    info = m.geomap_info
    assert info["mode"] == "markers" and info["points"] == 10 and info["areas"] == 1 and info["time"]
    # ("the road to Homs" in a report of reinforcements is no incident: no "other" layer)
    assert info["layers"][:2] == ["airstrike", "shelling"] and "other" not in info["layers"]
    # one legend lists the types (and toggles them); the layer control does not repeat them
    # (ten types: Palmyra's reinforcements are a deployment, typed per clause)
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert len(groups) == 10 and not any(g.control for g in groups)
    p = _payload(m)
    legend = p["opts"]["legend"]
    assert "Airstrike · غارة جوية (1)" in legend and "Shelling · قصف مدفعي (2)" in legend
    assert legend.count('data-gm-layer="') == 10 and "exact place" in legend and "هامش الخطأ" in legend
    html = _html(m)
    assert "L.control.layers" in html and "window.geomap.build" in html
    # the T-4 airstrike: one exact marker at its real coordinates
    air = p["layers"][0]["p"]  # one-row columns are stored as single values
    assert (air["len"], air["lat"], air["lon"], air["rad"]) == (1, 34.5225, 37.6297, 0)
    assert p["T"]["rep"][air["n"]] == E.reports_html(2)
    # near places get an uncertainty circle; the governorate is an area polygon
    shelling = p["layers"][1]
    assert shelling["p"]["rad"] == 15000 and shelling["p"]["lat"] == 32.625
    (area,) = shelling["a"]
    assert p["G"][area["g"]]["type"] == "Polygon" and area["fill"] < 0.2
    assert p["opts"]["dayMin"] < p["opts"]["dayMax"]


def test_event_map_escapes_document_text(events):
    html = _html(event_map(events, layer_by="source"))
    for raw in (XSS_SCRIPT, XSS_IMG, "<b>sample</b>", "javascript:alert"):
        assert raw not in html, raw
    # the hostile text is there, escaped (&lt;) and JSON-escaped (\u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    assert "Example Wire \\u0026lt;b\\u0026gt;sample" in html  # legend label
    # Arabic snippets are right-to-left
    assert 'class=\\"gm-snippet\\" dir=\\"rtl\\" lang=\\"ar\\"' in html


def test_template_syntax_in_text_is_not_evaluated():
    """branca compiles rendered scripts as Jinja templates: "{{ 7*7 }}" must stay text."""
    assert E.esc("{{ 7*7 }}") == "&#123;&#123; 7*7 &#125;&#125;"
    ev = gpd.GeoDataFrame({"event_type": ["shelling"], "snippet": ["قصف {{ 6*7 }} على حمص"],
                           "source": ["{{ 7*7 }}{% if true %}x{% endif %}"], "name": ["Homs"],
                           "date": [pd.Timestamp("2021-11-17")]},
                          geometry=[Point(36.71, 34.73)], crs="EPSG:4326")
    html = _html(event_map(ev, layer_by="source", choropleth=True))
    # still there verbatim (escaped): Jinja would have replaced the whole expression
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125;\\u0026#123;% if true %\\u0026#125;x" in html
    assert "\\u0026#123;\\u0026#123; 6*7 \\u0026#125;\\u0026#125;" in html


def test_layer_by_date_and_bad_arguments(events):
    m = event_map(events, layer_by="date")
    assert m.geomap_info["layers"] == ["2021-10", "2021-11", "2021-12", "undated"]
    with pytest.raises(InputError, match="no such column"):
        event_map(events, layer_by="nope")
    with pytest.raises(InputError, match="cluster"):
        event_map(events, cluster="yes")
    with pytest.raises(InputError, match="GeoDataFrame"):
        event_map([1, 2, 3])


def test_online_uses_pinned_cdn_and_tiles(events):
    html = _html(event_map(events, heat=True, offline=False))
    assert "tile.openstreetmap.org" in html and "leaflet@1.9.3" in html
    assert "folium@main" not in html  # heat plugin inlined from the installed folium
    assert "HeatLayer" in html


def test_offline_is_self_contained(events):
    m = event_map(events, offline=True, heat=True, cluster=True)
    html = _html(m)
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    assert not [t for t in tags if "src=" in t or "href=" in t], tags
    assert "L.tileLayer" not in html
    assert '"maxZoom": 18' in html
    assert "Leaflet 1.9.3" in html or "leaflet" in html.lower()
    assert "L.MarkerClusterGroup" in html and "data:image/png;base64," in html
    assert m.geomap_info["mode"] == "cluster"


def test_containers_and_empty_geometries_not_drawn(events):
    ev = events.copy()
    ev["role"] = "place"
    ev.loc[ev.place_id == "geomap:tiyas", "role"] = "container"
    ev.loc[ev.place_id == "geomap:daraa", "geometry"] = None
    m = event_map(ev)
    assert "airstrike" not in m.geomap_info["layers"]
    assert m.geomap_info["events"] == len(ev) - 1 - (ev.place_id == "geomap:daraa").sum()


def test_empty_events_map():
    empty = gpd.GeoDataFrame({"event_type": []}, geometry=[], crs="EPSG:4326")
    m = event_map(empty, offline=True)
    assert m.geomap_info["events"] == 0 and "window.geomap.build" in _html(m)


def test_reprojects_other_crs(events):
    m = event_map(events.to_crs("EPSG:3857"))
    air = _payload(m)["layers"][0]["p"]
    assert (air["lat"], air["lon"]) == (34.5225, 37.6297)


def test_choropleth_from_boundaries(events):
    bnd = gpd.GeoDataFrame({"name": ["Homs", "Daraa <i>x</i>"], "name_ar": ["حمص", "درعا"]},
                           geometry=[box(36.3, 34.0, 38.8, 35.2), box(35.8, 32.3, 36.6, 33.0)], crs="EPSG:4326")
    m = event_map(events, choropleth=True, boundaries=bnd, offline=True)
    assert m.geomap_info["choropleth_polygons"] == 2
    (gj,) = [c for c in m._children.values() if isinstance(c, folium.GeoJson) and "governorate" in c.layer_name]
    counts = {f["properties"]["label"]: f["properties"]["count"] for f in gj.data["features"]}
    # Homs box: Tiyas airbase, Homs (meeting), Palmyra (2); Daraa box: arrest, shelling
    assert counts == {"Homs · حمص": 4, "Daraa &lt;i&gt;x&lt;/i&gt; · درعا": 2}
    html = _html(m)
    assert "Basemap" in html and "<i>x</i>" not in html


def test_choropleth_over_the_gazetteer_governorates(events):
    m = event_map(events, choropleth=True)
    assert m.geomap_info["choropleth_polygons"] == 14  # Syria's governorates, from the gazetteer


# --- scale modes ----------------------------------------------------------------------


def test_cluster_auto_threshold():
    assert event_map(synthetic(500)).geomap_info["mode"] == "markers"
    m = event_map(synthetic(1500), offline=False)
    assert m.geomap_info["mode"] == "cluster"
    assert "leaflet.markercluster@1.4.1" in _html(m)
    assert event_map(synthetic(1500), cluster=False).geomap_info["mode"] == "markers"


def test_aggregated_hexbins_keep_counts():
    ev = synthetic(3000)
    ev.loc[:9, "date"] = pd.NaT
    m = event_map(ev, aggregate=True, heat=True)
    assert m.geomap_info["mode"] == "aggregated"
    p = _payload(m)
    total = 0
    for ly in p["layers"]:
        assert ly["p"] == {"len": 0} and ly["h"]["r"] > 0
        for lat, lon, pc in ly["h"]["c"]:
            assert 31 < lat < 38 and 34 < lon < 40
            total += sum(pc[1::2])
    assert total == 3000
    assert m.geomap_info["time"] is True
    assert event_map(synthetic(300), aggregate_threshold=200).geomap_info["mode"] == "aggregated"


def test_jupyter_repr(events):
    out = event_map(events)._repr_html_()
    assert "iframe" in out and "geomap" in out


def test_import_is_light():
    code = ("import sys, geomap, geomap.maps, geomap.events; "
            "print(sorted(m for m in ('folium', 'geopandas', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- to_file ------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".geojson", ".json", ".parquet", ".gpkg", ".csv"])
def test_to_file_round_trip(tmp_path, events, ext):
    path = to_file(events, tmp_path / f"events{ext}")
    if ext == ".csv":
        back = pd.read_csv(path)
        geom = gpd.GeoSeries.from_wkt(back["geometry"])
    else:
        back = gpd.read_parquet(path) if ext == ".parquet" else gpd.read_file(path)
        geom = back.geometry
    assert len(back) == len(events)
    i = list(back["place_id"]).index("geomap:tiyas")
    assert (round(geom.iloc[i].x, 4), round(geom.iloc[i].y, 4)) == (37.6297, 34.5225)
    assert str(back["date"].iloc[i])[:10] == "2021-11-17"
    assert set(geom.geom_type) == {"Point", "Polygon"}


def test_to_file_errors(tmp_path, events):
    with pytest.raises(InputError, match="unknown output format '.shp'"):
        to_file(events, tmp_path / "e.shp")
    with pytest.raises(InputError, match="does not exist"):
        to_file(events, tmp_path / "missing" / "e.gpkg")
    empty = events.iloc[:0]
    assert to_file(empty, tmp_path / "empty.gpkg").exists()


# --- CLI -----------------------------------------------------------------------------------


def test_cli_map(tmp_path, monkeypatch, capsys):
    import geomap
    from geomap.events import example_paths
    from geomap.events.cli import main

    monkeypatch.setattr(geomap, "geoparse_many", lambda texts, *, gazetteer=None, n_jobs=None: fake_mentions(texts),
                        raising=False)
    out = tmp_path / "map.html"
    assert main(["map", str(example_paths()[0].parent), "-o", str(out), "--offline", "--heat", "-q"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "window.geomap.build" in html and "L.tileLayer" not in html
    assert "wrote map of 11 events" in capsys.readouterr().err
    assert main(["map", str(example_paths()[0]), "-o", str(tmp_path / "map.png")]) == 2
    assert "must end with one of .html, .htm" in capsys.readouterr().err
    assert main(["map", str(example_paths()[0]), "-o", str(out), "--boundaries", "nope.gpkg"]) == 2


def test_offline_is_the_default_and_cdn_warns(events, tmp_path, monkeypatch, capsys):
    import geomap
    from geomap.events import example_paths
    from geomap.events.cli import main

    tags = re.findall(r"<(?:script|link)\b[^>]*>", _html(event_map(events)))
    assert tags and not [t for t in tags if "src=" in t or "href=" in t]
    monkeypatch.setattr(geomap, "geoparse_many", lambda texts, *, gazetteer=None, n_jobs=None: fake_mentions(texts),
                        raising=False)
    folder = str(example_paths()[0].parent)
    out = tmp_path / "map.html"
    assert main(["map", folder, "-o", str(out), "-q"]) == 0
    html, err = out.read_text(encoding="utf-8"), capsys.readouterr().err
    assert "https://" not in " ".join(re.findall(r"<(?:script|link)\b[^>]*>", html)) and "warning" not in err
    assert main(["map", folder, "-o", str(out), "--cdn", "-q"]) == 0
    html, err = out.read_text(encoding="utf-8"), capsys.readouterr().err
    assert "L.tileLayer" in html and '<script src="https://' in html
    assert "warning: --cdn" in err and "without a network" in err


def test_popup_sentence_marks_the_mention_escaped():
    snip = E.esc_series(pd.Series(["قصف على <b>حمص</b> ومحيطها"])).iloc[0]
    assert E.mark_first(snip, ["", "حمص", "Homs"]) == "قصف على &lt;b&gt;<mark>حمص</mark>&lt;/b&gt; ومحيطها"
    hostile = E.esc("a <img src=x onerror=alert(1)> b")
    assert E.mark_first(hostile, ["<img src=x onerror=alert(1)>"]) == (
        "a <mark>&lt;img src=x onerror=alert(1)&gt;</mark> b")
    assert E.mark_first("no name here", ["Homs", None, float("nan")]) == "no name here"
    ev = gpd.GeoDataFrame({"event_type": ["shelling"], "snippet": ["Shelling hit <i>Homs</i> today"],
                           "name": ["Homs"], "name_ar": ["حمص"]}, geometry=[Point(36.71, 34.73)], crs="EPSG:4326")
    # in the payload the mark is two control characters (the map's JavaScript writes the tags);
    # the same characters in document text are dropped, so they cannot open a mark
    assert _payload(event_map(ev))["T"]["snip"] == ["Shelling hit &lt;i&gt;\x01Homs\x02&lt;/i&gt; today"]
    ev["snippet"] = ["Shelling \x02\x01hit Homs"]
    assert _payload(event_map(ev))["T"]["snip"] == ["Shelling hit \x01Homs\x02"]
    # a name the sentence gives shorter: its longest leading words found
    ev["snippet"], ev["name_ar"], ev["name"] = ["غارات على مطار التيفور في ريف حمص"], ["مطار التيفور العسكري"], ["T4"]
    assert _payload(event_map(ev))["T"]["snip"] == ["غارات على \x01مطار التيفور\x02 في ريف حمص"]


def test_framing_covers_areas_and_syria(events):
    # every drawn event is inside, the Deir ez-Zor area whole, and all Syria (several governorates)
    (s, w), (n, e) = event_map(events).geomap_info["bounds"]
    x0, y0, x1, y1 = events.total_bounds
    assert s <= y0 and w <= x0 and n >= y1 and e >= x1
    assert s <= 32.31 and w <= 35.72 and n >= 37.33 and e >= 42.38
    # one town: framed on it (with its uncertainty circle), not on all Syria
    one = events[events["name"] == "al-Safira"]
    (s, w), (n, e) = event_map(one).geomap_info["bounds"]
    assert 35.8 < s < 36.0 and 36.1 < n < 36.3 and e - w < 0.6


def test_basemap_online_is_a_thin_switchable_overlay(events):
    from geomap.maps.layers import Basemap

    for offline in (True, False):
        m = event_map(events, offline=offline)
        (bm,) = [c for c in m._children.values() if isinstance(c, Basemap)]
        assert bm.control and bm.overlay  # listed in the layer control, can be switched off
        data = json.loads(bm.payload_json)
        assert data["offline"] is offline  # land filled only when there are no tiles
        isos = {f["properties"]["iso2"] for f in data["countries"]["features"]}
        assert {"SY", "TR", "LB", "JO", "IQ", "IL"} <= isos
        assert {r["name"] for r in data["rivers"]} >= {"Euphrates", "Tigris", "Orontes"}
        kinds = [lab["k"] for lab in data["labels"]]
        assert kinds.count("gov") == 14 and kinds.count("city") >= 20 and kinds.count("country") >= 6
        # labels come highest rank first; each shows from its zoom on
        ranks = [lab["r"] for lab in data["labels"]]
        assert ranks == sorted(ranks) and {lab["z"] for lab in data["labels"]} <= set(range(5, 10))
    assert "L.tileLayer" in _html(m)
    assert event_map(events, basemap=False)._children.keys().isdisjoint(
        {k for k in m._children if k.startswith("basemap")})


def test_basemap_labels_escape_names():
    from geomap.maps.basemap import labels

    bnd = gpd.GeoDataFrame({"name": ["<script>x</script>"], "name_ar": ["<b>حمص</b>"]},
                           geometry=[box(36.3, 34.0, 38.8, 35.2)], crs="EPSG:4326")
    (gov,) = [lab for lab in labels(bnd) if lab["k"] == "gov"]
    assert "<script>" not in gov["html"] and "&lt;script&gt;" in gov["html"] and "&lt;b&gt;حمص" in gov["html"]
    assert 34.0 < gov["ll"][0] < 35.2 and 36.3 < gov["ll"][1] < 38.8


# --- choropleth colour scale and timeline bins (issue 19) --------------------------------


def test_choropleth_has_a_colour_scale_in_the_legend(events):
    import json as _json

    m = event_map(synthetic(200), choropleth=True)
    scale = m.geomap_info["choropleth_scale"]
    assert scale[0] == ("0", "#ffffcc") and len(scale) >= 3
    legend = _payload(m)["opts"]["legend"]
    assert "Events per governorate · الأحداث حسب المحافظة" in legend
    for label, color in scale:
        assert f"background:{color};" in legend and f'<span dir="ltr">{label}</span>' in legend
    # every polygon's colour is the scale's colour for its count
    (gj,) = [c for c in m._children.values() if c.__class__.__name__ == "GeoJson"]
    feats = (gj.data if isinstance(gj.data, dict) else _json.loads(gj.data))["features"]
    colour_of = {}
    for label, color in scale:
        if label.startswith("≥"):
            colour_of.update({k: color for k in range(int(label[2:]), 10_000)})
        else:
            lo, _, hi = label.partition("–")
            colour_of.update({k: color for k in range(int(lo), int(hi or lo) + 1)})
    counts = [f["properties"]["count"] for f in feats]
    assert 150 < sum(counts) <= 200 and max(counts) > 1  # (a few scattered points fall abroad)
    assert all(f["properties"]["color"] == colour_of[f["properties"]["count"]] for f in feats)


@pytest.mark.parametrize(("start", "days", "unit", "n_bins"), [
    ("2021-10-01", 60, "day", 60),
    ("2021-01-04", 365, "week", 53),           # a Monday: weeks from it
    ("2020-01-01", 5 * 366 - 5, "month", 60),  # 2020–2024: a bar per month, not 16-day slivers
])
def test_timeline_bins_by_day_week_or_month_with_the_span(start, days, unit, n_bins):
    ev = synthetic(300)
    ev["date"] = pd.Timestamp(start) + pd.to_timedelta(np.linspace(0, days - 1, len(ev)).round(), unit="D")
    m = event_map(ev)
    hist = _payload(m)["opts"]["hist"]
    assert hist["unit"] == unit and hist["n"] == n_bins and len(hist["edges"]) == n_bins + 1
    assert m.geomap_info["time_unit"] == unit
    total = np.array(hist["c"]).sum(axis=0)
    assert total.sum() == 300 and total[0] > 0 and total[-1] > 0  # the first and last bins hold the ends
    epoch = pd.Timestamp("1970-01-01")
    if unit == "month":
        starts = [epoch + pd.Timedelta(days=d) for d in hist["edges"]]
        assert all(s.day == 1 for s in starts) and starts[0] == pd.Timestamp("2020-01-01")
        assert starts[-1] == pd.Timestamp("2025-01-01")
