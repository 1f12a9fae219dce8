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


def _without_scripts(dom: str) -> str:
    """The serialised DOM less the text of its scripts (the map's payload)."""
    return re.sub(r"<script\b[^>]*>.*?</script>", "", dom, flags=re.S)


def _no_js_error(dom: str) -> None:
    m = re.search(r'data-js-error="([^"]*)"', dom)
    assert m is None, f"JavaScript error in page: {m.group(1) if m else ''}"


def test_offline_map_renders(tmp_path):
    ev = example_events()
    m = event_map(ev, offline=True)
    page = _page(m, tmp_path / "examples.html")
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    # 10 point events as marker icons (exact and near), the Deir ez-Zor governorate as a polygon
    assert len(re.findall(r'class="[^"]*leaflet-marker-icon[^"]*gm-pin', dom)) == 10
    assert len(re.findall(r'class="[^"]*gm-near', dom)) == 5
    paths = re.findall(r'<path[^>]*class="leaflet-interactive"[^>]*>', dom)
    assert len(paths) == 1  # the area; uncertainty circles are not interactive
    circles = re.findall(r'<path [^>]*stroke-dasharray="4 4"', dom)
    assert len(circles) == 5  # 15 km uncertainty circles of the near places
    # one legend (ten event types, each with a toggle), the time control, and a layer
    # control that lists the basemap but not the event types again
    shown = _without_scripts(dom)
    for label in ("Airstrike · غارة جوية (1)", "Shelling · قصف مدفعي (2)", "Deployment · تعزيزات (1)"):
        assert shown.count(label) == 1
    # ten event types (Palmyra's "Reinforcements were sent to Palmyra after clashes in the desert"
    # is a deployment: the clashes were elsewhere; "the road to Homs" is no incident), each with a
    # toggle in the one legend
    assert len(re.findall(r'<input type="checkbox" data-gm-layer="\d+"', dom)) == 10
    assert len(re.findall(r'<input type="checkbox" class="leaflet-control-layers-selector"', dom)) == 1
    assert "Basemap · الخريطة الأساس" in dom
    assert len(re.findall(r'class="gm-legend[ "]', dom)) == 1 and "2021-10-25 → 2021-12-09" in dom
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
    (icon,) = re.findall(r'<div class="(?=[^"]*gm-pin)[^"]*leaflet-marker-icon[^"]*"[^>]*>', dom)
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
    assert "قصف مدفعي على <mark>حمص</mark>" in re.search(r'class="leaflet-popup-content"[^>]*>(.*?)</div></div>', dom, re.S).group(1)
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


# --- a map people can read: basemap, framing, one legend, timeline -------------------------

SYRIA_BBOX = (32.31, 35.72, 37.33, 42.38)  # south, west, north, east

# Run after the map settled: what the reader sees, as JSON on <body data-probe>.
PROBE = """
setTimeout(function(){
  var S = window.geomap.maps[0], map = S.map, b = map.getBounds();
  var box = map.getContainer().getBoundingClientRect(), rects = [];
  function shown(sel){
    var out = [];
    document.querySelectorAll(sel).forEach(function(el){
      if (el.classList.contains('gm-hidden') || el.style.visibility === 'hidden') { return; }
      var r = el.firstChild.getBoundingClientRect();
      if (r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1) {
        out.push(el.firstChild.textContent); rects.push(r);
      }
    });
    return out;
  }
  var out = {bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()], zoom: map.getZoom(),
             gov: shown('.gm-l-gov'), country: shown('.gm-l-country'), city: shown('.gm-l-city'),
             borders: document.querySelectorAll('.leaflet-gmBase-pane path').length,
             rivers: document.querySelectorAll('.leaflet-gmLines-pane path').length, overlaps: 0};
  for (var i = 0; i < rects.length; i++) { for (var j = i + 1; j < rects.length; j++) {
    var p = rects[i], q = rects[j];
    if (p.left < q.right && p.right > q.left && p.top < q.bottom && p.bottom > q.top) { out.overlaps++; }
  } }
  document.body.setAttribute('data-probe', JSON.stringify(out));
}, 1000);
"""


def _probe(dom: str) -> dict:
    import html
    import json

    m = re.search(r'data-probe="([^"]*)"', dom)
    assert m, "probe did not run"
    return json.loads(html.unescape(m.group(1)))


def _example_collection() -> gpd.GeoDataFrame:
    """The example documents the package ships, through the real pipeline."""
    import geomap
    from geomap.events import example_paths

    return geomap.extract_events(geomap.read_documents([str(example_paths()[0].parent)]))


def test_example_map_reads_offline(tmp_path):
    """Names, borders and framing of the example collection's map, with no network."""
    ev = _example_collection()
    assert ev["precision"].isin(["region"]).any()  # areas are part of the framing
    m = event_map(ev)  # offline is the default
    page = _page(m, tmp_path / "examples.html", after=PROBE)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    # at least the 14 governorates named, none overlapping another label
    assert len(p["gov"]) >= 14, p["gov"]
    assert any("ALEPPO" in t.upper() and "حلب" in t for t in p["gov"])
    assert p["overlaps"] == 0
    # neighbours: borders and names in English and Arabic
    assert p["borders"] >= 8
    for en, ar in (("TURKEY", "تركيا"), ("LEBANON", "لبنان"), ("JORDAN", "الأردن"), ("IRAQ", "العراق")):
        assert any(en in t and ar in t for t in p["country"]), (en, p["country"])
    assert p["rivers"] >= 3 and len(p["city"]) >= 5
    # the initial view holds every drawn event (areas whole) and all of Syria
    s, w, n, e = p["bounds"]
    x0, y0, x1, y1 = ev.total_bounds
    assert s <= y0 and w <= x0 and n >= y1 and e >= x1, (p["bounds"], ev.total_bounds)
    assert s <= SYRIA_BBOX[0] and w <= SYRIA_BBOX[1] and n >= SYRIA_BBOX[2] and e >= SYRIA_BBOX[3]
    # the legend once; the event types are not listed a second time by the layer control
    assert len(re.findall(r'class="gm-legend[ "]', dom)) == 1
    assert _without_scripts(dom).count("Airstrike · غارة جوية") == 1
    png = screenshot(page, tmp_path, "examples.png")
    assert len(png.read_bytes()) > 20_000


def test_slider_filters_markers_heat_and_choropleth(tmp_path):
    ev = example_events()
    m = event_map(ev, heat=True, choropleth=True)
    day = (dt.date(2021, 11, 20) - dt.date(1970, 1, 1)).days
    script = """
    function state(){
      var S = window.geomap.maps[0], sum = 0;
      S.choro.eachLayer(function(l){ sum += l.feature.properties.count; });
      return {visible: S.visible, pins: document.querySelectorAll('.gm-pin').length,
              heat: S.heat._latlngs.length, choro: sum,
              dim: document.querySelectorAll('.gm-hist g[opacity="0.25"]').length,
              bars: document.querySelectorAll('.gm-hist rect').length};
    }
    setTimeout(function(){
      var before = state(), from = document.querySelector('.gm-time .gm-from');
      from.value = %d;
      from.dispatchEvent(new Event('input'));
      setTimeout(function(){
        document.body.setAttribute('data-probe', JSON.stringify({before: before, after: state()}));
      }, 500);
    }, 500);
    """ % day
    page = _page(m, tmp_path / "slider.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    before, after = p["before"], p["after"]
    assert before["visible"] == 11 and before["pins"] == 10 and before["heat"] == 11
    assert before["bars"] >= 8 and before["dim"] == 0
    # from 20 November on: the Daraa arrest, Idlib drone, Deir ez-Zor governorate shelling,
    # Aleppo protest and Daraa shelling (undated events show only over the full range)
    assert after["visible"] == 5 and after["pins"] == 4
    assert after["heat"] == 5 and after["choro"] < before["choro"] and after["dim"] > 0


def test_legend_collapses_on_a_narrow_window(tmp_path):
    script = """
    setTimeout(function(){
      var lg = document.querySelector('.gm-legend'), before = lg.className;
      lg.querySelector('.gm-legend-toggle').click();
      document.body.setAttribute('data-probe', JSON.stringify({before: before, after: lg.className,
        width: window.geomap.maps[0].map.getSize().x}));
    }, 500);
    """
    page = _page(event_map(example_events()), tmp_path / "narrow.html", after=script)
    out = _chromium(page, tmp_path, "--dump-dom", "--window-size=500,700")
    assert out.returncode == 0, out.stderr[-2000:]
    _no_js_error(out.stdout)
    p = _probe(out.stdout)
    assert p["width"] <= 520
    assert "gm-collapsed" in p["before"] and "gm-collapsed" not in p["after"]


def test_no_tooltip_over_an_open_popup(tmp_path):
    script = """
    setTimeout(function(){
      var S = window.geomap.maps[0], pane = S.map.getPane('tooltipPane');
      S.openPoint(1, 0, true);  // hover: the tooltip shows
      var hover = getComputedStyle(pane).display;
      S.openPoint(0, 0);        // click another marker: its popup opens
      S.openPoint(1, 0, true);  // hover again while the popup is open
      var open = getComputedStyle(pane).display;
      S.map.closePopup();
      document.body.setAttribute('data-probe', JSON.stringify({hover: hover, open: open,
        closed: getComputedStyle(pane).display, tips: pane.children.length}));
    }, 500);
    """
    page = _page(event_map(example_events()), tmp_path / "tips.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    assert p["tips"] >= 1 and p["hover"] != "none"
    assert p["open"] == "none" and p["closed"] != "none"


def test_brushing_the_histogram_sets_the_period(tmp_path):
    script = """
    setTimeout(function(){
      var S = window.geomap.maps[0], svg = document.querySelector('.gm-hist'), r = svg.getBoundingClientRect();
      function ev(type, f){
        var e = new MouseEvent(type, {clientX: r.left + f * r.width, clientY: r.top + r.height / 2, bubbles: true});
        (type === 'mouseup' ? window : svg).dispatchEvent(e);
      }
      ev('mousedown', 0.5); ev('mousemove', 0.75); ev('mouseup', 0.75);
      setTimeout(function(){
        var ins = document.querySelectorAll('.gm-time input');
        document.body.setAttribute('data-probe', JSON.stringify({from: S.from, to: S.to, min: +ins[0].min,
          max: +ins[0].max, a: +ins[0].value, b: +ins[1].value, visible: S.visible,
          label: document.querySelector('.gm-range').textContent}));
      }, 300);
    }, 500);
    """
    page = _page(event_map(example_events()), tmp_path / "brush.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    span = p["max"] - p["min"]
    # dragging over the middle half of the histogram selects about that half of the period
    assert p["a"] == p["from"] and p["b"] == p["to"]
    assert abs((p["from"] - p["min"]) - span / 2) <= 1 and abs((p["to"] - p["min"]) - 3 * span / 4) <= 1
    assert 0 < p["visible"] < 12 and p["label"].count("2021-") == 2


def test_a_five_year_timeline_has_a_bar_per_month_across_its_width_and_the_choropleth_a_scale(tmp_path):
    import numpy as np
    import pandas as pd

    ev = synthetic(300)
    ev["date"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(np.linspace(0, 1825, len(ev)).round(), unit="D")
    script = """
    setTimeout(function(){
      var svg = document.querySelector('.gm-hist'), W = svg.getBoundingClientRect().width, xs = [];
      document.querySelectorAll('.gm-hist g').forEach(function(g){
        var r = g.querySelector('rect');
        if (r) { xs.push([+r.getAttribute('x'), +r.getAttribute('width')]); }
      });
      var rows = [];
      document.querySelectorAll('.gm-scale-row').forEach(function(r){
        var sw = r.querySelector('.gm-swatch');
        rows.push([r.textContent, getComputedStyle(sw).backgroundColor, sw.getBoundingClientRect().width]);
      });
      document.body.setAttribute('data-probe', JSON.stringify({W: W, groups: document.querySelectorAll('.gm-hist g').length,
        xs: xs, unit: document.querySelector('.gm-hist-unit').textContent, rows: rows}));
    }, 500);
    """
    page = _page(event_map(ev, choropleth=True), tmp_path / "years.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    assert p["groups"] == 60 and p["unit"] == "bars: events per month · في الشهر"
    first, last = p["xs"][0], p["xs"][-1]
    assert first[0] < 1 and last[0] + last[1] > 218  # from edge to edge of the 220-px histogram
    assert min(w for _, w in p["xs"]) >= 3  # a bar per month is wide enough to see and brush
    # the colour scale: "0" and ranges of counts, each with a visible swatch of its colour
    labels = [r[0] for r in p["rows"]]
    assert labels[0] == "0" and len(labels) >= 3 and all(r[2] > 5 for r in p["rows"])
    assert p["rows"][0][1] == "rgb(255, 255, 204)"  # #ffffcc


def _coded_events():
    """Incidents with actors and casualties, from reports written for this test."""
    from geomap.events import Document, extract_events

    posts = ("شنت طائرات حربية روسية غارات على مدينة أريحا، ما أدى إلى مقتل اثني عشر مدنياً.",
             "قصفت قوات النظام بلدة سرمين بقذائف المدفعية، ما أدى إلى مقتل ثلاثة مدنيين.",
             "Turkish drones struck a car near Qamishli, killing one man.",
             "Rockets hit a market in Azaz <img src=x onerror=alert(1)> on Monday.")
    return extract_events([Document(doc_id=f"c{i}", text=t) for i, t in enumerate(posts)], n_jobs=1)


def test_markers_sized_by_fatalities_and_the_actor_filter(tmp_path):
    ev = _coded_events()
    assert set(ev.actor1.dropna()) == {"Russia", "Syrian government", "Turkey"}
    script = """
    setTimeout(function(){
      var S = window.geomap.maps[0], sel = document.querySelector('.gm-legend select.gm-actor');
      var before = {visible: S.visible, z3: document.querySelectorAll('.gm-pin.gm-z3').length,
                    z1: document.querySelectorAll('.gm-pin.gm-z1').length,
                    options: Array.prototype.map.call(sel.options, function(o){ return o.textContent; })};
      var k = before.options.indexOf('Russia');
      sel.value = String(k - 1);
      sel.dispatchEvent(new Event('change'));
      setTimeout(function(){
        var S2 = window.geomap.maps[0];
        S2.openPoint(0, 0);
        setTimeout(function(){
          var pop = document.querySelector('.leaflet-popup-content');
          document.body.setAttribute('data-probe', JSON.stringify({before: before, after: S2.visible,
            pins: document.querySelectorAll('.gm-pin').length, popup: pop ? pop.textContent : ''}));
        }, 300);
      }, 300);
    }, 500);
    """
    page = _page(event_map(ev), tmp_path / "coded.html", after=script)
    dom = dump_dom(page, tmp_path)
    _no_js_error(dom)
    p = _probe(dom)
    # 12 killed in Ariha: the largest marker; one man near Qamishli: the smallest sized one
    assert p["before"]["z3"] == 1 and p["before"]["z1"] == 1 and p["before"]["visible"] == 4
    assert p["before"]["options"][0].startswith("All actors") and "Turkey" in p["before"]["options"]
    assert p["after"] == 1 and p["pins"] == 1  # Russia only
    assert "Russia → Civilians" in p["popup"] and "12 killed" in p["popup"]
    assert "Killed · قتلى" in _without_scripts(dom)
    assert "onerror=alert" not in _without_scripts(dom).replace("&lt;img", "")
