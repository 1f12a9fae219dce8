"""The geoparsing pipeline: the stages, in order, on one text.

::

    text ─ normalise ─► NormText ─ recognise ─► Reading[Mention] ─ context (roads, containers)
         (geomap.text)             (.recognise; .candidates; .cues)   (.context)
      ─ rank ─► Mention.best ─ context (anchors, focus; drop strays) ─ rank again ─► rows
        (.resolve)                (.context)                          (.resolve)    (.rows, .unknown)

:class:`Parser` runs the stages for one gazetteer; the stages that keep memos
(candidates, rank, derived geometry) memoise pure functions of the gazetteer
and a name, and are shared per gazetteer (:func:`stages_for`); everything a
text adds lives in its :class:`~geomap.geoparsing.mention.Reading`, and what a call's
documents add (rankings under their anchors, distances) in that call's :class:`Parser`.
:func:`geomap.geoparse`, :func:`geomap.geoparse_many` (and its worker
processes, :mod:`geomap._parallel`), the events, the Dask entry points,
:func:`geomap.geocode` and the geopy adapter all run through it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from geomap.gazetteer.model import Place
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.store import Gazetteer, skeleton_key
from geomap.geoparsing.candidates import CandidateFinder
from geomap.geoparsing.context import (
    CONFIDENT_SHARE,
    HOME_COUNTRY,
    Context,
    anchors_of,
    inside,
    stray_village,
    the_region,
    within_filter,
)
from geomap.geoparsing.cues import Cue
from geomap.geoparsing.datelines import drop_adjectives, mark_datelines
from geomap.geoparsing.matcher import Matcher, common_words, matcher_for
from geomap.geoparsing.mention import MINOR, Mention, Reading
from geomap.geoparsing.recognise import Recogniser
from geomap.geoparsing.resolve import MAJOR_ABROAD_POP, RankMemo, Ranker
from geomap.geoparsing.rows import Deriver, RowBuilder, nidx, span, unresolved_row
from geomap.geoparsing.unknown import UnknownNames
from geomap.gazetteer import rank
from geomap.text import NormText, normalize_key, normalize_many

#: a candidate's name match this good is the query's very name (exact or normalised)
EXACT_NAME = 0.95
#: the places that can be the seat of a district or subdistrict named for them
SEAT_TYPES = frozenset({"village", "town", "city"})
#: texts longer than this are geoparsed in pieces (bounded memory)
CHUNK_CHARS = 1_000_000
#: geoparse_many normalises texts of up to this size together, this many characters at a
#: time (small enough for the numpy arrays to stay in the CPU cache: 16k is fastest)
BATCH_CHARS = 16_000


@dataclass(frozen=True)
class Stages:
    """The stages of one gazetteer (their memos are pure functions of it); the
    ranker and the row builder, whose memos depend on the documents, are made
    per call (:class:`Parser`) around ``rank_memo``."""

    gaz: Gazetteer
    matcher: Matcher
    recognise: Recogniser
    candidates: CandidateFinder
    context: Context
    rank_memo: RankMemo
    derive: Deriver
    unknown: UnknownNames


_STAGES: weakref.WeakKeyDictionary[Gazetteer, Stages] = weakref.WeakKeyDictionary()


def stages_for(gazetteer: Gazetteer) -> Stages:
    """The stages bound to ``gazetteer`` (made once per gazetteer and process)."""
    got = _STAGES.get(gazetteer)
    if got is None:
        matcher = matcher_for(gazetteer)
        common = common_words()
        words = matcher.words
        cands = CandidateFinder(gazetteer, common)
        deriver = Deriver(gazetteer)
        got = Stages(gazetteer, matcher, Recogniser(gazetteer, matcher, common, words, cands), cands,
                     Context(gazetteer, deriver, words), RankMemo(), deriver, UnknownNames(common, words))
        _STAGES[gazetteer] = got
    return got


def coerce_text(text: Any) -> str:
    """``text`` when it is a str; else TypeError."""
    if isinstance(text, str):
        return text
    raise TypeError(f"text must be str, not {type(text).__name__}")


class Parser:
    """Geoparser bound to one gazetteer (cheap to make: the stages are shared per
    gazetteer; its ranker's memo of rankings and distances lives as long as it)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.stages = stages_for(gazetteer)
        self.matcher = self.stages.matcher
        self.ranker = Ranker(gazetteer, self.stages.rank_memo)
        self.rows = RowBuilder(gazetteer, self.ranker, self.stages.derive)
        #: when a list, ranking appends (mention, place, features, score) of every candidate
        #: it ranks (bench/fit_ranker.py fits the ranker's weights on them)
        self.recorder: list | None = None

    def parse(self, text: str) -> list[tuple]:
        """Rows (in :data:`~geomap.geoparsing.rows.COLUMNS` order, geometry included) for one text.

        Texts longer than :data:`CHUNK_CHARS` are read in pieces cut at line
        breaks (then spaces), so memory stays bounded; offsets refer to the
        whole text.
        """
        text = coerce_text(text)
        if not text.strip():
            return []
        if len(text) <= CHUNK_CHARS:
            return self.parse_one(text)
        rows: list[tuple] = []
        for base, piece in chunks(text, CHUNK_CHARS):
            for r in self.parse_one(piece):
                rows.append((r[0], r[1] + base, r[2] + base, *r[3:]))
        return rows

    def parse_one(self, text: str, nt: NormText | None = None) -> list[tuple]:
        """Rows of one text (of at most :data:`CHUNK_CHARS`), its normalised form ``nt`` if known."""
        r = self.resolve(text, nt)
        nt = r.nt
        row = self.rows.row
        rows = [row(nt, m, self.recorder) for m in r.mentions]
        covered = [(m.cue.left, m.cue.right) for m in r.mentions]
        rows.extend(r.unresolved)
        covered.extend((int(nidx(nt, u[1])) + 1, int(nidx(nt, u[2] - 1)) + 2) for u in r.unresolved)
        rows.extend(self.stages.unknown.find(r, covered))
        rows.sort(key=lambda u: (u[1], u[2]))
        return rows

    def resolve(self, text: str, nt: NormText | None = None, within: Place | None = None) -> Reading:
        """Recognise, read cues, link containers and rank: the mentions of ``text``
        with their best places, and the rows of mentions reported unresolved.
        ``within`` (geocode's argument) is the container of every mention without one."""
        st = self.stages
        ranker, context, rec = self.ranker, st.context, self.recorder
        r = st.recognise.read(text, nt)
        st.recognise.latin_variants(r)
        drop_adjectives(r)
        mark_datelines(r)
        context.link_roads(r)
        context.link_containers(r)
        the_region(r)
        ms = r.mentions
        if within is not None:
            outer = Mention(None, Cue(0, 0), ((within, 1.0),), best=within, is_container=True)
            for m in ms:
                if m.container is None and not any(x.container is m for x in ms):
                    m.container = outer
                    keep = tuple(within_filter(self.gaz, within, m.cands))
                    if keep and len(keep) < len(m.cands):  # within= is a filter: the places inside it
                        m.cands = keep
                        m.narrowed = True
        # containers first (they constrain), then the rest; then again with coherence
        for m in sorted(ms, key=lambda m: m.container is not None):
            ranker.rank(m, recorder=rec)
        far: list[Mention] = []
        for x in ms:
            y = x.container
            if y is None or y.best is None or x.best is None:
                continue
            fits = [p for p, _ in x.cands if self.gaz.contains(y.best, p)]
            if fits:
                y.is_container = True
            elif near := self.spelled_inside(x, y):
                # "the Hamdaniyah neighbourhood of Aleppo": the gazetteer spells it otherwise there
                x.cands, x.narrowed, y.is_container = near, True, True
                ranker.rank(x, recorder=rec)
            elif context.far_from_its_town(x, y):
                far.append(x)  # «قرية X في ريف Y» read far from Y: X is not known there
            else:
                x.container = None
        if far:
            ms = [m for m in ms if m not in far]
            for x in far:
                a, b = span(r.nt, x.cue.left, x.cue.right)
                r.unresolved.append(unresolved_row(r.nt.original, a, b, "not in gazetteer near its container",
                                                   (x.cue.label + ";" if x.cue.label else "") + f"in:{x.container.best.id}"))
        # a village outside every governorate the document names, when a namesake lies inside one
        for m in context.into_governorates(ms):
            ranker.rank(m, recorder=rec)
        anchors, focus_cc = anchors_of([m for m in ms if not m.dateline])  # (a Beirut dateline: no focus)
        # a bare village name far from what the document is about is more
        # likely a word (الحيطة "caution" in a Kuwaiti tweet) than a place; a
        # document with no confident place is taken to be about the home country
        ms = [m for m in ms if not stray_village(m, focus_cc or HOME_COUNTRY, anchors)]
        # a bare village whose name is also a word (جروح "wounds"), with no place of
        # the document near it, is the word
        ms = [m for m in ms if not context.lonely_word(m, ms)]
        # a mention's anchors are the document's but its own best place: one list per best place
        others: dict[int, tuple[list[Place], tuple[str, ...]]] = {}
        for m in ms:
            if len(m.cands) > 1:
                got = others.get(id(m.best))
                if got is None:
                    mine = [a for a in anchors if a is not m.best]
                    got = others[id(m.best)] = (mine, tuple(a.id for a in mine))
                ranker.rank(m, got[0], focus_cc, got[1], recorder=rec)
        seen: dict[int, str] = {}  # (the places are the document's: ids stay theirs while it is read)
        for m in ms:
            m.in_focus = context.in_focus(m, anchors, seen)
        r.mentions = ms
        return r

    def geocode(self, query: str, within: Place | None = None) -> tuple[Place | None, bool]:
        """The place ``query`` names (:func:`geomap.geocode`): the query read as a
        one-mention text, its main mention resolved by the same ranking as in
        running text. Returns ``(place, read)``: ``read`` is False when the
        reader found no name in the query (the caller reads its other forms);
        ``place`` is None when the pick's confidence is under the abstain
        threshold. A relative place ("east of Homs") is the derived area."""
        ms = [m for m in self.resolve(query, within=within).mentions if m.best is not None and not m.is_container]
        if not ms:
            return None, False
        m = max(ms, key=lambda m: (m.cue.right - m.cue.left, -m.cue.left))
        wanted = parse_query(query).feature_types
        if wanted and not m.cue.types and m.best.feature_type not in wanted:
            m.cue = replace(m.cue, types=set(wanted))  # a descriptor inside the matched name: "Manbij district"
            self.ranker.rank(m, focus=None)
        if m.road_to is not None or m.cue.kind in ("direction", "near", "countryside"):
            return None, False  # a road, border or relative place: the compound reading makes it
        if within is None and not wanted:
            major = major_abroad(m) or self.seat_of_namesake(m)
            if major is not None:  # a lone العقبة is Jordan's port, not a Daraa hamlet
                m.best, m.score_gap = major, max(m.score_gap, CONFIDENT_SHARE)
        if within is not None and not inside(self.gaz, within, m.best):
            return None, False  # nothing of that name inside: close spellings there are read next
        if self.ranker.confidence(m) < rank.abstain_below():
            return None, True
        place, *_ = self.stages.derive.derive(m.best, m.cue.kind, m.cue.direction, m.cue.distance_km, rounded=True)
        return place, True


    def spelled_inside(self, x: Mention, y: Mention) -> tuple:
        """Candidates of a Latin X that a descriptor types ("X neighbourhood of Y", "X district
        of Y") among the places of its container Y spelt close to it (Hamdaniyah, Hamadaniyeh):
        none inside Y is spelt as the text spells it. "District" of a city is a neighbourhood."""
        if x.hit is None or not x.hit.key.isascii() or not x.cue.types or y.best is None:
            return ()
        types = set(x.cue.types)
        if types & {"district", "subdistrict"} and y.best.feature_type == "city":
            types.add("neighbourhood")
        got = [(p, s) for p, s in self.gaz.fuzzy(x.hit.key, y.best) if p.feature_type in types]
        if len(got) < 2:
            return tuple(got)
        # of several close spellings, the closest (Hamadaniyeh, not Hameidiyyeh, for Hamdaniyah)
        import difflib

        want = skeleton_key(x.hit.key)

        def closeness(p: Place) -> float:
            return max(difflib.SequenceMatcher(None, want, skeleton_key(normalize_key(t))).ratio()
                       for t in p.all_names() if t.isascii())

        best = {p.id: closeness(p) for p, _ in got}
        top = max(best.values())
        return tuple((p, s) for p, s in got if best[p.id] == top)

    def seat_of_namesake(self, m: Mention) -> Place | None:
        """The one settlement of ``m``'s very name that lies in a district or subdistrict of that
        name (its seat: رأس العين is the Hasakah town, not an Idlib hamlet), when the pick is a
        village of no known population; else None (for a lone place string)."""
        b = m.best
        if b is None or b.feature_type not in MINOR or b.population:
            return None
        exact = [p for p, sc in m.cands if sc >= EXACT_NAME]
        areas = [p for p in exact if p.feature_type in ("district", "subdistrict")]
        seats = {p.id: p for p in exact for a in areas
                 if p.feature_type in SEAT_TYPES and self.gaz.contains(a, p)}
        return next(iter(seats.values())) if len(seats) == 1 and b.id not in seats else None


def major_abroad(m: Mention) -> Place | None:
    """The most populous city or town abroad that ``m`` (a lone place string) names by its
    very name, when its pick is a Syrian village, landmark or neighbourhood of no known
    population; else None. (Running text keeps the Syrian prior: this is for geocode.)"""
    b = m.best
    if b is None or b.country != HOME_COUNTRY or b.feature_type not in MINOR or b.population:
        return None
    types = m.cue.types
    big = [p for p, sc in m.cands if p.country != HOME_COUNTRY and sc >= EXACT_NAME
           and p.feature_type in ("city", "town") and (p.population or 0) >= MAJOR_ABROAD_POP
           and (not types or p.feature_type in types)]
    return max(big, key=lambda p: p.population or 0) if big else None


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


def gazetteer_of(gazetteer: Gazetteer | str | None) -> Gazetteer:
    """``gazetteer`` itself, or the one :func:`geomap.load_gazetteer` loads for that source."""
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    from geomap.gazetteer.load import load_gazetteer

    return load_gazetteer(gazetteer or "default")


def parse_rows(parser: Parser, items: Iterable[tuple[int, str]]) -> tuple[list[tuple], list[int]]:
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
            add(i, parser.parse_one(text, nt))
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
