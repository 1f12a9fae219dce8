"""folium elements of geomap maps: assets, basemap, event layers, legend, timeline.

The event layers are drawn in the browser from one compact JSON payload per
map (column arrays plus tables of pre-escaped HTML fragments built by
:mod:`geomap.maps.escape`), which keeps 100k-event maps small and fast. The
JavaScript runtime (:mod:`geomap.maps.client`) only concatenates those
fragments and numbers; it never turns document text into HTML.
"""

from __future__ import annotations

from typing import Any

from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.map import Layer
from jinja2 import Template

from . import assets
from .client import GEOMAP_CSS, GEOMAP_JS
from .escape import js_json


class RawElement(Element):
    """Trusted, already-built HTML/JS, inserted as is.

    branca wraps what a ``MacroElement`` renders in ``Element(text)``, which
    compiles ``text`` as a Jinja template: slow for a 20 MB payload, and it
    would evaluate any ``{{ ... }}`` in it. This element skips that.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class GeomapAssets(MacroElement):
    """geomap's CSS and runtime JS, plus Leaflet plugins (inlined when offline).

    Parameters
    ----------
    offline : bool
        Inline Leaflet, markercluster and heat JS/CSS instead of linking CDNs.
    cluster, heat : bool
        Whether the markercluster and heat plugins are needed.
    """

    def __init__(self, *, offline: bool, cluster: bool, heat: bool) -> None:
        super().__init__()
        self._name = "GeomapAssets"
        self.offline, self.cluster, self.heat = offline, cluster, heat
        self.css, self.runtime = GEOMAP_CSS, GEOMAP_JS
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []
        if offline:
            self.leaflet_css, self.leaflet_js = assets.leaflet_css(), assets.leaflet_js()
            if cluster:
                self.cluster_css, self.cluster_js = assets.markercluster_css(), assets.markercluster_js()
        elif cluster:
            self.default_js = [("gm_markercluster", assets.CDN_JS["markercluster"])]
            self.default_css = [("gm_markercluster_css", assets.CDN_CSS["markercluster"])]
        if heat:
            self.heat_js = assets.heat_js()

    def header_html(self) -> str:
        """The inline ``<style>``/``<script>`` elements, in load order."""
        parts = []
        if self.offline:
            parts += [f"<style>{self.leaflet_css}</style>", f"<script>{self.leaflet_js}</script>"]
            if self.cluster:
                parts += [f"<style>{self.cluster_css}</style>", f"<script>{self.cluster_js}</script>"]
        if self.heat:
            parts.append(f"<script>{self.heat_js}</script>")
        parts += [f"<style>{self.css}</style>", f"<script>{self.runtime}</script>"]
        return "\n".join(parts)

    def render(self, **kwargs: Any) -> None:
        """Add links (online plugins) and the inline assets to the figure header."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "GeomapAssets must be added to a Map"
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.header.add_child(RawElement(self.header_html()), name=self.get_name())


class EventLayers(MacroElement):
    """All event layers of a map, built in the browser from one payload.

    Parameters
    ----------
    groups : list of folium.FeatureGroup
        One group per layer (the layer control toggles these).
    payload : dict
        Built by :func:`geomap.maps.payload.build_payload`.
    """

    def __init__(self, groups: list[Any], payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "EventLayers"
        self.groups = groups
        self.payload = payload

    def render(self, **kwargs: Any) -> None:
        """Add the build call with its payload to the figure script."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "EventLayers must be added to a Map"
        js = (f"var {self.get_name()} = window.geomap.build({self._parent.get_name()}, "
              f"[{', '.join(g.get_name() for g in self.groups)}], {js_json(self.payload)});")
        figure.script.add_child(RawElement(js), name=self.get_name())


class Basemap(Layer):
    """The vector basemap (see :mod:`geomap.maps.basemap`) as one toggleable layer.

    Parameters
    ----------
    payload : dict
        Built by :func:`geomap.maps.basemap.basemap_payload`.
    name : str
        Its name in the layer control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.geomap.basemap(L.layerGroup(), {{ this._parent.get_name() }},
            {{ this.payload_json }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any], name: str = "Basemap · الخريطة الأساس") -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "Basemap"
        self.payload_json = js_json(payload)


class MapClass(MacroElement):
    """Adds a CSS class to the map container (``gm-offline`` background)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.DomUtil.addClass({{ this._parent.get_name() }}.getContainer(), {{ this.cls|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, cls: str) -> None:
        super().__init__()
        self._name = "MapClass"
        self.cls = cls
