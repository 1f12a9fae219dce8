"""The timeline's bins and the choropleth's colour scale (data for the map's controls).

:func:`hist` counts events per day, week or calendar month by the span, so a
five-year span draws a bar per month across the histogram; :func:`scale`
gives the count range of each choropleth colour class as the map and its
runtime colour a polygon, and :func:`scale_html` draws it in the legend.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import escape as E
from .styles import CHOROPLETH_COLORS

#: longest span (days) the timeline shows a bar per day, then per week; past it, per month
HIST_DAYS, HIST_WEEKS = 120, 2 * 366
_UNIT_TEXT = {"day": "per day · في اليوم", "week": "per week · في الأسبوع", "month": "per month · في الشهر",
              "year": "per year · في السنة"}


def hist_edges(day_min: int, day_max: int) -> tuple[str, list[int]]:
    """The timeline's bin unit for the span and the epoch days its bins start on (and the
    day after the last): a day up to :data:`HIST_DAYS`, a week (from Monday) up to
    :data:`HIST_WEEKS`, else a calendar month (a year past ten years)."""
    import datetime as dt

    epoch = dt.date(1970, 1, 1)
    span = day_max - day_min + 1
    if span <= HIST_DAYS:
        return "day", list(range(day_min, day_max + 2))
    if span <= HIST_WEEKS:
        first = day_min - (epoch + dt.timedelta(days=day_min)).weekday()
        return "week", list(range(first, day_max + 8, 7))[: (day_max - first) // 7 + 2]
    d0, d1 = epoch + dt.timedelta(days=day_min), epoch + dt.timedelta(days=day_max)
    yearly = (d1.year - d0.year) * 12 + d1.month - d0.month >= 120
    y, mo = d0.year, 1 if yearly else d0.month
    edges = []
    while True:
        start = (dt.date(y, mo, 1) - epoch).days
        edges.append(start)
        if start > day_max:
            return ("year" if yearly else "month"), edges
        y, mo = (y + 1, 1) if yearly or mo == 12 else (y, mo + 1)


def hist(days: np.ndarray, layer_idx: np.ndarray, n_layers: int, day_min: int, day_max: int) -> dict[str, Any]:
    """Events per bin of the timeline (:func:`hist_edges`), one row per layer."""
    unit, edges = hist_edges(day_min, day_max)
    n = len(edges) - 1
    ok = ~np.isnan(days)
    b = np.searchsorted(np.asarray(edges), days[ok], side="right") - 1
    counts = np.bincount(layer_idx[ok] * n + b.astype("int64"), minlength=n_layers * n).reshape(n_layers, n)
    return {"start": int(edges[0]), "edges": edges, "unit": unit, "unitText": _UNIT_TEXT[unit], "n": int(n),
            "c": counts.tolist()}


def scale(edges: list[float], top: int) -> list[tuple[str, str]]:
    """The choropleth's colour scale: ``(counts, colour)`` per class, as the map and its
    runtime colour a polygon (0; up to each edge; over the last), for counts up to ``top``."""
    if top < 1:
        return [("0", CHOROPLETH_COLORS[0])]
    c = np.arange(1, top + 1)
    cls = np.minimum(1 + np.searchsorted(np.asarray(edges, dtype="float64"), c, side="left"),
                     len(CHOROPLETH_COLORS) - 1)
    out = [("0", CHOROPLETH_COLORS[0])]
    cuts = np.flatnonzero(np.diff(cls)) + 1
    for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(c)], strict=True):
        lo, hi = int(c[a]), int(c[b - 1])
        label = f"{lo}" if lo == hi else f"≥ {lo}" if b == len(c) and cls[a] == len(CHOROPLETH_COLORS) - 1 \
            else f"{lo}–{hi}"
        out.append((label, CHOROPLETH_COLORS[int(cls[a])]))
    return out


def scale_html(classes: list[tuple[str, str]]) -> str:
    """The colour scale as a block of the legend: a swatch and the counts of each class."""
    rows = ['<div class="gm-scale"><div class="gm-legend-title">Events per governorate · '
            'الأحداث حسب المحافظة</div>']
    for label, color in classes:
        rows.append(f'<div class="gm-scale-row"><span class="gm-swatch" style="background:{E.css_color(color)};'
                    f'border:1px solid #999"></span><span dir="ltr">{E.esc(label)}</span></div>')
    rows.append("</div>")
    return "".join(rows)
