"""The document model: :class:`Document`, and :class:`DocumentSet` with what was skipped and why.

Kept apart from the readers (:mod:`geomap.events.documents`), which re-export both.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import as_date


@dataclass(slots=True)
class Document:
    """One news article.

    ``doc_id`` is unique within a :class:`DocumentSet`; ``path`` is where it
    came from (``file`` or ``file:line`` for JSONL/CSV rows); ``encoding``
    the encoding its file was decoded with (``utf-8``, ``cp1256``...).
    ``date`` may be given as a ``date``, a ``datetime`` or an ISO string; it is
    kept as a ``datetime.date`` (an :class:`~geomap.errors.InputError` for
    anything else).
    """

    doc_id: str
    text: str
    title: str | None = None
    date: _dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        self.date = as_date(self.date, f"Document {self.doc_id!r}: date")


@dataclass
class DocumentSet:
    """Documents read by :func:`read_documents`, and what was skipped and why.

    Attributes
    ----------
    documents : list of Document
    skipped : list of (str, str)
        ``(path or path:line, reason)`` of every input not read.
    warnings : list of (str, str)
        Inputs read with a problem (an unreadable date, a renamed duplicate id).
    encodings : dict of str to int
        Files read per encoding (``{"utf-8": 10, "cp1256": 2}``).
    """

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    encodings: dict[str, int] = field(default_factory=dict)

    @property
    def n_read(self) -> int:
        """Number of documents read."""
        return len(self.documents)

    @property
    def n_skipped(self) -> int:
        """Number of files or rows skipped."""
        return len(self.skipped)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, i: int) -> Document:
        return self.documents[i]

    def __repr__(self) -> str:
        return f"DocumentSet(n_read={self.n_read}, n_skipped={self.n_skipped})"

    def summary(self) -> str:
        """One line: documents read and skipped."""
        return f"{self.n_read} documents read, {self.n_skipped} skipped"


class _Skip(Exception):
    """Internal: skip one file with a reason."""
