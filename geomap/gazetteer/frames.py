"""A gazetteer's places as GeoDataFrames (:meth:`Gazetteer.to_geodataframe`,
:meth:`Gazetteer.boundaries`), EPSG:4326."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from geomap.gazetteer.model import Place

#: columns of :func:`boundaries_frame`
BOUNDARY_COLUMNS = ["id", "name", "name_ar", "admin1", "approx", "geometry"]


def places_frame(places: Iterable[Place]) -> geopandas.GeoDataFrame:
    """All places, one row each; areas and neighbourhoods keep their polygons."""
    import geopandas as gpd

    rows = [{
        "id": p.id, "name": p.name, "name_ar": p.name_ar, "feature_type": p.feature_type,
        "precision": p.precision, "lat": p.lat, "lon": p.lon, "country": p.country,
        "admin1": p.admin1, "admin2": p.admin2, "population": p.population, "pcode": p.pcode,
        "adm1_pcode": p.adm1_pcode, "adm2_pcode": p.adm2_pcode, "adm3_pcode": p.adm3_pcode,
        "parent": p.parent, "geometry_approx": p.geometry_approx, "sources": ",".join(p.sources),
        "geometry": p.geometry,
    } for p in places]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def boundaries_frame(places: Iterable[Place], feature_type: str, country: str) -> geopandas.GeoDataFrame:
    """Area polygons of one admin level, columns :data:`BOUNDARY_COLUMNS`."""
    import geopandas as gpd

    rows = [{"id": p.id, "name": p.name, "name_ar": p.name_ar, "admin1": p.admin1,
             "approx": p.geometry_approx, "geometry": p.geometry}
            for p in places if p.feature_type == feature_type and p.country == country and p.geometry_wkt]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326", columns=BOUNDARY_COLUMNS)
