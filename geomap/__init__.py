"""geomap: Arabic-first incident mapping.

Public API (imports are lazy: ``import geomap`` stays light)::

    load_gazetteer, geocode, geoparse, geoparse_many,
    read_documents, extract_events, event_map, to_file
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "load_gazetteer": "geomap.gazetteer.load",
    "geocode": "geomap.geoparsing.geocode",
    "Gazetteer": "geomap.gazetteer.store",
    "Place": "geomap.gazetteer.model",
    "geoparse": "geomap.geoparsing",
    "geoparse_many": "geomap.geoparsing",
    "read_documents": "geomap.events.documents",
    "extract_events": "geomap.events.extract",
    "event_map": "geomap.maps",
    "to_file": "geomap.maps",
    "GeomapError": "geomap.errors",
    "GazetteerError": "geomap.errors",
    "GazetteerNotFound": "geomap.errors",
    "InputError": "geomap.errors",
    "SourceError": "geomap.errors",
    "DocumentError": "geomap.errors",
    "GeomapWarning": "geomap.errors",
    "NoDocumentsWarning": "geomap.errors",
    "NoEventsWarning": "geomap.errors",
    "iter_documents": "geomap.events.documents",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name == "examples":  # the shipped example documents: geomap.examples.path()
        import importlib

        value = importlib.import_module("geomap._examples")
        globals()[name] = value
        return value
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, "examples"])
