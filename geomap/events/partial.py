"""Per-document results of a run of documents, the mention records they start from,
the union-find the merge uses, and the P-code columns of records that lack them.

Kept apart from :mod:`geomap.events.extract` (which imports them) so that the
per-document phase, the Dask path and the merge share one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from ..gazetteer.store import Gazetteer
    from .documents import Document


class _DSU:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


@dataclass
class _Partial:
    """Per-document results of a run of documents, before the global merge.

    ``incidents`` refer to documents by their position in the run (``di``);
    ``meta`` holds ``(doc_id, source, url)`` of the documents with incidents.
    """

    n_docs: int = 0
    n_mentions: int = 0
    n_resolved: int = 0
    docs_with_places: int = 0
    docs_with_incidents: int = 0
    incidents: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[int, tuple[str, str | None, str | None]] = field(default_factory=dict)


def _combine(parts: Iterable[_Partial]) -> _Partial:
    """Concatenate partial results in order, renumbering documents."""
    out = _Partial()
    for p in parts:
        off = out.n_docs
        out.n_docs += p.n_docs
        out.n_mentions += p.n_mentions
        out.n_resolved += p.n_resolved
        out.docs_with_places += p.docs_with_places
        out.docs_with_incidents += p.docs_with_incidents
        for inc in p.incidents:
            inc["di"] += off
            out.incidents.append(inc)
        for di, m in p.meta.items():
            out.meta[di + off] = m
    return out


def _records(rows: list[tuple], idx: list[int], docs: Sequence[Document], gazetteer: Any
             ) -> tuple[list[dict[str, Any]], int]:
    """Mention records of the project's geoparser rows (``idx``: position in ``docs``), corrected by
    the user's overrides when there are any, with the places' P-codes and admin names."""
    from ..geoparsing import pipeline
    from ..geoparsing import rows as row_stage
    from ..gazetteer.admin import add_admin_records
    from ..geoparsing.overrides import apply_overrides, resolve_overrides

    gaz = pipeline.gazetteer_of(gazetteer)
    rules = resolve_overrides("auto")
    if rules:  # the user's corrections (geomap review): a frame is built only then
        frame = apply_overrides(row_stage.frame(rows, idx), [d.text for d in docs], gaz,
                                sources=[d.source for d in docs], overrides=rules)
        records = frame.to_dict("records")
    else:
        cols = row_stage.ROW_COLUMNS
        records = [dict(zip(cols, r), doc=i) for r, i in zip(rows, idx)]
    # the OCHA P-codes and admin names of each place (after the overrides: a correction changes it)
    return add_admin_records(records, gaz), len(rows)


def _is_true(v: Any) -> bool:
    try:
        return bool(v) and v == v  # NaN is not true
    except (TypeError, ValueError):  # pragma: no cover
        return False


def _geom(row: dict[str, Any]) -> Any:
    g = row.get("geometry")
    if g is not None and not getattr(g, "is_empty", False):
        return g
    lat, lon = row.get("lat"), row.get("lon")
    if lat is not None and lon is not None and lat == lat and lon == lon:
        from shapely import Point

        return Point(float(lon), float(lat))
    return None


def ensure_admin_records(records: list[dict[str, Any]], gazetteer: Any) -> list[dict[str, Any]]:
    """:func:`add_admin_records` for records that lack the columns (the user's mentions, an
    older geomap's, a stand-in geoparser's), ``gazetteer`` resolved by :func:`resolve_gazetteer`."""
    from ..gazetteer.admin import ADMIN_COLUMNS, add_admin_records

    if records and not all(c in records[0] for c in ADMIN_COLUMNS):
        add_admin_records(records, resolve_gazetteer(gazetteer))
    return records


def resolve_gazetteer(gazetteer: Any) -> Gazetteer | None:
    """A Gazetteer, or the one :func:`~geomap.gazetteer.load.load_gazetteer` gives for a
    source name or path (default ``"default"``); None when it cannot be loaded."""
    from geomap.errors import GazetteerError
    from geomap.gazetteer.store import Gazetteer as _Gazetteer

    if isinstance(gazetteer, _Gazetteer):
        return gazetteer
    from geomap.gazetteer.load import load_gazetteer

    try:
        return load_gazetteer(gazetteer or "default")
    except GazetteerError:
        return None
