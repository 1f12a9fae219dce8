"""Precision codes and their mapping to ACLED and UCDP conventions.

=============  ===========================================  ======  ===========
geomap         meaning                                      ACLED   UCDP
                                                            geo_    where_prec
                                                            prec.
=============  ===========================================  ======  ===========
exact          the place itself (town, village, airbase)    1       1
near           an offset from a place ("east of Homs")      2       2
district       a district or sub-district                   3       3
governorate    a governorate                                3       4
region         a named region, countryside, road segment    3       5
country        the country                                  3       6
=============  ===========================================  ======  ===========

ACLED ``geo_precision``: 1 = the town, 2 = near the town / a part of a region,
3 = a larger region. UCDP ``where_prec``: 1 exact, 2 within 25 km, 3 second
order admin, 4 first order admin, 5 linear or named region, 6 country,
7 international waters/airspace.
"""

from __future__ import annotations

from geomap.errors import InputError
from geomap.gazetteer.model import PRECISIONS

_ACLED = {"exact": 1, "near": 2, "district": 3, "governorate": 3, "region": 3, "country": 3}
_UCDP = {"exact": 1, "near": 2, "district": 3, "governorate": 4, "region": 5, "country": 6}


def acled_geo_precision(precision: str) -> int:
    """ACLED ``geo_precision`` (1–3) of a geomap precision code."""
    try:
        return _ACLED[precision]
    except KeyError:
        raise InputError(f"unknown precision {precision!r}; one of {PRECISIONS}") from None


def ucdp_where_prec(precision: str) -> int:
    """UCDP GED ``where_prec`` (1–6) of a geomap precision code."""
    try:
        return _UCDP[precision]
    except KeyError:
        raise InputError(f"unknown precision {precision!r}; one of {PRECISIONS}") from None


def precision_from_ucdp(where_prec: int) -> str:
    """The geomap precision code closest to a UCDP ``where_prec``."""
    table = {1: "exact", 2: "near", 3: "district", 4: "governorate", 5: "region", 6: "country", 7: "region"}
    if where_prec not in table:
        raise InputError(f"UCDP where_prec must be 1..7, not {where_prec!r}")
    return table[where_prec]
