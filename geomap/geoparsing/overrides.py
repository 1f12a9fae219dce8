"""Corrections that persist: the user's overrides file.

A CSV (``<data dir>/overrides.csv`` by default, ``GEOMAP_OVERRIDES`` or the
``overrides=`` argument for another) that ``geomap review --apply`` writes and
users may edit by hand. Columns:

* ``mention`` — the place text as written (compared normalised; a mention
  that ends with it after descriptor words also matches: ``قرية X`` for ``X``);
* ``context`` — optional words that must all occur in the document;
* ``source`` — optional: only documents of this source;
* ``place_id`` — the right place (``wof:...``, ``gn:...``, ``user:...``), or
* ``lat`` and ``lon`` — the right point, or
* ``not_place`` — ``yes``: the mention is not a place and is removed.

:func:`apply_overrides` rewrites the matching rows of a mentions frame and
sets their ``override`` column to ``<file>:<line>``; removed mentions are
counted in ``frame.attrs["geomap_overrides"]``. The first matching row wins,
rows with context or source before plain ones.
"""

from __future__ import annotations

import csv
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.text import normalize_key

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from geomap.gazetteer.store import Gazetteer

COLUMNS = ("mention", "context", "source", "place_id", "lat", "lon", "not_place", "note")
_YES = frozenset({"yes", "y", "true", "1", "x", "نعم"})
#: key of the count of applied / removed overrides in ``frame.attrs``
ATTRS_KEY = "geomap_overrides"


@dataclass(frozen=True)
class Override:
    """One correction: which mentions it matches and what they become."""

    where: str
    key: str
    context: tuple[str, ...] = ()
    source: str | None = None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    not_place: bool = False

    def matches(self, mention_key: str, doc_key: str, source: str | None) -> bool:
        """Whether this override applies to a mention (keys normalised) of a document."""
        if mention_key != self.key and not mention_key.endswith(" " + self.key):
            return False
        if self.source is not None and source != self.source:
            return False
        padded = f" {doc_key} "
        return all(f" {w} " in padded or w in doc_key for w in self.context)


class OverrideWarning(UserWarning):
    """An override could not be applied (an unknown place id)."""


def overrides_path() -> Path:
    """Where the user's overrides live: ``GEOMAP_OVERRIDES`` or ``<data dir>/overrides.csv``."""
    env = os.environ.get("GEOMAP_OVERRIDES")
    if env:
        return Path(env)
    from geomap.gazetteer.load import data_dir

    return data_dir() / "overrides.csv"


def load_overrides(path: str | os.PathLike | None = None) -> list[Override]:
    """Read an overrides file (none there: no overrides).

    Raises
    ------
    InputError
        A row that says nothing usable, with its line number.
    """
    p = Path(path) if path is not None else overrides_path()
    if not p.is_file():
        if path is not None:
            raise InputError(f"{p}: no overrides file there")
        return []
    return list(_read_overrides(str(p), p.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _read_overrides(path: str, mtime_ns: int) -> tuple[Override, ...]:
    """The rules of an overrides file, read once per version of the file (geoparse
    runs per document; the file changes only when the user edits it)."""
    p = Path(path)
    out: list[Override] = []
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if "mention" not in (reader.fieldnames or ()):
            raise InputError(f"{p}: an overrides file needs a 'mention' column ({', '.join(COLUMNS)})")
        for row in reader:
            where = f"{p.name}:{reader.line_num}"
            o = _override(row, where)
            if o is not None:
                out.append(o)
    # the more specific first
    out.sort(key=lambda o: not (o.context or o.source))
    return tuple(out)


def _override(row: dict[str, Any], where: str) -> Override | None:
    def cell(k: str) -> str:
        return (row.get(k) or "").strip()

    mention = cell("mention")
    place_id, lat, lon, not_place = cell("place_id"), cell("lat"), cell("lon"), cell("not_place").lower() in _YES
    if not (place_id or lat or lon or not_place):
        return None  # a review row left blank: nothing to correct
    if not mention:
        raise InputError(f"{where}: an override needs the mention text")
    if sum(bool(x) for x in (place_id, lat or lon, not_place)) > 1:
        raise InputError(f"{where}: give one of place_id, lat/lon or not_place")
    la = lo = None
    if lat or lon:
        try:
            la, lo = float(lat), float(lon)
        except ValueError:
            raise InputError(f"{where}: bad coordinates lat={lat!r} lon={lon!r}") from None
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            raise InputError(f"{where}: coordinates out of range lat={la} lon={lo}")
    context = tuple(normalize_key(w) for w in cell("context").split() if normalize_key(w))
    return Override(where, normalize_key(mention), context, cell("source") or None,
                    place_id or None, la, lo, not_place)


def apply_overrides(frame: geopandas.GeoDataFrame, texts: Sequence[str], gazetteer: Gazetteer, *,
                    sources: Sequence[str | None] | None = None,
                    overrides: str | os.PathLike | Sequence[Override] | None = "auto") -> geopandas.GeoDataFrame:
    """Apply the user's corrections to a mentions frame (see the module doc).

    ``texts`` are the documents (``frame["doc"]`` indexes them; a frame without
    ``doc`` is of ``texts[0]``). ``overrides``: ``"auto"`` (the user's file),
    None (none), a path, or a list of :class:`Override`. Rows already
    overridden are left alone, so applying twice changes nothing.
    """
    if "override" not in frame.columns:
        frame["override"] = ""
    rules = resolve_overrides(overrides)
    if not rules or frame.empty:
        frame.attrs.setdefault(ATTRS_KEY, {"applied": 0, "removed": 0})
        return frame
    from shapely import Point

    from geomap.geoparsing.precision import acled_geo_precision, ucdp_where_prec

    docs = frame["doc"].tolist() if "doc" in frame.columns else [0] * len(frame)
    doc_keys: dict[int, str] = {}
    drop = []
    applied = 0
    counts = dict(frame.attrs.get(ATTRS_KEY, {"applied": 0, "removed": 0}))
    for pos, (idx, row) in enumerate(frame.iterrows()):
        if row["override"]:
            continue
        d = int(docs[pos])
        if d not in doc_keys:
            doc_keys[d] = normalize_key(texts[d]) if d < len(texts) else ""
        src = sources[d] if sources is not None and d < len(sources) else None
        key = normalize_key(row["mention"])
        rule = next((o for o in rules if o.matches(key, doc_keys[d], src)), None)
        if rule is None:
            continue
        if rule.not_place:
            drop.append(idx)
            continue
        if rule.place_id is not None:
            place = gazetteer.get(rule.place_id)
            if place is None:
                warnings.warn(f"{rule.where}: no place {rule.place_id!r} in gazetteer {gazetteer.name!r}; "
                              "override not applied", OverrideWarning, stacklevel=2)
                continue
            values = {"place_id": place.id, "name": place.name, "name_ar": place.name_ar,
                      "feature_type": place.feature_type, "precision": place.precision,
                      "lat": place.lat, "lon": place.lon, "geometry": place.geometry}
        else:
            values = {"place_id": f"override:{rule.where}", "name": row["mention"], "name_ar": None,
                      "feature_type": "landmark", "precision": "exact", "lat": rule.lat, "lon": rule.lon,
                      "geometry": Point(rule.lon, rule.lat)}
        values.update(resolved=True, confidence=1.0, reason="", override=rule.where,
                      acled_geo_precision=acled_geo_precision(values["precision"]),
                      ucdp_where_prec=ucdp_where_prec(values["precision"]))
        for col, v in values.items():
            if col in frame.columns:
                frame.at[idx, col] = v
        applied += 1
    if drop:
        frame = frame.drop(index=drop).reset_index(drop=True)
    counts["applied"] = counts.get("applied", 0) + applied
    counts["removed"] = counts.get("removed", 0) + len(drop)
    frame.attrs[ATTRS_KEY] = counts
    return frame


def resolve_overrides(overrides: str | os.PathLike | Sequence[Override] | None) -> list[Override]:
    """The override rules an ``overrides=`` argument stands for (``"auto"``: the user's file)."""
    if overrides is None:
        return []
    if isinstance(overrides, str) and overrides == "auto":
        return load_overrides()
    if isinstance(overrides, (str, os.PathLike)):
        return load_overrides(overrides)
    return list(overrides)
