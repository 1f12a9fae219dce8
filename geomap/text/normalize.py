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
_DELETE |= {0x0610, 0x0611, 0x0612, 0x0613, 0x0614, 0x0615, 0x0616, 0x0617, 0x0618, 0x0619, 0x061A}
_DELETE |= set(range(0x200B, 0x2010))  # zero-width space/joiners, LRM, RLM
_DELETE |= set(range(0x202A, 0x202F))  # bidi embeddings and overrides
_DELETE |= set(range(0x2066, 0x206A)) | {0x061C, 0xFEFF, 0x00AD}  # isolates, ALM, BOM, soft hyphen
_DELETE |= {ord(c) for c in "'ʿʾ’‘`´ʻʼ\u02bf\u02be"}  # transliteration marks and apostrophes
_DELETE |= set(range(0x0300, 0x0370))  # combining marks (Latin diacritics written apart)
_DELETE_ARR = np.array(sorted(_DELETE), dtype=np.uint32)

_LATIN_LOWER = np.zeros(0x10000, dtype=bool)
_LATIN_LOWER[ord("a") : ord("z") + 1] = True


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)


def _from_codes(codes: np.ndarray) -> str:
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


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
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def normalize(text: str) -> NormText:
    """Normalise ``text`` (Arabic and Latin) keeping offsets to the original.

    Parameters
    ----------
    text : str
        Any text: an article, a tweet, a gazetteer name.

    Returns
    -------
    NormText
        The folded text with its offset map.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    sub = text.translate(_TABLE)
    if not sub:
        return NormText("", np.zeros(1, dtype=np.int64), text)
    codes = _codes(sub)
    keep = ~np.isin(codes, _DELETE_ARR)
    # a space right after a space (or at the start) is dropped; so are
    # Latin doubled letters, and a final "h" after "a" (safirah -> safira)
    kept = codes[keep]
    idx = np.flatnonzero(keep)
    if kept.size:
        prev = np.empty_like(kept)
        prev[0] = 32
        prev[1:] = kept[:-1]
        nxt = np.empty_like(kept)
        nxt[-1] = 32
        nxt[:-1] = kept[1:]
        is_space = kept == 32
        small = kept < 0x10000
        latin = np.zeros(kept.shape, dtype=bool)
        latin[small] = _LATIN_LOWER[kept[small]]
        nxt_small = nxt < 0x10000
        nxt_latin = np.zeros(kept.shape, dtype=bool)
        nxt_latin[nxt_small] = _LATIN_LOWER[nxt[nxt_small]]
        drop = (is_space & (prev == 32)) | (latin & (kept == prev))
        drop |= (kept == ord("h")) & (prev == ord("a")) & ~nxt_latin
        # the "h" of "ah" is dropped only after a letter (not the word "ah" alone)
        prev2 = np.empty_like(kept)
        prev2[:2] = 32
        prev2[2:] = kept[:-2]
        p2_small = prev2 < 0x10000
        p2_latin = np.zeros(kept.shape, dtype=bool)
        p2_latin[p2_small] = _LATIN_LOWER[prev2[p2_small]]
        drop &= ~((kept == ord("h")) & ~p2_latin & ~(latin & (kept == prev)) & ~(is_space & (prev == 32)))
        kept = kept[~drop]
        idx = idx[~drop]
    out = _from_codes(kept)
    offsets = np.empty(len(out) + 1, dtype=np.int64)
    offsets[:-1] = idx
    offsets[-1] = len(text)
    return NormText(out, offsets, text)


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
    """A coarse Latin key for fuzzy lookups: articles and vowels dropped.

    ``"dayr az zawr"``, ``"deir ez zor"`` and ``"deir al zour"`` all give
    ``"dr zr"``. Arabic keys are returned unchanged.
    """
    if not key or not key.isascii():
        return key
    words = [w for w in key.split() if w not in LATIN_ARTICLES] or key.split()
    out = []
    for w in words:
        w = re.sub(r"(?<=[aeiouy])h$", "", w)
        w = _CONSONANTS.sub(lambda m: _CONSONANT_MAP[m.group()], w)
        sk = w[0] + _SEMIVOWELS.sub("", w[1:])
        out.append(re.sub(r"(.)\1+", r"\1", sk))
    return " ".join(out)


def has_arabic(s: str) -> bool:
    """True when ``s`` contains an Arabic letter."""
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in s)
