"""The event vocabulary: event types, their labels and priority, and the keyword
phrases (strong and weak) that name each type, in Arabic and English (moved
whole from lexicon.py, which matches them)."""

from __future__ import annotations

#: Event types, in display order; ``other`` is a sentence with places but no keyword.
EVENT_TYPES: tuple[str, ...] = (
    "airstrike",
    "shelling",
    "drone",
    "explosion",
    "clashes",
    "attack",
    "meeting",
    "deployment",
    "arrest",
    "protest",
    "other",
)

#: English and Arabic labels of each event type.
LABELS: dict[str, tuple[str, str]] = {
    "airstrike": ("Airstrike", "غارة جوية"),
    "shelling": ("Shelling", "قصف مدفعي"),
    "drone": ("Drone strike", "ضربة مسيّرة"),
    "explosion": ("Explosion", "انفجار"),
    "clashes": ("Clashes", "اشتباكات"),
    "attack": ("Attack", "هجوم"),
    "meeting": ("Meeting", "اجتماع"),
    "deployment": ("Deployment", "تعزيزات"),
    "arrest": ("Arrest", "اعتقال"),
    "protest": ("Protest", "مظاهرة"),
    "other": ("Other", "أخرى"),
}

#: Resolution order when phrases of several types match one sentence.
PRIORITY: tuple[str, ...] = (
    "drone",
    "airstrike",
    "shelling",
    "explosion",
    "clashes",
    "attack",
    "arrest",
    "protest",
    "deployment",
    "meeting",
)

_STRONG: dict[str, tuple[str, ...]] = {
    "airstrike": (
        "غارة", "غارات", "غارتين", "غارتان", "ضربة جوية", "ضربات جوية", "ضربتين جويتين",
        "قصف جوي", "قصفا جويا", "القصف الجوي", "الطيران الحربي", "طائرات حربية", "طلعات جوية",
        "طلعة جوية", "سلاح الجو", "sorties", "air sorties",
        "طائرة حربية", "مقاتلات", "airstrike", "airstrikes", "air strike", "air strikes",
        "air raid", "air raids", "warplanes", "warplane", "bombing raid", "bombing raids",
    ),
    "shelling": (
        "قصف مدفعي", "قصفا مدفعيا", "قصف صاروخي", "قصفا صاروخيا", "قذائف", "قذيفة",
        "قذائف هاون", "راجمات", "shelling", "shelled", "shells", "artillery",
        "rocket fire", "mortar", "mortars",
    ),
    "drone": (
        "طائرة مسيرة", "طائرات مسيرة", "طائرة بدون طيار", "طائرات بدون طيار",
        "طائرة دون طيار", "طائرات دون طيار", "درون", "drone", "drones", "uav", "uavs",
    ),
    "explosion": (
        "انفجار", "انفجارات", "تفجير", "تفجيرات", "عبوة ناسفة", "عبوات ناسفة",
        "سيارة مفخخة", "مفخخة", "لغم", "explosion", "explosions", "exploded", "blast",
        "blasts", "ied", "ieds", "car bomb", "landmine",
    ),
    "clashes": (
        "اشتباكات", "اشتباك", "معارك", "معركة", "مواجهات", "clashes", "clashed", "clash",
        "fighting", "battles",
    ),
    "attack": ("هجوم", "هجمات", "هجوما", "attack", "attacks", "attacked", "ambush"),
    "meeting": (
        "اجتماع", "اجتماعا", "اجتماعات", "لقاء", "meeting", "meetings", "met with", "talks",
    ),
    "deployment": (
        "تعزيزات", "انتشار", "أرتال", "رتل", "reinforcements", "deployed",
        "deployment", "deploys", "convoy", "convoys",
    ),
    "arrest": (
        "اعتقال", "اعتقالات", "اعتقل", "اعتقلت", "احتجاز", "توقيف", "القبض", "arrest",
        "arrests", "arrested", "detained", "detention",
    ),
    "protest": (
        "مظاهرة", "مظاهرات", "تظاهرة", "تظاهرات", "احتجاج", "احتجاجات", "احتجاجية",
        "متظاهرين", "متظاهرون", "protest", "protests", "protesters", "demonstration",
        "demonstrations", "demonstrators",
    ),
}

_WEAK: dict[str, tuple[str, ...]] = {
    "shelling": ("قصف", "قصفت", "bombardment", "bombarded"),
    "deployment": ("نشر",),
    "airstrike": ("strike", "strikes", "struck", "bombed", "ضربة", "ضربات", "ضربتين"),
    "drone": ("مسيرة", "مسيرات"),
    "attack": ("استهداف", "استهدف", "استهدفت", "targeted"),
}

#: Weight of a keyword match in an event's confidence.
STRENGTH_FACTOR: dict[str, float] = {"strong": 1.0, "weak": 0.7, "none": 0.5}
