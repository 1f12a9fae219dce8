"""The :class:`Gazetteer`: places, their names index, lookups, and its file.

A gazetteer file is gzip-compressed JSON: a header, the places as compact
records (:meth:`Place.to_record`) and the names index (normalised key →
place positions), so that loading is one ``json.loads`` and no
normalisation work.
"""

from __future__ import annotations

import difflib
import gc
import gzip
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import GazetteerError, GazetteerNotFound, InputError
from geomap.gazetteer import rank
from geomap.gazetteer.distance import haversine_km  # noqa: F401 - re-exported: store.haversine_km
from geomap.gazetteer.model import AREA_TYPES, FEATURE_TYPES, Place
from geomap.text import (
    arabic_skeleton,
    has_arabic,
    latin_skeleton,
    normalize_key,
    strip_article,
)

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

FORMAT = "geomap-gazetteer"
FORMAT_VERSION = 1

#: how far outside a governorate's outline a place still counts as in it
BORDER_KM = 10.0

#: area and settlement types of :meth:`Gazetteer.seat_named` (a district named after the town it is
#: centred on, Tell Abyad, As Safira: the ranker's ``seat_named`` feature)
_ADMIN_AREAS = frozenset({"district", "subdistrict"})
_SEATS = frozenset({"city", "town", "village"})

# match kinds and their base scores
EXACT, STRIPPED, SKELETON, FUZZY = 1.0, 0.9, 0.7, 0.55
#: a skeleton match loses up to this much as its spelling departs from the name's
SKELETON_SPREAD = 0.25
#: a match on a name that is neither display name of the place (an old or rare
#: spelling: Adraa for Dar'ā, Al Ghassaniyah for Kafr Buhum) scores this much less:
#: among homonyms, the place that is *called* so comes first
VARIANT_PENALTY = 0.05


@lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    """difflib's similarity ratio of two strings (cached: names repeat)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=1)
def key_scheme() -> str:
    """A hash of the normaliser's code: stored name keys are only reused under the same one."""
    import hashlib
    import importlib

    normalizer = importlib.import_module("geomap.text.normalize")  # the module, not the function
    return hashlib.sha256(Path(normalizer.__file__).read_bytes()).hexdigest()[:12]


def skeleton_key(key: str) -> str:
    """Space-less consonant skeleton of a normalised key, Latin or Arabic.

    Latin transliterations and Arabic spellings of one name meet here
    ("Abu Kamal", "أبو كمال" → ``"bkml"``); used for lower-scored matches.
    """
    if key.isascii():
        return latin_skeleton(key).replace(" ", "")
    if has_arabic(key):
        return arabic_skeleton(key).replace(" ", "")
    return ""


def name_keys(place: Place) -> set[str]:
    """The normalised index keys of every name of ``place``."""
    keys = set()
    for text in place.all_names():
        key = normalize_key(text)
        if key:
            keys.add(key)
            if " " in key and not key.isascii():
                keys.add(key.replace(" ", ""))  # hashtag style: حفرالباطن
    return keys


class Gazetteer:
    """A set of places with a names index.

    Build one from places (``Gazetteer(places)``) or load one with
    :func:`geomap.load_gazetteer`. Indexes are built once, lazily.
    """

    def __init__(self, places: Iterable[Place], *, name: str = "custom",
                 meta: dict[str, Any] | None = None,
                 keys: dict[str, list[int]] | None = None) -> None:
        self.name = name
        self.meta: dict[str, Any] = dict(meta or {})
        self._places: list[Place] = list(places)
        self._by_id: dict[str, Place] = {}
        for p in self._places:
            if p.id in self._by_id:
                raise GazetteerError(f"duplicate place id {p.id!r} in gazetteer {name!r}")
            self._by_id[p.id] = p
        self._keys = keys
        self._stripped: dict[str, list[int]] | None = None
        self._skeleton: dict[str, list[int]] | None = None
        self._latin_keys: dict[str, tuple[str, ...]] = {}  # article-less Latin keys by place id
        self._display_keys: dict[int, frozenset[str]] = {}  # keys of name and name_ar, by position
        self._admin1: dict[str, Place] | None = None
        self._contains_memo: dict[tuple[str, str], bool] = {}
        self._seat_named: frozenset[str] | None = None

    # -- container protocol --------------------------------------------------
    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id

    def __repr__(self) -> str:
        return f"<Gazetteer {self.name!r}: {len(self)} places>"

    def get(self, place_id: str, default: Place | None = None) -> Place | None:
        """The place with id ``place_id``, or ``default``."""
        return self._by_id.get(place_id, default)

    def get_pcode(self, pcode: str, default: Place | None = None) -> Place | None:
        """The place whose own OCHA P-code is ``pcode`` (``C1007``, ``N0006``, ``SY0200``), or ``default``."""
        return self.admin_index.get_pcode(pcode, default)

    @cached_property
    def admin_index(self) -> Any:
        """The :class:`~geomap.gazetteer.admin.AdminIndex` of this gazetteer (built once)."""
        from geomap.gazetteer.admin import AdminIndex

        return AdminIndex(self)

    def counts(self, by: str = "feature_type") -> Counter:
        """Counts of places by ``feature_type``, ``source`` or ``country``."""
        if by == "source":
            return Counter(s for p in self._places for s in p.sources)
        if by not in ("feature_type", "country", "admin1"):
            raise InputError(f"cannot count by {by!r}")
        return Counter(getattr(p, by) for p in self._places)

    # -- indexes -----------------------------------------------------------------
    @property
    def keys(self) -> dict[str, list[int]]:
        """Normalised name key → positions of the places that bear it."""
        if self._keys is None:
            index: dict[str, list[int]] = {}
            for i, p in enumerate(self._places):
                for key in name_keys(p):
                    index.setdefault(key, []).append(i)
            self._keys = index
        return self._keys

    def _derived(self) -> None:
        stripped: dict[str, list[int]] = {}
        skeleton: dict[str, list[int]] = {}
        for key, idx in self.keys.items():
            s = strip_article(key)
            if s != key:
                stripped.setdefault(s, []).extend(idx)
            skel = skeleton_key(key)
            if len(skel) >= 3:
                skeleton.setdefault(skel, []).extend(idx)
        self._stripped, self._skeleton = stripped, skeleton

    def governorate(self, iso: str) -> Place | None:
        """The governorate place of ISO 3166-2 code ``iso`` (e.g. ``"SY-HI"``)."""
        if self._admin1 is None:
            self._admin1 = {p.admin1: p for p in self._places
                            if p.feature_type == "governorate" and p.admin1}
        return self._admin1.get(iso)

    def place_at(self, i: int) -> Place:
        """The place at index position ``i`` (as used in :attr:`keys`)."""
        return self._places[i]

    # -- lookup --------------------------------------------------------------------
    def matches(self, name: str) -> list[tuple[Place, float]]:
        """Places whose names match ``name``, with the match score (no ranking).

        Exact normalised key 1.0; same key without article (ال, al-, as-…) 0.9;
        same Latin consonant skeleton 0.7. A name that is only a variant of the
        place's (not its display name) scores :data:`VARIANT_PENALTY` less.
        """
        key = normalize_key(name)
        if not key:
            return []
        if self._stripped is None:
            self._derived()
        assert self._stripped is not None and self._skeleton is not None
        found: dict[int, float] = {}
        bare = strip_article(key)
        for i in self.keys.get(key, ()):
            found[i] = EXACT - self.variant_penalty(i, key, bare)
        for i in (*self._stripped.get(bare, ()), *self.keys.get(bare, ()), *self._stripped.get(key, ())):
            if i not in found:
                found[i] = STRIPPED - self.variant_penalty(i, key, bare)
        skel = skeleton_key(key) if key.isascii() else ""
        if len(skel) >= 3:
            fuzzy = [i for i in self._skeleton.get(skel, ()) if i not in found]
            for i in fuzzy:
                found[i] = SKELETON - SKELETON_SPREAD * (1.0 - self._closeness(bare, self._places[i]))
        return [(self._places[i], s) for i, s in found.items()]

    def variant_penalty(self, i: int, key: str, bare: str) -> float:
        """:data:`VARIANT_PENALTY` unless the place at position ``i`` is displayed
        under the normalised ``key`` (or its article-less ``bare`` form)."""
        keys = self._display_keys.get(i)
        if keys is None:
            p = self._places[i]
            found = set()
            for text in (p.name, p.name_ar):
                k = normalize_key(text) if text else ""
                if k:
                    found.update((k, strip_article(k), k.replace(" ", "")))
            keys = self._display_keys[i] = frozenset(found)
        return 0.0 if key in keys or bare in keys else VARIANT_PENALTY

    def _closeness(self, bare: str, place: Place) -> float:
        """How alike (0–1) an article-less Latin key is to the closest Latin
        name of ``place``: a consonant skeleton is shared by "Tall Mamu" and
        "Tlemcen"; the spelling tells them apart."""
        keys = self._latin_keys.get(place.id)
        if keys is None:
            keys = self._latin_keys[place.id] = tuple(strip_article(k) for k in name_keys(place) if k.isascii())
        return max((_ratio(bare, k) for k in keys), default=0.0)

    def _near_area(self, area: Place, place: Place) -> bool:
        from shapely import Point

        tol = BORDER_KM / 111.0
        pt = Point(place.lon, place.lat)
        return bool(area.geometry.distance(pt) <= tol)

    def fuzzy(self, name: str, area: Place, cutoff: float = 0.8) -> list[tuple[Place, float]]:
        """Places in ``area`` with a name close to ``name`` (Latin consonant
        skeletons within edit ratio ``cutoff``), scored :data:`FUZZY`.

        Used when nothing in the area matches exactly: a governorate holds a
        few thousand names, so the comparison is cheap there.
        """
        import difflib

        key = normalize_key(name)
        if not key.isascii() or len(key) < 4:
            return []
        target = skeleton_key(key)
        if len(target) < 4:
            return []
        pool = self._area_skeletons(area)
        out = []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(target)
        for skel, idx in pool:
            # transliterations vary vowels and doubled letters, rarely the first consonant
            if abs(len(skel) - len(target)) > 2 or skel[:1] != target[:1]:
                continue
            matcher.set_seq1(skel)
            if matcher.real_quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
                out.extend((self._places[i], FUZZY) for i in idx)
        seen: dict[str, tuple[Place, float]] = {}
        for p, s in out:
            seen.setdefault(p.id, (p, s))
        return list(seen.values())

    def _area_skeletons(self, area: Place) -> list[tuple[str, list[int]]]:
        cache = self.__dict__.setdefault("_area_skel_cache", {})
        if area.id not in cache:
            members: dict[str, list[int]] = {}
            for i, p in enumerate(self._places):
                if p.feature_type in ("country",) or not self.contains(area, p):
                    continue
                for text in p.all_names():
                    skel = skeleton_key(normalize_key(text))
                    if len(skel) >= 3:
                        members.setdefault(skel, []).append(i)
            cache[area.id] = list(members.items())
        return cache[area.id]

    def seat_named(self, place: Place) -> bool:
        """True for a district or subdistrict that shares a name with a town inside it."""
        if place.feature_type not in _ADMIN_AREAS:
            return False
        if self._seat_named is None:
            named = set()
            keys = self.keys
            for area in self._places:
                if area.feature_type not in _ADMIN_AREAS:
                    continue
                for key in name_keys(area):
                    if any(self._places[i].feature_type in _SEATS and self.contains(area, self._places[i])
                           for i in keys.get(key, ())):
                        named.add(area.id)
                        break
            self._seat_named = frozenset(named)
        return place.id in self._seat_named

    def contains(self, area: Place, place: Place) -> bool:
        """True when ``place`` lies in ``area`` (by admin path, else geometry); memoised."""
        key = (area.id, place.id)
        hit = self._contains_memo.get(key)
        if hit is None:
            hit = self._contains(area, place)
            if len(self._contains_memo) < 500_000:
                self._contains_memo[key] = hit
        return hit

    def _contains(self, area: Place, place: Place) -> bool:
        if place.id == area.id:
            return False
        t = area.feature_type
        if t == "country":
            return place.country == area.country
        if t == "governorate":
            if place.country != area.country:
                return False
            if place.admin1 == area.admin1:
                return True
            # regions without a governorate, and places on a border drawn
            # approximately: a point within BORDER_KM of the area counts
            return bool(area.geometry_wkt) and self._near_area(area, place)
        if t in ("district", "subdistrict") and place.admin2 == area.id:
            return True
        if t in ("city", "town"):
            # "X in Aleppo": the city stands for its surroundings and its governorate
            if area.admin1 and place.admin1 == area.admin1:
                return True
            return haversine_km(area.lat, area.lon, place.lat, place.lon) <= 30
        if area.geometry_wkt:
            from shapely import Point

            return bool(area.geometry.covers(Point(place.lon, place.lat)))
        return haversine_km(area.lat, area.lon, place.lat, place.lon) <= 25

    def resolve_area(self, within: str | Place) -> Place:
        """The area a ``within=`` argument names (a place or a place string)."""
        if isinstance(within, Place):
            return within
        if not isinstance(within, str):
            raise TypeError(f"within must be a str or Place, not {type(within).__name__}")
        from geomap.gazetteer.lookup import lookup_place

        # an area first (السعودية is Saudi Arabia, not the Syrian village of that name)
        areas = self.lookup(within, feature_types=AREA_TYPES, limit=1, fuzzy=False)
        exact = areas and any(s >= 0.9 for p, s in self.matches(within) if p is areas[0])
        area = areas[0] if exact else lookup_place(within, gazetteer=self)
        if area is None:
            raise InputError(f"within={within!r}: no such place in gazetteer {self.name!r}")
        return area

    def features(self, place: Place, match: float, feature_types: Iterable[str] | None = None) -> list[float]:
        """The ranker's document-free features of a candidate (:mod:`geomap.gazetteer.rank`)."""
        return rank.base_features(place, match, feature_types, self.seat_named(place))

    def score(self, place: Place, match: float, feature_types: Iterable[str] | None = None) -> float:
        """Rank score of a candidate with no document around it (:func:`geomap.gazetteer.rank.score`)."""
        return rank.score(rank.with_context(self.features(place, match, feature_types), place))

    def lookup(self, name: str, *, within: str | Place | None = None,
               feature_types: Iterable[str] | None = None, limit: int = 10,
               fuzzy: bool = True) -> list[Place]:
        """Ranked candidate places for a name.

        Parameters
        ----------
        name : str
            A place name in Arabic or a Latin script (no descriptor words;
            see :func:`geomap.geocode` for full place strings).
        within : str or Place, optional
            Keep only places inside this area (a governorate, district,
            country, or a city standing for its surroundings).
        feature_types : iterable of str, optional
            Keep only places of these types.
        limit : int
            Return at most this many places.
        fuzzy : bool
            With ``within``, fall back on close spellings in the area when no
            name there matches (default True).
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be str, not {type(name).__name__}")
        if not name.strip():
            raise InputError("empty place name")
        if (coded := self.get_pcode(name)) is not None:  # an OCHA P-code names one place
            return [coded]
        types = set(feature_types) if feature_types else None
        if types and not types <= set(FEATURE_TYPES):
            raise InputError(f"unknown feature types {sorted(types - set(FEATURE_TYPES))}")
        area = self.resolve_area(within) if within is not None else None
        cands = self.matches(name)
        if fuzzy and area is not None and not any(self.contains(area, p) for p, _ in cands):
            cands = cands + self.fuzzy(name, area)
        if types:
            cands = [(p, s) for p, s in cands if p.feature_type in types]
        if area is not None:
            cands = [(p, s) for p, s in cands if self.contains(area, p)]
        if area is not None:
            # strictly inside (by admin path) beats inside by border tolerance
            def inner(p: Place) -> float:
                return 0.15 if (p.admin1 == area.admin1 and area.feature_type == "governorate") or \
                    p.admin2 == area.id else 0.0
            cands.sort(key=lambda ps: -(self.score(ps[0], ps[1], types) + inner(ps[0])))
        else:
            cands.sort(key=lambda ps: -self.score(ps[0], ps[1], types))
        return [p for p, _ in cands[:limit]]

    # -- export and storage --------------------------------------------------
    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """All places as a GeoDataFrame (EPSG:4326); areas keep their polygons."""
        from geomap.gazetteer.frames import places_frame

        return places_frame(self._places)

    def boundaries(self, feature_type: str = "governorate", country: str = "SY") -> geopandas.GeoDataFrame:
        """Area polygons of one admin level (``governorate`` or ``district``), EPSG:4326.

        Columns ``id, name, name_ar, admin1, approx, geometry``; used as the
        vector basemap of offline maps and for choropleths.
        """
        from geomap.gazetteer.frames import boundaries_frame

        return boundaries_frame(self._places, feature_type, country)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the gazetteer file (gzip JSON) to ``path``; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"format": FORMAT, "version": FORMAT_VERSION, "name": self.name, "meta": self.meta,
               "places": [p.to_record() for p in self._places], "keys": self.keys,
               "key_scheme": key_scheme()}
        tmp = path.with_name(path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
        return path

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> Gazetteer:
        """Load a gazetteer file written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise GazetteerNotFound(f"{path}: no gazetteer file there")
        # ~100k small objects are made at once: the cyclic GC would walk them all, several
        # times over, for nothing (they hold no cycles); it is paused for the load
        paused = gc.isenabled()
        gc.disable()
        try:
            return cls._from_path(path)
        finally:
            if paused:
                gc.enable()

    @classmethod
    def _from_path(cls, path: Path) -> Gazetteer:
        try:
            with gzip.open(path, "rb") as fh:
                doc = json.loads(fh.read())
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GazetteerError(f"{path}: not a readable geomap gazetteer file ({exc})") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise GazetteerError(f"{path}: not a geomap gazetteer file")
        if doc.get("version") != FORMAT_VERSION:
            raise GazetteerError(f"{path}: gazetteer format version {doc.get('version')}, "
                                 f"this geomap reads {FORMAT_VERSION}; rebuild it")
        try:
            places = [Place.from_record(r) for r in doc["places"]]
        except (KeyError, IndexError, TypeError) as exc:
            raise GazetteerError(f"{path}: malformed place record ({exc})") from exc
        # name keys made by another normaliser are made again (lazily) with this one
        keys = doc.get("keys") if doc.get("key_scheme") == key_scheme() else None
        return cls(places, name=doc.get("name", path.stem), meta=doc.get("meta"), keys=keys)
