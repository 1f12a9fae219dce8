"""Events in ACLED's columns (``to_file(..., schema="acled")``, ``geomap events --schema acled``).

ACLED codes one row per event and location: ``event_date``, ``event_type`` (its six categories:
Battles, Explosions/Remote violence, ...), ``sub_event_type``, ``actor1``, ``actor2``,
``admin1``-``admin3``, ``location``, ``latitude``, ``longitude``, ``geo_precision`` (1 the town,
2 near it, 3 a larger area), ``source``, ``notes`` and ``fatalities``. geomap's own event type is
kept in ``notes`` beside the report's snippet. ``admin1``-``admin3`` come from the frame's
columns of those names when present; else ``admin1`` is the governorate the gazetteer gives the
place (empty when it gives none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import GeomapError, InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: ACLED's columns, in order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
)


def _governorates(events: Any, gazetteer: Any) -> list[str | None]:
    """The English name of each row's governorate from the gazetteer (None when unknown)."""
    try:
        from ..gazetteer.load import load_gazetteer

        gaz = gazetteer if gazetteer is not None and not isinstance(gazetteer, str) else \
            load_gazetteer(gazetteer or "default")
    except GeomapError:
        return [None] * len(events)
    out: list[str | None] = []
    for pid in events["place_id"]:
        place = gaz.get(str(pid)) if pid is not None else None
        gov = gaz.governorate(place.admin1) if place is not None and place.admin1 else None
        out.append(gov.name if gov is not None else None)
    return out


def acled_frame(events: Any, gazetteer: Any = None) -> pd.DataFrame:
    """``events`` (an :func:`~geomap.extract_events` frame) in :data:`ACLED_COLUMNS`.

    Raises
    ------
    InputError
        When ``events`` lacks the columns an ACLED row needs (``date``, ``event_type``, ``lat``, ``lon``).
    """
    import pandas as pd

    from ..events.lexicon import ACLED_TYPES, sub_event_type
    from ..geoparsing.precision import acled_geo_precision

    missing = {"date", "event_type", "lat", "lon"} - set(events.columns)
    if missing:
        raise InputError(f"events lack column(s) {sorted(missing)} needed for the ACLED schema")
    n = len(events)

    def col(name: str, default: Any = None) -> pd.Series:
        return events[name] if name in events.columns else pd.Series([default] * n, index=events.index)

    etype = col("event_type").astype(str)
    sub = col("sub_event_type")
    sub = [s if isinstance(s, str) and s else sub_event_type(t, None) for s, t in zip(sub, etype)]
    admin1 = col("admin1") if "admin1" in events.columns else pd.Series(
        _governorates(events, gazetteer) if "place_id" in events.columns else [None] * n, index=events.index)
    notes = [" | ".join(x for x in (f"[{t}]", s if isinstance(s, str) else "") if x)
             for t, s in zip(etype, col("snippet", ""))]
    prec = [acled_geo_precision(p) if isinstance(p, str) and p else None for p in col("precision")]
    date = pd.to_datetime(col("date"))
    out = pd.DataFrame({
        "event_date": date.dt.strftime("%Y-%m-%d").where(date.notna(), None),
        "event_type": [ACLED_TYPES.get(t, ACLED_TYPES["other"])[0] for t in etype],
        "sub_event_type": sub,
        "actor1": col("actor1"),
        "actor2": col("actor2"),
        "admin1": admin1,
        "admin2": col("admin2"),
        "admin3": col("admin3"),
        "location": col("name"),
        "latitude": col("lat"),
        "longitude": col("lon"),
        "geo_precision": pd.array(prec, dtype="Int64"),
        "source": col("source"),
        "notes": notes,
        "fatalities": pd.array(col("fatalities"), dtype="Int64"),
    }, index=events.index)
    return out.reset_index(drop=True)
