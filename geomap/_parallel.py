"""Process-pool map over chunks of documents (the ``n_jobs`` of the pipeline).

``geoparse_many``, ``extract_events`` and the CLI run their per-document work
through :func:`run_chunks`:

* ``n_jobs``: ``None`` or ``-1`` means all cores (``joblib.cpu_count()``),
  ``1`` means in this process, ``k > 1`` means ``k`` worker processes.
* The input is read lazily and cut into chunks of about
  :data:`CHUNK_CHARS` characters (a longer document is a chunk of its own),
  so a corpus larger than memory flows through.
* **Small inputs stay in process.** The first :data:`PARALLEL_MIN_CHARS`
  characters are read ahead; when the input ends before that, the pool is not
  started: starting workers and loading the gazetteer in each (0.2 s for the
  default, about 1 s for the full one) costs more than parsing 1 MB (about
  0.3 s at 3 MB/s).
* Each worker gets the gazetteer *once*: a task carries only its name
  (``"default"``, ``"full"``) or a file path, and the worker loads it through
  the process-wide cache of :func:`geomap.load_gazetteer`; the loky workers
  are reused across calls, so a second call loads nothing. A
  :class:`~geomap.gazetteer.store.Gazetteer` object is passed by the name it
  was loaded under, or saved once to a temporary file for the call.
* Results come back in input order, so the output is identical to
  ``n_jobs=1``.

The pool is joblib's loky backend: worker reuse, clean handling of a worker
that dies, and ordered lazy results (``return_as="generator"``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from itertools import chain
from typing import Any, TypeVar

from geomap.errors import InputError

#: Inputs shorter than this (characters of text) are processed in process.
PARALLEL_MIN_CHARS = 1_000_000
#: Target characters of text per chunk sent to a worker.
CHUNK_CHARS = 256_000

T = TypeVar("T")
R = TypeVar("R")


def resolve_n_jobs(n_jobs: int | None) -> int:
    """Number of processes for ``n_jobs`` (None or -1: all cores)."""
    if n_jobs is None or n_jobs == -1:
        import joblib

        return max(1, int(joblib.cpu_count()))
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise InputError(f"n_jobs must be a positive int, -1 or None (all cores), not {n_jobs!r}")
    return n_jobs


def gazetteer_spec(gazetteer: Any, stack: ExitStack) -> str:
    """A name or path a worker can load ``gazetteer`` from with ``load_gazetteer``."""
    if gazetteer is None:
        return "default"
    if isinstance(gazetteer, (str, os.PathLike)):
        return os.fspath(gazetteer)
    from geomap.gazetteer import load

    with load._LOCK:
        for key, gaz in load._CACHE.items():
            if gaz is gazetteer and "|" not in key:  # ("default|<user files>": not a loadable name)
                return key
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="geomap-gaz-"))
    return str(gazetteer.save(os.path.join(tmp, "gazetteer.json.gz")))


def chunks(items: Iterable[T], size: Callable[[T], int], chunk_chars: int | None = None) -> Iterator[list[T]]:
    """Consecutive lists of ``items`` of about ``chunk_chars`` (by ``size``; default :data:`CHUNK_CHARS`)."""
    if chunk_chars is None:
        chunk_chars = CHUNK_CHARS
    chunk: list[T] = []
    total = 0
    for item in items:
        chunk.append(item)
        total += size(item)
        if total >= chunk_chars:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def run_chunks(
    func: Callable[..., R],
    chunked: Iterator[list[T]],
    size: Callable[[T], int],
    n_jobs: int | None,
    gazetteer: Any,
    args: tuple = (),
    on_result: Callable[[list[T], R], None] | None = None,
    local: Callable[[], Any] | None = None,
) -> Iterator[R]:
    """``func(gazetteer, chunk, *args)`` for each chunk, in order.

    In process when ``n_jobs`` resolves to 1 or the input is shorter than
    :data:`PARALLEL_MIN_CHARS`: ``func`` then gets ``local()`` (state made
    once for the call, such as a parser) or else ``gazetteer`` as given.
    Else in a loky pool, where ``func`` gets the gazetteer's name or path
    (:func:`gazetteer_spec`). ``on_result(chunk, result)`` is called as
    results arrive (for progress bars).
    """
    n = resolve_n_jobs(n_jobs)
    lead: list[list[T]] = []
    if n > 1:
        seen = 0
        for c in chunked:
            lead.append(c)
            seen += sum(size(x) for x in c)
            if seen >= PARALLEL_MIN_CHARS:
                break
        else:
            n = 1  # the whole input is small: stay in process
    todo = chain(lead, chunked)
    if n == 1:
        state = local() if local is not None else gazetteer
        for c in todo:
            r = func(state, c, *args)
            if on_result is not None:
                on_result(c, r)
            yield r
        return
    from joblib import Parallel, delayed

    with ExitStack() as stack:
        spec = gazetteer_spec(gazetteer, stack)
        pending: list[list[T]] = []

        def tasks() -> Iterator[Any]:
            for c in todo:
                pending.append(c)
                yield delayed(func)(spec, c, *args)

        for r in Parallel(n_jobs=n, backend="loky", return_as="generator", pre_dispatch="2*n_jobs")(tasks()):
            c = pending.pop(0)
            if on_result is not None:
                on_result(c, r)
            yield r


_PARSERS: dict[str, Any] = {}


def parser_for(gazetteer: Any) -> Any:
    """A geoparsing ``Parser``: ``gazetteer`` itself when it is one, else one per name/path per process.

    Workers keep theirs across tasks and calls, so the gazetteer is loaded
    and the matcher built once per worker.
    """
    from geomap.geoparsing.pipeline import Parser, gazetteer_of

    if isinstance(gazetteer, Parser):
        return gazetteer
    if isinstance(gazetteer, (str, os.PathLike)):
        key = os.fspath(gazetteer)
        gaz = gazetteer_of(key)  # (load_gazetteer's process cache)
        p = _PARSERS.get(key)
        if p is None or p.gaz is not gaz:
            p = _PARSERS[key] = Parser(gaz)
        return p
    return Parser(gazetteer_of(gazetteer))


def _fresh_parser(gazetteer: Any) -> Any:
    from geomap.geoparsing.pipeline import Parser, gazetteer_of

    return Parser(gazetteer_of(gazetteer))


def _geoparse_chunk(gazetteer: Any, items: list[tuple[int, str]]) -> tuple[list[tuple], list[int]]:
    from geomap.geoparsing.pipeline import parse_rows

    return parse_rows(parser_for(gazetteer), items)


def _text_size(item: tuple[int, Any]) -> int:
    text = item[1]
    if not isinstance(text, str):
        raise TypeError(f"texts[{item[0]}] must be str, not {type(text).__name__}")
    return len(text)


def geoparse_rows(texts: Iterable[str], gazetteer: Any, n_jobs: int | None) -> tuple[list[tuple], list[int]]:
    """Mention rows and doc indexes of ``texts`` (``geoparse_many``'s engine)."""
    rows: list[tuple] = []
    docs: list[int] = []
    items = enumerate(texts)
    for r, d in run_chunks(_geoparse_chunk, chunks(items, _text_size), _text_size, n_jobs, gazetteer,
                           local=lambda: _fresh_parser(gazetteer)):
        rows.extend(r)
        docs.extend(d)
    return rows, docs
