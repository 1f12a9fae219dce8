"""Exception classes of geomap.

Every error geomap raises on purpose derives from :class:`GeomapError`; most
also derive from the built-in exception a caller would naturally catch.
"""

from __future__ import annotations


class GeomapError(Exception):
    """Root of all geomap errors."""


class InputError(GeomapError, ValueError):
    """A caller gave a value geomap cannot use (empty query, bad option...)."""


class GazetteerError(GeomapError, LookupError):
    """A gazetteer could not be found, loaded or built."""


class GazetteerNotFound(GazetteerError, FileNotFoundError):
    """A named or path gazetteer does not exist (build it first)."""


class SourceError(GazetteerError):
    """A gazetteer source dump is missing, corrupt or of the wrong format.

    The message always names the file.
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DocumentError(GeomapError, ValueError):
    """A document could not be read (unreadable, empty, binary, bad encoding)."""


class GeomapWarning(UserWarning):
    """Root of the warnings geomap issues."""


class NoDocumentsWarning(GeomapWarning):
    """``read_documents`` read no document at all (everything skipped, or nothing there)."""


class NoEventsWarning(GeomapWarning):
    """``extract_events`` found no event in non-empty input."""
