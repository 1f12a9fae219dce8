"""A geopy ``Geocoder`` backed by the geomap gazetteer (offline).

>>> import geopandas
>>> geopandas.tools.geocode(["حمص", "As Safirah"], provider=GazetteerGeocoder)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.geoparsing.geocode import geocode
from geomap.gazetteer.model import Place
from geomap.gazetteer.store import Gazetteer


def place_to_location(place: Place) -> Location:
    """A geopy :class:`~geopy.location.Location` for ``place`` (raw keeps its fields)."""
    label = place.name if not place.name_ar else f"{place.name} ({place.name_ar})"
    raw = {"id": place.id, "name": place.name, "name_ar": place.name_ar,
           "feature_type": place.feature_type, "precision": place.precision,
           "admin1": place.admin1, "country": place.country}
    return Location(label, (place.lat, place.lon, 0.0), raw)


class GazetteerGeocoder(Geocoder):
    """geopy geocoder that answers from a geomap gazetteer, with no network.

    Parameters
    ----------
    gazetteer : Gazetteer or str, optional
        A gazetteer, or a source for :func:`geomap.load_gazetteer`
        (``"default"``, ``"full"`` or a path). Defaults to ``"default"``.
    within : str, optional
        An area every query must lie in.
    """

    def __init__(self, gazetteer: Gazetteer | str | None = None, *, within: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if gazetteer is None or isinstance(gazetteer, str):
            from geomap.gazetteer.load import load_gazetteer

            gazetteer = load_gazetteer(gazetteer or "default")
        self.gazetteer = gazetteer
        self.within = within

    def geocode(self, query: str, *, exactly_one: bool = True, within: str | None = None,
                **_: Any) -> Location | list[Location] | None:
        """Geocode ``query``; ``exactly_one=False`` gives ranked candidates."""
        area = within or self.within
        if exactly_one:
            place = geocode(query, gazetteer=self.gazetteer, within=area)
            return place_to_location(place) if place else None
        places = self.gazetteer.lookup(query, within=area)
        return [place_to_location(p) for p in places] or None

    def reverse(self, query: Any, *, exactly_one: bool = True, **_: Any) -> Location | list[Location] | None:
        """Nearest settlement to a ``(lat, lon)`` point."""
        from geopy.point import Point as GeoPoint

        from geomap.gazetteer.store import haversine_km

        pt = GeoPoint(query)
        settlements = [p for p in self.gazetteer if p.feature_type in ("city", "town", "village")]
        ranked = sorted(settlements, key=lambda p: haversine_km(pt.latitude, pt.longitude, p.lat, p.lon))
        if not ranked:
            return None
        return place_to_location(ranked[0]) if exactly_one else [place_to_location(p) for p in ranked[:10]]
