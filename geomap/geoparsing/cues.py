"""The cue grammar: words around a name that say what kind of place it is.

Cues are read on the match text (normalised, lower case, punctuation as
spaces), token by token outward from the name:

* airbase — مطار X، قاعدة X (الجوية)، ميناء X الجوي، X airbase / air base / airport;
* countryside — ريف X، الريف الشرقي لـ(محافظة) X، ريف X الشرقي, X countryside,
  eastern X countryside, (eastern) countryside of X, rural X;
* admin words — محافظة، منطقة، ناحية، مدينة، بلدة، قرية، حي، مخيم X;
  X governorate / province / district / city / town / village, the city of X;
* direction — (N كم) شرق / شمال شرق X، (N km) east of X → an offset area;
* near — قرب / بالقرب من / محيط / أطراف X, near / outskirts of X;
* point of interest — مرفأ / جامعة / مستشفى / شارع X, the port of X, X University →
  a place in or by X, precision ``near``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geomap.gazetteer.query import DESCRIPTORS
from geomap.geoparsing.rules import CUE_WORDS
from geomap.text import normalize_key

_CLITIC = re.compile(r"^(?:[وف]?[بلك]|[وف])(?=\S{3,})")

# the cue words are the groups of gazetteer/rules/cue_words.txt (read and normalised by geoparsing.rules)
_AR_DIR = {k: v[0] for k, v in CUE_WORDS["ar_dir"].items()}
_AR_DIR_ADJ = {k: v[0] for k, v in CUE_WORDS["ar_dir_adj"].items()}
_EN_DIR = {k: v[0] for k, v in CUE_WORDS["en_dir"].items()}
_EN_DIR_ADJ = {k: v[0] for k, v in CUE_WORDS["en_dir_adj"].items()}
_KM = set(CUE_WORDS["km"])
_NEAR_AR = set(CUE_WORDS["near_ar"])
_NEAR_EN = set(CUE_WORDS["near_en"])
_AIR_AR = set(CUE_WORDS["air_ar"])
#: heads that make "X الجوي" an airport (ميناء X الجوي) but "ميناء X" a seaport
_AIR_OR_PORT_AR = set(CUE_WORDS["air_or_port_ar"])
#: points of interest named after the place they are in: مرفأ بيروت، جامعة حلب، مستشفى حمص
POI_AR = set(CUE_WORDS["poi_ar"])
POI_EN = set(CUE_WORDS["poi_en"])
_AIR_AFTER_AR = set(CUE_WORDS["air_after_ar"])
_AIR_EN = set(CUE_WORDS["air_en"])
_AIR_PAIRS_EN = set(CUE_WORDS["air_pairs_en"])
#: the gazetteer's one-word Arabic descriptors, with the plurals and transliterations of the table
_ADMIN_AR = {k: v for k, v in DESCRIPTORS.items() if " " not in k and not k.isascii()}
_ADMIN_AR.update(CUE_WORDS["admin_ar"])
_ADMIN_EN_AFTER = dict(CUE_WORDS["admin_en_after"])
_ADMIN_EN_BEFORE = dict(CUE_WORDS["admin_en_before"])
_COUNTRYSIDE = normalize_key("countryside")
_SPACE_COUNTRYSIDE = " " + _COUNTRYSIDE


#: words that may end a cue standing right before a name, or start one right after it
_TRIGGERS_BEFORE = frozenset({
    *_AIR_AR, *_AIR_OR_PORT_AR, *POI_AR, *_ADMIN_AR, *_AR_DIR, *_AR_DIR_ADJ, *_NEAR_AR, *_NEAR_EN, *_EN_DIR_ADJ, *_KM,
    "ريف", "الريف", "ريفي", "rural", "of", "من", "the", "قرب", "القرب",
})
#: connecting words that start a cue only after certain words ("north of X", "بالقرب من X"):
#: those words (as written, or without their clitic)
_PAIRED_BEFORE = {
    "of": frozenset({*POI_EN, *_ADMIN_EN_BEFORE, _COUNTRYSIDE, *_EN_DIR, *_NEAR_EN}),
    "من": frozenset({"القرب", "قرب"}),
    "the": frozenset(),  # ("the city of X" is read from "of")
}
_TRIGGERS_AFTER = frozenset({*_AIR_AFTER_AR, *_AIR_EN, *_AR_DIR_ADJ, *_ADMIN_EN_AFTER, _COUNTRYSIDE, *POI_EN,
                             *_EN_DIR_ADJ,  # "Idlib's southern countryside"
                             *(p.split()[0] for p in _AIR_PAIRS_EN)})


@dataclass(slots=True)
class Cue:
    """What the words around one name say (indices into the match text)."""

    left: int
    right: int
    types: set[str] = field(default_factory=set)
    kind: str | None = None  # airbase, countryside, direction, near, admin
    direction: str | None = None
    distance_km: float | None = None

    @property
    def label(self) -> str:
        """The ``cue`` column: ``airbase``, ``countryside:east``, ``direction:east``..."""
        if self.kind in ("countryside", "direction") and self.direction:
            return f"{self.kind}:{self.direction}"
        if self.kind == "admin" and self.types:
            return "admin"
        return self.kind or ""


def word_before(mt: str, pos: int) -> str:
    """The token before the one that starts at ``pos`` of match text ``mt`` ("" at the start)."""
    return mt[mt.rfind(" ", 0, pos - 1) + 1:pos - 1] if pos > 1 else ""


def tokens_before(mt: str, pos: int, n: int = 6) -> list[tuple[str, int]]:
    """Up to ``n`` tokens before ``pos``, nearest first, with their starts.

    ``mt`` is match text: single spaces between tokens, a space at each end.
    """
    out: list[tuple[str, int]] = []
    end = pos - 1  # the space before the word at pos
    while len(out) < n and end > 0:
        start = mt.rfind(" ", 0, end) + 1
        if start >= end:
            break
        out.append((mt[start:end], start))
        end = start - 1
    return out


def tokens_after(mt: str, pos: int, n: int = 4) -> list[tuple[str, int]]:
    """Up to ``n`` tokens after ``pos``, nearest first, with their ends."""
    out: list[tuple[str, int]] = []
    start = pos + 1
    size = len(mt)
    while len(out) < n and start < size:
        end = mt.find(" ", start)
        if end == -1 or end == start:
            break
        out.append((mt[start:end], end))
        start = end + 1
    return out


def _bare(tok: str) -> str:
    """``tok`` without its proclitics: the cue word it holds, if any (بريف → ريف,
    وبلدة → بلدة, but بلدة stays بلدة: its ب is no clitic)."""
    # only a token led by a clitic letter has one to strip (skips the rest for most tokens)
    if tok[:1] not in _CLITIC_LETTERS or tok in _CUE_WORDS:
        return tok
    for k in (1, 2):
        if tok[k:] in _CUE_WORDS and tok[:k] in _CLITIC_PREFIXES:
            return tok[k:]
    return _CLITIC.sub("", tok)


_CLITIC_LETTERS = frozenset("وفبلك")
#: proclitic conjunctions: a name written with one starts a new phrase
_CONJUNCTIONS = frozenset("وف")
_CLITIC_PREFIXES = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"})
#: every word the reader looks for before a name: a token that is one of them whole
#: keeps its first letter even when that letter could be a clitic (بلدة، لواء)
_CUE_WORDS = frozenset({*_TRIGGERS_BEFORE, *_ADMIN_AR, "ريف", "الريف", "شمال", "جنوب", "القرب"})


def _number(tok: str) -> float | None:
    try:
        return float(tok)
    except ValueError:
        return None


def read_cue(mt: str, start: int, end: int, word_start: int, key: str = "") -> Cue:
    """Read the cue words around the name at ``mt[start:end]`` (its key ``key``)."""
    return _read_cue(mt, start, end, word_start, key, word_before(mt, word_start))


def _read_cue(mt: str, start: int, end: int, word_start: int, key: str, b0: str) -> Cue:
    """:func:`read_cue`, given ``b0``, the word before the name's word."""
    # the mention starts at the name, or at its article when a clitic precedes it
    if word_start == start:
        cue = Cue(start, end)
    else:
        prefix = mt[word_start:start]
        cue = Cue(start - 2 if prefix.endswith("ال") and prefix != "لل" else start, end)
    # fast path: most names stand between words that start no cue
    e1 = mt.find(" ", end + 1)
    a0 = mt[end + 1:e1] if e1 != -1 else ""
    if a0 not in _TRIGGERS_AFTER and not key.endswith(_SPACE_COUNTRYSIDE):
        paired = _PAIRED_BEFORE.get(b0)
        if paired is not None:
            s0 = word_start - 1 - len(b0)  # b0 starts at s0
            b1 = word_before(mt, s0)
            if b1 not in paired and _bare(b1) not in paired:
                return cue
        elif b0 not in _TRIGGERS_BEFORE and _bare(b0) not in _TRIGGERS_BEFORE \
                and not (mt[word_start:start] == "و" and word_before(mt, word_start - len(b0) - 1) == "ريفي"):
            return cue
    before = tokens_before(mt, word_start)
    after = tokens_after(mt, end)
    i = 0

    def take_left(k: int) -> None:
        nonlocal i
        tok, pos = before[i + k - 1]
        cue.left = pos + len(tok) - len(_bare(tok))  # a leading clitic stays outside
        i += k

    # -- words right after the name ---------------------------------------------
    if after:
        a0 = after[0][0]
        a01 = " ".join(t for t, _ in after[:2])
        if a0 in _AIR_AFTER_AR and before and _bare(before[0][0]) in _AIR_AR | _AIR_OR_PORT_AR:
            cue.kind, cue.types = "airbase", {"airbase", "airport"}
            cue.right = after[0][1]
        elif a01 in _AIR_PAIRS_EN or a0 in _AIR_EN:
            cue.kind, cue.types = "airbase", {"airbase", "airport"}
            cue.right = after[1][1] if a01 in _AIR_PAIRS_EN else after[0][1]
        elif a0 == _COUNTRYSIDE:
            cue.kind, cue.right = "countryside", after[0][1]
        elif a0 in _EN_DIR_ADJ and len(after) > 1 and after[1][0] == _COUNTRYSIDE and key.isascii():
            # "Idlib's southern countryside"
            cue.kind, cue.direction, cue.right = "countryside", _EN_DIR_ADJ[a0], after[1][1]
        elif a0 in _AR_DIR_ADJ and (key.startswith("ريف ") or before and _bare(before[0][0]) == "ريف"):
            # ريف إدلب الجنوبي، ريف حلب الشمالي الغربي: the sector, not the whole countryside
            cue.direction = _AR_DIR_ADJ[a0]
            cue.right = after[0][1]
            if len(after) > 1 and a0 in ("الشمالي", "الجنوبي") and after[1][0] in ("الشرقي", "الغربي"):
                cue.direction += _AR_DIR_ADJ[after[1][0]]
                cue.right = after[1][1]
        elif a0 in _ADMIN_EN_AFTER:
            cue.kind, cue.types = "admin", set(_ADMIN_EN_AFTER[a0])
            cue.right = after[0][1]
        elif a0 in POI_EN and key.isascii():  # "Beirut port", "Aleppo University"
            cue.kind = "poi"
            cue.right = after[0][1]

    # -- words before the name, nearest first ---------------------------------------
    if i < len(before):
        b = _bare(before[i][0])
        if b in _AIR_AR and cue.kind != "countryside":
            cue.kind, cue.types = "airbase", {"airbase", "airport"}
            take_left(1)
        elif b in _AIR_OR_PORT_AR and cue.kind == "airbase":
            take_left(1)  # ميناء X الجوي
        elif b in POI_AR and cue.kind is None and not key.isascii() and not (
                i + 1 < len(before) and _bare(before[i + 1][0]) in _ADMIN_AR):  # قرية شعيب بريف حلب: a name
            cue.kind = "poi"
            take_left(1)
        elif (before[i][0] == "of" and i + 1 < len(before) and before[i + 1][0] in POI_EN
              and cue.kind is None):  # "the port of Beirut"
            cue.kind = "poi"
            take_left(2)
            if i < len(before) and before[i][0] == "the":
                take_left(1)
        elif (before[i][0] in _ADMIN_AR or b in _ADMIN_AR) and (
                i > 0 or mt[word_start:start][:1] not in _CONJUNCTIONS):
            # (a descriptor does not reach over «و»: «32 بلدة وكييف تعلن» is "32 towns, and Kyiv")
            key = before[i][0] if before[i][0] in _ADMIN_AR else b
            if cue.kind is None:
                cue.kind = "admin"
            cue.types |= set(_ADMIN_AR[key])
            take_left(1)
        elif before[i][0] in ("the",) and i + 1 < len(before) and before[i + 1][0] == "of":
            pass
    # "the city of X", "the town of X"
    if i + 1 < len(before) and before[i][0] == "of" and before[i + 1][0] in _ADMIN_EN_BEFORE:
        cue.kind = cue.kind or "admin"
        cue.types |= set(_ADMIN_EN_BEFORE[before[i + 1][0]])
        take_left(2)
        if i < len(before) and before[i][0] == "the":
            take_left(1)
    if i < len(before):
        tok, b = before[i][0], _bare(before[i][0])
        # countryside: ريف X / الريف الشرقي لـ X / rural X / countryside of X
        if b in ("ريف", "ريفي") or tok == "الريف":  # (ريفي إدلب وحماة: the countrysides of both)
            cue.kind = "countryside"
            take_left(1)
        elif tok in _AR_DIR_ADJ and i + 1 < len(before) and _bare(before[i + 1][0]) in ("الريف", "ريف"):
            cue.kind, cue.direction = "countryside", _AR_DIR_ADJ[tok]
            take_left(2)
        elif tok in ("الشرقي", "الغربي") and i + 2 < len(before) and before[i + 1][0] in ("الشمالي", "الجنوبي") \
                and _bare(before[i + 2][0]) in ("الريف", "ريف"):  # الريف الشمالي الغربي لحماة
            cue.kind, cue.direction = "countryside", _AR_DIR_ADJ[before[i + 1][0]] + _AR_DIR_ADJ[tok]
            take_left(3)
        elif mt[word_start:start] == "و" and i == 0 and len(before) > 1 and before[1][0] == "ريفي":
            cue.kind = "countryside"  # the second of ريفي إدلب وحماة
        elif tok in _EN_DIR_ADJ and i + 2 < len(before) and before[i + 1][0] == "of" \
                and before[i + 2][0] == _COUNTRYSIDE:  # "the countryside of southern Idlib"
            cue.kind, cue.direction = "countryside", _EN_DIR_ADJ[tok]
            take_left(3)
            if i < len(before) and before[i][0] == "the":
                take_left(1)
        elif tok in _EN_DIR and key.endswith(_SPACE_COUNTRYSIDE):  # "south Idlib countryside"
            cue.kind, cue.direction = "countryside", _EN_DIR[tok]
            take_left(1)
        elif tok == "rural":
            cue.kind = "countryside"
            take_left(1)
            if i < len(before) and before[i][0] in _EN_DIR_ADJ:
                cue.direction = _EN_DIR_ADJ[before[i][0]]
                take_left(1)
        elif tok in _EN_DIR_ADJ and i + 1 < len(before) and before[i + 1][0] == "rural":
            # "rural southern Idlib": the southern countryside
            cue.kind, cue.direction = "countryside", _EN_DIR_ADJ[tok]
            take_left(2)
        elif tok == "of" and i + 1 < len(before) and before[i + 1][0] == _COUNTRYSIDE:
            cue.kind = "countryside"
            take_left(2)
            if i < len(before) and before[i][0] in _EN_DIR_ADJ:
                cue.direction = _EN_DIR_ADJ[before[i][0]]
                take_left(1)
            if i < len(before) and before[i][0] == "the":
                take_left(1)
        elif tok in _EN_DIR_ADJ and (cue.kind == "countryside" or key.endswith(" " + _COUNTRYSIDE)):
            cue.kind = "countryside"
            cue.direction = _EN_DIR_ADJ[tok]
            take_left(1)
        elif tok in _EN_DIR_ADJ and cue.kind in (None, "admin") and key.isascii():
            # "Eastern Daraa Governorate", "northern Hama": a part of the place
            cue.kind, cue.direction = "direction", _EN_DIR_ADJ[tok]
            take_left(1)
        # direction: (N كم) شمال شرق X / (N km) north east of X
        elif b in _AR_DIR or tok in _AR_DIR:
            d = _AR_DIR.get(b) or _AR_DIR[tok]
            take_left(1)
            if i < len(before) and _bare(before[i][0]) in ("شمال", "جنوب") and d in ("east", "west"):
                d = _AR_DIR[_bare(before[i][0])] + d
                take_left(1)
            elif i < len(before) and d in ("north", "south") and after and after[0][0] in ("شرق", "غرب"):
                pass
            cue.kind, cue.direction = "direction", d
            _distance(cue, before, i, take_left)
        elif tok == "of" and i + 1 < len(before) and (before[i + 1][0] in _EN_DIR or before[i + 1][0] in _NEAR_EN):
            w = before[i + 1][0]
            take_left(2)
            if w in _NEAR_EN:
                cue.kind = "near"
                if i < len(before) and before[i][0] == "the":
                    take_left(1)
            else:
                d = _EN_DIR[w]
                if i < len(before) and before[i][0] in ("north", "south") and d in ("east", "west"):
                    d = before[i][0] + d
                    take_left(1)
                cue.kind, cue.direction = "direction", d
                _distance(cue, before, i, take_left)
        elif b in _NEAR_AR or tok in _NEAR_EN:
            cue.kind = "near"
            take_left(1)
        elif tok == "من" and i + 1 < len(before) and _bare(before[i + 1][0]) in ("القرب", "قرب"):
            cue.kind = "near"
            take_left(2)
    return cue


def _distance(cue: Cue, before: list[tuple[str, int]], i: int, take_left) -> None:
    """Read "N كم" / "N km" before a direction word."""
    if i + 1 < len(before) and before[i][0] in _KM:
        n = _number(before[i + 1][0])
        if n is not None and 0 < n < 500:
            cue.distance_km = n
            take_left(2)
    elif i < len(before) and before[i][0].endswith("km") and _number(before[i][0][:-2]) is not None:
        cue.distance_km = _number(before[i][0][:-2])
        take_left(1)
