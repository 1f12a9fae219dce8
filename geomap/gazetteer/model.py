"""The gazetteer's data model: :class:`Place` and :class:`Name`.

Coordinates are stored as ``lat``/``lon`` attributes; geometries are shapely
objects in (lon, lat) order, EPSG:4326.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from shapely.geometry.base import BaseGeometry

#: Feature types a place can have, most general first.
FEATURE_TYPES: tuple[str, ...] = (
    "country",
    "governorate",
    "district",
    "subdistrict",
    "region",
    "natural",
    "city",
    "town",
    "village",
    "neighbourhood",
    "camp",
    "farm",
    "airbase",
    "airport",
    "checkpoint",
    "landmark",
)

#: Feature types that are areas (drawn as polygons, never as a pin).
AREA_TYPES: frozenset[str] = frozenset(
    {"country", "governorate", "district", "subdistrict", "region", "natural"}
)

#: Precision codes, most precise first.
PRECISIONS: tuple[str, ...] = ("exact", "near", "district", "governorate", "region", "country")

_PRECISION_OF_TYPE = {
    "country": "country",
    "governorate": "governorate",
    "district": "district",
    "subdistrict": "district",
    "region": "region",
    "natural": "region",
}

#: Name kinds.
NAME_KINDS: tuple[str, ...] = ("official", "variant", "transliteration", "code")


def precision_of_type(feature_type: str) -> str:
    """Return the honest precision of a place of ``feature_type``."""
    return _PRECISION_OF_TYPE.get(feature_type, "exact")


class Name(NamedTuple):
    """One name of a place: its text, language (``ar``, ``en``, ``la`` for
    other Latin transliterations, ``und``) and kind (see :data:`NAME_KINDS`).

    A named tuple (not a dataclass): a gazetteer file holds ~80,000 of them and
    tuples are built several times faster, which keeps the default's load short."""

    text: str
    lang: str = "und"
    kind: str = "variant"


@dataclass(slots=True, eq=False)
class Place:
    """A place of the gazetteer.

    ``id`` is prefixed by its source (``wof:``, ``gn:``, ``icao:``, ``iso:``,
    ``ocha:``, ``geomap:``...). ``admin1`` is the ISO 3166-2 code of the
    governorate (``SY-HI``), ``admin2`` the id of the district place when
    known. ``geometry_wkt`` holds the area of area places; when
    ``geometry_approx`` is true it is an approximation (a buffer or hull)
    rather than a surveyed boundary.

    P-codes are OCHA's (the humanitarian community's join keys): ``pcode`` the
    place's own (``C1007`` a community, ``N0006`` a neighbourhood, ``SY0200``
    an admin area), ``adm1_pcode``/``adm2_pcode``/``adm3_pcode`` its
    governorate, district and subdistrict (``SY02``, ``SY0200``, ``SY020000``).
    ``parent`` is the P-code of the community a neighbourhood belongs to.
    """

    id: str
    name: str
    feature_type: str
    lat: float
    lon: float
    name_ar: str | None = None
    names: tuple[Name, ...] = ()
    country: str = "SY"
    admin1: str | None = None
    admin2: str | None = None
    population: int | None = None
    geometry_wkt: str | None = None
    geometry_approx: bool = False
    sources: tuple[str, ...] = ()
    pcode: str | None = None
    adm1_pcode: str | None = None
    adm2_pcode: str | None = None
    adm3_pcode: str | None = None
    parent: str | None = None
    _geom: Any = field(default=None, repr=False)
    _precision: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """One line: id, name, Arabic name, type, governorate and point.

        ``Place(gn:170063 'As Safīrah' السفيرة city SY-HL 36.0770,37.3730)``
        """
        parts = [self.id, repr(self.name)]
        if self.name_ar:
            parts.append(self.name_ar)
        parts.append(self.feature_type)
        if self.admin1:
            parts.append(self.admin1)
        elif self.country and self.country != "SY":
            parts.append(self.country)
        parts.append(f"{self.lat:.4f},{self.lon:.4f}")
        return f"Place({' '.join(parts)})"

    @property
    def precision(self) -> str:
        """Honest precision code of this place (``exact`` … ``country``).

        Derived places (an offset "east of X") may set a coarser one.
        """
        return self._precision or precision_of_type(self.feature_type)

    @property
    def is_area(self) -> bool:
        """True when the place is an area (governorate, district, region...)."""
        return self.feature_type in AREA_TYPES

    @property
    def point(self) -> tuple[float, float]:
        """The representative point as ``(lat, lon)``."""
        return (self.lat, self.lon)

    @property
    def geometry(self) -> BaseGeometry:
        """The place's geometry: its area for areas, else its point (lon, lat)."""
        if self._geom is None:
            from shapely import Point, from_wkt

            self._geom = from_wkt(self.geometry_wkt) if self.geometry_wkt else Point(self.lon, self.lat)
        return self._geom

    def all_names(self) -> list[str]:
        """Every name text of the place, primary names first, without repeats."""
        seen: dict[str, None] = {}
        for text in (self.name, self.name_ar, *(n.text for n in self.names)):
            if text:
                seen.setdefault(text, None)
        return list(seen)

    def to_record(self) -> list[Any]:
        """Compact list form used by the gazetteer file (see :meth:`from_record`)."""
        return [
            self.id,
            self.name,
            self.feature_type,
            round(self.lat, 6),
            round(self.lon, 6),
            self.name_ar,
            [[n.text, n.lang, n.kind] for n in self.names],
            self.country,
            self.admin1,
            self.admin2,
            self.population,
            self.geometry_wkt,
            self.geometry_approx,
            list(self.sources),
            self.pcode,
            self.adm1_pcode,
            self.adm2_pcode,
            self.adm3_pcode,
            self.parent,
        ]

    @classmethod
    def from_record(cls, rec: list[Any]) -> Place:
        """Rebuild a place from :meth:`to_record` output.

        A record of an older geomap (14 fields, no P-codes) gives a place without P-codes.
        """
        codes = rec[14:19] if len(rec) >= 19 else (None,) * 5
        return cls(
            id=rec[0],
            name=rec[1],
            feature_type=rec[2],
            lat=rec[3],
            lon=rec[4],
            name_ar=rec[5],
            names=tuple(map(_make_name, rec[6])),
            country=rec[7],
            admin1=rec[8],
            admin2=rec[9],
            population=rec[10],
            geometry_wkt=rec[11],
            geometry_approx=rec[12],
            sources=tuple(rec[13]),
            pcode=codes[0],
            adm1_pcode=codes[1],
            adm2_pcode=codes[2],
            adm3_pcode=codes[3],
            parent=codes[4],
        )


_make_name = Name._make
