"""Recognition on Syrian incident text as local media and activists write it:
sector forms of the countryside, glued tokens, hashtags, near spellings."""

from __future__ import annotations

import pytest

from geomap import geoparse
from geomap.gazetteer.store import haversine_km

KAFRANBEL = (35.614, 36.564)
WEST_RABIAH = (35.099, 36.615)  # Ar Rabi`ah, west of Hama city (another lies east of it)


def one(df, mention: str):
    rows = df[df["mention"] == mention]
    assert len(rows) == 1, (mention, df["mention"].tolist())
    return rows.iloc[0]


def near(row, point, km: float) -> bool:
    return haversine_km(row["lat"], row["lon"], *point) <= km


# -- countryside sectors ----------------------------------------------------------------
@pytest.mark.parametrize("text,mention,gov,direction", [
    ("قصف مدفعي على ريف إدلب الجنوبي صباح اليوم", "ريف إدلب الجنوبي", "SY-ID", "south"),
    ("غارات روسية على ريف حماة الشمالي", "ريف حماة الشمالي", "SY-HM", "north"),
    ("اشتباكات في ريف حلب الغربي", "ريف حلب الغربي", "SY-HL", "west"),
    ("انفجار لغم في ريف دير الزور الشرقي", "ريف دير الزور الشرقي", "SY-DY", "east"),
    ("قصف على ريف إدلب الشمالي الغربي", "ريف إدلب الشمالي الغربي", "SY-ID", "northwest"),
    ("قصف على جنوب ريف إدلب", "جنوب ريف إدلب", "SY-ID", "south"),
    ("قصف على الريف الجنوبي لإدلب", "الريف الجنوبي لإدلب", "SY-ID", "south"),
    ("Shelling hit southern Idlib countryside", "southern Idlib countryside", "SY-ID", "south"),
    ("Shelling hit the southern countryside of Idlib", "the southern countryside of Idlib", "SY-ID", "south"),
    ("Shelling hit rural southern Idlib", "rural southern Idlib", "SY-ID", "south"),
    ("Shelling hit Idlib's southern countryside.", "Idlib's southern countryside", "SY-ID", "south"),
    ("Shelling hit the countryside of southern Idlib.", "the countryside of southern Idlib", "SY-ID", "south"),
    ("Shelling hit south Idlib countryside.", "south Idlib countryside", "SY-ID", "south"),
    ("قصف على الريف الشمالي الغربي لحماة", "الريف الشمالي الغربي لحماة", "SY-HM", "northwest"),
    ("غارات على ريف حلب الجنوبي الشرقي", "ريف حلب الجنوبي الشرقي", "SY-HL", "southeast"),
])
def test_countryside_sector_forms(gaz, text: str, mention: str, gov: str, direction: str) -> None:
    row = one(geoparse(text, gazetteer=gaz, overrides=None), mention)
    assert row["precision"] == "region" and row["cue"] == f"countryside:{direction}"
    assert row["place_id"] == f"geomap:countryside:{gov}"
    whole = gaz.get(f"geomap:countryside:{gov}").geometry
    sector = row["geometry"]
    assert whole.buffer(0.01).covers(sector) and sector.area < 0.9 * whole.area  # a part, not the whole


def test_both_countrysides_of_a_dual(gaz) -> None:
    df = geoparse("قصف مدفعي على ريفي إدلب وحماة", gazetteer=gaz, overrides=None)
    assert df["place_id"].tolist() == ["geomap:countryside:SY-ID", "geomap:countryside:SY-HM"]
    assert (df["precision"] == "region").all()


def test_sector_of_the_countryside_points_its_way(gaz) -> None:
    df = geoparse("قصف على ريف حماة الغربي وريف حماة الشرقي", gazetteer=gaz, overrides=None)
    west, east = one(df, "ريف حماة الغربي"), one(df, "ريف حماة الشرقي")
    assert west["geometry"].centroid.x < 36.75 < east["geometry"].centroid.x  # either side of Hama city


def test_village_in_a_countryside_sector(gaz) -> None:
    for text in ("قصف مدفعي على قرية الربيعة بريف حماة الغربي", "قصف على قرية الربيعة بالريف الغربي لحماة"):
        df = geoparse(text, gazetteer=gaz, overrides=None)
        village = one(df, "قرية الربيعة")
        assert near(village, WEST_RABIAH, 3), text
        container = df[df["role"] == "container"].iloc[0]
        assert container["cue"] == "countryside:west" and "in:" in village["cue"]


# -- mentions start and end on word boundaries -----------------------------------------------
@pytest.mark.parametrize("text", [
    "غارات على بلدة كفرنبل جنوب إدلب",
    "قصف وبلدة كفرنبل",
    "قصف على مدينة كفرنبل",
])
def test_descriptor_with_a_clitic_like_first_letter_stays_whole(gaz, text: str) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    row = df[df["mention"].str.contains("كفرنبل")].iloc[0]
    assert row["mention"] in ("بلدة كفرنبل", "مدينة كفرنبل")  # not "لدة كفرنبل"
    assert near(row, KAFRANBEL, 3)


# -- glued tokens ----------------------------------------------------------------------------
SARMADA = (36.186, 36.722)
MAARAT = (35.648, 36.677)
SUWAYDA = (32.709, 36.570)
ALEPPO = (36.201, 37.161)
IDLIB = (35.931, 36.634)
SARAQIB = (35.864, 36.806)
TISHRIN_DAM = (36.38, 38.18)
HOMS = (34.724, 36.726)


def at(df, text: str, mention: str):
    """The row of ``mention``, checked to sit at its true offsets in ``text``."""
    row = one(df, mention)
    assert text[row["start"]:row["end"]] == mention and text.find(mention) == row["start"]
    return row


@pytest.mark.parametrize("text,mention,point", [
    ("قصف مدفعي يستهدف #سرمدا_ريف_ادلب صباح اليوم", "سرمدا", SARMADA),
    ("#قصف_معرة_النعمان: غارات روسية على المدينة", "معرة_النعمان", MAARAT),
    ("وقفة احتجاجية في ساحة الكرامة #السويداء12", "السويداء", SUWAYDA),
    ("مظاهرة في السويداء12 اليوم", "السويداء", SUWAYDA),
    ("انفجار سيارة مفخخة في حلب2024", "حلب", ALEPPO),
    ("عاجل من إدلبnews: قصف على الأحياء السكنية", "إدلب", IDLIB),
    ("قصف صاروخي على «سراقب» فجر اليوم", "سراقب", SARAQIB),
    ('تجدد القصف على "سراقب" اليوم', "سراقب", SARAQIB),
    ("Shelling on “Saraqib” this morning", "Saraqib", SARAQIB),
    ("قصف على حمصوقتل طفلان", "حمص", HOMS),
    ("#حلب_الآن قصف على الأحياء الشرقية", "حلب", ALEPPO),
    ("#قصف_سراقب_وكفرنبل منذ الصباح", "سراقب", SARAQIB),
    ("#قصف_سراقب_وكفرنبل منذ الصباح", "كفرنبل", KAFRANBEL),
])
def test_glued_tokens_keep_the_place(gaz, text: str, mention: str, point) -> None:
    row = at(geoparse(text, gazetteer=gaz, overrides=None), text, mention)
    assert near(row, point, 5), (text, row["name"])


def test_a_sector_in_a_hashtag(gaz) -> None:
    row = one(geoparse("#ريف_إدلب_الجنوبي قصف مدفعي", gazetteer=gaz, overrides=None), "ريف_إدلب_الجنوبي")
    assert row["cue"] == "countryside:south" and row["precision"] == "region"


@pytest.mark.parametrize("text,mention", [
    ('قصف على مدينة "سراقب" بريف إدلب', 'مدينة "سراقب"'),
    ("قصف على بلدة «كفرنبل» اليوم", "بلدة «كفرنبل»"),
    ("Shelling hit the town of “Saraqib” today", "the town of “Saraqib”"),
])
def test_a_quoted_name_after_its_descriptor_keeps_both_quotes(gaz, text: str, mention: str) -> None:
    row = at(geoparse(text, gazetteer=gaz, overrides=None), text, mention)
    assert row["resolved"] and row["cue"].startswith("admin")


def test_name_glued_to_the_next_word_by_its_conjunction(gaz) -> None:
    text = "غارة لطيران التحالف قرب سد تشرينوقتل ثلاثة مدنيين"
    df = geoparse(text, gazetteer=gaz, overrides=None)
    row = df[df["mention"].str.contains("سد تشرين")].iloc[0]
    assert row["mention"].endswith("سد تشرين") and near(row, TISHRIN_DAM, 5)
    assert text[row["end"]] == "و"  # the conjunction of وقتل stays out


@pytest.mark.parametrize("text", [
    "قال المسؤول إن السلالتين مختلفتان",  # سلا + لتين: no Syrian name, and a word
    "وتطالبان البلدية بالحل",
    "العبارات الانبوبية بصندوقية",
])
def test_ordinary_words_are_not_split(gaz, text: str) -> None:
    assert geoparse(text, gazetteer=gaz, overrides=None).empty


@pytest.mark.parametrize("text", [
    "#كورونا_الكويت إصابات جديدة",  # another topic
    "حصيلة ضحايا #انفجار_بيروت",  # a place abroad: the event's tag
    "تابعونا على #الشارقة24",  # an outlet's name
    "حساب @السويداء ينشر",  # a handle names an account
])
def test_hashtags_of_other_topics_and_handles_stay_skipped(gaz, text: str) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    names = ("الكويت", "بيروت", "الشارقة", "السويداء")
    assert not any(n in m for m in df["mention"] for n in names), df["mention"].tolist()


# -- property tests ----------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SYRIAN = ["سراقب", "كفرنبل", "سرمدا", "معرة النعمان", "السويداء", "حلب", "ريف إدلب", "سد تشرين", "حمص", "دير الزور"]
GLUE = st.sampled_from(["", " ", "12", "2024", "news", "_", "#", "«", "»", '"', "“", "”", "،", ".", "\n",
                        "وقتل ", "والقصف ", " بلدة ", " قرية ", " في ", " بريف ", " الجنوبي ", "\u200f", "ـ"])
CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك", "ال", "وال", "فال", "بال", "لل", "كال",
           "ولل", "فلل", "وبال", "فبال", "وكال", "فكال")


def _letter(c: str) -> bool:
    return c.isalpha() and not c.isascii() and c != "ـ"  # (a tatweel before a name only stretches it)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(GLUE, st.sampled_from(SYRIAN), GLUE), min_size=1, max_size=5))
def test_mentions_map_back_and_sit_on_word_boundaries(gaz, parts) -> None:
    text = "".join(a + name + b for a, name, b in parts)
    df = geoparse(text, gazetteer=gaz, overrides=None)
    for m, s, e in zip(df["mention"], df["start"], df["end"]):
        assert 0 <= s < e <= len(text) and text[s:e] == m
        # the start: a word's start, or after the word's clitics only (بريف، وحلب), never inside a word
        w = s
        while w > 0 and _letter(text[w - 1]):
            w -= 1
        assert text[w:s] in CLITICS, (text, m, text[w:s])
        # the end: a word's end, or glued to digits, Latin, or a clitic and a word (تشرينوقتل)
        assert e == len(text) or not _letter(text[e]) or text[e] in "وفبل", (text, m, text[e:])


INCIDENT = st.sampled_from(["قصف", "غارات", "انفجار", "اشتباكات", "مظاهرة"])
TAGGED = {"سراقب": "ادلب", "كفرنبل": "ادلب", "سرمدا": "ادلب", "معرة_النعمان": "ادلب"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(INCIDENT, st.sampled_from(sorted(TAGGED)), st.booleans(), st.sampled_from(["", "عاجل: ", "قصف على "]))
def test_a_hashtags_place_is_found_at_its_offsets(gaz, incident: str, name: str, countryside: bool, lead: str) -> None:
    tag = "#" + incident + "_" + name + ("_ريف_" + TAGGED[name] if countryside else "")
    text = lead + tag + " صباح اليوم"
    df = geoparse(text, gazetteer=gaz, overrides=None)
    start = text.index(name)
    got = df[df["start"] == start]
    assert len(got) == 1 and got.iloc[0]["mention"] == name and got.iloc[0]["resolved"], df["mention"].tolist()
    assert got.iloc[0]["end"] == start + len(name)


# -- the adjective after a name is not part of it ----------------------------------------------
@pytest.mark.parametrize("text,mention", [
    ("قصف مدفعي على قرية زغرتونيا الآهلة بالسكان", "قرية زغرتونيا"),  # (a name no gazetteer has)
    ("حصار مدينة زغرتونيا المحاصرة منذ أشهر", "مدينة زغرتونيا"),
    ("قصف على بلدة زغرتونيا المجاورة", "بلدة زغرتونيا"),
    ("قصف على قرية كفرنبل الآهلة بالسكان", "قرية كفرنبل"),
    ("استهداف مدينة صباح الأحمد", "مدينة صباح الأحمد"),  # a family name still continues the name
])
def test_adjective_after_the_name_is_left_out(gaz, text: str, mention: str) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    assert df["mention"].tolist() == [mention]


# -- near spellings ----------------------------------------------------------------------------
MAARSHURIN = (35.668, 36.728)
KAFR_SAJNAH = (35.528, 36.590)


@pytest.mark.parametrize("text,mention,point", [
    ("قصف مدفعي على قرية معرشرين بريف إدلب", "قرية معرشرين", MAARSHURIN),  # معرشورين, a long vowel dropped
    ("غارات على بلدة كفرسجنا جنوب إدلب", "بلدة كفرسجنا", KAFR_SAJNAH),  # كفرسجنة, a final ا for ة
    ("غارات على بلدة سرافب شرق إدلب", "بلدة سرافب", SARAQIB),  # ق written ف
    ("قصف على قرية سرمدة الحدودية", "قرية سرمدة", SARMADA),  # سرمدا
    ("غارات على بلدة تل الطوفان بريف إدلب", "بلدة تل الطوفان", (35.823, 36.954)),  # تل الطوقان, two words
    ("قصف على قرية تل الظمان جنوب حلب", "قرية تل الظمان", (35.808, 37.254)),  # تل الضمان, ض written ظ
])
def test_near_spellings_after_a_settlement_word(gaz, text: str, mention: str, point) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    row = at(df, text, mention)
    assert row["resolved"] and near(row, point, 3)
    exact = one(geoparse(text.replace(mention.split()[1], "سراقب"), gazetteer=gaz, overrides=None),
                mention.split()[0] + " سراقب")
    assert row["confidence"] < exact["confidence"] - 0.1  # clearly below an exact spelling


@pytest.mark.parametrize("text,mention,point", [
    ("قصف مدفعي على معرشرين بريف إدلب", "معرشرين", MAARSHURIN),
    ("قصف مدفعي على معرشرين في ريف إدلب الجنوبي", "معرشرين", MAARSHURIN),
])
def test_near_spellings_before_a_syrian_container(gaz, text: str, mention: str, point) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    row = at(df, text, mention)
    assert near(row, point, 3) and "in:" in row["cue"] and row["confidence"] < 0.8


@pytest.mark.parametrize("text", [
    "قصف على معرشرين بريف حماة",  # Ma`arr Shurin is in Idlib: no Hama village is one edit away
    "قصف على قرية زغرتونيا",  # nothing one edit away
    "أمطار في الكويت وغرق قرية معرشرين",  # a text about another country
    "سيول تجرف بلدة كاملة",  # a word, not a misspelled name
])
def test_near_spellings_need_a_syrian_reading(gaz, text: str) -> None:
    df = geoparse(text, gazetteer=gaz, overrides=None)
    assert not ((df["feature_type"] == "village") | (df["feature_type"] == "town")).any(), df["mention"].tolist()


def test_near_spelling_variants() -> None:
    from geomap.geoparsing.matcher import near_spellings

    got = set(near_spellings("معرشرين"))
    assert "معرشورين" in got  # a long vowel added
    assert {"سراقب"} <= set(near_spellings("سرافب"))  # ق / ف
    assert {"كفر سجنه", "كفرسجنا"} <= set(near_spellings("كفرسجنه"))  # glued or apart; ة / ا
    assert "سرمدا" not in near_spellings("سرمدا")
