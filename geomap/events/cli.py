"""``geomap map`` and ``geomap events`` subcommands.

``add_subcommands(subparsers)`` registers both on an argparse subparsers
object; each sets ``func`` so that ``args.func(args)`` runs the command and
returns the exit code (0 ok, 1 nothing to write, 2 bad arguments).
``python -m geomap.events.cli`` runs them standalone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import GeomapError


class _Usage(Exception):
    """Bad arguments: message for stderr, exit code 2."""


def add_subcommands(subparsers: Any) -> None:
    """Register ``map`` and ``events`` on ``subparsers`` (from ``add_subparsers()``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files (.txt .html .jsonl .csv) or directories")
    common.add_argument("--text-col", default="text", help="text column of CSV/JSONL (default: text)")
    common.add_argument("--date-col", default="date", help="date column (default: date)")
    common.add_argument("--source-col", default="source", help="source column (default: source)")
    common.add_argument("--url-col", default="url", help="URL column (default: url)")
    common.add_argument("--title-col", default="title", help="title column (default: title)")
    common.add_argument("--telegram-channel", default=None, metavar="USERNAME",
                        help="public username of the channel a Telegram export (result.json) comes from, "
                             "for t.me links")
    common.add_argument("--gazetteer", default=None,
                        help="gazetteer name or path, passed to geoparse_many (default: its default)")
    common.add_argument("--mentions", default=None, metavar="FILE",
                        help="precomputed mentions (.parquet/.csv in geoparse_many format) instead of geoparsing")
    common.add_argument("--no-other", action="store_true",
                        help="drop sentences with places but no event keyword")
    common.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: all cores; 1 = in process; "
                             "inputs under 1 MB of text stay in process)")
    common.add_argument("--dask", default=None, metavar="ADDRESS",
                        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
                             "(needs geomap[dask] and the gazetteer on every worker)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    p = subparsers.add_parser("map", parents=[common], help="map incidents from news documents",
                              description="Extract incidents from documents and write an HTML map.")
    p.add_argument("-o", "--output", required=True, help="output HTML file")
    p.add_argument("--layer-by", default="event_type", choices=["event_type", "date", "source"])
    p.add_argument("--cdn", action="store_true",
                   help="load Leaflet and tiles from the network instead of one self-contained file "
                        "(the map is blank without a network)")
    p.add_argument("--offline", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--heat", action="store_true", help="add a heat-map layer")
    p.add_argument("--choropleth", action="store_true", help="add counts per governorate")
    p.add_argument("--no-time", action="store_true", help="no time slider")
    p.add_argument("--boundaries", default=None, metavar="FILE",
                   help="polygons (any format geopandas reads) for the basemap/choropleth")
    p.set_defaults(func=run_map)

    e = subparsers.add_parser("events", parents=[common], help="extract incidents to a file",
                              description="Extract incidents from documents and write them to a file.")
    e.add_argument("-o", "--output", required=True,
                   help="output file: .gpkg, .parquet, .geojson or .csv")
    e.add_argument("--schema", default="geomap", choices=["geomap", "acled"],
                   help="columns to write: geomap's (default) or ACLED's (event_date, event_type, "
                        "sub_event_type, actor1, actor2, admin1-3, location, latitude, longitude, "
                        "geo_precision, source, notes, fatalities)")
    e.set_defaults(func=run_events)


def _check_output(path: str, exts: Sequence[str]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in exts:
        raise _Usage(f"output {path!r} must end with one of {', '.join(exts)}")
    if out.parent.exists() and not out.parent.is_dir():
        raise _Usage(f"{str(out.parent)!r} is not a directory")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)  # like `-o out/map.html` on a fresh checkout
    except OSError as exc:
        raise _Usage(f"cannot create output directory {str(out.parent)!r}: {exc.strerror}") from None
    return out


def _read_mentions(path: str) -> Any:
    import geopandas as gpd
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise _Usage(f"mentions file {path!r} not found")
    if p.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(p)
        except ValueError:
            return pd.read_parquet(p)
    if p.suffix.lower() == ".csv":
        df = pd.read_csv(p)
        if "geometry" in df.columns:
            df["geometry"] = gpd.GeoSeries.from_wkt(df["geometry"].where(df["geometry"].notna(), None))
        return df
    raise _Usage(f"mentions file {path!r}: use .parquet or .csv")


def _extract(args: argparse.Namespace) -> tuple[Any, Any]:
    import warnings

    from ..errors import NoDocumentsWarning, NoEventsWarning
    from . import extract_events, read_documents
    from .documents import iter_documents

    if args.jobs is not None and args.jobs != -1 and args.jobs < 1:
        raise _Usage(f"--jobs must be a positive number or -1, not {args.jobs}")
    if args.dask and args.mentions:
        raise _Usage("--dask and --mentions cannot be combined (precomputed mentions need no cluster)")
    cols = dict(text_col=args.text_col, date_col=args.date_col, source_col=args.source_col,
                url_col=args.url_col, title_col=args.title_col, telegram_channel=args.telegram_channel)
    with warnings.catch_warnings():
        # reported below as messages and a non-zero exit instead
        warnings.simplefilter("ignore", NoDocumentsWarning)
        warnings.simplefilter("ignore", NoEventsWarning)
        if args.mentions:
            ds: Any = read_documents(args.inputs, progress=not args.quiet, **cols)
            _print_skips(ds)
            _check_read(ds, args)
            events = extract_events(ds, mentions=_read_mentions(args.mentions), include_other=not args.no_other)
        elif args.dask:
            ds = read_documents(args.inputs, progress=not args.quiet, **cols)
            _print_skips(ds)
            _check_read(ds, args)
            events = _extract_dask(ds.documents, args)
        else:
            ds = iter_documents(args.inputs, **cols)  # streamed: read as the workers need it
            events = extract_events(ds, gazetteer=args.gazetteer, include_other=not args.no_other,
                                    n_jobs=args.jobs, progress=not args.quiet)
            _print_skips(ds)
            _check_read(ds, args)
    if len(events) == 0:
        from .extract import format_summary, summary

        print(format_summary(summary(events), skipped=ds.n_skipped), file=sys.stderr)
        raise GeomapError(f"no events found in {ds.n_read} document(s); nothing written")
    return ds, events


def _print_skips(ds: Any) -> None:
    for where, reason in ds.skipped:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    for where, msg in ds.warnings:
        print(f"warning {where}: {msg}", file=sys.stderr)
    other = {enc: n for enc, n in ds.encodings.items() if enc != "utf-8"}
    if other:
        print("decoded: " + ", ".join(f"{n} file(s) as {enc}" for enc, n in sorted(other.items())),
              file=sys.stderr)


def _check_read(ds: Any, args: argparse.Namespace) -> None:
    if ds.n_read == 0:
        raise GeomapError(f"no documents read from {', '.join(args.inputs)} ({ds.n_skipped} skipped)")


def _extract_dask(docs: list[Any], args: argparse.Namespace) -> Any:
    try:
        import dask.bag as db

        from ..dask import client_for, extract_events_dask
    except ImportError as e:
        raise GeomapError(f"--dask needs the dask extra: pip install 'geomap[dask]' ({e})") from None
    client = client_for(args.dask, n_workers=None if args.jobs in (None, -1) else args.jobs)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        bag = db.from_sequence(docs, npartitions=max(1, min(len(docs), 4 * n_workers)))
        lazy = extract_events_dask(bag, gazetteer=args.gazetteer or "default", include_other=not args.no_other)
        if not args.quiet:
            from distributed import progress

            fut = client.compute(lazy)
            progress(fut)
            print(file=sys.stderr)
            return fut.result()
        return lazy.compute()
    finally:
        client.close()
        cluster = getattr(client, "_geomap_cluster", None)
        if cluster is not None:
            cluster.close()


def _report(ds: Any, events: Any) -> None:
    from .extract import format_summary, summary

    print(format_summary(summary(events), skipped=ds.n_skipped), file=sys.stderr)


def _run(fn: Any, args: argparse.Namespace) -> int:
    try:
        return fn(args)
    except _Usage as e:
        print(f"geomap {args.command_name}: error: {e}", file=sys.stderr)
        return 2
    except GeomapError as e:
        print(f"geomap {args.command_name}: error: {e}", file=sys.stderr)
        return 1


def run_events(args: argparse.Namespace) -> int:
    """Run ``geomap events``; return the exit code."""
    args.command_name = "events"

    def go(a: argparse.Namespace) -> int:
        from ..maps.io import FORMATS, to_file

        out = _check_output(a.output, sorted(FORMATS))
        ds, events = _extract(a)
        to_file(events, out, schema=getattr(args, "schema", "geomap"))
        _report(ds, events)
        print(f"wrote {len(events)} rows to {out}", file=sys.stderr)
        return 0

    return _run(go, args)


def run_map(args: argparse.Namespace) -> int:
    """Run ``geomap map``; return the exit code."""
    args.command_name = "map"

    def go(a: argparse.Namespace) -> int:
        from ..maps import event_map

        out = _check_output(a.output, [".html", ".htm"])
        boundaries = None
        if a.boundaries:
            import geopandas as gpd

            if not Path(a.boundaries).exists():
                raise _Usage(f"boundaries file {a.boundaries!r} not found")
            boundaries = gpd.read_file(a.boundaries)
        ds, events = _extract(a)
        if a.cdn:
            print("geomap map: warning: --cdn: the map loads Leaflet and tiles from CDNs and shows a blank "
                  "page without a network; leave --cdn out for a self-contained file", file=sys.stderr)
        m = event_map(events, layer_by=a.layer_by, offline=not a.cdn, heat=a.heat,
                      choropleth=a.choropleth, time=not a.no_time, boundaries=boundaries)
        m.save(str(out))
        _report(ds, events)
        print(f"wrote map of {events['event_id'].nunique()} events to {out}", file=sys.stderr)
        return 0

    return _run(go, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m geomap.events.cli {map,events} ...``."""
    parser = argparse.ArgumentParser(prog="geomap")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subcommands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
