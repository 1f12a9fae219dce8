"""OCHA P-codes and admin names of places: the columns analysts join on.

Every Syrian place of the gazetteer carries its governorate, district and
subdistrict P-codes (``SY02``, ``SY0200``, ``SY020000``: OCHA's COD-AB codes,
the join key of humanitarian datasets) and, when OCHA lists it, its own
community or neighbourhood code (``C1007``, ``N0006``). :func:`admin_columns`
gives them with the admin areas' English and Arabic names as OCHA writes them
(``syria_admin.csv``, derived from the COD-AB with the Syria table); a place
without P-codes (one of the user's, or one derived from a text, "east of X")
gets them by the subdistrict polygon its point lies in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geomap.gazetteer.tables import read_table

if TYPE_CHECKING:  # pragma: no cover
    from geomap.gazetteer.model import Place
    from geomap.gazetteer.store import Gazetteer

#: OCHA's admin names by P-code, derived from the COD-AB by ``geomap gazetteer export-default``
ADMIN_TABLE = "syria_admin.csv"

#: the columns :func:`admin_columns` gives, in the order frames carry them
ADMIN_COLUMNS: tuple[str, ...] = ("pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode", "admin1", "admin2",
                                  "admin3", "admin1_ar", "admin2_ar", "admin3_ar")

#: how many admin levels (governorate, district, subdistrict) a place of each precision fills
_LEVELS = {"exact": 3, "near": 3, "district": 2, "governorate": 1, "region": 0, "country": 0}
_EMPTY: dict[str, Any] = dict.fromkeys(ADMIN_COLUMNS)
#: degrees around a subdistrict polygon a point (a coast, a border) still counts as in it (~5 km)
_NEAR_DEG = 0.05


@lru_cache(maxsize=1)
def admin_names() -> dict[str, tuple[str, str]]:
    """P-code → (English name, Arabic name) of every Syrian governorate, district and subdistrict."""
    try:
        rows = read_table(ADMIN_TABLE)
    except LookupError:  # a checkout without the derived table: codes without names
        return {}
    return {r["pcode"]: (r["name"], r["name_ar"]) for r in rows}


@lru_cache(maxsize=1)
def _iso_pcodes() -> dict[str, str]:
    from geomap.gazetteer.tables import governorates

    return {r["iso"]: r["ocha_pcode"] for r in governorates()}


#: an OCHA P-code: admin area (SY##, SY####, SY######), community (C####) or neighbourhood (N####)
PCODE = re.compile(r"SY\d{2}(?:\d{2}){0,2}|[CN]\d{4,}")


class AdminIndex:
    """P-codes and admin names of a gazetteer's places, built once per gazetteer
    (``gazetteer.admin_index``); answers are memoised by place id."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gaz = gazetteer
        self._memo: dict[str, dict[str, Any]] = {}
        self._tree: Any = None
        self._subs: list[str] = []
        self._by_pcode: dict[str, Place] | None = None

    def get_pcode(self, pcode: Any, default: Place | None = None) -> Place | None:
        """The place whose own P-code is ``pcode`` (case and spaces ignored), or ``default``."""
        code = pcode.strip().upper() if isinstance(pcode, str) else ""
        if not PCODE.fullmatch(code):
            return default
        if self._by_pcode is None:
            index: dict[str, Place] = {}
            for p in self._gaz:
                if p.pcode:
                    index.setdefault(p.pcode, p)
            self._by_pcode = index
        return self._by_pcode.get(code, default)

    def _subdistrict_at(self, lat: float, lon: float) -> str | None:
        from shapely import STRtree, Point

        if self._tree is None:
            subs = [p for p in self._gaz if p.feature_type == "subdistrict" and p.pcode
                    and p.pcode == p.adm3_pcode and p.geometry_wkt]
            self._subs = [p.pcode for p in subs]  # type: ignore[misc]
            self._tree = STRtree([p.geometry for p in subs]) if subs else False
        if self._tree is False:
            return None
        pt = Point(lon, lat)
        hit = self._tree.query(pt, predicate="within")
        if not len(hit):
            hit = self._tree.query_nearest(pt, max_distance=_NEAR_DEG)
        return self._subs[int(hit[0])] if len(hit) else None

    def columns(self, place: Place | None, *, lat: float | None = None, lon: float | None = None,
                precision: str | None = None) -> dict[str, Any]:
        """The :data:`ADMIN_COLUMNS` of ``place`` (all None for None or a place abroad).

        A place of the gazetteer gives its own P-codes; another (derived, user's) its
        point's subdistrict, down to the admin level its precision allows.
        """
        if place is None:
            return dict(_EMPTY)
        return dict(self._shared(place, lat, lon, precision))

    def _shared(self, place: Place, lat: float | None = None, lon: float | None = None,
                precision: str | None = None) -> dict[str, Any]:
        """:meth:`columns` as the memoised dict itself (not to be changed)."""
        got = self._memo.get(place.id)
        if got is None:
            got = self._columns(place, lat, lon, precision)
            if place.id in self._gaz:
                self._memo[place.id] = got
        return got

    def _columns(self, place: Place, lat: float | None, lon: float | None, precision: str | None) -> dict[str, Any]:
        if place.country != "SY":
            return dict(_EMPTY)
        adm1, adm2, adm3 = place.adm1_pcode, place.adm2_pcode, place.adm3_pcode
        known = place.id in self._gaz and (adm1 or adm2 or adm3)
        if not known:
            levels = _LEVELS.get(precision or place.precision, 0)
            code = None
            if levels:
                y, x = (lat, lon) if lat is not None and lon is not None and not (
                    math.isnan(lat) or math.isnan(lon)) else (place.lat, place.lon)
                code = self._subdistrict_at(y, x)
            adm3 = code if code and levels >= 3 else None
            adm2 = code[:6] if code and levels >= 2 else None
            adm1 = code[:4] if code else _iso_pcodes().get(place.admin1 or "")
        adm1 = adm1 or (adm2 or adm3 or "")[:4] or _iso_pcodes().get(place.admin1 or "") or None
        names = admin_names()
        out = {"pcode": place.pcode, "adm1_pcode": adm1, "adm2_pcode": adm2, "adm3_pcode": adm3}
        for level, code in (("admin1", adm1), ("admin2", adm2), ("admin3", adm3)):
            en, ar = names.get(code or "", (None, None))
            out[level], out[f"{level}_ar"] = en, ar
        return out

    def frame_columns(self, place_ids: Sequence[Any], lats: Sequence[float] | None = None,
                      lons: Sequence[float] | None = None,
                      precisions: Sequence[Any] | None = None) -> dict[str, list[Any]]:
        """:data:`ADMIN_COLUMNS` as lists, one value per row of a mentions or events frame.

        ``place_ids`` are the rows' place ids (None for unresolved rows); an id the
        gazetteer does not hold (a derived place) is placed by the row's point.
        """
        cols: dict[str, list[Any]] = {c: [] for c in ADMIN_COLUMNS}
        n = len(place_ids)
        for i in range(n):
            pid = place_ids[i]
            row: dict[str, Any]
            if not isinstance(pid, str) or not pid:
                row = _EMPTY
            else:
                place = self._gaz.get(pid)
                if place is not None:
                    row = self._shared(place)
                else:
                    lat = float(lats[i]) if lats is not None and lats[i] is not None else None
                    lon = float(lons[i]) if lons is not None and lons[i] is not None else None
                    prec = precisions[i] if precisions is not None and isinstance(precisions[i], str) else None
                    row = self._derived(pid, lat, lon, prec)
            for c in ADMIN_COLUMNS:
                cols[c].append(row[c])
        return cols

    def _derived(self, pid: str, lat: float | None, lon: float | None, precision: str | None) -> dict[str, Any]:
        from geomap.gazetteer.model import Place

        if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
            return _EMPTY
        key = f"{pid}@{lat:.5f},{lon:.5f}"
        got = self._memo.get(key)
        if got is None:  # a point more than ~5 km from every subdistrict (abroad) gets none
            got = self._columns(Place(id=pid, name="", feature_type="village", lat=lat, lon=lon),
                                lat, lon, precision or "exact")
            self._memo[key] = got
        return got


def admin_columns(gazetteer: Gazetteer, place: Place | None) -> dict[str, Any]:
    """``pcode, adm1_pcode, adm2_pcode, adm3_pcode, admin1, admin2, admin3`` (OCHA's
    English names) and ``admin1_ar, admin2_ar, admin3_ar`` of ``place``.

    >>> admin_columns(gaz, gaz.get_pcode("C1007"))["adm3_pcode"]  # doctest: +SKIP
    'SY020000'
    """
    return gazetteer.admin_index.columns(place)


def add_admin_columns(frame: Any, gazetteer: Gazetteer | None) -> Any:
    """Append the :data:`ADMIN_COLUMNS` to a mentions or events frame, in place.

    The frame needs ``place_id`` and, for places the gazetteer does not hold
    (derived ones), ``lat``, ``lon`` and ``precision``. Returns the frame. An
    empty frame gets the (empty) columns without a gazetteer.
    """
    import pandas as pd

    if gazetteer is None or not len(frame):
        for c in ADMIN_COLUMNS:
            frame[c] = pd.Series([], dtype=object) if not len(frame) else None
        return frame
    get = frame.get
    cols = gazetteer.admin_index.frame_columns(
        frame["place_id"].tolist(), get("lat").tolist() if "lat" in frame else None,
        get("lon").tolist() if "lon" in frame else None,
        get("precision").tolist() if "precision" in frame else None)
    for c in ADMIN_COLUMNS:
        frame[c] = pd.Series(cols[c], index=frame.index, dtype=object)
    return frame


def ensure_admin_records(records: list[dict[str, Any]], gazetteer: Any) -> list[dict[str, Any]]:
    """:func:`add_admin_records` for records that lack the columns (the user's mentions, an
    older geomap's, a stand-in geoparser's), ``gazetteer`` resolved by :func:`resolve_gazetteer`."""
    if records and not all(c in records[0] for c in ADMIN_COLUMNS):
        add_admin_records(records, resolve_gazetteer(gazetteer))
    return records


def add_admin_records(records: list[dict[str, Any]], gazetteer: Gazetteer | None) -> list[dict[str, Any]]:
    """Add the :data:`ADMIN_COLUMNS` to mention records (dicts with ``place_id``, ``lat``, ``lon``);
    all None without a gazetteer (one that cannot be loaded). Returns ``records``."""
    if gazetteer is None:
        for r in records:
            for c in ADMIN_COLUMNS:
                r.setdefault(c, None)
        return records
    cols = gazetteer.admin_index.frame_columns(
        [r.get("place_id") for r in records], [r.get("lat") for r in records],
        [r.get("lon") for r in records], [r.get("precision") for r in records])
    for i, r in enumerate(records):
        for c in ADMIN_COLUMNS:
            r[c] = cols[c][i]
    return records


def resolve_gazetteer(gazetteer: Any) -> Gazetteer | None:
    """A Gazetteer, or the one :func:`~geomap.gazetteer.load.load_gazetteer` gives for a
    source name or path (default ``"default"``); None when it cannot be loaded."""
    from geomap.errors import GazetteerError
    from geomap.gazetteer.store import Gazetteer

    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    from geomap.gazetteer.load import load_gazetteer

    try:
        return load_gazetteer(gazetteer or "default")
    except GazetteerError:
        return None
