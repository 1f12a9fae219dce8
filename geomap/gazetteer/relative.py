"""Places made from other places: a sector of an area ("Eastern Daraa
Governorate", "ريف حلب الشمالي"), a place offset from a town ("east of
Homs"), a road or the stretch between two places ("Homs - Palmyra road",
"area between Albu Kamal and Al Mayadin"), the border of two governorates
("Al Hasakah/Deir ez Zor border").

They are :class:`Place` objects that are not in the gazetteer: their id says
how they were made (``geomap:sector:iso:SY-DR:east``), their geometry is
marked approximate, their precision is ``region`` (``near`` for offsets).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shapely import to_wkt

from geomap.gazetteer.model import AREA_TYPES, Name, Place
from geomap.geometry import line_between, midpoint, near_area, sector, shared_border
from geomap.text import normalize_key

#: leading English and trailing Arabic direction adjectives
DIRECTION_ADJ_EN = {
    "eastern": "east", "western": "west", "northern": "north", "southern": "south",
    "northeastern": "northeast", "northwestern": "northwest", "southeastern": "southeast",
    "southwestern": "southwest", "north eastern": "northeast", "north western": "northwest",
    "south eastern": "southeast", "south western": "southwest", "east": "east", "west": "west",
    "north": "north", "south": "south",
}
DIRECTION_ADJ_AR = {
    "الشرقي": "east", "الغربي": "west", "الشمالي": "north", "الجنوبي": "south",
    "الشرقيه": "east", "الغربيه": "west", "الشماليه": "north", "الجنوبيه": "south",
    "الشمالي الشرقي": "northeast", "الشمالي الغربي": "northwest", "الجنوبي الشرقي": "southeast",
    "الجنوبي الغربي": "southwest",
}
_ROAD_WORDS = re.compile(r"\b(?:road|highway|motorway|axis|route|frontline|front line)\b|"
                         r"(?:^|\s)(?:ال)?(?:طريق|اوتوستراد|أوتوستراد|اتوستراد|محور)(?:\s|$)", re.I)
_BORDER_WORDS = re.compile(r"\bborders?\b|(?:^|\s)(?:ال)?حدود(?:\s|$)", re.I)
_BETWEEN = re.compile(r"^(?:the )?(?:area |region |road )?between (.+?) and (.+)$|^(?:المنطقه )?بين (.+?) و(.+)$", re.I)
#: separators of compound names: a slash, a dash with spaces, or a hyphen before a capital
_SEP = re.compile(r"\s*/\s*|\s+[-–—]\s+|\s*[–—]\s*|(?<=\w)-(?=[A-Z])|(?<=[\u0600-\u06ff])\s*-\s*(?=[\u0600-\u06ff])")
_ARTICLE_END = re.compile(r"(?:^|\s)(?:al|el|ez|es|as|ad|ash|az|at|ar|an|ath|adh|ed)$", re.I)
#: "10 km north of Homs", "north of Homs", "شمال شرق حمص", "10 كم شرق حمص"
_OFFSET = re.compile(
    r"^(?:(\d+(?:\.\d+)?) ?(?:km|kms|kilometers|kilometres|كم|كلم|كيلومتر|كيلومترات) )?"
    r"(north ?east|north ?west|south ?east|south ?west|north|south|east|west|"
    r"شمال شرق|شمال غرب|جنوب شرق|جنوب غرب|شمال|جنوب|شرق|غرب)(?: of)? (.+)$", re.I)
_AR_DIR = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}

#: geocodes a simple part, optionally preferring some feature types
Resolver = Callable[..., Place | None]


def _derived(pid: str, name: str, geom, feature_type: str = "region", *, point=None,
             base: Place | None = None) -> Place:
    lat, lon = point if point is not None else midpoint(geom)
    return Place(id=pid, name=name, feature_type=feature_type, lat=round(lat, 6), lon=round(lon, 6),
                 name_ar=None, names=(Name(name, "en", "variant"),), country=base.country if base else "SY",
                 admin1=base.admin1 if base else None, geometry_wkt=to_wkt(geom, rounding_precision=5),
                 geometry_approx=True, sources=("geomap-derived",))


def sector_place(area: Place, direction: str, anchor: tuple[float, float] | None = None) -> Place:
    """The ``direction`` part of an area place."""
    geom = sector(area.geometry, direction, anchor)
    return _derived(f"geomap:sector:{area.id}:{direction}", f"{direction} {area.name}", geom, base=area)


def offset_place(place: Place, direction: str | None, km: float | None = None) -> Place:
    """An area ``km`` (default by type) in ``direction`` of a point place; precision ``near``."""
    lat, lon, geom = near_area(place.lat, place.lon, direction, km, place.feature_type)
    p = _derived(f"geomap:near:{place.id}:{direction or 'around'}", f"{direction or 'near'} of {place.name}",
                 geom, point=(lat, lon), base=place)
    p.feature_type = place.feature_type
    p._precision = "near"
    return p


def line_place(places: list[Place], kind: str = "road") -> Place:
    """A road (or the stretch) through two or more places."""
    geom = line_between([(p.lat, p.lon) for p in places])
    name = " - ".join(p.name for p in places) + (" road" if kind == "road" else "")
    return _derived(f"geomap:{kind}:" + "|".join(p.id for p in places), name, geom, base=places[0])


def border_place(a: Place, b: Place) -> Place:
    """The border between two areas (or the line between two points)."""
    if a.is_area and b.is_area:
        geom = shared_border(a.geometry, b.geometry)
    else:
        geom = line_between([(a.lat, a.lon), (b.lat, b.lon)])
    return _derived(f"geomap:border:{a.id}|{b.id}", f"{a.name} / {b.name} border", geom, base=a)


def split_parts(text: str) -> list[str]:
    """Split "Homs - Palmyra", "Al Hasakah/Deir ez Zor", "Aleppo-Damascus" into names
    (a hyphen after an article stays: "Deir ez-Zor")."""
    parts: list[str] = []
    pos = 0
    for m in _SEP.finditer(text):
        left = text[pos:m.start()]
        if m.group().strip() == "-" and _ARTICLE_END.search(left):
            continue  # ez-Zor, al-Safira
        parts.append(text[:m.start()] if not parts and pos == 0 else left)
        pos = m.end()
    parts.append(text[pos:])
    return [p.strip() for p in parts if p.strip()]


def _direction(word: str) -> str | None:
    w = word.lower().replace(" ", "")
    if w in ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"):
        return w
    ar = word.split()
    if all(x in _AR_DIR for x in ar):
        return "".join(_AR_DIR[x] for x in ar)
    return None


def compound(query: str, resolve: Resolver, is_name: Callable[[str], bool]) -> Place | None:
    """A derived place for a compound query, or None when the query is not one.

    ``resolve(text, types=None)`` geocodes the simple parts (it is
    :func:`geomap.geocode` without the compound step); ``is_name(text)`` says
    whether the whole query is a name in the gazetteer ("Eastern Ghouta" is
    one, so it is not the east of Ghouta).
    """
    text = query.strip()
    if is_name(text):
        return None
    m = _OFFSET.match(text)
    if m and _direction(m.group(2)):
        base = resolve(m.group(3))
        if base is not None:
            direction = _direction(m.group(2))
            if base.feature_type in AREA_TYPES and not m.group(1):
                return sector_place(base, direction)
            return offset_place(base, direction, float(m.group(1)) if m.group(1) else None)
    m = _BETWEEN.match(text)
    if m:
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        pa, pb = resolve(a), resolve(b)
        if pa and pb:
            return line_place([pa, pb], kind="between")
    if _ROAD_WORDS.search(text) or _BORDER_WORDS.search(text):
        border = bool(_BORDER_WORDS.search(text))
        core = _BORDER_WORDS.sub(" ", _ROAD_WORDS.sub(" ", text)).strip(" ,")
        parts = split_parts(core)
        if len(parts) >= 2:
            # a border is between areas: prefer governorates, then anything
            places = [(resolve(p, {"governorate", "country", "district"}) if border else None) or resolve(p)
                      for p in parts]
            if all(places):
                if border and len(places) == 2:
                    return border_place(places[0], places[1])  # type: ignore[arg-type]
                return line_place(places)  # type: ignore[arg-type]
    # direction adjective: "Eastern Daraa Governorate", "ريف حلب الشمالي"
    key = normalize_key(text)
    direction, rest = None, text
    for adj in sorted(DIRECTION_ADJ_EN, key=len, reverse=True):
        if key.startswith(adj + " "):
            direction, rest = DIRECTION_ADJ_EN[adj], " ".join(text.split()[len(adj.split()):])
            break
    if direction is None:
        for adj in sorted(DIRECTION_ADJ_AR, key=len, reverse=True):
            if key.endswith(" " + adj):
                direction = DIRECTION_ADJ_AR[adj]
                rest = " ".join(text.split()[: -len(adj.split())])
                break
    if direction is None or not rest.strip():
        return None
    base = resolve(rest)
    if base is None:
        return None
    if base.feature_type in AREA_TYPES:
        return sector_place(base, direction)
    return offset_place(base, direction)
