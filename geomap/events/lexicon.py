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

from ..text import normalize_ar

#: Event types, in display order; ``other`` is a sentence with places but no keyword.
EVENT_TYPES: tuple[str, ...] = (
    "airstrike",
    "shelling",
    "drone",
    "raid",
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
    "raid": ("Ground operation/raid", "مداهمة / عملية برية"),
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
    "raid",
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

#: ACLED's event type and default sub-event type of each geomap type (a phrase may refine the
#: sub-type: ``sub_event_type`` in ``gazetteer/event_types.csv``).
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "drone": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "raid": ("Battles", "Armed clash"),
    "clashes": ("Battles", "Armed clash"),
    "attack": ("Violence against civilians", "Attack"),
    "arrest": ("Strategic developments", "Arrests"),
    "protest": ("Protests", "Peaceful protest"),
    "deployment": ("Strategic developments", "Headquarters or base established"),
    "meeting": ("Strategic developments", "Agreement"),
    "other": ("Strategic developments", "Other"),
}


def sub_event_type(event_type: str, keyword: str | None) -> str:
    """The ACLED sub-event type of an event of ``event_type`` found by ``keyword``."""
    return sub_event_types().get(keyword or "", "") or ACLED_TYPES.get(event_type, ("", ""))[1]


def _phrases(strength: str) -> dict[str, tuple[str, ...]]:
    """The keyword phrases of ``strength`` per event type (``gazetteer/event_types.csv``)."""
    from ..gazetteer.tables import read_table

    out: dict[str, list[str]] = {}
    for row in read_table("event_types.csv"):
        if row["strength"] == strength:
            out.setdefault(row["event_type"], []).append(row["phrase"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def sub_event_types() -> dict[str, str]:
    """Phrase → ACLED sub-event type, for the phrases whose sub-type is not their type's."""
    from ..gazetteer.tables import read_table

    return {row["phrase"]: row["sub_event_type"] for row in read_table("event_types.csv")
            if row.get("sub_event_type")}


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


class _Index:
    """The compiled lexicon (built on first use, from ``gazetteer/event_types.csv``)."""

    def __init__(self) -> None:
        self.strong = _compile(_phrases("strong"))
        self.weak = _compile(_phrases("weak"))
        self.first_tokens = frozenset(self.strong) | frozenset(self.weak)
        #: every word of every keyword phrase (as a token's variant matches it)
        self.words = frozenset(w for idx in (self.strong, self.weak) for entries in idx.values()
                               for pattern, _, _ in entries for w in pattern)


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


_PHRASE_AUTO: Any = None


def _phrase_words_automaton() -> Any:
    """An Aho-Corasick automaton of :data:`_PHRASE_WORDS` (built once)."""
    global _PHRASE_AUTO
    if _PHRASE_AUTO is None:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for w in _index().words:
            auto.add_word(w, w)
        auto.make_automaton()
        _PHRASE_AUTO = auto
    return _PHRASE_AUTO


@lru_cache(maxsize=1 << 16)
def _can_start(variants: tuple[str, ...]) -> bool:
    """Whether a token (given as its variants) is the first word of some keyword phrase."""
    return any(v in _index().first_tokens for v in variants)


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
    covered = -1  # a phrase inside a longer one ("raid" in "air raid") does not count
    for p in positions:
        best: list[tuple[int, str, str]] = []
        for v in variants[p]:
            for pattern, etype, phrase in index.get(v, ()):
                n = len(pattern)
                if p + n <= j and all(pattern[k] in variants[p + k] and (adjacent is None or adjacent[p + k])
                                      for k in range(1, n)):
                    best.append((n, etype, phrase))
        if not best:
            continue
        n_max = max(b[0] for b in best)
        if p + n_max <= covered:
            continue
        covered = p + n_max
        for n, etype, phrase in best:
            if n == n_max:
                found.setdefault(etype, phrase)
    return found


def _decide(variants: list[tuple[str, ...]], i: int, j: int, firsts: Sequence[int] | None = None,
            adjacent: Sequence[bool] | None = None) -> EventMatch | None:
    ix = _index()
    for index, strength in ((ix.strong, "strong"), (ix.weak, "weak")):
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


def means_phrase(sentence: str, means: Sequence[str] = ("drone", "airstrike", "shelling")) -> tuple[str, str] | None:
    """The first of ``means`` (in that order) a weak phrase of ``sentence`` names: (type, phrase), or None.

    >>> means_phrase("استهداف سيارة بقصف على طريق سرمدا")
    ('shelling', 'قصف')
    """
    found = _scan(tokens(sentence), _index().weak)
    return next(((t, found[t]) for t in means if t in found), None)


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


def __getattr__(name: str) -> Any:
    """``_STRONG`` / ``_WEAK``: the phrases per type (read by the geoparser's hashtag reader)."""
    if name in ("_STRONG", "_WEAK"):
        return _phrases("strong" if name == "_STRONG" else "weak")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
