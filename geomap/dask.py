"""The pipeline on a Dask cluster: ``geoparse_dask`` and ``extract_events_dask``.

Needs the optional extra ``pip install 'geomap[dask]'`` (dask, distributed,
dask-geopandas) on the client *and on every worker*, with the same gazetteer
available on each worker: ``"default"`` is derived from installed packages
and cached in each worker's data directory (``GEOMAP_DATA_DIR``) at first
use; ``"full"`` must have been built there (``geomap gazetteer build``); a
path must exist on every worker.

Tasks carry the gazetteer's *name or path*, never the gazetteer itself; each
worker process loads it once through the process-wide cache of
:func:`geomap.load_gazetteer` (a module-level cached loader), so every later
partition on that worker reuses it.

Input: a ``dask.dataframe.DataFrame`` with a text column (and optionally
``id``, ``date``, ``source``, ``url``, ``title``), or a ``dask.bag.Bag`` of
:class:`~geomap.events.documents.Document`, dicts with those keys, or str.
A document without an id is named by its index label (data frames) or
``"<partition>:<position>"`` (bags).

Per-document work (geoparsing, sentences, event types, dates) runs in the
partitions; merging repeated reports (``n_reports``) needs every incident,
so it runs once, in one final task, on the per-partition incidents, exactly
as :func:`geomap.extract_events` does: the result equals the serial run
(rows, order, values). The merged events are one partition.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import dask_geopandas

    from geomap.events.documents import Document

_COLS = ("id", "date", "source", "url", "title")


def _require() -> None:
    try:
        import dask  # noqa: F401
        import dask_geopandas  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"geomap.dask needs the dask extra: pip install 'geomap[dask]' ({e})") from None


def _keep_dtypes() -> Any:
    """Keep geomap's column dtypes: no conversion of text columns to pyarrow strings.

    Dask converts object and string columns when a collection is made; the
    frames would then differ from the serial ones in dtype.
    """
    import dask

    return dask.config.set({"dataframe.convert-string": False})


def _spec(gazetteer: Any) -> str:
    if gazetteer is None:
        return "default"
    if isinstance(gazetteer, (str, os.PathLike)):
        return os.fspath(gazetteer)
    raise InputError("on a Dask cluster pass the gazetteer by name ('default', 'full') or by a path "
                     "every worker can read, not as an object")


def _to_documents(part: Any, text_col: str, pi: int) -> list[Document]:
    """The documents of one partition (a pandas frame or a list of items)."""
    from geomap.events.dates import parse_date_value
    from geomap.events.documents import Document

    def clean(v: Any) -> str | None:
        if v is None or (isinstance(v, float) and v != v):
            return None
        s = str(v).strip()
        return s or None

    def from_mapping(row: Any, default_id: str) -> Document:
        text = row.get(text_col)
        if not isinstance(text, str):
            raise InputError(f"document {default_id}: {text_col!r} is not text ({type(text).__name__})")
        return Document(doc_id=clean(row.get("id")) or default_id, text=text,
                        title=clean(row.get("title")), date=parse_date_value(row.get("date")),
                        source=clean(row.get("source")), url=clean(row.get("url")))

    if hasattr(part, "to_dict") and hasattr(part, "columns"):
        if text_col not in part.columns:
            raise InputError(f"no {text_col!r} column (columns: {', '.join(map(str, part.columns))})")
        keep = [c for c in (text_col, *_COLS) if c in part.columns]
        return [from_mapping(row, str(label)) for label, row in zip(part.index, part[keep].to_dict("records"))]
    out = []
    for i, item in enumerate(part):
        if isinstance(item, Document):
            out.append(item)
        elif isinstance(item, str):
            out.append(Document(doc_id=f"{pi}:{i}", text=item))
        elif isinstance(item, dict):
            out.append(from_mapping(item, f"{pi}:{i}"))
        else:
            raise InputError(f"a bag of documents holds Document, dict or str, not {type(item).__name__}")
    return out


def _partition_incidents(part: Any, gazetteer: str, include_other: bool, text_col: str, pi: int) -> Any:
    from geomap.events.extract import _events_chunk

    return _events_chunk(gazetteer, _to_documents(part, text_col, pi), include_other)


def _merge(parts: list[Any]) -> Any:
    from geomap.events.extract import _combine, events_frame

    return events_frame(_combine(parts))


def _partitions(docs: Any) -> list[Any]:
    import dask.bag as db
    import dask.dataframe as dd

    if isinstance(docs, (dd.DataFrame, db.Bag)):
        return list(docs.to_delayed())
    raise InputError(f"expected a dask DataFrame or Bag of documents, not {type(docs).__name__}")


def events_meta() -> Any:
    """An empty events frame: the ``meta`` of :func:`extract_events_dask`."""
    from geomap.events.extract import _Partial, events_frame

    return events_frame(_Partial())


def extract_events_dask(
    docs: Any,
    *,
    gazetteer: str | os.PathLike[str] | None = "default",
    include_other: bool = True,
    text_col: str = "text",
) -> dask_geopandas.GeoDataFrame:
    """:func:`geomap.extract_events` over the partitions of a Dask collection.

    Parameters
    ----------
    docs : dask.dataframe.DataFrame or dask.bag.Bag
        Documents (see the module notes for the accepted forms).
    gazetteer : str or path
        ``"default"``, ``"full"`` or a path readable on every worker.
    include_other : bool
        Keep places with no event keyword as type ``other``.
    text_col : str
        The text column (data frames) or key (dicts).

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy; one partition with the columns and dtypes of
        :data:`geomap.events.EVENT_COLUMNS`. ``.compute()`` equals
        ``extract_events`` on the same documents in the same order.
    """
    _require()
    import dask
    import dask.dataframe as dd

    spec = _spec(gazetteer)
    parts = [dask.delayed(_partition_incidents)(p, spec, include_other, text_col, i)
             for i, p in enumerate(_partitions(docs))]
    merged = dask.delayed(_merge)(parts)
    with _keep_dtypes():
        return dd.from_delayed([merged], meta=events_meta(), verify_meta=False)


def _partition_mentions(part: Any, gazetteer: str, text_col: str, pi: int, offset: int) -> Any:
    from geomap.geoparsing.parse import geoparse_many

    docs = _to_documents(part, text_col, pi)
    frame = geoparse_many([d.text for d in docs], gazetteer=gazetteer, n_jobs=1)
    frame["doc"] = frame["doc"] + offset
    return frame


def _length(part: Any) -> int:
    return len(part)


def _offsets(lengths: list[int]) -> list[int]:
    out, total = [], 0
    for n in lengths:
        out.append(total)
        total += n
    return out


def mentions_meta() -> Any:
    """An empty mentions frame: the ``meta`` of :func:`geoparse_dask`."""
    from geomap.gazetteer.admin import add_admin_columns
    from geomap.geoparsing.rows import frame

    return add_admin_columns(frame([], []), None)


def geoparse_dask(
    docs: Any,
    *,
    gazetteer: str | os.PathLike[str] | None = "default",
    text_col: str = "text",
) -> dask_geopandas.GeoDataFrame:
    """:func:`geomap.geoparse_many` over the partitions of a Dask collection.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy, one partition per input partition, the columns of
        ``geoparse_many``; ``doc`` is the document's position in the whole
        collection, so ``.compute().reset_index(drop=True)`` equals
        ``geoparse_many`` on the texts in order (each partition's index starts
        at 0).
    """
    _require()
    import dask
    import dask.dataframe as dd

    spec = _spec(gazetteer)
    parts = _partitions(docs)
    # each partition's first document's position: from the partitions' lengths (small results),
    # so that the mention frames travel only once, to the caller
    offsets = dask.delayed(_offsets)([dask.delayed(_length)(p) for p in parts])
    frames = [dask.delayed(_partition_mentions)(p, spec, text_col, i, offsets[i]) for i, p in enumerate(parts)]
    with _keep_dtypes():
        return dd.from_delayed(frames, meta=mentions_meta(), verify_meta=False)


def client_for(address: str, n_workers: int | None = None) -> Any:
    """A ``distributed.Client``: ``"local"`` starts a LocalCluster of processes, else the scheduler address."""
    _require()
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1)
        client = Client(cluster)
        client._geomap_cluster = cluster  # closed with the client by the caller
        return client
    return Client(address)


__all__ = ["client_for", "events_meta", "extract_events_dask", "geoparse_dask", "mentions_meta"]
