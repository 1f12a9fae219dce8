"""``geoparse`` / ``geoparse_many``: place mentions of a text, resolved.

Steps: normalise (offsets kept) → find name hits (:mod:`.matcher`) → read cue
words (:mod:`.cues`) → link "X in Y" containers → rank each mention's
candidates (container > cue type > coherence with the document's other
confident places > type and population > the document's country focus) →
derive relative geometries (countryside sectors, offsets) → one row per
mention. Mentions that cannot be resolved stay, with ``resolved=False`` and a
``reason``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace as _replace_fields
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from geomap.errors import InputError
from geomap.gazetteer import rank
from geomap.gazetteer.geocode import countryside_of
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.model import AREA_TYPES, Place
from geomap.gazetteer.relative import border_place, line_place
from geomap.gazetteer.store import VARIANT_PENALTY, Gazetteer, haversine_km
from geomap.geometry import circle, near_area, sector
from geomap.geoparsing.cues import Cue, _read_cue, read_cue, tokens_after, tokens_before, word_before
from geomap.geoparsing.matcher import (
    ADMIN_HEADS,
    HEAD,
    NONPLACE,
    UNRANKED,
    VERY_COMMON_RANK,
    Hit,
    Matcher,
    common_words,
    glue_breaks,
    important,
    in_compound_hashtag,
    matcher_for,
    near_spellings,
)
from geomap.geoparsing.overrides import apply_overrides
from geomap.geoparsing.precision import acled_geo_precision, ucdp_where_prec
from geomap.text import (
    LATIN_ARTICLES,
    NormText,
    normalize,
    normalize_key,
    normalize_many,
    strip_article,
)
from geomap.text.normalize import folded_letter
from geomap.gazetteer.admin import ADMIN_COLUMNS, add_admin_columns

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

#: Columns of a geoparse frame, in order (``geoparse_many`` adds ``doc`` first).
COLUMNS: tuple[str, ...] = (
    "mention", "start", "end", "place_id", "name", "name_ar", "feature_type", "precision",
    "confidence", "lat", "lon", "geometry", "resolved", "reason", "cue", "role",
    "acled_geo_precision", "ucdp_where_prec", "override", *ADMIN_COLUMNS,
)

_SETTLEMENT = ("city", "town", "village", "neighbourhood")
#: how many of a document's confident places steer the choice among homonyms
MAX_ANCHORS = 25
#: how near another place of the document a village that is also a word must lie
LONELY_KM = 100.0
#: towns abroad smaller than this need the document's support (see _stray_village)
STRAY_TOWN_POP = 50_000
#: texts longer than this are geoparsed in pieces (bounded memory)
CHUNK_CHARS = 1_000_000
#: geoparse_many normalises texts of up to this size together, this many characters at a
#: time (small enough for the numpy arrays to stay in the CPU cache: 16k is fastest)
BATCH_CHARS = 16_000
_CONTAINER_GAPS_AR = {"", "في", "من", "ب", "داخل", "بمحافظه", "بريف"}
_CONTAINER_GAPS_EN = {"", "in", "in the", "of", "near"}
_COMPOUND_HEADS = {"ابو", "ام", "تل", "عين", "دير", "كفر", "جسر", "خان", "بئر", "بير", "راس", "جبل",
                   "سهل", "بيت", "قصر", "مزرعه", "حي", "باب", "بني", "بنات", "وادي", "سد", "مرج"}
_HAS_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_FUNCTION_WORDS = frozenset(normalize_key(w) for w in {"من", "في", "علي", "الي", "عن", "مع", "و", "او", "ثم", "الذي", "التي", "هذا", "هذه",
                             "ذلك", "تلك", "بين", "عند", "منذ", "حتي", "كل", "بعد", "قبل", "ان", "لا", "ما", "قد",
                             "جراء", "بسبب", "اثر", "عقب", "خلال", "حول", "ضد", "لدي", "نحو", "دون", "عبر", "امام",
                             "خلف", "داخل", "خارج", "قرب", "لكن", "كما", "اذ", "اذا", "يوم", "امس", "اليوم"})
#: a capitalised Latin word sequence, lower-case articles allowed inside (al-Safira, Deir ez-Zor)
_LATIN_ART = "(?:" + "|".join(sorted(LATIN_ARTICLES, key=lambda a: (-len(a), a))) + ")"
_LATIN_WORD = r"[A-Z][^\W\dA-Z_]+(?:['’`][^\W\dA-Z_]+)*"  # Title-case: not KVbY of a URL
_LATIN_SEQUENCE = re.compile(rf"{_LATIN_WORD}(?:(?:[ -]|[ -]{_LATIN_ART}[ -]){_LATIN_WORD}){{0,3}}(?![\w'’`])")
_LATIN_ART_BEFORE = re.compile(rf"(?<![\w'’`-]){_LATIN_ART}-$")
_HAS_LATIN_CAPITAL = re.compile("[A-Z]")
#: compound heads of Latin names: alone, they are rarely the place meant
_LATIN_HEADS = frozenset({"tal", "tel", "tell", "kafr", "kfar", "jabal", "jebel", "ain", "ayn", "ein", "deir", "dayr",
                          "rasm", "khirbat", "khirbet", "abu", "um", "umm", "bir", "ras", "jisr", "wadi", "beit",
                          "bayt", "khan", "qasr", "mazraat", "marj", "sheikh", "shaykh", "hamrat", "maarat"})
#: closing quotes and brackets → their opening ones (a mention that holds the opening one takes the closing)
_CLOSING = {'"': '"', "»": "«", "”": "“", "›": "‹", ")": "(", "]": "["}  # (not ' and ’: transliterations hold them)
#: the match score of a name one edit from a gazetteer spelling (an exact match scores 1, a bare one 0.85)
NEAR_SPELLING_SCORE = 0.7
#: the weakest match a capitalised sequence needs to be taken as a place
LATIN_VARIANT_MIN = 0.64
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


@dataclass(slots=True)
class _Mention:
    hit: Hit | None
    cue: Cue
    cands: Sequence[tuple[Place, float]] = ()  # shared between mentions: never mutated
    container: _Mention | None = None
    is_container: bool = False
    best: Place | None = None
    score_gap: float = 0.0
    top: float = 0.0
    common: bool = False
    reason: str = ""
    road_to: _Mention | None = None  # "طريق X - Y": the other end of the road
    border: bool = False  # "X/Y border": road_to is the other side
    in_focus: bool = True  # its best place is not a small place outside the document's focus country


#: words that introduce a person, whose name may equal a place's
PERSON_TITLES = frozenset(normalize_key(w) for w in (
    "الرئيس", "الوزير", "وزير", "السيد", "السيدة", "الدكتور", "د", "اللواء", "العميد", "العقيد", "المقدم",
    "الرائد", "النقيب", "الملازم", "الفريق", "العماد", "المتحدث", "الناطق", "الأمير", "الملك", "الشهيد",
    "المواطن", "المواطنة", "الطفل", "الطفلة", "الناشط", "الصحفي", "الإعلامي", "ابن", "بن", "أبو", "أم", "ابو",
    "عبد",  # عبد الباري، عبد الرحمن: the second half of a given name
    "president", "minister", "mr", "mrs", "ms", "dr", "general", "gen", "colonel", "col", "major", "captain",
    "sheikh", "prince", "king", "spokesman", "spokeswoman", "activist", "journalist",
))


#: common given names: a town's name right after one is a family name (مرزوق الغانم,
#: أحمد براك). Names that are also common words (صالح، سعيد، صباح) or that fold into a
#: preposition (علي / على) are left out.
GIVEN_NAMES = frozenset(normalize_key(w) for w in (
    "محمد", "محمود", "أحمد", "مصطفى", "إبراهيم", "خالد", "عبدالله", "عبدالرحمن", "عبدالعزيز", "عبداللطيف",
    "عبدالكريم", "عبدالرحيم", "عبدالوهاب", "يوسف", "يونس", "عمر", "عثمان", "حسين", "طارق", "وليد", "ماجد",
    "فهد", "ناصر", "مرزوق", "راشد", "جاسم", "جابر", "فيصل", "نايف", "بندر", "زايد", "حمد", "حمدان", "عماد",
    "هشام", "هاني", "سامي", "رامي", "زياد", "فادي", "باسل", "بشار", "أنس", "بلال", "حمزة", "صلاح", "نبيل",
    "نزار", "وائل", "أيمن", "عمرو", "مازن", "مهند", "معاذ", "قاسم", "نواف", "ثامر", "مشعل", "مشاري", "عيسى",
    "موسى", "داود", "سليمان", "إسماعيل", "يعقوب", "إلياس", "جورج", "ميشال", "ميشيل", "سمير", "فؤاد", "أسامة",
    "ياسر", "سعود", "حسام", "عصام", "هيثم", "غسان", "رائد", "إياد", "مراد", "نادر", "شادي", "مجدي", "حاتم",
    "عبيد", "ماهر", "فاطمة", "مريم", "زينب", "عائشة", "خديجة", "سارة", "ليلى", "رنا", "هند", "سعاد", "نادين",
    "منى", "لينا", "شيماء", "آمنة",
))


#: the longest road "X - Y" news names between two places; farther ends are a misreading
ROAD_MAX_KM = 1000.0
_ROAD_HEADS = ("طريق", "اوتوستراد", "اتوستراد", "محور")
_ROAD_TAILS = ("road", "highway", "axis", "motorway")
_MINOR = frozenset({"village", "neighbourhood", "landmark"})
#: a pick with this share of its candidates' probability is confident enough to anchor the document
CONFIDENT_SHARE = 0.8
#: a name match at least this good is the name (exact, normalised or article-less), not a close spelling
NAME_MATCH = 0.85
_MINOR_OR_TOWN = _MINOR | {"town"}
_NO_TYPES: frozenset[str] = frozenset()
#: ordinals that name ring roads, roundabouts and districts (الدائري السابع، الدوار الرابع)
_ORDINALS = frozenset(normalize_key(w) for w in (
    "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"))
#: a clitic + word reading needs a word at least this frequent (وجميع، لإنتاج; not ف + ليج)
CLITIC_WORD_RANK = 20_000
#: titles a street, hospital or university is named after with a person's name
_HONORIFICS = frozenset(normalize_key(w) for w in ("الملك", "الأمير", "الشيخ", "الإمام", "السلطان", "الرئيس"))
#: places that say what country a document is about even when their name is a common word (الكويت)
_FOCUS_TYPES = frozenset({"country", "governorate"})
_FOCUS_WEIGHT = {"country": 3, "governorate": 3, "city": 2, "town": 2}
#: the country a document is taken to be about when none of its places says otherwise
HOME_COUNTRY = "SY"
#: the country code of seas and straits (UN/LOCODE's XZ): they say nothing of a document's country
INTERNATIONAL_WATERS = "XZ"


def _stray_village(m: _Mention, focus: str, anchors: Sequence[Place] = ()) -> bool:
    """A cue-less, container-less mention whose every candidate is a small
    place outside the document's focus country, or whose name is a common
    word and whose every candidate is a town or smaller outside it (بيان), or
    whose every candidate is a small town abroad far from every other place
    of the document (الغانم in a Kuwaiti tweet is a family name, not the
    Qatari town)."""
    if m.cue.kind is not None or m.container is not None or m.is_container:
        return False
    if m.common:
        return all(p.country != focus and p.feature_type in _MINOR_OR_TOWN for p, _ in m.cands)
    if all(p.feature_type in _MINOR and p.country != focus and not p.population
           and "geomap" not in p.sources for p, _ in m.cands):  # the project's own landmarks are notable
        return True
    if not all(p.feature_type in _MINOR_OR_TOWN and p.country != focus and (p.population or 0) < STRAY_TOWN_POP
               for p, _ in m.cands):
        return False
    others = [a for a in anchors if all(a is not p for p, _ in m.cands)]
    return bool(others) and not any(haversine_km(p.lat, p.lon, a.lat, a.lon) <= LONELY_KM
                                    for p, _ in m.cands for a in others)


def _focus_of(anchors: Sequence[Place]) -> str | None:
    """The country most of ``anchors`` lie in; a country or province says more of a
    document's country than a village does. None when they say nothing."""
    focus = _most_common([p.country for p in anchors if p.country != INTERNATIONAL_WATERS
                          for _ in range(_FOCUS_WEIGHT.get(p.feature_type, 1))], 1)
    return focus[0] if focus else None


def _abroad(ms: list[_Mention]) -> bool:
    """Whether the mentions say the text is about another country: one names only a
    country, governorate or city abroad, and none a Syrian city, governorate or region."""
    big = ("country", "governorate", "city", "region")
    return any(all(p.country != HOME_COUNTRY for p, _ in m.cands) and any(p.feature_type in big for p, _ in m.cands)
               for m in ms) \
        and not any(p.country == HOME_COUNTRY and p.feature_type in big for m in ms for p, _ in m.cands)


def _most_common(items: list, n: int) -> list:
    """The ``n`` most frequent of ``items``, first seen first among equals
    (the keys of ``Counter(items).most_common(n)``, without its overhead on short lists)."""
    counts: dict = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    return sorted(counts, key=counts.__getitem__, reverse=True)[:n]


def _coerce_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    raise TypeError(f"text must be str, not {type(text).__name__}")


class Parser:
    """Geoparser bound to one gazetteer (cheap to make once the matcher is cached)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.matcher: Matcher = matcher_for(gazetteer)
        self.common = common_words()
        self.words = self.matcher.words
        self._derived: dict[tuple, tuple] = {}
        self._ranked: dict[tuple, tuple] = {}
        self._cands: dict[tuple[str, bool, int], tuple] = {}
        self._dist: dict[tuple[str, str], float] = {}
        self._feats: dict[tuple[str, float, frozenset[str]], tuple[list[float], float]] = {}
        #: when a list, rank() appends (mention, place, features, score) of every candidate
        #: it ranks (bench/fit_ranker.py fits the ranker's weights on them)
        self.recorder: list | None = None
        self._round3: dict[float, float] = {}
        self._heads: list[Hit] = []
        self._masked: list[tuple[int, int]] = []
        self._latin_memo: dict[str, tuple[str, list[tuple[Place, float]], bool]] = {}
        self._near: dict[str, tuple[tuple, tuple[tuple[Place, float], ...]]] = {}

    # -- recognition ------------------------------------------------------------
    def mentions(self, text: str, nt: NormText | None = None) -> tuple[Any, str, list[_Mention]]:
        """Normalise ``text`` (unless its ``nt`` is given) and read its place mentions."""
        if nt is None:
            nt = normalize(text, words_only=True)
        breaks = glue_breaks(self.matcher, nt.text)
        if breaks:  # glued tokens: السويداء12، سد تشرينوقتل
            nt = nt.with_breaks(breaks)
        mt = " " + nt.text + " "
        out: list[_Mention] = []
        heads: list[Hit] = []
        masked: list[tuple[int, int]] = []  # organisations and persons: no place in there
        for h in self.matcher.find(mt, text, nt.offsets):
            first = h.entries[0][0]
            if first == NONPLACE:
                masked.append((h.word_start, h.end))
                continue
            if first == HEAD:
                heads.append(h)
                continue
            if h.entries[-1][0] == HEAD:  # a head that is also a name (شعيب): read both ways
                heads.append(h)
                h = _replace_fields(h, entries=h.entries[:-1])
            ws, start = h.word_start, h.start
            before = word_before(mt, ws)
            if mt[ws:start] in ("", "ال") and before in PERSON_TITLES:
                masked.append((ws, h.end))
                continue  # الرئيس حماة، President Hama: a person who bears a place's name
            articled = ws != start and "ال" in mt[ws:start]
            if ws == start and h.key.startswith("ال") and h.key.endswith("يه") and before.startswith("ال") \
                    and before.endswith(("ه", "ات")) and len(before) > 4:
                continue  # العاصفة المطرية "the rain storm": an adjective after its noun, not Matariya
            cands, vital, all_bare = self._candidates(h, articled)
            if mt[ws:start] in ("", "ال") and before in GIVEN_NAMES and self._after_word(text, nt, ws) \
                    and all(p.feature_type in _MINOR_OR_TOWN for p, _ in cands):
                masked.append((ws, h.end))
                continue  # مرزوق الغانم: a family name, not the town
            if h.common and not articled and all_bare:
                continue  # منزله (his house) is not المنزلة without its article
            if h.key in _HONORIFICS and h.common:
                nxt = tokens_after(mt, h.end, 1)
                if nxt and nxt[0][0] not in _FUNCTION_WORDS and _HAS_ARABIC_LETTER.match(nxt[0][0]):
                    continue  # مستشفى الملك فهد: a title before a given name, not the village Al Mulk
            cue = _read_cue(mt, start, h.end, ws, h.key, before)
            if h.common and cue.kind is None:
                # a common word names a place only when the place is important enough
                if not vital:
                    continue
                cands = vital
            while out and cue.left < out[-1].cue.right:
                out.pop()  # the cue's words were read as a place too: "Markaz" of "Markaz Idlib district"
            out.append(_Mention(h, cue, cands, common=h.common))
        if out or heads:
            out = self._near_spelled(text, nt, mt, heads, masked, out)
        self._heads = heads
        self._masked = masked
        return nt, mt, out

    # -- near spellings ----------------------------------------------------------------
    def _near_spelled(self, text: str, nt, mt: str, heads: list[Hit], masked: list[tuple[int, int]],
                      out: list[_Mention]) -> list[_Mention]:
        """Names one edit from a gazetteer spelling where a name is expected and
        none is read: after a settlement word (قرية معرشرين → معرشورين, بلدة
        كفرنصفرة → كفر نصفرة), or before a Syrian container (معرشرين بريف إدلب,
        then only places of that governorate). Candidates are the Syrian
        settlements so spelled, scored :data:`NEAR_SPELLING_SCORE` (well below an
        exact match); never in a text about another country."""
        if _abroad(out):
            return out
        spots: list[tuple[int, str, str | None]] = []  # (start, token, governorate it must be in)
        for h in heads:
            if h.key in ADMIN_HEADS and "ال" not in mt[h.word_start:h.start]:  # (القرية: "the village")
                after = tokens_after(mt, h.end, 2)
                if len(after) == 2 and after[0][0] in _COMPOUND_HEADS:  # قرية كفر نصفرة: the two words
                    spots.append((h.end + 1, after[0][0] + " " + after[1][0], None))
                elif after:
                    spots.append((h.end + 1, after[0][0], None))
        for y in out:
            govs = {p.admin1 for p, _ in y.cands if p.country == HOME_COUNTRY and p.admin1
                    and p.feature_type in ("governorate", "region", "city", "district")}
            if y.hit is None or not govs or len(govs) > 1:
                continue
            before = tokens_before(mt, y.hit.word_start, 2)
            if mt[y.hit.word_start:y.hit.start] in ("ب", "وب") and before:
                tok, pos = before[0]
            elif len(before) == 2 and before[0][0] == "في":
                tok, pos = before[1]
            else:
                continue
            spots.append((pos, tok, govs.pop()))
        if not spots:
            return out
        starts = {m.hit.start for m in out if m.hit is not None}
        taken = _Spans(len(mt), [(m.cue.left, m.cue.right) for m in out] + masked)
        added = False
        for a, name, gov in spots:
            b = a + len(name)
            if a in starts or taken.overlaps(a, b) or len(name) < (4 if gov is None else 5) \
                    or not _HAS_ARABIC_LETTER.match(name) or name in self.words or name in self.common \
                    or strip_article(name) in self.words:
                continue  # a name read already, a short one, or a word
            if in_compound_hashtag(a, b, text, nt.offsets):
                continue
            entries, cands = self._near_candidates(name)
            if gov is not None:
                keep = [k for k, (p, _) in enumerate(cands) if p.admin1 == gov]
                entries, cands = tuple(entries[k] for k in keep), tuple(cands[k] for k in keep)
            if not cands:
                continue
            hit = Hit(a, b, a, name, entries, 0)
            cue = _read_cue(mt, a, b, a, name, word_before(mt, a))
            out.append(_Mention(hit, cue, cands, reason="near spelling"))
            taken.add(cue.left, cue.right)
            added = True
        if added:
            out.sort(key=lambda m: m.hit.start)
        return out

    def _near_candidates(self, name: str) -> tuple[tuple, tuple[tuple[Place, float], ...]]:
        """``(entries, candidates)``: the Syrian settlements one edit from ``name``
        (see :func:`near_spellings`), their gazetteer positions; memoised."""
        got = self._near.get(name)
        if got is None:
            keys = self.gaz.keys
            found: dict[str, tuple[int, Place]] = {}
            for v in near_spellings(name):
                for i in keys.get(v, ()):
                    p = self.gaz.place_at(i)
                    if p.country == HOME_COUNTRY and p.feature_type in _SETTLEMENT:
                        found.setdefault(p.id, (i, p))
            got = (tuple((i, False) for i, _ in found.values()),
                   tuple((p, NEAR_SPELLING_SCORE) for _, p in found.values()))
            if len(self._near) < 100_000:
                self._near[name] = got
        return got

    # -- Latin spelling variants -------------------------------------------------------
    def latin_variants(self, text: str, nt, mt: str, ms: list[_Mention]) -> tuple[list[_Mention], list[tuple]]:
        """Capitalised Latin names the automaton did not take whole, matched by spelling.

        Transliterations vary ("Jenderis" / Jindayris, "Kafr Nouran" / Kafr
        Nuran): a capitalised word sequence that no name covers exactly is
        looked up whole, consonant skeleton and spelling closeness included,
        and replaces the shorter names inside it ("Kafr" alone is no place).
        A sequence led by a compound head (Tall, Kafr, Jabal...) that matches
        nothing is reported unresolved instead of as its head.

        Returns the mentions (text order) and rows of unresolved sequences.
        """
        if not _HAS_LATIN_CAPITAL.search(text):
            return ms, []
        starts = [m.hit.start for m in ms if m.hit is not None]
        out = list(ms)
        drop: set[int] = set()
        unresolved: list[tuple] = []
        offsets = nt.offsets
        memo = self._latin_memo
        # names the automaton took, by where they start in the text
        named = {int(offsets[m.hit.start - 1]): m.hit.key for m in ms if m.hit is not None}
        for mm in _LATIN_SEQUENCE.finditer(text):
            seq = mm.group()
            got = memo.get(seq)
            if got is not None and not got[1] and not got[2]:
                continue  # most capitalised words: sentence starts, persons, months
            a0, b0 = mm.span()
            if a0 and (text[a0 - 1].isalnum() or text[a0 - 1] in "'’`-/.@#_"):
                continue  # inside a word (McDonald, x-Ray), a link, a handle or a hashtag
            if got is None:
                got = self._latin_candidates(seq)
                if not got[1] and not got[2]:
                    continue
            art = _LATIN_ART_BEFORE.search(text, max(0, a0 - 5), a0)
            if art is not None:  # al-Safira: the article belongs to the name
                a0 = art.start()
                got = self._latin_candidates(text[a0:b0])
            key, cands, _headed = got
            if named.get(a0) == key:
                continue  # the name itself
            a = int(offsets[:-1].searchsorted(a0)) + 1  # match-text indices
            b = a + len(key)
            if mt[a:b] != key or any(x < b and a < y for x, y in self._masked):
                continue
            i = bisect.bisect_left(starts, a)
            j = bisect.bisect_left(starts, b)
            inside = [k for k in range(max(0, i - 1), j) if ms[k].hit.start < b and a < ms[k].hit.end]
            if any(ms[k].hit.start < a or ms[k].hit.end > b for k in inside):
                continue  # a longer name already takes it in
            if len(inside) == 1 and ms[inside[0]].hit.start == a and ms[inside[0]].hit.end == b:
                continue  # the name itself
            if cands:
                hit = Hit(a, b, a, key, tuple((p.id, sc) for p, sc in cands), 0)
                drop.update(inside)
                out.append(_Mention(hit=hit, cue=read_cue(mt, a, b, a, key), cands=cands))
            elif inside and all(ms[k].hit.end - ms[k].hit.start <= len(key.split(" ", 1)[0]) + 3 for k in inside):
                # "Tall as Samn": not the town of At Tall
                drop.update(inside)
                unresolved.append(_unresolved(text, a0, b0, "not in gazetteer", "name"))
        if drop or len(out) > len(ms):
            out = [m for k, m in enumerate(out) if k not in drop]
            out.sort(key=lambda m: m.hit.start)
        return out, unresolved

    def _latin_candidates(self, seq: str) -> tuple[str, list[tuple[Place, float]], bool]:
        """``(key, places, headed)`` of a capitalised sequence (cached): its
        match-text key, the places it names closely enough to be recognised
        without the automaton, and whether it starts with a compound head."""
        got = self._latin_memo.get(seq)
        if got is not None:
            return got
        key = normalize(seq, words_only=True).text.strip()
        words = key.split()
        cands: list[tuple[Place, float]] = []
        if len("".join(words)) >= 5 and not (len(words) == 1 and key in self.common):
            cands = [(p, sc) for p, sc in self.gaz.matches(key) if sc >= LATIN_VARIANT_MIN]
            if len(cands) > 1:
                best = max(sc for _, sc in cands)
                cands = [(p, sc) for p, sc in cands if sc >= best - 0.05]
        got = (key, cands, len(words) > 1 and words[0] in _LATIN_HEADS)
        if len(self._latin_memo) < 100_000:
            self._latin_memo[seq] = got
        return got

    def _candidates(self, h: Hit, articled: bool) -> tuple[tuple, tuple, bool]:
        """``(candidates, the important ones, every match bare)`` of a hit's name (memoised).

        A bare (article-less) match scores 0.85 unless the text writes the article;
        a match on a variant name scores a little less (``Gazetteer.variant_penalty``).
        """
        memo_key = (h.key, articled, h.common)
        got = self._cands.get(memo_key)
        if got is None:
            places = [(self.gaz.place_at(i), bare) for i, bare in h.entries]
            key, stripped = h.key, strip_article(h.key)
            own = [not self.gaz.variant_penalty(i, key, stripped) for i, _ in h.entries]
            cands = tuple((p, (0.85 if bare and not articled else 1.0) - (0.0 if o else VARIANT_PENALTY))
                          for (p, bare), o in zip(places, own, strict=True))
            # a common word names, without a cue, a place important enough for its
            # rank and called so, not a settlement that merely bears the word among
            # its variants (بركة "blessing" is a variant of Iraq's Baharka); the
            # variants of countries, provinces and the project's own places are
            # their names (أمريكا، القادسية، سيناء)
            # nor one whose name has an article the text does not write (منزله "his house"
            # is not المنزلة)
            vital = tuple((p, s) for (p, s), o, (_, bare) in zip(cands, own, places, strict=True)
                          if important(p, h.common) and not (bare and not articled)
                          and (o or p.feature_type not in _SETTLEMENT or "geomap" in p.sources)) \
                if h.common else cands
            got = (cands, vital, all(bare for _, bare in places))
            if len(self._cands) < 100_000:
                self._cands[memo_key] = got
        return got

    # -- containment -------------------------------------------------------------
    def link_containers(self, text: str, nt, mt: str, ms: list[_Mention]) -> None:
        """Mark Y as the container of X in "X بـY", "X في Y", "X in Y", "X, Y province"."""
        for x, y in pairwise(ms):
            assert x.hit is not None and y.hit is not None
            gap = mt[x.cue.right:y.cue.left].strip()
            latin = x.hit.key.isascii() and y.hit.key.isascii()
            if latin:
                ok = gap in _CONTAINER_GAPS_EN
                if ok and gap == "":  # only "X, Y": a comma between, not "X - Y" or "X Y"
                    a = self._span(nt, x.cue.left, x.cue.right)[1]
                    b = self._span(nt, y.cue.left, y.cue.right)[0]
                    ok = text[a:b].strip() == ","
            else:
                prefix = mt[y.hit.word_start:y.hit.start]
                ok = (gap == "" and prefix.startswith(("ب", "وب"))) or gap in _CONTAINER_GAPS_AR
            if ok and y.cue.kind not in ("direction", "near"):
                x.container = y
                if y.cue.direction and y.cue.kind in (None, "countryside"):
                    self._within_sector(x, y)

    def _within_sector(self, x: _Mention, y: _Mention) -> None:
        """X of "X بريف حماة الغربي": keep X's candidates in that sector of the
        countryside, when some lie there (قرية الربيعة is the western one)."""
        from shapely import Point

        sectors = []
        for p, _ in y.cands:
            if y.cue.kind != "countryside" and not p.id.startswith("geomap:countryside:"):
                continue
            geom = self._derive(p, y.cue.kind, y.cue.direction, None)[1]
            if geom is not None:
                sectors.append(geom)
        if not sectors:
            return
        inside = tuple((p, sc) for p, sc in x.cands if any(g.covers(Point(p.lon, p.lat)) for g in sectors))
        if inside and len(inside) < len(x.cands):
            x.cands = inside

    def link_roads(self, text: str, nt, mt: str, ms: list[_Mention]) -> list[_Mention]:
        """Join "طريق X - Y" / "the X-Y road" into one mention (its second name
        becomes part of the first's span)."""
        out: list[_Mention] = []
        skip = False
        for x, y in zip(ms, [*ms[1:], None], strict=False):  # no pair when ms is empty
            if skip:
                skip = False
                continue
            out.append(x)
            if y is None or y.cue.kind not in (None, "poi"):
                continue
            if mt[x.cue.right:y.cue.left].strip():
                continue  # a letter or digit between the names: no dash alone
            a = self._span(nt, x.cue.left, x.cue.right)[1]
            b = self._span(nt, y.cue.left, y.cue.right)[0]
            if text[a:b].strip() not in ("-", "–", "—", "/"):
                continue
            head = mt[x.cue.left:x.hit.start] if x.hit else ""
            road_before = x.cue.kind == "poi" and any(w in head for w in _ROAD_HEADS)
            road_after = y.cue.kind == "poi" and any(w in mt[y.cue.right - 9:y.cue.right] for w in _ROAD_TAILS)
            border_after = any(w in mt[y.cue.right:y.cue.right + 9] for w in (" border", " حدود", " الحدود"))
            if border_after and y.cue.kind is None:
                x.road_to, x.border = y, True
                end = mt.find(" ", y.cue.right + 1)  # the mention takes in "border"
                x.cue.right = end if end != -1 else y.cue.right
                x.cue.kind = None
                skip = True
            elif road_before or road_after:
                x.road_to = y
                x.cue.right = y.cue.right
                x.cue.kind = None
                skip = True
        return out

    # -- ranking ----------------------------------------------------------------
    def rank(self, m: _Mention, anchors: Sequence[Place] = (), focus: str | None = None,
             anchor_ids: tuple[str, ...] | None = None) -> None:
        """Choose ``m.best`` among its candidates (``anchor_ids``: the ids of ``anchors``, if known)."""
        if len(m.cands) == 1 and self.recorder is None:
            m.best, m.top, m.score_gap = m.cands[0][0], 1.0, 1.0
            return
        types = m.cue.types or None
        within = m.container.best if m.container is not None and m.container.best is not None else None
        assert m.hit is not None
        if anchor_ids is None:
            anchor_ids = tuple(a.id for a in anchors)
        types_key = frozenset(m.cue.types) if m.cue.types else _NO_TYPES
        # the match scores too: a name written without its article scores its bare matches lower
        memo_key = (m.hit.key, m.hit.entries, tuple(s for _, s in m.cands), m.cue.kind, types_key,
                    within and within.id, anchor_ids, focus)
        memo = self._ranked.get(memo_key) if self.recorder is None else None
        if memo is not None:
            m.best, m.top, m.score_gap = memo
            return
        dist = self._dist
        feats = self._feats
        cue_kind = m.cue.kind
        cand_ids = {p.id for p, _ in m.cands} if anchors else set()
        scored = []
        for p, match in m.cands:
            key = (p.id, match, types_key)
            got = feats.get(key)
            if got is None:
                f = self.gaz.features(p, match, types)
                got = (f, rank.score(f))  # the document-free part of the score, once per candidate
                if len(feats) < 100_000:
                    feats[key] = got
            f, base = got
            near_km = None
            if anchors and p.feature_type not in AREA_TYPES:  # an area's point says little of its extent
                ds = []
                for a in anchors:
                    if a.id in cand_ids:
                        continue  # the same name read elsewhere is no independent evidence for it

                    pair = (a.id, p.id)
                    d = dist.get(pair)
                    if d is None:
                        d = haversine_km(a.lat, a.lon, p.lat, p.lon)
                        if len(dist) < 500_000:
                            dist[pair] = d
                    ds.append(d)
                near_km = min(ds) if ds else None
            inside = self.gaz.contains(within, p) if within is not None else None
            s = rank.score_in_context(base, p, focus=focus, inside=inside, near_km=near_km, cue_kind=cue_kind)
            if self.recorder is not None:
                self.recorder.append((m, p, rank.with_context(f, p, focus=focus, inside=inside, near_km=near_km,
                                                              cue_kind=cue_kind), s))
            scored.append((s, p))
        scored.sort(key=lambda t: -t[0])
        m.best = scored[0][1]
        m.top = scored[0][0]
        # the pick's softmax share among the candidates (1 when alone)
        m.score_gap = rank.share([s for s, _ in scored]) if len(scored) > 1 else 1.0
        if len(self._ranked) < 200_000:
            self._ranked[memo_key] = (m.best, m.top, m.score_gap)

    def confidence(self, m: _Mention) -> float:
        cands = m.cands
        if len(cands) == 1 and cands[0][0] is m.best:
            match = cands[0][1]
        else:
            match = max(s for p, s in cands if p is m.best)
        c = rank.confidence(m.score_gap, match, m.in_focus)  # calibrated on the dev strings
        if not m.in_focus and (match < NAME_MATCH or (m.cue.types and m.best.feature_type not in m.cue.types)):
            # a close spelling of a place abroad the document does not support, or a place abroad of
            # another type than the words ask for (the *village* of X is never a city abroad): no answer
            c = min(c, 0.05)
        if m.common and m.cue.kind is None:
            c *= 0.75
        c = max(0.05, min(0.99, c))
        # round(c, 3) is slow (it goes through the decimal digits) and c takes few values
        r = self._round3.get(c)
        if r is None:
            r = round(c, 3)
            if len(self._round3) < 100_000:
                self._round3[c] = r
        return r

    # -- rows ----------------------------------------------------------------------
    def parse(self, text: str) -> list[tuple]:
        """Rows (in :data:`COLUMNS` order, geometry included) for one text.

        Texts longer than :data:`CHUNK_CHARS` are read in pieces cut at line
        breaks (then spaces), so memory stays bounded; offsets refer to the
        whole text.
        """
        text = _coerce_text(text)
        if not text.strip():
            return []
        if len(text) <= CHUNK_CHARS:
            return self._parse_one(text)
        rows: list[tuple] = []
        for base, piece in chunks(text, CHUNK_CHARS):
            for r in self._parse_one(piece):
                rows.append((r[0], r[1] + base, r[2] + base, *r[3:]))
        return rows

    def _parse_one(self, text: str, nt: NormText | None = None) -> list[tuple]:
        """Rows of one text (of at most :data:`CHUNK_CHARS`), its normalised form ``nt`` if known."""
        nt, mt, ms, unresolved = self.resolve(text, nt)
        rows = [self._row(nt, m) for m in ms]
        covered = [(m.cue.left, m.cue.right) for m in ms]
        rows.extend(unresolved)
        covered.extend((int(_nidx(nt, r[1])) + 1, int(_nidx(nt, r[2] - 1)) + 2) for r in unresolved)
        rows.extend(self._unknown(text, nt, mt, covered))
        rows.sort(key=lambda r: (r[1], r[2]))
        return rows

    def resolve(self, text: str, nt: NormText | None = None,
                within: Place | None = None) -> tuple[Any, str, list[_Mention], list[tuple]]:
        """Recognise, read cues, link containers and rank: the mentions of ``text``
        with their best places, and the rows of mentions reported unresolved.
        ``within`` (geocode's argument) is the container of every mention without one."""
        nt, mt, ms = self.mentions(text, nt)
        ms, unresolved = self.latin_variants(text, nt, mt, ms)
        ms = self.link_roads(text, nt, mt, ms)
        self.link_containers(text, nt, mt, ms)
        if within is not None:
            outer = _Mention(None, Cue(0, 0), ((within, 1.0),), best=within, is_container=True)
            for m in ms:
                if m.container is None and not any(x.container is m for x in ms):
                    m.container = outer
        # containers first (they constrain), then the rest; then again with coherence
        for m in sorted(ms, key=lambda m: m.container is not None):
            self.rank(m)
        for x in ms:
            y = x.container
            if y is None or y.best is None or x.best is None:
                continue
            fits = [p for p, _ in x.cands if self.gaz.contains(y.best, p)]
            if fits:
                y.is_container = True
            else:
                x.container = None
        # coherence: the document's confident places (the most frequent few) and country
        # anchors: unambiguous names that are not common words, or names a cue supports
        counted = _most_common([m.best.id for m in ms if m.best is not None and
                                (m.cue.kind is not None or (m.score_gap >= CONFIDENT_SHARE and (
                                    not m.common or m.best.feature_type in _FOCUS_TYPES)))], MAX_ANCHORS)
        anchor_places = {m.best.id: m.best for m in ms if m.best is not None}
        anchors = [anchor_places[i] for i in counted]
        focus_cc = _focus_of(anchors)
        # a bare village name far from what the document is about is more
        # likely a word (الحيطة "caution" in a Kuwaiti tweet) than a place; a
        # document with no confident place is taken to be about the home country
        ms = [m for m in ms if not _stray_village(m, focus_cc or HOME_COUNTRY, anchors)]
        # a bare village whose name is also a word (جروح "wounds"), with no place of
        # the document near it, is the word
        ms = [m for m in ms if not self._lonely_word(m, ms)]
        # a mention's anchors are the document's but its own best place: one list per best place
        others: dict[int, tuple[list[Place], tuple[str, ...]]] = {}
        for m in ms:
            if len(m.cands) > 1:
                got = others.get(id(m.best))
                if got is None:
                    mine = [a for a in anchors if a is not m.best]
                    got = others[id(m.best)] = (mine, tuple(a.id for a in mine))
                self.rank(m, got[0], focus_cc, got[1])
        for m in ms:
            m.in_focus = self._in_focus(m, anchors)
        return nt, mt, ms, unresolved

    def _in_focus(self, m: _Mention, anchors: Sequence[Place]) -> bool:
        """Whether ``m``'s pick fits the country the *rest* of the document is about
        (Syria when the rest says nothing: a lone place does not vote for itself).
        What does not fit — and what the calibrated confidence distrusts — is a
        small place (:data:`geomap.gazetteer.rank.SMALL`) outside that country and
        Syria, or any place abroad of another type than the words ask for (the
        *village* of Kum is not the city of Qom), unless its container holds it."""
        best = m.best
        if best is None or best.country in (HOME_COUNTRY, INTERNATIONAL_WATERS):
            return True
        if m.container is not None and m.container.best is not None and self.gaz.contains(m.container.best, best):
            return True  # the text says where: الخفجي في السعودية
        own = _focus_of([a for a in anchors if a is not best]) or HOME_COUNTRY
        if best.country == own:
            return True
        if m.cue.types and best.feature_type not in m.cue.types:
            return False
        return best.feature_type not in rank.SMALL

    def geocode(self, query: str, within: Place | None = None) -> tuple[Place | None, bool]:
        """The place ``query`` names (:func:`geomap.geocode`): the query read as a
        one-mention text, its main mention resolved by the same ranking as in
        running text. Returns ``(place, read)``: ``read`` is False when the
        reader found no name in the query (the caller may look it up another
        way); ``place`` is None when the pick's confidence is under the abstain
        threshold. A relative place ("east of Homs") is the derived area."""
        nt, _mt, ms, _ = self.resolve(query, within=within)
        ms = [m for m in ms if m.best is not None and not m.is_container]
        if not ms:
            return None, False
        m = max(ms, key=lambda m: (m.cue.right - m.cue.left, -m.cue.left))
        wanted = parse_query(query).feature_types
        if wanted and not m.cue.types and m.best.feature_type not in wanted:
            m.cue.types = set(wanted)  # a descriptor inside the matched name: "Manbij district"
            self.rank(m, focus=None)
        if m.road_to is not None or m.cue.kind in ("direction", "near", "countryside"):
            return None, False  # a road, border or relative place: the lookup's compound reading makes it
        if within is not None and not self.gaz.contains(within, m.best):
            return None, False  # nothing of that name inside: the lookup tries close spellings there
        if self.confidence(m) < rank.abstain_below():
            return None, True
        place, *_ = self._derive(m.best, m.cue.kind, m.cue.direction, m.cue.distance_km, rounded=True)
        return place, True

    def _clitic_word(self, token: str) -> bool:
        """Whether ``token`` reads as a one-letter clitic and a word (وجميع "and all"),
        more frequent than the token read whole (فهد is the name, not ف + هد)."""
        rest = token[1:]
        rank = min(self.words.get(rest, UNRANKED), self.words.get(strip_article(rest), UNRANKED))
        return rank < min(self.words.get(token, UNRANKED), CLITIC_WORD_RANK)

    def _is_word(self, m: _Mention) -> bool:
        """Whether ``m`` is an Arabic dictionary word, with or without its article."""
        if m.hit is None:
            return False
        key = m.hit.key
        return not key.isascii() and (key in self.words or strip_article(key) in self.words)

    def _lonely_word(self, m: _Mention, ms: list[_Mention]) -> bool:
        if m.cue.kind is not None or m.container is not None or m.is_container or m.hit is None:
            return False
        if not all(p.feature_type in _MINOR and not p.population for p, _ in m.cands):
            return False
        if not self._is_word(m):
            return False
        others = [o.best for o in ms if o is not m and o.best is not None]
        return not any(haversine_km(p.lat, p.lon, o.lat, o.lon) <= LONELY_KM for p, _ in m.cands for o in others)

    def _span(self, nt, left: int, right: int) -> tuple[int, int]:
        start, end = nt.span(left - 1, right - 1)
        text = nt.original
        if end < len(text) and text[end] in _CLOSING:
            # a quoted name after its descriptor: مدينة "سراقب" takes its closing quote too
            opening = _CLOSING[text[end]]
            if text.count(opening, start, end) > text.count(text[end], start, end) or (
                    opening == text[end] and text.count(opening, start, end) % 2 == 1):
                end += 1
        return start, end

    def _row(self, nt, m: _Mention) -> tuple:
        start, end = self._span(nt, m.cue.left, m.cue.right)
        place = m.best
        assert place is not None
        conf = self.confidence(m)
        cue = m.cue
        role = "container" if m.is_container else "place"
        if conf < rank.abstain_below():  # an honest abstain: the best candidate is named, not placed
            return (nt.original[start:end], start, end, place.id, place.name, place.name_ar, place.feature_type,
                    None, conf, math.nan, math.nan, None, False,
                    f"low confidence ({conf:.2f} < {rank.abstain_below():.2f}); best candidate shown", cue.label,
                    role)
        place, geom, lat, lon, precision, derived = self._derive(
            place, cue.kind, cue.direction, cue.distance_km, rounded=True)
        label = derived or cue.label
        if m.road_to is not None:
            if m.road_to.best is None:
                self.rank(m.road_to)
            if m.border:  # a border is between governorates (or countries)
                sides = [self.gaz.governorate(p.admin1) or p if p.feature_type in _SETTLEMENT and p.admin1 else p
                         for p in (place, m.road_to.best)]
                road = border_place(sides[0], sides[1])
                label = "border"
            else:
                ends = self._road_ends(m)
                if ends is None:
                    return _unresolved(nt.original, start, end,
                                       f"road ends over {ROAD_MAX_KM:.0f} km apart", "road")
                road = line_place(list(ends))
                label = "road"
            place, geom, lat, lon, precision = road, road.geometry, round(road.lat, 6), round(road.lon, 6), "region"
        if m.container is not None and m.container.best is not None:
            label = (label + ";" if label else "") + f"in:{m.container.best.id}"
        return (
            nt.original[start:end], start, end, place.id, place.name, place.name_ar, place.feature_type,
            precision, conf, lat, lon, geom, True, "", label, role,
        )

    @staticmethod
    def _road_ends(m: _Mention) -> tuple[Place, Place] | None:
        """The two places a road "X - Y" runs between: the best of each, or else
        the closest pair of their candidates; None when every pair lies over
        :data:`ROAD_MAX_KM` apart (باريس - الخارجة is Egypt's Baris, not Paris)."""
        y = m.road_to
        assert y is not None and m.best is not None and y.best is not None
        if haversine_km(m.best.lat, m.best.lon, y.best.lat, y.best.lon) <= ROAD_MAX_KM:
            return m.best, y.best
        km, a, b = min(((haversine_km(a.lat, a.lon, b.lat, b.lon), a, b)
                        for a, _ in m.cands for b, _ in y.cands), key=lambda t: t[0])
        return (a, b) if km <= ROAD_MAX_KM else None

    def _derive(self, place: Place, kind: str | None, direction: str | None,
                km: float | None, rounded: bool = False) -> tuple[Place, Any, float, float, str, str]:
        """Place, geometry, point and precision a cue makes of ``place`` (cached).

        Returns ``(place, geometry, lat, lon, precision, label)``; ``label``
        replaces the cue label when the derivation names it differently.
        With ``rounded``, lat and lon are rounded to 6 decimals (as in a row).
        """
        key = (place.id, kind, direction, km, rounded)
        hit = self._derived.get(key)
        if hit is not None:
            return hit
        geom, lat, lon, precision, label = place.geometry, place.lat, place.lon, place.precision, ""
        if kind == "countryside":
            area = place if place.id.startswith("geomap:countryside:") else countryside_of(self.gaz, place)
            if area is not None:
                place, geom, lat, lon, precision = area, area.geometry, area.lat, area.lon, "region"
                if direction:
                    geom = sector(area.geometry, direction, self._seat(area))
                    rp = geom.representative_point()
                    lat, lon = rp.y, rp.x
        elif place.id.startswith("geomap:countryside:") and direction:
            geom = sector(place.geometry, direction, self._seat(place))
            rp = geom.representative_point()
            lat, lon, precision = rp.y, rp.x, "region"
            label = f"countryside:{direction}"
        elif kind in ("direction", "near"):
            if place.feature_type in AREA_TYPES and direction:
                geom = sector(place.geometry, direction)
                rp = geom.representative_point()
                lat, lon, precision = rp.y, rp.x, "region"
            else:
                lat, lon, geom = near_area(place.lat, place.lon, direction, km, place.feature_type)
                precision = "near"
        elif kind == "airbase" and place.feature_type not in ("airbase", "airport"):
            geom, precision = circle(place.lat, place.lon, 5.0), "near"
        elif kind == "poi" and place.feature_type not in AREA_TYPES:
            # a port, university, hospital... in or by the place
            geom, precision = circle(place.lat, place.lon, 5.0), "near"
        if rounded:
            lat, lon = round(lat, 6), round(lon, 6)
        out = (place, geom, lat, lon, precision, label)
        if len(self._derived) < 100_000:
            self._derived[key] = out
        return out

    def _seat(self, area: Place) -> tuple[float, float] | None:
        from geomap.gazetteer.tables import governorates

        for r in governorates():
            if r["iso"] == area.admin1:
                return float(r["seat_lat"]), float(r["seat_lon"])
        return None

    @staticmethod
    def _after_word(text: str, nt, ws: int) -> bool:
        """Whether the word at ``ws`` (in the padded normalised text) follows the
        word before it across spaces only in the original text (not `عبدالعزيز " X`,
        not "، الضحايا", not "#الكويت")."""
        i = start = int(nt.offsets[ws - 1])
        while i > 0 and text[i - 1] == " ":
            i -= 1
        return 0 < i < start and folded_letter(text[i - 1])

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
        return self._after_word(text, nt, end - len(word))

    def _unknown(self, text: str, nt, mt: str, covered: list[tuple[int, int]]) -> Iterable[tuple]:
        """Descriptor-led names the gazetteer does not know (قرية X, the village of X)."""
        taken = _Spans(len(mt), covered)

        def free(a: int, b: int) -> bool:
            if in_compound_hashtag(a, b, text, nt.offsets):
                return False  # part of a longer hashtag (#انفجار_مرفأ_بيروت)
            return not taken.overlaps(a, b)

        for h in self._heads:
            after = tokens_after(mt, h.end, 3)
            if not after:
                continue
            name = after[0][0]
            if len(name) < 3 or name.isdigit() or name in _FUNCTION_WORDS or not _HAS_ARABIC_LETTER.match(name) \
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
                if second is not None and (name in _COMPOUND_HEADS or name in _HONORIFICS
                                           or self._family_name(text, nt, second, h.key)):
                    b = second[1]  # بلدة تل X، مدينة صباح الأحمد
                elif name in self.common:
                    continue
                reason, kind = "not in gazetteer", "admin"
            else:  # points of interest: معهد الأورام، مستشفى الروم
                if name == "رقم" and second is not None and second[0].isdigit():
                    b = second[1]  # العنبر رقم 12
                elif name in _ORDINALS:
                    pass  # الدائري السابع، الدوار الرابع: the ordinal is the name
                elif name in _HONORIFICS and second is not None and second[0] not in _FUNCTION_WORDS:
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
            start, end = self._span(nt, a, b)
            covered.append((a, b))
            taken.add(a, b)
            yield _unresolved(text, start, end, reason, kind)
        heads = _head_starts(text)
        if not heads or next(iter(_finditer_at(_EN_HEADS, text, heads)), None) is None:
            return
        for rx, starts in ((_UNKNOWN_EN, heads), (_UNKNOWN_EN_AFTER, _after_starts(text))):
            for mm in _finditer_at(rx, text, starts):
                start, end = mm.span(0)
                ns = int(_nidx(nt, mm.start(1))) + 1
                ne = int(_nidx(nt, mm.end(1) - 1)) + 2
                if not free(ns, ne) or mm.group(1).lower() in self.common:
                    continue
                covered.append((ns, ne))
                taken.add(ns, ne)
                yield _unresolved(text, start, end, "not in gazetteer", "admin")


class _Spans:
    """Spans ``[s, e)`` of a text of ``size`` characters, with an overlap test
    that costs the length of the span tested, not the number of spans."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.taken = bytearray(size)  # 1 where a span lies
        self.spans: list[tuple[int, int]] = []
        self.odd: list[tuple[int, int]] = []  # spans the map cannot hold (empty, or out of range)
        for s, e in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        self.spans.append((s, e))
        if 0 <= s < e <= len(self.taken):
            self.taken[s:e] = b"\x01" * (e - s)
        else:
            self.odd.append((s, e))

    def overlaps(self, a: int, b: int) -> bool:
        """``any(a < e and s < b for s, e in spans)``."""
        if 0 <= a < b <= len(self.taken):
            return self.taken.find(1, a, b) != -1 or any(a < e and s < b for s, e in self.odd)
        return any(a < e and s < b for s, e in self.spans)


def chunks(text: str, size: int) -> Iterable[tuple[int, str]]:
    """``(offset, piece)`` of ``text`` in pieces of about ``size`` characters,
    cut after a line break, else after a space, else anywhere."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        yield start, text[start:end]
        start = end


def _nidx(nt, orig: int) -> int:
    return int(np.searchsorted(nt.offsets[:-1], orig))


def _unresolved(text: str, start: int, end: int, reason: str, cue: str) -> tuple:
    return (text[start:end], start, end, None, None, None, None, None, 0.0, math.nan, math.nan, None,
            False, reason, cue, "place")


#: numeric columns of a geoparse frame and their dtypes
_NUMERIC = {"start": np.int64, "end": np.int64, "confidence": np.float64, "lat": np.float64, "lon": np.float64,
            "resolved": np.bool_}


def _frame(rows: list[tuple], docs: list[int] | None = None) -> geopandas.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    cols = list(COLUMNS[:16])
    if rows:
        # column by column, the numeric ones straight to numpy (no type inference)
        data: dict[str, Any] = {}
        for c, values in zip(cols, zip(*rows, strict=True), strict=True):
            dtype = _NUMERIC.get(c)
            data[c] = np.array(values, dtype=dtype) if dtype is not None else list(values)
        df = pd.DataFrame(data)
    else:
        df = pd.DataFrame({c: [] for c in cols})
        for c, dtype in _NUMERIC.items():
            df[c] = df[c].astype(dtype)
    prec = [r[7] for r in rows]
    codes = {p: (acled_geo_precision(p), ucdp_where_prec(p)) for p in set(prec) if isinstance(p, str)}
    for k, c in enumerate(("acled_geo_precision", "ucdp_where_prec")):
        got = [codes[p][k] if p in codes else None for p in prec]
        missing = np.array([g is None for g in got], dtype=bool)
        values = np.array([0 if g is None else g for g in got], dtype=np.int64)
        df[c] = pd.arrays.IntegerArray(values, missing)
    if docs is not None:
        df.insert(0, "doc", pd.array(docs, dtype="int64"))
    return gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")


def _gazetteer(gazetteer: Gazetteer | str | None) -> Gazetteer:
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    from geomap.gazetteer.load import load_gazetteer

    return load_gazetteer(gazetteer or "default")


def geoparse(text: str, *, gazetteer: Gazetteer | str | None = None,
             lang: str | None = None, overrides: Any = "auto") -> geopandas.GeoDataFrame:
    """Find and resolve the place mentions of one text.

    Parameters
    ----------
    text : str
        Arabic and/or English text.
    gazetteer : Gazetteer or str, optional
        A gazetteer or a source for :func:`geomap.load_gazetteer` (default
        ``"default"``).
    lang : str, optional
        ``"ar"``, ``"en"`` or None (both; the matcher reads either script).
    overrides : "auto", path, list or None
        The user's corrections (:mod:`geomap.geoparsing.overrides`); ``"auto"``
        reads the user's overrides file, None applies none.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per mention in text order, columns :data:`COLUMNS` (``override``:
        the correction applied, else ""; then the OCHA P-codes and admin names of
        :data:`geomap.gazetteer.admin.ADMIN_COLUMNS`), EPSG:4326.
    """
    text = _coerce_text(text)
    if lang not in (None, "ar", "en"):
        raise InputError(f"lang must be 'ar', 'en' or None, not {lang!r}")
    gaz = _gazetteer(gazetteer)
    parser = Parser(gaz)
    return add_admin_columns(apply_overrides(_frame(parser.parse(text)), [text], gaz, overrides=overrides), gaz)


def geoparse_many(texts: Iterable[str], *, gazetteer: Gazetteer | str | None = None,
                  lang: str | None = None, n_jobs: int | None = None, overrides: Any = "auto",
                  sources: Sequence[str | None] | None = None) -> geopandas.GeoDataFrame:
    """:func:`geoparse` over many texts into one frame with a ``doc`` column.

    ``doc`` is the position of the text in ``texts``. One frame is built for
    the whole corpus, and short texts are normalised together in batches
    (with the results of one at a time), so small documents cost little each.

    ``n_jobs`` worker processes (default: all cores; 1 = in this process)
    parse chunks of texts; the output is identical to ``n_jobs=1`` and in
    input order. Inputs under :data:`geomap._parallel.PARALLEL_MIN_CHARS`
    characters stay in process (see :mod:`geomap._parallel`). ``texts`` may
    be a lazy iterator: it is read a chunk at a time (unless an override
    names context words, which need the texts kept).

    ``overrides`` and ``sources`` (one per text): as in :func:`geoparse`; an
    override that names a document source applies to the texts of that source.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of str, not a single str (use geoparse)")
    if lang not in (None, "ar", "en"):
        raise InputError(f"lang must be 'ar', 'en' or None, not {lang!r}")
    from geomap._parallel import geoparse_rows
    from geomap.geoparsing.overrides import resolve_overrides

    rules = resolve_overrides(overrides)
    if rules and any(o.context for o in rules) and not isinstance(texts, Sequence):
        texts = list(texts)
    rows, docs = geoparse_rows(texts, gazetteer, n_jobs)
    kept = texts if isinstance(texts, Sequence) else []
    gaz = _gazetteer(gazetteer)
    return add_admin_columns(apply_overrides(_frame(rows, docs), kept, gaz, sources=sources, overrides=rules), gaz)


def _parse_rows(parser: Parser, items: Iterable[tuple[int, str]]) -> tuple[list[tuple], list[int]]:
    """Mention rows of ``(doc index, text)`` items, and the doc index of each row."""
    rows: list[tuple] = []
    docs: list[int] = []
    # short texts are normalised a batch at a time (one numpy pass for many texts)
    batch: list[tuple[int, str]] = []
    size = 0

    def flush() -> None:
        nonlocal size
        nts = normalize_many([t for _, t in batch], words_only=True)
        for (i, text), nt in zip(batch, nts, strict=True):
            add(i, parser._parse_one(text, nt))
        batch.clear()
        size = 0

    def add(i: int, r: list[tuple]) -> None:
        rows.extend(r)
        docs.extend([i] * len(r))

    for i, text in items:
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be str, not {type(text).__name__}")
        if not text.strip():
            continue  # (no mentions)
        if len(text) > BATCH_CHARS:
            flush()  # (rows stay in text order)
            add(i, parser.parse(text))
            continue
        batch.append((i, text))
        size += len(text)
        if size >= BATCH_CHARS:
            flush()
    flush()
    return rows, docs
