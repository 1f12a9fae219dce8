"""``geomap review``: list what to check, take back what the user corrected.

:func:`review_table` lists a corpus's unresolved and low-confidence mentions,
worst first, as a table in the overrides format (:mod:`geomap.geoparsing.overrides`)
with the columns a user fills in left empty; :func:`apply_review` adds the
filled rows to the user's overrides file, which every later geoparse applies.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.geoparsing.overrides import COLUMNS as OVERRIDE_COLUMNS
from geomap.geoparsing.overrides import load_overrides, overrides_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from geomap.gazetteer.store import Gazetteer

#: mentions below this confidence are listed for review
REVIEW_BELOW = 0.6
#: columns of the review table: what to read, then what to fill in (the overrides format)
REVIEW_COLUMNS = ("doc", "snippet", "current_place_id", "current_name", "confidence", "suspicion", "why",
                  "reason", *OVERRIDE_COLUMNS)
_EVENT_FILES = (".gpkg", ".parquet", ".geojson")


def review_table(mentions: pd.DataFrame, texts: Sequence[str] | None = None,
                 sources: Sequence[str | None] | None = None,
                 threshold: float = REVIEW_BELOW, *, doc_ids: Sequence[str] | None = None,
                 gazetteer: Gazetteer | str | None = None) -> pd.DataFrame:
    """Mentions to check, most suspect first, one row per distinct (mention,
    source), with empty ``place_id``/``lat``/``lon``/``not_place`` to fill in.

    A mention is listed when it is unresolved, under ``threshold`` confidence,
    or suspect by a rule of :mod:`geomap.review_rules` (a frequent word, far
    from the document's other places, abroad in a Syrian text, a namesake in
    another governorate, a dateline). ``suspicion`` sums the reasons' weights
    (unresolved counts 1, low confidence its shortfall) and ``why`` lists them.

    ``mentions`` is a ``geoparse_many`` frame (or an events frame with a
    ``mention`` or ``name`` column); ``texts`` give each row a snippet and
    ``doc_ids`` the ``doc`` column (else an events frame's ``doc_id``, else the
    row's document position).
    """
    import pandas as pd

    from geomap.geoparsing.pipeline import gazetteer_of
    from geomap.review_rules import suspicions

    if mentions.empty:
        out = pd.DataFrame(columns=list(REVIEW_COLUMNS))
        out.attrs["corrected"] = 0
        return out
    text_col = "mention" if "mention" in mentions.columns else "name_ar" if "name_ar" in mentions.columns else "name"
    resolved = mentions["resolved"].fillna(False).astype(bool) if "resolved" in mentions.columns \
        else pd.Series(True, index=mentions.index)
    conf = mentions["confidence"].fillna(0.0).astype(float)
    done = mentions["override"].fillna("").astype(bool) if "override" in mentions.columns \
        else pd.Series(False, index=mentions.index)
    role = mentions["role"] if "role" in mentions.columns else pd.Series("place", index=mentions.index)
    suspect = suspicions(mentions, gazetteer_of(gazetteer), list(texts) if texts is not None else None)
    flagged = pd.Series([i in suspect for i in mentions.index], index=mentions.index)
    pick = (~resolved | (conf < threshold) | flagged) & ~done & ((role != "container") | flagged)
    rows = []
    for idx in mentions.index[pick]:
        r = mentions.loc[idx]
        doc = int(r["doc"]) if "doc" in r and r["doc"] == r["doc"] else 0
        snippet = ""
        if texts is not None and doc < len(texts) and "start" in r:
            s, e = int(r["start"]), int(r["end"])
            t = texts[doc]
            snippet = t[max(0, s - 60):s] + "[" + t[s:e] + "]" + t[e:e + 60]
        elif "snippet" in r:
            snippet = r["snippet"]
        src = (sources[doc] if sources is not None and doc < len(sources) else r.get("source")) or ""
        why = [] if resolved[idx] else [("unresolved", 1.0)]
        if resolved[idx] and conf[idx] < threshold:
            why.append((f"confidence {conf[idx]:.2f} < {threshold}", threshold - conf[idx]))
        why += suspect.get(idx, [])
        doc_id = (doc_ids[doc] if doc_ids is not None and doc < len(doc_ids)
                  else r["doc_id"] if "doc_id" in r and r["doc_id"] == r["doc_id"] else doc)
        rows.append({"doc": doc_id, "snippet": " ".join(str(snippet).split()),
                     "current_place_id": r.get("place_id") or "", "current_name": r.get("name") or "",
                     "confidence": round(float(r["confidence"]), 3) if resolved[idx] else 0.0,
                     "suspicion": round(sum(w for _, w in why), 3), "why": "; ".join(t for t, _ in why),
                     "reason": r.get("reason") or ("" if resolved[idx] else "unresolved"),
                     "mention": r[text_col], "context": "", "source": src,
                     "place_id": "", "lat": "", "lon": "", "not_place": "", "note": ""})
    out = pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))
    out = out.sort_values(["suspicion", "confidence"], ascending=[False, True], kind="stable")
    out = out.drop_duplicates(["mention", "source"]).reset_index(drop=True)
    out.attrs["corrected"] = int(done.sum())  # mentions an override already corrected
    return out


def review_inputs(inputs: Sequence[str | os.PathLike], *, gazetteer: str | None = None,
                  threshold: float = REVIEW_BELOW) -> pd.DataFrame:
    """:func:`review_table` of documents (as :func:`geomap.read_documents` reads
    them) or of a mentions/events file (``.gpkg``, ``.parquet``, ``.geojson``)."""
    paths = [Path(p) for p in inputs]
    if len(paths) == 1 and paths[0].suffix.lower() in _EVENT_FILES:
        import geopandas as gpd

        p = paths[0]
        if not p.is_file():
            raise InputError(f"{p}: no such file")
        frame = gpd.read_parquet(p) if p.suffix.lower() == ".parquet" else gpd.read_file(p, engine="pyogrio")
        if "confidence" not in frame.columns:
            raise InputError(f"{p}: not a geomap events or mentions file (no confidence column)")
        return review_table(frame, threshold=threshold, gazetteer=gazetteer)
    from geomap.events.documents import read_documents
    from geomap.geoparsing import geoparse_many

    docs = list(read_documents(paths))
    texts = [d.text for d in docs]
    sources = [d.source for d in docs]
    frame = geoparse_many(texts, gazetteer=gazetteer, sources=sources)
    return review_table(frame, texts, sources, threshold=threshold, doc_ids=[d.doc_id for d in docs],
                        gazetteer=gazetteer)


def apply_review(path: str | os.PathLike, overrides: str | os.PathLike | None = None) -> int:
    """Add the filled rows of a review table to the overrides file; returns how
    many corrections were added (a row the file already holds is not added twice).

    Rows left blank are ignored; a filled row that is wrong (bad coordinates,
    two answers) raises :class:`geomap.InputError` with its line, and nothing is written.
    """
    src = Path(path)
    filled = load_overrides(src)  # validates every row, with line numbers
    if not filled:
        return 0
    target = Path(overrides) if overrides is not None else overrides_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    new = not target.is_file()
    have: set[tuple[str, ...]] = set()
    if not new:
        with target.open(encoding="utf-8-sig", newline="") as fh:
            have = {tuple((r.get(k) or "").strip() for k in OVERRIDE_COLUMNS) for r in csv.DictReader(fh)}
    with src.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh)
                if any((r.get(k) or "").strip() for k in ("place_id", "lat", "lon", "not_place"))]
    added = 0
    with target.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(OVERRIDE_COLUMNS), extrasaction="ignore")
        if new:
            writer.writeheader()
        for r in rows:
            row = tuple((r.get(k) or "").strip() for k in OVERRIDE_COLUMNS)
            if row in have:
                continue
            have.add(row)
            writer.writerow(dict(zip(OVERRIDE_COLUMNS, row)))
            added += 1
    return added
