"""Users' own places: a CSV or GeoJSON of places the gazetteer lacks.

A checkpoint, a camp, a farm, a local name for a neighbourhood: analysts keep
such places by hand. ``geomap gazetteer add my_places.csv`` validates the file
row by row and keeps its good rows in the user data directory
(``<data dir>/user_places/``), where every later :func:`geomap.load_gazetteer`
finds them; ``load_gazetteer("default", extra="my_places.csv")`` adds a file
for one session without keeping it.

Columns (CSV header, or GeoJSON feature properties):

* ``name_ar`` and/or ``name`` — at least one (Arabic, English/Latin);
* ``type`` — a feature type (:data:`geomap.gazetteer.model.FEATURE_TYPES`:
  village, town, neighbourhood, camp, checkpoint, farm, landmark, ...);
* ``lat`` and ``lon`` (WGS84), or ``wkt`` (a WKT point or polygon), or a
  GeoJSON geometry;
* optional ``parent`` — a place id (``wof:...``) or a name the gazetteer
  resolves (``Idlib Governorate``): gives the admin path and country;
* optional ``aliases`` (``|``-separated other names), ``id``, ``country``.

Every bad row is reported with its line (CSV) or feature number (GeoJSON)
and the reason; nothing is dropped silently.

Kept files are read in name order; a row with the id, or the name and point,
of a row of an earlier file replaces it with a warning naming both files
(:func:`merge_user_files`), ``add_user_places(..., replace=True)`` deletes the
rows it repeats from the other kept files, :func:`remove_user_places` drops a
kept file, and a kept file that cannot be read is skipped with a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.gazetteer.model import FEATURE_TYPES, Name, Place
from geomap.gazetteer.rank import USER_SOURCE
from geomap.gazetteer.tables import split_multi
from geomap.text import has_arabic, normalize_key

if TYPE_CHECKING:  # pragma: no cover
    from geomap.gazetteer.store import Gazetteer  # noqa: F401

#: columns written to the user data directory
COLUMNS = ("id", "name_ar", "name", "type", "lat", "lon", "wkt", "parent", "aliases", "country")
#: other headers users write for those columns (geomap's own frames say feature_type)
COLUMN_ALIASES = {"feature_type": "type", "latitude": "lat", "longitude": "lon", "geometry": "wkt"}


@dataclass
class RowError:
    """One rejected row: where it is and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class UserPlaces:
    """What a user file gave: its places and its rejected rows."""

    path: str
    places: list[Place] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: rows of other kept files these places replace: (kept file, [place ids])
    replaced: list[tuple[str, list[str]]] = field(default_factory=list)
    #: headers of the file that name no column geomap reads (their cells are not used)
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: how many rows were kept and rejected, and the columns not read."""
        line = f"{self.path}: {len(self.places)} places kept, {len(self.errors)} rows rejected"
        if self.ignored_columns:
            line += f"; columns not read: {', '.join(self.ignored_columns)} (known: {', '.join(COLUMNS)})"
        return line


def user_dir() -> Path:
    """Folder where ``geomap gazetteer add`` keeps users' places."""
    from geomap.gazetteer.paths import data_dir

    return data_dir() / "user_places"


def stored_files() -> list[Path]:
    """The user place files kept in the data directory, in name order."""
    d = user_dir()
    return sorted(d.glob("*.csv")) if d.is_dir() else []


def read_user_places(path: str | os.PathLike, gazetteer: Gazetteer | None = None) -> UserPlaces:
    """Read and validate a user's CSV or GeoJSON file of places.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, header row) or ``.geojson``/``.json`` file.
    gazetteer
        Resolves ``parent`` values; without one, a row with a parent is rejected.

    Raises
    ------
    InputError
        The file is missing, unreadable or of no known format (bad *rows* are
        reported in the result instead).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file of places")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read it as UTF-8 text ({exc})") from exc
    out = UserPlaces(str(p))
    if p.suffix.lower() in (".geojson", ".json"):
        rows = _geojson_rows(text, p)
    elif p.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"name", "name_ar"} & set(reader.fieldnames):
            raise InputError(f"{p}: a CSV of places needs a header with name_ar and/or name, type, "
                             "lat and lon (or wkt)")
        out.ignored_columns = [c for c in reader.fieldnames if c not in COLUMNS and c not in COLUMN_ALIASES]
        rows = ((f"line {reader.line_num}", _aliased(row)) for row in reader)
    else:
        raise InputError(f"{p}: give a .csv or .geojson file of places")
    seen: set[str] = set()
    for where, row in rows:
        try:
            place = _place(row, gazetteer)
        except ValueError as exc:
            out.errors.append(RowError(where, str(exc)))
            continue
        if place.id in seen:
            out.errors.append(RowError(where, f"repeats place {place.id}"))
            continue
        seen.add(place.id)
        out.places.append(place)
    return out


def _aliased(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its aliased headers (:data:`COLUMN_ALIASES`) under geomap's column names."""
    for alias, col in COLUMN_ALIASES.items():
        if alias in row and not (row.get(col) or "").strip():
            row[col] = row[alias]
    return row


def _geojson_rows(text: str, p: Path) -> Iterable[tuple[str, dict[str, Any]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}: not valid JSON ({exc})") from exc
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise InputError(f"{p}: expected a GeoJSON FeatureCollection")
    for n, feat in enumerate(feats, start=1):
        props = dict(feat.get("properties") or {}) if isinstance(feat, dict) else {}
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if geom:
            try:
                from shapely.geometry import shape

                props["wkt"] = shape(geom).wkt
            except Exception as exc:  # noqa: BLE001 - shapely raises several types for bad input
                props["wkt"] = f"!bad geometry ({exc.__class__.__name__})"
        yield f"feature {n}", _aliased({k: "" if v is None else str(v) for k, v in props.items()})


def _cell(row: dict[str, Any], key: str) -> str:
    return (row.get(key) or "").strip()


def _place(row: dict[str, Any], gazetteer: Gazetteer | None) -> Place:
    name_ar, name = _cell(row, "name_ar"), _cell(row, "name")
    if not name_ar and not name:
        raise ValueError("missing name: give name_ar and/or name")
    if name_ar and not has_arabic(name_ar):
        raise ValueError(f"name_ar {name_ar!r} has no Arabic letters")
    ftype = _cell(row, "type").lower() or "village"
    if ftype not in FEATURE_TYPES:
        raise ValueError(f"unknown type {ftype!r} (one of: {', '.join(FEATURE_TYPES)})")
    geom_wkt = None
    wkt = _cell(row, "wkt")
    if wkt:
        if wkt.startswith("!"):
            raise ValueError(wkt[1:])
        from shapely import from_wkt
        from shapely.errors import ShapelyError

        try:
            g = from_wkt(wkt)
        except (ShapelyError, ValueError) as exc:
            raise ValueError(f"bad WKT ({exc})") from None
        if g.is_empty or not g.is_valid:
            raise ValueError("empty or invalid geometry")
        pt = g if g.geom_type == "Point" else g.representative_point()
        lat, lon = pt.y, pt.x
        if g.geom_type != "Point":
            geom_wkt = g.wkt
    else:
        try:
            lat, lon = float(_cell(row, "lat")), float(_cell(row, "lon"))
        except ValueError:
            raise ValueError(f"bad coordinates lat={_cell(row, 'lat')!r} lon={_cell(row, 'lon')!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
        raise ValueError(f"coordinates out of range lat={lat} lon={lon}")
    country, admin1, admin2 = _cell(row, "country").upper() or None, None, None
    parent = _cell(row, "parent")
    if parent:
        if gazetteer is None:
            raise ValueError(f"parent {parent!r} needs a gazetteer to resolve it")
        found = gazetteer.get(parent)
        if found is None:
            from geomap.gazetteer.lookup import lookup_place

            found = lookup_place(parent, gazetteer=gazetteer)
        if found is None:
            raise ValueError(f"unknown parent {parent!r}")
        country = country or found.country
        admin1 = found.admin1
        admin2 = found.id if found.feature_type == "district" else found.admin2
    names = tuple(Name(a, "ar" if has_arabic(a) else "en", "variant") for a in split_multi(_cell(row, "aliases")))
    pid = _cell(row, "id") or _make_id(name_ar or name, lat, lon)
    if not pid.startswith(f"{USER_SOURCE}:"):
        pid = f"{USER_SOURCE}:{pid}"
    return Place(id=pid, name=name or name_ar, name_ar=name_ar or None, feature_type=ftype,
                 lat=round(lat, 6), lon=round(lon, 6), names=names, country=country or "SY",
                 admin1=admin1, admin2=admin2, geometry_wkt=geom_wkt, sources=(USER_SOURCE,))


def _make_id(name: str, lat: float, lon: float) -> str:
    digest = hashlib.sha1(f"{normalize_key(name)}|{lat:.5f}|{lon:.5f}".encode()).hexdigest()[:10]
    return digest


def _row(p: Place, parent: str) -> list[str]:
    wkt = p.geometry_wkt or ""
    return [p.id, p.name_ar or "", p.name, p.feature_type, f"{p.lat:.6f}", f"{p.lon:.6f}", wkt, parent,
            "|".join(n.text for n in p.names), p.country]


def add_user_places(path: str | os.PathLike, gazetteer: Gazetteer, *,
                    replace: bool = False) -> tuple[UserPlaces, Path]:
    """Validate ``path`` and keep its good rows in the user data directory.

    The kept file is ``<data dir>/user_places/<stem>.csv`` (adding a file of the
    same name again replaces it). A row with the id, or the name and point, of a
    row in another kept file replaces that row at every load (a
    :class:`~geomap.gazetteer.load.UserPlacesWarning` names both files); with
    ``replace=True`` those older rows are deleted from their files instead (a
    file left empty is removed). Returns the validation result and where the
    places were kept; ``result.replaced`` lists what the new rows replace.
    """
    got = read_user_places(path, gazetteer)
    parents = {}
    src = Path(path)
    if src.suffix.lower() == ".csv":  # keep the parent as the user wrote it
        with src.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if _cell(row, "parent"):
                    try:
                        parents[_place({**row, "parent": ""}, None).id] = _cell(row, "parent")
                    except ValueError:
                        pass
    target = user_dir() / f"{src.stem}.csv"
    new_keys = {k for p in got.places for k in identity(p)}
    for kept in stored_files():
        if kept == target:
            continue
        old_rows = _kept_rows(kept)
        if old_rows is None:
            continue  # unreadable: load_gazetteer skips it with a warning
        same = [(pid, row) for pid, row, keys in old_rows if keys & new_keys]
        if not same:
            continue
        got.replaced.append((str(kept), [pid for pid, _ in same]))
        if replace:
            _rewrite(kept, [row for pid, row, keys in old_rows if not keys & new_keys])
    target.parent.mkdir(parents=True, exist_ok=True)
    _rewrite(target, [_row(p, parents.get(p.id, p.admin2 or p.admin1 or "")) for p in got.places], keep_empty=True)
    return got, target


def _kept_rows(path: Path) -> list[tuple[str, list[str], set]] | None:
    """The rows of a kept file with their identities (None if it cannot be read)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not rows or tuple(rows[0]) != COLUMNS:
        return None
    out = []
    for row in rows[1:]:
        cells = dict(zip(COLUMNS, row))
        try:
            place = _place({**cells, "parent": ""}, None)
        except ValueError:
            continue
        out.append((place.id, row, identity(place)))
    return out


def _rewrite(target: Path, rows: list[list[str]], *, keep_empty: bool = False) -> None:
    if not rows and not keep_empty:
        target.unlink(missing_ok=True)
        return
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    os.replace(tmp, target)


def remove_user_places(name: str | os.PathLike) -> Path:
    """Stop using a kept file of places (``geomap gazetteer remove FILE``).

    ``name`` is the file given to :func:`add_user_places` (only its name
    counts) or the kept file itself. Returns the path removed.

    Raises
    ------
    InputError
        No kept file has that name (the message lists the kept files).
    """
    target = user_dir() / f"{Path(name).stem}.csv"
    if not target.is_file():
        kept = ", ".join(f.name for f in stored_files()) or "none"
        raise InputError(f"{Path(name).name}: no kept file of places of that name (kept: {kept})")
    target.unlink()
    return target


def identity(place: Place) -> set:
    """What makes two user rows the same place: the id, or the name and the point."""
    return {place.id, (normalize_key(place.name_ar or place.name), round(place.lat, 4), round(place.lon, 4))}


def merge_user_files(files: Iterable[Path], gazetteer: Gazetteer | None) -> tuple[list[Place], list[str]]:
    """Places of several user files, a later file's row replacing an earlier
    one of the same id or the same name and point.

    Returns the places and the problems to report: rejected rows, replaced rows
    (naming both files), and files that could not be read (skipped, not fatal).
    """
    chosen: dict[str, tuple[Place, str]] = {}  # by id, in first-seen order
    by_key: dict[Any, str] = {}  # identity -> id in `chosen`
    notes: list[str] = []
    for f in files:
        try:
            got = read_user_places(f, gazetteer)
        except InputError as exc:
            notes.append(f"skipped {f}: {exc}")
            continue
        if got.errors:
            notes.append(f"{got.summary()}:\n  " + "\n  ".join(map(str, got.errors)))
        replaced: dict[str, list[str]] = {}
        for p in got.places:
            for old_id in {by_key[k] for k in identity(p) if k in by_key}:
                if old_id in chosen:
                    old, where = chosen.pop(old_id)
                    replaced.setdefault(where, []).append(old_id)
                    for k in identity(old):
                        by_key.pop(k, None)
            chosen[p.id] = (p, str(f))
            for k in identity(p):
                by_key[k] = p.id
        for where, ids in replaced.items():
            notes.append(f"{f}: {len(ids)} places replace the rows of the same id or name and point in "
                         f"{where} ({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''}); "
                         "`geomap gazetteer add --replace` or `geomap gazetteer remove` settles it")
    return [p for p, _ in chosen.values()], notes


def with_places(base: Gazetteer, places: list[Place], name: str | None = None) -> Gazetteer:
    """A new gazetteer: ``base`` plus ``places`` (a user place with the id of a
    base place replaces it). The base's name index is reused, not rebuilt."""
    from geomap.gazetteer.store import Gazetteer, name_keys  # noqa: F811 - the class, not the hint

    if not places:
        return base
    new_ids = {p.id for p in places}
    kept = [p for p in base if p.id not in new_ids]
    if len(kept) == len(base):
        keys = {k: list(v) for k, v in base.keys.items()}
        for i, p in enumerate(places, start=len(kept)):
            for k in name_keys(p):
                keys.setdefault(k, []).append(i)
    else:
        keys = None  # positions moved: the index is built again (lazily)
    return Gazetteer([*kept, *places], name=name or base.name, meta=base.meta, keys=keys)
