"""Word phrases found in text with their offsets (actors, casualty words, place-context words).

A small sibling of the event-type lexicon (:mod:`geomap.events.lexicon`): phrases and text go
through the same normalisation (:func:`geomap.text.normalize_ar`, Arabic clitic prefixes
removed), a phrase's words must follow each other, and a phrase inside a longer one found at
the same place does not count. Offsets are those of the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .lexicon import _norm, _variants

_WORD_RE = re.compile(r"\w+")
# Obfuscated words of Facebook posts ("الـ.ـغارة", "حـ.،.،ـزب", "قـ ـصـ ـف"): the dots and
# spaces between tatweels (never found between tatweels in plain text)
_OBFUSCATION_RE = re.compile(r"(?<=ـ)[.,، ]+(?=ـ)")


def clean(text: str) -> str:
    """``text`` with the dots and spaces of obfuscated words turned into tatweels (same length, same offsets)."""
    return _OBFUSCATION_RE.sub(lambda m: "ـ" * len(m.group()), text) if "ـ" in text else text


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its offsets and its normalised forms (with and without clitics)."""

    start: int
    end: int
    forms: tuple[str, ...]


def tokenize(text: str, a: int = 0, b: int | None = None) -> list[Token]:
    """The words of ``text[a:b]`` with their offsets in ``text``."""
    out: list[Token] = []
    for m in _WORD_RE.finditer(text, a, len(text) if b is None else b):
        n = _norm(m.group()).replace(" ", "")
        if n:
            out.append(Token(m.start(), m.end(), _variants(n)))
    return out


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found: token positions ``i:j``, offsets, and the phrase's payload."""

    i: int
    j: int
    start: int
    end: int
    payload: Any


class PhraseIndex:
    """Phrases (each with a payload) to find in token lists."""

    def __init__(self, phrases: Iterable[tuple[str, Any]]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, payload in phrases:
            toks = tuple(t.forms[-1] if t.forms[0].startswith("ال") else t.forms[0]
                         for t in tokenize(phrase))
            if toks:
                self._index.setdefault(toks[0], []).append((toks, payload))

    def find(self, toks: list[Token]) -> list[Hit]:
        """The phrases among ``toks``, in order, the longest at each place."""
        out: list[Hit] = []
        covered = -1
        for p, tok in enumerate(toks):
            best: tuple[int, Any] | None = None
            for v in tok.forms:
                for pattern, payload in self._index.get(v, ()):
                    n = len(pattern)
                    if p + n <= len(toks) and (best is None or n > best[0]) and all(
                            pattern[k] in toks[p + k].forms for k in range(1, n)):
                        best = (n, payload)
            if best is None or p + best[0] <= covered:
                continue
            covered = p + best[0]
            out.append(Hit(p, p + best[0], tok.start, toks[p + best[0] - 1].end, best[1]))
        return out
