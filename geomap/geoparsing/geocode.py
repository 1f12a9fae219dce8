"""``geocode``: the best single place for a place string, or None (the one geocode).

Three readers of the query, in order; the first that reads it answers:

1. the compound forms (:func:`geomap.gazetteer.relative.compound`, its parts read by the
   query reader): a sector
   ("ريف حلب الشمالي", "Eastern Daraa Governorate"), an offset, a road or border
   between two places, "the area between X and Y";
2. the pipeline on a one-mention reading of the query (:meth:`.pipeline.Parser.geocode`):
   the same recognition, cues ("Abu Kamal town", "مطار T-4", "east of Homs", "ريف حمص"),
   candidates and ranking as running text, ``within`` the container of its mention;
3. the forms running text does not use — alternatives ("Marran/Merane village"),
   a name in parentheses ("Taybah farms (Mayadin)"), a qualified name whose
   qualifier is unknown ("Baghuz at-Tahtani") — and names the recogniser does not
   read: the query reader (:func:`.query_reader.read_query`), the query's name
   variants as one-mention readings ranked by the same ranker.

One ranking, one confidence and one abstain for all: :mod:`.resolve` (the ranker's
features and weights, :meth:`.resolve.Ranker.confidence`); a pick under the abstain
threshold is no answer: None; so is a place abroad a lone place string does not name
by its name (:func:`.resolve.plausible`). The gazetteer's own lookup
(:func:`geomap.gazetteer.lookup.lookup_place`) is not read.
"""

from __future__ import annotations

from geomap.gazetteer import rank
from geomap.gazetteer.lookup import prepare
from geomap.gazetteer.relative import compound
from geomap.gazetteer.model import Place
from geomap.gazetteer.query import parse_query
from geomap.gazetteer.store import STRIPPED, Gazetteer
from geomap.geoparsing.context import inside
from geomap.geoparsing.pipeline import Parser
from geomap.geoparsing.query_reader import read_part, read_query
from geomap.geoparsing.resolve import NAME_MATCH, plausible
from geomap.geoparsing.rules import CUE_WORDS, DIRECTION_NAMES, FEATURE_WORDS
from geomap.text import normalize_key

#: direction adjectives that end Arabic names (الغارية الشرقية، المشيرفة القبلية), as match text writes them
_AR_DIRECTION_WORDS = tuple(CUE_WORDS["ar_name_directions"])
#: characters of the forms the recogniser does not read (alternatives, parentheses, roads): the query reader reads them
_LOOKUP_FORMS = ("/", "(", " - ", "–")


def geocode(query: str, *, gazetteer: Gazetteer | None = None,
            within: str | Place | None = None) -> Place | None:
    """The best single place for a place string in Arabic or English.

    Parameters
    ----------
    query : str
        The place string ("Saraqib town", "قرية حاس", "the village of Hass").
    gazetteer : Gazetteer, optional
        Defaults to the embedded default gazetteer.
    within : str or Place, optional
        An area the place must lie in (e.g. ``"Hama Governorate"``).

    Returns
    -------
    Place or None
        The best candidate; None when nothing matches or when the best
        candidate's calibrated confidence is under the abstain threshold
        (``gazetteer/ranker.json``): gibberish ("xyzzy") is not a place.
    """
    if gazetteer is None and isinstance(query, str) and query.strip():
        from geomap.gazetteer.load import load_gazetteer

        gazetteer = load_gazetteer()
    gazetteer, area = prepare(query, gazetteer, within)
    place = _geocode(query, gazetteer, area)
    if place is not None and not _fits_feature(query, place):
        return None  # "Tishreen oil field" is no village Tishrin: unresolved
    return place


def _fits_feature(query: str, place: Place) -> bool:
    """Whether ``place`` is of the type the query's feature word asks for (an oil field, a
    dam, a base: :data:`~.rules.FEATURE_WORDS`), is named with that word, or is the Syrian
    town such a feature is named for; True when the query has none. A village or a city
    abroad of the same name is not (Tishrin village is 100 km from the Tishreen field)."""
    key = f" {normalize_key(query)} "
    asked = [(w, t) for w, t in FEATURE_WORDS.items() if f" {w} " in key]
    if not asked:
        return True
    if place.country == "SY" and place.feature_type in ("town", "city"):
        return True  # a base or dam named for its town lies at it (Harasta, Tabqa): the town is near
    names = " ".join(normalize_key(n) for n in place.all_names())
    return any(place.feature_type in t or w in names for w, t in asked)


def _direction_in_name(query: str, gazetteer: Gazetteer, area: Place | None) -> Place | None:
    """The place whose name holds the query's direction word, before the direction is read as
    an offset: «الغارية الشرقية» is Ghariyah ash Sharqiyah (its name, matched whole), and so is
    "Eastern Ghariyah town" (the adjective as the name's word: :data:`~.rules.DIRECTION_NAMES`)."""
    q = parse_query(query)
    words = q.names[0].split() if q.names else []
    tries: list[str] = []
    if len(words) >= 2 and words[0] in DIRECTION_NAMES:
        rest = " ".join(words[1:])
        tries = [f"{rest} {w}" for w in DIRECTION_NAMES[words[0]]]
    elif len(words) >= 2 and not query.isascii() and words[-1].startswith(_AR_DIRECTION_WORDS):
        tries = [q.names[0]]  # (an Arabic name that ends in الشرقية is matched whole first)
    for name in tries:
        got = [p for p, sc in gazetteer.matches(name) if sc >= NAME_MATCH and p.feature_type != "region"
               and (area is None or inside(gazetteer, area, p))
               and (not q.feature_types or p.feature_type in q.feature_types)]
        if len(got) == 1:  # (several: the pipeline chooses among them)
            return got[0]
    return None


def _geocode(query: str, gazetteer: Gazetteer, area: Place | None) -> Place | None:
    """:func:`geocode` once the query and area are checked."""
    named = _direction_in_name(query, gazetteer, area)
    if named is not None:
        return named
    # 1. a compound form
    parser = Parser(gazetteer)
    derived = compound(query, read_part(gazetteer, parser.ranker, area),
                       lambda text: any(score >= 0.9 for _, score in gazetteer.matches(text)))
    if derived is not None:
        return derived
    # 2. the pipeline's one-mention reading (not of the forms only the query reader reads)
    forms = any(f in query for f in _LOOKUP_FORMS)
    if not forms:
        place, read = parser.geocode(query, within=area)
        if read:  # the reader found the name: its answer, or its abstention
            return place if place is None or area is not None or plausible(gazetteer, query, place) else None
    # 3. the lookup's forms and the names the reader did not recognise: the query reader
    place, conf, match = read_query(gazetteer, parser.ranker, query, area)
    if place is None:
        return None
    if area is None and not plausible(gazetteer, query, place, match):
        return None
    if query.isascii() and query == query.lower() and match < STRIPPED:
        return None  # "xyzzy", "asdf": a Latin name is written as a name, or matches one exactly
    return place if conf >= rank.abstain_below() else None
