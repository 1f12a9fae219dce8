"""Patterns of the date grammar (:mod:`geomap.events.dates`).

Numeric patterns (run on the raw text) and word patterns (run on the
normalised text), and the anchors that pick the patterns worth running on a
sentence (one Aho-Corasick pass).
"""

from __future__ import annotations

import re
from typing import Any

from ..text import normalize_ar
from .date_words import (
    _AR_MONTHS,
    _EN_MONTHS,
    _AR_WEEKDAYS,
    _EN_WEEKDAYS,
    _AR_PARTS,
    _EN_PARTS,
    _alt,
    _ARM,
    _ENM,
    _QUAL,
    _YEAR,
    _AR_TAIL,
    _AR_TAIL_REQ,
    _AR_MONTH_G,
    _B,
    _E,
)


# Numeric dates, matched on the raw text (\d also matches Arabic-Indic digits).
_NUMERIC: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"{_B}(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)")),
    ("dmy", re.compile(rf"{_B}(?P<day>\d{{1,2}})[/.](?P<month>\d{{1,2}})[/.](?P<year>\d{{4}}){_E}")),
]

# Word patterns, matched on the normalised text.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ar_day", re.compile(rf"{_B}(?P<day>\d{{1,2}})\s+(?:من\s+)?{_AR_MONTH_G}{_AR_TAIL}{_E}")),
    ("ar_part", re.compile(
        rf"{_B}[وفب]?(?P<part>{_alt(_AR_PARTS)})\s+{_AR_MONTH_G}{_AR_TAIL}{_E}")),
    ("ar_month_kw", re.compile(
        rf"{_B}[وفب]?شهر\s+(?P<month>{_ARM})(?:\s*[/(]\s*(?:{_ARM})\s*\)?)?{_AR_TAIL}{_E}")),
    ("ar_month", re.compile(rf"{_B}[وفب]?{_AR_MONTH_G}{_AR_TAIL_REQ}{_E}")),
    ("ar_day_rel", re.compile(
        rf"{_B}(?P<day>\d{{1,2}})\s+(?:من\s+)?(?:ال)?شهر\s+(?P<qual>{_QUAL}){_E}")),
    ("ar_rel_month", re.compile(rf"{_B}[وفب]?(?:ال)?شهر\s+(?P<qual>{_QUAL}){_E}")),
    ("ar_rel_year", re.compile(rf"{_B}[وفب]?(?:العام|السنه)\s+(?P<qual>{_QUAL}){_E}")),
    ("ar_year", re.compile(rf"{_B}[وفب]?(?:عام|العام|سنه)\s+{_YEAR}{_E}")),
    ("ar_before_yesterday", re.compile(rf"{_B}[وف]?اول\s+(?:من\s+)?امس{_E}")),
    ("ar_yesterday", re.compile(rf"{_B}[وف]?(?:بال|ب)?(?:امس|البارحه){_E}")),
    ("ar_today", re.compile(rf"{_B}[وف]?اليوم{_E}(?!\s+(?:التالي|نفسه|ذاته|الاول|الثاني|الثالث))")),
    ("ar_weekday", re.compile(
        rf"{_B}(?:(?:يوم|ليله|مساء?|صباح|فجر)\s+)?[وفب]?(?P<wd>{_alt(_AR_WEEKDAYS)})"
        rf"(?:\s+(?P<qual>الماضي|المنصرم|الفايت|السابق))?{_E}")),
    ("en_day", re.compile(
        rf"{_B}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_ENM})\.?"
        rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?{_E}")),
    ("en_mdy", re.compile(
        rf"{_B}(?P<month>{_ENM})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
        rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?{_E}")),
    ("en_part", re.compile(
        rf"{_B}(?P<part>{_alt(_EN_PARTS)})[\s-]+(?P<month>{_ENM})\.?"
        rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?{_E}")),
    ("en_month", re.compile(
        rf"{_B}(?:(?P<month>{_ENM})\.?,?\s+(?P<year>(?:19|20)\d{{2}})"
        rf"|(?:in|during|since|until|of)\s+(?P<month2>{_ENM}))(?!\s+\d){_E}")),
    ("en_rel_month", re.compile(rf"{_B}(?P<qual>this|last|next|earlier\s+this)\s+month{_E}")),
    ("en_rel_year", re.compile(rf"{_B}(?P<qual>this|last)\s+year{_E}")),
    ("en_year", re.compile(rf"{_B}(?:in|during|since|of)\s+(?P<year>(?:19|20)\d{{2}}){_E}(?![/-]\d)")),
    ("en_before_yesterday", re.compile(rf"{_B}the\s+day\s+before\s+yesterday{_E}")),
    ("en_yesterday", re.compile(rf"{_B}yesterday{_E}")),
    ("en_today", re.compile(rf"{_B}(?:today|tonight|this\s+morning){_E}")),
    ("en_weekday", re.compile(
        rf"{_B}(?:(?P<qual>last|this|past|on)\s+)?(?P<wd>{_alt(_EN_WEEKDAYS)}){_E}")),
]


# What a pattern's match always holds, anywhere in the normalised text: a
# sentence is searched only with the patterns whose anchors it has (one
# Aho-Corasick pass finds them all; most news sentences have none).
_ANCHORS: dict[str, str] = {
    "digit": r"\d",
    "ar_month": _alt(k for k in _AR_MONTHS if k != normalize_ar("اب")),
    "ab": normalize_ar("اب"),  # (August: short, inside many words; only ever required beside another)
    "en_month": _alt(_EN_MONTHS),
    "ar_weekday": _alt(_AR_WEEKDAYS),
    "en_weekday": _alt(_EN_WEEKDAYS),
    "ar_part": _alt(_AR_PARTS),
    "qual": _QUAL,
    "shahr": "شهر",
    "year_kw": "عام|سنه",
    "ams": "امس",
    "baraha": "البارحه",
    "alyawm": "اليوم",
    "month_w": "month",
    "year_w": "year",
    "yesterday_w": "yesterday",
    "today_w": "today|tonight|morning",
}
_AR_MONTH_ANY = frozenset({"ar_month", "ab"})
#: for each pattern, groups of anchors: its match holds one anchor of every group
_NEEDS: dict[str, tuple[frozenset[str], ...]] = {k: tuple(frozenset(g) for g in v) for k, v in {
    "iso": [("digit",)], "dmy": [("digit",)],
    "ar_day": [("digit",), _AR_MONTH_ANY], "ar_part": [("ar_part",), _AR_MONTH_ANY],
    "ar_month_kw": [("shahr",), _AR_MONTH_ANY], "ar_month": [_AR_MONTH_ANY],
    "ar_day_rel": [("digit",), ("shahr",)], "ar_rel_month": [("shahr",)],
    "ar_rel_year": [("year_kw",)], "ar_year": [("digit",), ("year_kw",)],
    "ar_before_yesterday": [("ams",)], "ar_yesterday": [("ams", "baraha")], "ar_today": [("alyawm",)],
    "ar_weekday": [("ar_weekday",)],
    "en_day": [("digit",), ("en_month",)], "en_mdy": [("digit",), ("en_month",)],
    "en_part": [("en_month",)], "en_month": [("en_month",)],
    "en_rel_month": [("month_w",)], "en_rel_year": [("year_w",)], "en_year": [("digit",)],
    "en_before_yesterday": [("yesterday_w",)], "en_yesterday": [("yesterday_w",)], "en_today": [("today_w",)],
    "en_weekday": [("en_weekday",)],
}.items()}


def _may_match(kind: str, has: set[str]) -> bool:
    return all(has & group for group in _NEEDS[kind])


_DIGIT = re.compile(r"\d")


def _anchor_words() -> dict[str, frozenset[str]]:
    """Anchor literals (the first word of a multi-word one) and the kinds each stands for."""
    words: dict[str, set[str]] = {}
    for kind, alternation in _ANCHORS.items():
        if kind == "digit":
            continue
        for alt in alternation.split("|"):
            first = re.split(r"\\s\+|\\ ", alt)[0].replace("\\", "")
            words.setdefault(first, set()).add(kind)
    return {w: frozenset(k) for w, k in words.items()}


_ANCHOR_AUTO: Any = None


def _anchors_in(t: str, a: int, b: int) -> set[str]:
    """The anchor kinds present in ``t[a:b]`` (one Aho-Corasick pass; overlapping ones too)."""
    global _ANCHOR_AUTO
    if _ANCHOR_AUTO is None:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for word, kinds in _anchor_words().items():
            auto.add_word(word, kinds)
        auto.make_automaton()
        _ANCHOR_AUTO = auto
    has: set[str] = set()
    if b > a:
        for _, kinds in _ANCHOR_AUTO.iter(t, a, b):
            has |= kinds
    if _DIGIT.search(t, a, b):
        has.add("digit")
    return has
