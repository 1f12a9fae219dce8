"""One resolver: the fitted ranker, the country prior, containment, the calibrated abstain."""

from __future__ import annotations

import json

import pytest

from geomap import geocode, geoparse, load_gazetteer
from geomap.gazetteer import rank
from geomap.gazetteer.store import haversine_km
from geomap.gazetteer.tables import table_path


def near(x, point: tuple[float, float], km: float) -> bool:
    return haversine_km(float(x.lat), float(x.lon), *point) <= km


def one(df, mention: str):
    rows = df[df["mention"] == mention]
    assert len(rows) == 1, (mention, df["mention"].tolist())
    return rows.iloc[0]


ARIHA = (35.814, 36.610)  # Ariha, Idlib — not Jericho (31.87, 35.45)


def test_shipped_weights_are_the_fitted_ones() -> None:
    doc = json.loads(table_path("ranker.json").read_text(encoding="utf-8"))
    assert doc["features"] == list(rank.FEATURES) and doc["meta"]["fitted"]
    w = rank.weights()
    assert w.meta["fitted"] and w.coef != rank.HAND.coef and 0 < w.abstain_below < 0.5
    # the signs the fit is bounded to
    coef = dict(zip(rank.FEATURES, w.coef, strict=True))
    assert coef["match"] > 0 and coef["inside"] > 0 and coef["outside"] < 0 and coef["near_others"] > 0


def test_geocode_and_geoparse_agree(gaz) -> None:
    for text in ("قرية حاس", "Saraqib town", "مطار T-4", "منطقة السفيرة", "Kafr Nabl"):
        place = geocode(text, gazetteer=gaz)
        row = geoparse(text, gazetteer=gaz)
        row = row[row["resolved"] & (row["role"] == "place")].iloc[0]
        assert place is not None and place.id == row["place_id"], text


@pytest.mark.parametrize("text", ["xyzzy", "qwerty", "asdf", "zzzz qqqq"])
def test_gibberish_is_no_place(gaz, text: str) -> None:
    assert geocode(text, gazetteer=gaz) is None
    assert geoparse(text, gazetteer=gaz).empty


def test_the_village_of_hass_is_never_hail(gaz) -> None:
    place = geocode("the village of Hass", gazetteer=gaz)
    assert place is None or place.country == "SY"
    assert place is not None and near(place, (35.616, 36.591), 3)
    row = one(geoparse("Airstrikes hit the village of Hass in southern Idlib", gazetteer=gaz), "the village of Hass")
    assert row["place_id"] == place.id


@pytest.mark.parametrize("query", ["Kum village", "Mansoura village", "Al Bani village", "Taybeh village"])
def test_a_village_string_never_gets_a_place_abroad(gaz, query: str) -> None:
    # (Qom, al-Mansurah, Baneh, at-Taybeh in Jordan were picked before)
    place = geocode(query, gazetteer=gaz)
    assert place is None or place.country == "SY", place


def test_country_prior_of_a_syrian_document(gaz) -> None:
    df = geoparse("قصف صاروخي على مدينة أريحا وسراقب في ريف إدلب", gazetteer=gaz)
    assert near(one(df, "مدينة أريحا"), ARIHA, 5)  # was Jericho
    assert near(one(df, "أريحا"), ARIHA, 5) if "أريحا" in set(df["mention"]) else True
    assert near(geoparse("قصف على أريحا", gazetteer=gaz).iloc[0], ARIHA, 5)
    # and the text can still say otherwise
    df = geoparse("مواجهات في أريحا بالضفة الغربية قرب القدس", gazetteer=gaz)
    assert one(df, "أريحا")["lat"] < 32.5


def test_containment_filters_homonyms(gaz) -> None:
    # four villages are called الطيبة; the container says which
    df = geoparse("قصف على قرية الطيبة بريف درعا الشرقي", gazetteer=gaz)
    assert gaz.get(one(df, "قرية الطيبة")["place_id"]).admin1 == "SY-DR"
    df = geoparse("Clashes in Ariha, Idlib province", gazetteer=gaz)
    assert near(one(df, "Ariha"), ARIHA, 5)
    # within= does the same for geocode, and filters: no Homs in Aleppo governorate
    assert geocode("القصير", gazetteer=gaz, within="محافظة حمص").admin1 == "SY-HI"
    assert geocode("Homs", gazetteer=gaz, within="Aleppo Governorate") is None


def test_an_abstained_mention_is_reported_with_its_best_candidate(gaz) -> None:
    # a weak close spelling in a document about another country: shown, not placed
    df = geoparse("Floods hit Qumbazi village near Basra", gazetteer=gaz)
    for _, row in df.iterrows():
        if not row["resolved"] and str(row["reason"]).startswith("low confidence"):
            assert row["place_id"] and row["geometry"] is None and row["confidence"] < rank.abstain_below()
    # every mention is a row: resolved, abstained or not in the gazetteer
    assert df["mention"].notna().all()


def test_confidence_is_calibrated_on_the_dev_strings() -> None:
    cal = rank.weights().meta.get("calibration_cv")
    assert cal, "bench/fit_ranker.py writes its cross-validated calibration table"
    top = next(b for b in cal if b["bin"] == "0.8-1.0")
    assert top["n"] > 100 and top["correct"] >= 0.8
    low = next(b for b in cal if b["bin"] == "0.0-0.2")
    assert low["correct"] < 0.3


def test_user_places_and_overrides_go_through_the_same_ranker(gaz) -> None:
    from geomap.gazetteer.model import Place
    from geomap.gazetteer.user import with_places

    mine = Place(id="user:hass-camp", name="Hass", name_ar="حاس", feature_type="camp", lat=35.62, lon=36.60,
                 country="SY", admin1="SY-ID", sources=("user",))
    g = with_places(load_gazetteer("default"), [mine])
    assert geocode("حاس", gazetteer=g).id == "user:hass-camp"  # the user's place beats its namesakes
