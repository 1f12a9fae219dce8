"""Rank stage: features → fitted score → confidence → pick (or, in rows, abstain).

Each candidate's features (:func:`geomap.gazetteer.rank.base_features`, with
the document's context: container, cue, distance to the anchors, focus
country) are scored by the fitted weights (``gazetteer/ranker.json``); the
pick is the best score, its confidence the calibrated softmax share among the
candidates. The feature and weight definitions are
:mod:`geomap.gazetteer.rank` — one module, beside the name index it serves
(``Gazetteer.lookup`` ranks with it too). Memos here are pure functions of the
gazetteer, so a :class:`Ranker` is kept per gazetteer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from geomap.gazetteer import rank
from geomap.gazetteer.distance import haversine_km
from geomap.gazetteer.model import AREA_TYPES, Place
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.store import FUZZY, STRIPPED, Gazetteer
from geomap.geoparsing.mention import Mention, Resolution

#: a city or town abroad this populous is what a lone string of its name means, over a
#: Syrian hamlet of the same name (a village without a population figure)
MAJOR_ABROAD_POP = 50_000
#: the confidence of a bare village (no descriptor, no container) against a cued one
BARE_VILLAGE_FACTOR = 0.95
_BARE_DISCOUNTED = frozenset({"village", "neighbourhood"})
#: a name match at least this good is the name (exact, normalised or article-less), not a close spelling
NAME_MATCH = 0.85
_NO_TYPES: frozenset[str] = frozenset()


@dataclass
class RankMemo:
    """What ranking memoises per gazetteer: a candidate's document-free features
    and score, and the rounding of confidences (pure functions of the gazetteer)."""

    feats: dict[tuple[str, float, frozenset[str]], tuple[list[float], float]] = field(default_factory=dict)
    round3: dict[float, float] = field(default_factory=dict)


class Ranker:
    """Chooses among a mention's candidates, in one gazetteer.

    Made per call (:class:`.pipeline.Parser`): its memo of rankings (which
    depend on each document's anchors and focus) and of distances lives for
    that call; ``shared`` holds the memos that are pure functions of the
    gazetteer and a candidate (its document-free features and score, the
    rounding of confidences), kept per gazetteer.
    """

    def __init__(self, gazetteer: Gazetteer, shared: RankMemo | None = None) -> None:
        self.gaz = gazetteer
        shared = shared if shared is not None else RankMemo()
        self._ranked: dict[tuple, Resolution] = {}
        self._dist: dict[tuple[str, str], float] = {}
        self._feats = shared.feats
        self._round3 = shared.round3

    def rank(self, m: Mention, anchors: Sequence[Place] = (), focus: str | None = None,
             anchor_ids: tuple[str, ...] | None = None, recorder: list | None = None) -> None:
        """Choose ``m.best`` among its candidates (``anchor_ids``: the ids of ``anchors``, if known).

        ``recorder``: a list that gets (mention, place, features, score) of every
        candidate ranked (bench/fit_ranker.py fits the weights on them).
        """
        if len(m.cands) == 1 and recorder is None:
            m.best, m.top, m.score_gap = m.cands[0][0], 1.0, 1.0
            return
        types = m.cue.types or None
        within = m.container.best if m.container is not None and m.container.best is not None else None
        assert m.hit is not None
        if anchor_ids is None:
            anchor_ids = tuple(a.id for a in anchors)
        types_key = frozenset(m.cue.types) if m.cue.types else _NO_TYPES
        # the match scores too: a name written without its article scores its bare matches lower
        memo_key = (m.hit.key, m.hit.entries, tuple(s for _, s in m.cands), m.cue.kind, types_key,
                    within and within.id, anchor_ids, focus,
                    tuple(p.id for p, _ in m.cands) if m.narrowed else None)  # (a sector kept some)
        memo = self._ranked.get(memo_key) if recorder is None else None
        if memo is not None:
            m.resolve(memo)
            return
        dist = self._dist
        feats = self._feats
        cue_kind = m.cue.kind
        cand_ids = {p.id for p, _ in m.cands} if anchors else set()
        scored = []
        for p, match in m.cands:
            key = (p.id, match, types_key)
            got = feats.get(key)
            if got is None:
                f = self.gaz.features(p, match, types)
                got = (f, rank.score(f))  # the document-free part of the score, once per candidate
                if len(feats) < 100_000:
                    feats[key] = got
            f, base = got
            near_km = None
            if anchors and p.feature_type not in AREA_TYPES:  # an area's point says little of its extent
                ds = []
                for a in anchors:
                    if a.id in cand_ids:
                        continue  # the same name read elsewhere is no independent evidence for it

                    pair = (a.id, p.id)
                    d = dist.get(pair)
                    if d is None:
                        d = haversine_km(a.lat, a.lon, p.lat, p.lon)
                        if len(dist) < 500_000:
                            dist[pair] = d
                    ds.append(d)
                near_km = min(ds) if ds else None
            inside = self.gaz.contains(within, p) if within is not None else None
            s = rank.score_in_context(base, p, focus=focus, inside=inside, near_km=near_km, cue_kind=cue_kind)
            if recorder is not None:
                recorder.append((m, p, rank.with_context(f, p, focus=focus, inside=inside, near_km=near_km,
                                                              cue_kind=cue_kind), s))
            scored.append((s, p))
        scored.sort(key=lambda t: -t[0])
        # the pick's softmax share among the candidates (1 when alone)
        got = Resolution(scored[0][1], scored[0][0], rank.share([s for s, _ in scored]) if len(scored) > 1 else 1.0)
        m.resolve(got)
        if len(self._ranked) < 200_000:
            self._ranked[memo_key] = got

    def confidence(self, m: Mention) -> float:
        """The calibrated confidence of ``m``'s pick (3 decimals)."""
        cands = m.cands
        if len(cands) == 1 and cands[0][0] is m.best:
            match = cands[0][1]
        else:
            match = max(s for p, s in cands if p is m.best)
        c = rank.confidence(m.score_gap, match, m.in_focus)  # calibrated on the dev strings
        if not m.in_focus and (match < NAME_MATCH or (m.cue.types and m.best.feature_type not in m.cue.types)):
            # a close spelling of a place abroad the document does not support, or a place abroad of
            # another type than the words ask for (the *village* of X is never a city abroad): no answer
            c = min(c, 0.05)
        if (m.common or m.word) and m.cue.kind is None:
            c *= 0.75
        elif m.cue.kind is None and m.container is None and m.best.feature_type in _BARE_DISCOUNTED:
            c *= BARE_VILLAGE_FACTOR  # «قرية X» says more than a bare X: the incident's place is most often cued
        c = max(0.05, min(0.99, c))
        # round(c, 3) is slow (it goes through the decimal digits) and c takes few values
        r = self._round3.get(c)
        if r is None:
            r = round(c, 3)
            if len(self._round3) < 100_000:
                self._round3[c] = r
        return r


def plausible(gazetteer: Gazetteer, query: str, place: Place, match: float | None = None) -> bool:
    """Whether a place abroad can be what a lone place string means: a place string
    is read as Syrian (geomap's premise) unless it names a country, a province or a
    city abroad by its name. A village or town abroad, a place of another type than
    the string's words ask for ("X village" is not the city of Qom), or a close
    spelling abroad (xyzzy ~ Gaza) is not an answer."""
    if place.country in ("SY", "XZ"):
        return True
    wanted = parse_query(query).feature_types
    if (place.feature_type in rank.SMALL and (place.population or 0) < MAJOR_ABROAD_POP) \
            or (wanted and place.feature_type not in wanted):
        return False  # (a town abroad as populous as a city, Aqaba, is one)
    if match is None:
        match = lookup_confidence(gazetteer, query, place)[1]
    return match >= STRIPPED


def lookup_confidence(gazetteer: Gazetteer, query: str, place: Place, area: Place | None = None,
                       alone: bool = False) -> tuple[float, float]:
    """The ranker's confidence in a lookup answer, and its name match: the share
    of its score among the candidates of the query name it matches best (with
    ``alone``, as if it had no rival: the query's structure — an alternative
    name, a place in parentheses — chose among them)."""
    q = parse_query(query)
    types = q.feature_types or None
    best: tuple[float, list] | None = None
    for name in q.names:
        cands = gazetteer.matches(name)
        if area is not None:  # its rivals are the namesakes inside the area
            cands = [(p, s) for p, s in cands if gazetteer.contains(area, p)]
        mine = [s for p, s in cands if p.id == place.id]
        if mine and (best is None or max(mine) > best[0]):
            best = (max(mine), cands)
    if best is None:  # a close spelling within the area, or a derived place (road, border, sector)
        match = 1.0 if place.id.startswith("geomap-derived") else FUZZY
        return rank.confidence(1.0, match), match
    match, cands = best
    if alone:
        return rank.confidence(1.0, match), match
    scores: dict[str, float] = {}
    for p, s in cands:
        scores[p.id] = max(scores.get(p.id, -1e9), gazetteer.score(p, s, types))
    ids = list(scores)
    return rank.confidence(rank.share([scores[i] for i in ids], ids.index(place.id)), match), match
