"""Reading a place query: the name, and the descriptor words that steer its type.

``"Tiyas Military Airbase (T4)"`` → names ``["Tiyas", "T4", ...]``, types
``{"airbase", "airport"}``; ``"ريف حمص"`` → countryside of ``"حمص"``;
``"Abu Dali village"`` → name ``"Abu Dali"``, types ``{"village", "town"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geomap.text import LATIN_ARTICLES, normalize_key

# descriptor word (normalised) -> feature types it asks for
_AIR = ("airbase", "airport")
_SETTLEMENT = ("city", "town", "village")
DESCRIPTORS: dict[str, tuple[str, ...]] = {
    # English
    "airbase": _AIR, "air base": _AIR, "airport": ("airport", "airbase"), "airfield": _AIR,
    "military airbase": _AIR, "military airport": _AIR, "military air base": _AIR, "air field": _AIR,
    "heliport": _AIR, "military base": (), "base": _AIR,
    "governorate": ("governorate",), "province": ("governorate",), "muhafazah": ("governorate",),
    "district": ("district", "subdistrict"), "subdistrict": ("subdistrict",), "sub district": ("subdistrict",),
    "nahiya": ("subdistrict",), "area": (), "region": ("region", "natural"), "city": ("city", "town"),
    "town": ("town", "city", "village"), "village": ("village", "town"), "neighbourhood": ("neighbourhood",),
    "neighborhood": ("neighbourhood",), "camp": (), "desert": ("region", "natural"),
    "mountain": ("natural", "region"), "mount": ("natural", "region"), "plain": ("natural", "region"),
    "country": ("country",), "suburb": ("town", "village", "neighbourhood"),
    "suburbs": ("town", "village", "neighbourhood"), "sector": ("neighbourhood",), "quarter": ("neighbourhood",),
    "farm": ("village",), "farms": ("village",), "hamlet": ("village",), "army base": (), "air defense base": (), "hill": ("natural",), "valley": ("natural",),
    "reservoir": (), "dam": (), "lake": ("natural",), "river": ("natural",), "stream": ("natural",),
    "checkpoint": (), "crossing": (), "border crossing": (), "bridge": (), "roundabout": (), "prison": (),
    "hospital": (), "ruins": (), "oil field": (), "gas field": (), "oilfield": (), "mountains": ("natural", "region"),
    "plains": ("natural", "region"), "mintaqat": ("district",), "mintaqa": ("district",),
    # Arabic (normalised forms: ة→ه, أ→ا)
    "مطار": _AIR, "قاعده جويه": _AIR, "القاعده الجويه": _AIR, "مطار عسكري": _AIR, "ميناء جوي": _AIR,
    "محافظه": ("governorate",), "منطقه": (), "ناحيه": ("subdistrict",), "مدينه": ("city", "town"),
    "بلده": ("town", "village", "city"), "قريه": ("village", "town"), "حي": ("neighbourhood",),
    "مزرعه": ("village",), "مخيم": (), "دوله": ("country",), "جبل": ("natural", "region"),
    "سهل": ("natural", "region"), "باديه": ("region",), "باديه الشام": ("region",),
}

# keys are compared with normalised text (which folds "village" to "vilage")
DESCRIPTORS = {normalize_key(k): v for k, v in DESCRIPTORS.items()}

COUNTRYSIDE_WORDS_AR = ("ريف",)
_DESCRIPTOR_WORDS = frozenset(DESCRIPTORS)
COUNTRYSIDE_WORDS_EN = tuple(normalize_key(w) for w in ("countryside", "rural", "rif", "reef", "outskirts", "suburbs"))

_PARENS = re.compile(r"\(([^)]*)\)")
#: words that tell a place from its namesake nearby: upper/lower, big/small, east/west...
_QUALIFIERS = frozenset(normalize_key(w) for w in (
    "tahtani", "fawqani", "foqani", "kabir", "kabira", "kabirah", "kebir", "kebirah", "saghir", "saghira",
    "saghirah", "sghir", "sharqi", "sharqiyah", "sharqiya", "gharbi", "gharbiyah", "gharbiya", "shamali",
    "shamaliyah", "janubi", "janubiyah", "jadid", "jadidah", "qadim", "qadimah", "wusta", "upper", "lower",
    "التحتاني", "الفوقاني", "الكبير", "الكبرى", "الصغير", "الصغرى", "الشرقي", "الشرقية", "الغربي", "الغربية",
    "الشمالي", "الشمالية", "الجنوبي", "الجنوبية", "الجديد", "الجديدة", "القديم", "القديمة", "تحتاني", "فوقاني",
    "كبير", "صغير", "شرقي", "غربي", "شمالي", "جنوبي"))



@dataclass
class Query:
    """A parsed place query."""

    text: str
    names: list[str]
    feature_types: set[str] = field(default_factory=set)
    countryside: bool = False
    full: str = ""
    #: names in parentheses: another name of the place or a place beside it
    #: ("Taybah farms (Mayadin)", "Aaliyah (Qurujah) village")
    context: list[str] = field(default_factory=list)


def parse_query(text: str) -> Query:
    """Split a query into name variants and the feature types its words ask for.

    Parameters
    ----------
    text : str
        A place string in Arabic or English.
    """
    names: list[str] = []
    inner = [m.group(1) for m in _PARENS.finditer(text)]
    context: list[str] = []
    outer = _PARENS.sub(" ", text)
    # "Marran/Merane village", "Abu Rasin/Zarkan town": alternatives share the descriptor
    if "/" in outer:
        alts = [a.strip() for a in outer.split("/") if a.strip()]
        last_words = alts[-1].split()
        tail = last_words[-1] if len(last_words) > 1 and normalize_key(last_words[-1]) in _DESCRIPTOR_WORDS else ""
        outer = alts[0] + (" " + tail if tail else "")
        inner = [*[a for a in alts[1:]], *inner]
    types: set[str] = set()
    countryside = False
    parens = len(inner) - len(_PARENS.findall(text))  # inner[parens:] were in parentheses
    for n_part, part in enumerate([outer, *inner]):
        key = normalize_key(part)
        if not key:
            continue
        if n_part > parens and key in DESCRIPTORS:  # "X (village)": a type, not a name
            types.update(DESCRIPTORS[key])
            continue
        words = key.split()
        # descriptor words may stand before (مطار X, محافظة X) or after (X airbase)
        changed = True
        while changed and words:
            changed = False
            if len(words) > 2 and words[0] == "the" and any(" ".join(words[1:1 + n]) in DESCRIPTORS
                                                            for n in (1, 2, 3)):
                words = words[1:]  # "the village of Hass"
            for n in (3, 2, 1):
                if len(words) > n and " ".join(words[:n]) in DESCRIPTORS:
                    types.update(DESCRIPTORS[" ".join(words[:n])])
                    words = words[n:]
                    if len(words) > 1 and words[0] == "of":
                        words = words[1:]
                    changed = True
                    break
                if len(words) > n and " ".join(words[-n:]) in DESCRIPTORS:
                    types.update(DESCRIPTORS[" ".join(words[-n:])])
                    words = words[:-n]
                    changed = True
                    break
            if len(words) > 1 and (words[0] in COUNTRYSIDE_WORDS_AR or words[0] in ("rural", "rif", "reef")):
                countryside = True
                words = words[1:]
                changed = True
            elif len(words) > 1 and words[-1] in COUNTRYSIDE_WORDS_EN:
                countryside = True
                words = words[:-1]
                changed = True
        if words:
            names.append(" ".join(words))
            if n_part > parens:
                context.append(" ".join(words))
        if key not in names:
            names.append(key)
    # last resort: the name without its qualifier ("Baghuz at-Tahtani" is by Baghuz,
    # "X al-Kabirah" by X); never the qualifier alone
    for n in list(names):
        words = n.split()
        if len(words) >= 2 and words[-1] in _QUALIFIERS:
            base = words[:-1]
            if len(base) >= 2 and base[-1] in LATIN_ARTICLES:
                base = base[:-1]
            bare = " ".join(base)
            if bare and bare not in names and bare not in _DESCRIPTOR_WORDS:
                names.append(bare)
    return Query(text=text, names=names, feature_types=types, countryside=countryside,
                 full=normalize_key(outer), context=context)
