"""Reader for the Syrian Archive locations JSON.

Each record names a community by a chain ``"community - subdistrict -
district --- (((id)))"`` in English (``search_name_en``) and Arabic
(``search_name_ar``), with an OCHA community p-code
(``closest_geonames_post_code``, ``C####``) and ``lat``/``lon``. Records
flagged ``sa_loc_only`` are Syrian Archive's own spots written
``"GOVERNORATE : place"`` with an admin p-code (``SY0200``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from ...errors import SourceError
from ..model import Place
from ..report import SourceReport
from ._common import (
    NameSet,
    admin1_from_district,
    admin1_from_name,
    admin1_from_pcode,
    clean,
    has_arabic,
    in_syria,
    is_governorate_seat,
    load_json,
    norm_name,
    require_path,
    skeleton,
    to_float,
)

NAME = "syrianarchive"

_TAIL = re.compile(r"\s*-*\s*\(\(\(\s*\d*\s*\)\)\)\s*$")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_COMMUNITY_PCODE = re.compile(r"C\d{3,6}")

# Keyword → feature type for the ``GOVERNORATE : place`` spots (first match wins).
_SPOT_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bair ?base\b|military airport|\bairbase\b", re.I), "airbase"),
    (re.compile(r"\bairport\b", re.I), "airport"),
    (re.compile(r"\bnahiyah\b", re.I), "subdistrict"),
    (re.compile(r"\bmantiqah\b", re.I), "district"),
    (re.compile(r"\bghouta\b", re.I), "region"),
    (re.compile(r"\b(mosque|roundabout|square|sq|st|street|road|bridge|uni|university|mall|hotel|souq|academy|checkpoint)\b\.?", re.I), "landmark"),
)


def _strip_tail(text: Any) -> str:
    return _TAIL.sub("", clean(text)).strip()


def _same(a: str, b: str) -> bool:
    """Loose equality of two admin names (``Efrin`` ~ ``Afrin``, ``Nawa `` ~ ``Nawa``)."""
    na, nb = norm_name(a), norm_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if has_arabic(a) or has_arabic(b):
        return False
    sa, sb = skeleton(a), skeleton(b)
    return len(sa) >= 3 and sa == sb


def _split_community(parts: list[str], admin_parts: list[str]) -> tuple[str, list[str]]:
    """Main name and variants of a community from the leading chain parts.

    A trailing ``(X)`` or a second part naming the subdistrict/district is a
    disambiguator and dropped; otherwise (e.g. ``Ali Elatrash - Olikar``,
    ``علي الأطرش_عليكار``) it is kept as a variant.
    """
    pieces: list[str] = []
    for part in parts:
        pieces += [clean(x) for x in re.split(r"\s*_\s*", part) if clean(x)]
    main = ""
    variants: list[str] = []
    for idx, piece in enumerate(pieces):
        inner = ""
        m = _PAREN.search(piece)
        if m:
            inner, piece = clean(m.group(1)), clean(piece[: m.start()])
        for text, first in ((piece, idx == 0), (inner, False)):
            if not text:
                continue
            if first:
                main = text
            elif not any(_same(text, a) for a in admin_parts):
                variants.append(text)
    if not main and variants:
        main = variants.pop(0)
    return main, [v for i, v in enumerate(variants) if v != main and v not in variants[:i]]


def _spot_type(name: str, gov_en: str, gov_ar: str) -> str:
    """Type of a ``GOVERNORATE : place`` spot: by keyword, the city itself,
    a neighbourhood when the Arabic prefix says ``مدينة X`` (city of X), else a village."""
    for rx, ftype in _SPOT_TYPES:
        if rx.search(name):
            return ftype
    if _same(name, gov_en):
        return "city"
    if gov_ar.startswith("مدينة"):
        return "neighbourhood"
    return "village"


def read(path: str | os.PathLike[str], report: SourceReport | None = None) -> list[Place]:
    """Read the Syrian Archive locations JSON as places.

    Parameters
    ----------
    path
        ``syrianarchive-locations.json``: a JSON list of location records.
    report
        Counts records; ones with missing/invalid coordinates, outside
        Syria's bounding box, without a name or with a repeated id are skipped
        by reason.

    Returns
    -------
    list of Place
        ids ``sa:<C-pcode>`` for OCHA communities, else ``sa:<record id>``;
        villages unless the spot's name says otherwise (neighbourhood,
        landmark, airbase...). ``admin1`` comes from the district named in the
        chain, the governorate prefix or the admin p-code; ``admin2`` is
        always None (the file has no district records).

    Raises
    ------
    SourceError
        Missing file, invalid JSON, or JSON that is not a list of records.
    """
    p = require_path(path)
    rep = report if report is not None else SourceReport(NAME, str(p))
    if not rep.path:
        rep.path = str(p)
    if p.is_dir():
        raise SourceError(p, "expected the Syrian Archive locations JSON file, got a directory")
    data = load_json(p)
    if not isinstance(data, list):
        raise SourceError(p, f"expected a JSON list of location records, got {type(data).__name__}")
    return list(_places(data, rep))


def _places(data: list[Any], rep: SourceReport) -> Iterator[Place]:
    seen: set[str] = set()
    for i, rec in enumerate(data):
        rep.read += 1
        if not isinstance(rec, dict):
            rep.skip("record is not an object", f"[{i}]")
            continue
        rid = rec.get("id", i)
        where = f"id {rid}"
        if rec.get("lat") in (None, "") or rec.get("lon") in (None, ""):
            rep.skip("missing coordinates", where)
            continue
        lat, lon = to_float(rec.get("lat")), to_float(rec.get("lon"))
        if lat is None or lon is None:
            rep.skip("invalid coordinates", where)
            continue
        if not in_syria(lat, lon):
            rep.skip("outside Syria bbox", where)
            continue

        en = _strip_tail(rec.get("search_name_en"))
        ar = _strip_tail(rec.get("search_name_ar"))
        ar_short = _strip_tail(rec.get("search_name_ar_short"))
        old = clean(rec.get("old_sa_name"))
        pcode = clean(rec.get("closest_geonames_post_code"))
        spot = clean(rec.get("sa_loc_only")).upper() == "TRUE" or (" : " in en and " - " not in en)

        names_extra: list[str] = []  # variant names
        if spot:
            gov_en, _, place_en = en.rpartition(":")
            gov_en, place_en = clean(gov_en), clean(place_en)
            ar_src = ar if has_arabic(ar) else (old if has_arabic(old) else "")
            gov_ar, _, place_ar = ar_src.rpartition(":")
            gov_ar, place_ar = clean(gov_ar), clean(place_ar)
            name = place_en or en
            if name.isupper():
                name = name.title()
            name_ar = place_ar or None
            if has_arabic(old):
                old_place = clean(old.rpartition(":")[2])
                if old_place:
                    names_extra.append(old_place)
            admin1 = (
                admin1_from_pcode(pcode)
                or admin1_from_name(gov_en)
                or admin1_from_name(re.sub(r"^مدينة\s*", "", gov_ar.split("-")[0]).strip())
            )
            ftype = _spot_type(name, gov_en, gov_ar)
            pid = f"sa:{rid}"
        else:
            en_parts = [clean(x) for x in en.split(" - ")] if en else []
            ar_parts = [clean(x) for x in ar.split(" - ")] if ar else []
            if len(en_parts) >= 3:
                admin_en = en_parts[-2:]
                name, en_var = _split_community(en_parts[:-2], admin_en)
            else:
                admin_en = []
                name, en_var = _split_community(en_parts, [])
            admin_ar = ar_parts[-3:] if len(ar_parts) >= 4 else ar_parts[-2:] if len(ar_parts) >= 3 else []
            short = ar_short or (ar_parts[0] if ar_parts else "")
            ar_pieces = [x for x in re.split(r"\s*-\s*", short) if x.strip()] if short else []
            name_ar, ar_var = _split_community(ar_pieces, admin_ar) if ar_pieces else ("", [])
            name_ar = name_ar if has_arabic(name_ar) else None
            names_extra += en_var + [v for v in ar_var if has_arabic(v)]
            if has_arabic(old):
                old_place = clean(old.rpartition(":")[2])
                if old_place:
                    names_extra.append(old_place)
            admin1 = None
            for part in ([en_parts[-1]] if admin_en else []) + ([ar_parts[-1]] if admin_ar else []):
                admin1 = admin1_from_district(part)
                if admin1:
                    break
            if admin1 is None:
                for part in reversed(admin_en + admin_ar):
                    admin1 = admin1_from_name(part, fuzzy=False) or admin1_from_district(part)
                    if admin1:
                        break
            admin1 = admin1 or admin1_from_pcode(pcode)
            if is_governorate_seat([name, name_ar or ""], lat, lon):
                ftype = "city"
            elif admin_en and norm_name(name) == norm_name(admin_en[-1]):
                ftype = "town"  # the community that gives its district its name: the district seat
            else:
                ftype = "village"
            pid = f"sa:{pcode}" if _COMMUNITY_PCODE.fullmatch(pcode) else f"sa:{rid}"

        if not name and name_ar:
            name = name_ar
        if not name:
            rep.skip("missing name", where)
            continue
        if pid in seen:
            pid = f"sa:{rid}"
            if pid in seen:
                rep.skip("duplicate id", where)
                continue

        names = NameSet(name, name_ar)
        for text in names_extra:
            names.add_auto(text)
        if _COMMUNITY_PCODE.fullmatch(pcode):
            names.add(pcode, "und", "code")

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
            admin2=None,
            population=None,
            sources=(NAME,),
        )
