"""Geoparse throughput and memory on ≥ 20 MB of Arabic news-like text.

The corpus is made of real-sized documents (0.2–5 KB) assembled from
sentences of the project's example documents and, when ../shared is present,
the sample article and the IDRISI dev tweets (read at run time, never copied).
In the same run it prints, on the same text:

(a) a raw normalise + Aho-Corasick scan with the same names (the floor any
    gazetteer matcher pays), and
(b) geotext on English text of the same size (``pip install geotext``),
    with the recall of both on a list of Syrian names.

Each figure is the best of ``--repeat`` runs (default 3): noise from other
processes only ever slows a run down. geoparse_many runs with ``n_jobs=1``:
these are one-core figures, beside one-core baselines (bench/scale.py measures
the pool).

``--against DIR`` measures geoparse_many alone, in one run, for this code and
for the geomap checked out at DIR (e.g. the session-start worktree): each in
its own process (``PYTHONPATH``), interleaved ``--rounds`` times, on the same
corpus; the figure of each is its best.

Usage: python bench/throughput.py [--mb 20] [--gazetteer default|full] [--repeat 3]
       python bench/throughput.py --against /work/wt-start [--mb 10] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys

from pathlib import Path

from _common import EVAL, ROOT, SHARED, Timer, best_of, full_gazetteer, rss_mb

from geomap import geoparse, geoparse_many, load_gazetteer
from geomap.geoparsing.matcher import Matcher, matcher_for
from geomap.text import normalize

SPLIT = re.compile(r"(?<=[.!?؟\n])\s+")


def sentences(lang: str) -> list[str]:
    """A pool of sentences in ``lang`` (ar/en) from the available material."""
    pool: list[str] = []
    for path in sorted((ROOT / "geomap" / "examples").glob("*")):
        if path.suffix in (".txt",):
            text = path.read_text(encoding="utf-8")
            if ("ar" if re.search("[\u0600-\u06ff]", text) else "en") == lang:
                pool += [s for s in SPLIT.split(text) if len(s) > 20]
    if lang == "ar":
        art = SHARED / "samples" / "article_t4_safira.ar.txt"
        if art.is_file():
            pool += [s for s in SPLIT.split(art.read_text(encoding="utf-8")) if len(s) > 20]
        tw = EVAL / "idrisi_ar_train.jsonl"
        if tw.is_file():
            pool += [json.loads(line)["text"] for line in tw.open(encoding="utf-8") if line.strip()]
    return pool


EN_EXTRA = [
    "Shelling hit al-Safira in the eastern Aleppo countryside on Monday, residents said.",
    "Israeli jets struck the T-4 airbase east of Homs, according to a monitor.",
    "Clashes erupted near Palmyra and in the Deir ez-Zor desert, killing several fighters.",
    "Reinforcements arrived in Raqqa after an attack on a checkpoint north of the city.",
    "A car bomb exploded in Azaz, close to the Turkish border, wounding dozens of people.",
    "Protesters gathered in Daraa and Suwayda to demand the release of detainees.",
    "The government said it would reopen the road between Damascus and Beirut next week.",
    "Officials met in Qamishli to discuss water shortages in the Hasakah province.",
]


# sentences without places, so that the English corpus has the density of news
# (about one place name per two sentences), not one per line
EN_FILLER = [
    "The ministry said the figures would be updated as more information became available.",
    "Officials did not respond to requests for comment on Tuesday evening.",
    "Aid agencies warned that supplies of food and medicine were running low.",
    "The statement gave no further details about the casualties or the damage.",
    "Residents described hearing several loud explosions before dawn.",
    "A spokesman said an investigation had been opened into the incident.",
    "Prices of bread and fuel have risen sharply over the past month.",
    "The report could not be independently verified by the news agency.",
    "Local councils have asked for more generators and water tanks.",
    "Talks between the two sides are expected to resume next week.",
]


def corpus(pool: list[str], mb: float, seed: int = 7) -> list[str]:
    """Documents of 0.2–5 KB (tweets to articles) until ``mb`` MB of UTF-8."""
    rnd = random.Random(seed)
    docs, total = [], 0
    while total < mb * 1e6:
        target = rnd.choice([200, 300, 500, 800, 1200, 2000, 3000, 5000])
        parts, size = [], 0
        while size < target:
            s = rnd.choice(pool)
            parts.append(s)
            size += len(s.encode())
        doc = " ".join(parts)
        docs.append(doc)
        total += len(doc.encode())
    return docs


def raw_scan(matcher: Matcher, texts: list[str]) -> int:
    """Baseline (a): normalise, then run the same automaton over the text."""
    n = 0
    auto, latin = matcher.automaton, matcher.latin
    for t in texts:
        mt = " " + normalize(t, words_only=True).text + " "
        for _ in auto.iter(mt):
            n += 1
        for _ in latin.iter(mt):
            n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--gazetteer", default="default", choices=["default", "full"])
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs per figure")
    ap.add_argument("--against", metavar="DIR", help="also time geoparse_many of the geomap at DIR, same run")
    ap.add_argument("--rounds", type=int, default=2, help="with --against: interleaved rounds")
    ap.add_argument("--many-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.against:
        return against(args)
    gaz = load_gazetteer("default") if args.gazetteer == "default" else full_gazetteer()
    if args.many_only:
        ar_docs = corpus(sentences("ar"), args.mb)
        mb = sum(len(d.encode()) for d in ar_docs) / 1e6
        geoparse_many(ar_docs[:50], gazetteer=gaz, n_jobs=1)  # warm caches
        with Timer() as t_first:  # the corpus once (memos kept per gazetteer are cold for it)
            geoparse_many(ar_docs, gazetteer=gaz, n_jobs=1)
        s_many, frame = best_of(args.repeat, lambda: geoparse_many(ar_docs, gazetteer=gaz, n_jobs=1))
        print(json.dumps({"mb": mb, "s": s_many, "mb_s": mb / s_many, "first_mb_s": mb / t_first.s,
                          "mentions": len(frame)}))
        return 0
    with Timer() as t_build:
        matcher = matcher_for(gaz)
    print(f"gazetteer {gaz.name}: {len(gaz)} places; automaton built in {t_build.s:.2f} s")
    ar_docs = corpus(sentences("ar"), args.mb)
    mb = sum(len(d.encode()) for d in ar_docs) / 1e6
    sizes = sorted(len(d.encode()) for d in ar_docs)
    print(f"Arabic corpus: {len(ar_docs)} documents, {mb:.1f} MB (sizes {sizes[0]}–{sizes[-1]} B, "
          f"median {sizes[len(sizes) // 2]} B)")
    geoparse_many(ar_docs[:50], gazetteer=gaz, n_jobs=1)  # warm caches
    s_raw, hits = best_of(args.repeat, lambda: raw_scan(matcher, ar_docs))
    raw = mb / s_raw
    print(f"(a) raw normalise + Aho-Corasick scan : {raw:6.2f} MB/s ({hits} raw hits)")
    s_many, frame = best_of(args.repeat, lambda: geoparse_many(ar_docs, gazetteer=gaz, n_jobs=1))
    many = mb / s_many
    print(f"geoparse_many (corpus of documents)   : {many:6.2f} MB/s = {many / raw:.2f} x (a) "
          f"[goal >= 0.25 x (a)], {len(frame)} mentions, {frame['resolved'].mean():.2f} resolved")
    one_kb = [d for d in ar_docs if 800 <= len(d.encode()) <= 1300]
    mb1 = sum(len(d.encode()) for d in one_kb) / 1e6
    s_1k, _ = best_of(args.repeat, lambda: geoparse_many(one_kb, gazetteer=gaz, n_jobs=1))
    big = "\n\n".join(one_kb)
    s_big, _ = best_of(args.repeat, lambda: geoparse(big, gazetteer=gaz))
    r1k, rbig = mb1 / s_1k, mb1 / s_big
    print(f"geoparse_many on ~1 KB documents      : {r1k:6.2f} MB/s; geoparse on the same as one text: "
          f"{rbig:6.2f} MB/s; ratio {r1k / rbig:.2f} [goal >= 0.5]")
    print(f"peak RSS so far: {rss_mb():.0f} MB")

    # (c) why not pyarabic's normalisers: speed on the same text, and no offsets
    try:
        import pyarabic.araby as araby
    except ImportError:
        print("(c) pyarabic not installed: pip install pyarabic")
    else:
        def pyarabic_norm(t: str) -> str:
            t = araby.strip_tashkeel(araby.strip_tatweel(t))
            return araby.normalize_teh(araby.normalize_alef(araby.normalize_hamza(t)))

        sample = ar_docs[: max(1, len(ar_docs) // 4)]
        mbs = sum(len(d.encode()) for d in sample) / 1e6
        with Timer() as t_pa:
            for d in sample:
                pyarabic_norm(d)
        with Timer() as t_ours:
            for d in sample:
                normalize(d, words_only=True)
        print(f"(c) pyarabic normalise (no offsets): {mbs / t_pa.s:6.2f} MB/s; geomap normalise with offsets: "
              f"{mbs / t_ours.s:6.2f} MB/s")

    # (b) English, beside geotext
    en_docs = corpus(sentences("en") + EN_EXTRA + EN_FILLER * 2, args.mb, seed=11)
    mben = sum(len(d.encode()) for d in en_docs) / 1e6
    s_en, fr_en = best_of(args.repeat, lambda: geoparse_many(en_docs, gazetteer=gaz, n_jobs=1))
    en = mben / s_en
    try:
        from geotext import GeoText
    except ImportError:
        print(f"geoparse_many English: {en:6.2f} MB/s (geotext not installed: pip install geotext)")
    else:
        s_gt, _ = best_of(args.repeat, lambda: [GeoText(d) for d in en_docs])
        gt = mben / s_gt
        print(f"geoparse_many English : {en:6.2f} MB/s; geotext {gt:6.2f} MB/s; ratio {en / gt:.2f} "
              f"[goal >= 0.5]")
        probe = ("Palmyra", "al-Safira", "T-4", "Deir ez-Zor", "Raqqa", "Azaz", "Qamishli", "Homs", "Daraa")
        text = " ".join(f"Fighting was reported in {p} today." for p in probe)
        ours = set(geoparse(text, gazetteer=gaz)["mention"])
        theirs = set(GeoText(text).cities) | set(GeoText(text).countries)
        print(f"recall on {len(probe)} Syrian names: geomap {sum(any(p in m for m in ours) for p in probe)}"
              f"/{len(probe)}, geotext {sum(p in theirs for p in probe)}/{len(probe)} "
              f"(geotext misses: {', '.join(p for p in probe if p not in theirs)})")
    print(f"{len(fr_en)} English mentions; peak RSS {rss_mb():.0f} MB")
    return 0


def against(args: argparse.Namespace) -> int:
    """geoparse_many MB/s of this code and of the code at ``args.against``, interleaved."""
    runs = {"now": str(ROOT), "against": str(Path(args.against).resolve())}
    best: dict[str, dict] = {}
    firsts: dict[str, list[dict]] = {}
    for k in range(args.rounds):
        for label, path in (("against", runs["against"]), ("now", runs["now"])):
            env = {**os.environ, "PYTHONPATH": path}
            out = subprocess.run([sys.executable, __file__, "--many-only", "--mb", str(args.mb), "--repeat",
                                  str(args.repeat), "--gazetteer", args.gazetteer],
                                 env=env, capture_output=True, text=True, check=True).stdout
            got = json.loads(out.strip().splitlines()[-1])
            print(f"round {k + 1} {label:8s} ({path}): {got['mb_s']:.2f} MB/s (first pass {got['first_mb_s']:.2f}), "
                  f"{got['mentions']} mentions")
            firsts.setdefault(label, []).append(got)
            if label not in best or got["mb_s"] > best[label]["mb_s"]:
                best[label] = got
    a, b = best["against"]["mb_s"], best["now"]["mb_s"]
    fa, fb = (max(r["first_mb_s"] for r in firsts[k]) for k in ("against", "now"))
    print(f"geoparse_many, {best['now']['mb']:.1f} MB, one core, best of {args.rounds} x {args.repeat}: "
          f"{runs['against']} {a:.2f} MB/s; this code {b:.2f} MB/s; ratio {b / a:.2f}")
    print(f"  first pass over the corpus (best of {args.rounds}): {fa:.2f} MB/s; this code {fb:.2f} MB/s; "
          f"ratio {fb / fa:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
