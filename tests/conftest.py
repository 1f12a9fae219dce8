"""Shared fixtures: the default gazetteer, and ../shared material when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # built gazetteers go to a per-session folder, never the user's data dir
    if "GEOMAP_DATA_DIR" not in os.environ:
        import tempfile

        os.environ["GEOMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="geomap-test-data-")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; the test is skipped when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def sample_article(shared_dir: Path) -> str:
    path = shared_dir / "samples" / "article_t4_safira.ar.txt"
    if not path.is_file():
        pytest.skip("sample article not present")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gaz():
    """The embedded default gazetteer (built from installed packages at first use)."""
    from geomap import load_gazetteer

    return load_gazetteer("default")


@pytest.fixture(scope="session")
def full_gaz(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The full gazetteer built from the dumps in ../shared/data."""
    data = shared_dir / "data"
    wof = data / "whosonfirst-data-admin-sy.tar.gz"
    if not wof.is_file():
        pytest.skip("../shared/data dumps not present")
    from geomap.gazetteer.build import build_full

    out = tmp_path_factory.mktemp("full") / "full.json.gz"
    gaz, report = build_full(wof=wof, open_syria=data / "open-syria-geography",
                             syrian_archive=data / "syrianarchive-locations.json",
                             ocha=data / "ocha-syria" if (data / "ocha-syria").is_dir() else None, out=out)
    gaz.build_report = report  # type: ignore[attr-defined]
    gaz.path = out  # type: ignore[attr-defined]
    return gaz
