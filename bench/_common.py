"""Helpers shared by the bench scripts (paths, timing, memory, gazetteers)."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval-dev"
DATA = SHARED / "data"


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """``with Timer() as t: ...``; then ``t.s`` seconds."""

    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.s = time.perf_counter() - self.t0


def best_of(n: int, fn) -> tuple[float, object]:
    """``(fastest seconds, last result)`` of ``n`` runs of ``fn()``: a shared
    machine's noise only ever slows a run down."""
    best, out = float("inf"), None
    for _ in range(max(1, n)):
        with Timer() as t:
            out = fn()
        best = min(best, t.s)
    return best, out


def full_gazetteer(build_if_missing: bool = True, rebuild: bool = False):
    """The full gazetteer: loaded, or built from ../shared/data when absent
    (or, with ``rebuild``, always built, so a bench of one source tree does not
    read the build another tree cached)."""
    from geomap import load_gazetteer
    from geomap.errors import GazetteerNotFound

    if not rebuild:
        try:
            return load_gazetteer("full")
        except GazetteerNotFound:
            pass
    if not build_if_missing or not (DATA / "whosonfirst-data-admin-sy.tar.gz").is_file():
        return None
    from geomap.gazetteer.build import build_full

    import inspect

    print("(building the full gazetteer from ../shared/data ...)", file=sys.stderr)
    extra = {}
    if "ocha" in inspect.signature(build_full).parameters and (DATA / "ocha-syria").is_dir():
        extra["ocha"] = DATA / "ocha-syria"  # (an older geomap, run by --before, has no OCHA source)
    gaz, _ = build_full(wof=DATA / "whosonfirst-data-admin-sy.tar.gz", open_syria=DATA / "open-syria-geography",
                        syrian_archive=DATA / "syrianarchive-locations.json", **extra)
    return gaz


def need(path: Path) -> Path:
    """Exit cleanly when an input of the bench is absent."""
    if not path.exists():
        print(f"skipped: {path} is not present", file=sys.stderr)
        sys.exit(0)
    return path


os.environ.setdefault("PYTHONHASHSEED", "0")
