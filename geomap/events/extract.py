"""Turn documents and their place mentions into an events GeoDataFrame.

An *incident* is what an analyst codes: where it happened (its target
places; context places such as containers, origins, the reference point of
a direction or a dateline keep a ``role`` and are left out by default), its
type and ACLED sub-type, ``actor1``/``actor2`` and casualties
(:mod:`geomap.events.incidents`). A post about one strike gives one
incident, however many sentences retell it; incidents of other types or at
distant places stay apart. A document with places but no event keyword
gives one incident of type ``other`` (drop it with ``include_other=False``).

Dates: the most precise date expression of the sentence resolved against
the document's date (:func:`geomap.events.dates.sentence_date`), else the
document date (``date_source="document"``), else unknown.

Merging: incidents with the same normalised sentence, type and date (a
scraped article repeating its body, a wire story in several outlets), or
with the same event type, place and *day*, are one event; ``n_reports`` is
the number of distinct documents reporting it. The event keeps the first
report's snippet, document, source and url; ``doc_ids`` lists all; the
highest casualty counts a report gave and the first stated actors.

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
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NoEventsWarning
from ..gazetteer.admin import ADMIN_COLUMNS
from .casualties import Casualties
from .documents import Document
from .incidents import doc_incidents
from .lexicon import STRENGTH_FACTOR, sub_event_type
from .partial import _DSU, _combine, _geom, _is_true, _Partial, _records, ensure_admin_records

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

#: Columns of the events frame, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "doc_id", "date", "date_precision", "event_type", "place_id", "name",
    "name_ar", "feature_type", "precision", "confidence", "geometry", "snippet", "source",
    "url", "n_reports", "doc_ids", "date_source", "keyword", "lat", "lon", *ADMIN_COLUMNS,
    "sub_event_type", "actor1", "actor2", "fatalities", "injured", "casualty_text", "civilians",
    "role", "mention",
)

#: The columns added for incidents as analysts code them (actors, casualties, the place's role).
INCIDENT_COLUMNS = EVENT_COLUMNS[EVENT_COLUMNS.index("sub_event_type"):]

#: Key of the summary dict in ``events.attrs``.
SUMMARY_KEY = "geomap_summary"


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

    from ..geoparsing import pipeline

    rows, idx = pipeline.parse_rows(parser_for(gazetteer), enumerate(texts))
    return _records(rows, idx, docs, gazetteer)


def _place_rows(records: Iterable[dict[str, Any]]) -> tuple[dict[int, list[dict[str, Any]]], int]:
    """Resolved mentions (any role) per document index (sorted by start), and the resolved count."""
    per_doc: dict[int, list[dict[str, Any]]] = {}
    n_resolved = 0
    for row in records:
        resolved = _is_true(row["resolved"]) if "resolved" in row else _is_true(row.get("place_id"))
        geom = _geom(row) if resolved else None
        if not resolved or geom is None:
            continue
        n_resolved += 1
        row["geometry"] = geom
        row["lat"], row["lon"] = _latlon(row, geom)
        row["start"], row["end"] = int(row["start"]), int(row["end"])
        per_doc.setdefault(int(row["doc"]), []).append(row)
    for ms in per_doc.values():
        ms.sort(key=lambda r: r["start"])
    return per_doc, n_resolved


def _partial(docs: Sequence[Document], mentions: list[dict[str, Any]], n_mentions: int,
             include_other: bool) -> _Partial:
    """Phase 1 (per document, parallel-safe): incidents of ``docs`` with their mention records."""
    per_doc, n_resolved = _place_rows(mentions)
    part = _Partial(n_docs=len(docs), n_mentions=n_mentions, n_resolved=n_resolved,
                    docs_with_places=len(per_doc))
    for di in sorted(per_doc):
        incs = doc_incidents(di, docs[di], per_doc[di], include_other)
        if incs:
            part.incidents.extend(incs)
            part.docs_with_incidents += 1
            part.meta[di] = (docs[di].doc_id, docs[di].source, docs[di].url)
    return part


def _events_chunk(gazetteer: Any, docs: list[Document], include_other: bool) -> _Partial:
    """Geoparse a chunk of documents and find their incidents (a Dask partition)."""
    return _partial(docs, *_mentions_for(docs, gazetteer), include_other)


def _pool_chunk(gazetteer: Any, items: list[Any], include_other: bool) -> list[Any]:
    """Geoparse a chunk and find its incidents (in a worker or in process): a
    :class:`_Partial` per run of whole documents, and the rows of each piece of a large
    document (its incidents are found when its pieces meet again, in :func:`_assemble`)."""
    from .._parallel import Piece, parser_for

    out: list[Any] = []
    run: list[Document] = []
    for item in [*items, None]:
        if isinstance(item, Document):
            run.append(item)
            continue
        if run:
            out.append(_partial(run, *_mentions_for(run, gazetteer), include_other))
            run = []
        if not isinstance(item, Piece):
            continue
        # a piece's rows come back and the document's incidents are found once it is whole: an
        # incident gathers the sentences of the whole post that retell it (and an override's
        # context words are the whole document's)
        out.append(item.rows(parser_for(gazetteer)))
    return out


def _assemble(pairs: Iterable[tuple[list[Any], list[Any]]], gazetteer: Any, include_other: bool
              ) -> Iterable[_Partial]:
    """Partials in input order from ``(chunk result, chunk)`` pairs. A large document's
    pieces meet again here: their rows are joined and the document's incidents found in
    process, so the output is that of the whole document (whose parse is piecewise anyway)."""
    from .._parallel import Piece

    rows: list[tuple] = []
    for got, chunk in pairs:
        pieces = iter([x for x in chunk if isinstance(x, Piece)])
        for r in got:
            if isinstance(r, _Partial):
                yield r
                continue
            piece = next(pieces)
            rows.extend(r)
            if piece.last:
                yield _partial([piece.whole], *_records(rows, [0] * len(rows), [piece.whole], gazetteer),
                               include_other)
                rows = []


def extract_events(
    documents: Iterable[Document],
    *,
    gazetteer: Any = None,
    mentions: pd.DataFrame | None = None,
    include_other: bool = True,
    context: bool = False,
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
        A document with places but no event keyword gives one incident of type ``other``.
    context : bool
        Also give the incidents' context places (a container, an origin, the reference point
        of a direction, a dateline: ``role`` says which); by default only the places where
        incidents happened (``role="target"``).
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
    return events_frame(part, context)


def _geoparse_partial(documents: Iterable[Document], gazetteer: Any, include_other: bool,
                      n_jobs: int | None, progress: bool) -> _Partial:
    from .._parallel import Piece, chunks, run_chunks, split_large

    def size(d: Any) -> int:
        return len(d.text)

    bar = None
    if progress:
        import sys

        from tqdm import tqdm

        bar = tqdm(desc="geoparsing", unit="doc", file=sys.stderr,
                   total=len(documents) if hasattr(documents, "__len__") else None)

    def tick(chunk: list[Any], _r: Any) -> None:
        if bar is not None:
            bar.update(sum(1 for d in chunk if not isinstance(d, Piece) or d.last))

    sent: list[list[Any]] = []  # chunks handed to the pool, to pair each result with its chunk

    def tracked() -> Iterable[list[Any]]:
        for c in chunks(split_large(iter(documents)), size):
            sent.append(c)
            yield c

    def pairs() -> Iterable[tuple[list[Any], list[Any]]]:
        for r in run_chunks(_pool_chunk, tracked(), size, n_jobs, gazetteer, args=(include_other,),
                            on_result=tick):
            yield r, sent.pop(0)

    try:
        return _combine(_assemble(pairs(), gazetteer, include_other))
    finally:
        if bar is not None:
            bar.close()


def events_frame(part: _Partial, context: bool = False) -> gpd.GeoDataFrame:
    """Phase 2 (global): merge repeated reports and build the events frame.

    ``context``: keep the incidents' context places (rows whose ``role`` is not ``target``).
    """
    import geopandas as gpd
    import pandas as pd

    incidents = part.incidents
    dsu = _DSU(len(incidents))
    first_of: dict[tuple, int] = {}
    for i, inc in enumerate(incidents):
        etype = inc["match"].event_type
        keys: list[tuple] = [("s", inc["key"], etype, inc["date"])]
        if inc["date"] is not None and inc["date_precision"] == "day":
            keys += [("p", etype, str(p["place_id"]), inc["date"]) for p in inc["places"]
                     if p["role"] == "target"]
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
        cas, actor1, actor2 = Casualties(), None, None
        for m in members:
            cas = cas.merge(m["casualties"])  # the highest count a source reported
            actor1, actor2 = actor1 or m["actor1"], actor2 or m["actor2"]
            for p in m["places"]:
                pid = str(p["place_id"])
                q = places.get(pid)
                if q is None or ((p["role"] == "target", p["confidence"]) > (q["role"] == "target", q["confidence"])):
                    places[pid] = p
        if not context:
            places = {k: p for k, p in places.items() if p["role"] == "target"}
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
                sub_event_type=sub_event_type(etype, rep["match"].keyword),
                actor1=actor1,
                actor2=actor2,
                fatalities=cas.fatalities,
                injured=cas.injured,
                casualty_text=cas.text,
                civilians=cas.civilians,
                role=p["role"],
                mention=_str(p.get("mention")),
            ))

    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["n_reports"] = frame["n_reports"].astype("int64")
    for c in ("confidence", "lat", "lon"):
        frame[c] = frame[c].astype("float64")
    for c in ("fatalities", "injured"):
        frame[c] = frame[c].astype("Int64")
    frame["civilians"] = frame["civilians"].astype("bool")
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
