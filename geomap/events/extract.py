"""Turn documents and their place mentions into an events GeoDataFrame.

An *incident* is a sentence with at least one resolved ``place`` mention
(``container`` mentions are context and never become event places).
Its event type comes from the bilingual lexicon
(:func:`geomap.events.lexicon.classify`); a sentence with places but no
event keyword is kept with type ``other`` (drop it with
``include_other=False``) and a lower confidence.

Dates: the most precise date expression of the sentence resolved against
the document's date (:func:`geomap.events.dates.sentence_date`), else the
document date (``date_source="document"``), else unknown.

Merging: incidents with the same normalised sentence and date (a scraped
article repeating its body, a wire story in several outlets), or with the
same event type, place and *day*, are one event; ``n_reports`` is the
number of distinct documents reporting it. The event keeps the first
report's snippet, document, source and url; ``doc_ids`` lists all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .dates import sentence_date
from .documents import Document
from ..text import normalize_ar
from .lexicon import STRENGTH_FACTOR, EventMatch, classify, split_sentences

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

#: Columns of the events frame, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "doc_id", "date", "date_precision", "event_type", "place_id", "name",
    "name_ar", "feature_type", "precision", "confidence", "geometry", "snippet", "source",
    "url", "n_reports", "doc_ids", "date_source", "keyword", "lat", "lon",
)

#: Key of the summary dict in ``events.attrs``.
SUMMARY_KEY = "geomap_summary"

_MAX_SNIPPET = 600


def _mentions_for(docs: Sequence[Document], gazetteer: Any) -> pd.DataFrame:
    try:
        from geomap import geoparse_many  # type: ignore[attr-defined]
    except ImportError:
        raise InputError(
            "geomap.geoparse_many is not available yet; pass precomputed mentions with mentions="
        ) from None
    return geoparse_many([d.text for d in docs], gazetteer=gazetteer, sources=[d.source for d in docs])


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


def extract_events(
    documents: Iterable[Document],
    *,
    gazetteer: Any = None,
    mentions: pd.DataFrame | None = None,
    include_other: bool = True,
) -> gpd.GeoDataFrame:
    """Extract incidents: one row per (incident, place).

    Parameters
    ----------
    documents : iterable of Document
        For example a :class:`~geomap.events.documents.DocumentSet`.
    gazetteer : optional
        Passed to ``geomap.geoparse_many`` when ``mentions`` is None.
    mentions : DataFrame, optional
        Precomputed mentions in the ``geoparse_many`` format: ``doc`` (index
        into ``documents``), ``start``, ``end``, ``place_id``, ``name``,
        ``name_ar``, ``feature_type``, ``precision``, ``confidence``,
        ``geometry`` or ``lat``/``lon``, ``resolved``, ``role``. Missing
        ``resolved`` means "has a place_id"; missing ``role`` means ``place``.
    include_other : bool
        Keep sentences with places but no event keyword as type ``other``.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, columns :data:`EVENT_COLUMNS`; ``date`` is datetime64
        (NaT when unknown); ``lat``/``lon`` is the place's representative
        point (the centre of a ``near`` circle, a point inside an area). ``attrs["geomap_summary"]`` counts documents
        read, documents with no resolved place, mentions, the resolved
        share, incidents and events.
    """
    import geopandas as gpd
    import pandas as pd

    docs = list(documents)
    if mentions is None:
        mentions = _mentions_for(docs, gazetteer) if docs else pd.DataFrame()
    if not isinstance(mentions, pd.DataFrame):
        raise InputError(f"mentions must be a DataFrame, not {type(mentions).__name__}")
    n_mentions = len(mentions)
    if n_mentions:
        missing = {"doc", "start", "end", "place_id"} - set(mentions.columns)
        if missing:
            raise InputError(f"mentions lack column(s) {sorted(missing)}")
        bad = mentions["doc"][(mentions["doc"] < 0) | (mentions["doc"] >= len(docs))]
        if len(bad):
            raise InputError(f"mentions refer to document index {int(bad.iloc[0])}, "
                             f"but there are {len(docs)} documents")

    # Resolved place mentions per document.
    per_doc: dict[int, list[dict[str, Any]]] = {}
    n_resolved = 0
    for row in mentions.to_dict("records") if n_mentions else ():
        resolved = _is_true(row["resolved"]) if "resolved" in row else _is_true(row.get("place_id"))
        geom = _geom(row) if resolved else None
        if not resolved or geom is None:
            continue
        n_resolved += 1
        if str(row.get("role") or "place") != "place":
            continue
        row["geometry"] = geom
        row["lat"], row["lon"] = _latlon(row, geom)
        per_doc.setdefault(int(row["doc"]), []).append(row)

    incidents: list[dict[str, Any]] = []
    docs_with_incidents: set[int] = set()
    for di, doc in enumerate(docs):
        ms = per_doc.get(di)
        if not ms:
            continue
        ms.sort(key=lambda r: int(r["start"]))
        for s0, s1 in split_sentences(doc.text):
            places: dict[str, dict[str, Any]] = {}
            for r in ms:
                if s0 <= int(r["start"]) < s1:
                    pid = str(r["place_id"])
                    if pid not in places or _conf(r) > _conf(places[pid]):
                        places[pid] = r
            if not places:
                continue
            if any(str(r.get("precision")) != "country" for r in places.values()):
                # "strikes in Syria on al-Safira": the country is context, not a second place
                places = {k: r for k, r in places.items() if str(r.get("precision")) != "country"}
            sent = doc.text[s0:s1]
            match = classify(sent)
            if match is None:
                if not include_other:
                    continue
                match = EventMatch("other", None, "none")
            date, precision, date_source = sentence_date(sent, doc.date)
            incidents.append(dict(
                di=di, s0=s0, sent=sent, key=" ".join(normalize_ar(sent).split()), match=match,
                date=date, date_precision=precision, date_source=date_source,
                places=list(places.values()),
            ))
            docs_with_incidents.add(di)

    # Merge repeated reports.
    dsu = _DSU(len(incidents))
    first_of: dict[tuple, int] = {}
    for i, inc in enumerate(incidents):
        keys: list[tuple] = [("s", inc["key"], inc["date"])]
        if inc["date"] is not None and inc["date_precision"] == "day":
            keys += [("p", inc["match"].event_type, str(p["place_id"]), inc["date"]) for p in inc["places"]]
        for k in keys:
            if k in first_of:
                dsu.union(first_of[k], i)
            else:
                first_of[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(incidents)):
        groups.setdefault(dsu.find(i), []).append(i)

    rows: list[dict[str, Any]] = []
    for root in sorted(groups):
        members = [incidents[i] for i in groups[root]]
        rep = members[0]
        doc = docs[rep["di"]]
        doc_idx = sorted({m["di"] for m in members})
        places: dict[str, dict[str, Any]] = {}
        for m in members:
            for p in m["places"]:
                pid = str(p["place_id"])
                if pid not in places or _conf(p) > _conf(places[pid]):
                    places[pid] = p
        etype = rep["match"].event_type
        factor = STRENGTH_FACTOR[rep["match"].strength]
        eid = "ev-" + hashlib.sha1(f"{doc.doc_id}|{rep['s0']}|{etype}".encode()).hexdigest()[:12]
        snippet = " ".join(rep["sent"].split())
        if len(snippet) > _MAX_SNIPPET:
            snippet = snippet[: _MAX_SNIPPET - 1] + "…"
        for pid, p in places.items():
            rows.append(dict(
                event_id=eid,
                doc_id=doc.doc_id,
                date=rep["date"],
                date_precision=rep["date_precision"],
                event_type=etype,
                place_id=pid,
                name=_str(p.get("name")),
                name_ar=_str(p.get("name_ar")),
                feature_type=_str(p.get("feature_type")),
                precision=_str(p.get("precision")) or "exact",
                confidence=round(_conf(p) * factor, 3),
                geometry=p["geometry"],
                snippet=snippet,
                source=doc.source,
                url=doc.url,
                n_reports=len(doc_idx),
                doc_ids="|".join(docs[j].doc_id for j in doc_idx),
                date_source=rep["date_source"],
                keyword=rep["match"].keyword,
                lat=p["lat"],
                lon=p["lon"],
            ))

    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["n_reports"] = frame["n_reports"].astype("int64")
    for c in ("confidence", "lat", "lon"):
        frame[c] = frame[c].astype("float64")
    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    docs_with_places = len(per_doc)
    gdf.attrs[SUMMARY_KEY] = {
        "documents": len(docs),
        "documents_with_places": docs_with_places,
        "documents_without_places": len(docs) - docs_with_places,
        "documents_with_incidents": len(docs_with_incidents),
        "mentions": n_mentions,
        "resolved": n_resolved,
        "resolved_share": round(n_resolved / n_mentions, 4) if n_mentions else 0.0,
        "incidents": len(incidents),
        "events": len(groups),
        "rows": len(gdf),
    }
    return gdf


def _latlon(row: dict[str, Any], geom: Any) -> tuple[float, float]:
    """The mention's representative point: its lat/lon, else the geometry's centre."""
    lat, lon = row.get("lat"), row.get("lon")
    try:
        lat, lon = float(lat), float(lon)
        if lat == lat and lon == lon:
            return lat, lon
    except (TypeError, ValueError):
        pass
    c = geom if geom.geom_type == "Point" else geom.representative_point()
    return float(c.y), float(c.x)


def _conf(row: dict[str, Any]) -> float:
    c = row.get("confidence")
    try:
        c = float(c)
    except (TypeError, ValueError):
        return 1.0
    return c if c == c else 1.0


def _str(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v)
    return s or None


def summary(events: gpd.GeoDataFrame) -> dict[str, Any]:
    """The ``attrs`` summary of an events frame (empty dict when absent)."""
    return dict(events.attrs.get(SUMMARY_KEY, {}))


def format_summary(info: dict[str, Any], skipped: int | None = None) -> str:
    """Human-readable lines of an extraction summary."""
    lines = [f"documents read: {info.get('documents', 0)}"]
    if skipped is not None:
        lines[0] += f" (skipped: {skipped})"
    lines.append(f"documents without resolved places: {info.get('documents_without_places', 0)}")
    lines.append(f"mentions: {info.get('mentions', 0)}, resolved: {info.get('resolved', 0)} "
                 f"({100 * info.get('resolved_share', 0.0):.0f}%)")
    lines.append(f"incidents: {info.get('incidents', 0)}, events: {info.get('events', 0)} "
                 f"({info.get('rows', 0)} event-place rows)")
    return "\n".join(lines)
