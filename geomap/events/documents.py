"""Read news documents (txt, html, jsonl, csv) into :class:`Document` objects.

Every input is accounted for: a document is either read into
:attr:`DocumentSet.documents` or listed in :attr:`DocumentSet.skipped` with
the reason (``path`` for a whole file, ``path:line`` for one row).

File formats
------------
``.txt``
    One article per file. An optional header block of ``key: value`` lines
    at the very top sets metadata; keys are ``title``, ``date``, ``source``,
    ``url`` (also ``id``) or their Arabic forms ``العنوان``, ``التاريخ``,
    ``المصدر``, ``الرابط``. The block ends at the first blank line or the
    first line that is not such a header; the rest is the text. Without a
    header, date and source are unknown.
``.html`` / ``.htm``
    Main text, title, date and site name extracted with trafilatura.
``.jsonl`` / ``.ndjson``
    One JSON object per line; blank lines are ignored.
``.csv`` / ``.tsv``
    A header row; the column names are configurable. A quote left open is
    reported with its line and the rows after it are read again.
``.json``
    A Telegram Desktop channel export (``result.json``): a document per
    message with text (:mod:`geomap.events.telegram`).

Encodings: a BOM (UTF-8, UTF-16, UTF-32) decides; else UTF-8 is tried;
else the encoding is detected (charset-normalizer, with the Arabic code
pages cp1256 and ISO-8859-6 always among the candidates, and UTF-16 without
BOM when the bytes hold NULs) and the decoded text must be plausible Arabic
or Latin text (:func:`plausible`). The encoding used is
:attr:`Document.encoding` (and counted in :attr:`DocumentSet.encodings`).
Empty, binary, truly undecodable, unreadable and over-size files are
skipped and reported, as are rows without text and lines that are not JSON.

:func:`iter_documents` yields documents lazily, one file in memory at a
time, for corpora larger than memory; :func:`read_documents` collects them.
Reading nothing at all warns (:class:`~geomap.errors.NoDocumentsWarning`).
Directories are read recursively in sorted order; hidden entries (names
starting with ``.``) are ignored, files of other extensions are reported as
skipped.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DocumentError, NoDocumentsWarning
from .csvrows import csv_rows
from .dates import parse_date_value
from .docmodel import Document, DocumentSet, _Skip
from .encoding import MAX_IMPLAUSIBLE, decode_bytes, plausible  # noqa: F401 - public here as before
from .telegram import is_export, telegram_records

#: Default per-file size limit in bytes (50 MB).
MAX_BYTES: int = 50 * 1024 * 1024

TEXT_EXTS = frozenset({".txt"})
HTML_EXTS = frozenset({".html", ".htm"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
CSV_EXTS = frozenset({".csv", ".tsv"})
JSON_EXTS = frozenset({".json"})  # a Telegram Desktop export (result.json)
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS | CSV_EXTS | JSON_EXTS

_HEADER_KEYS = {
    "title": "title", "date": "date", "source": "source", "url": "url", "id": "id",
    "العنوان": "title", "التاريخ": "date", "المصدر": "source", "الرابط": "url",
}
_HEADER_RE = re.compile(r"^\s*([A-Za-z]+|العنوان|التاريخ|المصدر|الرابط)\s*:\s*(.*?)\s*$")


class DocumentStream:
    """Documents yielded lazily by :func:`iter_documents`, with the running report.

    Iterate it once; meanwhile and afterwards ``skipped``, ``warnings``,
    ``encodings`` and ``n_read`` say what happened (as on
    :class:`DocumentSet`). When the iteration ends with no document read, a
    :class:`~geomap.errors.NoDocumentsWarning` is issued.
    """

    def __init__(self, paths: list[Path | str], cols: dict[str, str], max_bytes: int, progress: bool) -> None:
        self.paths = paths
        self.cols = cols
        self.max_bytes = max_bytes
        self.progress = progress
        self.report = DocumentSet()
        self.n_read = 0
        self._started = False

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """``(path or path:line, reason)`` of every input not read so far."""
        return self.report.skipped

    @property
    def warnings(self) -> list[tuple[str, str]]:
        """Inputs read with a problem so far."""
        return self.report.warnings

    @property
    def encodings(self) -> dict[str, int]:
        """Files read per encoding so far."""
        return self.report.encodings

    @property
    def n_skipped(self) -> int:
        """Number of files or rows skipped so far."""
        return len(self.report.skipped)

    def __repr__(self) -> str:
        return f"DocumentStream(n_read={self.n_read}, n_skipped={self.n_skipped})"

    def __iter__(self) -> Iterator[Document]:
        if self._started:
            raise DocumentError("a DocumentStream is read once; call iter_documents again")
        self._started = True
        return self._generate()

    def _files(self) -> Iterator[tuple[Path, str]]:
        for p in self.paths:
            p = Path(p)
            if p.is_dir():
                for f in _walk(p):
                    yield f, f.relative_to(p).as_posix()
            elif p.exists():
                yield p, p.name
            else:
                self.report.skipped.append((str(p), "no such file or directory"))

    def _generate(self) -> Iterator[Document]:
        out, cols = self.report, self.cols
        it: Iterable[tuple[Path, str]] = self._files()
        if self.progress:
            from tqdm import tqdm

            it = tqdm(it, desc="reading", unit="file")
        seen: set[str] = set()
        for path, rel in it:
            ext = path.suffix.lower()
            if ext not in SUPPORTED_EXTS:
                out.skipped.append((str(path), f"unsupported file type {ext or '(none)'!r}"))
                continue
            try:
                text, enc = _read_text(path, self.max_bytes)
                if ext in TEXT_EXTS:
                    docs: Iterable[Document] = [_from_txt(text, path, rel, out)]
                elif ext in HTML_EXTS:
                    docs = [_from_html(text, path, rel)]
                elif ext in JSONL_EXTS:
                    docs = _from_jsonl(text, path, rel, cols, out)
                elif ext in JSON_EXTS:
                    docs = _from_telegram(text, path, cols, out)
                else:
                    docs = _from_csv(text, path, rel, cols, out, delimiter="\t" if ext == ".tsv" else ",")
                first = True
                for d in docs:
                    if first:
                        out.encodings[enc] = out.encodings.get(enc, 0) + 1
                        first = False
                    d.encoding = enc
                    if d.doc_id in seen:
                        base, k = d.doc_id, 2
                        while f"{base}#{k}" in seen:
                            k += 1
                        d.doc_id = f"{base}#{k}"
                        out.warnings.append((d.path or str(path), f"duplicate id {base!r} renamed {d.doc_id!r}"))
                    seen.add(d.doc_id)
                    self.n_read += 1
                    yield d
            except _Skip as e:
                out.skipped.append((str(path), str(e)))
                continue
        if self.n_read == 0:
            where = ", ".join(map(str, self.paths[:3])) + (" ..." if len(self.paths) > 3 else "")
            warnings.warn(f"no documents read from {where or '(no paths)'} ({self.n_skipped} skipped"
                          + (f"; first: {out.skipped[0][0]}: {out.skipped[0][1]}" if out.skipped else "") + ")",
                          NoDocumentsWarning, stacklevel=3)


def iter_documents(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    text_col: str = "text",
    date_col: str = "date",
    source_col: str = "source",
    url_col: str = "url",
    title_col: str = "title",
    id_col: str = "id",
    max_bytes: int = MAX_BYTES,
    progress: bool = False,
    telegram_channel: str | None = None,
) -> DocumentStream:
    """Yield documents from files and directories lazily, one file in memory at a time.

    Same parameters and formats as :func:`read_documents`. Skips and
    warnings accumulate on the returned :class:`DocumentStream` as it is
    read, so nothing is lost silently::

        stream = iter_documents(["corpus/"])
        events = extract_events(stream, n_jobs=-1)
        print(stream.n_read, stream.skipped)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    cols = {"text": text_col, "date": date_col, "source": source_col, "url": url_col,
            "title": title_col, "id": id_col, "telegram_channel": telegram_channel or ""}
    return DocumentStream(list(paths), cols, max_bytes, progress)


def read_documents(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    text_col: str = "text",
    date_col: str = "date",
    source_col: str = "source",
    url_col: str = "url",
    title_col: str = "title",
    id_col: str = "id",
    max_bytes: int = MAX_BYTES,
    progress: bool = False,
    telegram_channel: str | None = None,
) -> DocumentSet:
    """Read documents from files and directories.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (``.txt``, ``.html``, ``.jsonl``, ``.csv``...) or directories,
        read recursively.
    text_col, date_col, source_col, url_col, title_col, id_col : str
        Column (CSV) or key (JSONL) names. Only ``text_col`` is required;
        without ``id_col`` the id is ``file:line``.
    max_bytes : int
        Files larger than this are skipped (default 50 MB).
    progress : bool
        Show a tqdm progress bar over files on stderr.
    telegram_channel : str, optional
        The public username of the channel a Telegram Desktop export
        (``result.json``) comes from, for ``https://t.me/<username>/<id>``
        links (exports do not carry it). Each message with text is a
        document; service messages and messages without text are skipped
        with their reason (:mod:`geomap.events.telegram`).

    Returns
    -------
    DocumentSet
        Never raises for a bad file: it is listed in ``.skipped``.

    Warns
    -----
    NoDocumentsWarning
        When no document at all was read (the reasons are in ``.skipped``).
    """
    stream = iter_documents(paths, text_col=text_col, date_col=date_col, source_col=source_col,
                            url_col=url_col, title_col=title_col, id_col=id_col, max_bytes=max_bytes,
                            progress=progress, telegram_channel=telegram_channel)
    out = stream.report
    out.documents.extend(stream)
    return out


def read_document(path: str | os.PathLike[str], **kwargs) -> Document:
    """Read one ``.txt`` or ``.html`` file; raise :class:`DocumentError` when it is skipped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoDocumentsWarning)  # (raised as an error below)
        ds = read_documents([path], **kwargs)
    if ds.n_read != 1 or ds.skipped:
        reason = ds.skipped[0][1] if ds.skipped else f"{ds.n_read} documents in file"
        raise DocumentError(f"{path}: {reason}")
    return ds.documents[0]


def example_paths() -> list[Path]:
    """Paths of the example documents shipped in ``geomap/examples``."""
    from importlib.resources import files

    folder = Path(str(files("geomap") / "examples"))  # (geomap._examples.path(), which reads its listing here)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_EXTS)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _read_text(path: Path, max_bytes: int) -> tuple[str, str]:
    """The file's text (newlines unified) and the encoding it was decoded with."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Skip(f"file too large ({size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB)")
        data = path.read_bytes()
    except OSError as e:
        raise _Skip(f"unreadable: {e.strerror or e}") from None
    text, enc = decode_bytes(data)
    if "\x00" in text:
        raise _Skip("binary file (contains NUL characters)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Skip("empty file")
    return text, enc


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _date(value: object, where: str, out: DocumentSet) -> _dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    d = parse_date_value(value)
    if d is None:
        out.warnings.append((where, f"unreadable date {str(value)[:40]!r} ignored"))
    return d


def _from_txt(text: str, path: Path, rel: str, out: DocumentSet) -> Document:
    lines = text.split("\n")
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines):
        m = _HEADER_RE.match(lines[i])
        key = _HEADER_KEYS.get(m.group(1).lower()) if m else None
        if key is None:
            break
        meta[key] = m.group(2)
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        i += 1
    body = "\n".join(lines[i:]).strip() if meta else text.strip()
    if not body:
        raise _Skip("empty text (header only)")
    return Document(
        doc_id=_clean(meta.get("id")) or rel,
        text=body,
        title=_clean(meta.get("title")),
        date=_date(meta.get("date"), str(path), out),
        source=_clean(meta.get("source")),
        url=_clean(meta.get("url")),
        path=str(path),
    )


def _from_html(text: str, path: Path, rel: str) -> Document:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        raise _Skip("reading HTML needs trafilatura (pip install trafilatura)") from None
    try:
        res = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    except Exception as e:  # noqa: BLE001 - any parser failure is a skipped file
        raise _Skip(f"HTML extraction failed: {type(e).__name__}: {e}") from None
    body = (getattr(res, "text", None) or "").strip() if res is not None else ""
    if not body:
        raise _Skip("no main text found in HTML")
    return Document(
        doc_id=rel,
        text=body,
        title=_clean(getattr(res, "title", None)),
        date=parse_date_value(getattr(res, "date", None)),
        source=_clean(getattr(res, "sitename", None) or getattr(res, "hostname", None)),
        url=_clean(getattr(res, "url", None)),
        path=str(path),
    )


def _row_doc(row: dict, where: str, default_id: str, cols: dict[str, str], out: DocumentSet) -> Document | None:
    text = row.get(cols["text"])
    if not isinstance(text, str) or not text.strip():
        reason = f"no {cols['text']!r} field" if text is None else f"empty or non-text {cols['text']!r}"
        out.skipped.append((where, reason))
        return None
    return Document(
        doc_id=_clean(row.get(cols["id"])) or default_id,
        text=text.strip(),
        title=_clean(row.get(cols["title"])),
        date=_date(row.get(cols["date"]), where, out),
        source=_clean(row.get(cols["source"])),
        url=_clean(row.get(cols["url"])),
        path=where,
    )


def _from_jsonl(text: str, path: Path, rel: str, cols: dict[str, str], out: DocumentSet) -> Iterator[Document]:
    n_rows = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        n_rows += 1
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            out.skipped.append((where, f"not JSON: {e.msg} (column {e.colno})"))
            continue
        if not isinstance(row, dict):
            out.skipped.append((where, f"not a JSON object ({type(row).__name__})"))
            continue
        doc = _row_doc(row, where, f"{rel}:{lineno}", cols, out)
        if doc is not None:
            yield doc
    if n_rows == 0:  # pragma: no cover - an all-blank file is caught as empty
        raise _Skip("no JSON lines")


def _from_telegram(text: str, path: Path, cols: dict[str, str], out: DocumentSet) -> Iterator[Document]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _Skip(f"not JSON: {e.msg} (line {e.lineno})") from None
    if not is_export(data):
        raise _Skip("a .json file that is not a Telegram Desktop export (no 'messages' list); "
                    "write one document per line as .jsonl")
    for mid, rec, reason in telegram_records(data, cols.get("telegram_channel") or None):
        where = f"{path}#{mid}"
        if rec is None:
            out.skipped.append((where, str(reason)))
            continue
        yield Document(doc_id=rec["id"], text=rec["text"], date=_date(rec["date"], where, out),
                       source=rec["source"], url=rec["url"], path=where)


def _from_csv(text: str, path: Path, rel: str, cols: dict[str, str], out: DocumentSet,
              delimiter: str = ",") -> Iterator[Document]:
    try:
        header, rows = csv_rows(text, str(path), out.skipped, delimiter=delimiter, max_field=MAX_BYTES)
    except ValueError as e:
        raise _Skip(str(e)) from None
    if cols["text"] not in header:
        raise _Skip(f"no {cols['text']!r} column (columns: {', '.join(header)})")
    for first, row in rows:
        where = f"{path}:{first}"
        if None in row:
            out.warnings.append((where, f"{len(row[None])} extra field(s) ignored"))
        doc = _row_doc(row, where, f"{rel}:{first}", cols, out)
        if doc is not None:
            yield doc
