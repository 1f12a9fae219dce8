"""The geoparsing stages one by one (geomap/geoparsing/pipeline.py runs them in order)."""

from __future__ import annotations

import pytest

from geomap.gazetteer.tables import table_path, word_list
from geomap.geoparsing import rules
from geomap.geoparsing.mention import Mention, Resolution
from geomap.geoparsing.pipeline import Parser, stages_for
from geomap.geoparsing.rows import COLUMNS, ROW_COLUMNS, unresolved_row


@pytest.fixture(scope="module")
def parser(gaz) -> Parser:
    return Parser(gaz)


def test_stages_are_made_once_per_gazetteer(gaz, parser) -> None:
    assert stages_for(gaz) is parser.stages
    other = Parser(gaz)
    assert other.stages is parser.stages  # a new parser shares the gazetteer's memos of names ...
    assert other.ranker is not parser.ranker  # ... not the rankings its documents' anchors made
    assert other.ranker._feats is parser.ranker._feats


def test_recognise_reads_mentions_cues_and_masks(parser) -> None:
    r = parser.stages.recognise.read("قصف على مدينة سراقب بريف إدلب وتصريح الرئيس حماة")
    keys = [m.hit.key for m in r.mentions]
    assert keys[0] == "سراقب" and r.mentions[0].cue.kind == "admin"
    assert "حماه" not in keys  # الرئيس حماة: a person who bears a place's name ...
    assert len(r.masked) == 1  # ... masked, so no later reader takes it
    assert [h.key for h in r.heads] == ["مدينه"]  # the descriptor word, for unknown names
    assert r.text[r.nt.span(r.mentions[0].hit.start - 1, r.mentions[0].hit.end - 1)[0]:].startswith("سراقب")


def test_reading_state_stays_with_its_text(parser) -> None:
    # the descriptor word of the first text must not lead an unknown name in the second
    first = parser.parse_one("سقطت قذيفة على قرية الفوفوة")
    assert [r[13] for r in first] == ["not in gazetteer"]
    second = parser.parse_one("حمص")
    assert [r[3] for r in second] == ["gn:169577"]


def test_candidates_exact_near_and_latin(parser) -> None:
    cands = parser.stages.candidates
    near = cands.near("معرشرين")[1]  # one edit from معر شورين (Idlib)
    assert [(p.name, p.admin1, s) for p, s in near] == [("Ma`arr Shurin", "SY-ID", 0.7)]
    key, latin, headed = cands.latin("Jenderis")  # a transliteration of Jindayris
    assert [p.name for p, _ in latin] == ["Jindayris"] and not headed
    assert cands.latin("Tall Foo")[2]  # led by a compound head


def test_context_links_containers_and_roads(parser) -> None:
    st = parser.stages
    r = st.recognise.read("قصف على مدينة سراقب بريف إدلب")
    st.context.link_containers(r)
    assert r.mentions[0].container is r.mentions[1]
    road = parser.resolve("اشتباكات على طريق حلب - دمشق الدولي").mentions
    assert len(road) == 1 and road[0].road_to is not None and road[0].road_to.hit.key == "دمشق"


def test_rank_picks_and_memoises(parser) -> None:
    m = parser.resolve("حمص").mentions[0]
    assert (m.best.id, m.best.feature_type) == ("gn:169577", "city")  # the city, not its governorate
    assert 0.5 < parser.ranker.confidence(m) < 1.0
    again = parser.resolve("حمص").mentions[0]
    assert again.best is m.best and again.score_gap == m.score_gap
    r = Resolution(m.best, m.top, m.score_gap)
    with pytest.raises(AttributeError):
        r.best = None  # frozen: a memoised choice is shared between mentions
    fresh = Mention(None, m.cue)
    fresh.resolve(r)
    assert fresh.best is m.best


def test_rows_and_unknown_names(parser) -> None:
    rows = parser.parse_one("سقطت قذيفة على قرية الفوفوة في ريف حماة")
    assert all(len(r) == len(ROW_COLUMNS) for r in rows)
    assert len(unresolved_row("x", 0, 1, "why", "name")) == len(ROW_COLUMNS)
    assert [r[3] for r in rows] == [None, "geomap:countryside:SY-HM"]
    assert rows[0][0] == "قرية الفوفوة" and rows[0][12] is False
    assert ROW_COLUMNS[12] == "resolved" and COLUMNS[-1] == "override"
    assert COLUMNS[:len(ROW_COLUMNS)] == ROW_COLUMNS


def test_geocode_reads_the_query_as_one_mention(parser) -> None:
    place, read = parser.geocode("Saraqib town")
    assert read and place.id == "gn:164816"
    assert parser.geocode("xyzzy") == (None, False)  # no name read: the lookup forms are tried next


@pytest.mark.parametrize("name", ["person_titles", "given_names", "honorifics", "function_words", "ordinals",
                                  "generic_words", "compound_heads_ar", "compound_heads_latin",
                                  "cue_words", "head_words"])
def test_rule_tables_say_why_and_are_read(name) -> None:
    first = table_path(f"rules/{name}.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 40  # the line saying why
    words = word_list(name)
    assert words and not any(w.startswith("#") or w != w.strip() for w in words)


def test_rule_sets_are_the_tables_normalised() -> None:
    from geomap.text import normalize_key

    assert normalize_key("الرئيس") in rules.PERSON_TITLES and "president" in rules.PERSON_TITLES
    assert normalize_key("أحمد") in rules.GIVEN_NAMES and "أحمد" not in rules.GIVEN_NAMES  # as the match text writes it
    assert "كفر" in rules.COMPOUND_HEADS


def test_grouped_tables_give_each_word_its_values() -> None:
    cues = rules.CUE_WORDS
    assert cues["ar_dir"]["شمال"] == ("north",) and cues["en_dir_adj"]["southeastern"] == ("southeast",)
    assert cues["admin_en_after"]["district"] == ("district", "subdistrict") and cues["admin_en_after"]["camp"] == ()
    assert "air base" in cues["air_pairs_en"] and "in the" in cues["container_gaps_en"]
    assert "ميناء" not in cues["poi_ar"] and "مينا" in cues["poi_ar"]  # normalised as the match text writes it
    assert rules.HEAD_WORDS["split_heads"][0] == "كفر" and "قريه" in rules.HEAD_WORDS["admin_heads"]


def test_cue_words_of_the_table_are_read_around_names(parser) -> None:
    r = parser.stages.recognise.read("قصف مدفعي على أطراف بلدة كفرنبل و10 كم شمال شرق تدمر")
    cues = {m.hit.key: m.cue for m in r.mentions}
    assert cues["تدمر"].kind == "direction" and cues["تدمر"].direction == "northeast" and cues["تدمر"].distance_km == 10
    r = parser.stages.recognise.read("Shelling hit the outskirts of Saraqib and the Kuweires military airport")
    kinds = {m.hit.key: m.cue.kind for m in r.mentions}
    assert kinds["saraqib"] == "near" and kinds["kuweires"] == "airbase"


def test_context_gives_a_mention_a_new_cue_rather_than_changing_the_recognised_one(parser) -> None:
    r = parser.stages.recognise.read("قصف مدفعي على طريق سراقب - أريحا صباح اليوم")
    read = {m.hit.key: m.cue for m in r.mentions}
    assert read["سراقب"].kind == "poi"  # طريق X, as the cue reader sees it
    parser.stages.context.link_roads(r)
    x = next(m for m in r.mentions if m.hit.key == "سراقب")
    assert x.road_to is not None and x.road_to.hit.key == "اريحا"
    assert x.cue.kind is None and x.cue.right > read["سراقب"].right  # the road's mention spans both ends ...
    assert read["سراقب"].kind == "poi"  # ... in a new cue: the recognised one is left as it was read
