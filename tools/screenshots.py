"""README screenshots: the example map in headless Chromium, offline.

Builds the map of the example documents the package ships (the same pipeline
as README's first command), then takes small PNG screenshots with headless
Chromium, its network blocked, into ``docs/img/``:

* ``map.png`` — the whole map as it opens (basemap names, legend, timeline);
* ``popup.png`` — zoomed on the T-4 airstrike with its popup open;
* ``small.png`` — a narrow window (500 px, the least headless Chromium lays out; legend collapsed).

Run from the checkout: ``python tools/screenshots.py [--out docs/img]``.
Needs ``/usr/bin/chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND"]

# Opens the popup of the airstrike (the first layer's first point) once the map settled.
OPEN_POPUP = """
setTimeout(function(){
  var S = window.geomap.maps[0], ly = S.layers[0], m = ly.items[0].m;
  S.map.setView(m.getLatLng(), 8, {animate: false});
  setTimeout(function(){ S.openPoint(0, 0); }, 300);
}, 300);
"""

SHOTS = (("map.png", "1000,680", ""), ("popup.png", "820,560", OPEN_POPUP), ("small.png", "500,700", ""))

# Reports written for the casualty screenshot (markers sized by fatalities): not real posts.
CASUALTY_POSTS = (
    "شنت طائرات حربية روسية غارات على مدينة أريحا، ما أدى إلى مقتل اثني عشر مدنياً وإصابة عشرين آخرين.",
    "قصفت قوات النظام بلدة سرمين بقذائف المدفعية، ما أدى إلى مقتل ثلاثة مدنيين.",
    "استهدفت مسيّرة تركية سيارة قرب مدينة القامشلي، ما أدى إلى مقتل شخصين.",
    "Coalition aircraft struck a building in al-Bukamal, killing one civilian.",
    "قصف مدفعي تركي على قرية تل رفعت أدى إلى إصابة أربعة مدنيين.",
)
# Opens the popup of the largest marker (the most killed).
OPEN_BIGGEST = """
setTimeout(function(){
  var S = window.geomap.maps[0];
  S.map.setView([35.8, 37.6], 7, {animate: false});
  setTimeout(function(){ S.openPoint(0, 0); }, 300);
}, 300);
"""
CASUALTY_SHOTS = (("casualties.png", "1000,680", OPEN_BIGGEST),)


def build_page(path: Path) -> None:
    """Write the example map to ``path``."""
    import geomap
    from geomap.events import example_paths

    events = geomap.extract_events(geomap.read_documents([str(example_paths()[0].parent)]))
    geomap.event_map(events, layer_by="event_type").save(str(path))


def build_casualty_page(path: Path) -> None:
    """Write a map of :data:`CASUALTY_POSTS` (markers sized by fatalities) to ``path``."""
    import geomap
    from geomap.events import Document

    docs = [Document(doc_id=f"c{i}", text=t) for i, t in enumerate(CASUALTY_POSTS)]
    events = geomap.extract_events(docs, n_jobs=1)
    geomap.event_map(events, layer_by="event_type", time=False).save(str(path))


def shoot(page: Path, png: Path, size: str, script: str, work: Path) -> None:
    """Screenshot ``page`` (with ``script`` appended) at ``size`` ("W,H") into ``png``."""
    html = page.read_text(encoding="utf-8")
    if script:
        html = html.replace("</html>", f"<script>{script}</script></html>")
    tmp = work / f"{png.stem}.html"
    tmp.write_text(html, encoding="utf-8")
    profile = work / f"profile-{png.stem}"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
           "--virtual-time-budget=6000", f"--screenshot={png}", tmp.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


def main(argv: list[str] | None = None) -> int:
    """Build the example map and write the screenshots; returns the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "img")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print("needs /usr/bin/chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="geomap-shots-"))
    try:
        page = work / "examples.html"
        build_page(page)
        for name, size, script in SHOTS:
            png = args.out / name
            shoot(page, png, size, script, work)
            print(f"{png}: {png.stat().st_size / 1e3:.0f} KB", file=sys.stderr)
        page = work / "casualties.html"
        build_casualty_page(page)
        for name, size, script in CASUALTY_SHOTS:
            png = args.out / name
            shoot(page, png, size, script, work)
            print(f"{png}: {png.stat().st_size / 1e3:.0f} KB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
