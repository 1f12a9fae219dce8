"""The query reader: the forms of a place string the recogniser does not read, ranked
by the pipeline's ranker (geomap/geoparsing/query_reader.py), and geocode reading them
without the gazetteer's lookup cascade."""

from __future__ import annotations

import pytest

import geomap.gazetteer.lookup as lookup
from geomap import geocode
from geomap.gazetteer.distance import haversine_km
from geomap.geoparsing.pipeline import Parser
from geomap.geoparsing.query_reader import read_query


def _near(place, lat: float, lon: float, km: float) -> bool:
    return place is not None and haversine_km(place.lat, place.lon, lat, lon) <= km


@pytest.fixture()
def no_lookup(monkeypatch):
    """The gazetteer's lookup cascade fails if geocode reaches it."""
    def fail(*args, **kwargs):
        raise AssertionError("geocode fell back to the gazetteer's lookup")

    monkeypatch.setattr(lookup, "lookup_place", fail)
    monkeypatch.setattr(lookup, "_simple", fail)
    monkeypatch.setattr(lookup, "compound_place", fail)


def test_alternatives_are_read_by_the_ranker(gaz, no_lookup) -> None:
    # "Has/Hassef town": حاس in Idlib's Jabal al-Zawiya, not Ha'il in Saudi Arabia
    assert _near(geocode("Has/Hassef town", gazetteer=gaz), 35.62, 36.59, 3)


def test_an_unknown_qualifier_falls_back_on_the_name(gaz, no_lookup) -> None:
    place, conf, match = read_query(gaz, Parser(gaz).ranker, "Baghuz at-Tahtani")
    assert _near(place, 34.43, 40.99, 5) and match >= 0.9 and 0 < conf <= 0.99
    assert _near(geocode("Baghuz at-Tahtani", gazetteer=gaz), 34.43, 40.99, 5)


def test_a_road_between_two_names_reads_its_ends(gaz, no_lookup) -> None:
    road = geocode("the Saraqib-Ariha road", gazetteer=gaz)
    assert road is not None and road.feature_type == "region"
    assert _near(road, (35.86 + 35.81) / 2, (36.80 + 36.61) / 2, 15)  # between Saraqib and Ariha


def test_gibberish_and_unknown_names_are_no_answer(gaz, no_lookup) -> None:
    assert geocode("xyzzy/qwrtp village", gazetteer=gaz) is None
    assert read_query(gaz, Parser(gaz).ranker, "qwrtpz") == (None, 0.0, 0.0)
