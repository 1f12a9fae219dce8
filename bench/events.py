"""Incidents as analysts code them, measured on the Airwars dev posts (before/after in one run).

Each post of ``../shared/eval-dev/airwars_ar_dev.jsonl`` cites one incident whose record (Airwars'
coding) gives a strike type, an alleged belligerent, civilian deaths as min/max and, for 324 posts,
coordinates. ``extract_events`` runs on all posts at once (as a user would run it on a corpus); a post's
events are those listing it in ``doc_ids``, and its *top event* the most confident one. Measured:

* events per post (median, and the share of posts with exactly one);
* placement: the top event within 25 km of the gold point (posts with coordinates), and any event
  within 25 km;
* type: the top event's type is one the strike type allows (:data:`STRIKE_TYPES`; a comma list = any);
* fatalities: the top event's ``fatalities`` lies in [deaths_min, deaths_max] (posts whose record
  gives deaths; an event without a count is a miss);
* actor1: the top event's ``actor1`` is one the belligerent allows (:data:`BELLIGERENTS`; a comma list
  = any; an empty actor is a miss).

*Before* is the session-start code (``--before``, default ``/work/wt-start``) run in a subprocess with
its own ``PYTHONPATH``; *after* is this checkout. Figures overall and per ``source_type``.

Usage: python bench/events.py [--before PATH] [--limit N] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EVAL, ROOT, Timer, need  # noqa: E402

#: Airwars strike types → the geomap event types that agree with them.
STRIKE_TYPES: dict[str, set[str]] = {
    "Airstrike": {"airstrike"},
    "Artillery": {"shelling"},
    "Drone Strike": {"drone"},
    "Airstrike and/or Artillery": {"airstrike", "shelling"},
    "Naval bombardment": {"shelling"},
    "Counter-Terrorism Action (Ground)": {"raid"},
    "Ground operation": {"raid", "clashes", "attack"},  # (shootings by ground forces: ACLED's "Attack")
}

#: Airwars belligerents → geomap's normalised actor names (gazetteer/actors.csv).
BELLIGERENTS: dict[str, set[str]] = {
    "Russian Military": {"Russia"},
    "Turkish Military": {"Turkey"},
    "U.S.-led Coalition": {"US-led coalition"},
    "YPG": {"SDF/YPG"},
    "Kurdish Forces": {"SDF/YPG"},
    "Syrian Democratic Forces": {"SDF/YPG"},
    "Syrian Regime": {"Syrian government"},
    "Israeli Military": {"Israel"},
    "Iranian Military": {"Iran", "Iran-backed militias"},
    "Jordanian Military": {"Jordan"},
    "UK Military": {"US-led coalition"},
}


def posts(limit: int | None = None) -> list[dict]:
    with need(EVAL / "airwars_ar_dev.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return rows[:limit] if limit else rows


def extract(limit: int | None, jobs: int | None, gazetteer: str = "default") -> list[dict]:
    """Per post: its events (type, confidence, lat, lon, actor1, fatalities), with the geomap on the path."""
    import warnings

    from geomap.events import Document, extract_events
    from geomap.events.dates import parse_date_value

    docs = []
    for i, r in enumerate(posts(limit)):
        try:
            date = parse_date_value(r.get("publication_date")) if r.get("publication_date") else None
        except Exception:  # noqa: BLE001 (a date the old reader cannot read: none)
            date = None
        docs.append(Document(doc_id=f"p{i}", text=r["text"] or "", date=date, source=r.get("publisher")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = extract_events(docs, n_jobs=jobs, gazetteer=gazetteer)
    per: list[list[dict]] = [[] for _ in docs]
    cols = [c for c in ("event_id", "event_type", "confidence", "lat", "lon", "actor1", "fatalities")
            if c in ev.columns]
    for rec in ev[cols + ["doc_ids"]].to_dict("records"):
        for d in str(rec.pop("doc_ids")).split("|"):
            per[int(d[1:])].append({k: _plain(v) for k, v in rec.items()})
    return per


def _plain(v):
    if v is None:
        return None
    try:
        if v != v:  # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    return v.item() if hasattr(v, "item") else v


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _allowed(cell: str | None, table: dict[str, set[str]]) -> set[str] | None:
    if not cell:
        return None
    out: set[str] = set()
    for part in cell.split(","):
        out |= table.get(part.strip(), set())
    return out or None


def score(per: list[list[dict]], rows: list[dict]) -> dict[str, dict[str, tuple[float, int]]]:
    """Figures overall (key ``all``) and per source_type: name → (value, n)."""
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for evs, r in zip(per, rows):
        groups = ("all", r.get("source_type") or "?")
        n_ev = len({e["event_id"] for e in evs})
        top = max(evs, key=lambda e: e["confidence"] or 0.0) if evs else None
        vals: dict[str, float] = {"events_per_post": n_ev, "one_event": float(n_ev == 1)}
        if r.get("gold_lat") not in (None, ""):
            g = (float(r["gold_lat"]), float(r["gold_lon"]))
            near = [e for e in evs if e["lat"] is not None and _km(e["lat"], e["lon"], *g) <= 25]
            vals["placement_top"] = float(top is not None and top in near)
            vals["placement_any"] = float(bool(near))
        types = _allowed(r.get("strike_type"), STRIKE_TYPES)
        if types:
            vals["type"] = float(top is not None and top["event_type"] in types)
        if r.get("deaths_min") is not None and r.get("deaths_max") is not None:
            f = top.get("fatalities") if top else None
            vals["fatalities"] = float(f is not None and r["deaths_min"] <= f <= r["deaths_max"])
        actors = _allowed(r.get("belligerent"), BELLIGERENTS)
        if actors:
            vals["actor1"] = float(top is not None and top.get("actor1") in actors)
        for g in groups:
            for k, v in vals.items():
                acc[g][k].append(v)
    out: dict[str, dict[str, tuple[float, int]]] = {}
    for g, d in acc.items():
        out[g] = {k: ((statistics.median(v) if k == "events_per_post" else sum(v) / len(v)), len(v))
                  for k, v in d.items()}
    return out


GOALS = {"events_per_post": ("<=", 2), "placement_top": (">=", 0.85), "type": (">=", 0.80),
         "fatalities": (">=", 0.70), "actor1": (">=", 0.75)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=None, metavar="TREE",
                    help="a checkout of other geomap code (e.g. a worktree of the last release) to compare with")
    ap.add_argument("--limit", type=int, default=None, help="first N posts only")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes of extract_events")
    ap.add_argument("--gazetteer", default="full", help="gazetteer name (default: full; default when not built)")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)  # write per-post events as JSON
    args = ap.parse_args(argv)
    if args.worker:
        Path(args.worker).write_text(json.dumps(extract(args.limit, args.jobs, args.gazetteer)), encoding="utf-8")
        return 0
    rows = posts(args.limit)
    if args.gazetteer == "full":
        from geomap import load_gazetteer
        from geomap.errors import GazetteerNotFound

        try:
            load_gazetteer("full")
        except GazetteerNotFound:
            args.gazetteer = "default"
    print(f"gazetteer: {args.gazetteer}", file=sys.stderr)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "before.json"
        proc = None
        if args.before and Path(args.before, "geomap").is_dir():
            env = dict(os.environ, PYTHONPATH=str(Path(args.before).resolve()))
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(out), "--jobs", str(args.jobs),
                   "--gazetteer", args.gazetteer]
            if args.limit:
                cmd += ["--limit", str(args.limit)]
            proc = subprocess.Popen(cmd, env=env)  # (runs alongside the after extraction)
        with Timer() as t:
            sys.path.insert(0, str(ROOT))
            results["after"] = score(extract(args.limit, args.jobs, args.gazetteer), rows)
        print(f"(after: {t.s:.0f} s)", file=sys.stderr)
        if proc is not None and proc.wait() == 0:
            results["before"] = score(json.loads(out.read_text(encoding="utf-8")), rows)
    print(f"posts: {len(rows)}; goals: " + ", ".join(f"{k} {o} {v}" for k, (o, v) in GOALS.items()))
    groups = ["all"] + sorted(g for g in results["after"] if g != "all")
    names = ["events_per_post", "one_event", "placement_top", "placement_any", "type", "fatalities", "actor1"]
    print(f"{'group':34s} {'figure':16s} {'n':>5s} {'before':>7s} {'after':>7s}")
    for g in groups:
        for k in names:
            a = results["after"].get(g, {}).get(k)
            if a is None:
                continue
            b = results.get("before", {}).get(g, {}).get(k)
            bs = f"{b[0]:7.3f}" if b else "      -"
            mark = ""
            if g == "all" and k in GOALS:
                op, goal = GOALS[k]
                mark = "  ok" if (a[0] <= goal if op == "<=" else a[0] >= goal) else "  MISS"
            print(f"{g:34s} {k:16s} {a[1]:5d} {bs} {a[0]:7.3f}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
