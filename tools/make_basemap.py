"""Regenerate ``gazetteer/basemap_countries.geojson`` from Natural Earth.

The offline basemap's country outlines are Natural Earth 1:50m admin-0
countries (public domain), as packed in TopoJSON by the npm package
``world-atlas`` (ISC licence). This script decodes that TopoJSON, keeps Syria
and the countries around it, clips them to the region, simplifies them and
writes a small GeoJSON with ``iso2``, ``name`` and ``name_ar`` (the Arabic
name from ``gazetteer/countries.csv``, which the project wrote).

Run from the checkout (needs ``npm`` to fetch the package from the registry,
or ``--topojson`` pointing at an unpacked ``countries-50m.json``)::

    python tools/make_basemap.py [--topojson path/to/countries-50m.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gazetteer" / "basemap_countries.geojson"
PACKAGE = "world-atlas@2.0.2"

#: ISO 3166-1 numeric (world-atlas ids) -> alpha-2 of the countries kept.
KEEP = {"760": "SY", "792": "TR", "422": "LB", "376": "IL", "275": "PS", "400": "JO", "368": "IQ",
        "682": "SA", "364": "IR", "818": "EG", "196": "CY", "414": "KW", "051": "AM", "031": "AZ",
        "268": "GE", "300": "GR"}
#: Region kept (lon/lat): wide enough for any view that frames Syria.
CLIP = box(26.0, 26.0, 50.0, 42.5)
SIMPLIFY_DEG = 0.01  # about 1 km: ample at the zooms that show whole countries


def fetch_topojson(workdir: Path) -> Path:
    """``npm pack`` world-atlas into ``workdir`` and return countries-50m.json."""
    subprocess.run(["npm", "pack", PACKAGE], cwd=workdir, check=True, capture_output=True)
    (tgz,) = workdir.glob("world-atlas-*.tgz")
    with tarfile.open(tgz) as tf:
        tf.extract("package/countries-50m.json", workdir, filter="data")
    return workdir / "package" / "countries-50m.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat coordinates of every arc of a quantised TopoJSON."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list, idx: list[int]) -> list[tuple[float, float]]:
    """A ring from arc indexes (a negative index ~i is arc i reversed)."""
    out: list[tuple[float, float]] = []
    for i in idx:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def geometry(g: dict, arcs: list) -> Polygon | MultiPolygon:
    polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
    return shapely.make_valid(MultiPolygon([Polygon(ring(arcs, p[0]), [ring(arcs, h) for h in p[1:]])
                                            for p in polys]))


def arabic_names() -> dict[str, str]:
    with open(ROOT / "gazetteer" / "countries.csv", encoding="utf-8") as f:
        return {r["iso2"]: r["name_ar"] for r in csv.DictReader(f)}


def main(argv: list[str] | None = None) -> int:
    """Write the basemap GeoJSON; returns the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--topojson", type=Path, help="countries-50m.json of world-atlas (default: npm pack it)")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson or fetch_topojson(Path(tmp))
        topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    ar = arabic_names()
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        iso2 = KEEP.get(str(g.get("id")))
        if g["properties"]["name"] == "N. Cyprus":  # drawn with Cyprus, unnamed
            iso2 = "CY"
        if iso2 is None:
            continue
        geom = shapely.intersection(geometry(g, arcs), CLIP)
        geom = shapely.set_precision(shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True), 1e-3)
        if geom.is_empty:
            continue
        feats.append({"type": "Feature",
                      "properties": {"iso2": iso2, "name": g["properties"]["name"] if iso2 != "CY" else "Cyprus",
                                     "name_ar": ar.get(iso2, "")},
                      "geometry": mapping(geom)})
    # one feature per country (Cyprus and N. Cyprus merge)
    merged: dict[str, dict] = {}
    for f in feats:
        k = f["properties"]["iso2"]
        if k in merged:
            u = shapely.union(shapely.geometry.shape(merged[k]["geometry"]), shapely.geometry.shape(f["geometry"]))
            merged[k]["geometry"] = mapping(shapely.set_precision(u, 1e-3))
        else:
            merged[k] = f
    fc = {"type": "FeatureCollection",
          "source": f"Natural Earth 1:50m admin-0 countries (public domain) via npm {PACKAGE}; "
                    "clipped to 26-50E 26-42.5N, simplified 0.01 deg; tools/make_basemap.py",
          "features": sorted(merged.values(), key=lambda f: f["properties"]["iso2"])}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(merged)} countries, {len(text) / 1e3:.0f} KB to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
