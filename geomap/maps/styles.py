"""Colours and labels of map layers."""

from __future__ import annotations

from collections.abc import Sequence

#: Colour of each event type (colour-blind-aware categorical palette).
EVENT_COLORS: dict[str, str] = {
    "airstrike": "#d62728",
    "shelling": "#ff7f0e",
    "drone": "#9467bd",
    "explosion": "#8c564b",
    "clashes": "#e377c2",
    "attack": "#b8860b",
    "meeting": "#1f77b4",
    "deployment": "#17becf",
    "arrest": "#2ca02c",
    "protest": "#bcbd22",
    "other": "#7f7f7f",
}

#: Colours for other layer values, used in turn.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1",
)

#: Fill opacity of an area by its precision (less precise, lighter).
AREA_FILL: dict[str, float] = {"district": 0.2, "governorate": 0.14, "region": 0.12, "country": 0.05}

#: Precisions drawn as areas, never as a pin.
AREA_PRECISIONS: frozenset[str] = frozenset(AREA_FILL)

#: Sequential colours of the choropleth, light to dark.
CHOROPLETH_COLORS: tuple[str, ...] = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")


def colors_for(layer_by: str, values: Sequence[str]) -> dict[str, str]:
    """Colour of each layer value: fixed for event types, the palette in turn otherwise."""
    out: dict[str, str] = {}
    i = 0
    for v in values:
        if layer_by == "event_type" and v in EVENT_COLORS:
            out[v] = EVENT_COLORS[v]
        else:
            out[v] = PALETTE[i % len(PALETTE)]
            i += 1
    return out
