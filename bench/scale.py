"""Corpus scale: linear events on long documents, all cores, a Dask LocalCluster.

Prints, in one run (texts built like bench/throughput.py's, from the project's
example documents and, when ../shared is present, the sample article and the
IDRISI dev tweets, read at run time):

1. extract_events on ONE document of 0.5, 1, 2, 4, 8 MB (sentences on one line):
   seconds, the ratio to the previous size (2.0 = linear), peak RSS, and the
   8 MB document against geoparse on the same text (goal: within 3x).
2. geoparse_many and extract_events on >= 20 MB of 0.2-5 KB documents with
   n_jobs=1 and n_jobs=all cores: speed-up (goal >= 0.8 x cores) and equality.
3. extract_events_dask and geoparse_dask on a distributed.LocalCluster
   (processes, one per core) on the same corpus: time and equality with serial.
4. A 20 MB single-line document through extract_events.

Each timing of part 1 is the best of --repeat runs (noise only slows a run
down); the machine is shared, so the load average is printed beside the
figures, and part 2 also prints CPU seconds (the serial run's, the busiest
worker's), whose ratio is the speed-up the pool gives on free cores.

Usage: python bench/scale.py [--mb 20] [--long-mb 20] [--repeat 1] [--no-dask]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from _common import Timer, best_of, rss_mb
from throughput import corpus, sentences

import geomap
from geomap import extract_events, geoparse, geoparse_many, load_gazetteer
from geomap.events import Document


def one_document(pool: list[str], mb: float, seed: int = 3) -> str:
    """One document of ``mb`` MB (UTF-8): sentences of the pool on one line."""
    import random

    rnd = random.Random(seed)
    parts, size = [], 0
    while size < mb * 1e6:
        s = rnd.choice(pool).replace("\n", " ").strip()
        if not s.endswith((".", "!", "?", "؟")):
            s += "."
        parts.append(s)
        size += len(s.encode()) + 1
    return " ".join(parts)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def children_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each live child process (the loky workers), from /proc."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # ppid
            out[int(d)] = (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_run(fn):
    """``(wall s, own CPU s, CPU s of the busiest child, result)`` of ``fn()``."""
    import time

    before, c0, t0 = children_cpu(), time.process_time(), time.perf_counter()
    out = fn()
    wall, own = time.perf_counter() - t0, time.process_time() - c0
    after = children_cpu()
    busiest = max((after[p] - before.get(p, 0.0) for p in after), default=0.0)
    return wall, own, busiest, out


def frames_equal(a, b) -> bool:
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    except AssertionError as e:
        print(f"   DIFFERENT: {str(e)[:300]}")
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size for n_jobs and Dask")
    ap.add_argument("--long-mb", type=float, default=20.0, help="the single-line document of part 4")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--parts", default="1234", help="which parts to run (default: all, 1234)")
    args = ap.parse_args()
    warnings.simplefilter("ignore", geomap.NoEventsWarning)
    warnings.simplefilter("ignore", UserWarning)  # (dask: "large graph", the documents travel in it)
    gaz = load_gazetteer("default")
    pool = sentences("ar")
    cores = os.cpu_count() or 1
    print(f"gazetteer {gaz.name}: {len(gaz)} places; {len(pool)} Arabic sentences in the pool; "
          f"{cores} cores; {load()}")
    geoparse_many([p for p in pool[:50]], gazetteer=gaz, n_jobs=1)  # warm caches

    if "1" in args.parts:
        part1(args, gaz, pool)
    if "2" in args.parts or "3" in args.parts:
        part23(args, gaz, pool, cores)
    if "4" in args.parts:
        part4(args, gaz, pool)
    return 0


def part1(args: argparse.Namespace, gaz, pool: list[str]) -> None:
    print("\n1. extract_events on one document (n_jobs=1)")
    extract_events([Document("warm", one_document(pool, 0.2, seed=9))], gazetteer=gaz, n_jobs=1)  # build caches
    prev = None
    for mb in (0.5, 1, 2, 4, 8):
        doc = Document("long", one_document(pool, mb))
        s, ev = best_of(args.repeat, lambda: extract_events([doc], gazetteer=gaz, n_jobs=1))
        ratio = f"{s / prev:4.2f} x previous" if prev else "       -        "
        info = ev.attrs["geomap_summary"]
        print(f"   {mb:4.1f} MB: {s:6.2f} s  {ratio}  ({info['mentions']} mentions, {info['incidents']} incidents, "
              f"{info['events']} events)  peak RSS {rss_mb():.0f} MB  [{load()}]")
        prev = s
    s_gp, _ = best_of(args.repeat, lambda: geoparse(doc.text, gazetteer=gaz))
    print(f"   8 MB: extract_events {prev:.2f} s vs geoparse {s_gp:.2f} s on the same text: "
          f"{prev / s_gp:.2f} x [goal <= 3]")


def part23(args: argparse.Namespace, gaz, pool: list[str], cores: int) -> None:
    texts = corpus(pool, args.mb)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    print(f"\n2. corpus: {len(texts)} documents, {mb:.1f} MB; n_jobs=1 vs n_jobs={cores}")
    # start the workers (they stay up) and warm both sides on other documents than the timed ones
    warm = corpus(pool, 2, seed=99)
    geoparse_many(warm, gazetteer=gaz, n_jobs=cores)
    geoparse_many(warm, gazetteer=gaz, n_jobs=1)
    # wall clock, and CPU seconds: the serial run's own, and the busiest worker's in the parallel
    # run; on a machine whose cores others use, serial CPU / busiest worker CPU is the speed-up
    # the pool would give on free cores
    s1, c1, _, m1 = cpu_run(lambda: geoparse_many(texts, gazetteer=gaz, n_jobs=1))
    sn, cn, wn, mn = cpu_run(lambda: geoparse_many(texts, gazetteer=gaz, n_jobs=cores))
    print(f"   geoparse_many : {s1:6.2f} s ({mb / s1:.2f} MB/s) vs {sn:6.2f} s ({mb / sn:.2f} MB/s): "
          f"speed-up {s1 / sn:.2f} [goal >= {0.8 * cores:.1f}]; equal: {frames_equal(mn, m1)}  [{load()}]")
    print(f"                   CPU: serial {c1:.2f} s; parallel: busiest worker {wn:.2f} s + main {cn:.2f} s "
          f"-> {c1 / max(wn + cn, 1e-9):.2f} x on free cores")
    del mn
    e1s, e1c, _, e1 = cpu_run(lambda: extract_events(docs, gazetteer=gaz, n_jobs=1))
    ens, enc, enw, en = cpu_run(lambda: extract_events(docs, gazetteer=gaz, n_jobs=cores))
    print(f"   extract_events: {e1s:6.2f} s vs {ens:6.2f} s: speed-up {e1s / ens:.2f}; "
          f"{len(e1)} rows, equal: {frames_equal(en, e1)}  [{load()}]")
    print(f"                   CPU: serial {e1c:.2f} s; parallel: busiest worker {enw:.2f} s + main {enc:.2f} s "
          f"-> {e1c / max(enw + enc, 1e-9):.2f} x on free cores")
    print(f"   peak RSS so far {rss_mb():.0f} MB")

    # 3. Dask ----------------------------------------------------------------------------------
    if "3" in args.parts and not args.no_dask:
        try:
            import dask.bag as db
            from distributed import Client, LocalCluster

            from geomap.dask import extract_events_dask, geoparse_dask
        except ImportError as e:
            print(f"\n3. Dask: not installed ({e}); pip install 'geomap[dask]'")
        else:
            print(f"\n3. Dask LocalCluster, {cores} worker processes, same corpus")
            with Timer() as t_up, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cluster = LocalCluster(n_workers=cores, processes=True, threads_per_worker=1,
                                       dashboard_address=":0")
                client = Client(cluster)
            print(f"   cluster up in {t_up.s:.1f} s")
            try:
                bag = db.from_sequence(docs, npartitions=4 * cores)
                extract_events_dask(db.from_sequence(docs[:200], npartitions=cores)).compute()  # load gazetteers
                sd, ed = best_of(args.repeat, lambda: extract_events_dask(bag).compute())
                print(f"   extract_events_dask: {sd:6.2f} s (serial {e1s:.2f} s: {e1s / sd:.2f} x); "
                      f"equal to serial: {frames_equal(ed, e1)}  [{load()}]")
                bag_t = db.from_sequence(docs, npartitions=4 * cores)
                sg, mg = best_of(args.repeat, lambda: geoparse_dask(bag_t).compute())
                print(f"   geoparse_dask      : {sg:6.2f} s (serial {s1:.2f} s: {s1 / sg:.2f} x); "
                      f"equal to serial: {frames_equal(mg, m1)}  [{load()}]")
            finally:
                client.close()
                cluster.close()


def part4(args: argparse.Namespace, gaz, pool: list[str]) -> None:
    text = one_document(pool, args.long_mb, seed=5)
    assert "\n" not in text
    print(f"\n4. one single-line document of {len(text.encode()) / 1e6:.1f} MB")
    with Timer() as t:
        ev = extract_events([Document("one-line", text)], gazetteer=gaz, n_jobs=1)
    info = ev.attrs["geomap_summary"]
    print(f"   extract_events finished in {t.s:.1f} s ({info['mentions']} mentions, {info['events']} events); "
          f"peak RSS {rss_mb():.0f} MB  [{load()}]")


if __name__ == "__main__":
    sys.exit(main())
