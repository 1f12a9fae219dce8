"""Casualty counts of a stretch of text: fatalities, injured, the phrase, civilians.

Counts are read around the words of killing and injury (``gazetteer/casualty_words.csv``):
a number after the word ("مقتل ثلاثة مدنيين", "killing at least 12", "أصيب 4 مواطنين") or before it
("شخصين قتلا", "three civilians were killed", "5 قتلى"), groups joined by "و" added ("مقتل امرأة
وأربعة أطفال": 5), written in digits (ASCII or Arabic-Indic:
"٣"), number words, compounds ("خمسة عشر", "ثلاثة وعشرين") or duals ("طفلين"); a singular victim
("مقتل طفل", "a child was killed") is one. A range gives its lower bound (its first number).
A vague amount ("عشرات", "dozens") gives no number but keeps the phrase. A count never crosses
the other kind's word ("مقتل ثلاثة وإصابة خمسة": 3 killed, 5 injured), nor a subset word
("بينهم طفلان": among them); "قتل وجرح 5" (one number for both) is a count of neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .phrases import PhraseIndex, Token, clean, tokenize

#: tokens looked at after / before a casualty word for its number
AFTER, BEFORE = 5, 4
#: numbers that cannot be casualty counts (years, dates)
MAX_COUNT = 1500


@dataclass(frozen=True, slots=True)
class Casualties:
    """What a text says about casualties; None where it says nothing."""

    fatalities: int | None = None
    injured: int | None = None
    text: str | None = None
    civilians: bool = False

    def merge(self, other: Casualties) -> Casualties:
        """The highest count of either (repeated reports of one event)."""
        def hi(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else max(a, b)
        f, i = hi(self.fatalities, other.fatalities), hi(self.injured, other.injured)
        text = self.text
        if other.text and (text is None or (other.fatalities or 0, other.injured or 0) >
                           (self.fatalities or 0, self.injured or 0)):
            text = other.text
        return Casualties(f, i, text, self.civilians or other.civilians)


@lru_cache(maxsize=2)
def _index(civilian: bool = False) -> PhraseIndex:
    """The casualty words (or, with ``civilian``, the words saying the victims were civilians)."""
    from ..gazetteer.tables import read_table

    return PhraseIndex((r["word"], (r["kind"], int(r["value"]) if r["value"] else None))
                       for r in read_table("casualty_words.csv") if (r["kind"] == "civilian") == civilian)


def _value(toks: list[Token], hits: dict[int, tuple], k: int) -> tuple[int | None, int] | None:
    """The number at token ``k`` (a digit run, a number word with its compounds), and the token after it."""
    got = _count(toks, hits, k)
    if got is not None and hits.get(got[1], ("",))[0] == "time":
        return None  # "(25 عاما)", "خلال 6 أشهر": an age or a duration
    return got


def _count(toks: list[Token], hits: dict[int, tuple], k: int) -> tuple[int | None, int] | None:
    t = toks[k]
    f = t.forms[0]
    if f.isdigit():
        v = int(f)
        return (v, k + 1) if v <= MAX_COUNT else None
    h = hits.get(k)
    if h is None or h[0] not in ("number", "dual", "singular", "vague"):
        return None
    kind, value, j = h
    if kind == "number" and j + 1 < len(toks) + 1 and j < len(toks) and toks[j].forms[0].startswith("و"):
        # "ثلاثة وعشرين": ones and tens
        nxt = hits.get(j)
        if nxt is None and len(toks[j].forms) > 1:
            nxt = _plain_number(toks[j].forms[-1])
        if nxt is not None and nxt[0] == "number" and nxt[1] and nxt[1] >= 20 and value < 10:
            return value + nxt[1], j + 1
    return value, j


def _plain_number(form: str) -> tuple | None:
    for h in _index().find([Token(0, 0, (form,))]):
        return h.payload
    return None


def read_casualties(text: str, a: int = 0, b: int | None = None) -> Casualties:
    """The casualties ``text[a:b]`` reports (the first count of each kind).

    Examples
    --------
    >>> c = read_casualties("مقتل ثلاثة مدنيين وإصابة خمسة آخرين بقصف مدفعي")
    >>> (c.fatalities, c.injured, c.civilians)
    (3, 5, True)
    >>> read_casualties("An airstrike killed at least 12 people").fatalities
    12
    """
    text = clean(text)
    toks = tokenize(text, a, b)
    hits: dict[int, tuple] = {}
    for h in _index().find(toks):
        kind, value = h.payload
        hits[h.i] = (kind, value, h.j)
    civilians = bool(_index(civilian=True).find(toks))
    found: dict[str, tuple[int | None, int, int]] = {}
    for k in sorted(hits):
        kind = hits[k][0]
        if kind not in ("killed", "injured") or kind in found:
            continue
        other = "injured" if kind == "killed" else "killed"
        # a noun that counts itself ("شهيدان", "قتيل") takes no number after it: "شهيدان وثلاثة جرحى"
        got = _after(toks, hits, hits[k][2], other) if hits[k][1] is None else None
        if got is None or got[0] is None:  # "أربعة شهداء وعدد من الجرحى": the number before it
            got = _before(toks, hits, k, other, found) or got
        if got is None and hits[k][1] is not None:  # "سقوط شهيد", "الشهيد فلان": the noun's own count
            got = (hits[k][1], toks[k].start, toks[hits[k][2] - 1].end)
        if got is None:
            continue
        value, s, e = got
        found[kind] = (value, min(s, toks[k].start), max(e, toks[hits[k][2] - 1].end))
    j = next((k for k in sorted(hits) if hits[k][0] == "killed"), None)
    if j is not None and "killed" not in found and "injured" in found and \
            hits.get(hits[j][2], ("",))[0] == "injured":
        # "قتل وجرح 5 مدنيين": one number for both kinds, a count of neither
        found["injured"] = (None, min(found["injured"][1], toks[j].start), found["injured"][2])
    if not found:
        return Casualties(civilians=civilians)
    s = min(v[1] for v in found.values())
    e = max(v[2] for v in found.values())
    f, i = found.get("killed"), found.get("injured")
    return Casualties(f[0] if f else None, i[0] if i else None, " ".join(text[s:e].split()), civilians)


def _stop(hits: dict[int, tuple], k: int, other: str) -> bool:
    h = hits.get(k)
    return h is not None and h[0] in (other, "subset")


def _after(toks: list[Token], hits: dict[int, tuple], k0: int, other: str) -> tuple[int | None, int, int] | None:
    for k in range(k0, min(len(toks), k0 + AFTER)):
        if _stop(hits, k, other):
            return None
        if k > k0 and toks[k].forms[0].startswith("و") and k not in hits and not toks[k].forms[0][1:].isdigit():
            return None  # "قتلى وأكثر من 20 جريحا", "القتل والتهجير خلال 6": the next clause's number
        got = _value(toks, hits, k)
        if got is not None:
            if k > k0 and hits.get(got[1], ("",))[0] == other:
                return None  # "... killed and five wounded": the other kind's number
            value, j = _and_more(toks, hits, got[0], got[1], other)
            return value, toks[k].start, toks[j - 1].end
    return None


def _and_more(toks: list[Token], hits: dict[int, tuple], value: int | None, j: int,
              other: str) -> tuple[int | None, int]:
    """``value`` plus the groups joined to it ("امرأة وأربعة أطفال": 1 + 4), and where they end."""
    for _ in range(3):
        if value is None:
            break
        for k in (j, j + 1):  # (one noun may stand between: "3 أطفال وامرأة")
            if k >= len(toks) or _stop(hits, k, other) or not toks[k].forms[0].startswith("و"):
                continue
            nxt = _value(toks, hits, k) if k in hits else None
            if nxt is None and len(toks[k].forms[0]) > 1 and toks[k].forms[0][1:].isdigit():
                nxt = (int(toks[k].forms[0][1:]), k + 1)
            if nxt is not None and nxt[0] is not None and hits.get(k, ("",))[0] != "vague":
                value, j = value + nxt[0], nxt[1]
                break
        else:
            break
    return value, j


def _before(toks: list[Token], hits: dict[int, tuple], k0: int, other: str,
            found: dict) -> tuple[int | None, int, int] | None:
    used = max((v[2] for v in found.values()), default=-1)
    for k in range(k0 - 1, max(-1, k0 - 1 - BEFORE), -1):
        if toks[k].end <= used or _stop(hits, k, other):
            return None
        got = _value(toks, hits, k)
        if got is not None and got[1] <= k0:
            return got[0], toks[k].start, toks[k0].end
    return None
