"""Geometry of relative places: offsets ("10 km east of X"), sectors ("the
eastern countryside of X"), lines between places ("the Homs - Palmyra road")
and shared borders. Shapely objects in (lon, lat) order; points passed in as
``(lat, lon)`` are said so in each signature."""

from __future__ import annotations

import math

from shapely import Point, Polygon
from shapely.affinity import scale
from shapely.geometry.base import BaseGeometry


KM_PER_DEG = 111.32

#: compass directions and their bearings in degrees
BEARINGS: dict[str, float] = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
    "west": 270, "northwest": 315,
}

#: default distance of "east of X" when the text gives none, by the anchor's type
DEFAULT_OFFSET_KM = {"city": 15.0, "town": 8.0, "village": 5.0}


def offset_point(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """(lat, lon) ``km`` away from (lat, lon) along ``bearing`` degrees (flat-earth, fine < 200 km)."""
    b = math.radians(bearing)
    dlat = km * math.cos(b) / KM_PER_DEG
    dlon = km * math.sin(b) / (KM_PER_DEG * max(0.2, math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def circle(lat: float, lon: float, radius_km: float) -> Polygon:
    """A circle of ``radius_km`` around (lat, lon), as a lon/lat polygon."""
    r = radius_km / KM_PER_DEG
    c = Point(lon, lat).buffer(r, 32)
    return scale(c, xfact=1 / max(0.2, math.cos(math.radians(lat))), yfact=1.0, origin=(lon, lat))


def near_area(lat: float, lon: float, direction: str | None, km: float | None,
              anchor_type: str) -> tuple[float, float, Polygon]:
    """The offset area for "(N km) <direction> of" a place: (lat, lon, polygon)."""
    dist = km if km is not None else DEFAULT_OFFSET_KM.get(anchor_type, 10.0)
    if direction is None:
        return lat, lon, circle(lat, lon, max(5.0, dist))
    plat, plon = offset_point(lat, lon, BEARINGS[direction], dist)
    return plat, plon, circle(plat, plon, max(3.0, dist * 0.6))


def sector(area: BaseGeometry, direction: str, anchor: tuple[float, float] | None = None) -> BaseGeometry:
    """The ``direction`` part of ``area``: its intersection with a 135° wedge
    pointing that way from ``anchor`` (lat, lon; default: the area's centroid)."""
    if anchor is None:
        c = area.centroid
        anchor = (c.y, c.x)
    lat, lon = anchor
    b = BEARINGS[direction]
    pts = [(lon, lat)]
    for k in range(-3, 4):
        a = math.radians(b + k * 22.5)
        pts.append((lon + 20 * math.sin(a), lat + 20 * math.cos(a)))
    part = area.intersection(Polygon(pts))
    return part if not part.is_empty else area


def line_between(points: list[tuple[float, float]]) -> BaseGeometry:
    """A line through ``(lat, lon)`` points, in order."""
    from shapely import LineString

    return LineString([(lon, lat) for lat, lon in points])


def midpoint(geom: BaseGeometry) -> tuple[float, float]:
    """``(lat, lon)`` halfway along a line (or the representative point of anything else)."""
    if geom.geom_type in ("LineString", "MultiLineString") and geom.length > 0:
        p = geom.interpolate(0.5, normalized=True)
    else:
        p = geom.representative_point()
    return p.y, p.x


def shared_border(a: BaseGeometry, b: BaseGeometry, tolerance: float = 0.05) -> BaseGeometry:
    """The stretch of boundary two areas share (within ``tolerance`` degrees),
    or the shortest line between them when they do not touch."""
    from shapely import shortest_line

    part = a.boundary.intersection(b.buffer(tolerance))
    if part.is_empty:
        return shortest_line(a, b)
    return part
