"""Build a folium map of events (:func:`event_map`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from . import escape as E
from .incident_fields import size_legend_html
from .payload import _compact, _layer_keys, _prepare, _str_col, build_payload
from .scales import hist, scale, scale_html
from .styles import CHOROPLETH_COLORS, colors_for

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd
    import pandas as pd


def _time_html() -> str:
    return ('<div><b>Time · الزمن</b></div><div dir="ltr" class="gm-range"></div>'
            '<input type="range" step="1" aria-label="from" class="gm-from">'
            '<input type="range" step="1" aria-label="to" class="gm-to">'
            '<svg class="gm-hist" width="220" height="44" role="img" '
            'aria-label="events over time: drag to choose a period · الأحداث عبر الزمن"></svg>'
            '<div dir="ltr" class="gm-hist-unit"></div>'
            '<div dir="ltr"><span class="gm-count"></span> shown · معروض</div>')


def _day_list(days: np.ndarray) -> list[int | None]:
    return [None if d != d or d < -1e8 else int(d) for d in days.tolist()]


def _heat_data(lat: np.ndarray, lon: np.ndarray, days: np.ndarray) -> tuple[dict[str, Any], float]:
    """Heat points with their day (cells of 0.01° and one day past 20k events) and the max weight."""
    if len(lat) > 20_000:
        d = np.where(np.isnan(days), -1e9, days)
        cells, w = np.unique(np.stack([np.round(lat, 2), np.round(lon, 2), d], axis=1), axis=0,
                             return_counts=True)
        la, lo, dd = cells[:, 0], cells[:, 1], cells[:, 2]
        vmax = float(np.quantile(w, 0.95))
        wl: Any = _compact(w.tolist())
    else:
        la, lo, dd, vmax, wl = lat, lon, days, 1.0, 1
    return {"lat": _compact(np.round(la, 5).tolist()), "lon": _compact(np.round(lo, 5).tolist()),
            "day": _compact(_day_list(np.asarray(dd, dtype="float64"))), "w": wl, "len": len(la)}, vmax


_SYMBOLS = ('<div class="gm-prec"><span class="gm-sym gm-sym-exact"></span>exact place · موقع دقيق</div>'
            '<div class="gm-prec"><span class="gm-sym gm-sym-near"></span>near; circle = uncertainty</div>'
            '<div class="gm-prec gm-ar" dir="rtl" lang="ar">بالقرب من موقع؛ الدائرة = هامش الخطأ</div>'
            '<div class="gm-prec"><span class="gm-sym gm-sym-area"></span>area: district, governorate, region</div>'
            '<div class="gm-prec gm-ar" dir="rtl" lang="ar">منطقة: ناحية أو محافظة أو إقليم</div>')


def _legend_html(order: list[str], labels: dict[str, str], colors: dict[str, str],
                 counts: dict[str, int], mode: str, title: str, sizes: bool = False,
                 color_scale: list[tuple[str, str]] | None = None) -> str:
    """The one legend: a checkbox per layer (toggles it) with its colour, then the symbols
    (and marker sizes by fatalities), then the choropleth's colour scale when there is one."""
    rows = ['<div class="gm-legend-head"><b>Legend · مفتاح الخريطة</b>'
            '<button type="button" class="gm-legend-toggle" aria-expanded="true" '
            'title="show/hide · إظهار/إخفاء">−</button></div><div class="gm-legend-body">',
            f'<div class="gm-legend-title">{E.esc(title)}</div>']
    if sizes:  # markers sized by fatalities
        rows.append(size_legend_html())
    for i, k in enumerate(order):
        rows.append(f'<label><input type="checkbox" data-gm-layer="{i}" checked>'
                    f'<span class="gm-swatch" style="background:{E.css_color(colors[k])}"></span>'
                    f"{E.esc(labels[k])} ({counts.get(k, 0)})</label>")
    if mode == "aggregated":
        rows.append('<div class="gm-prec">hexagons: events per cell</div>'
                    '<div class="gm-prec" dir="rtl" lang="ar">سداسيات: عدد الأحداث في الخلية</div>')
    else:
        rows.append(_SYMBOLS)
    if color_scale:
        rows.append(scale_html(color_scale))
    rows.append("</div>")
    return "".join(rows)


def _choropleth(m: Any, ev_lat: np.ndarray, ev_lon: np.ndarray, days: np.ndarray, ev: gpd.GeoDataFrame,
                boundaries: gpd.GeoDataFrame | None) -> dict[str, Any] | None:
    """Add a layer of event counts per governorate polygon; return what the time filter needs."""
    import folium
    import shapely

    if boundaries is not None:
        b = boundaries.to_crs("EPSG:4326") if boundaries.crs is not None else boundaries
        polys = np.asarray(b.geometry.values)
        names = [E.tooltip_text(a, c) for a, c in zip(_str_col(b, "name"), _str_col(b, "name_ar"), strict=True)]
    else:
        gov = ev[_str_col(ev, "precision").to_numpy() == "governorate"]
        gov = gov[np.isin(np.asarray(shapely.get_type_id(np.asarray(gov.geometry.values))), (3, 6))]
        gov = gov.drop_duplicates(subset="place_id" if "place_id" in gov.columns else None)
        polys = np.asarray(gov.geometry.values)
        names = [E.tooltip_text(a, c) for a, c in zip(_str_col(gov, "name"), _str_col(gov, "name_ar"), strict=True)]
    if len(polys) == 0:
        return None
    tree = shapely.STRtree(polys)
    ei, pi = tree.query(shapely.points(ev_lon, ev_lat), predicate="within")
    counts = np.bincount(pi, minlength=len(polys))
    nz = counts[counts > 0]
    edges = np.unique(np.quantile(nz, [0.2, 0.4, 0.6, 0.8])) if len(nz) else np.array([1])
    feats = []
    simple = shapely.simplify(polys, 0.003, preserve_topology=True)
    for i, (g, name, c) in enumerate(zip(simple, names, counts.tolist(), strict=True)):
        cls = 0 if c == 0 else 1 + int(np.searchsorted(edges, c, side="left")) if len(edges) else 1
        color = CHOROPLETH_COLORS[min(cls, len(CHOROPLETH_COLORS) - 1)]
        feats.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)),
                      "properties": {"label": name or "?", "count": int(c), "color": color, "i": i}})
    gj = folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name=f'<span class="gm-swatch" style="background:{CHOROPLETH_COLORS[3]}"></span>'
             "Events per governorate · الأحداث حسب المحافظة",
        style_function=lambda f: {"fillColor": f["properties"]["color"], "color": "#666", "weight": 1,
                                  "fillOpacity": 0.55},
        tooltip=folium.GeoJsonTooltip(fields=["label", "count"],
                                      aliases=["Area · المنطقة", "Events · الأحداث"]),
        show=True,
    ).add_to(m)
    # events per (polygon, day), for the time filter
    d = np.where(np.isnan(days[ei]), -1e9, days[ei])
    pairs, k = np.unique(np.stack([pi.astype("float64"), d], axis=1), axis=0, return_counts=True)
    flat: list[Any] = []
    for (pp, dd), c in zip(pairs.tolist(), k.tolist(), strict=True):
        flat += [int(pp), None if dd < -1e8 else int(dd), int(c)]
    return {"name": gj.get_name(), "n": len(feats), "pairs": flat, "edges": edges.tolist(),
            "colors": list(CHOROPLETH_COLORS), "polygons": len(feats),
            "scale": scale(edges.tolist(), int(counts.max(initial=0)))}


def _frame(info: dict[str, Any], lat: np.ndarray, lon: np.ndarray, ev: gpd.GeoDataFrame,
           boundaries: gpd.GeoDataFrame | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of every drawn event (areas and circles included),
    and of all Syria when the events lie in more than one governorate."""
    import pandas as pd
    import shapely

    from .basemap import REGION, SYRIA_BOUNDS

    if not len(lat):
        return SYRIA_BOUNDS
    # a country's point far away (Russia's centroid is in Siberia) would shrink Syria to a dot
    far = (info["precision"] == "country") & ~(
        (lon >= REGION[0]) & (lon <= REGION[2]) & (lat >= REGION[1]) & (lat <= REGION[3]))
    keep = ~far if (~far).any() else np.ones(len(lat), dtype=bool)
    is_area = info["is_area"] & keep
    pts = ~info["is_area"] & keep
    dlat = info["radius"][pts] / 111_320.0
    dlon = dlat / np.maximum(np.cos(np.radians(lat[pts])), 0.2)
    s = [(lat[pts] - dlat).min(initial=90.0)]
    w = [(lon[pts] - dlon).min(initial=180.0)]
    n = [(lat[pts] + dlat).max(initial=-90.0)]
    e = [(lon[pts] + dlon).max(initial=-180.0)]
    if is_area.any():
        b = shapely.bounds(info["geoms"][is_area])
        w.append(b[:, 0].min())
        s.append(b[:, 1].min())
        e.append(b[:, 2].max())
        n.append(b[:, 3].max())
    bounds = [[float(min(s)), float(min(w))], [float(max(n)), float(max(e))]]
    spread = False
    if boundaries is not None and len(boundaries):
        bb = boundaries.to_crs("EPSG:4326") if boundaries.crs is not None else boundaries
        tree = shapely.STRtree(np.asarray(bb.geometry.values))
        # one point per cell of 0.05° (lon·20 + 4000 and lat·20 + 2000 are positive, under 10,000)
        cell = pd.unique((np.round(lon[keep] * 20).astype("int64") + 4000) * 10_000
                         + np.round(lat[keep] * 20).astype("int64") + 2000)
        _, gi = tree.query(shapely.points((cell // 10_000 - 4000) / 20, (cell % 10_000 - 2000) / 20),
                           predicate="within")
        spread = len(np.unique(gi)) > 1
    else:
        spread = (bounds[1][0] - bounds[0][0] > 1.0) or (bounds[1][1] - bounds[0][1] > 1.0)
    if spread:
        bounds = [[min(bounds[0][0], SYRIA_BOUNDS[0][0]), min(bounds[0][1], SYRIA_BOUNDS[0][1])],
                  [max(bounds[1][0], SYRIA_BOUNDS[1][0]), max(bounds[1][1], SYRIA_BOUNDS[1][1])]]
    pad = 0.02  # a little room around a lone point too
    return [[bounds[0][0] - pad, bounds[0][1] - pad], [bounds[1][0] + pad, bounds[1][1] + pad]]


def _gazetteer_boundaries() -> gpd.GeoDataFrame | None:
    """Governorate outlines of the default gazetteer (the offline basemap)."""
    from geomap.errors import GazetteerError
    from geomap.gazetteer.load import load_gazetteer

    try:
        return load_gazetteer("default").boundaries("governorate")
    except GazetteerError:
        return None


def event_map(
    events: gpd.GeoDataFrame,
    *,
    layer_by: str = "event_type",
    time: bool = True,
    cluster: bool | str = "auto",
    heat: bool = False,
    offline: bool = True,
    basemap: bool = True,
    choropleth: bool = False,
    boundaries: gpd.GeoDataFrame | None = None,
    tiles: str | None = "OpenStreetMap",
    near_radius_m: float | None = None,
    aggregate: bool | str = "auto",
    cluster_threshold: int = 1000,
    aggregate_threshold: int = 200_000,
    max_zoom: int = 18,
) -> folium.Map:
    """Map events as toggleable layers on a named basemap, with a timeline.

    Parameters
    ----------
    events : GeoDataFrame
        Output of :func:`geomap.events.extract_events` (EPSG:4326; other
        CRSs are reprojected). Rows with ``role == "container"`` and rows
        without geometry are not drawn.
    layer_by : str
        ``event_type`` (default), ``date`` (one layer per month),
        ``source`` or any other column.
    time : bool
        Add a from/to time slider over a histogram of events per day (drag
        on it to choose a period) when events have at least two dates. It
        filters markers, areas, heat and choropleth together; undated events
        show only while the full range is selected.
    cluster : "auto", True or False
        Cluster point markers; ``auto`` clusters past ``cluster_threshold``
        points.
    heat : bool
        Add a heat-map layer.
    offline : bool
        True (default): one self-contained HTML file, Leaflet and plugins
        inlined, no tile layer. False: Leaflet from CDNs and ``tiles``; the
        page is blank without a network.
    basemap : bool
        Draw the vector basemap (country borders and names of Syria and its
        neighbours, governorates, rivers, governorate and city names); with
        tiles it is a thin overlay the layer control switches off.
    choropleth : bool
        Add a layer of event counts per governorate, with polygons from
        ``boundaries`` (default: the gazetteer's governorates).
    boundaries : GeoDataFrame, optional
        Area polygons (with ``name``/``name_ar`` columns if available) for
        the basemap's inner outlines and labels and for the choropleth
        (default: the gazetteer's governorates).
    tiles : str or None
        Tile layer of online maps (folium/xyzservices name).
    near_radius_m : float, optional
        Uncertainty radius of ``near`` points (default 15 km); less precise
        points drawn as points get larger circles.
    aggregate : "auto", True or False
        Draw hexagon bins of counts instead of markers; ``auto`` from
        ``aggregate_threshold`` events on.
    cluster_threshold : int
        Point count above which ``cluster="auto"`` clusters (default 1000).
    aggregate_threshold : int
        Event count from which ``aggregate="auto"`` draws hexagons (default 200k).
    max_zoom : int
        Map maximum zoom (required by clustering when there is no tile layer).

    Returns
    -------
    folium.Map
        Shows inline in Jupyter; ``.save(path)`` writes the HTML. The dict
        ``m.geomap_info`` tells the drawing mode, counts and initial bounds.
    """
    try:
        import folium
        import folium.plugins
    except ImportError:  # pragma: no cover
        raise ImportError("event_map needs folium: pip install folium") from None

    from .layers import Basemap, EventLayers, GeomapAssets, MapClass

    if cluster not in ("auto", True, False):
        raise InputError(f"cluster must be 'auto', True or False, not {cluster!r}")
    if aggregate not in ("auto", True, False):
        raise InputError(f"aggregate must be 'auto', True or False, not {aggregate!r}")
    if not isinstance(layer_by, str) or not layer_by:
        raise InputError(f"layer_by must be a column name, not {layer_by!r}")
    ev = _prepare(events)
    if boundaries is not None and not hasattr(boundaries, "geometry"):
        raise InputError("boundaries must be a GeoDataFrame")
    if boundaries is None and (basemap or choropleth):
        boundaries = _gazetteer_boundaries()
    keys, order, labels = _layer_keys(ev, layer_by)
    colors = colors_for(layer_by, order)
    aggregated = aggregate is True or (aggregate == "auto" and len(ev) >= aggregate_threshold)
    payload, info = build_payload(ev, keys, order, colors, labels, cluster=cluster,
                                  cluster_threshold=cluster_threshold, aggregated=aggregated,
                                  near_radius_m=near_radius_m)
    lat, lon, days = info.pop("lat"), info.pop("lon"), info.pop("days")
    layer_idx = info.pop("layer_idx")
    bounds = _frame(info, lat, lon, ev, boundaries)
    for k in ("is_area", "radius", "geoms", "precision"):
        info.pop(k)
    info["bounds"] = bounds

    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    use_tiles = None if offline else tiles
    m = folium.Map(location=center, zoom_start=7, tiles=use_tiles, control_scale=True,
                   max_zoom=max_zoom)
    m.options["max_zoom"] = max_zoom
    m.options["zoomSnap"] = 0.25  # the initial view fills the window rather than a power of two of it
    if offline:
        m.default_js = []
        m.default_css = []
        m.add_child(MapClass("gm-offline"))
    m.add_child(GeomapAssets(offline=offline, cluster=info["mode"] == "cluster", heat=heat))
    if basemap:
        from .basemap import basemap_payload

        m.add_child(Basemap(basemap_payload(boundaries, offline=offline)))

    opts = payload["opts"]
    if heat and len(ev):
        opts["heat"], vmax = _heat_data(lat, lon, days)
        # the runtime fills in the points of the time window
        hm = folium.plugins.HeatMap([[float(lat[0]), float(lon[0]), 0.0]], name="Heat map · خريطة حرارية",
                                    radius=14, blur=16, min_opacity=0.3, show=True, max=max(vmax, 1.0))
        hm.default_js = []  # inlined by GeomapAssets, pinned to the installed folium
        hm.add_to(m)
        opts["heat"]["name"] = hm.get_name()
    if choropleth and len(ev):
        choro = _choropleth(m, lat, lon, days, ev, boundaries)
        info["choropleth_polygons"] = choro.pop("polygons") if choro else 0
        if choro:
            info["choropleth_scale"] = choro.pop("scale")
            opts["choro"] = choro

    if "event_id" in ev.columns:  # incidents, not their place rows
        import pandas as pd

        counts = pd.Series(ev["event_id"].to_numpy()).groupby(keys.to_numpy()).nunique().to_dict()
    else:
        counts = keys.value_counts().to_dict()
    groups = [folium.FeatureGroup(name=E.esc(labels[k]), show=True, control=False).add_to(m) for k in order]
    n_days = len(np.unique(days[~np.isnan(days)]))
    opts["time"] = bool(time and n_days >= 2)
    opts["timeHtml"] = _time_html()
    if opts["time"]:
        opts["hist"] = hist(days, layer_idx, len(order), opts["dayMin"], opts["dayMax"])
        info["time_unit"] = opts["hist"]["unit"]
    title = {"event_type": "Event type · نوع الحدث", "date": "Month · الشهر",
             "source": "Source · المصدر"}.get(layer_by, layer_by)
    opts["legend"] = _legend_html(order, labels, colors, counts, info["mode"], title,
                                  sizes="fatalities" in ev.columns and bool(ev["fatalities"].notna().any()),
                                  color_scale=info.get("choropleth_scale"))
    opts["bounds"] = bounds  # fitted by the runtime, without animation (labels are placed at once)
    m.add_child(EventLayers(groups, payload))
    info["time"] = opts["time"]
    folium.LayerControl(position="topleft", collapsed=False).add_to(m)
    m.geomap_info = info
    return m
