"""Reader for the Open-Syria geography admin JSON files.

The directory holds ``governorates.json``, ``districts.json`` and
``subdistricts.json``: lists of records with ``id``, ``name.en``/``name.ar``,
``aliases`` (value, language, type), ``centroid`` (latitude, longitude),
``externalIds.ochaPcode``, ``iso31662`` (governorates) and parent ids
(``governorateId``, ``districtId``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import SourceError
from ..model import Place
from ..report import SourceReport
from ._common import (
    NameSet,
    admin1_from_iso,
    admin1_from_name,
    admin1_from_pcode,
    clean,
    in_syria,
    load_json,
    require_path,
    simplify_wkt,
    to_float,
    to_population,
)

NAME = "opensyria"

#: (file name, feature type), most general first: parents are read before children.
FILES: tuple[tuple[str, str], ...] = (
    ("governorates.json", "governorate"),
    ("districts.json", "district"),
    ("subdistricts.json", "subdistrict"),
)

_KINDS = {"formal": "official", "official": "official", "transliteration": "transliteration", "code": "code"}


def _records(path: Path) -> list[Any]:
    data = load_json(path)
    if isinstance(data, dict):
        # tolerate {"governorates": [...]} style wrappers holding one list
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            data = lists[0]
    if not isinstance(data, list):
        raise SourceError(path, f"expected a JSON list of records, got {type(data).__name__}")
    return data


def _pid(rec: dict[str, Any]) -> str | None:
    ext = rec.get("externalIds") if isinstance(rec.get("externalIds"), dict) else {}
    pcode = clean(ext.get("ochaPcode"))
    if pcode:
        return f"ocha:{pcode}"
    own = clean(rec.get("id")) if isinstance(rec.get("id"), str) else str(rec.get("id") or "")
    return f"ocha:{own}" if own else None


def read(path: str | os.PathLike[str], report: SourceReport | None = None) -> list[Place]:
    """Read Open-Syria governorates, districts and subdistricts as places.

    Parameters
    ----------
    path
        The geography directory (or one of its JSON files).
    report
        Counts records; ones without a usable name, centroid or id are
        skipped by reason.

    Returns
    -------
    list of Place
        ids ``ocha:<p-code>`` (``ocha:<record id>`` without one); points at
        the centroid unless a record carries a GeoJSON ``geometry``.

    Raises
    ------
    SourceError
        Missing path, a directory without the expected files, invalid JSON,
        or a JSON file that is not a list of records.
    """
    p = require_path(path)
    rep = report if report is not None else SourceReport(NAME, str(p))
    if not rep.path:
        rep.path = str(p)
    if p.is_dir():
        files = [(p / fname, ftype) for fname, ftype in FILES if (p / fname).is_file()]
        if not files:
            raise SourceError(p, "no governorates.json, districts.json or subdistricts.json in this directory")
    else:
        ftype = next((t for fname, t in FILES if fname == p.name), None)
        if ftype is None:
            raise SourceError(p, "expected governorates.json, districts.json or subdistricts.json")
        files = [(p, ftype)]
    loaded = [(f, t, _records(f)) for f, t in files]
    return list(_places(loaded, rep))


def _places(loaded: list[tuple[Path, str, list[Any]]], rep: SourceReport) -> Iterator[Place]:
    gov_iso: dict[str, str] = {}  # record id -> ISO code
    dist_pid: dict[str, str] = {}  # record id -> place id
    dist_iso: dict[str, str] = {}
    seen: set[str] = set()
    for path, ftype, records in loaded:
        for i, rec in enumerate(records):
            rep.read += 1
            where = f"{path.name}[{i}]"
            if not isinstance(rec, dict):
                rep.skip("record is not an object", where)
                continue
            rid = clean(rec.get("id")) if isinstance(rec.get("id"), str) else ""
            where = f"{path.name}:{rid or i}"
            nm = rec.get("name") if isinstance(rec.get("name"), dict) else {}
            name_en, name_ar = clean(nm.get("en")), clean(nm.get("ar")) or None
            if not name_en and not name_ar:
                rep.skip("missing name", where)
                continue
            cen = rec.get("centroid") if isinstance(rec.get("centroid"), dict) else {}
            lat, lon = to_float(cen.get("latitude")), to_float(cen.get("longitude"))
            if lat is None or lon is None:
                rep.skip("missing coordinates", where)
                continue
            if not in_syria(lat, lon):
                rep.skip("outside Syria bbox", where)
                continue
            pid = _pid(rec)
            if pid is None:
                rep.skip("missing id", where)
                continue
            if pid in seen:
                rep.skip("duplicate id", where)
                continue
            ext = rec.get("externalIds") if isinstance(rec.get("externalIds"), dict) else {}
            pcode = clean(ext.get("ochaPcode"))

            admin2 = None
            if ftype == "governorate":
                admin1 = admin1_from_iso(rec.get("iso31662")) or admin1_from_pcode(pcode) or admin1_from_name(name_en)
                if rid and admin1:
                    gov_iso[rid] = admin1
            else:
                admin1 = gov_iso.get(clean(rec.get("governorateId")) if isinstance(rec.get("governorateId"), str) else "")
                admin1 = admin1 or admin1_from_pcode(pcode)
                if ftype == "district":
                    if rid:
                        dist_pid[rid] = pid
                        if admin1:
                            dist_iso[rid] = admin1
                else:
                    did = clean(rec.get("districtId")) if isinstance(rec.get("districtId"), str) else ""
                    admin2 = dist_pid.get(did)
                    admin1 = admin1 or dist_iso.get(did)

            name = name_en or name_ar or ""
            names = NameSet(name, name_ar)
            aliases = rec.get("aliases") if isinstance(rec.get("aliases"), list) else []
            for a in aliases:
                if isinstance(a, str):
                    names.add_auto(a)
                elif isinstance(a, dict):
                    kind = _KINDS.get(clean(a.get("type")), "variant")
                    names.add_auto(a.get("value"), kind)
            if pcode:
                names.add(pcode, "und", "code")

            pop = rec.get("population")
            population = to_population(pop.get("value") if isinstance(pop, dict) else pop)
            geometry = rec.get("geometry")
            geometry_wkt = simplify_wkt(geometry) if isinstance(geometry, dict) else None

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
                geometry_wkt=geometry_wkt,
                sources=(NAME,),
            )
