"""Incidents as analysts code them: target places vs context, one incident per report, types with
ACLED sub-types, actors, casualties and the ACLED export (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest

from geomap.events import Document, classify, extract_events
from geomap.events.actors import read_actors
from geomap.events.casualties import read_casualties
from geomap.events.incidents import body_end, chrome_spans
from geomap.events.lexicon import sub_event_type


def _events(*texts: str, **kw) -> gpd.GeoDataFrame:
    docs = [Document(doc_id=f"d{i}", text=t, date=dt.date(2021, 11, 17), source="S") for i, t in enumerate(texts)]
    return extract_events(docs, n_jobs=1, **kw)


# --- places: where it happened vs context -------------------------------------------------------

def test_direction_reference_and_origin_are_context():
    ev = _events("قصف مدفعي على مدينة اعزاز شمالي حلب من الأراضي التركية، ما أدى إلى إصابة مدنيين")
    assert list(ev["name"]) == ["I‘zāz"] and list(ev["role"]) == ["target"]
    full = _events("قصف مدفعي على مدينة اعزاز شمالي حلب من الأراضي التركية، ما أدى إلى إصابة مدنيين",
                   context=True)
    assert dict(zip(full["name"], full["role"])) == {"I‘zāz": "target", "Aleppo": "reference"}
    assert full["event_id"].nunique() == 1


def test_dateline_and_origin_in_english():
    s = "BEIRUT (Reuters) - Israeli missiles fired from the Golan struck Damascus airport, the army said."
    ev = _events(s)
    assert list(ev["name"]) == ["Damascus International Airport"]
    assert ev.iloc[0].event_type == "airstrike"  # a missile strike on an airport is no "other"
    roles = dict(zip(*_events(s, context=True)[["name", "role"]].T.values))
    assert roles["Beirut"] == "dateline" and roles["Golan Heights"] == "origin"


def test_near_from_is_a_target_not_an_origin():
    ev = _events("سقطت قذائف بالقرب من مدينة سراقب")
    assert list(ev["role"]) == ["target"] and ev.iloc[0].event_type == "shelling"


def test_aircraft_bombing_a_convoy_is_an_airstrike():
    ev = _events("Aircraft bombed a convoy near al-Bukamal on Tuesday.")
    assert list(ev["event_type"]) == ["airstrike"] and ev.iloc[0].sub_event_type == "Air/drone strike"


# --- one incident per report ---------------------------------------------------------------------

def test_a_post_retelling_one_strike_is_one_incident():
    post = ("Facebook\nشبكة أخبار إدلب\nShared with Public\n"
            "غارات روسية على بلدة كفرنبل جنوبي إدلب\n"
            "شنت طائرات حربية روسية صباح اليوم غارات على بلدة كفرنبل، ما أدى إلى مقتل ثلاثة مدنيين وإصابة خمسة آخرين.\n"
            "وقال الدفاع المدني إن الغارات على كفرنبل استهدفت منازل المدنيين.\n"
            "Like Comment Share\n"
            "مقالات ذات صلة\n"
            "اشتباكات بين قسد والجيش الوطني في ريف منبج")
    ev = _events(post)
    assert ev["event_id"].nunique() == 1
    row = ev.iloc[0]
    assert (row.event_type, row["name"], row.actor1, row.fatalities, row.injured) == (
        "airstrike", "Kafranbel", "Russia", 3, 5)
    assert row.actor2 == "Civilians" and row.civilians
    assert "clashes" not in set(ev.event_type)  # the related article is another page's incident


def test_distinct_incidents_stay_apart():
    ev = _events("Russian warplanes struck Kafranbel on Monday. Separately, clashes broke out in Daraa "
                 "between government forces and local fighters.")
    assert set(ev.event_type) == {"airstrike", "clashes"} and ev["event_id"].nunique() == 2


def test_page_chrome_and_trailer():
    text = "Shared with Public\nقصف على سراقب\nاقرأ أيضاً\nقصف على أريحا"
    end = body_end(text)
    assert text[end:].startswith("اقرأ") and chrome_spans(text, end) == [(0, 19)]


def test_repeated_reports_keep_the_highest_count():
    a = "قتل ثلاثة مدنيين بغارة جوية على مدينة سراقب."
    b = "ارتفع عدد القتلى إلى خمسة مدنيين بغارة جوية على مدينة سراقب."
    ev = _events(a, b)
    assert len(ev) == 1 and ev.iloc[0].n_reports == 2 and ev.iloc[0].fatalities == 5


# --- types ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, etype, sub", [
    ("استهدف الطيران المسيّر سيارة على طريق إدلب", "drone", "Air/drone strike"),
    ("مسيّرة تركية تستهدف دراجة نارية قرب القامشلي", "drone", "Air/drone strike"),
    ("نفذت قوات التحالف عملية إنزال جوي في ريف دير الزور", "raid", "Armed clash"),
    ("حملة أمنية ومداهمات في بلدة الصبحة", "raid", "Armed clash"),
    ("A helicopter raid by coalition special forces killed a commander", "raid", "Armed clash"),
    ("قصف صاروخي على بلدة تل رفعت", "shelling", "Shelling/artillery/missile attack"),
    ("Rockets hit a market in Azaz", "shelling", "Shelling/artillery/missile attack"),
    ("انفجار عبوة ناسفة بسيارة في مدينة الباب", "explosion", "Remote explosive/landmine/IED"),
    ("فجّر انتحاري نفسه عند حاجز", "explosion", "Suicide bomb"),
    ("An air raid on Palmyra", "airstrike", "Air/drone strike"),
])
def test_types_and_sub_types(sentence, etype, sub):
    m = classify(sentence)
    assert m.event_type == etype and sub_event_type(m.event_type, m.keyword) == sub


# --- actors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("قصفت القوات التركية مواقع قسد في قرية الدردارة", ("Turkey", "SDF/YPG")),
    ("شنت طائرات حربية روسية غارات على كفرنبل", ("Russia", None)),
    ("قتل مدنيان بقصف لقوات النظام على أريحا", ("Syrian government", "Civilians")),
    ("The Israeli army said its jets struck targets near Damascus", ("Israel", None)),
    ("Coalition aircraft struck ISIS positions near al-Bukamal", ("US-led coalition", "ISIS")),
    ("استهدفت مسيّرة تابعة للتحالف الدولي قيادياً في هيئة تحرير الشام", ("US-led coalition", "HTS")),
    ("الـ.ـغارة الإسـ.ـرائيلية على السيدة زينب", ("Israel", None)),  # obfuscated Facebook spelling
    ("قـ ـصـ ـف مدفـ ـعي تـ ـركي على قرية", ("Turkey", None)),
    ("غارة على بلدة سرمين", (None, None)),  # nothing stated: no guess
])
def test_actors(sentence, expected):
    civ = read_casualties(sentence).civilians
    assert read_actors(sentence, [(0, len(sentence))], None, civ) == expected


# --- casualties -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, killed, injured, civilians", [
    ("مقتل ثلاثة مدنيين وإصابة خمسة آخرين بقصف مدفعي", 3, 5, True),
    ("An airstrike killed at least 12 people", 12, None, False),
    ("three civilians were killed and five wounded", 3, 5, True),
    ("شخصين قتلا وأصيب 2 بجروح", 2, 2, False),
    ("أصيب ٣ أطفال بجروح", None, 3, True),
    ("مقتل خمسة عشر مدنياً", 15, None, True),
    ("مقتل ثلاثة وعشرين شخصا", 23, None, False),
    ("استشهاد 7 بينهم طفلان", 7, None, True),
    ("killing 3-5 people", 3, None, False),
    ("مقتل طفلين", 2, None, True),
    ("مقتل الطفل أحمد بانفجار لغم", 1, None, True),
    ("استشهد مدني وأصيب آخرون برصاص قناص", 1, None, True),
    ("مقتل امرأة وأربعة أطفال بقصف مدفعي", 5, None, True),
    ("أربعة شهداء وعدد من الجرحى", 4, None, False),
    ("قتل وجرح 5 مدنيين", None, None, True),
])
def test_casualties(sentence, killed, injured, civilians):
    c = read_casualties(sentence)
    assert (c.fatalities, c.injured, c.civilians) == (killed, injured, civilians)
    assert c.text and c.text in sentence


def test_vague_toll_keeps_the_phrase():
    c = read_casualties("سقوط عشرات القتلى والجرحى بغارات على المدينة")
    assert c.fatalities is None and c.text == "عشرات القتلى"


def test_casualty_columns_are_nullable_integers():
    ev = _events("غارة جوية على مدينة سراقب.", "Shelling hit Saraqib, killing two children.")
    assert str(ev["fatalities"].dtype) == "Int64" and str(ev["injured"].dtype) == "Int64"


# --- export ---------------------------------------------------------------------------------------

def test_acled_export(tmp_path):
    from geomap.maps.acled import ACLED_COLUMNS
    from geomap.maps.io import to_file

    ev = _events("شنت طائرات حربية روسية غارات على بلدة كفرنبل، ما أدى إلى مقتل ثلاثة مدنيين.")
    out = to_file(ev, tmp_path / "events.csv", schema="acled")
    back = pd.read_csv(out)
    assert tuple(back.columns) == ACLED_COLUMNS
    row = back.iloc[0]
    assert (row.event_type, row.sub_event_type, row.actor1, row.location, row.fatalities) == (
        "Explosions/Remote violence", "Air/drone strike", "Russia", "Kafranbel", 3)
    # OCHA's English admin names (the P-code datasets' spelling: Idleb, Al Ma'ra, Kafr Nobol)
    assert (row.admin1, row.admin2, row.admin3) == ("Idleb", "Al Ma'ra", "Kafr Nobol")
    assert row.geo_precision == 1 and row.event_date == "2021-11-17"
    default = pd.read_csv(to_file(ev, tmp_path / "all.csv"))
    assert {"actor1", "fatalities", "casualty_text", "mention", "geometry"} <= set(default.columns)


def test_acled_export_bad_schema(tmp_path):
    from geomap.errors import InputError
    from geomap.maps.io import to_file

    with pytest.raises(InputError, match="schema"):
        to_file(_events("غارة على سراقب"), tmp_path / "e.csv", schema="ucdp")


def test_cli_acled(tmp_path, capsys):
    from geomap.events.cli import main

    src = tmp_path / "posts.jsonl"
    src.write_text('{"text": "Turkish drones struck a car near Qamishli, killing two men.", "date": "2022-11-20"}\n',
                   encoding="utf-8")
    out = tmp_path / "e.csv"
    assert main(["events", str(src), "-o", str(out), "--schema", "acled", "-q", "-j", "1"]) == 0
    back = pd.read_csv(out)
    assert back.iloc[0].actor1 == "Turkey" and back.iloc[0].fatalities == 2
    assert back.iloc[0].sub_event_type == "Air/drone strike"


def test_facebook_post_glued_to_its_header_is_read():
    text = ("شبكة أخبار إدلب Verified accountMarch 3, 2024 · Shared with Publicقصف مدفعي لقوات النظام "
            "على بلدة سرمين أدى إلى مقتل طفلين.عرض المزيد https://example.org/x All reactions:12")
    end = body_end(text)
    assert text[:end].endswith("طفلين.")  # the comments and "see more" are past the body
    (c0, c1), = chrome_spans(text, end)
    assert text[c1:].startswith("قصف مدفعي")
    ev = _events(text)
    assert (ev.iloc[0].event_type, ev.iloc[0].actor1, ev.iloc[0].fatalities) == ("shelling", "Syrian government", 2)


def test_a_place_named_as_struck_outranks_one_named_in_passing():
    ev = _events("استشهد الشاب محمد من أهالي حماة إثر غارة روسية على قرية كفرنبل")
    top = ev.sort_values("confidence", ascending=False).iloc[0]
    assert top["name"] == "Kafranbel"
