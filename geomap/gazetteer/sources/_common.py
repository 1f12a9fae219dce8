"""Helpers shared by the gazetteer source readers.

Governorate lookups (ISO 3166-2 code from an OCHA p-code, a GeoNames admin1
code or a name), a small table of Syria's districts, name normalisation,
script detection and geometry simplification.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...errors import SourceError
from .packages import settlement_type  # noqa: F401  (re-exported for the readers)
from ..distance import haversine_km
from ..tables import table_path  # noqa: F401  (re-exported for the readers)

#: Syria's bounding box used to reject bad coordinates: (lat_min, lat_max, lon_min, lon_max).
SYRIA_BBOX: tuple[float, float, float, float] = (32.0, 37.5, 35.5, 42.5)

#: Douglas-Peucker tolerance (degrees) for area polygons kept in the gazetteer.
SIMPLIFY_TOLERANCE = 0.003


# --------------------------------------------------------------------------- text

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_NON_ARABIC_ARABIC_SCRIPT = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06C0\u06D2\u0679\u0688\u0691\u06BE\u06C1]")
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
# zero-width and bidi control characters that some dumps leave around names
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic-script letter."""
    return bool(_ARABIC_LETTER.search(text or ""))


def is_latin(text: str) -> bool:
    """True when ``text`` has Latin letters and no Arabic-script letter."""
    return bool(_LATIN_LETTER.search(text or "")) and not has_arabic(text)


def arabic_lang(text: str) -> str:
    """``ar`` for Arabic-script text without Persian/Urdu-only letters, else ``und``."""
    return "und" if _NON_ARABIC_ARABIC_SCRIPT.search(text) else "ar"


def latin_lang(text: str) -> str:
    """``en`` for plain ASCII Latin text, ``la`` for Latin text with diacritics."""
    return "en" if text.isascii() else "la"


def clean(text: Any) -> str:
    """Strip, NFC-normalise, drop bidi/zero-width marks and collapse whitespace.

    Non-strings give ``''``.
    """
    if not isinstance(text, str):
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()


_EN_ARTICLES = {"al", "el", "ar", "as", "az", "ash", "ad", "ath", "at", "an", "ed", "es", "ez", "er", "en"}
_EN_NOISE = {"governorate", "district", "subdistrict", "markaz", "city", "mantiqah", "nahiyah", "nahiyat", "mohafazat", "center", "centre"}
_AR_NOISE = {"محافظه", "منطقه", "مركز", "مدينه", "ناحيه"}


def norm_name(text: str) -> str:
    """Normalise a place name for lookups (not for display).

    Latin: lower case, accents and apostrophes dropped, hyphens to spaces,
    articles (``al-``, ``Al ``, ``ar-``...) and words like ``governorate``
    removed. Arabic: diacritics and tatweel dropped, alef/ta marbuta/alef
    maqsura folded, words like ``محافظة``/``مركز`` removed.
    """
    text = clean(text)
    if not text:
        return ""
    if has_arabic(text):
        t = _ARABIC_DIACRITICS.sub("", text)
        t = re.sub("[أإآٱ]", "ا", t).replace("ة", "ه").replace("ى", "ي").replace("ؤ", "و").replace("ئ", "ي")
        t = re.sub(r"[^\w\s]", " ", t)
        words = [w for w in t.split() if w not in _AR_NOISE]
        return " ".join(words)
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[`'’‘ʿʾ]", "", t)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    words = [w for w in t.split() if w not in _EN_NOISE]
    while len(words) > 1 and words[0] in _EN_ARTICLES:
        words = words[1:]
    return " ".join(words)


def skeleton(text: str) -> str:
    """Consonant skeleton of a normalised Latin name (``Quinetra`` → ``qntr``).

    Used only as a last-resort fuzzy key for short admin names.
    """
    t = norm_name(text).replace(" ", "")
    t = re.sub(r"[aeiouyw]", "", t)
    t = t.replace("h", "")
    return re.sub(r"(.)\1+", r"\1", t)


# --------------------------------------------------------------------------- governorates


@dataclass(frozen=True)
class Governorate:
    """One row of ``governorates.csv``."""

    iso: str
    geonames_admin1: str
    ocha_pcode: str
    name: str
    name_ar: str
    variants: tuple[str, ...]
    seat: str
    seat_ar: str
    seat_lat: float
    seat_lon: float


@lru_cache(maxsize=1)
def governorates() -> tuple[Governorate, ...]:
    """The 14 governorates of Syria from ``governorates.csv``."""
    rows = []
    with open(table_path("governorates.csv"), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                Governorate(
                    iso=r["iso"],
                    geonames_admin1=r["geonames_admin1"].zfill(2),
                    ocha_pcode=r["ocha_pcode"],
                    name=r["name"],
                    name_ar=r["name_ar"],
                    variants=tuple(v for v in r["variants"].split("|") if v),
                    seat=r["seat"],
                    seat_ar=r["seat_ar"],
                    seat_lat=float(r["seat_lat"]),
                    seat_lon=float(r["seat_lon"]),
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def _gov_indexes() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    by_iso = {g.iso: g.iso for g in governorates()}
    by_gn = {g.geonames_admin1: g.iso for g in governorates()}
    by_pcode = {g.ocha_pcode: g.iso for g in governorates()}
    by_name: dict[str, str] = {}
    by_skel: dict[str, str] = {}
    skel_count: dict[str, int] = {}
    for g in governorates():
        names = {g.name, g.name_ar, *g.variants}
        for n in names:
            key = norm_name(n)
            if key:
                by_name.setdefault(key, g.iso)
        for n in {g.name, *(v for v in g.variants if not has_arabic(v))}:
            sk = skeleton(n)
            if len(sk) >= 3 and by_skel.get(sk) != g.iso:
                skel_count[sk] = skel_count.get(sk, 0) + 1
                by_skel[sk] = g.iso
    by_skel = {k: v for k, v in by_skel.items() if skel_count[k] == 1}
    return by_iso, by_gn, by_pcode, by_name, by_skel


def governorate(iso: str) -> Governorate | None:
    """The governorate with ISO code ``iso`` (``SY-HI``), or None."""
    for g in governorates():
        if g.iso == iso:
            return g
    return None


def admin1_from_iso(code: Any) -> str | None:
    """Validate an ISO 3166-2 code (``SY-HI``); None when not a governorate."""
    return _gov_indexes()[0].get(clean(code).upper()) if code else None


def admin1_from_geonames(code: Any) -> str | None:
    """ISO code from a GeoNames admin1 code (``11``, ``'11.0'``, ``11``)."""
    if code is None or code == "":
        return None
    try:
        key = f"{int(float(str(code).strip())):02d}"
    except ValueError:
        return None
    return _gov_indexes()[1].get(key)


def admin1_from_pcode(code: Any) -> str | None:
    """ISO code from an OCHA admin p-code of any level (``SY04``, ``SY0401``, ``SY040100``)."""
    code = clean(code).upper()
    if not re.fullmatch(r"SY\d{2,}", code):
        return None
    return _gov_indexes()[2].get(code[:4])


def admin1_from_name(name: Any, fuzzy: bool = True) -> str | None:
    """ISO code of the governorate called ``name`` (English/Arabic, any variant).

    ``fuzzy`` allows a unique consonant-skeleton match (``QUINETRA``).
    """
    key = norm_name(name if isinstance(name, str) else "")
    if not key:
        return None
    idx = _gov_indexes()
    iso = idx[3].get(key)
    if iso is None and fuzzy and not has_arabic(name):
        sk = skeleton(name)
        if len(sk) >= 3:
            iso = idx[4].get(sk)
    return iso


distance_km = haversine_km


def is_governorate_seat(names: list[str] | tuple[str, ...], lat: float, lon: float, max_km: float = 12.0) -> bool:
    """True when a place named one of ``names`` at (lat, lon) is a governorate seat."""
    keys = {norm_name(n) for n in names if n}
    for g in governorates():
        if (norm_name(g.seat) in keys or norm_name(g.seat_ar) in keys) and distance_km(lat, lon, g.seat_lat, g.seat_lon) <= max_km:
            return True
    return False


# --------------------------------------------------------------------------- districts

# Syria's districts (mantiqah, OCHA admin2) per governorate: English spellings in
# use (OCHA, GeoNames, press) and the Arabic name. Written from the public
# OCHA/ISO administrative division; used to find the governorate of records
# that only name their district.
_DISTRICTS = """
SY-DI|Damascus|دمشق
SY-HL|Jebel Saman;Jabal Sam'an;Mount Simeon|جبل سمعان
SY-HL|Al Bab;Bab|الباب
SY-HL|A'zaz;Azaz;Aazaz|اعزاز
SY-HL|Afrin;Efrin|عفرين
SY-HL|Ain Al Arab;Ayn al-Arab;Kobani;Kobane|عين العرب
SY-HL|As-Safira;As Safirah;Safira|السفيرة
SY-HL|Jarablus;Jarabulus|جرابلس
SY-HL|Menbij;Manbij|منبج
SY-HL|Atareb;Al Atarib|الأتارب
SY-HL|Dayr Hafir;Deir Hafer|دير حافر
SY-RD|Rural Damascus;Markaz Rif Dimashq;Rif Dimashq|ريف دمشق
SY-RD|Duma;Douma|دوما
SY-RD|Al Qutayfah;Qutayfah|القطيفة
SY-RD|An Nabk;Nabk;Nebek|النبك
SY-RD|At Tall;Al Tall|التل
SY-RD|Az-Zabdani;Az-Zabadani;Zabadani|الزبداني
SY-RD|Darayya;Daraya|داريا
SY-RD|Qatana;Qatna|قطنا
SY-RD|Yabroud;Yabrud|يبرود
SY-RD|Qudsaya|قدسيا
SY-HI|Homs;Hims|حمص
SY-HI|Al-Qusayr;Qusayr;Al Quasir|القصير
SY-HI|Al Makhrim;Al-Mukharram;Mukharram|المخرم
SY-HI|Ar-Rastan;Rastan|الرستن
SY-HI|Tadmor;Tadmur;Palmyra|تدمر
SY-HI|Tall Kalakh;Tell Kalakh;Talkalakh|تلكلخ
SY-HM|Hama;Hamah|حماة
SY-HM|As-Salamiyeh;Salamiyah;Salamiyeh|السلمية
SY-HM|As-Suqaylabiyah;Al-Suqaylabiyah;Suqaylabiyah;As-Saqlabiyah|السقيلبية
SY-HM|Masyaf;Masyaf|مصياف
SY-HM|Muhradah;Mhardeh|محردة
SY-LA|Lattakia;Latakia;Al Ladhiqiyah|اللاذقية
SY-LA|Al-Haffa;Al-Haffah;Haffah|الحفة
SY-LA|Al-Qardaha;Qardahah;Qardaha|القرداحة
SY-LA|Jablah;Jableh|جبلة
SY-ID|Idleb;Idlib|إدلب
SY-ID|Ariha|أريحا
SY-ID|Harim;Harem|حارم
SY-ID|Jisr-Ash-Shugur;Jisr ash-Shughur;Jisr al-Shughur|جسر الشغور
SY-ID|Al Ma'ra;Ma'arrat an-Nu'man;Maarat al-Numan|معرة النعمان
SY-HA|Al-Hasakeh;Al-Hasakah;Hasakah|الحسكة
SY-HA|Quamishli;Al-Qamishli;Qamishli|القامشلي
SY-HA|Al-Malikeyyeh;Al-Malikiyah;Malikiyah;Derik|المالكية
SY-HA|Ras Al Ain;Ra's al-Ayn;Ras al-Ayn|رأس العين
SY-DY|Deir-ez-Zor;Dayr az-Zawr;Deir ez-Zor|دير الزور
SY-DY|Abu Kamal;Al Bukamal;Albu Kamal|البوكمال
SY-DY|Al Mayadin;Mayadin|الميادين
SY-TA|Tartous;Tartus|طرطوس
SY-TA|Banyas;Baniyas|بانياس
SY-TA|Dreikish;Duraykish|دريكيش
SY-TA|Safita|صافيتا
SY-TA|Sheikh Badr;Ash-Shaykh Badr|الشيخ بدر
SY-TA|Qadmus;Qadmous;Al Qadmus|القدموس
SY-RA|Ar-Raqqa;Ar-Raqqah;Raqqa|الرقة
SY-RA|Ath-Thawrah;Al-Thawrah;Tabqa|الثورة
SY-RA|Tell Abiad;Tall Abyad;Tal Abyad|تل أبيض
SY-DR|Dar'a;Daraa|درعا
SY-DR|As-Sanamayn;Sanamayn|الصنمين
SY-DR|Izra';Izraa|ازرع
SY-SU|As-Sweida;As-Suwayda;Suwayda|السويداء
SY-SU|Shahba;Shahba'|شهبا
SY-SU|Salkhad|صلخد
SY-QU|Quneitra;Al Qunaytirah|القنيطرة
SY-QU|Al Fiq;Fiq|فيق
"""


@lru_cache(maxsize=1)
def _district_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for line in _DISTRICTS.strip().splitlines():
        iso, en, ar = line.split("|")
        for n in [*en.split(";"), ar]:
            key = norm_name(n)
            if key:
                idx.setdefault(key, iso)
    return idx


def admin1_from_district(name: Any) -> str | None:
    """ISO code of the governorate of the district called ``name``, or None."""
    key = norm_name(name if isinstance(name, str) else "")
    return _district_index().get(key) if key else None


# --------------------------------------------------------------------------- misc


def in_syria(lat: float, lon: float) -> bool:
    """True when (lat, lon) is inside :data:`SYRIA_BBOX`."""
    la0, la1, lo0, lo1 = SYRIA_BBOX
    return la0 <= lat <= la1 and lo0 <= lon <= lo1


def to_float(value: Any) -> float | None:
    """``float(value)`` or None for missing/invalid/non-finite values."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def to_population(value: Any) -> int | None:
    """A positive population or None (0 means unknown in most dumps)."""
    f = to_float(value)
    return int(f) if f is not None and f > 0 else None


def simplify_wkt(geom: Any, tolerance: float = SIMPLIFY_TOLERANCE) -> str | None:
    """Simplified WKT (5 decimals) of a shapely geometry or GeoJSON mapping.

    Returns None for empty or unusable geometries.
    """
    import shapely
    from shapely.geometry import shape

    try:
        g = shape(geom) if isinstance(geom, dict) else geom
        if g is None or g.is_empty:
            return None
        if not g.is_valid:
            g = shapely.make_valid(g)
        s = g.simplify(tolerance, preserve_topology=True)
        if s.is_empty:
            s = g
        return shapely.to_wkt(s, rounding_precision=5)
    except Exception:  # shapely raises several types for broken input
        return None


class NameSet:
    """Collects a place's extra names, without repeats or primary names."""

    def __init__(self, *primary: str | None) -> None:
        self._seen = {p for p in primary if p}
        self.names: list[Any] = []

    def add(self, text: Any, lang: str, kind: str = "variant") -> None:
        """Add one name unless empty or already present."""
        from ..model import Name

        text = clean(text)
        if text and text not in self._seen:
            self._seen.add(text)
            self.names.append(Name(text, lang, kind))

    def add_auto(self, text: Any, kind: str = "variant", latin_kind: str | None = None) -> None:
        """Add a name, choosing its language from its script."""
        text = clean(text)
        if not text:
            return
        if has_arabic(text):
            self.add(text, arabic_lang(text), kind)
        elif is_latin(text):
            self.add(text, latin_lang(text), latin_kind or kind)
        else:
            self.add(text, "und", kind)

    def as_tuple(self) -> tuple[Any, ...]:
        """The collected names."""
        return tuple(self.names)


def load_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file, raising :class:`SourceError` naming it on failure."""
    p = Path(path)
    if not p.exists():
        raise SourceError(p, "file not found")
    try:
        with open(p, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except UnicodeDecodeError as exc:
        raise SourceError(p, f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(p, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except OSError as exc:
        raise SourceError(p, f"cannot read: {exc.strerror or exc}") from exc


def require_path(path: str | os.PathLike[str]) -> Path:
    """``Path(path)``, raising :class:`SourceError` when it does not exist."""
    p = Path(path)
    if not p.exists():
        raise SourceError(p, "file not found")
    return p
