"""The Syria table shipped with geomap (``gazetteer/syria.csv.gz``).

It is *derived* from two CC BY 4.0 dumps — Who's On First admin-sy and the
Open Syria geography admin files — and OCHA's Syria common operational
datasets (CC BY 3.0 IGO: communities, neighbourhoods, COD-AB boundaries) by
:func:`export_syria_table` (``geomap gazetteer export-default``), so anyone
can refresh it from newer dumps. The
default gazetteer merges it with what it takes from registry packages
(:func:`geomap.gazetteer.default.build_default`), which is how a fresh install
knows Syria's ~10,000 villages. Attribution: ``gazetteer/SOURCES.md``.

One row per place: ``id, name, name_ar, names, feature_type, country, admin1,
admin2, population, lat, lon, geometry, sources, pcode, adm1_pcode, adm2_pcode,
adm3_pcode, parent``. ``names`` is a JSON list of ``[text, lang, kind]``;
``geometry`` is a simplified WKT polygon for governorates, districts,
subdistricts, regions and neighbourhoods, empty for points. P-codes are OCHA's
(see :class:`~geomap.gazetteer.model.Place`); a place without its own record in
OCHA's data gets its admin P-codes by the COD-AB subdistrict polygon it lies in. The file
is written sorted by id with a fixed gzip timestamp, so regenerating it from
the same dumps gives the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import SourceError
from geomap.gazetteer.merge import Merger, assign_pcodes, finish, merge_communities
from geomap.gazetteer.model import FEATURE_TYPES, Name, Place
from geomap.gazetteer.report import BuildReport, SourceReport
from geomap.gazetteer.tables import table_path

#: File name of the table under ``gazetteer/`` (``geomap/_tables`` when installed).
TABLE = "syria.csv.gz"
#: OCHA's admin names by P-code, written beside it (read by :mod:`geomap.gazetteer.admin`)
ADMIN_TABLE = "syria_admin.csv"

COLUMNS = ("id", "name", "name_ar", "names", "feature_type", "country", "admin1", "admin2",
           "population", "lat", "lon", "geometry", "sources",
           "pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode", "parent")
#: columns a table written before P-codes lacks (read as empty)
_LATER_COLUMNS = frozenset({"pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode", "parent"})

#: Types that keep their (simplified) polygon in the table; others are points.
POLYGON_TYPES = frozenset({"governorate", "district", "subdistrict", "region", "neighbourhood"})

#: The dumps the table is derived from (reader module, licence).
DUMPS = {"wof": "CC BY 4.0 (Who's On First)", "opensyria": "CC BY 4.0 (Open Syria)",
         "ocha": "CC BY 3.0 IGO (UN OCHA Syria, Common Operational Datasets via HDX)"}


def export_syria_table(*, wof: str | os.PathLike, open_syria: str | os.PathLike,
                       ocha: str | os.PathLike | None = None,
                       out: str | os.PathLike | None = None) -> tuple[Path, BuildReport]:
    """Derive the shipped Syria table from the WOF, Open Syria and OCHA dumps.

    Parameters
    ----------
    wof
        ``whosonfirst-data-admin-sy.tar.gz`` or its unpacked directory.
    open_syria
        The Open Syria geography directory (``governorates.json`` ...).
    ocha
        The directory of OCHA's ``syr_humanitarian_locations.xlsx`` and COD-AB zip
        (:mod:`geomap.gazetteer.sources.ocha`); without it the table has no OCHA places
        and no P-codes.
    out
        Where to write; default the project's ``gazetteer/syria.csv.gz``.

    Returns
    -------
    (Path, BuildReport)
        The written file and what was read, kept, merged and skipped.
    """
    report = BuildReport()
    merger = Merger([])
    for name, path in (("wof", wof), ("opensyria", open_syria)):
        module = importlib.import_module(f"geomap.gazetteer.sources.{name}")
        rep = report.add(SourceReport(name, os.fspath(path)))
        for place in module.read(path, rep):
            if place.country != "SY" or place.feature_type == "country":
                # the country itself comes from the project's countries table
                rep.skip("not a place inside Syria", place.id)
                rep.kept -= 1
                continue
            rep.merged += merger.add(place)
        rep.added = rep.kept - rep.merged
    admin = add_ocha(merger, ocha, report) if ocha is not None else {}
    finish(merger.places)
    assign_pcodes(merger.places)
    report.merged = merger.merged
    places = sorted(merger.places, key=lambda p: p.id)
    report.total = len(places)
    target = Path(out) if out is not None else _project_table()
    target.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in places:
        writer.writerow(_row(p))
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0,
                                               filename="") as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    os.replace(tmp, target)
    if ocha is not None:
        _write_admin_names(admin, target.with_name(ADMIN_TABLE))
    report.path = str(target)
    return target, report


def add_ocha(merger: Merger, path: str | os.PathLike, report: BuildReport) -> dict[str, tuple[str, str, str]]:
    """Merge OCHA's places into ``merger``: admin areas (their COD-AB polygons and
    P-codes), then communities one to one with the settlements they duplicate
    (:func:`~geomap.gazetteer.merge.merge_communities`, after the settlements got
    their subdistrict by polygon), then neighbourhoods.

    Returns OCHA's ``(level, English name, Arabic name)`` of each admin P-code.
    """
    from geomap.gazetteer.sources import ocha

    rep = report.add(SourceReport("ocha", os.fspath(path)))
    places = ocha.read(path, rep)
    admin = {}
    for p in places:
        if p.is_area:
            admin[p.pcode] = (p.feature_type, p.name, p.name_ar or "")
            rep.merged += merger.add(p)
    assign_pcodes(merger.places)
    merged, _ = merge_communities(merger, [p for p in places if p.pcode and p.pcode.startswith("C")])
    rep.merged += merged
    for p in places:
        if p.feature_type == "neighbourhood":
            rep.merged += merger.add(p)
    rep.added = len(places) - rep.merged  # (Damascus' districts are places made of several rows)
    return admin


def _write_admin_names(admin: dict[str, tuple[str, str, str]], target: Path) -> None:
    """``syria_admin.csv``: OCHA's English and Arabic names of every admin P-code
    (the names :func:`geomap.gazetteer.admin.admin_columns` gives), sorted by P-code."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("pcode", "level", "name", "name_ar", "source"))
    for code in sorted(admin):
        writer.writerow((code, *admin[code], "UN OCHA COD-AB (CC BY 3.0 IGO)"))
    target.write_text(buf.getvalue(), encoding="utf-8")


def _project_table() -> Path:
    """``gazetteer/syria.csv.gz`` of the checkout (where the table is committed)."""
    here = Path(__file__).resolve().parents[2] / "gazetteer"
    if not here.is_dir():
        raise SourceError(here, "not a geomap checkout; give the output path with -o")
    return here / TABLE


def _row(p: Place) -> list[str]:
    geom = p.geometry_wkt if p.feature_type in POLYGON_TYPES and p.geometry_wkt else ""
    return [p.id, p.name, p.name_ar or "", json.dumps([[n.text, n.lang, n.kind] for n in p.names],
                                                     ensure_ascii=False, separators=(",", ":")),
            p.feature_type, p.country, p.admin1 or "", p.admin2 or "",
            "" if p.population is None else str(p.population),
            f"{p.lat:.5f}", f"{p.lon:.5f}", geom, "|".join(p.sources),
            p.pcode or "", p.adm1_pcode or "", p.adm2_pcode or "", p.adm3_pcode or "", p.parent or ""]


def read_syria_table(report: SourceReport | None = None,
                     path: str | os.PathLike | None = None) -> Iterator[Place]:
    """Places of the shipped Syria table (or of ``path``), malformed rows skipped and counted.

    Raises
    ------
    SourceError
        The file is missing, not gzip, or lacks the table's columns.
    """
    src = Path(path) if path is not None else table_path(TABLE)
    rep = report if report is not None else SourceReport("table:syria", str(src))
    try:
        with gzip.open(src, "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(COLUMNS) - set(reader.fieldnames or ()) - _LATER_COLUMNS
            if missing:
                raise SourceError(src, f"not a geomap Syria table (missing columns: {', '.join(sorted(missing))})")
            for line, row in enumerate(reader, start=2):
                rep.read += 1
                try:
                    place = _place(row)
                except (ValueError, TypeError, KeyError) as exc:
                    rep.skip(f"malformed row ({exc.__class__.__name__})", f"line {line}")
                    continue
                rep.kept += 1
                yield place
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(src, f"cannot read the Syria table ({exc})") from exc


def _place(row: dict[str, str]) -> Place:
    ftype = row["feature_type"]
    if ftype not in FEATURE_TYPES:
        raise ValueError(f"unknown feature type {ftype!r}")
    if not row["id"] or not row["name"]:
        raise ValueError("id and name are required")
    lat, lon = float(row["lat"]), float(row["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("coordinates out of range")
    names = tuple(Name(str(t), str(lang), str(kind)) for t, lang, kind in json.loads(row["names"] or "[]"))
    return Place(id=row["id"], name=row["name"], feature_type=ftype, lat=lat, lon=lon,
                 name_ar=row["name_ar"] or None, names=names, country=row["country"] or "SY",
                 admin1=row["admin1"] or None, admin2=row["admin2"] or None,
                 population=int(row["population"]) if row["population"] else None,
                 geometry_wkt=row["geometry"] or None, geometry_approx=False,
                 sources=tuple(s for s in row["sources"].split("|") if s),
                 pcode=row.get("pcode") or None, adm1_pcode=row.get("adm1_pcode") or None,
                 adm2_pcode=row.get("adm2_pcode") or None, adm3_pcode=row.get("adm3_pcode") or None,
                 parent=row.get("parent") or None)
