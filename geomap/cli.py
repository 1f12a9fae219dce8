"""The ``geomap`` command: thin argument parsing over the public API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geomap.errors import GeomapError


def _cmd_info(args: argparse.Namespace) -> int:
    from geomap.gazetteer.load import load_gazetteer

    gaz = load_gazetteer(args.gazetteer)
    print(f"gazetteer {gaz.name!r}: {len(gaz)} places")
    for title, counts in (("by feature type", gaz.counts("feature_type")),
                          ("by source", gaz.counts("source")),
                          ("by country", gaz.counts("country"))):
        print(f"{title}:")
        for key, n in counts.most_common(args.top):
            print(f"  {key or '-':<16} {n:>7}")
    with_ar = sum(1 for p in gaz if p.name_ar)
    print(f"with an Arabic name: {with_ar}")
    sy = [p for p in gaz if p.country == "SY"]
    print(f"in Syria: {len(sy)} places, {sum(1 for p in sy if p.name_ar)} with an Arabic name")
    settlements = [p for p in sy if p.feature_type in ("city", "town", "village")]
    with_sub = sum(1 for p in settlements if p.adm3_pcode)
    print(f"Syrian neighbourhoods: {sum(1 for p in sy if p.feature_type == 'neighbourhood')}; "
          f"places with an OCHA P-code of their own: {sum(1 for p in sy if p.pcode)}")
    print(f"Syrian settlements with a subdistrict P-code: {with_sub} of {len(settlements)} "
          f"({with_sub / len(settlements) if settlements else 0:.1%})")
    from geomap.gazetteer.user import stored_files

    files = stored_files()
    print(f"user places ({len(files)} files, `geomap gazetteer add`): "
          f"{sum(1 for p in gaz if 'user' in p.sources)} places")
    for f in files:
        print(f"  {f}")
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from geomap.gazetteer.load import load_gazetteer
    from geomap.gazetteer.user import add_user_places

    got, target = add_user_places(args.file, load_gazetteer("default", user=False), replace=args.replace)
    for err in got.errors:
        print(f"geomap: rejected {args.file}, {err}", file=sys.stderr)
    for kept, ids in got.replaced:
        if args.replace:
            print(f"geomap: {len(ids)} rows of {kept} replaced by {args.file} (removed from {kept})",
                  file=sys.stderr)
        else:
            print(f"geomap: warning: {len(ids)} rows of {args.file} have the id or name and point of rows "
                  f"in {kept}; the file later in name order wins at each load "
                  f"(add --replace to drop the rows of {kept})", file=sys.stderr)
    print(f"{got.summary()}; kept in {target}")
    return 1 if got.errors else 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from geomap.gazetteer.user import remove_user_places

    for name in args.files:
        print(f"removed {remove_user_places(name)}")
    return 0


def _describe(place) -> str:  # noqa: ANN001 - Place, kept import-light
    ar = f" / {place.name_ar}" if place.name_ar else ""
    adm = f" [{place.admin1}]" if place.admin1 else ""
    codes = [f"P-code {place.pcode}"] if place.pcode else []
    if place.adm3_pcode and place.adm3_pcode != place.pcode:
        codes.append(f"subdistrict {place.adm3_pcode}")
    return (f"{place.id:<28} {place.name}{ar} — {place.feature_type}{adm}, "
            f"{place.lat:.4f}, {place.lon:.4f} ({place.precision})" + (f", {', '.join(codes)}" if codes else ""))


def _cmd_lookup(args: argparse.Namespace) -> int:
    from geomap.geoparsing.geocode import geocode
    from geomap.gazetteer.load import load_gazetteer

    gaz = load_gazetteer(args.gazetteer)
    status = 0
    for name in args.names:
        best = gaz.get_pcode(name) or geocode(name, gazetteer=gaz, within=args.within)
        print(f"{name}:")
        if best is None:
            print("  (not found)")
            status = 1
            continue
        print(f"  best: {_describe(best)}")
        if args.all:
            for p in gaz.lookup(name, within=args.within, limit=args.limit):
                if p is not best:
                    print(f"  also: {_describe(p)}")
    return status


def _cmd_build(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from geomap.gazetteer.build import build_full

    given = [n for n in ("wof", "open_syria", "geonames", "syrian_archive", "ocha") if getattr(args, n)]
    bar = tqdm(total=max(1, len(given) + (2 if args.download else 0)), unit="source",
               desc="building gazetteer", disable=args.quiet)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)

    try:
        gaz, report = build_full(wof=args.wof, geonames=args.geonames, open_syria=args.open_syria,
                                 syrian_archive=args.syrian_archive, ocha=args.ocha, download=args.download,
                                 out=args.output, progress=step)
    finally:
        bar.close()
    print(report.summary())
    return 0


def _cmd_export_default(args: argparse.Namespace) -> int:
    from geomap.gazetteer.syria_table import export_syria_table

    path, report = export_syria_table(wof=args.wof, open_syria=args.open_syria, ocha=args.ocha, out=args.output)
    print(report.summary())
    print(f"Syria table written to {path}; see gazetteer/SOURCES.md for attribution")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from geomap.geoparsing.overrides import overrides_path
    from geomap.review import apply_review, review_inputs

    if args.apply:
        n = apply_review(args.apply)
        print(f"{n} corrections applied: added to {overrides_path()}; geoparse, extract_events and the next "
              "`geomap review` apply them from now on")
        return 0
    if not args.inputs:
        print("geomap: error: give documents or an events file to review, or --apply REVIEW.csv", file=sys.stderr)
        return 2
    table = review_inputs(args.inputs, gazetteer=args.gazetteer, threshold=args.threshold)
    table.to_csv(args.output, index=False)
    print(f"{len(table)} mentions to review (unresolved, confidence < {args.threshold}, or suspect: see `why`), "
          f"most suspect first, written to {args.output}; {table.attrs.get('corrected', 0)} mentions corrected by "
          f"your overrides; fill in place_id, lat/lon or not_place, then: geomap review --apply {args.output}")
    return 0


def version() -> str:
    """The installed geomap's version (the package's own when it runs from a checkout)."""
    from importlib import metadata

    from geomap import __version__

    try:
        return metadata.version("geomap")
    except metadata.PackageNotFoundError:
        return __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``geomap`` command."""
    parser = argparse.ArgumentParser(prog="geomap", description="Arabic-first incident mapping.")
    parser.add_argument("--version", action="version", version=f"geomap {version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    gz = sub.add_parser("gazetteer", help="inspect, query or build the gazetteer")
    gsub = gz.add_subparsers(dest="gazetteer_command", required=True)
    info = gsub.add_parser("info", help="counts by type and source")
    info.add_argument("-g", "--gazetteer", default="default", help="default, full, or a file")
    info.add_argument("--top", type=int, default=20)
    info.set_defaults(func=_cmd_info)
    look = gsub.add_parser("lookup", help="geocode place names")
    look.add_argument("names", nargs="+", metavar="NAME")
    look.add_argument("--within", help="an area the place must be in, e.g. 'Hama Governorate'")
    look.add_argument("-g", "--gazetteer", default="default", help="default, full, or a file")
    look.add_argument("--all", action="store_true", help="list the other candidates too")
    look.add_argument("--limit", type=int, default=5)
    look.set_defaults(func=_cmd_lookup)
    build = gsub.add_parser("build", help="build the full gazetteer from public dumps")
    build.add_argument("--wof", help="whosonfirst-data-admin-sy directory or .tar.gz")
    build.add_argument("--geonames", help="GeoNames SY.txt or SY.zip")
    build.add_argument("--open-syria", dest="open_syria", help="Open-Syria geography directory")
    build.add_argument("--syrian-archive", dest="syrian_archive", help="Syrian Archive locations JSON")
    build.add_argument("--ocha", help="directory of OCHA's syr_humanitarian_locations.xlsx and COD-AB zip")
    build.add_argument("--download", action="store_true", help="fetch WOF and GeoNames dumps not given")
    build.add_argument("-o", "--output", help="where to write (default: the user data dir)")
    build.add_argument("-q", "--quiet", action="store_true")
    build.set_defaults(func=_cmd_build)
    add = gsub.add_parser("add", help="add your own places (CSV or GeoJSON) to every later load")
    add.add_argument("file", help="CSV (name_ar, name, type, lat, lon or wkt, parent) or GeoJSON")
    add.add_argument("--replace", action="store_true",
                     help="delete the rows of other kept files that this file's rows repeat (same id, "
                          "or same name and point)")
    add.set_defaults(func=_cmd_add)
    rm = gsub.add_parser("remove", help="stop using a file of places kept by `gazetteer add`")
    rm.add_argument("files", nargs="+", metavar="FILE", help="the file given to `add` (its name) or the kept file")
    rm.set_defaults(func=_cmd_remove)
    export = gsub.add_parser("export-default",
                             help="regenerate the Syria table shipped in the default (gazetteer/syria.csv.gz)")
    export.add_argument("--wof", required=True, help="whosonfirst-data-admin-sy directory or .tar.gz")
    export.add_argument("--open-syria", dest="open_syria", required=True, help="Open-Syria geography directory")
    export.add_argument("--ocha", help="directory of OCHA's syr_humanitarian_locations.xlsx and COD-AB zip "
                                       "(communities, neighbourhoods, P-codes)")
    export.add_argument("-o", "--output", help="where to write (default: gazetteer/syria.csv.gz of the checkout)")
    export.set_defaults(func=_cmd_export_default)

    rev = sub.add_parser("review", help="list mentions to check; feed corrections back",
                         description="List unresolved and low-confidence mentions, worst first, as a CSV "
                                     "to fill in; --apply adds the filled rows to your overrides file.")
    rev.add_argument("inputs", nargs="*", metavar="INPUT", help="documents, or an events/mentions file")
    rev.add_argument("-o", "--output", default="review.csv", help="review table to write (default review.csv)")
    rev.add_argument("--threshold", type=float, default=0.6, help="list mentions below this confidence")
    rev.add_argument("--gazetteer", default=None, help="default, full, or a file")
    rev.add_argument("--apply", metavar="REVIEW_CSV", help="add the filled rows to the overrides file")
    rev.set_defaults(func=_cmd_review)

    try:
        from geomap.events.cli import add_subcommands
    except ImportError:  # events/maps not installed in this build
        pass
    else:
        add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``geomap`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except GeomapError as exc:
        print(f"geomap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
