"""Who acted and who was hit: ``actor1`` and ``actor2`` of an incident, from its own words.

The conflict's actors and their Arabic and English names (adjectives included: "طائرات حربية
روسية", "مسيّرة تركية", "the Israeli army") are in ``gazetteer/actors.csv``, one normalised name
each. In an incident's sentences, an actor named right after a target word ("مواقع قسد",
"positions of the SDF", ``gazetteer/actor_roles.csv``) is the one hit (``actor2``); the others
acted, and ``actor1`` is the one nearest the event's keyword — among those named with a strike's
means ("طائرات حربية روسية", "الطيران التركي المسير", "Russian warplanes") when some are. Civilians are never ``actor1``; they
are ``actor2`` when no other actor was hit and the text says the victims were civilians. Nothing
stated gives no actor: never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .phrases import Hit, PhraseIndex, Token, clean, tokenize

CIVILIANS = "Civilians"
#: tokens between a target word and the actor it governs
TARGET_GAP = 2
#: tokens between a means word ("طائرات حربية", "drones") and the actor it names
MEANS_GAP = 2


@lru_cache(maxsize=1)
def _actors() -> PhraseIndex:
    from ..gazetteer.tables import read_table

    return PhraseIndex((r["phrase"], r["actor"]) for r in read_table("actors.csv"))


@lru_cache(maxsize=1)
def _roles() -> PhraseIndex:
    from ..gazetteer.tables import read_table

    return PhraseIndex((r["word"], r["where"]) for r in read_table("actor_roles.csv"))


@lru_cache(maxsize=1)
def actor_names() -> tuple[str, ...]:
    """The normalised actor names, in table order."""
    from ..gazetteer.tables import read_table

    return tuple(dict.fromkeys(r["actor"] for r in read_table("actors.csv")))


def actor_hits(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[Hit, bool]]:
    """Actors named in the ``spans`` of ``text``: each hit and whether it was hit (a target)."""
    return [(h, target) for h, target, _ in _actor_hits(text, spans)]


def _actor_hits(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[Hit, bool, bool]]:
    """Each actor hit, whether it was hit (a target), and whether it names a strike's means."""
    text = clean(text)
    out: list[tuple[Hit, bool, bool]] = []
    for a, b in spans:
        toks: list[Token] = tokenize(text, a, b)
        roles = _roles().find(toks)
        role_ends = {h.j for h in roles if h.payload == "before"}
        role_starts = {h.i for h in roles if h.payload == "after"}
        means = [h for h in roles if h.payload == "means"]
        for h in _actors().find(toks):
            target = (any(h.i - g in role_ends for g in range(TARGET_GAP + 1)) or h.j in role_starts
                      or h.payload == CIVILIANS)
            # Arabic names the means first ("طائرات حربية روسية"); English puts the adjective before it
            after = text[h.start:h.end].isascii()
            armed = not target and any(h.i - MEANS_GAP <= m.j <= h.i or h.i <= m.i < h.j or (after and m.i == h.j)
                                       for m in means)
            out.append((h, target, armed))
    return out


def read_actors(text: str, spans: Sequence[tuple[int, int]], trigger: int | None = None,
                civilians: bool = False) -> tuple[str | None, str | None]:
    """``(actor1, actor2)`` of an incident whose sentences are the ``spans`` of ``text``.

    ``trigger`` is the offset of the event keyword (actor1 is the acting actor nearest it; else
    the first named). ``civilians``: the text says the victims were civilians.

    Examples
    --------
    >>> s = "قصفت القوات التركية مواقع قسد في قرية الدردارة"
    >>> read_actors(s, [(0, len(s))])
    ('Turkey', 'SDF/YPG')
    """
    hits = _actor_hits(text, spans)
    agents = [h for h, target, _ in hits if not target]
    armed = [h for h, _, a in hits if a]
    targets = [h for h, target, _ in hits if target and h.payload != CIVILIANS]
    actor1 = None
    if armed:  # the actor whose aircraft, drone or missiles struck ("طائرات حربية روسية")
        agents = armed
    if agents:
        best = min(agents, key=lambda h: abs(h.start - trigger)) if trigger is not None else agents[0]
        actor1 = best.payload
    actor2 = next((h.payload for h in targets if h.payload != actor1), None)
    if actor2 is None and (civilians or any(h.payload == CIVILIANS for h, _, _ in hits)):
        actor2 = CIVILIANS
    return actor1, actor2


def armed_actor(text: str, spans: Sequence[tuple[int, int]]) -> str | None:
    """The first actor of ``spans`` named with a strike's means ("طائرات حربية روسية"), or None."""
    return next((h.payload for h, _, armed in _actor_hits(text, spans) if armed), None)
