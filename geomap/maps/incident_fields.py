"""What the map shows of an incident's actors and casualties: popup lines and marker sizes.

Markers are sized by fatalities in steps (:data:`SIZE_STEPS`; the legend shows them), and the
popup says who acted on whom and how many were killed and injured. All text is escaped
(:mod:`geomap.maps.escape`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import escape as E

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: fatalities from which a marker takes each larger size (the size legend says the same)
SIZE_STEPS = (1, 3, 10)


def size_class(fatalities: pd.Series) -> np.ndarray:
    """0 (no count) to 3 (:data:`SIZE_STEPS`) per row."""
    import pandas as pd

    f = pd.to_numeric(fatalities, errors="coerce").fillna(0).to_numpy()
    return np.searchsorted(np.asarray(SIZE_STEPS), f, side="right").astype("int64")


def who_html(actor1: str, actor2: str, killed: str, injured: str) -> str:
    """Escaped popup line: who acted on whom, and the casualties."""
    parts = []
    if actor1 or actor2:
        parts.append("<bdi>" + E.esc(actor1 or "?") + (" → " + E.esc(actor2) if actor2 else "") + "</bdi>")
    if killed:
        parts.append(f"<bdi>{E.esc(killed)} killed · قتلى</bdi>")
    if injured:
        parts.append(f"<bdi>{E.esc(injured)} injured · جرحى</bdi>")
    return f'<div class="gm-who" dir="ltr">{" · ".join(parts)}</div>' if parts else ""


def size_legend_html() -> str:
    """The legend's row of marker sizes."""
    labels = (f"{SIZE_STEPS[0]}–{SIZE_STEPS[1] - 1}", f"{SIZE_STEPS[1]}–{SIZE_STEPS[2] - 1}", f"{SIZE_STEPS[2]}+")
    return ('<div class="gm-sizes" dir="ltr"><bdi>Killed · قتلى</bdi>' + "".join(
        f'<span class="gm-size gm-size{k + 1}"></span><bdi>{lab}</bdi>' for k, lab in enumerate(labels)) + "</div>")
