"""Where geomap keeps what it builds and what the user adds (one place, imported by
the loaders, the user-data readers and the word lists alike)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Where geomap keeps built gazetteers (``GEOMAP_DATA_DIR`` or the user data dir)."""
    env = os.environ.get("GEOMAP_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("geomap", appauthor=False))
