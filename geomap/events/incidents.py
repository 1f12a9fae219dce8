"""Incidents of one document: where each happened, its type, actors and casualties.

A document's *incidents* are built in three steps.

1. Where the body ends and what is chrome: the body stops at a line announcing other articles
   ("مقالات ذات صلة", "Read more"); a line of page chrome ("Shared with Public", "Like Comment")
   gives nothing (``gazetteer/place_context.csv``).
2. Each place mention of a sentence is a *target* (the incident happened there) or *context*
   (:func:`place_role`): a container ("حي X في مدينة حلب"), the country, an origin ("من الأراضي
   التركية", "fired from the Golan"), the reference point of a direction ("اعزاز شمالي حلب", "X
   east of Homs": Aleppo and Homs), a dateline ("BEIRUT (Reuters) -"), or a coarse place that
   covers another target of the incident. The event type of each target comes from the words
   governing it (:func:`geomap.events.clauses.classify_places`).
3. A sentence gives one incident per event type among its targets; the incidents of the document
   are then merged: one type at places that share or lie near each other (within
   :data:`MERGE_KM`) is one incident, told by several sentences (a headline and its body); a
   sentence with only a weak keyword at a place of a stronger incident joins it. Places with no
   event keyword are type ``other`` only in a document with no typed incident, and then once; the
   type of the report's keywords elsewhere (a headline without a place) when it has some.

Actors (:mod:`.actors`) and casualties (:mod:`.casualties`) are read from an incident's own
sentences; the document's lead incident (its first) also reads the whole body when they say
nothing (the toll is often told in a sentence without a place).
"""

from __future__ import annotations

import hashlib
import math
import re
from functools import lru_cache
from typing import Any

import numpy as np

from ..gazetteer.admin import ADMIN_COLUMNS
from .actors import armed_actor, read_actors
from .casualties import Casualties, read_casualties
from .dates import SentenceDates
from .documents import Document
from .clauses import _classify_places_in, _Tokens
from .lexicon import EventMatch, classify, means_phrase, split_sentences
from .phrases import PhraseIndex, clean, tokenize

#: incidents of one type whose places lie this close are one incident
MERGE_KM = 25.0
#: a coarse place within this distance of a finer target of its incident covers it
COVER_KM = 40.0
#: characters after a line's chrome phrases from which the rest of the line is text
CHROME_REST = 20
#: the most characters between chrome phrases of one header ("Verified account · date · Shared with Public")
CHROME_GAP = 80
#: confidence factor of a target named in passing (no target word before it, no place cue)
UNCUED_FACTOR = 0.85
#: types that name an act, not its means: a specific type of the same sentence wins
GENERIC = frozenset({"attack"})
#: types that name a means of striking: they tell what caused an explosion, a shooting or a
#: "قصف" the lead incident's own sentences leave vague
MEANS = ("drone", "airstrike", "shelling")
#: lead-incident types that a strong means keyword elsewhere in the body decides instead
VAGUE = frozenset({"attack", "explosion", "other"})
#: confidence factor of a document's later incidents (the lead one is the report's subject)
LATER_FACTOR = 0.7
_MAX_SNIPPET = 600
#: confidence factor of a place by precision: the coarser, the less it says where the incident was
PRECISION_FACTOR = {"exact": 1.0, "near": 1.0, "district": 0.9, "region": 0.9, "governorate": 0.8, "country": 0.5}
_RANK = {"exact": 0, "near": 1, "district": 2, "region": 2, "governorate": 3, "country": 4}
_PLACE_KEYS = ("mention", "place_id", "name", "name_ar", "feature_type", "precision", "geometry", "lat", "lon",
               *ADMIN_COLUMNS)


@lru_cache(maxsize=1)
def _context() -> dict[str, Any]:
    from ..gazetteer.tables import read_table

    rows = read_table("place_context.csv")
    words = {k: PhraseIndex((r["phrase"], k) for r in rows if r["kind"] == k)
             for k in ("origin", "origin_link", "near", "reference_gap", "target_before")}
    lines = {k: tuple(r["phrase"].casefold() for r in rows if r["kind"] == k)
             for k in ("chrome", "chrome_end", "trailer")}
    return {"words": words, **lines}


def body_end(text: str) -> int:
    """Where the body of ``text`` ends: a line announcing other articles, or where comments begin."""
    trailers, ends = _context()["trailer"], _context()["chrome_end"]
    low = text.casefold()
    end = min((i for c in ends if (i := low.find(c)) > 0), default=len(text))
    pos = 0
    for line in text.splitlines(keepends=True):
        key = line.strip(" \t\r\n:.-|»«").casefold()
        if pos and key in trailers:
            return min(pos, end)
        pos += len(line)
    return end


def chrome_spans(text: str, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the page chrome in ``text[:end]``.

    A short line with a chrome phrase is chrome; in a long line (a Facebook post glued after
    "Shared with Public") the chrome is the line up to the end of its first chain of chrome
    phrases.
    (Comments after "All reactions" or "Like Comment" are past the body: :func:`body_end`.)
    """
    chrome = _context()["chrome"]
    out, pos = [], 0
    for line in text[:end].splitlines(keepends=True):
        low = line.casefold()
        occ = sorted((i, i + len(c)) for c in chrome for i in _find_all(low, c))
        if occ:
            last = occ[0][1]
            for i, j in occ[1:]:  # a chain of header phrases ("Verified account · ... · Shared with Public")
                if i - last <= CHROME_GAP:
                    last = max(last, j)
            out.append((pos, pos + (len(line) if len(line.rstrip()) - last < CHROME_REST else last)))
        pos += len(line)
    return out


def _find_all(s: str, sub: str) -> list[int]:
    out, i = [], s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + 1)
    return out


def _trim(spans: list[tuple[int, int]], chrome: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences without the chrome they start in (dropped when nothing is left)."""
    out = []
    for s0, s1 in spans:
        for c0, c1 in chrome:
            if c0 <= s0 < c1:
                s0 = c1
        if s1 - s0 > 1:
            out.append((s0, s1))
    return out


_DATELINE_AFTER = re.compile(r"\s*(?:\([^()\n]{0,40}\))?\s*[-–—:]")
_PUNCT_ONLY = re.compile(r"[\W_]*")


def place_role(text: str, row: dict[str, Any], prev: dict[str, Any] | None) -> str:
    """``target``, or why the mention ``row`` is context (``prev``: the resolved mention before it).

    Examples of context: ``container``, ``country`` (set by the caller), ``origin``,
    ``reference``, ``dateline``.
    """
    if str(row.get("role") or "place") in ("container", "dateline"):
        return str(row["role"])  # (geoparse marks "BEIRUT (Reuters) -" as a dateline itself)
    a, b = int(row["start"]), int(row["end"])
    line0 = text.rfind("\n", 0, a) + 1
    if _PUNCT_ONLY.fullmatch(text, line0, a) and _DATELINE_AFTER.match(text, b) and a - line0 < 5:
        return "dateline"
    cue = str(row.get("cue") or "")
    if cue.startswith("direction") and prev is not None and _reference_gap(text, int(prev["end"]), a):
        return "reference"
    if _origin(text, a):
        return "origin"
    return "target"


def _reference_gap(text: str, a: int, b: int) -> bool:
    """Whether only punctuation or linking words ("الواقعة", "located") lie in ``text[a:b]``."""
    if b - a > 40:
        return False
    toks = tokenize(text, a, b)
    linked = {i for h in _context()["words"]["reference_gap"].find(toks) for i in range(h.i, h.j)}
    return len(linked) == len(toks)


def _origin(text: str, a: int) -> bool:
    """Whether the words before offset ``a`` say the place is where fire came from."""
    toks = tokenize(text, max(0, a - 60), a)
    w = _context()["words"]
    k = len(toks)
    links = {h.j: h.i for h in w["origin_link"].find(toks)}
    for _ in range(2):  # "من الأراضي", "from the direction of"
        if k in links:
            k = links[k]
    origins = {h.j: h.i for h in w["origin"].find(toks)}
    if k not in origins:
        return False
    i = origins[k]
    near_ends = {h.j for h in w["near"].find(toks[max(0, i - 3):i])}
    return not near_ends  # "بالقرب من X", "10 km from X" name where it happened


def _cued(text: str, row: dict[str, Any]) -> bool:
    """Whether the place is named as where something struck: a place cue ("قرية X", "شمالي X")
    or a target word right before it ("على X", "in X", "struck X"; an Arabic clitic ب/ل/في too)."""
    if row.get("cue") and str(row.get("cue")) not in ("nan", "None"):
        return True
    a = int(row["start"])
    if a and text[a - 1] in "بلف" and (a < 2 or not text[a - 2].isalnum()):
        return True  # "بحمص", "لقرية"
    toks = tokenize(text, max(0, a - 40), a)
    ends = {h.j for h in _context()["words"]["target_before"].find(toks)}
    return len(toks) in ends


def _km(p: dict[str, Any], q: dict[str, Any]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (p["lat"], p["lon"], q["lat"], q["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _uncover(places: dict[str, dict[str, Any]]) -> None:
    """Mark a coarse target that covers a finer target of the same incident as context."""
    targets = [p for p in places.values() if p["role"] == "target"]
    for p in targets:
        rp = _RANK.get(str(p.get("precision")), 0)
        if any(_RANK.get(str(q.get("precision")), 0) < rp and _km(p, q) <= COVER_KM for q in targets if q is not p):
            p["role"] = "covered"


def _place(r: dict[str, Any], conf: float, role: str) -> dict[str, Any]:
    return {c: r.get(c) for c in _PLACE_KEYS} | {"confidence": conf, "role": role}


def _conf(row: dict[str, Any]) -> float:
    c = row.get("confidence")
    try:
        c = float(c)
    except (TypeError, ValueError):
        return 1.0
    return c if c == c else 1.0


def doc_incidents(di: int, doc: Document, ms: list[dict[str, Any]], include_other: bool) -> list[dict[str, Any]]:
    """Incidents of one document given its resolved mentions sorted by start (any role)."""
    text = clean(doc.text)
    end = body_end(text)
    chrome = chrome_spans(text, end)
    spans = _trim(split_sentences(text[:end]), chrome)
    dates = SentenceDates(text, spans, doc.date)
    toks_base, toks = -1, None
    sentence_incs: list[dict[str, Any]] = []
    j, n = 0, len(ms)
    prev: dict[str, Any] | None = None
    for s0, s1 in spans:
        while j < n and ms[j]["start"] < s0:
            j += 1
        k = j
        while k < n and ms[k]["start"] < s1:
            k += 1
        in_sent, j = ms[j:k], k
        if not in_sent:
            continue
        roles = []
        for r in in_sent:
            roles.append(place_role(text, r, prev))
            prev = r
        if any(str(r.get("precision")) != "country" and role == "target" for r, role in zip(in_sent, roles)):
            roles = ["country" if str(r.get("precision")) == "country" else role for r, role in zip(in_sent, roles)]
        targets = [r for r, role in zip(in_sent, roles) if role == "target"]
        context = [(r, role) for r, role in zip(in_sent, roles) if role != "target"]
        nt, base = dates.block(s0, s1)
        if base != toks_base:
            toks_base, toks = base, _Tokens(text, base, base + len(nt.original), nt, base, whole=False)
        sent_toks = toks if toks.odd is None or not toks.odd.search(text, s0, s1) else _Tokens(text, s0, s1)
        matches = _classify_places_in(text, s0, s1, [(r["start"], r["end"]) for r in targets], sent_toks)
        by_type: dict[str, dict[str, Any]] = {}
        whole = None
        for r, match in zip(targets, matches):
            if match is None or match.event_type in GENERIC:
                whole = whole or sent_toks.classify(s0, s1) or EventMatch("other", None, "none")
                if match is None or whole.event_type not in GENERIC | {"other"}:
                    match = whole
            inc = by_type.setdefault(match.event_type, {"match": match, "places": {}})
            pid = str(r["place_id"])
            conf = _conf(r) * (1.0 if _cued(text, r) else UNCUED_FACTOR)
            if pid not in inc["places"] or conf > inc["places"][pid]["confidence"]:
                inc["places"][pid] = _place(r, conf, "target")
        if not by_type:
            continue
        offs = nt.offsets
        na, nb = (int(x) for x in np.searchsorted(offs[:-1], (s0 - base, s1 - base), "left"))
        key = hashlib.sha1(" ".join(nt.text[na:nb].split()).encode()).digest()
        for inc in by_type.values():
            for r, role in context:
                inc["places"].setdefault(str(r["place_id"]), _place(r, _conf(r), role))
            sentence_incs.append(inc | {"spans": [(s0, s1)], "key": key, "date": dates(s0, s1)})
    incs = _merge_in_document(sentence_incs, include_other)
    if len(incs) == 1 and incs[0]["match"].event_type == "other":
        # the places are named where no keyword is; the report's keywords say what happened
        m = classify(text[:end])
        if m is not None:
            incs[0]["match"] = EventMatch(m.event_type, m.keyword, "weak")
    if incs:
        _lead_means(text, incs[0], [s for s in spans if not any(s in i["spans"] for i in incs[1:])])
    out = []
    for rank, inc in enumerate(incs):
        _uncover(inc["places"])
        out.append(_finish(di, text, inc, incs, spans, rank))
    return out


def _lead_means(text: str, inc: dict[str, Any], body: list[tuple[int, int]]) -> None:
    """Give the lead incident the means its report states when its own keyword is vague.

    A post tells one incident: "انفجار" or "استهداف" at the place, or a weak "قصف", with
    "طائرات حربية" or "مسيّرة" in the headline or another sentence, is that strike. The
    first body sentence with a strong means keyword decides; the incident's own sentences first.
    A sentence that tells another incident of the document is not read (its keyword is its own).
    """
    m = inc["match"]
    if m.strength != "weak" and m.event_type not in VAGUE:
        return
    own = sorted(s for s in inc["spans"] if s in body)
    for a, b in own + [s for s in body if s not in own]:
        found = classify(text[a:b])
        if found is not None and found.strength == "strong" and found.event_type in MEANS:
            if found.event_type != m.event_type:
                inc["match"] = EventMatch(found.event_type, found.keyword, "weak")
            return
    if m.event_type in VAGUE - {"other"}:  # "استهداف ... بقصف": its own weak means keyword
        for a, b in own:
            found = means_phrase(text[a:b])
            if found is not None:
                inc["match"] = EventMatch(found[0], found[1], "weak")
                return


def _targets(inc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in inc["places"].values() if p["role"] == "target"]


def _near(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ta, tb = _targets(a), _targets(b)
    return any(str(p["place_id"]) == str(q["place_id"]) or _km(p, q) <= MERGE_KM for p in ta for q in tb)


def _merge_in_document(incs: list[dict[str, Any]], include_other: bool) -> list[dict[str, Any]]:
    typed = [i for i in incs if i["match"].event_type != "other"]
    if not typed:
        return incs[:1] if include_other else []
    out: list[dict[str, Any]] = []
    for inc in typed:
        m = inc["match"]
        host = next((o for o in out if o["match"].event_type == m.event_type and _near(o, inc)), None)
        if host is None and _weak(m):
            host = next((o for o in out if not _weak(o["match"]) and _near(o, inc)), None)
        if host is None:
            for o in out:  # a strong incident at the place of an earlier weak one takes its type
                if _weak(o["match"]) and not _weak(m) and _near(o, inc):
                    o["match"], host = m, o
                    break
        if host is None:
            out.append(inc | {"places": dict(inc["places"])})
            continue
        host["spans"] = host["spans"] + inc["spans"]
        for pid, p in inc["places"].items():
            q = host["places"].get(pid)
            if q is None or (p["role"] == "target" and (q["role"] != "target" or p["confidence"] > q["confidence"])):
                host["places"][pid] = p
    return out


def _weak(m: EventMatch) -> bool:
    """A weak keyword, or a type that names the act, not its means (it joins a specific one)."""
    return m.strength == "weak" or m.event_type in GENERIC


def _finish(di: int, text: str, inc: dict[str, Any], incs: list[dict[str, Any]],
            body: list[tuple[int, int]], rank: int) -> dict[str, Any]:
    """The incident record: snippet, date, actors and casualties."""
    s0, s1 = inc["spans"][0]
    snippet = " ".join(text[s0:s1].split())
    if len(snippet) > _MAX_SNIPPET:
        snippet = snippet[: _MAX_SNIPPET - 1] + "…"
    spans = sorted(inc["spans"])
    cas = Casualties()
    for a, b in spans:
        cas = cas.merge(read_casualties(text, a, b))
    if cas.fatalities is None and cas.injured is None and rank == 0:
        for a, b in body:  # the lead incident's toll may be told in a sentence without a place
            c = read_casualties(text, a, b)
            if c.fatalities is not None or c.injured is not None:
                cas = Casualties(c.fatalities, c.injured, c.text, cas.civilians or c.civilians)
                break
    trigger = _trigger(text, s0, s1, inc["match"].keyword)
    actor1, actor2 = read_actors(text, spans, trigger, cas.civilians)
    if rank == 0 and armed_actor(text, spans) is None:
        # the report's aircraft or drones named elsewhere (a headline) say who struck
        a1 = armed_actor(text, body)
        if a1 is not None and a1 != actor2:
            actor1 = a1
    if actor1 is None and rank == 0:
        a1, a2 = read_actors(text, body, None, cas.civilians)
        actor1, actor2 = a1, actor2 or a2
    date, precision, source = inc["date"]
    factor = 1.0 if rank == 0 else LATER_FACTOR
    places = [p | {"confidence": p["confidence"] * factor * PRECISION_FACTOR.get(str(p.get("precision")), 1.0)}
              for p in inc["places"].values()]
    return dict(di=di, s0=s0, snippet=snippet, key=inc["key"], match=inc["match"], date=date,
                date_precision=precision, date_source=source, places=places, casualties=cas,
                actor1=actor1, actor2=actor2)


def _trigger(text: str, s0: int, s1: int, keyword: str | None) -> int | None:
    """The offset of the event keyword in ``text[s0:s1]``."""
    if not keyword:
        return None
    hits = PhraseIndex([(keyword, 1)]).find(tokenize(text, s0, s1))
    return hits[0].start if hits else None
