"""The records the geoparsing stages pass along (:mod:`geomap.geoparsing.pipeline`).

* :class:`Reading` — one text as the stages see it: its normalised form, its
  mentions and what recognition masked; it lives for one text (no state is
  kept between texts on a stage).
* :class:`Mention` — one place mention as it goes through the stages: its
  name hit, its cue, its candidates ``(Place, match score)`` and, once ranked,
  its :class:`Resolution`. Recognition makes it; context links it (container,
  road end) and may narrow its candidates; rank resolves it; rows read it.
* :class:`Resolution` — what ranking chose (frozen: memoised and shared).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from geomap.gazetteer.model import Place
from geomap.geoparsing.cues import Cue
from geomap.geoparsing.matcher import Hit

#: a candidate of a mention: the place and how well its name matches (1 exact, 0.85 bare...)
Candidate = tuple[Place, float]

SETTLEMENT = ("city", "town", "village", "neighbourhood")
MINOR = frozenset({"village", "neighbourhood", "landmark"})
MINOR_OR_TOWN = MINOR | {"town"}
#: the country a document is taken to be about when none of its places says otherwise
HOME_COUNTRY = "SY"
#: the country code of seas and straits (UN/LOCODE's XZ): they say nothing of a document's country
INTERNATIONAL_WATERS = "XZ"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Ranking's choice for a mention: the best place, its score and its softmax
    share among the candidates (1 when alone)."""

    best: Place
    top: float
    share: float


@dataclass(slots=True)
class Mention:
    """A place mention on its way through the stages (see the module doc)."""

    hit: Hit | None
    cue: Cue
    cands: Sequence[Candidate] = ()  # shared between mentions: never mutated (context may replace it)
    container: Mention | None = None
    is_container: bool = False
    best: Place | None = None
    score_gap: float = 0.0
    top: float = 0.0
    common: bool = False
    reason: str = ""
    road_to: Mention | None = None  # "طريق X - Y": the other end of the road
    border: bool = False  # "X/Y border": road_to is the other side
    in_focus: bool = True  # its best place is not a small place outside the document's focus country
    narrowed: bool = False  # context kept some of its candidates (a sector of a countryside)
    dateline: bool = False  # "BEIRUT (Reuters) -": where the story was filed (role "dateline")
    word: bool = False  # a bare village whose name is also a dictionary word, kept for a neighbour

    def resolve(self, r: Resolution) -> None:
        """Take ranking's choice."""
        self.best, self.top, self.score_gap = r.best, r.top, r.share


@dataclass(slots=True)
class Reading:
    """One text as the stages read it (kept for that text only)."""

    text: str
    nt: Any  # the NormText (offsets kept)
    mt: str  # the padded match text: " " + nt.text + " "
    mentions: list[Mention]
    heads: list[Hit] = field(default_factory=list)  # descriptor words (قرية، مستشفى): unknown names follow them
    masked: list[tuple[int, int]] = field(default_factory=list)  # organisations and persons: no place in there
    unresolved: list[tuple] = field(default_factory=list)  # rows of names read but not placed


class Spans:
    """Spans ``[s, e)`` of a text of ``size`` characters, with an overlap test
    that costs the length of the span tested, not the number of spans."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.taken = bytearray(size)  # 1 where a span lies
        self.spans: list[tuple[int, int]] = []
        self.odd: list[tuple[int, int]] = []  # spans the map cannot hold (empty, or out of range)
        for s, e in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        self.spans.append((s, e))
        if 0 <= s < e <= len(self.taken):
            self.taken[s:e] = b"\x01" * (e - s)
        else:
            self.odd.append((s, e))

    def overlaps(self, a: int, b: int) -> bool:
        """``any(a < e and s < b for s, e in spans)``."""
        if 0 <= a < b <= len(self.taken):
            return self.taken.find(1, a, b) != -1 or any(a < e and s < b for s, e in self.odd)
        return any(a < e and s < b for s, e in self.spans)
