"""Tests of the Arabic/English date grammar (geomap.events.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.events.dates import best_date, find_dates, parse_date_value, sentence_date

REF = dt.date(2021, 11, 23)  # a Tuesday

CASES = [
    # Arabic, MSA and Levantine months, parts of months, qualifiers
    ("قصفت طائرات مطار التيفور منتصف نوفمبر الجاري", "2021-11-15", "month"),
    ("اندلعت اشتباكات في 15 تشرين الثاني 2021 قرب السفيرة", "2021-11-15", "day"),
    ("في 15 نوفمبر/تشرين الثاني 2021", "2021-11-15", "day"),
    ("في ١٥ تشرين الثاني ٢٠٢١", "2021-11-15", "day"),
    ("يوم 3 شباط 2020", "2020-02-03", "day"),
    ("في 7 آذار", "2021-03-07", "day"),
    ("في 2 كانون الأول", "2020-12-02", "day"),  # a date after REF + 7 days is last year
    ("هجوم أواخر تشرين الأول الماضي", "2021-10-25", "month"),
    ("أوائل كانون الثاني الماضي", "2021-01-05", "month"),
    ("مطلع أيار المقبل", "2022-05-05", "month"),
    ("أواخر آب من العام الماضي", "2020-08-25", "month"),
    ("خلال شهر أيلول", "2021-09-01", "month"),
    ("في تموز 2019", "2019-07-01", "month"),
    ("الشهر الماضي", "2021-10-01", "month"),
    ("في 12 من الشهر الجاري", "2021-11-12", "day"),
    ("عام 2018", "2018-01-01", "year"),
    ("العام الماضي", "2020-01-01", "year"),
    # Arabic relative days and weekdays
    ("قصف مدفعي مساء أمس", "2021-11-22", "day"),
    ("بالأمس", "2021-11-22", "day"),
    ("أول أمس", "2021-11-21", "day"),
    ("أول من أمس", "2021-11-21", "day"),
    ("غارات فجر اليوم", "2021-11-23", "day"),
    ("يوم الثلاثاء", "2021-11-23", "day"),
    ("الثلاثاء الماضي", "2021-11-16", "day"),
    ("يوم الخميس", "2021-11-18", "day"),
    ("الأربعاء", "2021-11-17", "day"),
    ("ليلة السبت", "2021-11-20", "day"),
    # English
    ("The base was hit in mid-November", "2021-11-15", "month"),
    ("Late November 2021", "2021-11-25", "month"),
    ("early March", "2021-03-05", "month"),
    ("at the end of October", "2021-10-25", "month"),
    ("on 15 November 2021", "2021-11-15", "day"),
    ("on the 15th of November", "2021-11-15", "day"),
    ("on November 15, 2021", "2021-11-15", "day"),
    ("on Nov. 3", "2021-11-03", "day"),
    ("in November 2020", "2020-11-01", "month"),
    ("in October", "2021-10-01", "month"),
    ("yesterday", "2021-11-22", "day"),
    ("the day before yesterday", "2021-11-21", "day"),
    ("today", "2021-11-23", "day"),
    ("early on Wednesday", "2021-11-17", "day"),
    ("last Tuesday", "2021-11-16", "day"),
    ("on Tuesday", "2021-11-23", "day"),
    ("last month", "2021-10-01", "month"),
    ("in 2019", "2019-01-01", "year"),
    ("2021-11-15", "2021-11-15", "day"),
    ("15/11/2021", "2021-11-15", "day"),
]


@pytest.mark.parametrize("text,expected,precision", CASES)
def test_grammar(text, expected, precision):
    dm = best_date(text, REF)
    assert dm is not None, text
    assert (dm.date.isoformat(), dm.precision) == (expected, precision)


@pytest.mark.parametrize("text", [
    "Warplanes struck the T-4 airbase",  # dateparser's search_dates reads this as a date
    "غارات على مطار T-4 في ريف حمص",
    "3 killed and 12 wounded near Daraa",
    "اليوم التالي للهجوم",  # "the next day": not today
    "Route M5 and 4 km south",
    "Homs",
    "",
])
def test_not_dates(text):
    assert find_dates(text, REF) == []


def test_relative_needs_reference():
    assert find_dates("أمس", None) == []
    assert find_dates("منتصف نوفمبر الجاري", None) == []
    (dm,) = find_dates("15 تشرين الثاني 2021", None)
    assert dm.date == dt.date(2021, 11, 15) and not dm.relative


def test_longest_match_and_order():
    ms = find_dates("أمس، وفي 15 تشرين الثاني 2021، ومنتصف تشرين الأول", REF)
    assert [(m.date.isoformat(), m.precision) for m in ms] == [
        ("2021-11-22", "day"), ("2021-11-15", "day"), ("2021-10-15", "month")]
    assert ms[1].text == "15 تشرين الثاني 2021"


def test_best_prefers_day_precision():
    dm = best_date("في منتصف نوفمبر، وتحديداً يوم الثلاثاء", REF)
    assert dm.date == REF and dm.precision == "day"


def test_sentence_date_fallbacks():
    assert sentence_date("غارات على مطار التيفور أمس", dt.date(2021, 11, 17)) == (
        dt.date(2021, 11, 16), "day", "text")
    assert sentence_date("غارات على مطار التيفور", dt.date(2021, 11, 17)) == (
        dt.date(2021, 11, 17), "day", "document")
    assert sentence_date("غارات على مطار التيفور", None) == (None, "unknown", None)
    assert sentence_date("clashes in mid-November 2021", None) == (dt.date(2021, 11, 15), "month", "text")


def test_invalid_calendar_dates_are_ignored():
    (dm,) = find_dates("31 شباط 2021", REF)  # no such day: the month is still known
    assert (dm.date, dm.precision) == (dt.date(2021, 2, 1), "month")
    assert find_dates("2021-02-30", REF) == []


@pytest.mark.parametrize("value,expected", [
    ("2021-11-16", dt.date(2021, 11, 16)),
    ("2021-11-16T08:30:00Z", dt.date(2021, 11, 16)),
    ("2021-11-16 08:30:00+03:00", dt.date(2021, 11, 16)),
    ("2021/11/16", dt.date(2021, 11, 16)),
    ("16/11/2021", dt.date(2021, 11, 16)),
    ("16 تشرين الثاني 2021", dt.date(2021, 11, 16)),
    ("November 16, 2021", dt.date(2021, 11, 16)),
    (dt.datetime(2021, 11, 16, 5), dt.date(2021, 11, 16)),
    (dt.date(2021, 11, 16), dt.date(2021, 11, 16)),
    ("November 2021", None),  # partial
    ("yesterday", None),  # relative, no reference
    ("", None),
    (None, None),
    (20211116, None),
])
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


def test_parse_date_value_pandas_timestamp():
    pd = pytest.importorskip("pandas")
    assert parse_date_value(pd.Timestamp("2021-11-16 10:00")) == dt.date(2021, 11, 16)


MSA = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
       "نوفمبر", "ديسمبر"]
LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول"]
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)),
       st.sampled_from(["msa", "levant", "en", "en_mdy", "iso", "dmy"]))
def test_full_dates_round_trip(d, style):
    text = {
        "msa": f"وقع الهجوم في {d.day} {MSA[d.month - 1]} {d.year} قرب حمص",
        "levant": f"وقع الهجوم في {d.day} {LEVANT[d.month - 1]} {d.year} قرب حمص",
        "en": f"The attack near Homs on {d.day} {EN[d.month - 1]} {d.year} killed two",
        "en_mdy": f"The attack near Homs on {EN[d.month - 1]} {d.day}, {d.year} killed two",
        "iso": f"report of {d.isoformat()} from T-4",
        "dmy": f"بتاريخ {d.day:02d}/{d.month:02d}/{d.year}",
    }[style]
    dm = best_date(text, REF)
    assert dm is not None and (dm.date, dm.precision) == (d, "day")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 6))
def test_weekday_is_latest_on_or_before(ref, wd):
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    d = best_date(f"on {names[wd]}", ref).date
    assert d.weekday() == wd and dt.timedelta(0) <= ref - d < dt.timedelta(days=7)
    last = best_date(f"last {names[wd]}", ref).date
    assert last.weekday() == wd and dt.timedelta(days=1) <= ref - last <= dt.timedelta(days=7)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789/-. ،,:T")
                                + ["أمس", "اليوم", "منتصف", "نوفمبر", "تشرين", "الثاني", "last", "Tuesday",
                                   "mid", "2021", "م", "من", "العام", "الماضي", " ", "شهر", "of"]),
                max_size=30).map("".join))
def test_never_raises(text):
    for dm in find_dates(text, REF):
        assert dm.precision in ("day", "month", "year")
        assert dt.date(1900, 1, 1) <= dm.date <= dt.date(2100, 1, 1)


@pytest.mark.parametrize("given", ["2024-03-14", "2024-03-14T09:15:00Z", dt.date(2024, 3, 14),
                                   dt.datetime(2024, 3, 14, 9, 15)])
def test_document_date_as_string_date_or_datetime(given):
    from geomap import extract_events
    from geomap.events.documents import Document

    doc = Document(doc_id="sana-1", text="قصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي يوم الثلاثاء",
                   date=given)
    assert doc.date == dt.date(2024, 3, 14) and type(doc.date) is dt.date
    events = extract_events([doc])
    assert len(events) >= 1
    # the Tuesday before a Thursday 14 March 2024 post
    assert events.iloc[0]["date"].date() == dt.date(2024, 3, 12)


@pytest.mark.parametrize("bad", ["12 March", "yesterday", 20240312, ["2024-03-12"]])
def test_document_date_of_another_kind_is_a_clear_error(bad):
    from geomap.errors import InputError
    from geomap.events.documents import Document

    with pytest.raises(InputError, match="Document 'd1': date .*ISO string"):
        Document(doc_id="d1", text="قصف", date=bad)
