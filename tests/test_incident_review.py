"""Rules from the review of types, actors and casualties against real incident posts (issue 18).

Sentences written by the project in the style of local Syrian news posts.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest

from geomap.events import Document, extract_events
from geomap.events.actors import read_actors
from geomap.events.casualties import read_casualties


def _events(*texts: str, **kw) -> gpd.GeoDataFrame:
    docs = [Document(doc_id=f"d{i}", text=t, date=dt.date(2020, 2, 11), source="S") for i, t in enumerate(texts)]
    return extract_events(docs, n_jobs=1, **kw)


def _lead(text: str):
    ev = _events(text)
    return ev.sort_values("confidence", ascending=False).iloc[0]


# --- types: a vague keyword at the place takes the means the report states ------------------------

@pytest.mark.parametrize("post, etype", [
    # the explosion is the strike's effect: the headline says warplanes
    ("طائرات حربية تستهدف ريف إدلب الجنوبي\nانفجارات عنيفة هزت بلدة معرة حرمة صباح اليوم", "airstrike"),
    # a weak «قصف» at the place, the drone named in the next sentence
    ("قصف يطال أطراف بلدة الدانا\nوأفاد مراسلنا أن طائرة مسيرة انتحارية كانت تحوم فوق المنطقة", "drone"),
    ("An explosion shook the town of Sarmada this morning.\nWarplanes had been circling over the area.",
     "airstrike"),
])
def test_a_vague_lead_keyword_takes_the_stated_means(post, etype):
    assert _lead(post).event_type == etype


def test_a_sentence_telling_another_incident_keeps_its_keyword():
    ev = _events("قصفت قوات النظام بلدة السفيرة، فيما شنت طائرات حربية غارات على مدينة تدمر")
    assert dict(zip(ev["name"], ev["event_type"])) == {"As Safīrah": "shelling", "Tadmur": "airstrike"}


def test_an_explosion_with_no_means_stated_stays_an_explosion():
    assert _lead("انفجار عبوة ناسفة في مدينة الباب شرقي حلب").event_type == "explosion"


# --- actors: the one named with the strike's means ------------------------------------------------

@pytest.mark.parametrize("post, actor1", [
    # the headline's drone is Turkish; the body names the SDF, who were not the ones striking
    ("الطيران التركي المسير يستهدف ريف القامشلي\n"
     "قتل شاب باستهداف سيارة على طريق قرية تل حميس، وقسد تتوعد بالرد", "Turkey"),
    ("طائرات حربية روسية تغير على جسر الشغور\n"
     "وقال ناشطون إن قوات النظام المتمركزة قرب المدينة رصدت الغارات على بلدة بداما", "Russia"),
    ("Russian warplanes pounded the Idlib countryside.\n"
     "Regime forces said the strikes on the town of Kafr Nabl hit militants.", "Russia"),
    # aircraft without a nationality: nobody is guessed
    ("الطيران الحربي يستهدف سيارة على طريق مدينة البوكمال", None),
])
def test_actor_named_with_the_means(post, actor1):
    got = _lead(post).actor1
    assert (None if got is None or got != got else got) == actor1


@pytest.mark.parametrize("sentence, keyword, actor1", [
    ("استهدفت قوات النظام بالتعاون مع الطيران الروسي مدينة أريحا", "استهدفت", "Russia"),
    ("غارات لقوات النظام وطائرات حربية روسية على بلدة كفرنبل", "غارات", "Russia"),
    ("Regime forces backed by Russian warplanes struck the town of Kafr Nabl", "struck", "Russia"),
    ("قصفت قوات النظام بالمدفعية بلدة كنصفرة", "قصفت", "Syrian government"),
])
def test_the_means_names_who_struck(sentence, keyword, actor1):
    assert read_actors(sentence, [(0, len(sentence))], sentence.index(keyword))[0] == actor1


# --- casualties: the phrasings of local posts ------------------------------------------------------

@pytest.mark.parametrize("sentence, killed", [
    ("قصف صاروخي على بلدة كنصفرة أسفر عن ارتقاء ٧ شهداء في حصيلة أولية", 7),
    ("ارتقى ثلاثة شهداء بينهم طفلان بقصف مدفعي على أريحا", 3),
    ("استشهدت سيدة وأصيب عدد من المدنيين بقصف على بلدة البارة", 1),
    ("استشهاد الرضيع محمد جراء غارة على قرية معرزاف", 1),
    ("قصف للنظام تسبب بمقتل خمسة مدنيين في سرمين", 5),
])
def test_casualty_phrasings_of_local_posts(sentence, killed):
    assert read_casualties(sentence, 0, len(sentence)).fatalities == killed


@pytest.mark.parametrize("sentence, killed, injured", [
    ("شهيدان وثلاثة جرحى بقصف مدفعي على بلدة كفرنبل", 2, 3),  # the dual counts itself
    ("سقوط 3 قتلى على الأقل وأكثر من 20 جريحا بغارات على أريحا", 3, 20),
    ("مقتل طفل (12 عاماً) بقصف على بلدة البارة", 1, None),  # an age, no toll
    ("حملة القتل والتهجير خلال 6 أشهر في ريف حماة", None, None),  # a duration
    ("Regime shelling on Sarmin killed 40-year-old farmer Ahmad and wounded 3 people", None, 3),
])
def test_ages_durations_and_next_clauses_are_no_toll(sentence, killed, injured):
    c = read_casualties(sentence, 0, len(sentence))
    assert (c.fatalities, c.injured) == (killed, injured)


@pytest.mark.parametrize("post, etype", [
    ("استهداف سيارة مدنية بقصف على طريق بلدة الأتارب غربي حلب", "shelling"),
    ("هجوم بقصف على بلدة تفتناز شرقي إدلب", "shelling"),
])
def test_an_act_word_takes_its_own_sentences_means(post, etype):
    assert _lead(post).event_type == etype
