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
* **One large document is cut into pieces.** The geoparser reads a text
  longer than its ``CHUNK_CHARS`` (1M characters) in pieces cut at line
  breaks anyway (:meth:`~geomap.geoparsing.parse.Parser.parse`); those same
  pieces (:class:`Piece`, with their offsets) go to the pool as tasks of their
  own, so a 31 MB file keeps every worker busy and its rows are those of
  ``n_jobs=1``. (``extract_events`` finds a piece's incidents in the worker
  when every cut is at a line break, sentences then never spanning two
  pieces; else it finds them on the reassembled document in process.)
* **No worker without work**: the pool is not started for a single chunk,
  and never has more workers than the chunks of an input read to its end.
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
from dataclasses import dataclass, field
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

    In process when ``n_jobs`` resolves to 1, the input is shorter than
    :data:`PARALLEL_MIN_CHARS` or it is a single chunk: ``func`` then gets ``local()`` (state made
    once for the call, such as a parser) or else ``gazetteer`` as given.
    Else in a loky pool of at most as many workers as chunks, where ``func`` gets the gazetteer's name or path
    (:func:`gazetteer_spec`). ``on_result(chunk, result)`` is called as
    results arrive (for progress bars).
    """
    n = resolve_n_jobs(n_jobs)
    lead: list[list[T]] = []
    if n > 1:
        seen, ended = 0, True
        for c in chunked:
            lead.append(c)
            seen += sum(size(x) for x in c)
            if seen >= PARALLEL_MIN_CHARS and len(lead) >= n:
                ended = False
                break
        if ended:  # the whole input is read: small, it stays in process; else a worker per chunk at most
            n = 1 if seen < PARALLEL_MIN_CHARS else min(n, len(lead))
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


@dataclass(frozen=True)
class Piece:
    """A piece of a document longer than the geoparser's ``CHUNK_CHARS``: ``doc``
    (a Document without its text, or a text's index), the offset ``base`` of
    ``text`` in it, whether it is the ``last`` piece, and whether every cut of
    the document falls after a line break (``at_lines``: then no sentence spans
    two pieces). ``whole`` is the whole document, kept in this process only."""

    doc: Any
    base: int
    text: str
    last: bool
    at_lines: bool = False
    whole: Any = field(default=None, compare=False, repr=False)

    def __reduce__(self) -> tuple:  # a worker gets the piece, not the whole document again
        return (Piece, (self.doc, self.base, self.text, self.last, self.at_lines))

    def rows(self, parser: Any) -> list[tuple]:
        """The geoparser's rows of the piece, offsets in the whole document."""
        b = self.base
        return [(r[0], r[1] + b, r[2] + b, *r[3:]) for r in parser.parse(self.text)]


def _pieces(doc: Any, text: str, light: Any = None) -> Iterator[Any]:
    try:
        from geomap.geoparsing import pipeline
    except ImportError:  # no geoparser in this build: extract_events says what to pass instead
        yield None
        return
    if len(text) <= pipeline.CHUNK_CHARS:
        yield None
        return
    got = list(pipeline.chunks(text, pipeline.CHUNK_CHARS))  # (the cuts Parser.parse makes)
    at_lines = all(text[base - 1] == "\n" for base, _ in got[1:])
    for k, (base, piece) in enumerate(got):
        yield Piece(doc if light is None else light, base, piece, k == len(got) - 1, at_lines, doc)


def split_large(docs: Iterable[Any]) -> Iterator[Any]:
    """Documents as they come, a long one as its :class:`Piece` s."""
    import dataclasses

    for d in docs:
        light = dataclasses.replace(d, text="") if len(d.text) > 1_000 else d
        for piece in _pieces(d, d.text, light):
            yield d if piece is None else piece


def _geoparse_chunk(gazetteer: Any, items: list[Any]) -> tuple[list[tuple], list[int]]:
    from geomap.geoparsing.pipeline import parse_rows

    parser = parser_for(gazetteer)
    rows: list[tuple] = []
    docs: list[int] = []
    run: list[tuple[int, str]] = []
    for item in [*items, None]:
        if isinstance(item, tuple):
            run.append(item)
            continue
        if run:
            r, d = parse_rows(parser, run)
            rows.extend(r)
            docs.extend(d)
            run = []
        if isinstance(item, Piece):
            r = item.rows(parser)
            rows.extend(r)
            docs.extend([item.doc] * len(r))
    return rows, docs


def _text_size(item: Any) -> int:
    return len(item.text) if isinstance(item, Piece) else len(item[1])


def _texts(texts: Iterable[str]) -> Iterator[Any]:
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be str, not {type(text).__name__}")
        for piece in _pieces(i, text):
            yield (i, text) if piece is None else piece


def geoparse_rows(texts: Iterable[str], gazetteer: Any, n_jobs: int | None) -> tuple[list[tuple], list[int]]:
    """Mention rows and doc indexes of ``texts`` (``geoparse_many``'s engine)."""
    rows: list[tuple] = []
    docs: list[int] = []
    for r, d in run_chunks(_geoparse_chunk, chunks(_texts(texts), _text_size), _text_size, n_jobs, gazetteer,
                           local=lambda: _fresh_parser(gazetteer)):
        rows.extend(r)
        docs.extend(d)
    return rows, docs
