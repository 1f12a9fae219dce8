"""JavaScript and CSS the maps need: pinned CDN links, or inlined for offline maps.

Offline maps inline Leaflet and Leaflet.markercluster from the
``xstatic-leaflet`` and ``xstatic-leaflet-markercluster`` packages, and the
Leaflet.heat build that folium ships; nothing is copied into geomap. The
images Leaflet's CSS refers to (layer-control icon) become data URIs.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

LEAFLET_VERSION = "1.9.3"
MARKERCLUSTER_VERSION = "1.4.1"

#: Pinned CDN links used by online maps.
CDN_JS = {
    "markercluster": f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/leaflet.markercluster.js",
}
CDN_CSS = {
    "markercluster": f"https://cdn.jsdelivr.net/npm/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/MarkerCluster.css",
}


def _xstatic_dir(module: str, pip_name: str) -> Path:
    try:
        mod = __import__(f"xstatic.pkg.{module}", fromlist=["BASE_DIR"])
    except ImportError:
        raise ImportError(f"offline maps need {pip_name}: pip install {pip_name}") from None
    return Path(mod.BASE_DIR)


def _script_safe(js: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript (xstatic-leaflet)."""
    return _script_safe((_xstatic_dir("leaflet", "xstatic-leaflet") / "leaflet.js").read_text("utf-8"))


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as data URIs."""
    base = _xstatic_dir("leaflet", "xstatic-leaflet")
    css = (base / "leaflet.css").read_text("utf-8")

    def repl(m: re.Match[str]) -> str:
        p = base / m.group(1)
        return f"url({_data_uri(p)})" if p.is_file() else m.group(0)

    return re.sub(r"url\((images/[^)]+)\)", repl, css)


@functools.cache
def markercluster_js() -> str:
    """Leaflet.markercluster's minified JavaScript."""
    base = _xstatic_dir("leaflet_markercluster", "xstatic-leaflet-markercluster")
    return _script_safe((base / "leaflet.markercluster.js").read_text("utf-8"))


@functools.cache
def markercluster_css() -> str:
    """Leaflet.markercluster's structural CSS (cluster colours are geomap's own)."""
    base = _xstatic_dir("leaflet_markercluster", "xstatic-leaflet-markercluster")
    return (base / "MarkerCluster.css").read_text("utf-8")


@functools.cache
def heat_js() -> str:
    """Leaflet.heat as shipped inside the installed folium package."""
    import folium

    return _script_safe((Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js").read_text("utf-8"))
