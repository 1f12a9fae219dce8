"""Geoparsing: find place mentions in Arabic and English text, read their cues,
resolve them with an honest precision."""

from geomap.geoparsing.parse import COLUMNS, geoparse, geoparse_many
from geomap.geoparsing.precision import acled_geo_precision, precision_from_ucdp, ucdp_where_prec

__all__ = ["COLUMNS", "acled_geo_precision", "geoparse", "geoparse_many", "precision_from_ucdp",
           "ucdp_where_prec"]
