"""Candidates stage: the places a name may be, with a match score each.

Exact and article-less matches of the automaton's hits (a variant name scores
a little less), the one-edit Syrian spellings of a name where one is expected
(:func:`geomap.geoparsing.spellings.near_spellings`), and the spelling-close
places of a capitalised Latin sequence (consonant skeleton included). The
memos are pure functions of the gazetteer and a name, so a
:class:`CandidateFinder` is kept per gazetteer (:mod:`.pipeline`).
"""

from __future__ import annotations

from geomap.gazetteer.model import Place
from geomap.gazetteer.store import VARIANT_PENALTY, Gazetteer
from geomap.geoparsing.matcher import Hit, important
from geomap.geoparsing.spellings import near_spellings
from geomap.geoparsing.mention import HOME_COUNTRY, SETTLEMENT
from geomap.geoparsing.rules import HEAD_VARIANTS, LATIN_HEADS
from geomap.text import normalize, strip_article

#: the match a name with its head spelt another way needs ("Ein Issa" → ‘Ayn ‘Īsá): its very name
HEAD_VARIANT_MIN = 0.85

#: the match score of a name one edit from a gazetteer spelling (an exact match scores 1, a bare one 0.85)
NEAR_SPELLING_SCORE = 0.7
#: the weakest match a capitalised sequence needs to be taken as a place
LATIN_VARIANT_MIN = 0.64
#: a memo stops growing at this many entries (bounded memory on any corpus)
MEMO_MAX = 100_000


class CandidateFinder:
    """The candidates of names in one gazetteer (memoised)."""

    def __init__(self, gazetteer: Gazetteer, common: dict[str, int]) -> None:
        self.gaz = gazetteer
        self.common = common
        self._cands: dict[tuple[str, bool, int], tuple] = {}
        self._near: dict[str, tuple[tuple, tuple[tuple[Place, float], ...]]] = {}
        self.latin_memo: dict[str, tuple[str, list[tuple[Place, float]], bool]] = {}

    def of_hit(self, h: Hit, articled: bool) -> tuple[tuple, tuple, bool]:
        """``(candidates, the important ones, every match bare)`` of a hit's name (memoised).

        A bare (article-less) match scores 0.85 unless the text writes the article;
        a match on a variant name scores a little less (``Gazetteer.variant_penalty``).
        """
        memo_key = (h.key, articled, h.common)
        got = self._cands.get(memo_key)
        if got is None:
            places = [(self.gaz.place_at(i), bare) for i, bare in h.entries]
            key, stripped = h.key, strip_article(h.key)
            own = [not self.gaz.variant_penalty(i, key, stripped) for i, _ in h.entries]
            cands = tuple((p, (0.85 if bare and not articled else 1.0) - (0.0 if o else VARIANT_PENALTY))
                          for (p, bare), o in zip(places, own, strict=True))
            # a common word names, without a cue, a place important enough for its
            # rank and called so, not a settlement that merely bears the word among
            # its variants (بركة "blessing" is a variant of Iraq's Baharka); the
            # variants of countries, provinces and the project's own places are
            # their names (أمريكا، القادسية، سيناء)
            # nor one whose name has an article the text does not write (منزله "his house"
            # is not المنزلة)
            vital = tuple((p, s) for (p, s), o, (_, bare) in zip(cands, own, places, strict=True)
                          if important(p, h.common) and not (bare and not articled)
                          and (o or p.feature_type not in SETTLEMENT or "geomap" in p.sources)) \
                if h.common else cands
            got = (cands, vital, all(bare for _, bare in places))
            if len(self._cands) < MEMO_MAX:
                self._cands[memo_key] = got
        return got

    def near(self, name: str) -> tuple[tuple, tuple[tuple[Place, float], ...]]:
        """``(entries, candidates)``: the Syrian settlements one edit from ``name``
        (see :func:`near_spellings`), their gazetteer positions; memoised."""
        got = self._near.get(name)
        if got is None:
            keys = self.gaz.keys
            found: dict[str, tuple[int, Place]] = {}
            for v in near_spellings(name):
                for i in keys.get(v, ()):
                    p = self.gaz.place_at(i)
                    if p.country == HOME_COUNTRY and p.feature_type in SETTLEMENT:
                        found.setdefault(p.id, (i, p))
            got = (tuple((i, False) for i, _ in found.values()),
                   tuple((p, NEAR_SPELLING_SCORE) for _, p in found.values()))
            if len(self._near) < MEMO_MAX:
                self._near[name] = got
        return got

    def latin(self, seq: str) -> tuple[str, list[tuple[Place, float]], bool]:
        """``(key, places, headed)`` of a capitalised sequence (cached): its
        match-text key, the places it names closely enough to be recognised
        without the automaton, and whether it starts with a compound head."""
        got = self.latin_memo.get(seq)
        if got is not None:
            return got
        key = normalize(seq, words_only=True).text.strip()
        words = key.split()
        cands: list[tuple[Place, float]] = []
        if len("".join(words)) >= 5 and not (len(words) == 1 and key in self.common):
            cands = [(p, sc) for p, sc in self.gaz.matches(key) if sc >= LATIN_VARIANT_MIN]
            if not cands and words[0] in HEAD_VARIANTS:  # "Ein Issa": the head spelt another way
                for head in HEAD_VARIANTS[words[0]]:
                    cands = [(p, sc) for p, sc in self.gaz.matches(" ".join([head, *words[1:]]))
                             if sc >= HEAD_VARIANT_MIN]  # (the name itself: no close spelling of it)
                    if cands:
                        break
            if len(cands) > 1:
                best = max(sc for _, sc in cands)
                cands = [(p, sc) for p, sc in cands if sc >= best - 0.05]
        got = (key, cands, len(words) > 1 and words[0] in LATIN_HEADS)
        if len(self.latin_memo) < MEMO_MAX:
            self.latin_memo[seq] = got
        return got
