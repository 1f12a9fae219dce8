"""The one place where candidates are ranked: features → a fitted linear score.

Every resolution — :func:`geomap.geocode`, :func:`geomap.geoparse`,
``geoparse_many``, ``extract_events`` and the geopy adapter — ranks a name's
candidate places with :func:`score` over the features of :data:`FEATURES`
(how well the name matches, what its words ask for, the place's type and
size, its country against the document's, whether its container holds it,
how far it lies from the document's other places...). The weights are a
logistic regression fitted by ``bench/fit_ranker.py`` on the UCDP GED dev
strings (plain, with their governorate as container, and beside a
co-mentioned neighbour) and shipped in ``gazetteer/ranker.json``; its
probability is the ``confidence`` of the pick, calibrated on the same data
with cross-validation, and below :data:`abstain_below` geocode abstains.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from geomap.gazetteer.model import AREA_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from geomap.gazetteer.model import Place

#: How much a bare name suggests each feature type (one input feature, not a weight).
TYPE_PRIOR: dict[str, float] = {
    "country": 1.0, "city": 0.95, "governorate": 0.85, "town": 0.75, "region": 0.7,
    "airbase": 0.6, "airport": 0.6, "district": 0.5, "natural": 0.5, "subdistrict": 0.45,
    "village": 0.4, "neighbourhood": 0.3, "landmark": 0.3,
}
#: the type prior of a candidate whose type the query's words ask for
WANTED_PRIOR = 0.75
#: sources that list places where incidents were documented (the Syrian Archive)
INCIDENT_SOURCES = frozenset({"syrianarchive"})
USER_SOURCE = "user"
HOME_COUNTRY = "SY"
_SETTLEMENTS = frozenset({"city", "town", "village", "neighbourhood"})
#: places too small to be named abroad without the document saying so (a village in Iraq
#: for a Syrian string, "X area" matched to an airport in Basra)
SMALL = frozenset({"town", "village", "neighbourhood", "landmark", "camp", "farm", "checkpoint", "airport",
                   "airbase", "district", "subdistrict"})

#: Syria's governorates (ISO 3166-2), as in gazetteer/governorates.csv
_GOVERNORATES = ("SY-DI", "SY-HL", "SY-RD", "SY-HI", "SY-HM", "SY-LA", "SY-ID", "SY-HA", "SY-DY", "SY-TA",
                 "SY-RA", "SY-DR", "SY-SU", "SY-QU")

#: the features, in the order of the weights
FEATURES: tuple[str, ...] = (
    "match",          # name match score (exact 1 … close spelling ~0.55)
    "type_prior",     # TYPE_PRIOR of the place's type, WANTED_PRIOR when the words ask for it
    "wanted",         # the query's words ask for this type (village, airbase ...)
    "unwanted",       # they ask for another type
    "population",     # log10(pop + 1) / 7, settlements only (an area's sums its towns')
    "home",           # in Syria (the country geomap is about)
    "focus",          # in the document's focus country
    "small_abroad",   # a town or smaller outside both the document's focus country and Syria
    "incident",       # listed by a source of documented incidents
    "user",           # a place the user added
    "seat_named",     # a district named after the town it is centred on, not asked for
    "inside",         # the container (X in Y, within=) holds it
    "outside",        # a container is given and does not hold it
    "near_others",    # exp(-km / 150) to the document's nearest other confident place (points only)
    "countryside_fit",  # a countryside cue and a governorate or city (ريف حمص)
    "offset_fit",     # a direction / near cue and a settlement (east of X)
    # the governorate a Syrian place lies in: where incidents are reported (fitted; Damascus = 0)
    *(f"gov:{iso}" for iso in _GOVERNORATES[1:]),
)


@dataclass(frozen=True)
class Weights:
    """Fitted weights of :data:`FEATURES`, an intercept, and the abstain threshold."""

    coef: tuple[float, ...]
    intercept: float
    abstain_below: float
    meta: dict
    #: Platt scaling of the pick: P(right) = sigmoid(a * share + b * match + f * in_focus + c)
    calibration: tuple[float, float, float, float] = (3.9, 4.7, 0.0, -6.3)

    def __post_init__(self) -> None:
        if len(self.coef) != len(FEATURES):
            raise ValueError(f"ranker weights give {len(self.coef)} coefficients for {len(FEATURES)} features")


#: hand weights of earlier versions (what the fitted ones replace; kept for the bench's before/after)
HAND = Weights(coef=(1.0, 0.3, 0.4, 0.0, 0.15, 0.25, 0.1, 0.0, 0.05, 0.5, -0.3, 0.6, -0.2, 0.25, 0.4, 0.1,
                     *([0.0] * 13)),
               intercept=-1.5, abstain_below=0.0, meta={"fitted": False})


@lru_cache(maxsize=1)
def weights() -> Weights:
    """The shipped weights (``gazetteer/ranker.json``), else :data:`HAND`."""
    from geomap.errors import GazetteerNotFound
    from geomap.gazetteer.tables import table_path

    try:
        doc = json.loads(table_path("ranker.json").read_text(encoding="utf-8"))
    except GazetteerNotFound:
        return HAND
    if list(doc["features"]) != list(FEATURES):
        return HAND  # fitted for another feature set: refit with bench/fit_ranker.py
    cal = doc.get("calibration") or {}
    return Weights(tuple(float(c) for c in doc["coef"]), float(doc["intercept"]),
                   float(doc.get("abstain_below", 0.0)), doc.get("meta", {}),
                   (float(cal.get("share", 3.9)), float(cal.get("match", 4.7)), float(cal.get("in_focus", 0.0)),
                    float(cal.get("intercept", -6.3))))


def base_features(place: Place, match: float, types: Iterable[str] | None, seat_named: bool) -> list[float]:
    """The features that need no document: every context feature is 0."""
    ftype = place.feature_type
    wanted = bool(types) and ftype in types  # type: ignore[operator]
    pop = 0.0 if ftype in AREA_TYPES else min(1.0, math.log10((place.population or 0) + 1) / 7.0)
    sources = place.sources
    return [
        match,
        WANTED_PRIOR if wanted else TYPE_PRIOR.get(ftype, 0.3),
        1.0 if wanted else 0.0,
        1.0 if types and not wanted else 0.0,
        pop,
        1.0 if place.country == HOME_COUNTRY else 0.0,
        0.0,
        0.0,
        1.0 if INCIDENT_SOURCES.intersection(sources) else 0.0,
        1.0 if USER_SOURCE in sources else 0.0,
        1.0 if seat_named and not wanted else 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0,
        *(1.0 if place.country == HOME_COUNTRY and place.admin1 == iso else 0.0 for iso in _GOVERNORATES[1:]),
    ]


_I = {name: i for i, name in enumerate(FEATURES)}


def with_context(f: list[float], place: Place, *, focus: str | None = None, inside: bool | None = None,
                 near_km: float | None = None, cue_kind: str | None = None) -> list[float]:
    """``f`` (from :func:`base_features`) with the document's context filled in.

    ``focus``: the document's country (None: Syria); ``inside``: whether the
    container holds the place (None: no container); ``near_km``: distance to
    the nearest other confident place of the document; ``cue_kind``: the cue
    read around the mention (``countryside``, ``direction``, ``near`` ...).
    """
    f = list(f)
    country = focus or HOME_COUNTRY
    f[_I["focus"]] = 1.0 if place.country == country else 0.0
    f[_I["small_abroad"]] = 1.0 if place.country not in (country, HOME_COUNTRY) and place.feature_type in SMALL \
        else 0.0
    if inside is not None:
        f[_I["inside" if inside else "outside"]] = 1.0
    if near_km is not None:
        f[_I["near_others"]] = math.exp(-near_km / 150.0)
    if cue_kind == "countryside" and place.feature_type in ("governorate", "city"):
        f[_I["countryside_fit"]] = 1.0
    if cue_kind in ("direction", "near") and place.feature_type in _SETTLEMENTS:
        f[_I["offset_fit"]] = 1.0
    return f


def score(f: list[float], w: Weights | None = None) -> float:
    """The linear score (log-odds that the candidate is the right place)."""
    w = w or weights()
    return w.intercept + sum(c * x for c, x in zip(w.coef, f, strict=True))


def probability(s: float) -> float:
    """The probability of a score (:func:`score`)."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))


def share(scores: list[float], k: int = 0) -> float:
    """The softmax share of candidate ``k`` among a mention's candidates' scores."""
    top = max(scores)
    z = sum(math.exp(s - top) for s in scores)
    return math.exp(scores[k] - top) / z


def confidence(share_: float, match: float, in_focus: bool = True, w: Weights | None = None) -> float:
    """Calibrated probability that a pick with this softmax share and name match, in
    the document's focus country or not (a small place abroad, :data:`SMALL`), is right (within 25 km on the dev strings;
    see ``bench/fit_ranker.py``)."""
    a, b, f, c = (w or weights()).calibration
    return probability(a * share_ + b * match + f * float(in_focus) + c)


def abstain_below() -> float:
    """Confidence under which geocode answers None and geoparse reports the mention unresolved."""
    return weights().abstain_below


def score_in_context(base: float, place: Place, *, focus: str | None = None, inside: bool | None = None,
                     near_km: float | None = None, cue_kind: str | None = None, w: Weights | None = None) -> float:
    """:func:`score` of :func:`with_context` of features whose document-free part
    scores ``base`` (``score(base_features(...))``), without building the vector:
    only the context terms are added (the geoparser's hot path)."""
    w = w or weights()
    c = w.coef
    country = focus or HOME_COUNTRY
    s = base
    if place.country == country:
        s += c[_FOCUS]
    elif place.country != HOME_COUNTRY and place.feature_type in SMALL:
        s += c[_SMALL_ABROAD]
    if inside is not None:
        s += c[_INSIDE] if inside else c[_OUTSIDE]
    if near_km is not None:
        s += c[_NEAR] * math.exp(-near_km / 150.0)
    if cue_kind == "countryside" and place.feature_type in ("governorate", "city"):
        s += c[_COUNTRYSIDE]
    elif cue_kind in ("direction", "near") and place.feature_type in _SETTLEMENTS:
        s += c[_OFFSET]
    return s


_FOCUS, _SMALL_ABROAD, _INSIDE, _OUTSIDE, _NEAR, _COUNTRYSIDE, _OFFSET = (
    _I[n] for n in ("focus", "small_abroad", "inside", "outside", "near_others", "countryside_fit", "offset_fit"))
