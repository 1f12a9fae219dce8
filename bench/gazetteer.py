"""Gazetteer figures: cold load time and RSS (default and full), lookups per
second, and geocode accuracy on the UCDP GED dev strings.

Each cold load runs in a fresh interpreter, beside a baseline interpreter that
only imports geomap, so the RSS figure is what the gazetteer itself adds.

Usage: python bench/gazetteer.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from _common import Timer, full_gazetteer

from geomap import geocode, load_gazetteer

PROBE = r"""
import json, sys, time

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

t0 = time.perf_counter()
import geomap
from geomap.gazetteer.load import load_gazetteer
t1 = time.perf_counter()
rss0 = rss()
if sys.argv[1] != "none":
    g = load_gazetteer(sys.argv[1])
    n = len(g)
else:
    n = 0
t2 = time.perf_counter()
rss1 = rss()
warm = None
if sys.argv[1] != "none":  # again in the same process: the file is in the OS cache, modules imported
    from geomap.gazetteer.load import clear_cache
    clear_cache()
    t3 = time.perf_counter()
    load_gazetteer(sys.argv[1])
    warm = time.perf_counter() - t3
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "warm_s": warm, "rss_mb": rss1,
                  "rss_added_mb": rss1 - rss0, "n": n}))
"""


def cold(source: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, source], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    load_gazetteer("default")  # make sure the default cache exists (first use builds it)
    full = full_gazetteer()
    base = cold("none")
    print(f"baseline: import geomap {base['import_s']:.3f} s, RSS {base['rss_mb']:.0f} MB")
    for source in ("default", "full"):
        if source == "full" and full is None:
            print("full: not available")
            continue
        runs = [cold(source) for _ in range(5)]
        best = min(runs, key=lambda r: r["load_s"])
        warm = min(r["warm_s"] for r in runs)
        goal, warm_goal = (0.5, 0.2) if source == "default" else (1.5, 1.0)
        print(f"{source:8s}: {best['n']:6d} places, cold load (new process) {best['load_s']:.3f} s "
              f"(goal <= {goal} s; median {sorted(r['load_s'] for r in runs)[2]:.3f}), "
              f"warm reload {warm:.3f} s (goal <= {warm_goal} s), "
              f"RSS {best['rss_mb']:.0f} MB (+{best['rss_added_mb']:.0f} MB over baseline)")
    names = ["حمص", "السفيرة", "مطار T-4", "Homs city", "ريف حمص", "Deir ez-Zor", "كفر نبودة", "Abu Kamal",
             "Tiyas Military Airbase (T4)", "Saraqib town", "Hama Governorate", "الصحراء السورية"]
    for source, gaz in (("default", load_gazetteer("default")), ("full", full)):
        if gaz is None:
            continue
        for n in names:  # warm the indexes
            geocode(n, gazetteer=gaz)
        reps = 300
        with Timer() as t:
            for _ in range(reps):
                for n in names:
                    geocode(n, gazetteer=gaz)
        print(f"{source:8s}: geocode {reps * len(names) / t.s:,.0f} lookups/s")
    from accuracy import ged

    for source, gaz in (("default", load_gazetteer("default")), ("full", full)):
        if gaz is None:
            continue
        print(f"== GED accuracy, {source}")
        ged(gaz, 0)
    return 0


if __name__ == "__main__":
    t = time.perf_counter()
    rc = main()
    print(f"(bench took {time.perf_counter() - t:.0f} s)")
    sys.exit(rc)
