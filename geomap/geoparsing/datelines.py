"""Words around a name that say it is not an incident place: a dateline ("BEIRUT
(Reuters) -", the outlet's location, kept with role ``dateline``), an English
demonym ("An Israeli official", "Turkish drones") or compound adjective
("Iran-backed militias", "a Damascus-based monitor"), which are dropped.

The words are tables: ``gazetteer/rules/demonyms_en.txt``,
``compound_adjective_suffixes_en.txt`` and ``news_agencies.txt``.
"""

from __future__ import annotations

import re

from geomap.gazetteer.tables import word_list
from geomap.geoparsing.mention import Reading
from geomap.geoparsing.rows import span
from geomap.text import normalize_key

DEMONYMS = frozenset(w.lower() for w in word_list("demonyms_en"))
ADJECTIVE_SUFFIXES = frozenset(w.lower() for w in word_list("compound_adjective_suffixes_en"))
AGENCIES = frozenset(normalize_key(w) for w in word_list("news_agencies"))
#: "-backed" right after a name (any dash)
_SUFFIX = re.compile(r"[-‐‑–]([A-Za-z]+)")
#: after a dateline's place: ", Syria" or the like, then "(Agency)" and a dash
_DATELINE = re.compile(r"(?:\s*,\s*[A-Za-z][A-Za-z .'-]{0,30})?\s*\(([^()\n]{1,30})\)\s*[-–—]")


def drop_adjectives(r: Reading) -> None:
    """Drop the Latin mentions that are a demonym or the first half of a compound adjective."""
    text, keep = r.text, []
    for m in r.mentions:
        if m.hit is not None and m.hit.key.isascii():
            a, b = span(r.nt, m.cue.left, m.cue.right)
            words = text[a:b].split()
            if words and words[-1].lower().strip(".,'’") in DEMONYMS:
                continue  # "An Israeli official": a people, not Israel
            suf = _SUFFIX.match(text, b)
            if suf and suf.group(1).lower() in ADJECTIVE_SUFFIXES:
                continue  # "Iran-backed": who backs them, not where
        keep.append(m)
    r.mentions = keep


def mark_datelines(r: Reading) -> None:
    """Mark the mention that opens a text or line and is followed by "(Agency) -": the
    place where the story was filed (the agency in :data:`AGENCIES`, or the place written
    in capitals as datelines write it)."""
    text = r.text
    for m in r.mentions:
        a, b = span(r.nt, m.cue.left, m.cue.right)
        line0 = text.rfind("\n", 0, a) + 1
        if text[line0:a].strip(" \t\ufeff\u200f\u200e*•"):
            continue  # not at the start of its line
        got = _DATELINE.match(text, b)
        if got is None:
            continue
        if normalize_key(got.group(1)) in AGENCIES or (text[a:b].isupper() and text[a:b].isascii()):
            m.dateline = True
