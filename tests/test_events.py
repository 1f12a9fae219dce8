"""Tests of the event lexicon, incident extraction and merging, and the CLI.

The geoparser is being written elsewhere; these tests build its mentions
frames by hand (``fake_mentions``) with real coordinates, in the
``geomap.geoparse_many`` format. test_maps.py and test_browser.py import
``fake_mentions`` and ``example_events`` from here.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

from geomap.errors import InputError, NoEventsWarning
from geomap.events import (
    EVENT_COLUMNS,
    Document,
    classify,
    example_paths,
    extract_events,
    read_documents,
    split_sentences,
)

gpd = pytest.importorskip("geopandas")
from shapely import Point, Polygon  # noqa: E402

# Deir ez-Zor governorate, coarse outline (lon, lat).
DEIR_EZ_ZOR_POLY = Polygon([(39.30, 35.85), (40.10, 36.05), (40.90, 35.75), (41.30, 34.60),
                            (40.70, 34.35), (39.60, 34.70), (39.30, 35.85)])

# key: (place_id, name, name_ar, feature_type, precision, lat, lon, area polygon, role)
PLACES = {
    "tiyas": ("geomap:tiyas", "Tiyas Airbase (T-4)", "مطار التيفور", "airbase", "exact", 34.5225, 37.6297, None, "place"),
    "safira": ("geomap:safira", "al-Safira", "السفيرة", "town", "exact", 36.077, 37.373, None, "place"),
    "homs": ("geomap:homs", "Homs", "حمص", "city", "exact", 34.73, 36.71, None, "place"),
    "homs_cs": ("geomap:homs-countryside", "Homs countryside", "ريف حمص", "region", "region",
                34.60, 37.30, None, "container"),
    "aleppo": ("geomap:aleppo", "Aleppo", "حلب", "city", "exact", 36.20, 37.16, None, "place"),
    "aleppo_cs": ("geomap:aleppo-countryside", "Aleppo countryside", "ريف حلب", "region", "region",
                  36.00, 37.30, None, "container"),
    "idlib": ("geomap:idlib", "Idlib", "إدلب", "city", "exact", 35.93, 36.63, None, "place"),
    "deir": ("geomap:deir-ez-zor", "Deir ez-Zor Governorate", "محافظة دير الزور", "governorate",
             "governorate", 35.20, 40.20, DEIR_EZ_ZOR_POLY, "place"),
    "daraa": ("geomap:daraa", "Daraa", "درعا", "city", "exact", 32.625, 36.106, None, "place"),
    "palmyra": ("geomap:palmyra", "Palmyra", "تدمر", "city", "exact", 34.56, 38.28, None, "place"),
}
ALIASES = [
    ("ريف حمص الشرقي", "homs_cs"), ("eastern Homs countryside", "homs_cs"),
    ("ريف حلب الجنوبي الشرقي", "aleppo_cs"), ("Aleppo countryside", "aleppo_cs"),
    ("ريف دير الزور الشرقي", "deir"), ("مطار التيفور", "tiyas"), ("T-4", "tiyas"), ("Tiyas", "tiyas"),
    ("السفيرة", "safira"), ("al-Safira", "safira"), ("حمص", "homs"), ("Homs", "homs"), ("حلب", "aleppo"),
    ("Aleppo", "aleppo"), ("Idlib", "idlib"), ("إدلب", "idlib"), ("درعا", "daraa"), ("Daraa", "daraa"),
    ("Palmyra", "palmyra"), ("تدمر", "palmyra"),
]
_NEAR = ("قرب ", "near ", "outskirts of ")


def fake_mentions(texts: list[str], unresolved: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """A hand-made stand-in for ``geomap.geoparse_many``: longest alias first, no overlaps.

    A place preceded by "near"/"قرب" gets precision ``near``; words in
    ``unresolved`` become unresolved mentions.
    """
    rows = []
    for di, text in enumerate(texts):
        taken: list[tuple[int, int]] = []
        for alias, key in sorted(ALIASES, key=lambda a: -len(a[0])):
            for m in re.finditer(re.escape(alias), text):
                s, e = m.span()
                if any(s < b and a < e for a, b in taken):
                    continue
                taken.append((s, e))
                pid, name, name_ar, ftype, prec, lat, lon, poly, role = PLACES[key]
                if prec == "exact" and text[max(0, s - 20):s].endswith(_NEAR):
                    prec = "near"
                rows.append(dict(doc=di, mention=text[s:e], start=s, end=e, place_id=pid, name=name,
                                 name_ar=name_ar, feature_type=ftype, precision=prec, confidence=0.9,
                                 lat=lat, lon=lon, geometry=poly if poly is not None else Point(lon, lat),
                                 resolved=True, reason="alias", cue="قرب" if prec == "near" else None,
                                 role=role))
        for word in unresolved:
            for m in re.finditer(re.escape(word), text):
                rows.append(dict(doc=di, mention=word, start=m.start(), end=m.end(), place_id=None, name=None,
                                 name_ar=None, feature_type=None, precision=None, confidence=0.0, lat=None,
                                 lon=None, geometry=None, resolved=False, reason="not in gazetteer", cue=None,
                                 role="place"))
    cols = ["doc", "mention", "start", "end", "place_id", "name", "name_ar", "feature_type", "precision",
            "confidence", "lat", "lon", "geometry", "resolved", "reason", "cue", "role"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs="EPSG:4326")


def example_events() -> gpd.GeoDataFrame:
    """Events of the shipped example documents."""
    ds = read_documents(example_paths())
    return extract_events(ds, mentions=fake_mentions([d.text for d in ds]))


def _doc(text: str, doc_id: str = "d", date: dt.date | None = dt.date(2021, 11, 17), source: str = "S") -> Document:
    return Document(doc_id=doc_id, text=text, date=date, source=source, url=f"https://example.org/{doc_id}")


def _extract(docs, **kw):
    return extract_events(docs, mentions=fake_mentions([d.text for d in docs]), **kw)


# --- lexicon ---------------------------------------------------------------------


@pytest.mark.parametrize("sentence,etype", [
    ("شنّت طائرات حربية غاراتٍ على مطار التيفور", "airstrike"),
    ("والغارات استهدفت مطار التيفور", "airstrike"),
    ("ضربات جوية على السفيرة", "airstrike"),
    ("القصف الجوي على حمص", "airstrike"),
    ("Air strikes hit the T-4 airbase", "airstrike"),
    ("An air raid on Palmyra", "airstrike"),
    ("قصف مدفعي على قرى ريف دير الزور", "shelling"),
    ("قصفٌ صاروخيّ استهدف درعا", "shelling"),
    ("Shelling hit villages near Daraa", "shelling"),
    ("استهدفت طائرة مسيّرة سيارة في إدلب", "drone"),
    ("غارة بطائرة مسيرة قرب إدلب", "drone"),  # drone beats airstrike
    ("هجوم بطائرة بدون طيار", "drone"),
    ("A drone strike hit a vehicle near Idlib", "drone"),
    ("انفجار عبوة ناسفة في درعا", "explosion"),
    ("An IED exploded near Homs", "explosion"),
    ("اشتباكات عنيفة قرب السفيرة", "clashes"),
    ("معارك في ريف حلب", "clashes"),
    ("Clashes erupted in the desert near Palmyra", "clashes"),
    ("هجوم على نقطة عسكرية قرب تدمر", "attack"),
    ("An attack on a checkpoint", "attack"),
    ("عقد اجتماع في حمص", "meeting"),
    ("Officials held a meeting in Homs", "meeting"),
    ("وصلت تعزيزات عسكرية إلى تدمر", "deployment"),
    ("Troops were deployed to Palmyra", "deployment"),
    ("حملة اعتقالات في درعا", "arrest"),
    ("Security forces arrested three men in Daraa", "arrest"),
    ("مظاهرة في حلب", "protest"),
    ("خرجت مسيرة احتجاجية في درعا", "protest"),  # "march" is not a drone here
    ("A protest in Aleppo", "protest"),
    ("قصفت القوات مواقع في إدلب", "shelling"),  # weak keyword
    ("Warplanes bombed Idlib", "airstrike"),
])
def test_classify(sentence, etype):
    assert classify(sentence).event_type == etype


def test_classify_strength_and_none():
    assert classify("غارة على حمص").strength == "strong"
    assert classify("استهدفت مسيّرة سيارة").strength == "weak"
    assert classify("Homs is Syria's third-largest city") is None
    assert classify("وتقع مدينة حمص وسط البلاد") is None
    assert classify("نشرت الوكالة الخبر") is None  # "published", not a deployment


def test_split_sentences_arabic_and_english():
    text = "غارة على حمص؟ نعم؛ قصف مدفعي!\nShelling near Daraa. It was 1.5 km away... ok"
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["غارة على حمص؟", "نعم؛", "قصف مدفعي!", "Shelling near Daraa.", "It was 1.5 km away.", "ok"]


# --- extraction on the examples ------------------------------------------------------


def test_example_events():
    ev = example_events()
    assert list(ev.columns) == list(EVENT_COLUMNS)
    assert ev.crs.to_epsg() == 4326
    # the Arabic and English reports of the T-4 strike are one event with two reports
    t4 = ev[ev.place_id == "geomap:tiyas"]
    assert len(t4) == 1
    row = t4.iloc[0]
    assert row.event_type == "airstrike" and row.n_reports == 2
    assert row.date == dt.datetime(2021, 11, 17) and row.date_precision == "day"
    assert (round(row.geometry.x, 4), round(row.geometry.y, 4)) == (37.6297, 34.5225)
    assert row.name_ar == "مطار التيفور" and set(row.doc_ids.split("|")) == {
        "tiyas_airstrike_ar.txt", "tiyas_airstrike_en.txt"}
    # containers (ريف حمص الشرقي, Aleppo countryside) are never event places
    assert not ev.place_id.str.contains("countryside").any()
    # Levantine month in a CSV row; "near" precision from the cue
    mon = ev[ev.doc_id == "mon-001"].iloc[0]
    assert (mon.event_type, mon.place_id, mon.precision) == ("clashes", "geomap:safira", "near")
    assert mon.date == dt.datetime(2021, 11, 15)
    # relative dates against the publication date
    daraa = ev[ev.doc_id == "daraa_arrest_ar.txt"].iloc[0]
    assert daraa.event_type == "arrest" and daraa.date == dt.datetime(2021, 12, 9)
    aleppo = ev[ev.doc_id == "aleppo_protest_ar.txt"].iloc[0]
    assert aleppo.event_type == "protest" and aleppo.date == dt.datetime(2021, 12, 2)  # يوم الخميس
    palmyra = ev[ev.doc_id == "mon-003"].iloc[0]
    assert palmyra.event_type == "attack" and palmyra.date_precision == "month"
    assert palmyra.date == dt.datetime(2021, 10, 25)  # أواخر تشرين الأول الماضي
    # a governorate is an area polygon
    deir = ev[ev.place_id == "geomap:deir-ez-zor"].iloc[0]
    assert deir.event_type == "shelling" and deir.geometry.geom_type == "Polygon"
    assert deir.precision == "governorate" and deir.date == dt.datetime(2021, 11, 27)
    # no document date: unknown
    undated = ev[ev.doc_id == "palmyra_clashes_en.txt"]
    assert set(undated.date_precision) == {"unknown"} and undated.date.isna().all()
    # a place without event keyword in a document with an incident is no incident ("the road to Homs")
    assert list(undated.event_type) == ["deployment"] and "geomap:homs" not in set(undated.place_id)
    info = ev.attrs["geomap_summary"]
    assert info["documents"] == 12 and info["documents_without_places"] == 0
    assert info["resolved_share"] == 1.0 and info["events"] == len(ev.event_id.unique())


def test_include_other_false():
    ev = extract_events(read_documents(example_paths()),
                        mentions=fake_mentions([d.text for d in read_documents(example_paths())]),
                        include_other=False)
    assert "other" not in set(ev.event_type)


# --- merging ----------------------------------------------------------------------------


def test_repeated_sentence_in_one_document_is_one_report():
    s = "شنّت طائرات حربية غاراتٍ على مطار التيفور."
    ev = _extract([_doc(f"{s}\nتفاصيل أخرى.\n{s}")])
    assert len(ev) == 1 and ev.iloc[0].n_reports == 1
    # (one incident of the document: its two sentences tell the same strike)
    assert ev.attrs["geomap_summary"]["incidents"] == 1 and ev.attrs["geomap_summary"]["events"] == 1


def test_same_sentence_across_documents_merges():
    s = "اندلعت اشتباكات عنيفة قرب السفيرة."
    ev = _extract([_doc(s, "a"), _doc("مقدمة. " + s, "b"), _doc(s, "c", date=dt.date(2021, 12, 1))])
    # a and b: same sentence, same date → one event; c: same words, another day → another event
    assert sorted(ev.n_reports.tolist()) == [1, 2]
    assert ev[ev.n_reports == 2].iloc[0].doc_ids == "a|b"


def test_same_type_place_and_day_merges():
    ev = _extract([
        _doc("Warplanes carried out air strikes on the T-4 airbase.", "en"),
        _doc("شنّت طائرات حربية غاراتٍ على مطار التيفور.", "ar"),
        _doc("Shelling hit the T-4 airbase.", "sh"),  # another type: not merged
    ])
    assert sorted(zip(ev.event_type, ev.n_reports)) == [("airstrike", 2), ("shelling", 1)]


def test_month_precision_does_not_merge_by_place():
    ev = _extract([
        _doc("Clashes near Palmyra in mid-October.", "a"),
        _doc("Fighting broke out near Palmyra in late October.", "b"),
    ])
    assert len(ev) == 2 and set(ev.n_reports) == {1}


def test_one_incident_two_places():
    ev = _extract([_doc("Air strikes hit Idlib and Aleppo yesterday.")])
    assert len(ev) == 2 and ev.event_id.nunique() == 1
    assert set(ev.place_id) == {"geomap:idlib", "geomap:aleppo"}
    assert set(ev.date) == {dt.datetime(2021, 11, 16)}


# --- accounting and input checks ---------------------------------------------------------


def test_unresolved_and_placeless_documents_are_counted():
    docs = [_doc("Clashes in Kafr Nabudah.", "u"), _doc("A quiet day.", "q"), _doc("Shelling hit Daraa.", "s")]
    ev = extract_events(docs, mentions=fake_mentions([d.text for d in docs], unresolved=("Kafr Nabudah",)))
    info = ev.attrs["geomap_summary"]
    assert len(ev) == 1 and ev.iloc[0].place_id == "geomap:daraa"
    assert info["documents"] == 3 and info["documents_without_places"] == 2
    assert info["mentions"] == 2 and info["resolved"] == 1 and info["resolved_share"] == 0.5


def test_empty_inputs_give_typed_empty_frame():
    ev = extract_events([], mentions=fake_mentions([]))
    assert len(ev) == 0 and list(ev.columns) == list(EVENT_COLUMNS) and ev.crs.to_epsg() == 4326
    with pytest.warns(NoEventsWarning, match="no events found in 1 document"):
        ev2 = _extract([_doc("No places here.")])
    assert len(ev2) == 0 and ev2.attrs["geomap_summary"]["documents_without_places"] == 1


def test_mentions_with_lat_lon_only_and_no_role():
    import pandas as pd

    d = _doc("Shelling hit Daraa.")
    m = pd.DataFrame([dict(doc=0, start=13, end=18, place_id="geomap:daraa", name="Daraa", lat=32.625,
                           lon=36.106, precision="exact", confidence=0.8)])
    ev = extract_events([d], mentions=m)
    assert len(ev) == 1 and (ev.iloc[0].geometry.x, ev.iloc[0].geometry.y) == (36.106, 32.625)


def test_bad_mentions_raise_input_error():
    import pandas as pd

    with pytest.raises(InputError, match="document index 3"):
        extract_events([_doc("Homs")], mentions=pd.DataFrame(dict(doc=[3], start=[0], end=[4], place_id=["x"])))
    with pytest.raises(InputError, match="lack column"):
        extract_events([_doc("Homs")], mentions=pd.DataFrame(dict(doc=[0])))
    with pytest.raises(InputError, match="DataFrame"):
        extract_events([_doc("Homs")], mentions=[1, 2])


def test_uses_geoparse_many_lazily(monkeypatch):
    import geomap

    calls = []

    def geoparse_many(texts, *, gazetteer=None, n_jobs=None):
        calls.append((len(texts), gazetteer, n_jobs))
        return fake_mentions(texts)

    monkeypatch.setattr(geomap, "geoparse_many", geoparse_many, raising=False)
    ev = extract_events([_doc("Shelling hit Daraa.")], gazetteer="tiny")
    assert calls == [(1, "tiny", 1)] and ev.iloc[0].place_id == "geomap:daraa"


def test_without_geoparser_and_mentions_is_a_clear_error(monkeypatch):
    import geomap

    if "geoparse_many" in vars(geomap):
        monkeypatch.delattr(geomap, "geoparse_many")
    monkeypatch.setitem(sys.modules, "geomap.geoparsing", None)  # import fails
    with pytest.raises(InputError, match="mentions="):
        extract_events([_doc("Shelling hit Daraa.")])


def test_real_geoparser_on_examples():
    """End to end with the project's geoparser and default gazetteer (when available)."""
    pytest.importorskip("geomap.geoparsing")
    from geomap.errors import GazetteerError

    ds = read_documents(example_paths())
    try:
        ev = extract_events(ds)
    except GazetteerError as e:  # pragma: no cover - gazetteer not built on this machine
        pytest.skip(f"no gazetteer: {e}")
    t4 = ev[(ev.event_type == "airstrike") & (ev.date == dt.datetime(2021, 11, 17))]
    assert len(t4) == 1 and t4.iloc[0].n_reports == 2
    g = t4.iloc[0].geometry
    assert abs(g.y - 34.5225) < 0.05 and abs(g.x - 37.6297) < 0.05
    assert "container" not in set(ev.get("role", []))
    assert ev.attrs["geomap_summary"]["documents"] == 12


# --- CLI ---------------------------------------------------------------------------------


@pytest.fixture
def fake_geoparser(monkeypatch):
    import geomap

    monkeypatch.setattr(geomap, "geoparse_many", lambda texts, *, gazetteer=None, n_jobs=None: fake_mentions(texts),
                        raising=False)


def _cli(argv):
    from geomap.events.cli import main

    return main(argv)


@pytest.mark.parametrize("ext", [".gpkg", ".parquet", ".geojson", ".csv"])
def test_cli_events(tmp_path, capsys, fake_geoparser, ext):
    out = tmp_path / f"events{ext}"
    assert _cli(["events", str(example_paths()[0].parent), "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert "documents read: 12 (skipped: 0)" in err and "resolved: 20 (100%)" in err
    back = gpd.read_file(out) if ext != ".parquet" else gpd.read_parquet(out)
    if ext == ".csv":
        assert "POINT (37.6297 34.5225)" in set(back["geometry"]) or back.shape[0] > 0
    assert len(back) == 11 and "geomap:tiyas" in set(back["place_id"])


def test_cli_events_bad_arguments(tmp_path, capsys, fake_geoparser):
    assert _cli(["events", str(example_paths()[0]), "-o", str(tmp_path / "e.shp")]) == 2
    assert "must end with one of" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert _cli(["events", str(example_paths()[0]), "-o", str(tmp_path / "afile" / "e.gpkg")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    # a missing output folder is made, as for `-o out/map.html` on a fresh checkout
    assert _cli(["events", str(example_paths()[0]), "-o", str(tmp_path / "new" / "e.gpkg"), "-q"]) == 0
    assert (tmp_path / "new" / "e.gpkg").is_file()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert _cli(["events", str(empty), "-o", str(tmp_path / "e.gpkg"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "empty file" in err and "no documents read" in err
    with pytest.raises(SystemExit) as exc:
        _cli(["events", str(empty)])  # -o missing: argparse usage error
    assert exc.value.code == 2


def test_cli_events_with_precomputed_mentions(tmp_path, capsys):
    ds = read_documents(example_paths())
    mpath = tmp_path / "mentions.parquet"
    fake_mentions([d.text for d in ds]).to_parquet(mpath)
    out = tmp_path / "e.geojson"
    assert _cli(["events", *map(str, example_paths()), "--mentions", str(mpath), "-o", str(out), "-q",
                 "--no-other"]) == 0
    back = gpd.read_file(out)
    assert "other" not in set(back.event_type) and len(back) == 11


def test_sample_article_incidents(sample_article):
    """The real article: its repeated body gives each incident once."""
    doc = Document(doc_id="levant", text=sample_article, date=dt.date(2021, 11, 20), source="ليفانت")
    ev = extract_events([doc])
    safira = ev[ev["name_ar"] == "السفيرة"]
    assert set(safira["event_type"]) == {"airstrike"}
    meeting = ev[(ev["event_type"] == "meeting") & (ev["place_id"] == "icao:OS72")]
    assert len(meeting) == 1 and meeting.iloc[0]["n_reports"] == 1
    assert str(meeting.iloc[0]["date"])[:10] == "2021-11-15" and meeting.iloc[0]["date_precision"] == "month"
    desert = ev[ev["name"].str.contains("Syrian Desert")]
    assert set(desert["event_type"]) == {"airstrike"}  # air sorties against ISIS positions
    assert not ev.duplicated(["event_type", "place_id", "snippet"]).any()


def test_country_is_context_when_a_finer_place_is_named():
    """A sentence naming Syria and al-Safira is an incident at al-Safira only."""
    import geopandas as gpd

    text = "غارات جوية على منطقة السفيرة في سوريا."
    mentions = gpd.GeoDataFrame({
        "doc": [0, 0], "mention": ["منطقة السفيرة", "سوريا"], "start": [15, 31], "end": [28, 36],
        "place_id": ["gn:172503", "iso:SY"], "name": ["As Safirah", "Syria"], "name_ar": ["السفيرة", "سوريا"],
        "feature_type": ["town", "country"], "precision": ["exact", "country"], "confidence": [0.9, 0.7],
        "lat": [36.077, 34.80], "lon": [37.373, 39.0], "resolved": [True, True], "role": ["place", "place"],
        "reason": ["", ""], "cue": ["admin", ""],
    }, geometry=[Point(37.373, 36.077), Point(39.0, 34.80)], crs="EPSG:4326")
    ev = extract_events([_doc(text)], mentions=mentions)
    assert ev["place_id"].tolist() == ["gn:172503"] and ev["event_type"].tolist() == ["airstrike"]


# --- event type per clause -----------------------------------------------------------


def _spans(sentence: str, *names: str) -> list[tuple[int, int]]:
    return [(sentence.index(n), sentence.index(n) + len(n)) for n in names]


@pytest.mark.parametrize("sentence,names,types", [
    ("غارات على مطار T-4 وقصف مدفعي على منطقة السفيرة", ("مطار T-4", "منطقة السفيرة"),
     ["airstrike", "shelling"]),
    ("Airstrikes hit the T-4 airbase while artillery shelled al-Safira", ("T-4", "al-Safira"),
     ["airstrike", "shelling"]),
    # the nearest keywords before a place govern it, whatever the priority of the types
    ("قصف مدفعي على بلدة مورك وغارات جوية على خان شيخون", ("مورك", "خان شيخون"), ["shelling", "airstrike"]),
    # no keyword between two places: the second shares the first's type
    ("غارات جوية على حمص وحماة", ("حمص", "حماة"), ["airstrike", "airstrike"]),
    # a targeting verb names the act, not a new kind of incident
    ("Warplanes struck Saraqib and targeted Ariha", ("Saraqib", "Ariha"), ["airstrike", "airstrike"]),
    # keywords after the first place: the first clause with any
    ("Palmyra was hit by warplanes, while artillery shelled al-Sukhnah", ("Palmyra", "al-Sukhnah"),
     ["airstrike", "shelling"]),
    ("تعرضت بلدة كفرنبل لقصف صاروخي، فيما دارت اشتباكات في محيط معرة النعمان",
     ("كفرنبل", "معرة النعمان"), ["shelling", "clashes"]),
    # a place with no keyword anywhere near falls back on the whole sentence
    ("In Daraa and Busra, clashes broke out", ("Daraa", "Busra"), ["clashes", "clashes"]),
])
def test_classify_places_per_clause(sentence, names, types):
    from geomap.events.clauses import classify_places

    got = classify_places(sentence, _spans(sentence, *names))
    assert [m.event_type for m in got] == types


def test_classify_places_without_keywords_and_without_places():
    from geomap.events.clauses import classify_places

    s = "وصل وفد إلى حمص وحماة"
    assert classify_places(s, _spans(s, "حمص", "حماة")) == [None, None]
    assert classify_places(s, []) == []


@pytest.mark.parametrize("text,expected", [
    ("غارات على مطار T-4 وقصف مدفعي على منطقة السفيرة", {"icao:OS72": "airstrike", "السفيرة": "shelling"}),
    ("Airstrikes hit the T-4 airbase while artillery shelled al-Safira",
     {"icao:OS72": "airstrike", "السفيرة": "shelling"}),
    ("قصفت قوات النظام بلدة السفيرة بالمدفعية، فيما شنت طائرات حربية غارات على مدينة تدمر",
     {"السفيرة": "shelling", "تدمر": "airstrike"}),
])
def test_event_type_per_place_end_to_end(text, expected):
    """With the real geoparser and default gazetteer: one incident per type in the sentence."""
    pytest.importorskip("geomap.geoparsing")
    ev = extract_events([_doc(text)], n_jobs=1)
    got = {}
    for r in ev.itertuples():
        got[r.place_id] = got[r.name_ar] = r.event_type
    assert {k: got.get(k) for k in expected} == expected
    assert ev["event_id"].nunique() == 2 and ev.attrs["geomap_summary"]["incidents"] == 2


@pytest.mark.parametrize("sentence,names,types", [
    # a passive clause right after a later place
    ("T-4 was hit by airstrikes, and al-Safira by shelling", ("T-4", "al-Safira"), ["airstrike", "shelling"]),
    ("Homs and Hama were shelled", ("Homs", "Hama"), ["shelling", "shelling"]),
    # a clause that follows a comma is not the place's own
    ("Airstrikes hit Homs and Hama, killing three, and clashes erupted in Idlib", ("Homs", "Hama", "Idlib"),
     ["airstrike", "airstrike", "clashes"]),
    ("غارات جوية على حمص وحماة واستهدفت إدلب", ("حمص", "حماة", "إدلب"), ["airstrike", "airstrike", "airstrike"]),
])
def test_classify_places_clause_after_a_later_place(sentence, names, types):
    from geomap.events.clauses import classify_places

    assert [m.event_type for m in classify_places(sentence, _spans(sentence, *names))] == types
