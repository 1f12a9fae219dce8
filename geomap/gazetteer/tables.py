"""Access to the tables the project writes itself (top-level ``gazetteer/``).

In a wheel they live under ``geomap/_tables`` (hatchling ``force-include``);
in a source checkout or editable install they are read from ``gazetteer/``.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from geomap.errors import GazetteerNotFound

_PKG = Path(__file__).resolve().parents[1]


def table_path(name: str) -> Path:
    """Path of the project table ``name`` (e.g. ``"airbases.csv"``)."""
    for base in (_PKG / "_tables", _PKG.parent / "gazetteer"):
        path = base / name
        if path.is_file():
            return path
    raise GazetteerNotFound(f"project table {name!r} not found under geomap/_tables or gazetteer/")


@lru_cache(maxsize=None)
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a project CSV table as dicts (cached; treat as read-only).

    Lines starting with ``#`` before the header say why the table exists; they are skipped.
    """
    path = table_path(name)
    with path.open(encoding="utf-8", newline="") as fh:
        lines = iter(fh)
        head = next(lines, "")
        while head.startswith("#"):
            head = next(lines, "")
        rows = tuple(csv.DictReader([head, *lines]))
    return rows


def split_multi(cell: str | None) -> list[str]:
    """Split a ``|``-separated table cell into its non-empty values."""
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def governorates() -> tuple[dict[str, str], ...]:
    """The 14 Syrian governorates (ISO, GeoNames admin1, OCHA p-code, names)."""
    return read_table("governorates.csv")


@lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    """The words of a rule table ``gazetteer/rules/<name>.txt``, in file order (cached).

    Each table starts with ``#`` lines saying why its words are there; blank
    lines and ``#`` lines are skipped. The words are as written: the reader
    normalises them as its matching needs.
    """
    path = table_path(f"rules/{name}.txt")
    with path.open(encoding="utf-8") as fh:
        return tuple(w for line in fh if (w := line.strip()) and not w.startswith("#"))
