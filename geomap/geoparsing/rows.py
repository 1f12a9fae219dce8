"""Rows stage: a resolved mention → one frame row (derived geometry, precision codes).

A cue makes a geometry of a place (:class:`Deriver`): a countryside area or a
sector of it, an offset or "near" area, a 5 km circle for a point of interest;
a road or border between two names is a line or a border place. The frame's
columns are defined once, in :data:`COLUMNS`: a column a row holds goes into
:data:`ROW_COLUMNS` (before the derived ones) and into :meth:`RowBuilder.row`
and :func:`unresolved_row`, in the same place; a column derived from others (as
the precision codes are) is computed in :func:`frame`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from geomap.gazetteer import rank
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.lookup import countryside_of
from geomap.gazetteer.model import AREA_TYPES, Place
from geomap.gazetteer.relative import border_place, line_place
from geomap.gazetteer.store import Gazetteer
from geomap.geometry import circle, near_area, sector
from geomap.geoparsing.mention import SETTLEMENT, Mention
from geomap.geoparsing.precision import acled_geo_precision, ucdp_where_prec

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from geomap.geoparsing.resolve import Ranker

#: Columns of a geoparse frame, in order (``geoparse_many`` adds ``doc`` first).
COLUMNS: tuple[str, ...] = (
    "mention", "start", "end", "place_id", "name", "name_ar", "feature_type", "precision",
    "confidence", "lat", "lon", "geometry", "resolved", "reason", "cue", "role",
    "acled_geo_precision", "ucdp_where_prec", "override",
)
#: the columns a row tuple holds (:meth:`RowBuilder.row`, :func:`unresolved_row`), in order; the
#: rest of :data:`COLUMNS` are derived by :func:`frame` (the codes) or added by the overrides
ROW_COLUMNS: tuple[str, ...] = COLUMNS[:COLUMNS.index("acled_geo_precision")]
_PRECISION = ROW_COLUMNS.index("precision")

#: closing quotes and brackets → their opening ones (a mention that holds the opening one takes the closing)
_CLOSING = {'"': '"', "»": "«", "”": "“", "›": "‹", ")": "(", "]": "["}  # (not ' and ’: transliterations hold them)
#: "ريف X" of a town (not a governorate seat) is the land within this many km of X (or that
#: far towards the direction of «ريف X الشرقي»)
COUNTRYSIDE_KM = 12.0
#: a place this near its governorate's seat is the seat (ريف حلب is the governorate's countryside)
SEAT_KM = 8.0
#: the types of place whose "ريف X" is the land around them
LOCAL_COUNTRYSIDE_TYPES = frozenset({"town", "village", "subdistrict", "city"})
#: the longest road "X - Y" news names between two places; farther ends are a misreading
ROAD_MAX_KM = 1000.0
#: numeric columns of a geoparse frame and their dtypes
_NUMERIC = {"start": np.int64, "end": np.int64, "confidence": np.float64, "lat": np.float64, "lon": np.float64,
            "resolved": np.bool_}


def span(nt, left: int, right: int) -> tuple[int, int]:
    """The original-text span of match-text indices ``[left, right)`` (a closing quote included)."""
    start, end = nt.span(left - 1, right - 1)
    text = nt.original
    if end < len(text) and text[end] in _CLOSING:
        # a quoted name after its descriptor: مدينة "سراقب" takes its closing quote too
        opening = _CLOSING[text[end]]
        if text.count(opening, start, end) > text.count(text[end], start, end) or (
                opening == text[end] and text.count(opening, start, end) % 2 == 1):
            end += 1
    return start, end


def nidx(nt, orig: int) -> int:
    """The normalised-text index of original-text index ``orig``."""
    return int(np.searchsorted(nt.offsets[:-1], orig))


def unresolved_row(text: str, start: int, end: int, reason: str, cue: str) -> tuple:
    """The row of a name read but not placed (``resolved=False``, its ``reason``)."""
    return (text[start:end], start, end, None, None, None, None, None, 0.0, math.nan, math.nan, None,
            False, reason, cue, "place")


class Deriver:
    """The place, geometry and precision a cue makes of a place (memoised per gazetteer)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._derived: dict[tuple, tuple] = {}

    def derive(self, place: Place, kind: str | None, direction: str | None,
                km: float | None, rounded: bool = False) -> tuple[Place, Any, float, float, str, str]:
        """Place, geometry, point and precision a cue makes of ``place`` (cached).

        Returns ``(place, geometry, lat, lon, precision, label)``; ``label``
        replaces the cue label when the derivation names it differently.
        With ``rounded``, lat and lon are rounded to 6 decimals (as in a row).
        """
        key = (place.id, kind, direction, km, rounded)
        hit = self._derived.get(key)
        if hit is not None:
            return hit
        geom, lat, lon, precision, label = place.geometry, place.lat, place.lon, place.precision, ""
        if kind == "countryside" and self._local(place):
            # ريف (مدينة/ناحية) X of a town that is not its governorate's seat: the land around X
            lat, lon, geom = near_area(place.lat, place.lon, direction, COUNTRYSIDE_KM, place.feature_type)
            precision = "near"
        elif kind == "countryside":
            area = place if place.id.startswith("geomap:countryside:") else countryside_of(self.gaz, place)
            if area is not None:
                place, geom, lat, lon, precision = area, area.geometry, area.lat, area.lon, "region"
                if direction:
                    geom = sector(area.geometry, direction, self._seat(area))
                    rp = geom.representative_point()
                    lat, lon = rp.y, rp.x
        elif place.id.startswith("geomap:countryside:") and direction:
            geom = sector(place.geometry, direction, self._seat(place))
            rp = geom.representative_point()
            lat, lon, precision = rp.y, rp.x, "region"
            label = f"countryside:{direction}"
        elif kind in ("direction", "near"):
            if place.feature_type in AREA_TYPES and direction:
                geom = sector(place.geometry, direction)
                rp = geom.representative_point()
                lat, lon, precision = rp.y, rp.x, "region"
            else:
                lat, lon, geom = near_area(place.lat, place.lon, direction, km, place.feature_type)
                precision = "near"
        elif kind == "airbase" and place.feature_type not in ("airbase", "airport"):
            geom, precision = circle(place.lat, place.lon, 5.0), "near"
        elif kind == "poi" and place.feature_type not in AREA_TYPES:
            # a port, university, hospital... in or by the place
            geom, precision = circle(place.lat, place.lon, 5.0), "near"
        if rounded:
            lat, lon = round(lat, 6), round(lon, 6)
        out = (place, geom, lat, lon, precision, label)
        if len(self._derived) < 100_000:
            self._derived[key] = out
        return out

    def _local(self, place: Place) -> bool:
        """Whether "ريف X" is the land around ``place`` rather than its governorate's
        countryside: a town, village or subdistrict that is not the governorate's seat."""
        if place.feature_type not in LOCAL_COUNTRYSIDE_TYPES or not place.admin1:
            return False
        seat = self._seat(place)
        return seat is None or haversine_km(seat[0], seat[1], place.lat, place.lon) > SEAT_KM

    def _seat(self, area: Place) -> tuple[float, float] | None:
        from geomap.gazetteer.tables import governorates

        for r in governorates():
            if r["iso"] == area.admin1:
                return float(r["seat_lat"]), float(r["seat_lon"])
        return None


class RowBuilder:
    """Rows of resolved mentions: abstain under the confidence threshold, else derive."""

    def __init__(self, gazetteer: Gazetteer, ranker: Ranker, deriver: Deriver) -> None:
        self.gaz = gazetteer
        self.ranker = ranker
        self.deriver = deriver

    def row(self, nt, m: Mention, recorder: list | None = None) -> tuple:
        """The row of a ranked mention (in :data:`COLUMNS` order, without the codes)."""
        start, end = span(nt, m.cue.left, m.cue.right)
        place = m.best
        assert place is not None
        conf = self.ranker.confidence(m)
        cue = m.cue
        role = "container" if m.is_container else "dateline" if m.dateline else "place"
        if conf < rank.abstain_below():  # an honest abstain: the best candidate is named, not placed
            return (nt.original[start:end], start, end, place.id, place.name, place.name_ar, place.feature_type,
                    None, conf, math.nan, math.nan, None, False,
                    f"low confidence ({conf:.2f} < {rank.abstain_below():.2f}); best candidate shown", cue.label,
                    role)
        place, geom, lat, lon, precision, derived = self.deriver.derive(
            place, cue.kind, cue.direction, cue.distance_km, rounded=True)
        label = derived or cue.label
        if m.road_to is not None:
            if m.road_to.best is None:
                self.ranker.rank(m.road_to, recorder=recorder)
            if m.border:  # a border is between governorates (or countries)
                sides = [self.gaz.governorate(p.admin1) or p if p.feature_type in SETTLEMENT and p.admin1 else p
                         for p in (place, m.road_to.best)]
                road = border_place(sides[0], sides[1])
                label = "border"
            else:
                ends = road_ends(m)
                if ends is None:
                    return unresolved_row(nt.original, start, end,
                                       f"road ends over {ROAD_MAX_KM:.0f} km apart", "road")
                road = line_place(list(ends))
                label = "road"
            place, geom, lat, lon, precision = road, road.geometry, round(road.lat, 6), round(road.lon, 6), "region"
        if m.container is not None and m.container.best is not None:
            label = (label + ";" if label else "") + f"in:{m.container.best.id}"
        return (
            nt.original[start:end], start, end, place.id, place.name, place.name_ar, place.feature_type,
            precision, conf, lat, lon, geom, True, "", label, role,
        )


def road_ends(m: Mention) -> tuple[Place, Place] | None:
    """The two places a road "X - Y" runs between: the best of each, or else
    the closest pair of their candidates; None when every pair lies over
    :data:`ROAD_MAX_KM` apart (باريس - الخارجة is Egypt's Baris, not Paris)."""
    y = m.road_to
    assert y is not None and m.best is not None and y.best is not None
    if haversine_km(m.best.lat, m.best.lon, y.best.lat, y.best.lon) <= ROAD_MAX_KM:
        return m.best, y.best
    km, a, b = min(((haversine_km(a.lat, a.lon, b.lat, b.lon), a, b)
                    for a, _ in m.cands for b, _ in y.cands), key=lambda t: t[0])
    return (a, b) if km <= ROAD_MAX_KM else None


def frame(rows: list[tuple], docs: list[int] | None = None) -> geopandas.GeoDataFrame:
    """The GeoDataFrame of ``rows`` (:data:`COLUMNS`, the precision codes derived; ``doc`` first if given)."""
    import geopandas as gpd
    import pandas as pd

    cols = list(ROW_COLUMNS)
    if rows:
        # column by column, the numeric ones straight to numpy (no type inference)
        data: dict[str, Any] = {}
        for c, values in zip(cols, zip(*rows, strict=True), strict=True):
            dtype = _NUMERIC.get(c)
            data[c] = np.array(values, dtype=dtype) if dtype is not None else list(values)
        df = pd.DataFrame(data)
    else:
        df = pd.DataFrame({c: [] for c in cols})
        for c, dtype in _NUMERIC.items():
            df[c] = df[c].astype(dtype)
    prec = [r[_PRECISION] for r in rows]
    codes = {p: (acled_geo_precision(p), ucdp_where_prec(p)) for p in set(prec) if isinstance(p, str)}
    for k, c in enumerate(("acled_geo_precision", "ucdp_where_prec")):
        got = [codes[p][k] if p in codes else None for p in prec]
        missing = np.array([g is None for g in got], dtype=bool)
        values = np.array([0 if g is None else g for g in got], dtype=np.int64)
        df[c] = pd.arrays.IntegerArray(values, missing)
    if docs is not None:
        df.insert(0, "doc", pd.array(docs, dtype="int64"))
    return gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")
