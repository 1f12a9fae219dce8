"""Reader for OCHA's Syria common operational datasets, as published on HDX.

A directory holding

* ``syr_humanitarian_locations.xlsx`` — the populated places ("humanitarian
  locations"): one row per community with its English and Arabic names,
  P-code (``C####``), coordinates and its admin1–admin3 names and P-codes;
* ``syr_admbnda_uncs_unocha_20201217.zip`` (any ``syr_admbnda_*.zip``) — the
  COD-AB shapefiles, read straight from the zip: governorate, district and
  subdistrict polygons (``SY##``, ``SY####``, ``SY######``) with EN/AR and
  alternative names, and the city neighbourhoods (``N####``) with their
  parent community (and Damascus' municipal districts, ``A###``, that group
  them: places of type neighbourhood too, id ``ocha:A###``, no P-code).

Either file may also be given alone. Places come out in this order:
governorates, districts, subdistricts, communities, neighbourhoods, ids
``ocha:<P-code>``; every place carries its own P-code and its admin P-codes.

Names: OCHA writes a qualifier after the name of many communities — the
subdistrict or parent community after " - " or in parentheses
("العجيل - المنصورة", "Badriyeh (Ariha)"), an alternative name after "_"
("الدرة_قولجق"). The part before is the name; an alternative after "_" is a
variant; a qualifier is never a name of the place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ..model import Place
from ..report import SourceReport
from ._common import (
    NameSet,
    admin1_from_pcode,
    clean,
    has_arabic,
    in_syria,
    is_governorate_seat,
    simplify_wkt,
    to_float,
)

NAME = "ocha"
WORKBOOK = "syr_humanitarian_locations.xlsx"
BOUNDARIES_GLOB = "syr_admbnda_*.zip"

#: (layer stem inside the zip, feature type, field prefix), most general first
ADMIN_LAYERS: tuple[tuple[str, str, str], ...] = (
    ("syr_admbnda_adm1", "governorate", "ADM1"),
    ("syr_admbnda_adm2", "district", "ADM2"),
    ("syr_admbnda_adm3", "subdistrict", "ADM3"),
)
NEIGHBOURHOOD_LAYER = "syr_neighbourhoods"

#: Douglas-Peucker tolerance (degrees) for neighbourhood polygons: a city block
#: is ~1 km across, the admin areas' 0.003° would erase it (~50 m here)
NEIGHBOURHOOD_TOLERANCE = 0.0005

_PCODE = {"governorate": re.compile(r"SY\d{2}"), "district": re.compile(r"SY\d{4}"),
          "subdistrict": re.compile(r"SY\d{6}"), "community": re.compile(r"C\d{4,}"),
          "neighbourhood": re.compile(r"N\d{4,}")}
#: a qualifier: after " - " (any dash spaced) or " / ", or in parentheses
_QUALIFIER = re.compile(r"\s+[-–—/]\s+.*$|\s*\(.*$")
#: an alternative name after "_" (OCHA's Arabic: "الدرة_قولجق")
_ALTERNATIVE = "_"
#: subdistrict names in Arabic carry "مركز" (the seat's own nahiya): not part of the town's name
_SEAT_WORD = re.compile(r"^مركز\s+")
#: an empty cell as OCHA's shapefiles write it
_NULLS = frozenset({"<null>", "nan", "none", "null"})


def split_name(text: Any) -> tuple[str, list[str], str]:
    """``(name, alternatives, qualifier)`` of one OCHA name cell.

    >>> split_name("العجيل - المنصورة")
    ('العجيل', [], 'المنصورة')
    >>> split_name("الدرة_قولجق")
    ('الدرة', ['قولجق'], '')
    >>> split_name("Badriyeh (Ariha)")
    ('Badriyeh', [], 'Ariha')
    """
    text = _cell(text)
    qual = ""
    m = _QUALIFIER.search(text)
    if m and m.start() > 0:
        qual = m.group(0).strip(" -–—/()")
        text = text[:m.start()].strip()
    parts = [clean(p) for p in text.split(_ALTERNATIVE)]
    parts = [p for p in parts if p]
    if not parts:
        return "", [], qual
    return parts[0], parts[1:], qual


def _cell(value: Any) -> str:
    text = clean(value) if isinstance(value, str) else ("" if value is None else clean(str(value)))
    return "" if text.lower() in _NULLS else text


def _files(path: Path) -> tuple[Path | None, Path | None]:
    if path.is_dir():
        wb = path / WORKBOOK
        zips = sorted(path.glob(BOUNDARIES_GLOB))
        got = (wb if wb.is_file() else None, zips[-1] if zips else None)
        if got == (None, None):
            raise SourceError(path, f"neither {WORKBOOK} nor a {BOUNDARIES_GLOB} in this directory")
        return got
    if path.suffix.lower() == ".xlsx":
        return path, None
    if path.suffix.lower() == ".zip":
        return None, path
    raise SourceError(path, f"not an OCHA directory, {WORKBOOK} or COD-AB zip")


def read(path: str | os.PathLike[str], report: SourceReport | None = None) -> list[Place]:
    """Read OCHA's Syria datasets as places.

    Parameters
    ----------
    path
        A directory holding ``syr_humanitarian_locations.xlsx`` and the COD-AB
        zip, or one of the two files.
    report
        Counts read/kept rows and skipped ones by reason.

    Returns
    -------
    list of Place
        Admin areas with their COD-AB polygons, communities as points,
        neighbourhoods with their (simplified) polygons and their community's
        P-code as ``parent``.

    Raises
    ------
    SourceError
        Missing path, unreadable workbook or zip, or a layer lacking its columns.
    """
    p = Path(path)
    if not p.exists():
        raise SourceError(p, "file not found")
    rep = report if report is not None else SourceReport(NAME, str(p))
    if not rep.path:
        rep.path = str(p)
    workbook, zipped = _files(p)
    out: list[Place] = []
    admin: dict[str, tuple[str, str]] = {}  # pcode -> (en, ar) of every admin area read
    if zipped is not None:
        for stem, ftype, prefix in ADMIN_LAYERS:
            for place in _admin_layer(zipped, stem, ftype, prefix, rep):
                admin[place.pcode] = (place.name, place.name_ar or "")
                out.append(place)
    if workbook is not None:
        out.extend(_communities(workbook, rep, admin))
    if zipped is not None:
        out.extend(_neighbourhoods(zipped, rep))
    return out


# ----------------------------------------------------------------------------- COD-AB


def _layer(zipped: Path, stem: str) -> Any:
    """The GeoDataFrame of the layer of the zip whose name starts with ``stem``."""
    import zipfile

    import geopandas as gpd

    try:
        with zipfile.ZipFile(zipped) as zf:
            names = [n for n in zf.namelist() if n.endswith(".shp") and Path(n).name.startswith(stem)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(zipped, f"not a readable zip ({exc})") from exc
    if not names:
        raise SourceError(zipped, f"no {stem}*.shp layer in this zip")
    try:
        gdf = gpd.read_file(f"zip://{zipped.resolve()}!{names[0]}")
    except Exception as exc:  # pyogrio raises its own error types for a broken layer
        raise SourceError(zipped, f"cannot read layer {names[0]} ({exc})") from exc
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def _need(gdf: Any, cols: list[str], zipped: Path, stem: str) -> None:
    missing = [c for c in cols if c not in gdf.columns]
    if missing:
        raise SourceError(zipped, f"layer {stem} lacks columns {', '.join(missing)}")


def _admin_layer(zipped: Path, stem: str, ftype: str, prefix: str, rep: SourceReport) -> Iterator[Place]:
    gdf = _layer(zipped, stem)
    _need(gdf, [f"{prefix}_EN", f"{prefix}_AR", f"{prefix}_PCODE"], zipped, stem)
    for i, row in enumerate(gdf.itertuples(index=False)):
        rep.read += 1
        rec = row._asdict()
        where = f"{stem}:{i + 1}"
        pcode = _cell(rec.get(f"{prefix}_PCODE")).upper()
        if not _PCODE[ftype].fullmatch(pcode):
            rep.skip(f"bad {ftype} P-code", where)
            continue
        en, ar = _cell(rec.get(f"{prefix}_EN")), _cell(rec.get(f"{prefix}_AR"))
        geom = rec.get("geometry")
        if not (en or ar) or geom is None or geom.is_empty:
            rep.skip("missing name or polygon", where)
            continue
        wkt = simplify_wkt(geom)
        if wkt is None:
            rep.skip("unusable polygon", where)
            continue
        names = NameSet(en, ar)
        for col in (f"{prefix}_REF", f"{prefix}ALT1EN", f"{prefix}ALT2EN", f"{prefix}ALT1AR", f"{prefix}ALT2AR"):
            names.add_auto(_cell(rec.get(col)))
        bare = _SEAT_WORD.sub("", ar)
        if bare != ar:  # "مركز جبل سمعان": the nahiya of the district seat
            names.add_auto(bare)
        rp = geom.representative_point()
        rep.kept += 1
        yield Place(
            id=f"ocha:{pcode}", name=en or ar, name_ar=ar or None, feature_type=ftype,
            lat=round(rp.y, 5), lon=round(rp.x, 5), names=names.as_tuple(),
            admin1=admin1_from_pcode(pcode), geometry_wkt=wkt, sources=(NAME,),
            pcode=pcode, adm1_pcode=pcode[:4], adm2_pcode=pcode[:6] if len(pcode) >= 6 else None,
            adm3_pcode=pcode if len(pcode) == 8 else None,
        )


def _neighbourhoods(zipped: Path, rep: SourceReport) -> Iterator[Place]:
    gdf = _layer(zipped, NEIGHBOURHOOD_LAYER)
    _need(gdf, ["NAME_EN", "NAME_AR", "PCODE", "ADM4_PCODE", "ADM3_PCODE"], zipped, NEIGHBOURHOOD_LAYER)
    areas: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for i, row in enumerate(gdf.itertuples(index=False)):
        rep.read += 1
        rec = row._asdict()
        where = f"{NEIGHBOURHOOD_LAYER}:{i + 1}"
        pcode = _cell(rec.get("PCODE")).upper()
        adm3 = _cell(rec.get("ADM3_PCODE")).upper()
        if not _PCODE["neighbourhood"].fullmatch(pcode) or not _PCODE["subdistrict"].fullmatch(adm3):
            rep.skip("bad neighbourhood or subdistrict P-code", where)
            continue
        en, alt_en, _ = split_name(rec.get("NAME_EN"))
        ar, alt_ar, _ = split_name(rec.get("NAME_AR"))
        geom = rec.get("geometry")
        if not (en or ar) or geom is None or geom.is_empty:
            rep.skip("missing name or polygon", where)
            continue
        wkt = simplify_wkt(geom, NEIGHBOURHOOD_TOLERANCE)
        if wkt is None:
            rep.skip("unusable polygon", where)
            continue
        names = NameSet(en, ar)
        for text in (*alt_en, *alt_ar):
            names.add_auto(text)
        for col in ("NAME_REF", "NAME_ALT1E", "NAME_ALT2E", "NAME_ALT1A", "NAME_ALT2A"):
            head, alts, _ = split_name(rec.get(col))
            for text in (head, *alts):
                names.add_auto(text)
        c = geom.centroid
        if not geom.contains(c):
            c = geom.representative_point()
        parent = _cell(rec.get("ADM4_PCODE")).upper()
        area = _cell(rec.get("AREA_PCODE")).upper()
        if area and _cell(rec.get("AREA_AR")):
            areas.setdefault(area, []).append((rec, geom))
        rep.kept += 1
        yield Place(
            id=f"ocha:{pcode}", name=en or ar, name_ar=ar or None, feature_type="neighbourhood",
            lat=round(c.y, 5), lon=round(c.x, 5), names=names.as_tuple(), admin1=admin1_from_pcode(adm3),
            geometry_wkt=wkt, sources=(NAME,), pcode=pcode, adm1_pcode=adm3[:4], adm2_pcode=adm3[:6],
            adm3_pcode=adm3, parent=parent if _PCODE["community"].fullmatch(parent) else None,
        )
    yield from _areas(areas)


def _areas(areas: dict[str, list[tuple[dict[str, Any], Any]]]) -> Iterator[Place]:
    """Damascus' municipal districts (OCHA's neighbourhood ``AREA``: Jobar, Mazzeh,
    Qaboun...), each the union of its neighbourhoods: news names the district
    ("حي جوبر") as often as its parts (جوبر الشرقي, جوبر الغربي)."""
    from shapely import unary_union

    for code in sorted(areas):
        members = areas[code]
        rec = members[0][0]
        en, _, _ = split_name(rec.get("AREA_EN"))
        ar, _, _ = split_name(rec.get("AREA_AR"))
        geom = unary_union([g for _, g in members])
        wkt = simplify_wkt(geom, NEIGHBOURHOOD_TOLERANCE)
        if wkt is None or not (en or ar):
            continue
        c = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
        adm3 = _cell(rec.get("ADM3_PCODE")).upper()
        parent = _cell(rec.get("ADM4_PCODE")).upper()
        yield Place(
            id=f"ocha:{code}", name=en or ar, name_ar=ar or None, feature_type="neighbourhood",
            lat=round(c.y, 5), lon=round(c.x, 5), names=NameSet(en, ar).as_tuple(),
            admin1=admin1_from_pcode(adm3), geometry_wkt=wkt, sources=(NAME,), adm1_pcode=adm3[:4],
            adm2_pcode=adm3[:6], adm3_pcode=adm3, parent=parent if _PCODE["community"].fullmatch(parent) else None,
        )


# ----------------------------------------------------------------------------- communities


def _rows(workbook: Path) -> Iterator[dict[str, Any]]:
    """The workbook's first sheet as dicts keyed by its header row."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a dependency of geomap
        raise SourceError(workbook, "reading the OCHA workbook needs openpyxl (pip install openpyxl)") from exc
    try:
        wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for a bad file
        raise SourceError(workbook, f"not a readable .xlsx workbook ({exc.__class__.__name__}: {exc})") from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [clean(h) if isinstance(h, str) else "" for h in next(rows, ())]
        missing = {"LocationName_en", "LocationName_ar", "Location_Pcode", "Latitude_y", "Longitude_x",
                   "admin3Pcode"} - set(header)
        if missing:
            raise SourceError(workbook, f"not OCHA's populated places (missing columns: {', '.join(sorted(missing))})")
        for values in rows:
            yield dict(zip(header, values))
    finally:
        wb.close()


def _communities(workbook: Path, rep: SourceReport, admin: dict[str, tuple[str, str]]) -> Iterator[Place]:
    from geomap.text import normalize_key

    for line, row in enumerate(_rows(workbook), start=2):
        if not any(v not in (None, "") for v in row.values()):
            continue  # a blank line at the end of the sheet
        rep.read += 1
        where = f"{WORKBOOK}:{line}"
        pcode = _cell(row.get("Location_Pcode")).upper()
        adm3 = _cell(row.get("admin3Pcode")).upper()
        if not _PCODE["community"].fullmatch(pcode):
            rep.skip("bad community P-code", where)
            continue
        if not _PCODE["subdistrict"].fullmatch(adm3):
            rep.skip("bad subdistrict P-code", where)
            continue
        lat, lon = to_float(row.get("Latitude_y")), to_float(row.get("Longitude_x"))
        if lat is None or lon is None or not in_syria(lat, lon):
            rep.skip("missing or out-of-Syria coordinates", where)
            continue
        en, alt_en, qual_en = split_name(row.get("LocationName_en"))
        ar, alt_ar, _ = split_name(row.get("LocationName_ar"))
        if not en and not ar:
            rep.skip("missing name", where)
            continue
        if has_arabic(en):  # an Arabic name in the English column
            en, ar = (ar or en), (ar or en)
        if ar and not has_arabic(ar):
            rep.skip("Arabic name without Arabic letters (name dropped, row kept)", where)
            ar, alt_ar = "", []
        names = NameSet(en, ar)
        # the admin4 columns repeat the name, sometimes without OCHA's qualifier
        for col in ("admin4Name_en", "admin4Name_ar"):
            head, alts, _ = split_name(row.get(col))
            names.add_auto(head)
            for text in alts:
                names.add_auto(text)
        # "_" in Arabic: an alternative name; its English side is written "X - Y"
        if alt_ar and qual_en:
            alt_en = [*alt_en, qual_en]
        for text in (*alt_ar, *alt_en):
            names.add_auto(text)
        # the seat of its subdistrict (the nahiya named after it) is a town; a governorate seat a city
        sub_en, sub_ar = admin.get(adm3) or (_cell(row.get("admin3Name_en")), _cell(row.get("admin3Name_ar")))
        sub_keys = {normalize_key(_SEAT_WORD.sub("", s)) for s in (sub_en, sub_ar) if s}
        if is_governorate_seat([en, ar], lat, lon):
            ftype = "city"
        elif sub_keys & {normalize_key(en), normalize_key(ar)} - {""}:
            ftype = "town"
        else:
            ftype = "village"
        rep.kept += 1
        yield Place(
            id=f"ocha:{pcode}", name=en or ar, name_ar=ar or None, feature_type=ftype,
            lat=round(lat, 6), lon=round(lon, 6), names=names.as_tuple(), admin1=admin1_from_pcode(adm3),
            sources=(NAME,), pcode=pcode, adm1_pcode=adm3[:4], adm2_pcode=adm3[:6], adm3_pcode=adm3,
        )
