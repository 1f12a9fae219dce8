"""The offline basemap (countries, governorates, rivers, labels) and Place's one-line repr."""

from __future__ import annotations

from geomap.gazetteer.model import Name, Place


def test_place_repr_is_one_line():
    p = Place(id="gn:170063", name="As Safīrah", feature_type="city", lat=36.077, lon=37.373,
              name_ar="السفيرة", admin1="SY-HL", population=60000,
              names=tuple(Name(f"variant {i}") for i in range(40)),
              geometry_wkt="POLYGON ((37 36, 38 36, 38 37, 37 36))")
    assert repr(p) == "Place(gn:170063 'As Safīrah' السفيرة city SY-HL 36.0770,37.3730)"
    abroad = Place(id="gn:276781", name="Beirut", feature_type="city", lat=33.89, lon=35.5, country="LB")
    assert repr(abroad) == "Place(gn:276781 'Beirut' city LB 33.8900,35.5000)"
