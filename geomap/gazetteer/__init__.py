"""The Arabic gazetteer: places, names index, lookup, default and full builds."""

from geomap.gazetteer.load import load_gazetteer
from geomap.gazetteer.model import AREA_TYPES, FEATURE_TYPES, PRECISIONS, Name, Place
from geomap.gazetteer.store import Gazetteer

__all__ = ["AREA_TYPES", "FEATURE_TYPES", "PRECISIONS", "Gazetteer", "Name", "Place", "load_gazetteer"]
