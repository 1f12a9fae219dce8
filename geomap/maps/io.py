"""Write events to files (:func:`to_file`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

#: File formats by extension.
FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".gpkg": "GPKG",
    ".csv": "CSV",
}


#: Column schemas :func:`to_file` writes.
SCHEMAS = ("geomap", "acled")


def to_file(events: gpd.GeoDataFrame, path: str | os.PathLike[str], *, layer: str = "events",
            schema: str = "geomap", gazetteer: object = None) -> Path:
    """Write events to ``path``; the format follows the extension.

    ``schema="geomap"`` (default) writes the frame's columns; ``schema="acled"`` ACLED's
    (:data:`geomap.maps.acled.ACLED_COLUMNS`: event_date, event_type, sub_event_type, actor1,
    actor2, admin1-3, location, latitude, longitude, geo_precision, source, notes, fatalities),
    with ``gazetteer`` (default: the default one) naming the governorate when the frame has no
    ``admin1`` column.

    ``.geojson``/``.json`` (GeoJSON), ``.parquet``/``.geoparquet``
    (GeoParquet), ``.gpkg`` (GeoPackage layer ``layer``, via pyogrio) and
    ``.csv`` (``lat``/``lon`` of the representative point, and the geometry
    as WKT in a ``geometry`` column; coordinates are EPSG:4326). GeoParquet
    and GeoPackage keep dates as date-times (they read back as
    ``datetime64``); GeoJSON and CSV write them as ISO dates.

    Raises
    ------
    InputError
        For an unknown extension or schema, or a missing output directory.
    """
    import geopandas as gpd
    import pandas as pd

    p = Path(path)
    ext = p.suffix.lower()
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise InputError(f"{p}: unknown output format {ext or '(no extension)'!r}; "
                         f"use one of {', '.join(sorted(FORMATS))}")
    if not p.parent.exists():
        raise InputError(f"{p}: directory {p.parent} does not exist")
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"events must be a GeoDataFrame, not {type(events).__name__}")
    if schema not in SCHEMAS:
        raise InputError(f"unknown schema {schema!r}; use one of {', '.join(SCHEMAS)}")
    if schema == "acled":
        from .acled import acled_frame

        flat = acled_frame(events, gazetteer)
        events = gpd.GeoDataFrame(flat, geometry=gpd.points_from_xy(flat["longitude"], flat["latitude"]),
                                  crs="EPSG:4326")
    gdf = events.copy()
    gdf.attrs = {}
    if fmt in ("GeoJSON", "CSV"):
        for c in gdf.columns:
            if c != gdf.geometry.name and pd.api.types.is_datetime64_any_dtype(gdf[c]):
                gdf[c] = gdf[c].dt.strftime("%Y-%m-%d").astype(object).where(gdf[c].notna(), None)
    if fmt == "GeoParquet":
        gdf.to_parquet(p)
    elif fmt == "CSV":
        df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        if schema != "acled":  # (ACLED's latitude and longitude say it)
            if not {"lat", "lon"} <= set(df.columns):  # (events have them; a mentions frame may not)
                pts = gdf.geometry.to_crs(4326).representative_point() if gdf.crs else gdf.geometry.representative_point()
                df["lat"], df["lon"] = pts.y.round(6), pts.x.round(6)
            geo = gdf.geometry.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf.geometry
            df["geometry"] = geo.to_wkt()
        df.to_csv(p, index=False)
    else:
        if p.exists():
            p.unlink()
        kwargs = {"layer": layer} if fmt == "GPKG" else {}
        if len(gdf) == 0:
            kwargs["geometry_type"] = "Unknown"
        gdf.to_file(p, driver=fmt, engine="pyogrio", **kwargs)
    return p
