"""Example news documents shipped with geomap (Arabic and English, written for the project).

Reached as ``geomap.examples`` (the folder ``geomap/examples`` holds only the
documents, so reading it reports no stray file); ``geomap.examples.path()`` is
that folder inside the installed package, so the README's snippet works from
any directory::

    docs = geomap.read_documents([geomap.examples.path()])
"""

from __future__ import annotations

from pathlib import Path


def path() -> Path:
    """The folder of the example documents inside the installed package."""
    from importlib.resources import files

    return Path(str(files("geomap") / "examples"))


def paths() -> list[Path]:
    """The example documents (``.txt``, ``.csv``, ``.jsonl``), sorted."""
    from geomap.events.documents import example_paths

    return example_paths()
