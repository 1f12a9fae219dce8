"""A small date grammar for Arabic and English news text.

Recognised (word patterns run on :func:`geomap.text.normalize` output, so
hamza, ta-marbuta and tashkeel spellings do not matter; numeric dates run
on the raw text because the shared normaliser folds ``-`` and ``/`` to
spaces; offsets are mapped back to the original text):

* Arabic months, MSA (يناير … ديسمبر) and Levantine (كانون الثاني, شباط,
  آذار, نيسان, أيار, حزيران, تموز, آب, أيلول, تشرين الأول, تشرين الثاني,
  كانون الأول), also paired as ``نوفمبر/تشرين الثاني``; English months and
  their abbreviations.
* Full and partial dates: ``15 تشرين الثاني 2021``, ``15 November 2021``,
  ``November 15, 2021``, ``15 نوفمبر`` (year taken from the reference date),
  ``نوفمبر 2021``, ISO ``2021-11-15``, day-first ``15/11/2021``.
* Parts of a month: منتصف/أوائل/أواخر/مطلع/بداية/نهاية/أواسط, mid-/early/late,
  with an optional qualifier الجاري/الحالي/الماضي/المنصرم/المقبل or
  "من العام الماضي"; the date is the middle of the span (day 5, 15 or 25)
  and the precision ``month``.
* Relative days: أمس/البارحة, أول أمس, اليوم, yesterday, today, the day
  before yesterday; weekdays (يوم الثلاثاء, الثلاثاء الماضي, on Tuesday,
  last Tuesday) resolve to the latest such day on or before the reference
  date (strictly before with الماضي/last); الشهر الماضي, last month, this
  month; عام 2021, العام الماضي, in 2021.

Nothing else is read as a date: "T-4" or "3 killed" are not dates.
dateparser is not used (it misses several of these forms and reads "T-4"
as a date). Relative expressions need a reference date (the publication
date); without one they are not resolved.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text import NormText, normalize
from .date_patterns import _NUMERIC, _PATTERNS, _may_match, _anchors_in
from .date_words import (
    _AR_MONTHS,
    _EN_MONTHS,
    _AR_WEEKDAYS,
    _EN_WEEKDAYS,
    _AR_PARTS,
    _EN_PARTS,
    _AR_QUAL,
)

#: Date precision codes, most precise first.
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "unknown")
_RANK = {p: i for i, p in enumerate(DATE_PRECISIONS)}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date expression found in a text.

    ``start``/``end`` are offsets in the original text and ``text`` the
    matched expression as written there;
    ``date`` the resolved date (the middle of a month part, the first day of
    a month or year), ``precision`` ``day``/``month``/``year`` and
    ``relative`` whether the reference date was needed.
    """

    start: int
    end: int
    text: str
    date: _dt.date
    precision: str
    relative: bool


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _infer_year(month: int, day: int, ref: _dt.date | None, qual: int | None) -> int | None:
    """Year of a month (and day) given without a year, seen from ``ref``."""
    if ref is None:
        return None
    if qual == 0:
        return ref.year
    if qual == -1:  # the most recent such month before the current one
        return ref.year if month < ref.month else ref.year - 1
    if qual == 1:
        return ref.year if month > ref.month else ref.year + 1
    # Unqualified: news reports the past; allow a week into the future.
    cand = _safe_date(ref.year, month, min(day, 28))
    if cand is not None and cand > ref + _dt.timedelta(days=7):
        return ref.year - 1
    return ref.year


def _month_of(g: dict[str, Any], table: dict[str, int]) -> int | None:
    raw = g.get("month") or g.get("month2")
    if raw is None:
        return None
    key = re.sub(r"\s+", " ", raw).rstrip(".")
    if key.isdigit():
        return int(key)
    return table.get(key)


def _resolve(kind: str, g: dict[str, Any], ref: _dt.date | None) -> tuple[_dt.date, str, bool] | None:
    lang_table = _EN_MONTHS if kind.startswith("en_") else _AR_MONTHS
    qual_s = g.get("qual")
    if kind in ("iso", "dmy"):
        d = _safe_date(int(g["year"]), int(g["month"]), int(g["day"]))
        return (d, "day", False) if d else None
    if kind == "ar_day_rel":
        if ref is None:
            return None
        y, m = _shift_month(ref.year, ref.month, _AR_QUAL[qual_s])
        d = _safe_date(y, m, int(g["day"]))
        return (d, "day", True) if d else None
    if kind in ("ar_day", "en_day", "en_mdy", "ar_part", "en_part", "ar_month", "ar_month_kw", "en_month"):
        month = _month_of(g, lang_table)
        if month is None:
            return None
        if kind in ("ar_part", "en_part"):
            parts = _AR_PARTS if kind == "ar_part" else _EN_PARTS
            day, precision = parts[re.sub(r"\s+", " ", g["part"])], "month"
        elif kind in ("ar_month", "ar_month_kw", "en_month"):
            day, precision = 1, "month"
        else:
            day, precision = int(g["day"]), "day"
        qual = _AR_QUAL.get(qual_s) if qual_s else None
        relative = False
        if g.get("year"):
            year = int(g["year"])
        elif g.get("yqual"):
            if ref is None:
                return None
            year, relative = ref.year + _AR_QUAL[g["yqual"]], True
        else:
            year, relative = _infer_year(month, day, ref, qual), True
            if year is None:
                return None
        d = _safe_date(year, month, day)
        return (d, precision, relative) if d else None
    if kind in ("ar_year", "en_year"):
        return _dt.date(int(g["year"]), 1, 1), "year", False
    if ref is None:
        return None
    if kind in ("ar_rel_month", "en_rel_month"):
        q = {"this": 0, "earlier this": 0, "last": -1, "next": 1}.get(
            re.sub(r"\s+", " ", qual_s), _AR_QUAL.get(qual_s, 0))
        y, m = _shift_month(ref.year, ref.month, q)
        return _dt.date(y, m, 1), "month", True
    if kind in ("ar_rel_year", "en_rel_year"):
        q = {"this": 0, "last": -1}.get(qual_s, _AR_QUAL.get(qual_s, 0))
        return _dt.date(ref.year + q, 1, 1), "year", True
    if kind in ("ar_before_yesterday", "en_before_yesterday"):
        return ref - _dt.timedelta(days=2), "day", True
    if kind in ("ar_yesterday", "en_yesterday"):
        return ref - _dt.timedelta(days=1), "day", True
    if kind in ("ar_today", "en_today"):
        return ref, "day", True
    if kind in ("ar_weekday", "en_weekday"):
        wd = (_AR_WEEKDAYS if kind == "ar_weekday" else _EN_WEEKDAYS)[g["wd"]]
        back = (ref.weekday() - wd) % 7
        if back == 0 and qual_s in ("last", "past", "الماضي", "المنصرم", "الفايت", "السابق"):
            back = 7
        return ref - _dt.timedelta(days=back), "day", True
    return None  # pragma: no cover


def find_dates(text: str, ref: _dt.date | None = None) -> list[DateMatch]:
    """Find the date expressions of ``text``, resolved against ``ref``.

    Parameters
    ----------
    text : str
        Arabic or English text (a sentence or a whole document).
    ref : datetime.date, optional
        The reference (publication) date for relative expressions and
        dates given without a year.

    Returns
    -------
    list of DateMatch
        Non-overlapping matches in text order; the longest expression wins
        where two overlap. Offsets refer to ``text``.
    """
    return _find_in(text, normalize(text), 0, 0, len(text), as_date(ref, "ref"))


def _raw_matches(text: str, nt: NormText, base: int, a: int, b: int) -> list[tuple[int, int, str, dict[str, Any]]]:
    """Pattern matches in ``text[a:b]`` as ``(start, end, kind, groups)``, absolute offsets.

    ``nt`` normalises ``text[base:...]`` over at least ``[a, b)``. The patterns
    run between ``a`` and ``b`` (``finditer(pos, endpos)``), so ``text[a:b]``
    reads as a text of its own at its end, and at its start whenever the
    character before ``a`` is a space or punctuation (a sentence's always is).
    """
    found: list[tuple[int, int, str, dict[str, Any]]] = []
    offs = nt.offsets
    na = int(np.searchsorted(offs[:-1], a - base, "left"))
    nb = int(np.searchsorted(offs[:-1], b - base, "left"))
    t = nt.text
    has = _anchors_in(t, na, nb)
    if not has:
        return found  # (most news sentences: no digit and no date word)
    for kind, pattern in _NUMERIC:
        if _may_match(kind, has):
            for m in pattern.finditer(text, a, b):
                found.append((m.start(), m.end(), kind, m.groupdict()))
    for kind, pattern in _PATTERNS:
        if not _may_match(kind, has):
            continue  # (a pattern without its anchor cannot match)
        for m in pattern.finditer(nt.text, na, nb):
            s0, s1 = nt.span(m.start(), m.end())
            found.append((s0 + base, min(s1 + base, b), kind, m.groupdict()))
    return found


def _find_in(text: str, nt: NormText, base: int, a: int, b: int, ref: _dt.date | None) -> list[DateMatch]:
    """:func:`find_dates` of ``text[a:b]`` (see :func:`_raw_matches`); offsets relative to ``a``."""
    return _select(_raw_matches(text, nt, base, a, b), text, a, b, ref)


def _select(raw: list[tuple[int, int, str, dict[str, Any]]], text: str, a: int, b: int,
            ref: _dt.date | None) -> list[DateMatch]:
    """The date matches kept among ``raw`` (absolute offsets in ``text``), relative to ``a``."""
    found = [(s0 - a, -(s1 - s0), kind, g) for s0, s1, kind, g in raw]
    text = text[a:b]
    # Numeric dates first (the normalised "of 2021 11 15" must not read as a
    # year), then word patterns in text order, longest first where they overlap.
    # Each group is taken in start order, so a match can only overlap the taken
    # one of its group that ends last, and the numeric ones (sorted, disjoint)
    # are found by bisection: linear after the sort, however long the text.
    found.sort(key=lambda t: (t[2] not in ("iso", "dmy"), t[0], t[1]))
    out: list[DateMatch] = []
    num_starts: list[int] = []
    num_ends: list[int] = []
    last_end, numeric = -1, True
    for start, neg_len, kind, groups in found:
        end = start - neg_len
        if numeric and kind not in ("iso", "dmy"):
            numeric, last_end = False, -1
        if start < last_end:
            continue
        if not numeric:
            k = bisect.bisect_right(num_starts, start)
            if (k and num_ends[k - 1] > start) or (k < len(num_starts) and num_starts[k] < end):
                continue
        res = _resolve(kind, groups, ref)
        if res is None:
            continue
        d, precision, relative = res
        out.append(DateMatch(start, end, text[start:end], d, precision, relative))
        last_end = end
        if numeric:
            num_starts.append(start)
            num_ends.append(end)
    out.sort(key=lambda dm: dm.start)
    return out


def best_date(text: str, ref: _dt.date | None = None) -> DateMatch | None:
    """The most precise date expression of ``text`` (the first among equals)."""
    matches = find_dates(text, ref)
    if not matches:
        return None
    return min(matches, key=lambda dm: (_RANK[dm.precision], dm.start))


def sentence_date(sentence: str, doc_date: _dt.date | None) -> tuple[_dt.date | None, str, str | None]:
    """Date of an incident sentence: ``(date, precision, source)``.

    The most precise date expression of the sentence resolved against the
    document date; else the document date itself (precision ``day``,
    source ``document``); else ``(None, "unknown", None)``.
    """
    return _sentence_date(find_dates(sentence, doc_date), doc_date)


class SentenceDates:
    """:func:`sentence_date` for the sentences of one document, normalising it a block at a time.

    Normalising each sentence alone costs a fixed overhead per call that
    dominates on short sentences; the document is normalised in blocks of
    about :attr:`BLOCK` characters instead (memory stays bounded on a long
    document), and the patterns run on each asked sentence's stretch of the
    block only.
    Sentences must be asked for in text order; the results are those of
    :func:`sentence_date` on each sentence.
    """

    BLOCK = 65_536

    def __init__(self, text: str, spans: list[tuple[int, int]], doc_date: _dt.date | None) -> None:
        self.text, self.spans, self.ref = text, spans, doc_date
        self._k = 0  # first span not yet inside a block
        self._base, self._end, self._nt = 0, -1, None

    def __call__(self, s0: int, s1: int) -> tuple[_dt.date | None, str, str | None]:
        """``(date, precision, source)`` of the sentence ``text[s0:s1]`` (one of ``spans``)."""
        nt, base = self.block(s0, s1)
        return _sentence_date(_find_in(self.text, nt, base, s0, s1, self.ref), self.ref)

    def block(self, s0: int, s1: int) -> tuple[NormText, int]:
        """The normalised block covering the sentence ``text[s0:s1]``, and where it starts in ``text``."""
        if self._nt is None or s1 > self._end:
            spans, k = self.spans, self._k
            while k < len(spans) and spans[k][1] <= s0:
                k += 1
            end, limit = s1, s0 + self.BLOCK
            while k < len(spans) and (spans[k][1] <= limit or spans[k][1] <= s1):
                end = max(end, spans[k][1])
                k += 1
            self._k, self._base, self._end = k, s0, end
            self._nt = normalize(self.text[s0:end])
        return self._nt, self._base


def _sentence_date(matches: list[DateMatch], doc_date: _dt.date | None) -> tuple[_dt.date | None, str, str | None]:
    dm = min(matches, key=lambda m: (_RANK[m.precision], m.start)) if matches else None
    if dm is not None:
        return dm.date, dm.precision, "text"
    if doc_date is not None:
        return doc_date, "day", "document"
    return None, "unknown", None


_ISO_DT_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_YMD_SLASH_RE = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")


def as_date(value: Any, what: str = "date") -> _dt.date | None:
    """A caller's date: a ``date``, a ``datetime`` (its day) or an ISO string.

    None, NaN/NaT and an empty string are no date. Raises
    :class:`~geomap.errors.InputError` for anything else, naming ``what``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):  # pandas Timestamp too
        return None if value != value else value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        s = value.strip()
        try:
            return _dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):  # pragma: no cover - an array-like
        pass
    from ..errors import InputError

    raise InputError(f"{what} {value!r}: give a datetime.date, a datetime or an ISO string such as '2024-03-12'")


def parse_date_value(value: Any) -> _dt.date | None:
    """Parse a metadata date (CSV/JSONL column, text header) into a date.

    Accepts ``date``/``datetime``/pandas ``Timestamp`` objects, ISO dates
    and date-times (``2021-11-16``, ``2021-11-16T08:30:00Z``), ``2021/11/16``,
    day-first ``16/11/2021`` and written dates in Arabic or English
    (``16 تشرين الثاني 2021``, ``November 16, 2021``). Returns None for empty
    or unreadable values and for partial dates (a month without a day).
    """
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT (a missing value in a data frame column)
            return None
    except (TypeError, ValueError):  # pragma: no cover - an array-like
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        try:
            return value.to_pydatetime().date()
        except (ValueError, AttributeError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO_DT_RE.match(s) or _YMD_SLASH_RE.match(s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for dm in find_dates(s, None):
        if dm.precision == "day" and not dm.relative:
            return dm.date
    return None
