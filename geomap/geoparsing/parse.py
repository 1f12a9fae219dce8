"""``geoparse`` / ``geoparse_many``: place mentions of a text, resolved.

The stages are in :mod:`geomap.geoparsing.pipeline` (normalise → recognise →
cues → candidates → context → rank → rows); this module is the public entry:
argument checks, the worker pool of :mod:`geomap._parallel` for many texts,
the frame (:func:`geomap.geoparsing.rows.frame`) and the user's overrides.
Mentions that cannot be resolved stay, with ``resolved=False`` and a
``reason``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.gazetteer.admin import ADMIN_COLUMNS, add_admin_columns
from geomap.gazetteer.store import Gazetteer
from geomap.geoparsing.overrides import apply_overrides
from geomap.geoparsing.pipeline import Parser, coerce_text, gazetteer_of
from geomap.geoparsing.rows import COLUMNS as ROW_FRAME_COLUMNS, frame

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["COLUMNS", "geoparse", "geoparse_many"]

#: Columns of a geoparse frame, in order (``geoparse_many`` adds ``doc`` first): the rows
#: stage's, then the OCHA P-codes and admin names of the place (:mod:`geomap.gazetteer.admin`).
COLUMNS: tuple[str, ...] = (*ROW_FRAME_COLUMNS, *ADMIN_COLUMNS)


def geoparse(text: str, *, gazetteer: Gazetteer | str | None = None,
             lang: str | None = None, overrides: Any = "auto") -> geopandas.GeoDataFrame:
    """Find and resolve the place mentions of one text.

    Parameters
    ----------
    text : str
        Arabic and/or English text.
    gazetteer : Gazetteer or str, optional
        A gazetteer or a source for :func:`geomap.load_gazetteer` (default
        ``"default"``).
    lang : str, optional
        ``"ar"``, ``"en"`` or None (both; the matcher reads either script).
    overrides : "auto", path, list or None
        The user's corrections (:mod:`geomap.geoparsing.overrides`); ``"auto"``
        reads the user's overrides file, None applies none.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per mention in text order, columns :data:`COLUMNS` (``override``:
        the correction applied, else ""; then the OCHA P-codes and admin names of
        :data:`geomap.gazetteer.admin.ADMIN_COLUMNS`), EPSG:4326.
    """
    text = coerce_text(text)
    if lang not in (None, "ar", "en"):
        raise InputError(f"lang must be 'ar', 'en' or None, not {lang!r}")
    gaz = gazetteer_of(gazetteer)
    parser = Parser(gaz)
    return add_admin_columns(apply_overrides(frame(parser.parse(text)), [text], gaz, overrides=overrides), gaz)


def geoparse_many(texts: Iterable[str], *, gazetteer: Gazetteer | str | None = None,
                  lang: str | None = None, n_jobs: int | None = None, overrides: Any = "auto",
                  sources: Sequence[str | None] | None = None) -> geopandas.GeoDataFrame:
    """:func:`geoparse` over many texts into one frame with a ``doc`` column.

    ``doc`` is the position of the text in ``texts``. One frame is built for
    the whole corpus, and short texts are normalised together in batches
    (with the results of one at a time), so small documents cost little each.

    ``n_jobs`` worker processes (default: all cores; 1 = in this process)
    parse chunks of texts; the output is identical to ``n_jobs=1`` and in
    input order. Inputs under :data:`geomap._parallel.PARALLEL_MIN_CHARS`
    characters stay in process (see :mod:`geomap._parallel`). ``texts`` may
    be a lazy iterator: it is read a chunk at a time (unless an override
    names context words, which need the texts kept).

    ``overrides`` and ``sources`` (one per text): as in :func:`geoparse`; an
    override that names a document source applies to the texts of that source.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of str, not a single str (use geoparse)")
    if lang not in (None, "ar", "en"):
        raise InputError(f"lang must be 'ar', 'en' or None, not {lang!r}")
    from geomap._parallel import geoparse_rows
    from geomap.geoparsing.overrides import resolve_overrides

    rules = resolve_overrides(overrides)
    if rules and any(o.context for o in rules) and not isinstance(texts, Sequence):
        texts = list(texts)
    rows, docs = geoparse_rows(texts, gazetteer, n_jobs)
    kept = texts if isinstance(texts, Sequence) else []
    gaz = gazetteer_of(gazetteer)
    return add_admin_columns(apply_overrides(frame(rows, docs), kept, gaz, sources=sources, overrides=rules), gaz)
