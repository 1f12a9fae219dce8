"""Word frequencies (wordfreq) the gazetteer and the geoparser share.

A place whose name is a common word (الشيخ, السلام, جديدة, Said) needs a cue or
importance to be recognised, and a foreign division whose only name is a
common word ("Northern", الشرقية) is left out of the default gazetteer: both
ask the same ranks, kept here so the gazetteer does not import the geoparser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

def _cached_ranks(label: str, build: Callable[[], dict[str, int]]) -> dict[str, int]:
    """Word ranks made by ``build``, kept as JSON in the data directory under a name
    that holds wordfreq's version and the normaliser's hash: loading wordfreq's lists
    and folding them takes a second or more; reading the result back, a tenth."""
    import json
    import os
    from importlib.metadata import PackageNotFoundError, version

    from geomap.gazetteer.paths import data_dir
    from geomap.gazetteer.store import key_scheme

    try:
        path = data_dir() / f"words-{label}-{version('wordfreq')}-{key_scheme()}.json"
    except PackageNotFoundError:  # pragma: no cover - a dependency
        return build()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and all(isinstance(v, int) for v in data.values()):
            return data
    except (OSError, ValueError):
        pass  # absent or damaged: made again
    ranks = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(ranks, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only data directory only costs the time
    return ranks


@lru_cache(maxsize=1)
def common_words() -> dict[str, int]:
    """Frequent Arabic and English words (normalised) → their rank, from wordfreq.

    A place whose name is one of them (الشيخ, السلام, جديدة, Said...) is only
    recognised when it is important enough for its rank, or with a cue.
    """

    def build() -> dict[str, int]:
        from wordfreq import top_n_list

        from geomap.text import normalize

        words: dict[str, int] = {}
        for lang, n in (("ar", 12000), ("en", 25000)):
            # one normalisation pass over the whole list (a call per word costs 100x more)
            folded = normalize("\n".join(top_n_list(lang, n))).text
            for rank, w in enumerate(folded.split("\n")):
                w = w.strip()
                if w and w not in words:
                    words[w] = rank
        return words

    return _cached_ranks("common-ar12000-en25000", build)


#: how many of wordfreq's most frequent Arabic words count as words a village name may be
DICTIONARY_SIZE = 100_000


@lru_cache(maxsize=1)
def dictionary_words() -> dict[str, int]:
    """The :data:`DICTIONARY_SIZE` most frequent Arabic words (normalised) → their rank, from
    wordfreq: a name among them (جروح "wounds") may be a word, not a place."""

    def build() -> dict[str, int]:
        from wordfreq import top_n_list

        from geomap.text import normalize

        ranks: dict[str, int] = {}
        for rank, w in enumerate(normalize("\n".join(top_n_list("ar", DICTIONARY_SIZE))).text.split("\n")):
            ranks.setdefault(w.strip(), rank)
        return ranks

    return _cached_ranks(f"ar{DICTIONARY_SIZE}", build)


#: the rank of a word wordfreq does not list
UNRANKED = 10**9
