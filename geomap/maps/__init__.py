"""Maps of events: folium layers, time filter, offline HTML, file export.

``import geomap.maps`` imports numpy only; folium, pandas and geopandas are
imported when :func:`event_map` or :func:`to_file` is called.
"""

from .io import FORMATS, to_file
from .render import event_map

__all__ = ["FORMATS", "event_map", "to_file"]
