"""Normalisation: Arabic and Latin folds, offsets back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.text import latin_skeleton, normalize, normalize_key, normalize_many, strip_article


def test_arabic_folds() -> None:
    assert normalize_key("إدلب") == normalize_key("ادلب") == normalize_key("أدلب")
    assert normalize_key("حماة") == normalize_key("حماه")
    assert normalize_key("مستشفى") == normalize_key("مستشفي")
    assert normalize_key("الرَّقَّة") == normalize_key("الرقة")  # tashkeel
    assert normalize_key("حـــلـــب") == "حلب"  # tatweel
    assert normalize_key("\u200fحمص\u200e") == "حمص"  # bidi marks
    assert normalize_key("٢٠٢١") == "2021"
    assert normalize_key("حفر_الباطن") == "حفر الباطن"  # hashtag underscores


def test_latin_transliterations_meet() -> None:
    assert normalize_key("As Safīrah") == normalize_key("as-Safira")[0:2] + " safira"
    assert normalize_key("Ḩimş") == "hims"
    skel = {latin_skeleton(normalize_key(s)) for s in ("Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour")}
    assert len(skel) == 1
    assert strip_article(normalize_key("al-Safira")) == "safira"
    assert strip_article("السفيره") == "سفيره"
    assert strip_article("الرا") == "الرا"  # too short to lose its article


def test_offsets_point_back_to_original() -> None:
    text = "ضربات في منطقة السَّفيرة بحلب، وفي مـطار T-4"
    n = normalize(text)
    i = n.text.index("السفيره")
    start, end = n.span(i, i + len("السفيره"))
    assert text[start:end] == "السَّفيرة"
    j = n.text.index("مطار t 4")
    start, end = n.span(j, j + len("مطار t 4"))
    assert text[start:end] == "مـطار T-4"


@settings(deadline=None)  # timing is not what this property is about
@given(st.text(alphabet=st.sampled_from(list("حمص السفيرة\u064e\u0651\u0640\u200f ab-'T4ḩ\n")), max_size=60))
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    n = normalize(text)
    assert len(n.offsets) == len(n.text) + 1
    assert all(0 <= int(o) < len(text) for o in n.offsets[:-1])
    assert all(a < b for a, b in zip(n.offsets[:-1], n.offsets[1:]))
    # every kept character maps to a source character that folds to it
    for k, ch in enumerate(n.text):
        assert normalize(text[int(n.offsets[k])]).text in (ch, "")  or ch == " "


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("حمص ال\u064e\u0640\u200f ahHsS-_'T4ḩ\n😀")), max_size=12),
                max_size=8), st.booleans())
def test_normalize_many_is_normalize_text_by_text(texts: list[str], words_only: bool) -> None:
    # no rule (space runs, doubled letters, a final "ah") reaches across two texts
    for one, many in zip([normalize(t, words_only=words_only) for t in texts],
                         normalize_many(texts, words_only=words_only), strict=True):
        assert many.text == one.text and many.original == one.original
        assert many.offsets.dtype == one.offsets.dtype and many.offsets.tolist() == one.offsets.tolist()


def test_final_hamza_after_alef_is_folded_with_offsets() -> None:
    nt = normalize("قصف على صنعاء، والبتراء القديمة", words_only=True)
    assert "صنعا " in nt.text and "والبترا " in nt.text
    a = nt.text.index("صنعا")
    assert nt.span(a, a + 4) == (8, 13)  # the folded hamza stays in the mention: صنعاء
    assert normalize("ءا").text == "ءا"  # only a word's final hamza after alef
    assert normalize_key("صنعاء") == normalize_key("صنعا")


def test_word_ranks_are_kept_and_remade_when_damaged(tmp_path, monkeypatch) -> None:
    # wordfreq's lists, folded by the normaliser, are kept as JSON in the data directory
    from geomap.gazetteer import words as matcher

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path))
    built = matcher._cached_ranks("test", lambda: {"حلب": 3, "جروح": 7})
    [path] = tmp_path.glob("words-test-*.json")
    assert built == {"حلب": 3, "جروح": 7}
    assert matcher._cached_ranks("test", lambda: {"other": 1}) == built  # read back, not made again
    path.write_text("{not json", encoding="utf-8")
    assert matcher._cached_ranks("test", lambda: {"made": 2}) == {"made": 2}  # damaged: made again
    assert matcher._cached_ranks("test", lambda: {"other": 1}) == {"made": 2}
    # the real lists: the word جروح ("wounds") is among the dictionary's words
    matcher.dictionary_words.cache_clear()
    try:
        assert "جروح" in matcher.dictionary_words()
        assert list(tmp_path.glob("words-ar*.json"))
    finally:
        matcher.dictionary_words.cache_clear()


def test_breaks_put_spaces_into_glued_tokens_with_offsets() -> None:
    text = "مظاهرة في السويداء12 وإدلبnews"
    nt = normalize(text, words_only=True)
    cuts = [nt.text.index("12"), nt.text.index("news")]
    got = nt.with_breaks(cuts)
    assert got.text == "مظاهره في السويدا 12 وادلب news"  # the final hamza goes as before a space
    assert len(got.offsets) == len(got.text) + 1
    assert all(a <= b for a, b in zip(got.offsets[:-1], got.offsets[1:]))
    a = got.text.index("السويدا")
    assert text[slice(*got.span(a, a + len("السويدا")))] == "السويداء"  # the hamza is the mention's
    a = got.text.index("ادلب")
    assert text[slice(*got.span(a, a + 4))] == "إدلب"
    assert nt.with_breaks([]) is nt
    with pytest.raises(ValueError):
        nt.with_breaks([0])
