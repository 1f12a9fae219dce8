"""Build a folium map of events (:func:`event_map`)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from . import escape as E
from .styles import (
    AREA_FILL,
    CHOROPLETH_COLORS,
    EVENT_COLORS,
    colors_for,
)

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd
    import pandas as pd

#: Radius (m) of the uncertainty circle of a point by precision; exact points have none.
NEAR_RADIUS_M: dict[str, float] = {"near": 15_000.0, "district": 25_000.0, "governorate": 50_000.0,
                                   "region": 50_000.0, "country": 100_000.0}

_SQRT3 = math.sqrt(3.0)


def _event_label(t: str) -> str:
    from ..events.lexicon import label

    return label(t)


def _prepare(events: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    if not isinstance(events, gpd.GeoDataFrame):
        if isinstance(events, pd.DataFrame) and "geometry" in events.columns:
            events = gpd.GeoDataFrame(events, geometry="geometry", crs="EPSG:4326")
        else:
            raise InputError(f"events must be a GeoDataFrame, not {type(events).__name__}")
    ev = events
    if ev.crs is not None and not ev.crs.equals("EPSG:4326"):
        ev = ev.to_crs("EPSG:4326")
    keep = ev.geometry.notna() & ~ev.geometry.is_empty
    if "role" in ev.columns:  # containers are context, never drawn
        keep &= ev["role"].fillna("place").astype(str) != "container"
    return ev.loc[keep].reset_index(drop=True)


def _col(ev: pd.DataFrame, name: str, default: Any = None) -> pd.Series:
    import pandas as pd

    if name in ev.columns:
        return ev[name]
    return pd.Series([default] * len(ev), index=ev.index, dtype=object)


def _str_col(ev: pd.DataFrame, name: str) -> pd.Series:
    import pandas as pd

    s = _col(ev, name)
    if isinstance(s.dtype, pd.StringDtype):  # pandas' str columns: no conversion to objects
        return s.fillna("")
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=False) == "string":
        return s  # already all str: no copy
    return s.astype(object).where(s.notna(), "").astype(str)


def _days(ev: pd.DataFrame) -> np.ndarray:
    """Epoch day of each event (float, NaN when undated)."""
    import pandas as pd

    if "date" not in ev.columns:
        return np.full(len(ev), np.nan)
    d = pd.to_datetime(ev["date"], errors="coerce")
    if getattr(d.dt, "tz", None) is not None:
        d = d.dt.tz_localize(None)
    out = d.values.astype("datetime64[D]").astype("int64").astype("float64")
    out[d.isna().to_numpy()] = np.nan
    return out


def _layer_keys(ev: pd.DataFrame, layer_by: str) -> tuple[pd.Series, list[str], dict[str, str]]:
    """Layer value of each row, the ordered values and their display labels."""
    import pandas as pd

    from ..events.lexicon import EVENT_TYPES

    if layer_by == "event_type":
        keys = _str_col(ev, "event_type").replace("", "other")
        present = set(keys.unique())
        order = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
        labels = {k: _event_label(k) for k in order}
    elif layer_by == "date":
        d = pd.to_datetime(_col(ev, "date"), errors="coerce")
        keys = d.dt.strftime("%Y-%m").astype(object).where(d.notna(), "undated").astype(str)
        vals = set(keys.unique())
        order = sorted(vals - {"undated"}) + (["undated"] if "undated" in vals else [])
        labels = {k: ("undated · غير مؤرخ" if k == "undated" else k) for k in order}
    else:
        if layer_by not in ev.columns and layer_by != "source":
            raise InputError(f"layer_by={layer_by!r}: no such column (columns: {', '.join(map(str, ev.columns))})")
        fill = "unknown source" if layer_by == "source" else "(none)"
        keys = _str_col(ev, layer_by).replace("", fill)
        order = list(keys.value_counts().index)
        labels = {k: k for k in order}
    return keys, order, labels


def _factor(*cols: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the rows' value combinations and the combinations, in order of appearance."""
    import pandas as pd

    parts = [pd.factorize(c, sort=False) for c in cols]
    if len(parts) == 1:
        codes, uniq = parts[0]
        return codes, [(u,) for u in uniq]
    combined = np.ravel_multi_index([c for c, _ in parts], [max(len(u), 1) for _, u in parts])
    codes, first = pd.factorize(combined, sort=False)
    firsts = np.zeros(len(first), dtype="int64")
    firsts[codes[::-1]] = np.arange(len(codes))[::-1]  # first row of each combination
    return codes, [tuple(u[c[i]] for c, u in parts) for i in firsts]


def _name_forms(names: list[Any]) -> list[str]:
    """What to look for in the sentence: each name whole, then shorter by its last words
    ("مطار التيفور العسكري" → "مطار التيفور"; "Deir ez-Zor countryside" → "Deir ez-Zor")."""
    out: list[str] = []
    for n in names:
        words = str(n).split() if isinstance(n, str) else []
        if len(" ".join(words)) >= 2:  # the whole name (حمص); shortened forms of 4 letters or more
            out.append(" ".join(words))
        out += [" ".join(words[:k]) for k in range(len(words) - 1, 0, -1) if len(" ".join(words[:k])) >= 4]
    return out


def _first_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``keys`` in order of appearance, and the first row of each code."""
    import pandas as pd

    codes, uniq = pd.factorize(keys, sort=False)
    first = np.zeros(len(uniq), dtype="int64")
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return codes, first


def _tables(ev: pd.DataFrame, days: np.ndarray) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    """Tables of escaped HTML fragments and the code of each row into them."""
    etype = _str_col(ev, "event_type").replace("", "other")
    date_iso = np.where(np.isnan(days), "", np.datetime_as_string(
        np.nan_to_num(days, nan=0).astype("int64").astype("datetime64[D]")))
    import pandas as pd

    date_iso = pd.Series(date_iso, index=ev.index)
    prec_d = _str_col(ev, "date_precision")
    name, name_ar, prec = _str_col(ev, "name"), _str_col(ev, "name_ar"), _str_col(ev, "precision")
    snip = _str_col(ev, "snippet")
    source, url = _str_col(ev, "source"), _str_col(ev, "url")
    n = pd.to_numeric(_col(ev, "n_reports", 1), errors="coerce").fillna(1).astype("int64")

    T: dict[str, list[str]] = {}
    C: dict[str, np.ndarray] = {}
    C["t"], u = _factor(etype)
    T["type"] = [E.type_html(_event_label(t), EVENT_COLORS.get(t)) for (t,) in u]
    T["typeTip"] = [E.esc(_event_label(t)) for (t,) in u]
    C["d"], u = _factor(date_iso, prec_d)
    T["date"] = [E.date_html(d or None, p) for d, p in u]
    T["dateTip"] = [E.esc(d) if d else "?" for d, _ in u]
    C["pl"], u = _factor(name, name_ar, prec)
    T["place"] = [E.place_html(a, b, p) for a, b, p in u]
    T["placeTip"] = [E.tooltip_text(a, b) or "?" for a, b, _ in u]
    # the sentence with the place's mention marked: one entry per (sentence, names) pair
    s_code, s_uniq = pd.factorize(snip, sort=False)
    cols = ([_str_col(ev, "mention")] if "mention" in ev.columns else []) + [name_ar, name]
    n_codes, n_uniqs = zip(*(pd.factorize(c, sort=False) for c in cols))
    n_code, _ = pd.factorize(np.ravel_multi_index(n_codes, [max(len(u), 1) for u in n_uniqs]), sort=False)
    C["s"], first = _first_rows(s_code.astype("int64") * max(int(n_code.max(initial=0)) + 1, 1) + n_code)
    u_snip = pd.Series(np.asarray(s_uniq, dtype=object), dtype="string")
    esc_snip = E.esc_series(u_snip, drop=E.MARK_OPEN + E.MARK_CLOSE).to_numpy(dtype=object)
    _, n_first = _first_rows(n_code)
    needles = [tuple(E.esc(x) for x in _name_forms([u[c[i]] for c, u in zip(n_codes, n_uniqs, strict=True)]))
               for i in n_first.tolist()]
    T["snip"] = [E.mark_escaped(h, needles[k])
                 for h, k in zip(esc_snip[s_code[first]].tolist(), n_code[first].tolist(), strict=True)]
    rtl = E.rtl_series(u_snip).to_numpy()
    T["snipDir"] = rtl[s_code[first]].astype(int).tolist()
    T["snipOpen"] = list(E.SNIPPET_OPEN)
    C["src"], u = _factor(source, url)
    T["src"] = [E.source_html(s, w) for s, w in u]
    C["n"], u = _factor(n)
    T["rep"] = [E.reports_html(k) for (k,) in u]
    return T, C


def _compact(values: list) -> Any:
    """A column as a list, or its single value when all rows share it."""
    if values and all(v == values[0] for v in values):
        return values[0]
    return values


def _cols(C: dict[str, np.ndarray], idx: np.ndarray, days: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {k: _compact(v[idx].tolist()) for k, v in C.items()}
    d = days[idx]
    out["day"] = _compact([None if x != x else int(x) for x in d.tolist()])
    out["len"] = len(idx)
    return out


def _hexbin(lat: np.ndarray, lon: np.ndarray, size: float, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial hexagon coordinates (pointy top) of points; x is lon·k, y is lat."""
    x, y = lon * k, lat
    qf = (_SQRT3 / 3 * x - y / 3) / size
    rf = (2 / 3 * y) / size
    sf = -qf - rf
    q, r, s = np.round(qf), np.round(rf), np.round(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype("int64"), r.astype("int64")


def _aggregate(layer_idx: np.ndarray, n_layers: int, lat: np.ndarray, lon: np.ndarray,
               days: np.ndarray) -> tuple[list[dict[str, Any]], float, float]:
    """Hexagon bins per layer with counts per time period."""
    k = max(math.cos(math.radians(float(np.nanmean(lat)))), 0.1) if len(lat) else 1.0
    ext = max(float(np.ptp(lon)) * k if len(lon) else 0.0, float(np.ptp(lat)) if len(lat) else 0.0)
    size = min(max(ext / 60.0, 0.01), 1.0)
    q, r = _hexbin(lat, lon, size, k)
    dated = ~np.isnan(days)
    span = (np.nanmax(days) - np.nanmin(days)) if dated.any() else 0
    step = 1 if span <= 120 else 7 if span <= 840 else 30
    base = np.nanmin(days) if dated.any() else 0
    period = np.where(dated, base + np.floor((np.nan_to_num(days) - base) / step) * step, -1e9)
    frame = np.stack([layer_idx, q, r, period.astype("int64")], axis=1)
    uniq, counts = np.unique(frame, axis=0, return_counts=True)
    out: list[dict[str, Any]] = [{} for _ in range(n_layers)]
    bins: dict[tuple[int, int, int], list] = {}
    for (li, qq, rr, pp), c in zip(uniq.tolist(), counts.tolist(), strict=True):
        key = (li, qq, rr)
        if key not in bins:
            cy = size * 1.5 * rr
            cx = size * (_SQRT3 * qq + _SQRT3 / 2 * rr)
            bins[key] = [round(cy, 5), round(cx / k, 5), []]
        bins[key][2].extend([None if pp == -1e9 or pp < -1e8 else int(pp), int(c)])
    for (li, _, _), b in bins.items():
        out[li].setdefault("c", []).append(b)
    return out, size, k


def build_payload(
    ev: gpd.GeoDataFrame,
    keys: pd.Series,
    order: list[str],
    colors: dict[str, str],
    labels: dict[str, str],
    *,
    cluster: bool | str,
    cluster_threshold: int,
    aggregated: bool,
    near_radius_m: float | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON payload of :class:`~geomap.maps.layers.EventLayers` and info about it."""
    import pandas as pd
    import shapely

    n = len(ev)
    geoms = np.asarray(ev.geometry.values)
    gtype = np.asarray(shapely.get_type_id(geoms))
    polygonal = np.isin(gtype, (3, 6))  # Polygon, MultiPolygon
    prec = _str_col(ev, "precision").replace("", "exact").to_numpy()
    point_prec = np.isin(prec, ("exact", "near"))
    # Areas are drawn as areas; an exact/near place given as a polygon (the
    # geoparser's "near" circle) is a marker at its centre with that circle.
    is_area = polygonal & ~point_prec
    pts = shapely.point_on_surface(geoms)
    if polygonal.any():
        pts[polygonal & point_prec] = shapely.centroid(geoms[polygonal & point_prec])
    lat = np.asarray(shapely.get_y(pts), dtype="float64")
    lon = np.asarray(shapely.get_x(pts), dtype="float64")
    if "lat" in ev.columns and "lon" in ev.columns:
        clat = pd.to_numeric(ev["lat"], errors="coerce").to_numpy(dtype="float64")
        clon = pd.to_numeric(ev["lon"], errors="coerce").to_numpy(dtype="float64")
        use = ~is_area & np.isfinite(clat) & np.isfinite(clon)
        lat[use], lon[use] = clat[use], clon[use]
    days = _days(ev)
    layer_idx = keys.map({k: i for i, k in enumerate(order)}).to_numpy(dtype="int64")

    T, C = _tables(ev, days) if not aggregated else ({}, {})
    dated = days[~np.isnan(days)]
    opts: dict[str, Any] = {
        "dayMin": int(dated.min()) if len(dated) else 0,
        "dayMax": int(dated.max()) if len(dated) else 0,
        "clusterRadius": 45,
    }
    n_points = int((~is_area).sum()) if not aggregated else 0
    use_cluster = (not aggregated) and (cluster is True or (cluster == "auto" and n_points > cluster_threshold))
    layers: list[dict[str, Any]] = []
    geo_list: list[Any] = []
    if aggregated:
        hex_layers, size, kx = _aggregate(layer_idx, len(order), lat, lon, days)
    else:
        # unique area geometries, simplified once
        area_codes = np.full(n, -1, dtype="int64")
        if is_area.any():
            wkb = pd.Series(shapely.to_wkb(np.asarray(geoms)[is_area]))
            codes, uniq = pd.factorize(wkb)
            area_codes[is_area] = codes
            ug = shapely.from_wkb(np.asarray(uniq, dtype=object))
            ug = shapely.set_precision(shapely.simplify(ug, 0.002, preserve_topology=True), 1e-4)
            geo_list = [json.loads(g) for g in shapely.to_geojson(ug)]
        near_m = near_radius_m if near_radius_m is not None else NEAR_RADIUS_M["near"]
        radius = np.array([0.0 if p == "exact" else near_m if p == "near" else NEAR_RADIUS_M.get(p, near_m)
                           for p in prec]) if n else np.zeros(0)
        circ = polygonal & point_prec  # radius of a given circle: half its height
        if circ.any():
            b = shapely.bounds(geoms[circ])
            radius[circ] = (b[:, 3] - b[:, 1]) / 2 * 111_320.0
    for li, key in enumerate(order):
        color = E.css_color(colors[key])
        ly: dict[str, Any] = {
            "color": color,
            "labelTip": E.esc(labels[key]),
            "iconExact": f'<span style="background:{color}"></span>',
            "iconNear": f'<span style="border-color:{color}"></span>',
            "clusterHtml": f'<div style="background:{color}"><span>{{n}}</span></div>',
            "cluster": bool(use_cluster),
            "p": {"len": 0},
        }
        mine = layer_idx == li
        if aggregated:
            ly["h"] = {"r": round(size, 6), "k": round(kx, 6), "c": hex_layers[li].get("c", [])}
        else:
            pi = np.flatnonzero(mine & ~is_area)
            p = _cols(C, pi, days)
            p["lat"] = _compact(np.round(lat[pi], 5).tolist())
            p["lon"] = _compact(np.round(lon[pi], 5).tolist())
            p["rad"] = _compact(radius[pi].astype(int).tolist())
            ly["p"] = p
            ai = np.flatnonzero(mine & is_area)
            areas = []
            if len(ai):  # one polygon per distinct area, listing its events
                ai = ai[np.argsort(area_codes[ai], kind="stable")]
                gs, starts = np.unique(area_codes[ai], return_index=True)
                for g, rows in zip(gs.tolist(), np.split(ai, starts[1:]), strict=True):
                    areas.append({"g": int(g), "fill": AREA_FILL.get(prec[rows[0]], 0.12),
                                  "ev": _cols(C, rows, days)})
            ly["a"] = areas
        layers.append(ly)
    payload = {"T": T, "G": geo_list, "layers": layers, "opts": opts}
    info = {
        "mode": "aggregated" if aggregated else ("cluster" if use_cluster else "markers"),
        "events": n,
        "points": n_points,
        "areas": int(is_area.sum()) if not aggregated else 0,
        "layers": list(order),
        "lat": lat,
        "lon": lon,
        "days": days,
        "layer_idx": layer_idx,
        "is_area": is_area if not aggregated else np.zeros(n, dtype=bool),
        "radius": radius if not aggregated else np.zeros(n),
        "geoms": geoms,
        "precision": prec,
    }
    return payload, info


def _time_html() -> str:
    return ('<div><b>Time · الزمن</b></div><div dir="ltr" class="gm-range"></div>'
            '<input type="range" step="1" aria-label="from" class="gm-from">'
            '<input type="range" step="1" aria-label="to" class="gm-to">'
            '<svg class="gm-hist" width="220" height="44" role="img" '
            'aria-label="events per day: drag to choose a period · الأحداث في اليوم"></svg>'
            '<div dir="ltr"><span class="gm-count"></span> shown · معروض</div>')


def _hist(days: np.ndarray, layer_idx: np.ndarray, n_layers: int, day_min: int, day_max: int,
          max_bins: int = 120) -> dict[str, Any]:
    """Events per day (bins of ``step`` days when the span is long), one row per layer."""
    span = day_max - day_min + 1
    step = max(1, math.ceil(span / max_bins))
    n = math.ceil(span / step)
    ok = ~np.isnan(days)
    b = ((days[ok] - day_min) // step).astype("int64")
    counts = np.bincount(layer_idx[ok] * n + b, minlength=n_layers * n).reshape(n_layers, n)
    return {"start": int(day_min), "step": int(step), "n": int(n), "c": counts.tolist()}


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
                 counts: dict[str, int], mode: str, title: str) -> str:
    """The one legend: a checkbox per layer (toggles it) with its colour, then the symbols."""
    rows = ['<div class="gm-legend-head"><b>Legend · مفتاح الخريطة</b>'
            '<button type="button" class="gm-legend-toggle" aria-expanded="true" '
            'title="show/hide · إظهار/إخفاء">−</button></div><div class="gm-legend-body">',
            f'<div class="gm-legend-title">{E.esc(title)}</div>']
    for i, k in enumerate(order):
        rows.append(f'<label><input type="checkbox" data-gm-layer="{i}" checked>'
                    f'<span class="gm-swatch" style="background:{E.css_color(colors[k])}"></span>'
                    f"{E.esc(labels[k])} ({counts.get(k, 0)})</label>")
    if mode == "aggregated":
        rows.append('<div class="gm-prec">hexagons: events per cell</div>'
                    '<div class="gm-prec" dir="rtl" lang="ar">سداسيات: عدد الأحداث في الخلية</div>')
    else:
        rows.append(_SYMBOLS)
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
            "colors": list(CHOROPLETH_COLORS), "polygons": len(feats)}


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
            opts["choro"] = choro

    counts = keys.value_counts().to_dict()
    groups = [folium.FeatureGroup(name=E.esc(labels[k]), show=True, control=False).add_to(m) for k in order]
    n_days = len(np.unique(days[~np.isnan(days)]))
    opts["time"] = bool(time and n_days >= 2)
    opts["timeHtml"] = _time_html()
    if opts["time"]:
        opts["hist"] = _hist(days, layer_idx, len(order), opts["dayMin"], opts["dayMax"])
    title = {"event_type": "Event type · نوع الحدث", "date": "Month · الشهر",
             "source": "Source · المصدر"}.get(layer_by, layer_by)
    opts["legend"] = _legend_html(order, labels, colors, counts, info["mode"], title)
    opts["bounds"] = bounds  # fitted by the runtime, without animation (labels are placed at once)
    m.add_child(EventLayers(groups, payload))
    info["time"] = opts["time"]
    folium.LayerControl(position="topleft", collapsed=False).add_to(m)
    m.geomap_info = info
    return m
