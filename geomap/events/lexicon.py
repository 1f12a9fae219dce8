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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import normalize_ar

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


@dataclass(frozen=True, slots=True)
class EventMatch:
    """The event type of a sentence and the keyword that decided it.

    ``strength`` is ``strong``, ``weak`` or ``none`` (type ``other``).
    """

    event_type: str
    keyword: str | None
    strength: str


def _scan(toks: list[str], index: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    variants = [_variants(t) for t in toks]
    for i, vs in enumerate(variants):
        for v in vs:
            for pattern, etype, phrase in index.get(v, ()):
                n = len(pattern)
                if i + n <= len(toks) and all(pattern[k] in variants[i + k] for k in range(1, n)):
                    found.setdefault(etype, phrase)
    return found


def classify(sentence: str) -> EventMatch | None:
    """Return the event type of ``sentence``, or None when no keyword matches.

    Examples
    --------
    >>> classify("شنّت طائرات حربية غاراتٍ على مطار التيفور").event_type
    'airstrike'
    >>> classify("A drone strike hit a car near al-Safira").event_type
    'drone'
    """
    toks = tokens(sentence)
    for index, strength in ((_STRONG_INDEX, "strong"), (_WEAK_INDEX, "weak")):
        found = _scan(toks, index)
        for etype in PRIORITY:
            if etype in found:
                return EventMatch(etype, found[etype], strength)
    return None


def classify_places(sentence: str, spans: Sequence[tuple[int, int]]) -> list[EventMatch | None]:
    """The event type governing each place mention of ``sentence``.

    An incident's type comes from the words governing its place, not the
    whole sentence: "غارات على مطار T-4 وقصف مدفعي على منطقة السفيرة" is an
    airstrike at T-4 and shelling at al-Safira. Mentions are walked in
    offset order; each one takes the type of the keywords between the
    previous mention and itself (:func:`classify` on the last clause of that
    stretch that has any; clauses end at commas, while, whereas, فيما,
    بينما):

    * none there: the previous mention's type ("غارات على حمص وحماة");
    * for the first mention, the first clause with keywords after it, up to
      the next mention ("Palmyra was shelled, and ..."), else the whole
      sentence;
    * a stretch whose only keyword is a weak targeting verb (استهدف,
      targeted) keeps the previous mention's type: it names the act, not a
      new kind of incident.

    Each character of the sentence is classified at most three times, so the cost
    is linear in the sentence.

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
    out: list[EventMatch | None] = []
    prev_end = 0
    for k, (a, b) in enumerate(spans):
        m = _last_clause_match(sentence, prev_end, a)
        if m is not None and k > 0 and out[-1] is not None and m.strength == "weak" \
                and m.event_type in _GENERIC_WEAK:
            m = None
        if m is None and k > 0:
            m = out[-1]
        elif m is None:
            nxt = spans[1][0] if len(spans) > 1 else len(sentence)
            m, used = _first_clause_match(sentence, b, nxt)
            if m is None:
                m = classify(sentence)
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


def _last_clause_match(text: str, a: int, b: int) -> EventMatch | None:
    """The keywords of the last clause of ``text[a:b]`` that has any."""
    if b <= a:
        return None
    for s0, s1 in reversed(_clauses(text, a, b)):
        m = classify(text[s0:s1])
        if m is not None:
            return m
    return None


def _first_clause_match(text: str, a: int, b: int) -> tuple[EventMatch | None, int]:
    """The keywords of the first clause of ``text[a:b]`` that has any, and where that clause ends."""
    if b <= a:
        return None, a
    for s0, s1 in _clauses(text, a, b):
        m = classify(text[s0:s1])
        if m is not None:
            return m, s1
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
