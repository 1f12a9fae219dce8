"""Offline maps in headless Chromium: markers, polygons, controls, time filter, no XSS.

Skipped when ``/usr/bin/chromium`` is missing (``apt-get install -y chromium``).
Every page is loaded with DNS disabled, so a map that needed the network
would show no markers.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed (/usr/bin/chromium)"),
]

gpd = pytest.importorskip("geopandas")
pytest.importorskip("folium")
from shapely import Point, box  # noqa: E402

from geomap.maps import event_map  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_events import example_events  # noqa: E402
from test_maps import synthetic  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,800"]

# Installed first in <head>: records any JavaScript error on <html>.
ERROR_HOOK = ("<script>window.onerror=function(m){document.documentElement.setAttribute("
              "'data-js-error',String(m));};</script>")


def _page(m, path: Path, after: str = "") -> Path:
    """Save map ``m`` to ``path`` with the error hook and an optional test script appended."""
    m.save(str(path))
    html = path.read_text(encoding="utf-8")
    html = html.replace("<head>", "<head>" + ERROR_HOOK, 1)
    if after:
        html = html.replace("</html>", f"<script>{after}</script></html>")
    path.write_text(html, encoding="utf-8")
    return path


def _chromium(page: Path, tmp_path: Path, *extra: str, budget: int = 5000) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget}", *extra,
           page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def dump_dom(page: Path, tmp_path: Path, budget: int = 5000) -> str:
    """The DOM after scripts ran, serialised by Chromium."""
    out = _chromium(page, tmp_path, "--dump-dom", budget=budget)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "<html" in out.stdout, out.stderr[-2000:]
    return out.stdout


def screenshot(page: Path, tmp_path: Path, name: str) -> Path:
    png = tmp_path / name
    out = _chromium(page, tmp_path, f"--screenshot={png}")
    assert out.returncode == 0 and png.exists(), out.stderr[-2000:]
    return png


def _no_js_error(dom: str) -> None:
    m = re.search(r'data-js-error="([^"]*)"', dom)
    assert m is None, f"JavaScript error in page: {m.group(1) if m else ''}"


def test_offline_map_renders(tmp_path):
    ev = example_events()
    m = event_map(ev, offline=True)
    page = _page(m, tmp_path / "examples.html")
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    # 11 point events as marker icons (exact and near), the Deir ez-Zor governorate as a polygon
    assert len(re.findall(r'class="[^"]*leaflet-marker-icon[^"]*gm-pin', dom)) == 11
    assert len(re.findall(r'class="[^"]*gm-near', dom)) == 5
    paths = re.findall(r'<path[^>]*class="leaflet-interactive"[^>]*>', dom)
    assert len(paths) == 1  # the area; uncertainty circles are not interactive
    circles = re.findall(r'<path [^>]*stroke-dasharray="4 4"', dom)
    assert len(circles) == 5  # 15 km uncertainty circles of the near places
    # layer control, legend and time control
    for label in ("Airstrike · غارة جوية (1)", "Shelling · قصف مدفعي (2)", "Other · أخرى (1)"):
        assert label in dom
    # eleven event types (Palmyra's "Reinforcements were sent to Palmyra after clashes in the desert"
    # is a deployment: the clashes were elsewhere), and the governorate outlines drawn in place of tiles
    assert len(re.findall(r'<input type="checkbox" class="leaflet-control-layers-selector"', dom)) == 12
    assert "Boundaries" in dom
    assert "gm-legend" in dom and "2021-10-25 → 2021-12-09" in dom
    assert not re.search(r'<img[^>]*class="leaflet-tile', dom)  # offline: no tiles
    png = screenshot(page, tmp_path, "examples.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_time_filter_in_browser(tmp_path):
    ev = example_events()
    day = (dt.date(2021, 11, 17) - dt.date(1970, 1, 1)).days
    script = (f"var S = window.geomap.maps[0]; var n = S.setRange({day}, {day});"
              "document.body.setAttribute('data-visible', String(n));")
    page = _page(event_map(ev, offline=True), tmp_path / "time.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    assert 'data-visible="1"' in dom
    (icon,) = re.findall(r'<div class="[^"]*leaflet-marker-icon[^"]*"[^>]*>', dom)
    assert "gm-exact" in icon  # the T-4 airstrike


HOSTILE_IMG = "<img src=x onerror=\"document.title='PWNED';document.body.setAttribute('data-pwned','img')\">"
HOSTILE_SCRIPT = "<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>"
HOSTILE_SVG = "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\">"


def _hostile_events() -> gpd.GeoDataFrame:
    row = dict(event_id="ev-x", doc_id="wire-003", date=dt.datetime(2021, 11, 15), date_precision="day",
               event_type="meeting", place_id="geomap:homs", feature_type="city", precision="exact",
               confidence=0.9, n_reports=1)
    return gpd.GeoDataFrame([
        {**row, "name": f"Homs {HOSTILE_SVG}", "name_ar": "حمص",
         "snippet": f"اجتماع في حمص {{{{ 7*7 }}}} {HOSTILE_SCRIPT} {HOSTILE_IMG}", "source": f"Wire {HOSTILE_IMG}",
         "url": "javascript:document.body.setAttribute('data-pwned','href')", "geometry": Point(36.71, 34.73)},
        {**row, "event_id": "ev-y", "event_type": "shelling", "precision": "governorate",
         "place_id": "geomap:daraa-gov", "name": "Daraa Governorate", "name_ar": f"محافظة درعا {HOSTILE_SCRIPT}",
         "snippet": f"Shelling {HOSTILE_IMG}", "source": "Monitor", "url": "https://example.org/a?b=1&c=2",
         "geometry": box(35.8, 32.3, 36.6, 33.0)},
    ], geometry="geometry", crs="EPSG:4326")


@pytest.mark.parametrize("target", ["marker", "area"])
def test_hostile_text_does_not_execute(tmp_path, target):
    ev = _hostile_events()
    m = event_map(ev, offline=True, layer_by="source", choropleth=True)
    opener = ("var S = window.geomap.maps[0];"
              "S.layers.forEach(function(ly, j){ ly.items.forEach(function(it, k){ S.openPoint(j, k, true); }); });"
              + ("S.layers.forEach(function(ly, j){ ly.items.forEach(function(it, k){ S.openPoint(j, k); }); });"
                 if target == "marker" else
                 "S.layers.forEach(function(ly){ ly.areas.forEach(function(a){ a.layer.openPopup(); }); });")
              + "document.body.setAttribute('data-test-done', '1');")
    page = _page(m, tmp_path / f"xss-{target}.html", after=opener)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    assert 'data-test-done="1"' in dom  # the test script ran after the map
    head_title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert head_title is None or "PWNED" not in head_title.group(1)
    assert not re.search(r"<body[^>]*data-pwned", dom)
    # no element carries an inline event handler (the serialised DOM would show <img ... onerror=)
    assert not re.search(r"<(?:img|svg|script)\b[^>]*\son(?:error|load)=", dom)
    assert not re.search(r"<img[^>]*src=\"x\"", dom)
    popup = re.search(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div></div>', dom, re.S)
    assert popup, "popup not open"
    # the payload shows literally: Chromium serialises the text node with &lt;
    assert "&lt;img src=x onerror=" in popup.group(1)
    if target == "marker":
        assert "&lt;script&gt;document.title='PWNED'" in popup.group(1)
        assert "{{ 7*7 }}" in popup.group(1)  # not evaluated by Jinja when the map was rendered
        assert 'dir="rtl"' in popup.group(1) and "href" not in popup.group(1)  # javascript: URL dropped
    else:
        assert 'href="https://example.org/a?b=1&amp;c=2"' in popup.group(1)
    # layer-control labels (sources) and tooltips show the text too
    assert "Wire &lt;img src=x onerror=" in dom
    assert "leaflet-tooltip" in dom


def test_clusters_offline_in_browser(tmp_path):
    m = event_map(synthetic(3000), offline=True)
    assert m.geomap_info["mode"] == "cluster"
    from test_maps import _payload

    rad = _payload(m)["layers"][0]["p"]["rad"]
    k = next(i for i, r in enumerate(rad) if r > 0)  # a "near" point: its circle shows with its popup
    page = _page(m, tmp_path / "cluster.html", after=f"window.geomap.maps[0].openPoint(0, {k});")
    dom = dump_dom(page, tmp_path, budget=8000)
    _no_js_error(dom)
    clusters = re.findall(r'class="[^"]*marker-cluster gm-cluster', dom)
    assert 0 < len(clusters) < 300
    counts = [int(x) for x in re.findall(r'<div style="background:#[0-9a-f]{6}"><span>(\d+)</span>', dom)]
    assert counts and min(counts) >= 2  # zoomed in to uncover the point: small clusters remain
    assert "قصف مدفعي على حمص" in re.search(r'class="leaflet-popup-content"[^>]*>(.*?)</div></div>', dom, re.S).group(1)
    assert len(re.findall(r'<path [^>]*stroke-dasharray="4 4"', dom)) == 1


def test_aggregated_offline_in_browser(tmp_path):
    m = event_map(synthetic(2000), offline=True, aggregate=True, heat=True)
    page = _page(m, tmp_path / "hex.html")
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    hexes = re.findall(r'<path[^>]*class="leaflet-interactive"', dom)
    assert 10 < len(hexes) < 2000
    assert "leaflet-heatmap-layer" in dom
    screenshot(page, tmp_path, "hex.png")
