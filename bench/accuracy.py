"""Accuracy on the dev sets in ../shared/eval-dev, for the default and full gazetteers.

* UCDP GED Syria place strings with gold coordinates: ``geocode`` and
  ``geoparse`` → answered share, acc@10/25/161 km, median km, split by
  precision_code ≤ 2 (exact/near strings) and area rows.
* IDRISI Arabic tweets with gold mention spans: exact and overlap P/R/F1 of
  ``geoparse_many`` mentions.
* Airwars Arabic posts with the incident's coordinates: acc@25 of the
  incident place's mention (defined at ``airwars_records``), per source type
  and per incident; ``--before TREE`` runs the same block on the code of
  another source tree (e.g. a checkout of main) in the same run.

Usage: python bench/accuracy.py [--gazetteer default|full|both] [--errors N]
       [--only ged|idrisi|airwars] [--before TREE] [--fresh-full]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from _common import EVAL, Timer, full_gazetteer, need

from geomap import geocode, geoparse_many, load_gazetteer
from geomap.gazetteer.store import haversine_km
from geomap.text import normalize_key

CLITICS = "وفبلك"  # a gold span after a clitic is a whole word


def ged_rows() -> list[dict[str, str]]:
    with need(EVAL / "ged_syria_places_dev.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def summarise(errors: list[float | None]) -> str:
    n = len(errors)
    got = [e for e in errors if e is not None]
    if not n:
        return "n=0"
    acc = lambda k: sum(1 for e in got if e <= k) / n  # noqa: E731
    med = statistics.median(got) if got else float("nan")
    return (f"n={n:5d} answered={len(got) / n:.3f} acc@10={acc(10):.3f} acc@25={acc(25):.3f} "
            f"acc@161={acc(161):.3f} median_km={med:.1f}")


def _within(adm1: str) -> str | None:
    return adm1 if adm1.endswith("Governorate") else None


def ged(gaz, show_errors: int) -> None:
    rows = ged_rows()
    res: dict[str, list[float | None]] = {k: [] for k in ("exact", "area", "w_exact", "w_area", "d_exact", "d_area", "p_exact", "p_area")}
    misses = []
    with Timer() as t:
        for r in rows:
            gold = (float(r["gold_lat"]), float(r["gold_lon"]))
            kind = "exact" if int(r["precision_code"]) <= 2 else "area"
            place = geocode(r["place_text"], gazetteer=gaz)
            res[kind].append(haversine_km(place.lat, place.lon, *gold) if place else None)
            # the same string with its governorate as `within` (UCDP gives adm1)
            w = _within(r["adm1"])
            placew = geocode(r["place_text"], gazetteer=gaz, within=w) if w else place
            err = haversine_km(placew.lat, placew.lon, *gold) if placew else None
            res["w_" + kind].append(err)
            # and with the district first (UCDP gives adm2), the governorate when it is not known
            placed = None
            if r["adm2"].endswith("district"):
                try:
                    placed = geocode(r["place_text"], gazetteer=gaz, within=r["adm2"])
                except ValueError:
                    placed = None
            placed = placed or placew
            res["d_" + kind].append(haversine_km(placed.lat, placed.lon, *gold) if placed else None)
            if (err is None or err > 25) and kind == "exact":
                misses.append((r["place_text"], r["adm1"], err and round(err), placew and placew.name))
    frame = geoparse_many([r["place_text"] for r in rows], gazetteer=gaz)
    frame = frame[frame["resolved"] & (frame["role"] == "place")]
    first = frame.groupby("doc").first()
    for i, r in enumerate(rows):
        gold = (float(r["gold_lat"]), float(r["gold_lon"]))
        err = haversine_km(first.loc[i, "lat"], first.loc[i, "lon"], *gold) if i in first.index else None
        res["p_exact" if int(r["precision_code"]) <= 2 else "p_area"].append(err)
    print(f"  GED geocode              precision<=2: {summarise(res['exact'])}")
    print(f"  GED geocode              area rows   : {summarise(res['area'])}")
    print(f"  GED geocode within=adm1  precision<=2: {summarise(res['w_exact'])}")
    print(f"  GED geocode within=adm1  area rows   : {summarise(res['w_area'])}")
    print(f"  GED geocode within=adm2  precision<=2: {summarise(res['d_exact'])}")
    print(f"  GED geocode within=adm2  area rows   : {summarise(res['d_area'])}")
    print(f"  GED geoparse             precision<=2: {summarise(res['p_exact'])}")
    print(f"  GED geoparse             area rows   : {summarise(res['p_area'])}")
    # (a few gold points of the dev set lie outside Syria: answers far from those do not count)
    syrian = [30.0 <= float(r["gold_lat"]) <= 37.6 and 35.5 <= float(r["gold_lon"]) <= 42.5
              for r in rows if int(r["precision_code"]) <= 2]
    far = sum(1 for errs in (res["exact"], res["p_exact"]) for e, sy in zip(errs, syrian, strict=True)
              if sy and e is not None and e > 500)
    print(f"  GED answers over 500 km from a Syrian gold point, geocode + geoparse: {far}")
    # calibration: geoparse's confidence of its answers against being within 25 km
    pairs: list[tuple[float, bool]] = []
    for i, r in enumerate(rows):
        if i in first.index:
            gold = (float(r["gold_lat"]), float(r["gold_lon"]))
            pairs.append((float(first.loc[i, "confidence"]),
                          haversine_km(first.loc[i, "lat"], first.loc[i, "lon"], *gold) <= 25))
    cells = []
    for lo, hi in ((0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        got = [ok for c, ok in pairs if lo <= c < hi]
        cells.append(f"{lo:.1f}-{min(hi, 1.0):.1f}: {sum(got) / len(got) if got else float('nan'):.2f} (n={len(got)})")
    print("  GED geoparse calibration, confidence -> share within 25 km: " + "; ".join(cells))
    print(f"  ({len(rows)} strings geocoded twice in {t.s:.2f} s)")
    for m in misses[:show_errors]:
        print("    miss:", m)


def idrisi(gaz, show_errors: int) -> None:
    with need(EVAL / "idrisi_ar_train.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    texts = [r["text"] for r in rows]
    with Timer() as t:
        frame = geoparse_many(texts, gazetteer=gaz)
    pred: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in zip(frame["doc"], frame["start"], frame["end"]):
        pred.setdefault(int(d), []).append((int(s), int(e)))
    tp_e = tp_o_p = tp_o_g = n_pred = n_gold = 0
    fps, fns = [], []
    for i, r in enumerate(rows):
        gold = [(s["start"], s["end"]) for s in r["spans"]]
        p = pred.get(i, [])
        n_pred += len(p)
        n_gold += len(gold)
        tp_e += len(set(p) & set(gold))
        tp_o_p += sum(1 for a in p if any(a[0] < g[1] and g[0] < a[1] for g in gold))
        tp_o_g += sum(1 for g in gold if any(a[0] < g[1] and g[0] < a[1] for a in p))
        fps += [r["text"][a:b] for a, b in p if not any(a < g[1] and g[0] < b for g in gold)]
        fns += [r["text"][a:b] for a, b in gold if not any(x < b and a < y for x, y in p)]

    def prf(tp_p: int, tp_g: int) -> str:
        p = tp_p / n_pred if n_pred else 0.0
        rc = tp_g / n_gold if n_gold else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        return f"P={p:.3f} R={rc:.3f} F1={f:.3f}"

    print(f"  IDRISI exact  : {prf(tp_e, tp_e)}  (pred={n_pred}, gold={n_gold})")
    print(f"  IDRISI overlap: {prf(tp_o_p, tp_o_g)}")
    conventions(rows, pred)
    mb = sum(len(x.encode()) for x in texts) / 1e6
    print(f"  ({len(rows)} tweets, {mb:.2f} MB in {t.s:.2f} s)")
    if show_errors:
        from collections import Counter

        print("    top false positives:", Counter(fps).most_common(show_errors))
        print("    top misses:", Counter(fns).most_common(show_errors))


def conventions(rows: list[dict], pred: dict[int, list[tuple[int, int]]]) -> None:
    """How many overlap errors the gold's annotation habits explain (a diagnostic,
    not the score): the gold marks a name once per tweet (its first mention), almost
    never marks Latin script (3 spans in 3,165 tweets), and marks names inside
    longer words (مصر in مصرع "death", الأردن in الأردني "Jordanian")."""
    repeat = latin = inside = 0
    for i, r in enumerate(rows):
        t = r["text"]
        gold = [(s["start"], s["end"]) for s in r["spans"]]
        marked = {normalize_key(t[a:b]) for a, b in gold}
        for a, b in pred.get(i, []):
            if any(a < g[1] and g[0] < b for g in gold):
                continue
            if normalize_key(t[a:b]) in marked:
                repeat += 1
            elif t[a:b].isascii():
                latin += 1
        for a, b in gold:
            if not any(x < b and a < y for x, y in pred.get(i, [])) and (
                    (b < len(t) and t[b].isalpha()) or (a > 0 and t[a - 1].isalpha() and t[a - 1] not in CLITICS)):
                inside += 1
    print(f"  IDRISI overlap errors of annotation habit: {repeat} false positives repeat a name the "
          f"tweet's gold marks once, {latin} are Latin script; {inside} misses lie inside a longer word")


# --- Airwars: real Arabic posts about Syrian incidents, with the incident's coordinates -------------
#
# Per post (the dev posts with gold_lat/gold_lon), from geoparse_many's resolved mentions:
#   primary : the place-role mention the post would be mapped at: of the resolved place-role
#             mentions at a point (precision exact/near: not a country, governorate or region), the
#             most confident (first in the text on a tie); the most confident area mention when the
#             post has no point. Right when within 25 km of the incident's point.
#   top     : the most confident resolved place-role mention of any precision (a country or
#             governorate named with high confidence wins: the figure of a confidence-only reading).
#   oracle  : any resolved mention (place or container role) within 25 km (an upper bound of ranking
#             among the mentions found: recognition and resolution are right somewhere in the post).
#   named   : on the posts whose text contains a name of the incident record's location_ar (split at
#             commas and "و"/"في"/"بين", lead words such as قرية/ناحية/بالقرب من dropped), a resolved
#             mention containing that name lies within 25 km (is the record's own place read right?).
#   none    : share of posts with no resolved place-role mention.
#   median  : median km of the primary mention, over the posts that have one.
# Incidents repeat across posts: "per incident" counts an incident right when more than half of its
# posts are right (majority), and "macro" averages the per-incident shares of right posts.

AW_SPLIT = re.compile(r"\s*[,،]\s*|\s+(?:في|بين|و)\s+")
AW_AND = re.compile(r"\s+و(?=\S)")  # "X وY": both names, kept beside the unsplit part (وادي, وقود...)
# heads of a two-word name that name no place alone (a piece "X" of "X وY" that is only a head is dropped)
AW_HEADS = ("محطه", "جسر", "سد", "مشفي", "طريق", "باديه", "جمعيه", "مخيم", "حي", "تل", "عين", "كفر", "دير", "ام", "ابو")
# lead words of the record's location field that are not part of a name (the bench's reading of that field)
AW_LEAD = ("بالقرب من", "بالقرب", "قرب", "بين", "محيط", "قرية", "قريه", "بلدة", "بلده", "مدينة", "مدينه", "ناحية",
           "ناحيه", "منطقة", "منطقه", "محافظة", "محافظه", "ريف", "مركز")
AW_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
AW_TOKEN = re.compile(r"[^\W_]+")


def airwars_rows() -> list[dict]:
    """The Airwars dev posts that carry the incident's coordinates."""
    with need(EVAL / "airwars_ar_dev.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if r.get("gold_lat") is not None and r.get("gold_lon") is not None]


def aw_tokens(s: str) -> list[str]:
    """The words of ``s``'s normalised key (hashtag underscores split words)."""
    return AW_TOKEN.findall(normalize_key(s))


def aw_names(location_ar: str) -> list[list[str]]:
    """The names in a record's location_ar, as key tokens."""
    out = []
    parts = AW_SPLIT.split(location_ar or "")
    parts += [piece for part in parts if AW_AND.search(part) for piece in AW_AND.split(part)]
    lead = [aw_tokens(w) for w in AW_LEAD]
    for part in parts:
        toks = aw_tokens(part)
        cut = True
        while toks and cut:
            cut = False
            for w in lead:
                if w and toks[:len(w)] == w and len(toks) > len(w):
                    toks, cut = toks[len(w):], True
                    break
        if toks and not (len(toks) == 1 and toks[0] in AW_HEADS):
            out.append(toks)
    return out


def aw_word(tok: str, name: str) -> bool:
    """``tok`` is the word ``name`` behind clitics (و ب ل ...; لل for ال)."""
    if any(tok == c + name for c in AW_CLITICS):
        return True
    return name.startswith("ال") and any(tok == c + "ل" + name[2:] for c in ("ل", "ول", "فل"))


def aw_has(tokens: list[str], name: list[str]) -> bool:
    """``name`` (key tokens) occurs in ``tokens``, its first word allowed a clitic."""
    n = len(name)
    return any(aw_word(tokens[i], name[0]) and tokens[i + 1:i + n] == name[1:] for i in range(len(tokens) - n + 1))


def airwars_records(rows: list[dict], frame) -> list[dict]:
    """One record per post: the primary mention and its km, the oracle km, the named-mention km."""
    cols = set(frame.columns)
    res = frame[frame["resolved"].astype(bool)] if "resolved" in cols else frame[frame["lat"].notna()]
    by_doc = {int(d): g for d, g in res.groupby("doc")}
    recs = []
    for i, r in enumerate(rows):
        gold = (float(r["gold_lat"]), float(r["gold_lon"]))
        g = by_doc.get(i)
        rec = {"i": i, "incident": r["incident_id"], "source_type": r.get("source_type") or "?",
               "primary": None, "km": None, "top_km": None, "any_km": None, "named_in_text": False, "named_km": None}
        names = aw_names(r.get("location_ar") or "")
        text_toks = aw_tokens(r["text"])
        rec["named_in_text"] = any(aw_has(text_toks, n) for n in names)
        if g is not None:
            kms = [haversine_km(a, b, *gold) for a, b in zip(g["lat"], g["lon"], strict=True)]
            rec["any_km"] = min(kms)
            place = [j for j, role in enumerate(g["role"] if "role" in cols else ["place"] * len(g)) if role == "place"]
            if place:
                conf = list(g["confidence"])
                starts = list(g["start"])
                prec = list(g["precision"]) if "precision" in cols else ["exact"] * len(g)
                rank = lambda k: (-float(conf[k]), int(starts[k]))  # noqa: E731
                rec["top_km"] = kms[min(place, key=rank)]
                points = [k for k in place if prec[k] in ("exact", "near")]
                j = min(points or place, key=rank)
                rec["km"] = kms[j]
                rec["primary"] = {c: g.iloc[j][c] for c in ("mention", "name", "place_id", "confidence", "start", "end")
                                  if c in cols}
            if rec["named_in_text"]:
                named = [k for k, m in enumerate(g["mention"]) if any(aw_has(aw_tokens(m), n) for n in names)]
                if named:
                    rec["named_km"] = min(kms[k] for k in named)
        recs.append(rec)
    return recs


def airwars_figures(recs: list[dict]) -> dict[str, dict]:
    """acc@25 figures over all posts, per source type and per incident."""
    def fig(rs: list[dict]) -> dict:
        n = len(rs)
        if not n:
            return {"n": 0}
        ok = lambda k: k is not None and k <= 25  # noqa: E731
        named = [x for x in rs if x["named_in_text"]]
        got = [x["km"] for x in rs if x["km"] is not None]
        return {"n": n, "primary": sum(ok(x["km"]) for x in rs) / n, "top": sum(ok(x["top_km"]) for x in rs) / n,
                "oracle": sum(ok(x["any_km"]) for x in rs) / n,
                "named_n": len(named), "named": sum(ok(x["named_km"]) for x in named) / len(named) if named else float("nan"),
                "none": sum(x["km"] is None for x in rs) / n,
                "median_km": statistics.median(got) if got else float("nan")}

    out = {"all posts": fig(recs)}
    incidents: dict[str, list[dict]] = {}
    for x in recs:
        incidents.setdefault(x["incident"], []).append(x)
    for kind in ("primary", "oracle"):
        key = "km" if kind == "primary" else "any_km"
        shares = [sum(x[key] is not None and x[key] <= 25 for x in v) / len(v) for v in incidents.values()]
        out.setdefault("incidents", {"n": len(incidents)})
        out["incidents"][kind + " majority"] = sum(s > 0.5 for s in shares) / len(shares)
        out["incidents"][kind + " macro"] = sum(shares) / len(shares)
    for st in sorted({x["source_type"] for x in recs}):
        out[st] = fig([x for x in recs if x["source_type"] == st])
    return out


def airwars_run(gaz) -> dict[str, dict]:
    rows = airwars_rows()
    with Timer() as t:
        frame = geoparse_many([r["text"] for r in rows], gazetteer=gaz)
    figs = airwars_figures(airwars_records(rows, frame))
    figs["all posts"]["seconds"] = t.s
    figs["all posts"]["places"] = len(gaz)
    return figs


def airwars_print(figs: dict[str, dict], label: str = "") -> None:
    for k, f in figs.items():
        if k == "incidents":
            print(f"  Airwars {label}per incident (n={f['n']}): primary majority={f['primary majority']:.3f} "
                  f"macro={f['primary macro']:.3f}; oracle majority={f['oracle majority']:.3f} macro={f['oracle macro']:.3f}")
        elif f["n"]:
            print(f"  Airwars {label}{k:22s} n={f['n']:4d} acc@25 primary={f['primary']:.3f} top={f['top']:.3f} oracle={f['oracle']:.3f} "
                  f"named={f['named']:.3f} (n={f['named_n']}) none={f['none']:.3f} median_km={f['median_km']:.1f}")


def airwars(gaz, label: str, before: str | None, fresh: bool) -> None:
    """The Airwars block; with ``before`` (a source tree), the same block on that code in a subprocess."""
    now = airwars_run(gaz)
    if before is None:
        airwars_print(now)
        print(f"  ({now['all posts']['n']} posts in {now['all posts']['seconds']:.1f} s)")
        return
    env = dict(os.environ, PYTHONPATH=str(Path(before).resolve()))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--only", "airwars", "--gazetteer", label, "--json"]
    out = subprocess.run(cmd + (["--fresh-full"] if fresh else []), env=env, capture_output=True, text=True, check=True)
    then = json.loads(out.stdout.strip().splitlines()[-1]).get(label)
    if then is None:
        print(f"  Airwars before = {before}: its {label} gazetteer is not available")
        airwars_print(now, "after  ")
        return
    print(f"  Airwars before = {before} (its {label} gazetteer: {then['all posts']['places']} places)")
    airwars_print(then, "before ")
    airwars_print(now, "after  ")


def airwars_json(names: list[str], fresh: bool) -> int:
    gazetteers = {name: _load(name, fresh) for name in names}
    print(json.dumps({name: airwars_run(gaz) for name, gaz in gazetteers.items() if gaz is not None}))
    return 0


def _load(name: str, fresh: bool = False):
    if name == "default":
        return load_gazetteer("default")
    return full_gazetteer(rebuild=fresh)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gazetteer", default="both", choices=["default", "full", "both"])
    ap.add_argument("--errors", type=int, default=0, help="print this many misses")
    ap.add_argument("--only", choices=["ged", "idrisi", "airwars"], help="run one block")
    ap.add_argument("--before", metavar="TREE", help="also run the Airwars block on the geomap of this source tree")
    ap.add_argument("--fresh-full", action="store_true",
                    help="build the full gazetteer with this code rather than load the cached build "
                         "(implied by --before, so each side uses its own build)")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # (--before's subprocess)
    args = ap.parse_args()
    names = ["default", "full"] if args.gazetteer == "both" else [args.gazetteer]
    fresh = args.fresh_full or args.before is not None
    if args.json:
        return airwars_json(names, fresh)
    for name in names:
        gaz = _load(name, fresh)
        if gaz is None:
            print(f"{name}: not available (no ../shared/data to build it)")
            continue
        print(f"== gazetteer {name} ({len(gaz)} places)")
        if args.only in (None, "ged"):
            ged(gaz, args.errors)
        if args.only in (None, "idrisi"):
            idrisi(gaz, args.errors)
        if args.only in (None, "airwars"):
            airwars(gaz, name, args.before, fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
