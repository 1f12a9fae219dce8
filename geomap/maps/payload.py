"""The JSON payload of a map's event layers (:func:`build_payload`).

Events are prepared (a GeoDataFrame in EPSG:4326, no empty geometry, no
container), keyed by layer, and turned into column arrays (days, indices
into tables of pre-escaped HTML fragments, sizes) or, when aggregated,
hexagon cells; the browser runtime (:mod:`geomap.maps.client`) builds the
layers from it.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from . import escape as E
from .incident_fields import size_class, who_html
from .styles import AREA_FILL, EVENT_COLORS

if TYPE_CHECKING:  # pragma: no cover
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
    if "actor1" in ev.columns or "fatalities" in ev.columns:
        C["w"], u = _factor(_str_col(ev, "actor1"), _str_col(ev, "actor2"), _str_col(ev, "fatalities"),
                            _str_col(ev, "injured"))
        T["who"] = [who_html(*r) for r in u]
        C["fz"] = size_class(_col(ev, "fatalities"))
    if "actor1" in ev.columns and ev["actor1"].notna().any():  # the legend's filter by actor
        C["a1"], u = _factor(_str_col(ev, "actor1"))
        T["actors"] = [E.esc(a) for (a,) in u]
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
