"""Reader for a GeoNames country dump (``SY.txt`` or ``SY.zip``).

The dump is tab-separated with 19 columns (geonameid, name, asciiname,
alternatenames, latitude, longitude, feature class, feature code, country
code, cc2, admin1..admin4 codes, population, elevation, dem, timezone,
modification date).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from ...errors import SourceError
from ..model import Place
from ..report import SourceReport
from ._common import (
    NameSet,
    admin1_from_geonames,
    arabic_lang,
    clean,
    has_arabic,
    in_syria,
    is_latin,
    latin_lang,
    require_path,
    settlement_type,
    to_float,
    to_population,
)

NAME = "geonames"
N_COLUMNS = 19

_ADMIN_TYPES = {"ADM1": "governorate", "ADM2": "district", "ADM3": "subdistrict", "PCLI": "country"}
_FIXED_TYPES = {
    "PPLC": "city",
    "PPLA": "city",
    "PPLX": "neighbourhood",
    "AIRB": "airbase",
    "AIRP": "airport",
    "AIRF": "airport",
    "AIRH": "airport",
    "RGN": "region",
    "RGNE": "region",
    "AREA": "region",
    "PLN": "natural",
    "PLAT": "natural",
    "DSRT": "natural",
    "VAL": "natural",
    "VALS": "natural",
    "MTS": "natural",
    "MT": "natural",
    "HLLS": "natural",
    "OAS": "natural",
}
# Populated places kept and typed by population (historical and capital-of-old
# codes are left out; abandoned/destroyed villages stay: they are in the news).
_PPL_CODES = {"PPL", "PPLA2", "PPLA3", "PPLA4", "PPLF", "PPLL", "PPLR", "PPLS", "PPLQ", "PPLW", "PPLG"}


def _open_text(path: Path, stack: ExitStack) -> tuple[IO[str], str]:
    """Open the dump as text; a zip must hold one ``*.txt`` (``SY.txt`` preferred)."""
    if zipfile.is_zipfile(path):
        try:
            zf = stack.enter_context(zipfile.ZipFile(path))
            names = [n for n in zf.namelist() if n.lower().endswith(".txt") and "readme" not in n.lower()]
            if not names:
                raise SourceError(path, "zip archive holds no GeoNames .txt dump")
            member = next((n for n in names if Path(n).name.upper() == "SY.TXT"), names[0])
            raw = stack.enter_context(zf.open(member))
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise SourceError(path, f"corrupt zip archive: {exc}") from exc
        return stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline="")), f"{path.name}!{member}"
    if path.suffix.lower() == ".zip":
        raise SourceError(path, "not a valid zip archive")
    try:
        return stack.enter_context(open(path, encoding="utf-8", newline="")), path.name
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from exc


def _feature_type(fclass: str, fcode: str, population: int | None) -> str | None:
    if fcode in _ADMIN_TYPES:
        return _ADMIN_TYPES[fcode]
    if fcode in _FIXED_TYPES:
        return _FIXED_TYPES[fcode]
    if fcode in ("PPLA2", "PPLA3", "PPLA4"):
        return "city" if population and population >= 100_000 else "town"
    if fcode in _PPL_CODES:
        return settlement_type(population)
    return None


def read(path: str | os.PathLike[str], report: SourceReport | None = None) -> list[Place]:
    """Read a GeoNames dump as places.

    Parameters
    ----------
    path
        ``SY.txt`` or a zip holding it (``SY.zip`` as downloaded).
    report
        Counts rows; malformed ones (wrong column count, bad coordinates,
        unused feature codes, other countries) are skipped by reason.

    Returns
    -------
    list of Place
        ids ``gn:<geonameid>``; ``admin2`` is the ``gn:`` id of the ADM2
        feature with the same admin1/admin2 codes when the dump has it.

    Raises
    ------
    SourceError
        Missing file, corrupt zip, text that is not UTF-8, or a file with no
        GeoNames row at all.
    """
    p = require_path(path)
    rep = report if report is not None else SourceReport(NAME, str(p))
    if not rep.path:
        rep.path = str(p)
    if p.is_dir():
        raise SourceError(p, "expected SY.txt or SY.zip, got a directory")

    rows: list[tuple[str, list[str]]] = []
    good = 0
    try:
        with ExitStack() as stack:
            fh, label = _open_text(p, stack)
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                rep.read += 1
                where = f"{label}:{lineno}"
                cols = line.split("\t")
                if len(cols) != N_COLUMNS:
                    rep.skip(f"wrong column count (expected {N_COLUMNS})", where)
                    continue
                good += 1
                if cols[8].strip() != "SY":  # e.g. allCountries.txt: keep memory to Syria
                    rep.skip("not in Syria (country code)", where)
                    continue
                rows.append((where, cols))
    except UnicodeDecodeError as exc:
        raise SourceError(p, f"not UTF-8 text ({exc.reason})") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceError(p, f"corrupt or unreadable dump: {exc}") from exc
    if rep.read and not good:
        raise SourceError(p, f"not a GeoNames dump: no line has {N_COLUMNS} tab-separated columns")
    return list(_places(rows, rep))


def _places(rows: list[tuple[str, list[str]]], rep: SourceReport) -> Iterator[Place]:
    # admin2 ids: (admin1 code, admin2 code) -> gn id of the ADM2 feature.
    districts = {
        (c[10].strip(), c[11].strip()): f"gn:{c[0].strip()}"
        for _, c in rows
        if c[7].strip() == "ADM2" and c[11].strip()
    }
    seen: set[str] = set()
    for where, c in rows:
        gid = c[0].strip()
        if not gid.isdigit():
            rep.skip("invalid geonameid", where)
            continue
        lat, lon = to_float(c[4]), to_float(c[5])
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            rep.skip("invalid coordinates", where)
            continue
        if not in_syria(lat, lon):
            rep.skip("outside Syria bbox", where)
            continue
        fclass, fcode = c[6].strip(), c[7].strip()
        population = to_population(c[14])
        ftype = _feature_type(fclass, fcode, population)
        if ftype is None:
            rep.skip("feature code not used", where)
            continue
        pid = f"gn:{gid}"
        if pid in seen:
            rep.skip("duplicate geonameid", where)
            continue
        name_full, ascii_name = clean(c[1]), clean(c[2])
        name = ascii_name or name_full
        if not name:
            rep.skip("missing name", where)
            continue
        alternates = [clean(a) for a in c[3].split(",") if clean(a)]
        arabic = [a for a in alternates if has_arabic(a) and arabic_lang(a) == "ar"]
        name_ar = arabic[0] if arabic else None

        names = NameSet(name, name_ar)
        names.add_auto(name_full, "variant", latin_kind="transliteration")
        is_airport = ftype in ("airport", "airbase")
        for a in alternates:
            if has_arabic(a):
                names.add(a, arabic_lang(a), "variant")
            elif is_airport and a.isupper() and a.isalnum() and len(a) in (3, 4):
                names.add(a, "und", "code")
            elif is_latin(a):
                names.add(a, latin_lang(a), "variant")
            # other scripts (Cyrillic, Greek, CJK...) are of no use to the geoparser

        admin1 = admin1_from_geonames(c[10]) if ftype != "country" else None
        admin2 = None
        if ftype not in ("country", "governorate", "district"):
            admin2 = districts.get((c[10].strip(), c[11].strip()))

        seen.add(pid)
        rep.kept += 1
        yield Place(
            id=pid,
            name=name,
            feature_type=ftype,
            lat=lat,
            lon=lon,
            name_ar=name_ar,
            names=names.as_tuple(),
            country="SY",
            admin1=admin1,
            admin2=admin2,
            population=population,
            sources=(NAME,),
        )
