"""Benchmark geomap.maps.event_map against plain folium Markers and FastMarkerCluster.

For 1k, 10k and 100k synthetic events (real Syrian centres, unique Arabic
snippets, 20% "near" precision, 60 days) it measures build+save seconds and
HTML size of

* ``event_map`` (geomap: one compact payload, client-side markers, clustering
  past 1000 points, time filter, popups),
* plain ``folium.Marker`` with an escaped popup per event,
* ``folium.plugins.FastMarkerCluster`` (no popups; a plain ``L.marker``
  callback, as the default one needs Leaflet.awesome-markers from a CDN),

and, when ``/usr/bin/chromium`` exists, the headless-Chromium load time of
each page: in-page time from navigation start to the end of the last script
(map built), and the wall time of ``chromium --dump-dom`` (DNS disabled; the
folium pages get Leaflet and markercluster inlined from the xstatic packages
so that they can load without the CDNs, and a two-line stand-in for the
jQuery call folium popups make).
Then 1M events with ``event_map`` in aggregated (hexagon) mode.

Run: ``python bench/maps.py`` (about three minutes; ``--plain-max 100000``
adds plain Markers at 100k, several minutes more; ``--no-browser`` skips
Chromium).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHROMIUM = Path("/usr/bin/chromium")
CENTRES = np.array([[34.5225, 37.6297], [36.077, 37.373], [34.73, 36.71], [36.20, 37.16], [35.93, 36.63],
                    [35.336, 40.141], [34.56, 38.28], [32.625, 36.106]])
TEMPLATES = ["شنّت طائرات حربية غارات على مطار التيفور في ريف حمص الشرقي، رقم",
             "Shelling hit villages near Daraa, report number",
             "اندلعت اشتباكات عنيفة قرب السفيرة في ريف حلب، تقرير",
             "A drone strike hit a vehicle on the outskirts of Idlib, item"]


def synthetic(n: int, seed: int = 0):
    """``n`` point events around real Syrian places, as extract_events would give them."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    c = CENTRES[rng.integers(0, len(CENTRES), n)]
    lat, lon = c[:, 0] + rng.normal(0, 0.25, n), c[:, 1] + rng.normal(0, 0.25, n)
    k = rng.integers(0, len(TEMPLATES), n)
    types = np.array(["airstrike", "shelling", "clashes", "drone"])[k]
    tmpl = np.array(TEMPLATES, dtype=object)[k]
    snippets = tmpl + " " + pd.Series(np.arange(n)).astype(str).to_numpy(dtype=object)
    return gpd.GeoDataFrame({
        "event_id": pd.Series(np.arange(n)).astype(str).radd("ev-").to_numpy(),
        "event_type": types,
        "date": pd.Timestamp("2021-10-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
        "date_precision": "day", "name": "Homs", "name_ar": "حمص",
        "precision": np.where(rng.random(n) < 0.2, "near", "exact"),
        "snippet": snippets, "source": "Example Wire", "url": "https://example.org/a", "n_reports": 1,
    }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def plain_markers(ev, path: Path) -> None:
    import folium

    m = folium.Map(location=[34.8, 38.5], zoom_start=7)
    for lat, lon, t, s in zip(ev.geometry.y, ev.geometry.x, ev.event_type, ev.snippet):
        folium.Marker([lat, lon], popup=folium.Popup(html.escape(f"{t}: {s}")), tooltip=html.escape(t)).add_to(m)
    m.save(str(path))


def fast_cluster(ev, path: Path) -> None:
    import folium
    from folium.plugins import FastMarkerCluster

    m = folium.Map(location=[34.8, 38.5], zoom_start=7)
    # A plain L.marker callback: the default one needs Leaflet.awesome-markers (CDN only).
    FastMarkerCluster(np.column_stack([ev.geometry.y, ev.geometry.x]).tolist(),
                      callback="function (row) { return L.marker(new L.LatLng(row[0], row[1])); }").add_to(m)
    m.save(str(path))


def geomap_map(ev, path: Path, offline: bool = False) -> str:
    from geomap.maps import event_map

    m = event_map(ev, offline=offline)
    m.save(str(path))
    return m.geomap_info["mode"]


def inline_assets(path: Path) -> Path:
    """A copy of a folium page that loads without network: Leaflet and
    markercluster inlined from the xstatic packages, other CDN tags dropped."""
    import re

    from geomap.maps import assets

    text = path.read_text(encoding="utf-8")
    inline = {"leaflet.js": f"<script>{assets.leaflet_js()}</script>",
              "leaflet.css": f"<style>{assets.leaflet_css()}</style>",
              "leaflet.markercluster.js": f"<script>{assets.markercluster_js()}</script>",
              "MarkerCluster.css": f"<style>{assets.markercluster_css()}</style>"}

    # folium popups build their element with jQuery's $(html)[0]; a two-line stand-in
    inline["jquery-3.7.1.min.js"] = ("<script>window.$ = window.jQuery = function (h) {"
                                     " var t = document.createElement('template');"
                                     " t.innerHTML = String(h).trim(); return [t.content.firstChild]; };</script>")

    def repl(m: re.Match[str]) -> str:
        name = m.group(1).rsplit("/", 1)[-1]
        return inline.get(name, "")

    text = re.sub(r'<script src="(https?://[^"]+)"></script>', repl, text)
    text = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"/?>', repl, text)
    out = path.with_name(path.stem + "_inlined.html")
    out.write_text(text, encoding="utf-8")
    return out


READY = ("<script>document.documentElement.setAttribute('data-ready', "
         "String(performance.now()));</script>")
ERRORS = ("<script>window.onerror = function(m){ document.documentElement.setAttribute("
          "'data-js-error', String(m)); };</script>")


def load_seconds(path: Path, workdir: Path, timeout: int = 600) -> tuple[float | None, float | None]:
    """``(ready, wall)`` seconds of loading ``path`` in headless Chromium.

    ``ready``: navigation start to the end of the page's last script (the map
    is built), read from the DOM; ``wall``: the whole ``chromium --dump-dom``
    run, which also serialises the page (slow for big pages).
    """
    page = path.with_name(path.stem + "_ready.html")
    text = path.read_text(encoding="utf-8").replace("<head>", "<head>" + ERRORS, 1)
    page.write_text(text.replace("</html>", READY + "</html>"), encoding="utf-8")
    profile = Path(tempfile.mkdtemp(dir=workdir))
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--dump-dom", page.as_uri()]
    t = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        page.unlink()
    wall = time.perf_counter() - t
    err = re.search(rb'data-js-error="([^"]*)"', out.stdout[:4000])
    if err:
        print(f"  JavaScript error in {path.name}: {err.group(1).decode(errors='replace')}", file=sys.stderr)
        return None, wall
    m = re.search(rb'data-ready="([0-9.]+)"', out.stdout[:4000])
    return (float(m.group(1)) / 1000 if m else None), wall


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plain-max", type=int, default=10_000,
                    help="largest size run with plain folium Markers (100000 takes ~3-4 min more)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium load times")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--million", type=int, default=1_000_000, help="events of the aggregated run (0: skip)")
    args = ap.parse_args(argv)
    browser = CHROMIUM.exists() and not args.no_browser
    work = Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    rows: list[tuple] = []
    base = None
    if browser:
        empty = work / "empty.html"
        empty.write_text("<!doctype html><html><body>empty</body></html>")
        base = min(load_seconds(empty, work)[1] or 0 for _ in range(2))
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            ev = synthetic(n)
            runs = [("event_map", lambda p, ev=ev: geomap_map(ev, p)),
                    ("event_map offline", lambda p, ev=ev: geomap_map(ev, p, offline=True)),
                    ("FastMarkerCluster", lambda p, ev=ev: fast_cluster(ev, p))]
            if n <= args.plain_max:
                runs.append(("folium Markers", lambda p, ev=ev: plain_markers(ev, p)))
            for name, fn in runs:
                path = work / f"{name.replace(' ', '_')}_{n}.html"
                t = time.perf_counter()
                mode = fn(path) or ""
                build = time.perf_counter() - t
                mb = path.stat().st_size / 1e6
                load = (None, None)
                if browser and name != "event_map":  # the online event_map is measured offline
                    page = path if "offline" in name else inline_assets(path)
                    load = load_seconds(page, work)
                rows.append((n, name + (f" [{mode}]" if mode else ""), build, mb, *load))
                print(f"  {n:>9,} {rows[-1][1]:<28} {build:7.2f} s {mb:8.2f} MB", file=sys.stderr, flush=True)
                path.unlink()
        if args.million:
            t = time.perf_counter()
            ev = synthetic(args.million)
            gen = time.perf_counter() - t
            path = work / "aggregated.html"
            t = time.perf_counter()
            mode = geomap_map(ev, path, offline=True)
            build = time.perf_counter() - t
            load = load_seconds(path, work) if browser else (None, None)
            rows.append((args.million, f"event_map offline [{mode}]", build, path.stat().st_size / 1e6, *load))
            print(f"  (generating {args.million:,} synthetic events took {gen:.1f} s)", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'events':>10}  {'method':<30} {'build+save s':>12} {'HTML MB':>8} {'ready s':>8} {'wall s':>7}")
    for n, name, build, mb, ready, wall in rows:
        rs = "n/a" if ready is None else f"{ready:.2f}"
        ws = "n/a" if wall is None else f"{wall:.2f}"
        print(f"{n:>10,}  {name:<30} {build:>12.2f} {mb:>8.2f} {rs:>8} {ws:>7}")
    if base is not None:
        print(f"ready: headless Chromium, navigation start to map built (last script done); wall: the whole\n"
              f"chromium --dump-dom run (an empty page takes {base:.2f} s; serialising big pages dominates).\n"
              "folium pages are loaded with Leaflet/markercluster inlined (the CDNs are unreachable here);\n"
              "the online event_map is measured through its offline twin.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
