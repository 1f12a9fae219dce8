"""Unknown names: descriptor-led names the gazetteer does not know (قرية X،
مستشفى X، the village of X), reported as unresolved rows so that nothing a text
names as a place is silently lost. Runs after recognition and ranking, on
what no mention covers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geomap.geoparsing.cues import tokens_after, word_before
from geomap.geoparsing.matcher import ADMIN_HEADS, UNRANKED, VERY_COMMON_RANK, in_compound_hashtag
from geomap.geoparsing.mention import Reading, Spans
from geomap.geoparsing.recognise import after_word
from geomap.geoparsing.rows import nidx, span, unresolved_row
from geomap.geoparsing.rules import COMPOUND_HEADS, FUNCTION_WORDS, HAS_ARABIC_LETTER, HONORIFICS, ORDINALS
from geomap.text import strip_article

#: a clitic + word reading needs a word at least this frequent (وجميع، لإنتاج; not ف + ليج)
CLITIC_WORD_RANK = 20_000
_EN_HEADS = re.compile(r"\b(?:village|town|city|camp|neighbou?rhood|district)\b")
_UNKNOWN_EN = re.compile(r"\b(?:village|town|city|camp|neighbou?rhood|district) of ((?:al-|as-|ad-|el-)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")
_UNKNOWN_EN_AFTER = re.compile(r"\b((?:[Aa]l-|[Aa]s-|[Aa]d-|[Ee]l-)?[A-Z][\w'’-]{2,}(?: [A-Z][\w'’-]+)?) (?:village|town)\b")
#: literal starts of the words of _EN_HEADS and _UNKNOWN_EN (neighbou?rhood: "neighbo")
_EN_HEAD_WORDS = ("village", "town", "city", "camp", "neighbo", "district")


def _finditer_at(rx: re.Pattern, text: str, starts: Iterable[int]) -> Iterable[re.Match]:
    """What ``rx.finditer(text)`` yields, trying only the sorted positions ``starts``.

    ``starts`` must hold every position where a match of ``rx`` may start: the
    regex engine then skips the rest of the text (``rx.match`` at a position
    tries exactly what a search tries there). ``rx`` never matches empty.
    """
    end = 0
    for s in starts:
        if s >= end:
            m = rx.match(text, s)
            if m is not None:
                yield m
                end = m.end()


def _occurrences(text: str, words: Iterable[str]) -> list[int]:
    """Sorted start positions of every occurrence of each of ``words`` in ``text``."""
    out: list[int] = []
    for w in words:
        i = text.find(w)
        while i != -1:
            out.append(i)
            i = text.find(w, i + 1)
    out.sort()
    return out


def _head_starts(text: str) -> list[int]:
    """Where a match of :data:`_EN_HEADS` or :data:`_UNKNOWN_EN` may start: at a descriptor word."""
    return _occurrences(text, _EN_HEAD_WORDS)


def _after_starts(text: str) -> list[int]:
    """Where a match of :data:`_UNKNOWN_EN_AFTER` may start: within the two words before " village" or " town".

    The name before the descriptor holds at most one space, so a match ending
    at the descriptor at ``h`` starts after the second space before ``h``.
    """
    out: set[int] = set()
    for h in _occurrences(text, (" village", " town")):
        sp1 = text.rfind(" ", 0, h)
        sp2 = text.rfind(" ", 0, sp1) if sp1 > 0 else -1
        out.update(range(sp2 + 1, h))
    return sorted(out)


class UnknownNames:
    """Finds the unknown descriptor-led names of a reading."""

    def __init__(self, common: dict[str, int], words: dict[str, int]) -> None:
        self.common = common
        self.words = words

    def _clitic_word(self, token: str) -> bool:
        """Whether ``token`` reads as a one-letter clitic and a word (وجميع "and all"),
        more frequent than the token read whole (فهد is the name, not ف + هد)."""
        rest = token[1:]
        rank = min(self.words.get(rest, UNRANKED), self.words.get(strip_article(rest), UNRANKED))
        return rank < min(self.words.get(token, UNRANKED), CLITIC_WORD_RANK)

    def _family_name(self, text: str, nt, token: tuple[str, int], head: str = "") -> bool:
        """Whether ``token`` (word, end) continues a name: an uncommon word with
        the article, not a hashtag of its own (صباح الأحمد، معهد الأورام), nor
        an adjective: a participle (المحاصرة، المؤدي) or, after a feminine
        ``head``, a word in ة (قرية X الآهلة); a nisba in ية may be a name's
        (أسواق المباركية)."""
        word, end = token
        if not (word.startswith("ال") and len(word) > 3
                and self.common.get(word, VERY_COMMON_RANK) >= VERY_COMMON_RANK):
            return False
        if not word.endswith("يه") and ((word.startswith("الم") and word in self.words)
                                        or (head.endswith("ه") and word.endswith("ه"))):
            return False  # an adjective or participle after the name: قرية X الآهلة، مدينة X المحاصرة
        return after_word(text, nt, end - len(word))

    def find(self, r: Reading, covered: list[tuple[int, int]]) -> Iterable[tuple]:
        """Rows of the descriptor-led names the gazetteer does not know (قرية X, the village of X)
        outside ``covered`` (match-text spans, extended with each name found)."""
        text, nt, mt = r.text, r.nt, r.mt
        taken = Spans(len(mt), covered)

        def free(a: int, b: int) -> bool:
            if in_compound_hashtag(a, b, text, nt.offsets):
                return False  # part of a longer hashtag (#انفجار_مرفأ_بيروت)
            return not taken.overlaps(a, b)

        for h in r.heads:
            after = tokens_after(mt, h.end, 3)
            if not after:
                continue
            name = after[0][0]
            if len(name) < 3 or name.isdigit() or name in FUNCTION_WORDS or not HAS_ARABIC_LETTER.match(name) \
                    or name.startswith("لل"):  # منطقة للفرز: "an area for sorting"
                continue
            if name[0] in "وفلب" and self._clitic_word(name):
                continue  # المعهد وجميع المصابين "and all the injured", مصنع لإنتاج "a factory for making"
            if h.key == "طريق" and word_before(mt, h.word_start) == "عن":
                continue  # عن طريق "by way of"
            if h.key not in ADMIN_HEADS and "ال" in mt[h.word_start:h.start] and not name.startswith("ال") \
                    and name != "رقم":
                continue  # المرفأ تعطّل: "the port" spoken of before (but الطريق الصحراوي is a name)
            if name.endswith("ي") and not name.startswith("ال") and name in self.words:
                continue  # مستشفى ميداني "a field hospital": an indefinite adjective
            a, b = h.start, after[0][1]
            second = after[1] if len(after) > 1 else None
            if h.key in ADMIN_HEADS:  # قرية X، بلدة تل X
                if "ال" in mt[h.word_start:h.start] or mt[h.word_start:h.start].endswith("لل"):
                    continue  # المنطقة، القرية: "the area" spoken of before, no name follows
                if second is not None and (name in COMPOUND_HEADS or name in HONORIFICS
                                           or self._family_name(text, nt, second, h.key)):
                    b = second[1]  # بلدة تل X، مدينة صباح الأحمد
                elif name in self.common:
                    continue
                reason, kind = "not in gazetteer", "admin"
            else:  # points of interest: معهد الأورام، مستشفى الروم
                if name == "رقم" and second is not None and second[0].isdigit():
                    b = second[1]  # العنبر رقم 12
                elif name in ORDINALS:
                    pass  # الدائري السابع، الدوار الرابع: the ordinal is the name
                elif name in HONORIFICS and second is not None and second[0] not in FUNCTION_WORDS:
                    # طريق الملك عبد العزيز، مستشفى الملك فهد: named after a person
                    b = second[1]
                    if second[0] in ("عبد", "ابو") and len(after) > 2:
                        b = after[2][1]
                elif second is not None and self._family_name(text, nt, second):
                    b = second[1]
                elif name in self.common:
                    continue  # طريق الشمال, جسر جوي: a phrase, not a name
                reason, kind = "point of interest not in gazetteer", "poi"
            if not free(a, b):
                continue
            start, end = span(nt, a, b)
            covered.append((a, b))
            taken.add(a, b)
            yield unresolved_row(text, start, end, reason, kind)
        heads = _head_starts(text)
        if not heads or next(iter(_finditer_at(_EN_HEADS, text, heads)), None) is None:
            return
        for rx, starts in ((_UNKNOWN_EN, heads), (_UNKNOWN_EN_AFTER, _after_starts(text))):
            for mm in _finditer_at(rx, text, starts):
                start, end = mm.span(0)
                ns = int(nidx(nt, mm.start(1))) + 1
                ne = int(nidx(nt, mm.end(1) - 1)) + 2
                if not free(ns, ne) or mm.group(1).lower() in self.common:
                    continue
                covered.append((ns, ne))
                taken.add(ns, ne)
                yield unresolved_row(text, start, end, "not in gazetteer", "admin")
