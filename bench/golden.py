"""Golden outputs: pin what the geoparser answers while its code moves.

Records, through public APIs only (so the same script runs on any version of
geomap on ``PYTHONPATH``):

* the mention rows of ``geoparse_many(..., n_jobs=1)`` — doc, span, mention,
  place_id, confidence (2 decimals), resolved, reason, precision, role, cue —
  on the project's examples, the sample article, the IDRISI dev tweets and the
  Airwars dev posts (../shared, read at run time, never copied);
* ``geocode`` on the GED dev place strings, plain and with ``within=`` the
  governorate (as bench/accuracy.py reads them) → place id and name.

The file is written OUTSIDE the repository (default /tmp/geomap-golden.jsonl).
``--compare FILE`` runs again and prints, per dataset, the counts first and
then every difference.

Usage:
    python bench/golden.py [--out /tmp/golden-start.jsonl] [--gazetteer default|full]
    python bench/golden.py --compare /tmp/golden-start.jsonl [--out /tmp/golden-now.jsonl]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from _common import EVAL, ROOT, SHARED, Timer

import geomap
from geomap import geocode, geoparse_many, load_gazetteer

FIELDS = ("start", "end", "mention", "place_id", "confidence", "resolved", "reason", "precision", "role", "cue")


def _jsonl_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def datasets() -> dict[str, list[str]]:
    """The texts of each dataset that is present."""
    out: dict[str, list[str]] = {}
    docs = geomap.read_documents(str(ROOT / "geomap" / "examples"))
    out["examples"] = [d.text for d in docs]
    art = SHARED / "samples" / "article_t4_safira.ar.txt"
    if art.is_file():
        out["article"] = [art.read_text(encoding="utf-8")]
    for name, file in (("idrisi", "idrisi_ar_train.jsonl"), ("airwars", "airwars_ar_dev.jsonl")):
        if (EVAL / file).is_file():
            out[name] = _jsonl_texts(EVAL / file)
    return out


def _cell(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, float):
        return None if v != v else v
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v


def mention_rows(name: str, texts: list[str], gaz) -> list[dict]:
    frame = geoparse_many(texts, gazetteer=gaz, n_jobs=1)
    rows = []
    cols = {c: frame[c].tolist() for c in ("doc", *FIELDS) if c in frame.columns}
    for i in range(len(frame)):
        r = {"set": name, "kind": "mention", "doc": int(cols["doc"][i])}
        for c in FIELDS:
            if c in cols:
                v = _cell(cols[c][i])
                if c == "confidence" and v is not None:
                    v = round(float(v), 2)
                r[c] = v
        rows.append(r)
    return rows


def geocode_rows(gaz) -> list[dict]:
    path = EVAL / "ged_syria_places_dev.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        ged = list(csv.DictReader(fh))
    rows = []
    for i, r in enumerate(ged):
        text = r["place_text"]
        adm1 = r["adm1"] if r["adm1"].endswith("Governorate") else None
        for within in (None, adm1) if adm1 else (None,):
            try:
                p = geocode(text, gazetteer=gaz, within=within)
                got = {"place_id": p.id if p else None, "name": p.name if p else None}
            except Exception as e:  # noqa: BLE001 - an error is an answer too
                got = {"error": type(e).__name__}
            rows.append({"set": "ged-within" if within else "ged", "kind": "geocode", "doc": i,
                         "query": text, "within": within, **got})
    return rows


def record(gaz) -> list[dict]:
    rows: list[dict] = []
    for name, texts in datasets().items():
        with Timer() as t:
            rows += mention_rows(name, texts, gaz)
        print(f"  {name}: {len(texts)} texts in {t.s:.1f} s", file=sys.stderr)
    with Timer() as t:
        rows += geocode_rows(gaz)
    print(f"  ged: geocoded in {t.s:.1f} s", file=sys.stderr)
    return rows


def _key(r: dict) -> tuple:
    if r["kind"] == "geocode":
        return (r["set"], r["doc"])
    return (r["set"], r["doc"], r.get("start"), r.get("end"))


def compare(old: list[dict], new: list[dict]) -> int:
    """Print the counts and every difference, by dataset; the number of differences."""
    by_set_old, by_set_new = defaultdict(dict), defaultdict(dict)
    for r in old:
        by_set_old[r["set"]][_key(r)] = r
    for r in new:
        by_set_new[r["set"]][_key(r)] = r
    total = 0
    lines: list[str] = []
    for s in sorted(set(by_set_old) | set(by_set_new)):
        a, b = by_set_old[s], by_set_new[s]
        gone = [k for k in a if k not in b]
        added = [k for k in b if k not in a]
        changed = [k for k in a if k in b and a[k] != b[k]]
        n = len(gone) + len(added) + len(changed)
        total += n
        print(f"{s:12s} rows old={len(a):6d} new={len(b):6d}  differences={n} "
              f"(gone {len(gone)}, new {len(added)}, changed {len(changed)})")
        for k in gone:
            lines.append(f"[{s}] gone   : {a[k]}")
        for k in added:
            lines.append(f"[{s}] new    : {b[k]}")
        for k in changed:
            diff = {f: (a[k].get(f), b[k].get(f)) for f in set(a[k]) | set(b[k]) if a[k].get(f) != b[k].get(f)}
            what = a[k].get("mention") or a[k].get("query")
            lines.append(f"[{s}] changed: doc {a[k]['doc']} {what!r} {k[2:]} {diff}")
    print(f"TOTAL differences: {total}" + (" (identical)" if not total else ""))
    for line in lines:
        print(line)
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/tmp/geomap-golden.jsonl", help="where to write this run (outside the repo)")
    ap.add_argument("--compare", metavar="FILE", help="a golden file to compare this run with")
    ap.add_argument("--gazetteer", default="default", help="a load_gazetteer source (default: default)")
    args = ap.parse_args()
    out = Path(args.out).resolve()
    if ROOT in out.parents:
        ap.error("write the golden file outside the repository")
    print(f"geomap from {Path(geomap.__file__).parent}", file=sys.stderr)
    rows = record(load_gazetteer(args.gazetteer))
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)
    if args.compare:
        with open(args.compare, encoding="utf-8") as fh:
            old = [json.loads(line) for line in fh if line.strip()]
        return 1 if compare(old, rows) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
