"""Bilingual (Arabic/English) event-type lexicon and sentence splitting.

Event types are found per sentence by matching keyword phrases on tokens
normalised by :func:`geomap.text.normalize_ar` (tashkeel and tatweel
removed, أ إ آ ٱ → ا, ؤ → و, ئ → ي, ة → ه, ى → ي, Latin lower-cased); the
phrases go through the same function. A token also matches after its
clitic prefixes (و ف ب ل ك ال and their combinations) are removed, so
``والغارات`` matches ``غارات``.

Each type has *strong* phrases (``غارة``, ``air strike``) and sometimes
*weak* ones (bare ``قصف``, ``strike``, standalone ``مسيرة``, which also
means a march); a weak phrase decides only when no strong phrase matched.
When phrases of several types match, the most specific type wins, in the
order of :data:`PRIORITY` (a drone strike is ``drone``, not ``airstrike``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from functools import lru_cache

import numpy as np

from ..text import NormText, normalize, normalize_ar

#: Event types, in display order; ``other`` is a sentence with places but no keyword.
EVENT_TYPES: tuple[str, ...] = (
    "airstrike",
    "shelling",
    "drone",
    "explosion",
    "clashes",
    "attack",
    "meeting",
    "deployment",
    "arrest",
    "protest",
    "other",
)

#: English and Arabic labels of each event type.
LABELS: dict[str, tuple[str, str]] = {
    "airstrike": ("Airstrike", "غارة جوية"),
    "shelling": ("Shelling", "قصف مدفعي"),
    "drone": ("Drone strike", "ضربة مسيّرة"),
    "explosion": ("Explosion", "انفجار"),
    "clashes": ("Clashes", "اشتباكات"),
    "attack": ("Attack", "هجوم"),
    "meeting": ("Meeting", "اجتماع"),
    "deployment": ("Deployment", "تعزيزات"),
    "arrest": ("Arrest", "اعتقال"),
    "protest": ("Protest", "مظاهرة"),
    "other": ("Other", "أخرى"),
}

#: Resolution order when phrases of several types match one sentence.
PRIORITY: tuple[str, ...] = (
    "drone",
    "airstrike",
    "shelling",
    "explosion",
    "clashes",
    "attack",
    "arrest",
    "protest",
    "deployment",
    "meeting",
)

_STRONG: dict[str, tuple[str, ...]] = {
    "airstrike": (
        "غارة", "غارات", "غارتين", "غارتان", "ضربة جوية", "ضربات جوية", "ضربتين جويتين",
        "قصف جوي", "قصفا جويا", "القصف الجوي", "الطيران الحربي", "طائرات حربية", "طلعات جوية",
        "طلعة جوية", "سلاح الجو", "sorties", "air sorties",
        "طائرة حربية", "مقاتلات", "airstrike", "airstrikes", "air strike", "air strikes",
        "air raid", "air raids", "warplanes", "warplane", "bombing raid", "bombing raids",
    ),
    "shelling": (
        "قصف مدفعي", "قصفا مدفعيا", "قصف صاروخي", "قصفا صاروخيا", "قذائف", "قذيفة",
        "قذائف هاون", "راجمات", "shelling", "shelled", "shells", "artillery",
        "rocket fire", "mortar", "mortars",
    ),
    "drone": (
        "طائرة مسيرة", "طائرات مسيرة", "طائرة بدون طيار", "طائرات بدون طيار",
        "طائرة دون طيار", "طائرات دون طيار", "درون", "drone", "drones", "uav", "uavs",
    ),
    "explosion": (
        "انفجار", "انفجارات", "تفجير", "تفجيرات", "عبوة ناسفة", "عبوات ناسفة",
        "سيارة مفخخة", "مفخخة", "لغم", "explosion", "explosions", "exploded", "blast",
        "blasts", "ied", "ieds", "car bomb", "landmine",
    ),
    "clashes": (
        "اشتباكات", "اشتباك", "معارك", "معركة", "مواجهات", "clashes", "clashed", "clash",
        "fighting", "battles",
    ),
    "attack": ("هجوم", "هجمات", "هجوما", "attack", "attacks", "attacked", "ambush"),
    "meeting": (
        "اجتماع", "اجتماعا", "اجتماعات", "لقاء", "meeting", "meetings", "met with", "talks",
    ),
    "deployment": (
        "تعزيزات", "انتشار", "أرتال", "رتل", "reinforcements", "deployed",
        "deployment", "deploys", "convoy", "convoys",
    ),
    "arrest": (
        "اعتقال", "اعتقالات", "اعتقل", "اعتقلت", "احتجاز", "توقيف", "القبض", "arrest",
        "arrests", "arrested", "detained", "detention",
    ),
    "protest": (
        "مظاهرة", "مظاهرات", "تظاهرة", "تظاهرات", "احتجاج", "احتجاجات", "احتجاجية",
        "متظاهرين", "متظاهرون", "protest", "protests", "protesters", "demonstration",
        "demonstrations", "demonstrators",
    ),
}

_WEAK: dict[str, tuple[str, ...]] = {
    "shelling": ("قصف", "قصفت", "bombardment", "bombarded"),
    "deployment": ("نشر",),
    "airstrike": ("strike", "strikes", "struck", "bombed", "ضربة", "ضربات", "ضربتين"),
    "drone": ("مسيرة", "مسيرات"),
    "attack": ("استهداف", "استهدف", "استهدفت", "targeted"),
}

#: Weight of a keyword match in an event's confidence.
STRENGTH_FACTOR: dict[str, float] = {"strong": 1.0, "weak": 0.7, "none": 0.5}

_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_WORD_RE = re.compile(r"\w+")


def _norm(s: str) -> str:
    """Normalise text for matching: NFKC, then :func:`geomap.text.normalize_ar`.

    The shared normaliser folds alef/hamza forms, ta marbuta → ه, alif
    maqsura → ي, removes tashkeel and tatweel, lower-cases Latin, and maps
    hyphens and slashes to spaces; it is the same function the gazetteer
    and geoparser use. Not offset-preserving (NFKC).
    """
    return normalize_ar(unicodedata.normalize("NFKC", s))


@lru_cache(maxsize=1 << 16)
def _variants(token: str) -> tuple[str, ...]:
    """The token and its forms without Arabic clitic prefixes."""
    out = [token]
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 2:
            out.append(token[len(p):])
    return tuple(out)


def tokens(text: str) -> list[str]:
    """Normalised word tokens of ``text``."""
    return _WORD_RE.findall(_norm(text))


def _compile(table: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for etype, phrases in table.items():
        for phrase in phrases:
            toks = tuple(tokens(phrase))
            # Phrases written with the article match with or without it.
            toks = tuple(_variants(t)[-1] if t.startswith("ال") else t for t in toks)
            index.setdefault(toks[0], []).append((toks, etype, phrase))
    return index


_STRONG_INDEX = _compile(_STRONG)
_WEAK_INDEX = _compile(_WEAK)
_FIRST_TOKENS = frozenset(_STRONG_INDEX) | frozenset(_WEAK_INDEX)
#: every word of every keyword phrase (as a token's variant matches it)
_PHRASE_WORDS = frozenset(w for idx in (_STRONG_INDEX, _WEAK_INDEX) for entries in idx.values()
                          for pattern, _, _ in entries for w in pattern)
_PHRASE_AUTO: Any = None


def _phrase_words_automaton() -> Any:
    """An Aho-Corasick automaton of :data:`_PHRASE_WORDS` (built once)."""
    global _PHRASE_AUTO
    if _PHRASE_AUTO is None:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for w in _PHRASE_WORDS:
            auto.add_word(w, w)
        auto.make_automaton()
        _PHRASE_AUTO = auto
    return _PHRASE_AUTO


@lru_cache(maxsize=1 << 16)
def _can_start(variants: tuple[str, ...]) -> bool:
    """Whether a token (given as its variants) is the first word of some keyword phrase."""
    return any(v in _FIRST_TOKENS for v in variants)


@dataclass(frozen=True, slots=True)
class EventMatch:
    """The event type of a sentence and the keyword that decided it.

    ``strength`` is ``strong``, ``weak`` or ``none`` (type ``other``).
    """

    event_type: str
    keyword: str | None
    strength: str


def _scan(toks: list[str], index: dict) -> dict[str, str]:
    variants = [_variants(t) for t in toks]
    return _scan_range(variants, 0, len(variants), index)


def _scan_range(variants: list[tuple[str, ...]], i: int, j: int, index: dict,
                firsts: Sequence[int] | None = None,
                adjacent: Sequence[bool] | None = None) -> dict[str, str]:
    """Phrases of ``index`` among the tokens ``i:j`` (given as their variants): type -> phrase.

    ``firsts``, when given, are the (sorted) positions of the tokens that can
    start a phrase; the others are not looked at. ``adjacent``, when the list
    holds only some of the text's tokens, says which follow the one before
    them directly (a phrase's words must).
    """
    found: dict[str, str] = {}
    if firsts is None:
        positions: Iterable[int] = range(i, j)
    else:
        positions = firsts[bisect.bisect_left(firsts, i):bisect.bisect_left(firsts, j)]
    for p in positions:
        for v in variants[p]:
            for pattern, etype, phrase in index.get(v, ()):
                n = len(pattern)
                if p + n <= j and all(pattern[k] in variants[p + k] and (adjacent is None or adjacent[p + k])
                                      for k in range(1, n)):
                    found.setdefault(etype, phrase)
    return found


def _decide(variants: list[tuple[str, ...]], i: int, j: int, firsts: Sequence[int] | None = None,
            adjacent: Sequence[bool] | None = None) -> EventMatch | None:
    for index, strength in ((_STRONG_INDEX, "strong"), (_WEAK_INDEX, "weak")):
        found = _scan_range(variants, i, j, index, firsts, adjacent)
        for etype in PRIORITY:
            if etype in found:
                return EventMatch(etype, found[etype], strength)
    return None


def classify(sentence: str) -> EventMatch | None:
    """Return the event type of ``sentence``, or None when no keyword matches.

    Examples
    --------
    >>> classify("شنّت طائرات حربية غاراتٍ على مطار التيفور").event_type
    'airstrike'
    >>> classify("A drone strike hit a car near al-Safira").event_type
    'drone'
    """
    variants = [_variants(t) for t in tokens(sentence)]
    return _decide(variants, 0, len(variants))


def classify_places(sentence: str, spans: Sequence[tuple[int, int]]) -> list[EventMatch | None]:
    """The event type governing each place mention of ``sentence``.

    An incident's type comes from the words governing its place, not the
    whole sentence: "غارات على مطار T-4 وقصف مدفعي على منطقة السفيرة" is an
    airstrike at T-4 and shelling at al-Safira. Mentions are walked in
    offset order; each one takes the type of the keywords between the
    previous mention and itself (:func:`classify` on the last clause of that
    stretch that has any; clauses end at commas, while, whereas, as, but,
    فيما, بينما, في حين):

    * none there: the keywords of the clause right after it ("... and
      al-Safira by shelling"), else the previous mention's type ("غارات على
      حمص وحماة");
    * for the first mention, the first clause with keywords after it, up to
      the next mention ("Palmyra was shelled, and ..."), else the whole
      sentence;
    * a stretch whose only keyword is a weak targeting verb (استهدف,
      targeted) keeps the previous mention's type: it names the act, not a
      new kind of incident.

    The sentence is normalised once and its keywords found once (one
    Aho-Corasick pass); each stretch looked at is then a bisection into
    them, and each character lies in at most three stretches: the cost is
    linear in the sentence.

    Parameters
    ----------
    sentence : str
    spans : sequence of (int, int)
        ``(start, end)`` of the place mentions in ``sentence``, sorted by start.

    Returns
    -------
    list of EventMatch or None
        One per span; None when no keyword applies (type ``other``).

    Examples
    --------
    >>> s = "Airstrikes hit the T-4 airbase while artillery shelled al-Safira"
    >>> [m.event_type for m in classify_places(s, [(19, 22), (55, 63)])]
    ['airstrike', 'shelling']
    """
    return _classify_places_in(sentence, 0, len(sentence), spans)


class _Tokens:
    """The normalised tokens of ``text[s0:s1]`` with their start offsets in ``text``.

    ``nt`` may normalise a block of the document from ``base`` on, covering
    ``[s0, s1)`` (:class:`~geomap.events.dates.SentenceDates` makes one per
    block of sentences); :meth:`classify` of any stretch that starts and ends
    between words then reads the tokens :func:`tokens` would give for it,
    without normalising it again.
    """

    __slots__ = ("adjacent", "firsts", "odd", "starts", "variants")

    def __init__(self, text: str, s0: int, s1: int, nt: NormText | None = None, base: int = 0,
                 *, whole: bool = True) -> None:
        if nt is None:
            nt, base = normalize(text[s0:s1]), s0
        offs = nt.offsets
        na = int(np.searchsorted(offs[:-1], s0 - base, "left"))
        nb = int(np.searchsorted(offs[:-1], s1 - base, "left"))
        odd = [c for c in set(text[s0:s1]) if _nfkc_matters(c)]
        #: the characters NFKC changes, when there are any (a regex of them)
        self.odd = re.compile("[" + re.escape("".join(odd)) + "]") if odd else None
        #: for each token, whether it follows the one before it with no other word between
        self.adjacent: list[bool] | None = None
        if not odd or not whole:  # (not whole: the stretches without odd characters are read right)
            self._keywords_only(nt, base, na, nb)
        else:
            # Words with characters NFKC changes (presentation forms, ligatures): every
            # token, those runs folded as tokens() folds them, one run at a time.
            ms = list(_WORD_RE.finditer(nt.text, na, nb))
            starts = [offs.item(m.start()) + base for m in ms]
            variants = [_variants(m.group()) for m in ms]
            runs = [m for m in _RUN_RE.finditer(text, s0, s1) if self.odd.search(m.group())]
            self.starts, self.variants = _splice(starts, variants, runs)
        # the tokens that can start a keyword phrase: the only ones a scan starts at
        self.firsts = [k for k, vs in enumerate(self.variants) if _can_start(vs)]

    def _keywords_only(self, nt: NormText, base: int, na: int, nb: int) -> None:
        """Keep only the tokens that are words of keyword phrases (found in one Aho-Corasick pass)."""
        t, offs = nt.text, nt.offsets
        found: dict[int, tuple[int, tuple[str, ...]]] = {}
        for end, word in _phrase_words_automaton().iter(t, na, nb):
            end += 1
            if end < nb and (t[end].isalnum() or t[end] == "_"):
                continue  # (not the end of a token)
            start = end - len(word)
            while start > na and (t[start - 1].isalnum() or t[start - 1] == "_"):
                start -= 1
            if start in found:
                continue
            vs = _variants(t[start:end])
            if any(v in _PHRASE_WORDS for v in vs):
                found[start] = (end, vs)
        starts: list[int] = []
        variants: list[tuple[str, ...]] = []
        adjacent: list[bool] = []
        prev_end = -1
        for start in sorted(found):
            end, vs = found[start]
            adjacent.append(prev_end >= 0 and _WORD_RE.search(t, prev_end, start) is None)
            starts.append(offs.item(start) + base)
            variants.append(vs)
            prev_end = end
        self.starts, self.variants, self.adjacent = starts, variants, adjacent

    def classify(self, a: int, b: int) -> EventMatch | None:
        """:func:`classify` of the words that start in ``text[a:b]``."""
        if b <= a:
            return None
        return _decide(self.variants, bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b),
                       self.firsts, self.adjacent)


@lru_cache(maxsize=4096)
def _nfkc_matters(c: str) -> bool:
    """Whether NFKC changes the tokens of the character ``c`` (ﻷ, ﷺ, fullwidth letters; not … or NBSP)."""
    return not unicodedata.is_normalized("NFKC", c) and _WORD_RE.findall(_norm(c)) != _WORD_RE.findall(normalize_ar(c))


def _splice(starts: list[int], variants: list[tuple[str, ...]],
            runs: list[re.Match[str]]) -> tuple[list[int], list[tuple[str, ...]]]:
    """Replace the tokens inside each of ``runs`` by those of the run folded with NFKC."""
    out_s: list[int] = []
    out_v: list[tuple[str, ...]] = []
    i = 0
    for run in runs:
        r0, r1 = run.span()
        while i < len(starts) and starts[i] < r0:
            out_s.append(starts[i])
            out_v.append(variants[i])
            i += 1
        while i < len(starts) and starts[i] < r1:
            i += 1
        for t in _WORD_RE.findall(_norm(run.group())):
            out_s.append(r0)
            out_v.append(_variants(t))
    out_s.extend(starts[i:])
    out_v.extend(variants[i:])
    return out_s, out_v


# Runs of text between spaces and punctuation (folded one at a time when NFKC is needed).
_RUN_RE = re.compile(r"[^\s!-/:-@\[-`{-~،؛؟«»…“”‘’]+")


def _classify_places_in(text: str, s0: int, s1: int, spans: Sequence[tuple[int, int]],
                        toks: _Tokens | None = None) -> list[EventMatch | None]:
    """:func:`classify_places` of the sentence ``text[s0:s1]``; ``spans`` are offsets in ``text``.

    ``toks`` may hold the tokens of a stretch of ``text`` covering the sentence.
    """
    if toks is None:
        toks = _Tokens(text, s0, s1)
    out: list[EventMatch | None] = []
    prev_end = s0
    for k, (a, b) in enumerate(spans):
        m = _last_clause_match(text, toks, prev_end, a)
        if m is not None and k > 0 and out[-1] is not None and m.strength == "weak" \
                and m.event_type in _GENERIC_WEAK:
            m = None
        if m is None and k > 0:
            # "al-Safira by shelling": the keywords of the clause right after it, else the previous type
            nxt = spans[k + 1][0] if k + 1 < len(spans) else s1
            after, used = _next_clause_match(text, toks, b, nxt)
            if after is not None and not (after.strength == "weak" and after.event_type in _GENERIC_WEAK):
                m, b = after, used
            else:
                m = out[-1]
        elif m is None:
            nxt = spans[1][0] if len(spans) > 1 else s1
            m, used = _first_clause_match(text, toks, b, nxt)
            if m is None:
                m = toks.classify(s0, s1)
            else:
                b = used  # "Palmyra was hit by warplanes, and artillery shelled al-Safira"
        out.append(m)
        prev_end = max(prev_end, b)
    return out


# Clause boundaries inside a sentence: commas and contrastive conjunctions.
_CLAUSE_RE = re.compile(r"[,،]|\s(?:while|whereas|as|but)\s|(?:^|\s)(?:فيما|بينما|في حين)\s", re.IGNORECASE)


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``text[a:b]`` cut at clause boundaries, as ``(start, end)`` pieces."""
    out, start = [], a
    for m in _CLAUSE_RE.finditer(text, a, b):
        out.append((start, m.start()))
        start = m.start()
    out.append((start, b))
    return out


def _last_clause_match(text: str, toks: _Tokens, a: int, b: int) -> EventMatch | None:
    """The keywords of the last clause of ``text[a:b]`` that has any."""
    if b <= a:
        return None
    for c0, c1 in reversed(_clauses(text, a, b)):
        m = toks.classify(c0, c1)
        if m is not None:
            return m
    return None


def _next_clause_match(text: str, toks: _Tokens, a: int, b: int) -> tuple[EventMatch | None, int]:
    """The keywords of the first clause of ``text[a:b]`` (up to its first boundary), and its end."""
    if b <= a:
        return None, a
    c0, c1 = _clauses(text, a, b)[0]
    return toks.classify(c0, c1), c1


def _first_clause_match(text: str, toks: _Tokens, a: int, b: int) -> tuple[EventMatch | None, int]:
    """The keywords of the first clause of ``text[a:b]`` that has any, and where that clause ends."""
    if b <= a:
        return None, a
    for c0, c1 in _clauses(text, a, b):
        m = toks.classify(c0, c1)
        if m is not None:
            return m, c1
    return None, a


#: Weak types that name an act rather than a kind of incident (see :func:`classify_places`).
_GENERIC_WEAK = frozenset({"attack"})

_SPLIT_RE = re.compile(r"[؟?!؛;\n]+|\.(?!\d)|…")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` offsets.

    Boundaries are ``. ! ? ؟ ؛ ;``, ellipses and newlines; a full stop between
    digits (``1.5``) does not split. Spans are trimmed of surrounding
    whitespace and empty spans are dropped; the delimiter stays with its
    sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SPLIT_RE.finditer(text):
        _add_span(text, start, m.end(), spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))


def label(event_type: str) -> str:
    """Bilingual label, e.g. ``Airstrike · غارة جوية``; unknown types as given."""
    en_ar = LABELS.get(event_type)
    return f"{en_ar[0]} · {en_ar[1]}" if en_ar else str(event_type)
