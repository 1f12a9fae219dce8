"""Words of the date grammar (:mod:`geomap.events.dates`).

Arabic and English months, weekdays, parts of a month and qualifiers (table
keys go through the text's normaliser), and the regex fragments built from
them.
"""

from __future__ import annotations

import re

from ..text import normalize_ar


_AR_MONTHS: dict[str, int] = {
    "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1,
    "فبراير": 2, "شباط": 2,
    "مارس": 3, "اذار": 3,
    "ابريل": 4, "نيسان": 4,
    "مايو": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7,
    "اغسطس": 8, "اب": 8,
    "سبتمبر": 9, "ايلول": 9,
    "اكتوبر": 10, "تشرين الاول": 10, "تشرين اول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12, "كانون اول": 12,
}
_EN_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"), start=1
):
    _EN_MONTHS[_name] = _i
    if _name != "may":
        _EN_MONTHS[_name[:3]] = _i
_EN_MONTHS["sept"] = 9

_AR_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_EN_WEEKDAYS = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

_AR_PARTS = {
    "أوائل": 5, "مطلع": 5, "بدايه": 5, "بدايات": 5, "منتصف": 15, "اواسط": 15,
    "اواخر": 25, "نهايه": 25, "اخر": 25,
}
_EN_PARTS = {
    "early": 5, "beginning of": 5, "the beginning of": 5, "the start of": 5, "start of": 5,
    "mid": 15, "mid of": 15, "the middle of": 15, "middle of": 15,
    "late": 25, "end of": 25, "the end of": 25,
}
_AR_QUAL = {"الجاري": 0, "الحالي": 0, "الماضي": -1, "المنصرم": -1, "الفائت": -1,
            "السابق": -1, "المقبل": 1, "القادم": 1}

# Table keys go through the same normaliser as the text (أوائل → اوايل,
# beginning → begining).
_AR_MONTHS = {normalize_ar(k): v for k, v in _AR_MONTHS.items()}
_AR_WEEKDAYS = {normalize_ar(k): v for k, v in _AR_WEEKDAYS.items()}
_AR_PARTS = {normalize_ar(k): v for k, v in _AR_PARTS.items()}
_AR_QUAL = {normalize_ar(k): v for k, v in _AR_QUAL.items()}
_EN_MONTHS = {normalize_ar(k): v for k, v in _EN_MONTHS.items()}
_EN_WEEKDAYS = {normalize_ar(k): v for k, v in _EN_WEEKDAYS.items()}
_EN_PARTS = {normalize_ar(k): v for k, v in _EN_PARTS.items()}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_ARM = _alt(_AR_MONTHS)
_ENM = _alt(_EN_MONTHS)
_QUAL = _alt(_AR_QUAL)
_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d/-])\s*م?"
_AR_YEAR_CUE = r"(?:(?:من\s+)?(?:عام|العام|سنه|السنه)\s+)?"
_AR_TAIL = (
    rf"(?:\s*[,،]?\s*{_AR_YEAR_CUE}{_YEAR}"
    rf"|\s+(?:من\s+)?(?P<yqual_kw>العام|السنه)\s+(?P<yqual>{_QUAL})"
    rf"|\s+(?P<qual>{_QUAL}))?"
)
_AR_TAIL_REQ = _AR_TAIL[:-1]
_AR_MONTH_G = rf"(?:شهر\s+)?(?P<month>{_ARM})(?:\s*[/(\-]\s*(?:{_ARM})\s*\)?)?"
_B = r"(?<![\w-])"  # start of a word (also not after a hyphen: "T-4")
_E = r"(?![\w])"
