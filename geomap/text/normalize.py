"""Normalisation of Arabic and Latin text that keeps offsets to the original.

One function, :func:`normalize`, serves both gazetteer keys and running text,
so that a name and its mention always meet in the same form.  Every step is a
one-to-one character substitution or a deletion, done with ``str.translate``
and numpy masks (no per-character Python loop), so offsets map back exactly:
``NormText.span(i, j)`` gives the original ``(start, end)``.

Arabic folds: alef forms (أ إ آ ٱ) → ا, ؤ → و, ئ → ي, ta marbuta ة → ه,
alif maqsura ى → ي, tashkeel and tatweel removed, Arabic-Indic and Persian
digits → ASCII, bidi and zero-width marks removed, ``_`` (hashtags) → space.
Latin folds: lower case, diacritics off (ḩ → h, ā → a), ʿ ʾ ' marks removed,
hyphens → space, doubled letters single, final ``ah`` → ``a``.
Whitespace runs become one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# --- one-to-one substitutions -------------------------------------------------
_SUBST: dict[int, str] = {}
for _c in "أإآٱٲٳ":
    _SUBST[ord(_c)] = "ا"
_SUBST.update({ord("ؤ"): "و", ord("ئ"): "ي", ord("ة"): "ه", ord("ى"): "ي", ord("ی"): "ي",
               ord("ک"): "ك", ord("ۀ"): "ه", ord("ە"): "ه"})
for _i in range(10):
    _SUBST[0x0660 + _i] = str(_i)  # Arabic-Indic digits
    _SUBST[0x06F0 + _i] = str(_i)  # Persian digits
# separators that should act as spaces
for _c in "_-‐‑‒–—―\t\r\n\u00a0\u2007\u202f\u3000/":
    _SUBST[ord(_c)] = " "
# keep line breaks as a hard boundary for the matcher
_SUBST[ord("\n")] = "\n"
for _c in "،؛؟":
    _SUBST[ord(_c)] = {"،": ",", "؛": ";", "؟": "?"}[_c]
# Latin: lower case and strip diacritics, one char to one char
for _cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
    _ch = chr(_cp)
    _base = unicodedata.normalize("NFKD", _ch)[0].lower()
    if _base != _ch and len(_base) == 1 and _base.isascii() and _base.isalpha():
        _SUBST[_cp] = _base
_SUBST.update({ord("ß"): "s", ord("æ"): "a", ord("ø"): "o", ord("đ"): "d", ord("ł"): "l",
               ord("ı"): "i", ord("Ð"): "d", ord("Æ"): "a", ord("Ø"): "o"})
_TABLE = str.maketrans(_SUBST)

# --- deletions ----------------------------------------------------------------
_DELETE = set(range(0x064B, 0x0660))  # tashkeel, incl. shadda, sukun, superscript alef
_DELETE |= {0x0670, 0x0640, 0x06E1, 0x06ED}  # dagger alef, tatweel, small marks
_DELETE |= set(range(0x0610, 0x061B))  # honorific and Quranic marks
_DELETE |= set(range(0x200B, 0x2010))  # zero-width space/joiners, LRM, RLM
_DELETE |= set(range(0x202A, 0x202F))  # bidi embeddings and overrides
_DELETE |= set(range(0x2066, 0x206A)) | {0x061C, 0xFEFF, 0x00AD}  # isolates, ALM, BOM, soft hyphen
_DELETE |= {ord(c) for c in "'ʿʾ’‘`´ʻʼ\u02bf\u02be"}  # transliteration marks and apostrophes
_DELETE |= set(range(0x0300, 0x0370))  # combining marks (Latin diacritics written apart)

#: tashkeel, the dagger alef and tatweel: the marks an Arabic word may carry that
#: normalisation drops (for code that looks at a name as written)
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")

# --- lookup tables over the Basic Multilingual Plane (all work is vectorised) ----
_BMP = 0x10000
_MAP = np.arange(_BMP, dtype=np.uint32)
for _cp, _to in _SUBST.items():
    if _cp < _BMP:
        _MAP[_cp] = ord(_to)
_DEL = np.zeros(_BMP, dtype=bool)
_DEL[sorted(c for c in _DELETE if c < _BMP)] = True
_WORD = np.zeros(_BMP, dtype=bool)  # letters and digits, after substitution
for _cp in range(_BMP):
    _cat = unicodedata.category(chr(_cp))
    if _cat[0] in "LN":
        _WORD[_cp] = True
_SPACE, _H, _A, _Z = 32, ord("h"), ord("a"), ord("z")
_HAMZA, _ALEF = 0x0621, 0x0627
# the same, indexed by the ORIGINAL code point, with one more entry (at _BMP) that
# stands for every astral character: one lookup per table and character
_SUB_X = np.append(_MAP, np.uint32(_BMP))  # substituted code point (_BMP: astral, left as it was)
_KEEP_X = np.append(~_DEL[_MAP], True)  # not deleted
_WORDS_X = np.append(np.where(_WORD[_MAP], _MAP, np.uint32(_SPACE)).astype(np.uint32),
                     np.uint32(_SPACE))  # substituted, and non-word characters as spaces


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)


def _from_codes(codes: np.ndarray) -> str:
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


def folded_letter(ch: str) -> bool:
    """A character normalisation drops that is part of a word (not a space or mark of punctuation)."""
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Lm") or ch == "\u0640"


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised text and the map back to the original.

    ``offsets[i]`` is the index in the original text of normalised character
    ``i``; ``offsets[len(text)]`` is the original length.
    """

    text: str
    offsets: np.ndarray
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised slice ``[start:end]``."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        offsets = self.offsets
        e = offsets.item(end - 1) + 1  # (.item: a Python int, cheaper than int(offsets[i]))
        # letters folded away at the end of a word (the h of Hasakah, a doubled
        # letter, a final tashkeel) belong to the span
        limit = offsets.item(end) if end < len(offsets) else len(self.original)
        while e < limit and folded_letter(self.original[e]):
            e += 1
        return offsets.item(start), e


    def with_breaks(self, positions: Sequence[int]) -> NormText:
        """A copy with a space before each of the normalised ``positions``.

        For glued tokens (``السويداء12``, ``إدلبnews``, ``تشرينوقتل``): each
        new space maps to the original index of the character after it, so
        :meth:`span` still gives original offsets (the offsets are then
        non-decreasing rather than increasing). A word's final hamza after alef
        before a new space is dropped, as :func:`normalize` drops it before a
        space (and :meth:`span` takes it back into a mention).
        ``positions`` must be sorted, distinct and inside the text (``0 < p < len``).
        """
        if not positions:
            return self
        text, offsets = self.text, self.offsets
        parts: list[str] = []
        offs: list[np.ndarray] = []
        prev = 0
        for p in positions:
            if not prev < p < len(text):
                raise ValueError(f"break positions must be sorted and inside the text: {p}")
            cut = p - 1 if p - prev >= 2 and text[p - 1] == "\u0621" and text[p - 2] == "\u0627" else p
            parts.append(text[prev:cut])
            parts.append(" ")
            offs.append(offsets[prev:cut])
            offs.append(offsets[p:p + 1])
            prev = p
        parts.append(text[prev:])
        offs.append(offsets[prev:])
        return NormText("".join(parts), np.concatenate(offs), self.original)


def normalize(text: str, *, words_only: bool = False) -> NormText:
    """Normalise ``text`` (Arabic and Latin) keeping offsets to the original.

    Parameters
    ----------
    text : str
        Any text: an article, a tweet, a gazetteer name.
    words_only : bool
        Also turn every character that is not a letter or digit into a space
        (the matcher's view of the text).

    Returns
    -------
    NormText
        The folded text with its offset map.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not text:
        return NormText("", np.zeros(1, dtype=np.int64), text)
    out, idx = _fold(text, words_only)
    offsets = np.empty(len(out) + 1, dtype=np.int64)
    offsets[:-1] = idx
    offsets[-1] = len(text)
    return NormText(out, offsets, text)


def normalize_many(texts: Sequence[str], *, words_only: bool = False) -> list[NormText]:
    """:func:`normalize` of each of ``texts``, in one vectorised pass over them all.

    The results are those of ``normalize`` text by text (no rule reaches
    across two texts); the fixed cost of the numpy calls is paid once, which
    matters for many short texts.
    """
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"text must be str, not {type(t).__name__}")
    if not texts:
        return []
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)  # where each text starts in the joined one
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=bounds[1:])
    out, idx = _fold("".join(texts), words_only, bounds)
    ends = np.searchsorted(idx, bounds).tolist()
    result = []
    for i, text in enumerate(texts):
        a, b = ends[i], ends[i + 1]
        offsets = np.empty(b - a + 1, dtype=np.int64)
        np.subtract(idx[a:b], bounds[i], out=offsets[:-1])
        offsets[-1] = len(text)
        result.append(NormText(out[a:b], offsets, text))
    return result


def _fold(text: str, words_only: bool, bounds: np.ndarray | None = None) -> tuple[str, np.ndarray]:
    """The normalised ``text`` and, for each of its characters, its index in ``text``.

    ``bounds`` (the starts of the texts joined in ``text``, then its length)
    keeps the rules that look at neighbours within each text.
    """
    codes = _codes(text)
    # emoji and other astral characters: never deleted, never words
    astral = codes.size > 0 and codes.max() >= _BMP
    at = (np.minimum(codes, _BMP) if astral else codes).astype(np.intp)
    idx = np.flatnonzero(_KEEP_X[at])
    at = at[idx]
    if words_only:
        kept = _WORDS_X[at]
    else:
        kept = _SUB_X[at]
        if astral:
            big = at == _BMP
            kept[big] = codes[idx[big]]
    if kept.size:
        if bounds is None:
            firsts, lasts = 0, -1
        else:  # each text's first and last kept characters
            kb = np.searchsorted(idx, bounds)
            full = kb[:-1] < kb[1:]
            firsts, lasts = kb[:-1][full], kb[1:][full] - 1
        # a space after a space is dropped (so is a text's leading space); so are
        # Latin doubled letters, and the "h" of a final "ah" after a letter (safirah -> safira)
        same = np.empty(kept.shape, dtype=bool)
        np.equal(kept[1:], kept[:-1], out=same[1:])
        is_space = kept == _SPACE
        same[firsts] = is_space[firsts]
        lat = (kept >= _A) & (kept <= _Z)  # Latin lower case
        if lat.any():
            drop = same & (is_space | lat)
            h_after_a = np.zeros(kept.shape, dtype=bool)
            h_after_a[2:] = (kept[2:] == _H) & (kept[1:-1] == _A) & lat[:-2]
            nxt_lat = np.zeros(kept.shape, dtype=bool)
            nxt_lat[:-1] = lat[1:]
            if bounds is not None:  # no look across two texts
                h_after_a[firsts] = False
                second = firsts + 1
                h_after_a[second[second < kept.size]] = False
                nxt_lat[lasts] = False
            drop |= h_after_a & ~nxt_lat
        else:  # no Latin letters: only space runs to fold
            drop = same & is_space
        hamza = kept == _HAMZA
        if hamza.any():
            # a word's final hamza after alef is often not written: صنعاء = صنعا، البتراء = البترا
            final = np.zeros(kept.shape, dtype=bool)
            final[1:] = hamza[1:] & (kept[:-1] == _ALEF)
            nxt_word = np.zeros(kept.shape, dtype=bool)
            nxt_word[:-1] = _WORD[np.minimum(kept[1:], _BMP - 1)]
            if bounds is not None:  # no look across two texts
                final[firsts] = False
                nxt_word[lasts] = False
            drop |= final & ~nxt_word
        if drop.any():
            keepd = ~drop
            kept = kept[keepd]
            idx = idx[keepd]
    return _from_codes(kept), idx


_AR_ARTICLE = re.compile(r"(?<![\w])ال(?=\w{2,})")


@lru_cache(maxsize=65536)
def normalize_key(name: str) -> str:
    """The lookup key of a name: :func:`normalize` plus trimmed punctuation."""
    if not isinstance(name, str):
        raise TypeError(f"name must be str, not {type(name).__name__}")
    key = normalize(name).text
    key = re.sub(r"[\s,.;:!?()\[\]{}\"«»#@*|]+", " ", key)
    return key.strip()


def normalize_ar(s: str) -> str:
    """Fold Arabic spelling variants (and Latin case/diacritics) of ``s``."""
    return normalize(s).text


#: Latin articles as written in transliterations: al-, el-, as-, ad-...
LATIN_ARTICLES: frozenset[str] = frozenset(
    {"al", "el", "as", "ad", "ash", "az", "at", "ar", "an", "ath", "adh", "es", "ed", "ez", "et", "er", "en", "ul", "il"}
)

_SEMIVOWELS = re.compile(r"[aeiouyw]")
# transliteration letters that stand for one Arabic letter: q/k (ق), dh/th/gh/kh digraphs
_CONSONANT_MAP = {"q": "k", "c": "k", "p": "b", "v": "f", "dh": "d", "th": "t", "gh": "g", "kh": "k", "x": "ks"}
_CONSONANTS = re.compile(r"dh|th|gh|kh|[qcpvx]")


def strip_article(key: str) -> str:
    """Drop a leading article from a normalised key (Arabic ال or Latin al-/as-...).

    ``"السفيره"`` → ``"سفيره"``, ``"as safira"`` → ``"safira"``. Keys too short to
    be a name without their article are returned unchanged.
    """
    if key.startswith("ال") and len(key) > 4 and " " not in key[:4]:
        return key[2:]
    head, _, rest = key.partition(" ")
    if rest and head in LATIN_ARTICLES and len(rest) >= 3:
        return rest
    return key


def latin_skeleton(key: str) -> str:
    """A coarse consonant key for fuzzy and cross-script lookups.

    Articles and vowels (and w, y) are dropped, digraphs folded (kh→k, q→k):
    ``"dayr az zawr"``, ``"deir ez zor"`` and ``"deir al zour"`` all give
    ``"dr zr"``, as :func:`arabic_skeleton` gives for ``"دير الزور"``.
    Non-Latin keys are returned unchanged.
    """
    if not key or not key.isascii():
        return key
    words = [w for w in key.split() if w not in LATIN_ARTICLES] or key.split()
    out = []
    for w in words:
        w = re.sub(r"(?<=[aeiouy])h$", "", w)
        w = _CONSONANTS.sub(lambda m: _CONSONANT_MAP[m.group()], w)
        sk = re.sub(r"(.)\1+", r"\1", _SEMIVOWELS.sub("", w))
        out.append(sk or w[:1])
    return " ".join(out)


# Arabic letters → the Latin consonant a transliteration writes for them
_AR_SKEL = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "b", "چ": "sh", "گ": "g", "ڤ": "f",
}


def arabic_skeleton(key: str) -> str:
    """The Latin consonant key of a normalised Arabic name (see :func:`latin_skeleton`).

    ``"السفيره"`` → ``"sfr"``, ``"ابو كمال"`` → ``"b kml"``; the article, vowels,
    ع and hamza carry no consonant, and a final ه (ta marbuta) none either.
    """
    out = []
    for w in key.split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        if w.endswith("ه") and len(w) > 2:
            w = w[:-1]
        sk = "".join(_AR_SKEL.get(c, "") for c in w)
        out.append(re.sub(r"(.)\1+", r"\1", sk))
    return " ".join(x for x in out if x)


def has_arabic(s: str) -> bool:
    """True when ``s`` contains an Arabic letter."""
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in s)
