"""Recognise stage: a text's place mentions, from the automaton's hits.

Hits (:mod:`.matcher`) become mentions unless the words around them say
otherwise: a person's title or a given name before the name (tables in
``gazetteer/rules/``), an adjective after its noun, a common word without the
importance or cue a place needs, a name without the article the gazetteer
writes. Then the names one edit from a gazetteer spelling where a name is
expected (after a settlement word, before a Syrian container), and the
capitalised Latin sequences the automaton did not take whole. Each mention's
cue is read here (:func:`.cues.read_cue`). Output: a :class:`.mention.Reading`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace as _replace_fields

from geomap.gazetteer.store import Gazetteer
from geomap.geoparsing.candidates import CandidateFinder
from geomap.geoparsing.context import abroad
from geomap.geoparsing.cues import _read_cue, read_cue, tokens_after, tokens_before, word_before
from geomap.geoparsing.matcher import ADMIN_HEADS, HEAD, NONPLACE, Hit, Matcher, in_compound_hashtag
from geomap.geoparsing.spellings import glue_breaks
from geomap.geoparsing.mention import HOME_COUNTRY, MINOR_OR_TOWN, Mention, Reading, Spans
from geomap.geoparsing.rows import unresolved_row
from geomap.geoparsing.rules import COMPOUND_HEADS, FUNCTION_WORDS, GIVEN_NAMES, HAS_ARABIC_LETTER, HONORIFICS, PERSON_TITLES
from geomap.text import LATIN_ARTICLES, NormText, normalize, strip_article
from geomap.text.normalize import folded_letter

#: a capitalised Latin word sequence, lower-case articles allowed inside (al-Safira, Deir ez-Zor)
_LATIN_ART = "(?:" + "|".join(sorted(LATIN_ARTICLES, key=lambda a: (-len(a), a))) + ")"
_LATIN_WORD = r"[A-Z][^\W\dA-Z_]+(?:['’`][^\W\dA-Z_]+)*"  # Title-case: not KVbY of a URL
_LATIN_SEQUENCE = re.compile(rf"{_LATIN_WORD}(?:(?:[ -]|[ -]{_LATIN_ART}[ -]){_LATIN_WORD}){{0,3}}(?![\w'’`])")
_LATIN_ART_BEFORE = re.compile(rf"(?<![\w'’`-]){_LATIN_ART}-$")
_HAS_LATIN_CAPITAL = re.compile("[A-Z]")


def after_word(text: str, nt, ws: int) -> bool:
    """Whether the word at ``ws`` (in the padded normalised text) follows the
    word before it across spaces only in the original text (not `عبدالعزيز " X`,
    not "، الضحايا", not "#الكويت")."""
    i = start = int(nt.offsets[ws - 1])
    while i > 0 and text[i - 1] == " ":
        i -= 1
    return 0 < i < start and folded_letter(text[i - 1])


class Recogniser:
    """Reads the mentions of texts in one gazetteer (no per-text state kept)."""

    def __init__(self, gazetteer: Gazetteer, matcher: Matcher, common: dict[str, int], words: dict[str, int],
                 candidates: CandidateFinder) -> None:
        self.gaz = gazetteer
        self.matcher = matcher
        self.common = common
        self.words = words
        self.cands = candidates

    def read(self, text: str, nt: NormText | None = None) -> Reading:
        """Normalise ``text`` (unless its ``nt`` is given) and read its place mentions."""
        if nt is None:
            nt = normalize(text, words_only=True)
        breaks = glue_breaks(self.matcher, nt.text)
        if breaks:  # glued tokens: السويداء12، سد تشرينوقتل
            nt = nt.with_breaks(breaks)
        mt = " " + nt.text + " "
        out: list[Mention] = []
        heads: list[Hit] = []
        masked: list[tuple[int, int]] = []  # organisations and persons: no place in there
        for h in self.matcher.find(mt, text, nt.offsets):
            first = h.entries[0][0]
            if first == NONPLACE:
                masked.append((h.word_start, h.end))
                continue
            if first == HEAD:
                heads.append(h)
                continue
            if h.entries[-1][0] == HEAD:  # a head that is also a name (شعيب): read both ways
                heads.append(h)
                h = _replace_fields(h, entries=h.entries[:-1])
            ws, start = h.word_start, h.start
            before = word_before(mt, ws)
            if mt[ws:start] in ("", "ال") and before in PERSON_TITLES:
                masked.append((ws, h.end))
                continue  # الرئيس حماة، President Hama: a person who bears a place's name
            articled = ws != start and "ال" in mt[ws:start]
            if ws == start and h.key.startswith("ال") and h.key.endswith("يه") and before.startswith("ال") \
                    and before.endswith(("ه", "ات")) and len(before) > 4:
                continue  # العاصفة المطرية "the rain storm": an adjective after its noun, not Matariya
            cands, vital, all_bare = self.cands.of_hit(h, articled)
            if mt[ws:start] in ("", "ال") and before in GIVEN_NAMES and after_word(text, nt, ws) \
                    and all(p.feature_type in MINOR_OR_TOWN for p, _ in cands):
                masked.append((ws, h.end))
                continue  # مرزوق الغانم: a family name, not the town
            if h.common and not articled and all_bare:
                continue  # منزله (his house) is not المنزلة without its article
            if h.key in HONORIFICS and h.common:
                nxt = tokens_after(mt, h.end, 1)
                if nxt and nxt[0][0] not in FUNCTION_WORDS and HAS_ARABIC_LETTER.match(nxt[0][0]):
                    continue  # مستشفى الملك فهد: a title before a given name, not the village Al Mulk
            cue = _read_cue(mt, start, h.end, ws, h.key, before)
            if h.common and cue.kind is None:
                # a common word names a place only when the place is important enough
                if not vital:
                    continue
                cands = vital
            while out and cue.left < out[-1].cue.right:
                out.pop()  # the cue's words were read as a place too: "Markaz" of "Markaz Idlib district"
            out.append(Mention(h, cue, cands, common=h.common))
        if out or heads:
            out = self._near_spelled(text, nt, mt, heads, masked, out)
        return Reading(text, nt, mt, out, heads, masked)

    def _near_spelled(self, text: str, nt, mt: str, heads: list[Hit], masked: list[tuple[int, int]],
                      out: list[Mention]) -> list[Mention]:
        """Names one edit from a gazetteer spelling where a name is expected and
        none is read: after a settlement word (قرية معرشرين → معرشورين, بلدة
        كفرنصفرة → كفر نصفرة), or before a Syrian container (معرشرين بريف إدلب,
        then only places of that governorate). Candidates are the Syrian
        settlements so spelled, scored :data:`NEAR_SPELLING_SCORE` (well below an
        exact match); never in a text about another country."""
        if abroad(out):
            return out
        spots: list[tuple[int, str, str | None]] = []  # (start, token, governorate it must be in)
        for h in heads:
            if h.key in ADMIN_HEADS and "ال" not in mt[h.word_start:h.start]:  # (القرية: "the village")
                after = tokens_after(mt, h.end, 2)
                if len(after) == 2 and after[0][0] in COMPOUND_HEADS:  # قرية كفر نصفرة: the two words
                    spots.append((h.end + 1, after[0][0] + " " + after[1][0], None))
                elif after:
                    spots.append((h.end + 1, after[0][0], None))
        for y in out:
            govs = {p.admin1 for p, _ in y.cands if p.country == HOME_COUNTRY and p.admin1
                    and p.feature_type in ("governorate", "region", "city", "district")}
            if y.hit is None or not govs or len(govs) > 1:
                continue
            before = tokens_before(mt, y.hit.word_start, 2)
            if mt[y.hit.word_start:y.hit.start] in ("ب", "وب") and before:
                tok, pos = before[0]
            elif len(before) == 2 and before[0][0] == "في":
                tok, pos = before[1]
            else:
                continue
            spots.append((pos, tok, govs.pop()))
        if not spots:
            return out
        starts = {m.hit.start for m in out if m.hit is not None}
        taken = Spans(len(mt), [(m.cue.left, m.cue.right) for m in out] + masked)
        added = False
        for a, name, gov in spots:
            b = a + len(name)
            if a in starts or taken.overlaps(a, b) or len(name) < (4 if gov is None else 5) \
                    or not HAS_ARABIC_LETTER.match(name) or name in self.words or name in self.common \
                    or strip_article(name) in self.words:
                continue  # a name read already, a short one, or a word
            if in_compound_hashtag(a, b, text, nt.offsets):
                continue
            entries, cands = self.cands.near(name)
            if gov is not None:
                keep = [k for k, (p, _) in enumerate(cands) if p.admin1 == gov]
                entries, cands = tuple(entries[k] for k in keep), tuple(cands[k] for k in keep)
            if not cands:
                continue
            hit = Hit(a, b, a, name, entries, 0)
            cue = _read_cue(mt, a, b, a, name, word_before(mt, a))
            out.append(Mention(hit, cue, cands, reason="near spelling"))
            taken.add(cue.left, cue.right)
            added = True
        if added:
            out.sort(key=lambda m: m.hit.start)
        return out

    def latin_variants(self, r: Reading) -> None:
        """Capitalised Latin names the automaton did not take whole, matched by spelling.

        Transliterations vary ("Jenderis" / Jindayris, "Kafr Nouran" / Kafr
        Nuran): a capitalised word sequence that no name covers exactly is
        looked up whole, consonant skeleton and spelling closeness included,
        and replaces the shorter names inside it ("Kafr" alone is no place).
        A sequence led by a compound head (Tall, Kafr, Jabal...) that matches
        nothing is reported unresolved instead of as its head.

        Sets ``r.mentions`` (text order) and adds the rows of unresolved sequences.
        """
        text, nt, mt, ms = r.text, r.nt, r.mt, r.mentions
        if not _HAS_LATIN_CAPITAL.search(text):
            return
        starts = [m.hit.start for m in ms if m.hit is not None]
        out = list(ms)
        drop: set[int] = set()
        unresolved: list[tuple] = []
        offsets = nt.offsets
        memo = self.cands.latin_memo
        # names the automaton took, by where they start in the text
        named = {int(offsets[m.hit.start - 1]): m.hit.key for m in ms if m.hit is not None}
        for mm in _LATIN_SEQUENCE.finditer(text):
            seq = mm.group()
            got = memo.get(seq)
            if got is not None and not got[1] and not got[2]:
                continue  # most capitalised words: sentence starts, persons, months
            a0, b0 = mm.span()
            if a0 and (text[a0 - 1].isalnum() or text[a0 - 1] in "'’`-/.@#_"):
                continue  # inside a word (McDonald, x-Ray), a link, a handle or a hashtag
            if got is None:
                got = self.cands.latin(seq)
                if not got[1] and not got[2]:
                    continue
            art = _LATIN_ART_BEFORE.search(text, max(0, a0 - 5), a0)
            if art is not None:  # al-Safira: the article belongs to the name
                a0 = art.start()
                got = self.cands.latin(text[a0:b0])
            key, cands, _headed = got
            if named.get(a0) == key:
                continue  # the name itself
            a = int(offsets[:-1].searchsorted(a0)) + 1  # match-text indices
            b = a + len(key)
            if mt[a:b] != key or any(x < b and a < y for x, y in r.masked):
                continue
            i = bisect.bisect_left(starts, a)
            j = bisect.bisect_left(starts, b)
            inside = [k for k in range(max(0, i - 1), j) if ms[k].hit.start < b and a < ms[k].hit.end]
            if any(ms[k].hit.start < a or (ms[k].hit.end > b and not (_headed and cands and ms[k].hit.start > a))
                   for k in inside):
                continue  # a longer name already takes it in (not one that starts after a head: "Ein Issa town")
            if len(inside) == 1 and ms[inside[0]].hit.start == a and ms[inside[0]].hit.end == b:
                continue  # the name itself
            if cands:
                hit = Hit(a, b, a, key, tuple((p.id, sc) for p, sc in cands), 0)
                drop.update(inside)
                out.append(Mention(hit=hit, cue=read_cue(mt, a, b, a, key), cands=cands))
            elif inside and all(ms[k].hit.end - ms[k].hit.start <= len(key.split(" ", 1)[0]) + 3 for k in inside):
                # "Tall as Samn": not the town of At Tall
                drop.update(inside)
                unresolved.append(unresolved_row(text, a0, b0, "not in gazetteer", "name"))
        if drop or len(out) > len(ms):
            out = [m for k, m in enumerate(out) if k not in drop]
            out.sort(key=lambda m: m.hit.start)
        r.mentions = out
        r.unresolved.extend(unresolved)
