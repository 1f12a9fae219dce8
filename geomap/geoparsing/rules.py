"""The word tables the geoparsing rules match (``gazetteer/rules/*.txt``), read once.

Each table's first lines say why its words are there; the sets here are their
normalised keys (as the match text writes them). Add a word to a table, not to
the code.
"""

from __future__ import annotations

import re

from geomap.gazetteer.tables import word_list
from geomap.text import normalize_key


def _keys(name: str) -> frozenset[str]:
    return frozenset(normalize_key(w) for w in word_list(name))


#: words that introduce a person, whose name may equal a place's (الرئيس حماة)
PERSON_TITLES = _keys("person_titles")
#: common given names: a town's name right after one is a family name (مرزوق الغانم)
GIVEN_NAMES = _keys("given_names")
#: titles a street, hospital or university is named after with a person's name
HONORIFICS = _keys("honorifics")
#: Arabic function words: never a name after a descriptor or a title
FUNCTION_WORDS = _keys("function_words")
#: ordinals that name ring roads, roundabouts and districts (الدائري السابع)
ORDINALS = _keys("ordinals")
#: first words of Arabic compound names (as written in the match text: not normalised again)
COMPOUND_HEADS = frozenset(word_list("compound_heads_ar"))
#: first words of Latin compound names (Tall, Kafr, Jabal): alone, rarely the place meant
LATIN_HEADS = frozenset(word_list("compound_heads_latin"))
#: spellings of one Latin name head (ain / ayn / ein): each spelling → the others, in table order
HEAD_VARIANTS = {w: tuple(x for x in group if x != w)
                 for line in word_list("latin_head_variants") for group in [line.lower().split()] for w in group}
#: feature words (oil field, حقل, base...) → the place types they ask for
FEATURE_WORDS = {normalize_key(w.strip()): frozenset(t.split())
                 for line in word_list("feature_words") for w, _, t in [line.partition(" = ")]}
#: English direction adjectives → the name words they stand for ("eastern" → "ash sharqiyah"...)
DIRECTION_NAMES = {w.strip().lower(): tuple(x.strip() for x in t.split("|"))
                   for line in word_list("direction_names") for w, _, t in [line.partition(" = ")]}
HAS_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _groups(table: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The groups of a grouped table (``name = item | item``; an item ``word`` or
    ``word : value value``): group → {normalised word → the values it stands for}, in file order."""
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in word_list(table):
        name, _, items = line.partition(" = ")
        group = groups.setdefault(name.strip(), {})
        for item in items.split(" | "):
            word, _, values = item.partition(" : ")
            group[normalize_key(word)] = tuple(values.split())
    return groups


#: cue words (admin, airbase, countryside, direction, near, point-of-interest words; container
#: gaps; road heads and tails), by group: word → its values (types or a direction; () for none)
CUE_WORDS = _groups("cue_words")
#: head words of Arabic names (settlement heads, generic heads, glued heads, hashtag words), by group
HEAD_WORDS = {group: tuple(words) for group, words in _groups("head_words").items()}
