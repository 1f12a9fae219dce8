"""Fit the ranker's weights (geomap/gazetteer/rank.py) and write gazetteer/ranker.json.

Training material: the UCDP GED Syria dev strings in ../shared/eval-dev, each
read by the geoparser in three contexts — alone ("Zayzun village"), with its
governorate as container ("Zayzun village, Daraa Governorate"), and beside
another dev place of the same governorate ("Zayzun village and Tall Shihab": places
news names together are mostly of one governorate, not always of one district), so
the container and co-mention features are fitted too — against both the
default and the full gazetteer. Every candidate of the string's mention is a
row: its features (rank.FEATURES) and whether it lies within 25 km of the gold
point. A logistic regression (scikit-learn) is fitted on them; accuracy is
reported with 5-fold cross-validation grouped by dev string (a string's three
contexts are in the same fold), beside the hand weights it replaces, and the
calibration table of the cross-validated confidences gives the abstain
threshold.

Usage: python bench/fit_ranker.py [--write]   (needs scikit-learn: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict

import numpy as np
from _common import ROOT, full_gazetteer

from accuracy import ged_rows
from geomap import load_gazetteer
from geomap.gazetteer import rank
from geomap.gazetteer.store import haversine_km
from geomap.geoparsing.pipeline import Parser

KM = 25.0
#: features whose weight cannot be positive (the rest cannot be negative)
NEGATIVE = frozenset({"unwanted", "small_abroad", "seat_named", "outside"})
#: features not fitted (see fit_conditional_logit): hand weight on the fitted scale
FIXED = frozenset({"type_prior", "wanted", "unwanted", "population", "seat_named", "countryside_fit",
                   "offset_fit", "user"})
OUT = ROOT / "gazetteer" / "ranker.json"


def examples(gaz, rows: list[dict], seed: int = 7) -> list[dict]:
    """One group per (dev string, context): the candidates' features and labels."""
    parser = Parser(gaz)
    by_adm1 = defaultdict(list)
    for i, r in enumerate(rows):
        by_adm1[r["adm1"]].append(i)
    rnd = random.Random(seed)
    groups = []
    for i, r in enumerate(rows):
        gold = (float(r["gold_lat"]), float(r["gold_lon"]))
        text = r["place_text"]
        contexts = [("plain", text)]
        if r["adm1"].endswith("Governorate"):
            contexts.append(("container", f"{text}, {r['adm1']}"))
        mates = [j for j in by_adm1[r["adm1"]] if j != i and rows[j]["place_text"] != text]
        if mates:
            contexts.append(("neighbour", f"{text} and {rows[rnd.choice(mates)]['place_text']}"))
        for ctx, doc in contexts:
            parser.recorder = []
            parser.parse_one(doc)
            rec = parser.recorder
            parser.recorder = None
            # the string's own mention: the first one ranked that starts inside the string
            target = None
            for m, _, _, _ in rec:
                if m.hit is not None and m.hit.start - 1 < len(text) and not m.is_container:
                    target = m
                    break
            cands: dict[str, tuple] = {}
            for m, p, f, _ in rec:
                if m is target:
                    cands[p.id] = (p, f)  # the last ranking (with the document's anchors) wins
            feats = [f for _, f in cands.values()]
            labels = [haversine_km(p.lat, p.lon, *gold) <= KM for p, _ in cands.values()]
            groups.append({"row": i, "ctx": ctx, "X": feats, "y": labels, "gaz": gaz.name})
    return groups


def fit_conditional_logit(groups: list[dict], l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Weights that make the right candidate the likeliest *among its group*
    (McFadden's conditional logit: a softmax over each mention's candidates),
    an L2 penalty keeping them small, each weight bounded to the sign its
    feature's meaning gives it. Groups with no right candidate or a single
    candidate say nothing about ranking and are left out.

    The features of :data:`FIXED` keep their hand weight on the fitted scale
    (the ratio of the name-match weights): the dev strings are villages of
    Syria, and say nothing of how a bare name splits between a city and its
    governorate or a country (حمص, عمان), of a district named after its town,
    of countryside or direction cues, or of the user's own places; fitted
    freely, those weights drift to whatever the village strings happen to
    favour (measured: a city lost to its governorate, Amman to Oman)."""
    from scipy.optimize import minimize

    gs = [g for g in groups if any(g["y"]) and len(g["y"]) > 1]
    Xs = [np.asarray(g["X"], dtype=float) for g in gs]
    Ys = [np.asarray(g["y"], dtype=bool) for g in gs]
    d = Xs[0].shape[1]
    hand = np.asarray(rank.HAND.coef)
    fixed = np.asarray([name in FIXED for name in rank.FEATURES])

    def solve(offset_w: np.ndarray | None) -> np.ndarray:
        free = ~fixed if offset_w is not None else np.ones(d, dtype=bool)
        off = [X[:, ~free] @ offset_w[~free] if offset_w is not None else np.zeros(len(X)) for X in Xs]
        Xf = [X[:, free] for X in Xs]

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            total, grad = l2 * 0.5 * float(w @ w), l2 * w.copy()
            for X, y, o in zip(Xf, Ys, off, strict=True):
                s = X @ w + o
                e = np.exp(s - s.max())
                z, ep = e.sum(), e[y]
                zp = ep.sum()
                total -= float(np.log(zp) - np.log(z))
                grad -= (ep @ X[y]) / zp - (e @ X) / z
            return total, grad

        # monotone: each feature may only push the way its meaning says (a better name
        # match, a wanted type, the container holding the place never count against it)
        bounds = [(None, 0.0) if name in NEGATIVE else (None, None) if name.startswith("gov:") else (0.0, None)
                  for name, f in zip(rank.FEATURES, free, strict=True) if f]
        res = minimize(loss, np.zeros(int(free.sum())), jac=True, method="L-BFGS-B", bounds=bounds)
        w = np.zeros(d) if offset_w is None else offset_w.copy()
        w[free] = res.x
        return w

    first = solve(None)
    w = solve(hand * (first[0] / hand[0]))
    return w, 0.0


def calibrate(picks: list[tuple[float, float, float, bool]]) -> tuple[float, float, float, float]:
    """Platt scaling: P(right) from the pick's softmax share, name match and whether it
    is *not* a small place outside the document's focus country (a logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    X = np.asarray([[share, match, focus] for share, match, focus, _ in picks])
    y = np.asarray([ok for *_, ok in picks])
    model = LogisticRegression(max_iter=1000).fit(X, y)
    a, b, f = (float(c) for c in model.coef_[0])
    return a, b, f, float(model.intercept_[0])


def pick(group: dict, coef: np.ndarray, intercept: float) -> tuple[int | None, float, float]:
    """Index of the top candidate, its probability and its softmax share."""
    if not group["X"]:
        return None, 0.0, 0.0
    s = np.asarray(group["X"]) @ coef + intercept
    k = int(np.argmax(s))
    share = float(np.exp(s[k] - s.max()) / np.exp(s - s.max()).sum())
    return k, float(1 / (1 + np.exp(-s[k]))), share


def evaluate(groups: list[dict], coef: np.ndarray, intercept: float) -> dict[str, float]:
    by = defaultdict(list)
    for g in groups:
        k, _, _ = pick(g, coef, intercept)
        by[(g["gaz"], g["ctx"])].append(k is not None and g["y"][k])
    return {f"{gz}/{ctx}": float(np.mean(v)) for (gz, ctx), v in sorted(by.items())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write gazetteer/ranker.json")
    args = ap.parse_args()
    try:
        from sklearn.model_selection import GroupKFold
    except ImportError:
        print("scikit-learn is needed: pip install -e '.[bench]'")
        return 2
    rows = [r for r in ged_rows() if int(r["precision_code"]) <= 2]
    gazetteers = [load_gazetteer("default")]
    full = full_gazetteer()
    if full is not None:
        gazetteers.append(full)
    groups = [g for gaz in gazetteers for g in examples(gaz, rows)]
    print(f"{len(rows)} dev strings, {len(groups)} (string, context, gazetteer) groups, "
          f"{sum(len(g['y']) for g in groups)} candidates")
    hand = np.asarray(rank.HAND.coef), rank.HAND.intercept
    print("hand weights      :", evaluate(groups, *hand))

    def fit(gs: list[dict]):
        return fit_conditional_logit(gs)

    def picks_of(gs: list[dict], coef: np.ndarray) -> list[tuple[dict, int | None, float, float]]:
        out = []
        i = {name: rank.FEATURES.index(name) for name in ("small_abroad", "unwanted", "home", "focus")}

        def in_focus(f: list[float]) -> float:  # as Parser._in_focus decides it
            clash = f[i["unwanted"]] and not f[i["home"]] and not f[i["focus"]]
            return 0.0 if f[i["small_abroad"]] or clash else 1.0

        for g in gs:
            k, _, share = pick(g, coef, 0.0)
            out.append((g, k, share, (g["X"][k][0], in_focus(g["X"][k])) if k is not None else (0.0, 0.0)))
        return out

    def platt(share: float, mf: tuple[float, float], cal: tuple[float, float, float, float]) -> float:
        a, m, f, c = cal
        return float(1 / (1 + np.exp(-(a * share + m * mf[0] + f * mf[1] + c))))

    # cross-validation grouped by dev string: ranker and calibration fitted on 4/5, judged on 1/5
    ids = np.asarray([g["row"] for g in groups])
    cv: list[tuple[dict, int | None, float]] = []
    for train, test in GroupKFold(n_splits=5).split(np.zeros(len(groups)), groups=ids):
        tr = [groups[i] for i in train]
        coef, _ = fit(tr)
        cal = calibrate([(s, mt[0], mt[1], g["y"][k]) for g, k, s, mt in picks_of(tr, coef) if k is not None])
        for g, k, s, mt in picks_of([groups[i] for i in test], coef):
            cv.append((g, k, platt(s, mt, cal) if k is not None else 0.0))
    by = defaultdict(list)
    for g, k, _ in cv:
        by[(g["gaz"], g["ctx"])].append(k is not None and g["y"][k])
    print("fitted, 5-fold CV :", {f"{gz}/{ctx}": round(float(np.mean(v)), 3) for (gz, ctx), v in sorted(by.items())})
    print("calibration of the cross-validated confidence (probability the pick is within 25 km):")
    answered = [(p, g["y"][k]) for g, k, p in cv if k is not None]
    edges = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01]
    table = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        inbin = [ok for p, ok in answered if lo <= p < hi]
        share = float(np.mean(inbin)) if inbin else float("nan")
        table.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": len(inbin), "correct": round(share, 3)})
        print(f"  confidence {lo:.1f}–{min(hi, 1.0):.1f}: n={len(inbin):5d}  share correct {share:.3f}")
    hi_conf = [ok for p, ok in answered if p >= 0.8]
    print(f"  answers with confidence >= 0.8: {len(hi_conf)}, {np.mean(hi_conf):.3f} correct (goal >= 0.80)")
    # abstain below the highest confidence under which answers are right less than one time in seven
    abstain = 0.0
    for t in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        below = [ok for p, ok in answered if p < t]
        if below and np.mean(below) < 1 / 7:
            abstain = t
    below = [ok for p, ok in answered if p < abstain]
    print(f"  abstain below {abstain}: {len(below)} answers under it, {np.mean(below) if below else 0:.3f} right")
    coef, b = fit(groups)
    cal = calibrate([(s, mt[0], mt[1], g["y"][k]) for g, k, s, mt in picks_of(groups, coef) if k is not None])
    print("fitted on all     :", {k: round(v, 3) for k, v in evaluate(groups, coef, b).items()})
    for name, c in zip(rank.FEATURES, coef, strict=True):
        print(f"  {name:16s} {c:+.3f}")
    print(f"  calibration: share {cal[0]:+.3f}, match {cal[1]:+.3f}, in focus {cal[2]:+.3f}, intercept {cal[3]:+.3f}")
    if args.write:
        doc = {"features": list(rank.FEATURES), "coef": [round(float(c), 4) for c in coef],
               "intercept": round(b, 4), "abstain_below": abstain,
               "calibration": {"share": round(cal[0], 4), "match": round(cal[1], 4), "in_focus": round(cal[2], 4),
                               "intercept": round(cal[3], 4)},
               "meta": {"fitted": True, "by": "bench/fit_ranker.py", "data": "UCDP GED Syria dev strings "
                        "(plain, with governorate, beside a neighbour), default and full gazetteers",
                        "calibration_cv": table, "km": KM}}
        OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
