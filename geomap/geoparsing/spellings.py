"""Spellings the automaton does not read as written: the one-edit spellings of
a name (:func:`near_spellings`, for the recognise stage's near-spelled names)
and the missing spaces of glued tokens (:func:`glue_breaks`: #السويداء12،
سد تشرينوقتل), found before the automaton runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from geomap.gazetteer.words import UNRANKED
from geomap.geoparsing.rules import HEAD_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from geomap.geoparsing.matcher import Matcher


#: an Arabic token long enough to be a name (3+ letters), a clitic and a word (3+ letters)
_LONG_TOKEN = re.compile("[\u0620-\u064a]{7,}")
#: how frequent the word after a glued clitic must be (وقتل، والقصف; not a rare string)
GLUED_WORD_RANK = 20_000


#: letters Arabic spellings of one name swap: ق/ف (a dot), ت/ط, س/ص, د/ذ/ض, ز/ذ/ظ, ض/ظ, ح/ه,
#: the seats of hamza (ء ا و ي after normalisation), ك/ق
_CONFUSABLE = ("قفك", "تط", "سص", "دذض", "زذظ", "ضظ", "حه", "ءاوي")
_SWAPS = {c: "".join(sorted(set("".join(g for g in _CONFUSABLE if c in g)) - {c})) for g in _CONFUSABLE for c in g}
#: heads written glued to the rest of the name or apart (كفرنبل / كفر نبل)
_SPLIT_HEADS = HEAD_WORDS["split_heads"]  # (gazetteer/rules/head_words.txt)


def near_spellings(key: str) -> list[str]:
    """Spellings one edit away from the normalised Arabic name ``key``.

    The edits Syrian names take from one writer to the next: a swap of
    confusable letters (ق/ف، ت/ط، س/ص، ء/ي/و ...; a final ا/ة), a doubled letter written
    once or a letter doubled, a long vowel (ا و ي) dropped or added, the
    article dropped or added, a compound head written glued or apart
    (كفرنصفرة / كفر نصفرة), the two words of a name glued.
    """
    out: set[str] = set()
    n = len(key)
    for i, c in enumerate(key):
        for r in _SWAPS.get(c, ""):
            out.add(key[:i] + r + key[i + 1:])
        if c == " ":
            out.add(key[:i] + key[i + 1:])  # two words glued
            continue
        if i + 1 < n and key[i + 1] == c:
            out.add(key[:i] + key[i + 1:])  # a doubled letter once
        else:
            out.add(key[:i + 1] + c + key[i + 1:])  # a letter doubled
        if c in "اوي" and 0 < i < n - 1:
            out.add(key[:i] + key[i + 1:])  # a long vowel dropped
        if 0 < i < n - 1 and key[i + 1] != " ":
            for v in "اوي":
                out.add(key[:i + 1] + v + key[i + 1:])  # a long vowel added
    if key[-1] in "اه":  # a final alef or ta marbuta (سرمدا / سرمدة)
        out.add(key[:-1] + ("ه" if key[-1] == "ا" else "ا"))
    out.add(key[2:] if key.startswith("ال") else "ال" + key)
    for head in _SPLIT_HEADS:
        if key.startswith(head) and len(key) > len(head) + 2 and key[len(head)] != " ":
            out.add(head + " " + key[len(head):])
    out.discard(key)
    return sorted(out)


def glue_breaks(matcher: Matcher, text: str) -> list[int]:
    """Where a space is missing in normalised match ``text``, sorted.

    Between Arabic letters and digits or Latin letters (#السويداء12، إدلبnews,
    12حلب), and where a known name runs into the next word through its
    conjunction or preposition (سد تشرينوقتل = سد تشرين + وقتل): only when the
    token read whole is no word, the rest is a frequent word after one of
    و ف ب ل, and a Syrian place's name (or a country's, a governorate's) ends
    right before it.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    arabic = (codes >= 0x0620) & (codes <= 0x06FF)
    other = ((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0x61) & (codes <= 0x7A))
    out = (np.flatnonzero((arabic[:-1] & other[1:]) | (other[:-1] & arabic[1:])) + 1).tolist()
    words = matcher.words
    # tokens that are no word: a C-speed set difference, then a look at the few left
    memo = matcher.glue_splits
    for tok in set(_LONG_TOKEN.findall(text)).difference(words):
        splits = memo.get(tok)
        if splits is None:  # where the rest is a frequent word after its clitic (و + قتل)
            splits = tuple(k for k in range(3, len(tok) - 3)
                           if tok[k] in "وفبل" and words.get(tok[k + 1:], UNRANKED) < GLUED_WORD_RANK)
            if len(memo) < 200_000:
                memo[tok] = splits
        if not splits:
            continue
        i = text.find(tok)
        while i != -1:
            j = i + len(tok)
            if (i == 0 or text[i - 1] == " ") and (j == len(text) or text[j] == " "):
                for k in splits:
                    if matcher.name_ends(text, i + k):
                        out.append(i + k)
                        break
            i = text.find(tok, j)
    if len(out) > 1:
        out = sorted(set(out))
    return out
