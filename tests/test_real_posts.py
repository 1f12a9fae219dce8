"""Issue 17: places in sentences written like real Arabic and English incident posts —
the right place or an honest no (common words, within=, containers, datelines,
adjectives, place types, places abroad)."""

from __future__ import annotations

from geomap import geocode, geoparse


def mentions(df) -> list[str]:
    return df["mention"].tolist()


def test_wounds_in_a_casualty_sentence_is_no_village(gaz) -> None:
    # «بجروح» = ب + جروح "with wounds"; Khan Shaykhun lies 70 km from the village Juruh
    df = geoparse("استشهد شاب وأصيب آخر بجروح في قصف على مدينة خان شيخون جنوبي إدلب", gazetteer=gaz)
    assert "جروح" not in mentions(df) and "بجروح" not in mentions(df)
    assert "مدينة خان شيخون" in mentions(df)


def test_aggression_is_no_village_but_the_cued_village_is(gaz) -> None:
    df = geoparse("أصيب مدنيون بجروح في عدوان إسرائيلي على مدينة جبلة", gazetteer=gaz)
    assert mentions(df) == ["مدينة جبلة"]
    # with its cue the same name is the incident's village
    df = geoparse("أصيب مدنيون بجروح جراء قصف على قرية عدوان غربي إدلب", gazetteer=gaz)
    row = df[df["mention"] == "قرية عدوان"].iloc[0]
    assert row["resolved"] and row["feature_type"] == "village"
