"""``build_full``: merge the default gazetteer with public dumps into one file.

Sources (each a module of :mod:`geomap.gazetteer.sources` with a
``read(path, report)`` function): Who's On First admin (``wof``), GeoNames
country dumps (``geonames``), Open-Syria geography (``opensyria``), the Syrian
Archive locations list (``syrianarchive``), OCHA's Syria datasets (``ocha``:
communities, neighbourhoods and COD-AB boundaries, merged as in the shipped
table by :func:`geomap.gazetteer.syria_table.add_ocha`).

Merging: a source place joins an existing place when they share a
normalised name and are the same kind of thing — the same governorate (by
ISO code), the same district (name within the governorate), or a settlement
within :data:`MERGE_KM`. Names are pooled, a surveyed polygon replaces an
approximate one, the larger population wins, ids of the first place stay.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

from geomap.errors import SourceError
from geomap.gazetteer.model import Place
from geomap.gazetteer.report import BuildReport, SourceReport
from geomap.gazetteer.merge import Merger, assign_pcodes, finish
from geomap.gazetteer.syria_table import add_ocha
from geomap.gazetteer.store import Gazetteer

#: Public download addresses used by ``--download`` (online only).
DOWNLOADS: dict[str, str] = {
    "wof": "https://github.com/whosonfirst-data/whosonfirst-data-admin-sy/archive/refs/heads/master.tar.gz",
    "geonames": "https://download.geonames.org/export/dump/SY.zip",
}

def _download(name: str, dest: Path) -> Path:
    url = DOWNLOADS[name]
    target = dest / Path(url).name
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, target.open("wb") as fh:  # noqa: S310
            while chunk := resp.read(1 << 20):
                fh.write(chunk)
    except OSError as exc:
        raise SourceError(url, f"download failed ({exc}); give a local file instead") from exc
    return target


def build_full(*, wof: str | os.PathLike | None = None, geonames: str | os.PathLike | None = None,
               open_syria: str | os.PathLike | None = None,
               syrian_archive: str | os.PathLike | None = None, ocha: str | os.PathLike | None = None,
               download: bool = False,
               out: str | os.PathLike | None = None, base: Gazetteer | None = None,
               progress: Callable[[str], None] | None = None) -> tuple[Gazetteer, BuildReport]:
    """Build the full gazetteer from the default plus public dumps.

    Parameters
    ----------
    wof, geonames, open_syria, syrian_archive, ocha : path, optional
        Local dumps (a WOF directory or ``.tar.gz``; ``SY.txt`` or ``SY.zip``;
        an Open-Syria directory; the Syrian Archive JSON; the directory of OCHA's
        workbook and COD-AB zip).
    download : bool
        Fetch the WOF and GeoNames dumps that were not given (needs internet).
    out : path, optional
        Where to write the result; default :func:`geomap.gazetteer.load.full_path`.
        ``out=False``-like empty string skips writing.
    base : Gazetteer, optional
        What to merge into; default: the default gazetteer.
    progress : callable, optional
        Called with each source's name as it starts.

    Returns
    -------
    (Gazetteer, BuildReport)
    """
    from geomap.gazetteer.load import full_path, load_gazetteer

    report = BuildReport()
    paths = {"wof": wof, "geonames": geonames, "opensyria": open_syria, "syrianarchive": syrian_archive,
             "ocha": ocha}
    tmp: tempfile.TemporaryDirectory | None = None
    if download:
        tmp = tempfile.TemporaryDirectory(prefix="geomap-dl-")
        for name in DOWNLOADS:
            if paths[name] is None:
                paths[name] = _download(name, Path(tmp.name))
    if not any(paths.values()):
        raise SourceError("(no source)", "give at least one dump (--wof, --geonames, --open-syria, "
                          "--syrian-archive, --ocha) or --download")
    base = base if base is not None else load_gazetteer("default")
    # work on copies: the cached default gazetteer must not change
    merger = Merger(Place.from_record(p.to_record()) for p in base)
    try:
        for name in ("wof", "opensyria", "geonames", "syrianarchive", "ocha"):
            path = paths[name]
            if path is None:
                continue
            if progress:
                progress(name)
            if name == "ocha":
                add_ocha(merger, path, report)
                continue
            module = importlib.import_module(f"geomap.gazetteer.sources.{name}")
            rep = report.add(SourceReport(name, str(path)))
            for place in module.read(path, rep):
                rep.merged += merger.add(place)
            rep.added = rep.kept - rep.merged
    finally:
        if tmp is not None:
            tmp.cleanup()
    finish(merger.places)
    assign_pcodes(merger.places)
    report.merged = merger.merged
    gaz = Gazetteer(merger.places, name="full", meta={"sources": {k: str(v) for k, v in paths.items() if v}})
    report.total = len(gaz)
    if out != "":
        report.path = str(gaz.save(out or full_path()))
        from geomap.gazetteer.load import clear_cache

        clear_cache()  # a later load_gazetteer("full") in this process reads the new file
    return gaz, report
