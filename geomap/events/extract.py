"""Turn documents and their place mentions into an events GeoDataFrame.

An *incident* is a sentence's places of one event type: resolved ``place``
mentions (``container`` mentions are context and never become event
places), each typed by the words governing it
(:func:`geomap.events.lexicon.classify_places`: "غارات على مطار T-4 وقصف
مدفعي على منطقة السفيرة" is an airstrike incident at T-4 and a shelling
incident at al-Safira). A place with no event keyword is kept with type
``other`` (drop it with ``include_other=False``) and a lower confidence.

Dates: the most precise date expression of the sentence resolved against
the document's date (:func:`geomap.events.dates.sentence_date`), else the
document date (``date_source="document"``), else unknown.

Merging: incidents with the same normalised sentence, type and date (a
scraped article repeating its body, a wire story in several outlets), or
with the same event type, place and *day*, are one event; ``n_reports`` is
the number of distinct documents reporting it. The event keeps the first
report's snippet, document, source and url; ``doc_ids`` lists all.

Cost and scale: a document's sentences, mentions and keywords are walked
together in offset order (linear in the text and the mentions). The work
is done in two phases: per document (geoparse, sentences, types, dates),
by chunks of documents in process or in ``n_jobs`` worker processes
(:mod:`geomap._parallel`) or Dask partitions (:mod:`geomap.dask`); then
one merge of all incidents in input order, so the output does not depend
on how the documents were split.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, NoEventsWarning
from ..gazetteer.admin import ADMIN_COLUMNS, add_admin_columns, add_admin_records, ensure_admin_records
from .dates import SentenceDates
from .documents import Document
from .lexicon import STRENGTH_FACTOR, EventMatch, _classify_places_in, _Tokens, split_sentences

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

#: Columns of the events frame, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "doc_id", "date", "date_precision", "event_type", "place_id", "name",
    "name_ar", "feature_type", "precision", "confidence", "geometry", "snippet", "source",
    "url", "n_reports", "doc_ids", "date_source", "keyword", "lat", "lon", *ADMIN_COLUMNS,
)

#: Key of the summary dict in ``events.attrs``.
SUMMARY_KEY = "geomap_summary"

_MAX_SNIPPET = 600


def _mentions_for(docs: Sequence[Document], gazetteer: Any) -> tuple[list[dict[str, Any]], int]:
    """Mention records of ``docs`` (``doc`` = position in ``docs``) and their number."""
    try:
        from geomap import geoparse_many  # type: ignore[attr-defined]
        from geomap.geoparsing import parse
    except ImportError:
        raise InputError(
            "geomap.geoparse_many is not available yet; pass precomputed mentions with mentions="
        ) from None
    texts = [d.text for d in docs]
    if geoparse_many is not parse.geoparse_many:  # a stand-in: use its frame
        frame = geoparse_many(texts, gazetteer=gazetteer, n_jobs=1)
        return ensure_admin_records(frame.to_dict("records") if len(frame) else [], gazetteer), len(frame)
    # the project's geoparser: its rows as records, without building a frame to take apart
    from .._parallel import parser_for
    from ..geoparsing.overrides import apply_overrides, resolve_overrides

    rows, idx = parse._parse_rows(parser_for(gazetteer), enumerate(texts))
    rules = resolve_overrides("auto")
    gaz = parse._gazetteer(gazetteer)
    if rules:  # the user's corrections (geomap review): a frame is built only then
        frame = apply_overrides(parse._frame(rows, idx), texts, gaz,
                                sources=[d.source for d in docs], overrides=rules)
        return add_admin_columns(frame, gaz).to_dict("records"), len(rows)
    cols = parse.COLUMNS[:16]
    return add_admin_records([dict(zip(cols, r), doc=i) for r, i in zip(rows, idx)], gaz), len(rows)


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


def _place_rows(records: Iterable[dict[str, Any]]) -> tuple[dict[int, list[dict[str, Any]]], int]:
    """Resolved ``place`` mentions per document index (sorted by start), and the resolved count."""
    per_doc: dict[int, list[dict[str, Any]]] = {}
    n_resolved = 0
    for row in records:
        resolved = _is_true(row["resolved"]) if "resolved" in row else _is_true(row.get("place_id"))
        geom = _geom(row) if resolved else None
        if not resolved or geom is None:
            continue
        n_resolved += 1
        if str(row.get("role") or "place") != "place":
            continue
        row["geometry"] = geom
        row["lat"], row["lon"] = _latlon(row, geom)
        row["start"], row["end"] = int(row["start"]), int(row["end"])
        per_doc.setdefault(int(row["doc"]), []).append(row)
    for ms in per_doc.values():
        ms.sort(key=lambda r: r["start"])
    return per_doc, n_resolved


_PLACE_KEYS = ("place_id", "name", "name_ar", "feature_type", "precision", "geometry", "lat", "lon", *ADMIN_COLUMNS)


def _doc_incidents(di: int, doc: Document, ms: list[dict[str, Any]], include_other: bool) -> list[dict[str, Any]]:
    """Incidents of one document given its resolved place mentions sorted by start.

    Sentences and mentions are walked together in offset order, so the cost
    is linear in the text and the mentions. A sentence gives one incident per
    event type among its places (:func:`~geomap.events.lexicon.classify_places`).
    """
    text = doc.text
    out: list[dict[str, Any]] = []
    j, n = 0, len(ms)
    spans = split_sentences(text)
    dates = SentenceDates(text, spans, doc.date)
    toks_base, toks = -1, None
    for s0, s1 in spans:
        while j < n and ms[j]["start"] < s0:
            j += 1  # (a mention outside any sentence: punctuation only)
        k = j
        while k < n and ms[k]["start"] < s1:
            k += 1
        in_sent, j = ms[j:k], k
        if not in_sent:
            continue
        if any(str(r.get("precision")) != "country" for r in in_sent):
            # "strikes in Syria on al-Safira": the country is context, not a second place
            in_sent = [r for r in in_sent if str(r.get("precision")) != "country"]
        sent = text[s0:s1]
        nt, base = dates.block(s0, s1)
        if base != toks_base:  # the keywords of the block, once
            toks_base, toks = base, _Tokens(text, base, base + len(nt.original), nt, base, whole=False)
        # (a sentence with characters NFKC changes reads its own words)
        sent_toks = toks if toks.odd is None or not toks.odd.search(text, s0, s1) else _Tokens(text, s0, s1)
        matches = _classify_places_in(text, s0, s1, [(r["start"], r["end"]) for r in in_sent], sent_toks)
        by_type: dict[str, tuple[EventMatch, dict[str, dict[str, Any]]]] = {}
        for r, match in zip(in_sent, matches):
            if match is None:
                if not include_other:
                    continue
                match = EventMatch("other", None, "none")
            _, places = by_type.setdefault(match.event_type, (match, {}))
            pid = str(r["place_id"])
            if pid not in places or _conf(r) > _conf(places[pid]):
                places[pid] = r
        if not by_type:
            continue
        date, precision, date_source = dates(s0, s1)  # (same block)
        # the normalised sentence: its stretch of the normalised block (= normalize_ar(sent))
        offs = nt.offsets
        na, nb = (int(x) for x in np.searchsorted(offs[:-1], (s0 - base, s1 - base), "left"))
        key = hashlib.sha1(" ".join(nt.text[na:nb].split()).encode()).digest()
        snippet = " ".join(sent.split())
        if len(snippet) > _MAX_SNIPPET:
            snippet = snippet[: _MAX_SNIPPET - 1] + "…"
        for match, places in by_type.values():
            out.append(dict(
                di=di, s0=s0, snippet=snippet, key=key, match=match,
                date=date, date_precision=precision, date_source=date_source,
                places=[{c: p.get(c) for c in _PLACE_KEYS} | {"confidence": _conf(p)} for p in places.values()],
            ))
    return out


def _partial(docs: Sequence[Document], mentions: list[dict[str, Any]], n_mentions: int,
             include_other: bool) -> _Partial:
    """Phase 1 (per document, parallel-safe): incidents of ``docs`` with their mention records."""
    per_doc, n_resolved = _place_rows(mentions)
    part = _Partial(n_docs=len(docs), n_mentions=n_mentions, n_resolved=n_resolved,
                    docs_with_places=len(per_doc))
    for di in sorted(per_doc):
        incs = _doc_incidents(di, docs[di], per_doc[di], include_other)
        if incs:
            part.incidents.extend(incs)
            part.docs_with_incidents += 1
            part.meta[di] = (docs[di].doc_id, docs[di].source, docs[di].url)
    return part


def _events_chunk(gazetteer: Any, docs: list[Document], include_other: bool) -> _Partial:
    """Geoparse a chunk of documents and find their incidents (run in a worker or in process)."""
    return _partial(docs, *_mentions_for(docs, gazetteer), include_other)


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


def extract_events(
    documents: Iterable[Document],
    *,
    gazetteer: Any = None,
    mentions: pd.DataFrame | None = None,
    include_other: bool = True,
    n_jobs: int | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Extract incidents: one row per (incident, place).

    Parameters
    ----------
    documents : iterable of Document
        For example a :class:`~geomap.events.documents.DocumentSet`, or the
        lazy :func:`~geomap.events.documents.iter_documents`: without
        ``mentions`` it is read a chunk at a time and only the incidents are
        kept, so a corpus larger than memory flows through.
    gazetteer : optional
        Passed to ``geomap.geoparse_many`` when ``mentions`` is None.
    mentions : DataFrame, optional
        Precomputed mentions in the ``geoparse_many`` format: ``doc`` (index
        into ``documents``), ``start``, ``end``, ``place_id``, ``name``,
        ``name_ar``, ``feature_type``, ``precision``, ``confidence``,
        ``geometry`` or ``lat``/``lon``, ``resolved``, ``role``. Missing
        ``resolved`` means "has a place_id", missing ``role`` ``place``, missing P-codes are looked up.
    include_other : bool
        Keep places with no event keyword as type ``other``.
    n_jobs : int, optional
        Worker processes for geoparsing and the per-document work when
        ``mentions`` is None (default: all cores; 1 = in this process; small
        inputs stay in process, see :mod:`geomap._parallel`). Repeated
        reports are merged centrally afterwards, so the output is identical
        for every ``n_jobs``.
    progress : bool
        A tqdm progress bar over documents (stderr).

    Returns
    -------
    GeoDataFrame
        EPSG:4326, columns :data:`EVENT_COLUMNS`; ``date`` is datetime64
        (NaT when unknown); ``lat``/``lon`` is the place's representative
        point (the centre of a ``near`` circle, a point inside an area); then the
        OCHA P-codes and admin names of :data:`geomap.gazetteer.admin.ADMIN_COLUMNS`. ``attrs["geomap_summary"]`` counts documents
        read, documents with no resolved place, mentions, the resolved
        share, incidents and events.

    Warns
    -----
    NoEventsWarning
        When non-empty input gives no event.
    """
    import pandas as pd

    if mentions is None:
        part = _geoparse_partial(documents, gazetteer, include_other, n_jobs, progress)
    else:
        docs = list(documents)
        if not isinstance(mentions, pd.DataFrame):
            raise InputError(f"mentions must be a DataFrame, not {type(mentions).__name__}")
        if len(mentions):
            missing = {"doc", "start", "end", "place_id"} - set(mentions.columns)
            if missing:
                raise InputError(f"mentions lack column(s) {sorted(missing)}")
            bad = mentions["doc"][(mentions["doc"] < 0) | (mentions["doc"] >= len(docs))]
            if len(bad):
                raise InputError(f"mentions refer to document index {int(bad.iloc[0])}, "
                                 f"but there are {len(docs)} documents")
        records = ensure_admin_records(mentions.to_dict("records") if len(mentions) else [], gazetteer)
        part = _partial(docs, records, len(mentions), include_other)
    return events_frame(part)


def _geoparse_partial(documents: Iterable[Document], gazetteer: Any, include_other: bool,
                      n_jobs: int | None, progress: bool) -> _Partial:
    from .._parallel import chunks, run_chunks

    def size(d: Document) -> int:
        return len(d.text)

    bar = None
    if progress:
        import sys

        from tqdm import tqdm

        bar = tqdm(desc="geoparsing", unit="doc", file=sys.stderr,
                   total=len(documents) if hasattr(documents, "__len__") else None)

    def tick(chunk: list[Document], _r: Any) -> None:
        if bar is not None:
            bar.update(len(chunk))

    try:
        return _combine(run_chunks(_events_chunk, chunks(iter(documents), size), size, n_jobs, gazetteer,
                                   args=(include_other,), on_result=tick))
    finally:
        if bar is not None:
            bar.close()


def events_frame(part: _Partial) -> gpd.GeoDataFrame:
    """Phase 2 (global): merge repeated reports and build the events frame."""
    import geopandas as gpd
    import pandas as pd

    incidents = part.incidents
    dsu = _DSU(len(incidents))
    first_of: dict[tuple, int] = {}
    for i, inc in enumerate(incidents):
        etype = inc["match"].event_type
        keys: list[tuple] = [("s", inc["key"], etype, inc["date"])]
        if inc["date"] is not None and inc["date_precision"] == "day":
            keys += [("p", etype, str(p["place_id"]), inc["date"]) for p in inc["places"]]
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
        doc_id, source, url = part.meta[rep["di"]]
        doc_idx = sorted({m["di"] for m in members})
        places: dict[str, dict[str, Any]] = {}
        for m in members:
            for p in m["places"]:
                pid = str(p["place_id"])
                if pid not in places or p["confidence"] > places[pid]["confidence"]:
                    places[pid] = p
        etype = rep["match"].event_type
        factor = STRENGTH_FACTOR[rep["match"].strength]
        eid = "ev-" + hashlib.sha1(f"{doc_id}|{rep['s0']}|{etype}".encode()).hexdigest()[:12]
        for pid, p in places.items():
            rows.append(dict(
                event_id=eid,
                doc_id=doc_id,
                date=rep["date"],
                date_precision=rep["date_precision"],
                event_type=etype,
                place_id=pid,
                name=_str(p.get("name")),
                name_ar=_str(p.get("name_ar")),
                feature_type=_str(p.get("feature_type")),
                precision=_str(p.get("precision")) or "exact",
                confidence=round(p["confidence"] * factor, 3),
                geometry=p["geometry"],
                snippet=rep["snippet"],
                source=source,
                url=url,
                n_reports=len(doc_idx),
                doc_ids="|".join(part.meta[j][0] for j in doc_idx),
                date_source=rep["date_source"],
                keyword=rep["match"].keyword,
                lat=p["lat"],
                lon=p["lon"],
                **{c: p.get(c) for c in ADMIN_COLUMNS},
            ))

    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["n_reports"] = frame["n_reports"].astype("int64")
    for c in ("confidence", "lat", "lon"):
        frame[c] = frame[c].astype("float64")
    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    gdf.attrs[SUMMARY_KEY] = {
        "documents": part.n_docs,
        "documents_with_places": part.docs_with_places,
        "documents_without_places": part.n_docs - part.docs_with_places,
        "documents_with_incidents": part.docs_with_incidents,
        "mentions": part.n_mentions,
        "resolved": part.n_resolved,
        "resolved_share": round(part.n_resolved / part.n_mentions, 4) if part.n_mentions else 0.0,
        "incidents": len(incidents),
        "events": len(groups),
        "rows": len(gdf),
    }
    if part.n_docs and not len(gdf):
        warnings.warn(
            f"no events found in {part.n_docs} document(s) ({part.n_mentions} place mentions, "
            f"{part.n_resolved} resolved)", NoEventsWarning, stacklevel=3)
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
