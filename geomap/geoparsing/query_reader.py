"""The query reader: the forms of a place string running text does not use, read as
one-mention readings the pipeline's :class:`~.resolve.Ranker` ranks.

:func:`geomap.geocode` reads a query with the pipeline's recogniser first; what the
recogniser does not read — alternatives ("Marran/Merane village"), a name in
parentheses ("Taybah farms (Mayadin)"), a name with a qualifier the gazetteer lacks
("Baghuz at-Tahtani", read as Baghuz), a spelling the recogniser skips — is read here:
the name variants of :func:`~geomap.gazetteer.query.parse_query` in its order, each a
mention whose candidates are the gazetteer's matches of the variant (those of the
types the descriptor words ask for first; with ``within``, the matches inside the area,
then close spellings there), ranked by the same ranker with the same confidence as a
mention of running text. A name in parentheses is an anchor: the outer name's homonym
within :data:`CONTEXT_KM` of it is the answer, else the anchor itself.
"""

from __future__ import annotations

import re

from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.lookup import countryside_of
from geomap.gazetteer.model import Place
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.store import Gazetteer
from geomap.geoparsing.context import within_filter
from geomap.geoparsing.cues import Cue
from geomap.geoparsing.matcher import Hit
from geomap.geoparsing.mention import Mention
from geomap.geoparsing.resolve import NAME_MATCH, Ranker

_THE = re.compile(r"^the\s+", re.IGNORECASE)
#: how far from a place named in parentheses the outer name's place may lie
CONTEXT_KM = 40.0


def _mention(name: str, cands: list[tuple[Place, float]], types: set[str]) -> Mention:
    """A one-mention reading of ``name`` with its candidates."""
    cue = Cue(1, 1 + len(name), types=set(types), kind="admin" if types else None)  # "X village": an admin cue
    return Mention(Hit(1, 1 + len(name), 1, name, ()), cue, tuple(cands))


def _cands(gaz: Gazetteer, name: str, area: Place | None, types: set[str] | None,
           fuzzy: bool) -> list[tuple[Place, float]]:
    if (coded := gaz.get_pcode(name)) is not None:
        return [(coded, 1.0)]
    got = gaz.matches(name) if not fuzzy else (gaz.fuzzy(name, area) if area is not None else [])
    got = [(p, s) for p, s in got if not types or p.feature_type in types]
    return within_filter(gaz, area, got) if area is not None else got


def read_part(gaz: Gazetteer, ranker: Ranker, area: Place | None = None):
    """A resolver of the simple parts of a compound query (:func:`geomap.gazetteer.relative.compound`:
    the ends of a road, the sides of a border, the base of an offset): the query reader's pick.
    A part is not held to the abstain threshold: the compound's form (two places a road joins,
    a direction of a named place) says the part is a place."""

    def resolve(part: str, types: set[str] | None = None) -> Place | None:
        part = _THE.sub("", part.strip())  # "the Saraqib-Ariha road": English writes the road's article
        return read_query(gaz, ranker, part, area, types)[0] if part else None

    return resolve


def read_query(gaz: Gazetteer, ranker: Ranker, query: str, area: Place | None = None,
               prefer: set[str] | None = None) -> tuple[Place | None, float, float]:
    """The place a query names by one of its name variants, its ranker confidence and its
    name match; ``(None, 0, 0)`` when no variant names a place (inside ``area``).
    ``prefer`` adds feature types to those the query's words ask for (a border's sides)."""
    q = parse_query(query)
    if q.countryside:  # ريف دمشق is a governorate's name; ريف حمص, Homs countryside: its countryside area
        whole = _cands(gaz, q.full, area, None, False)
        if any(s >= NAME_MATCH for _, s in whole):
            m = _mention(q.full, [(p, s) for p, s in whole if s >= NAME_MATCH], set())
            ranker.rank(m)
            return m.best, ranker.confidence(m), max(s for p, s in m.cands if p is m.best)
    # the query's structure chose among a name's homonyms (an alternative, a place in
    # parentheses, close spellings inside the area): its pick is ranked as if alone
    alone = bool(q.context) or "/" in query
    anchors: list[tuple[Mention, float]] = []
    for c in q.context:  # (a name in parentheses anchors only when it is a name: an exact or article-less match)
        cands = _cands(gaz, c, area, None, False)
        if any(s >= NAME_MATCH for _, s in cands):
            m = _mention(c, cands, set())
            ranker.rank(m)
            anchors.append((m, ranker.confidence(m)))
    names = [n for n in q.names if n not in q.context and not (q.countryside and n == q.full)]
    if q.full in names and any(s >= NAME_MATCH for _, s in gaz.matches(q.full)):
        # a query that is itself a name (Tall Rif`at, Hama Governorate) is that name first
        names.remove(q.full)
        names.insert(0, q.full)
    types = set(q.feature_types) | (prefer or set())
    for fuzzy in (False, True) if area is not None else (False,):
        for wanted in ([types, None] if types else [None]):
            for name in names:
                cands = _cands(gaz, name, area, wanted, fuzzy)
                if not cands:
                    continue
                m = _mention(name, cands, types)
                ranker.rank(m, anchors=[a.best for a, _ in anchors])
                if anchors and not any(haversine_km(m.best.lat, m.best.lon, a.best.lat, a.best.lon) <= CONTEXT_KM
                                       for a, _ in anchors):
                    near = [p for p, _ in cands if any(haversine_km(p.lat, p.lon, a.best.lat, a.best.lon)
                                                       <= CONTEXT_KM for a, _ in anchors)]
                    if not near:
                        continue
                    m = _mention(name, [(p, s) for p, s in cands if p in near], types)
                    ranker.rank(m, anchors=[a.best for a, _ in anchors])
                if alone or fuzzy:
                    m.score_gap = 1.0
                match = max(s for p, s in m.cands if p is m.best)
                if q.countryside:
                    return countryside_of(gaz, m.best) or m.best, ranker.confidence(m), match
                return m.best, ranker.confidence(m), match
    if anchors:
        a, conf = anchors[0]
        return a.best, conf, max(s for p, s in a.cands if p is a.best)
    return None, 0.0, 0.0
