"""Tests of geomap.events.documents: reading txt/html/jsonl/csv and reporting skips."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geomap.errors import DocumentError
from geomap.events.documents import Document, DocumentSet, example_paths, read_document, read_documents

TIYAS_AR = "شنّت طائرات حربية فجر اليوم غاراتٍ على مطار التيفور في ريف حمص الشرقي."


def _reasons(ds: DocumentSet) -> dict[str, str]:
    return {Path(p.rsplit(":", 1)[0]).name + (":" + p.rsplit(":", 1)[1] if p.rsplit(":", 1)[-1].isdigit() else ""): r
            for p, r in ds.skipped}


# --- the shipped examples ------------------------------------------------------


def test_examples_all_read():
    paths = example_paths()
    exts = {p.suffix for p in paths}
    assert {".txt", ".jsonl", ".csv"} <= exts
    ds = read_documents(paths)
    assert ds.n_read == 12 and ds.n_skipped == 0 and not ds.warnings
    assert len(ds) == 12 and all(isinstance(d, Document) for d in ds)
    by_id = {d.doc_id: d for d in ds}
    tiyas = by_id["tiyas_airstrike_ar.txt"]
    assert tiyas.date == dt.date(2021, 11, 17)
    assert tiyas.title == "غارات على مطار التيفور في ريف حمص الشرقي"
    assert tiyas.url == "https://example.org/ar/2021/11/17/tiyas"
    assert tiyas.text.startswith(TIYAS_AR)  # header removed
    assert "التاريخ" not in tiyas.text
    # a .txt without header: date and source unknown
    palmyra = by_id["palmyra_clashes_en.txt"]
    assert palmyra.date is None and palmyra.source is None
    assert palmyra.text.startswith("Reinforcements were sent to Palmyra")
    # JSONL and CSV ids, dates and Arabic sources
    assert by_id["wire-002"].date == dt.date(2021, 11, 28)
    assert by_id["mon-001"].source == "مرصد المثال (نص تجريبي)"
    assert "15 تشرين الثاني 2021" in by_id["mon-001"].text
    assert by_id["mon-001"].path.endswith("monitor_reports.csv:2")
    assert by_id["wire-003"].path.endswith("wire_reports.jsonl:3")
    assert "<img src=x onerror=alert(1)>" in by_id["wire-003"].text  # read verbatim, escaped only on maps


def test_examples_directory_is_recursive_and_sorted(tmp_path):
    ds = read_documents(Path(example_paths()[0]).parent)
    assert ds.n_read == 12 and ds.n_skipped == 0
    assert [d.doc_id for d in ds][:2] == ["aleppo_protest_ar.txt", "daraa_arrest_ar.txt"]


# --- .txt ----------------------------------------------------------------------


def test_txt_arabic_header_keys_and_single_path(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("المصدر: مرصد\nالتاريخ: 16 تشرين الثاني 2021\n\nاشتباكات قرب السفيرة.\n", encoding="utf-8")
    ds = read_documents(p)  # a single path, not a list
    (d,) = ds.documents
    assert d.source == "مرصد" and d.date == dt.date(2021, 11, 16)
    assert d.text == "اشتباكات قرب السفيرة." and d.doc_id == "a.txt"


def test_txt_colon_in_first_line_is_not_a_header(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("Breaking: clashes near Daraa.\nMore text.", encoding="utf-8")
    (d,) = read_documents([p]).documents
    assert d.text.startswith("Breaking: clashes near Daraa.") and d.source is None


def test_unreadable_header_date_is_a_warning(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("Date: sometime last week\n\nShelling hit Daraa.", encoding="utf-8")
    ds = read_documents([p])
    assert ds.n_read == 1 and ds.documents[0].date is None
    assert ds.warnings and "unreadable date" in ds.warnings[0][1]


def test_header_only_txt_is_skipped(tmp_path):
    p = tmp_path / "h.txt"
    p.write_text("Title: nothing\nDate: 2021-11-17\n", encoding="utf-8")
    ds = read_documents([p])
    assert ds.n_read == 0 and "empty text" in ds.skipped[0][1]


# --- bad files -------------------------------------------------------------------


def test_bad_files_are_reported_not_lost(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00")
    # no code page reads these bytes as Arabic or Latin text
    (tmp_path / "garbled.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (tmp_path / "notes.docx").write_bytes(b"x")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "ok.txt").write_text("Clashes near Aleppo.", encoding="utf-8")
    ds = read_documents([tmp_path, tmp_path / "missing.txt"])
    r = _reasons(ds)
    assert [d.doc_id for d in ds] == ["ok.txt"]
    assert r["empty.txt"] == "empty file" and r["blank.txt"] == "empty file"
    assert r["binary.txt"].startswith("binary file")
    assert r["garbled.txt"].startswith("undecodable: not UTF-8 (byte 0x80 at offset 0)")
    assert "cp1256" in r["garbled.txt"] and "convert the file to UTF-8" in r["garbled.txt"]
    assert "unsupported file type '.docx'" == r["notes.docx"]
    assert r["dangling.txt"].startswith("unreadable")
    assert r["missing.txt"] == "no such file or directory"
    assert ".hidden.txt" not in r
    assert ds.n_read + ds.n_skipped == 8


def test_utf8_bom_and_utf16_are_fine(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffغارة على مطار التيفور".encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes("قصف مدفعي على درعا".encode("utf-16"))  # with BOM
    (tmp_path / "crlf.txt").write_bytes("Title: x\r\n\r\nline one\r\nline two".encode())
    ds = read_documents(tmp_path)
    texts = {d.doc_id: d.text for d in ds}
    assert texts["bom.txt"] == "غارة على مطار التيفور"
    assert texts["u16.txt"] == "قصف مدفعي على درعا"
    assert texts["crlf.txt"] == "line one\nline two"


def test_utf16_without_bom_is_detected(tmp_path):
    p = tmp_path / "u16le.txt"
    p.write_bytes("اشتباكات قرب تدمر، Clashes near Palmyra".encode("utf-16-le"))
    ds = read_documents([p])
    assert ds.n_read == 1 and ds[0].text == "اشتباكات قرب تدمر، Clashes near Palmyra"
    assert ds[0].encoding == "utf-16-le" and ds.encodings == {"utf-16-le": 1}


ARABIC_REPORT = ("التاريخ: 17/11/2021\n\n"
                 "شنّت طائرات حربية غارات على مطار التيفور في ريف حمص الشرقي، "
                 "فيما استهدف قصف مدفعي منطقة السفيرة بحلب.")


@pytest.mark.parametrize("encoding,name", [("cp1256", "cp1256"), ("iso8859_6", "iso-8859-6")])
def test_arabic_code_pages_are_detected(tmp_path, encoding, name):
    """Files saved by older Arabic Windows and Unix tools read as the text they hold."""
    p = tmp_path / f"{encoding}.txt"
    body = ARABIC_REPORT
    p.write_bytes(body.encode(encoding))
    ds = read_documents([p])
    assert ds.n_read == 1 and not ds.skipped
    doc = ds[0]
    assert doc.encoding == name and ds.encodings == {name: 1}
    assert doc.text == body.split("\n\n", 1)[1]
    assert doc.date == dt.date(2021, 11, 17)


def test_cp1256_jsonl_rows_carry_the_encoding(tmp_path):
    p = tmp_path / "rows.jsonl"
    rows = ['{"text": "قصف مدفعي على درعا", "id": "a"}', '{"text": "غارة على إدلب", "id": "b"}']
    p.write_bytes("\n".join(rows).encode("cp1256"))
    ds = read_documents([p])
    assert [(d.doc_id, d.text, d.encoding) for d in ds] == [
        ("a", "قصف مدفعي على درعا", "cp1256"), ("b", "غارة على إدلب", "cp1256")]
    assert ds.encodings == {"cp1256": 1}  # files, not rows


def test_zero_documents_warn(tmp_path):
    from geomap.errors import NoDocumentsWarning

    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.warns(NoDocumentsWarning, match=r"no documents read .*1 skipped.*empty file"):
        ds = read_documents([tmp_path])
    assert ds.n_read == 0 and ds.n_skipped == 1
    with pytest.warns(NoDocumentsWarning, match="0 skipped"):
        read_documents([])


def test_iter_documents_is_lazy_and_reports_skips(tmp_path):
    from geomap.events.documents import iter_documents

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"اشتباكات في حمص رقم {i}", encoding="utf-8")
    (tmp_path / "1b.txt").write_bytes(b"")
    stream = iter_documents([tmp_path])
    assert stream.n_read == 0 and stream.skipped == []  # nothing read before iterating
    it = iter(stream)
    first = next(it)
    assert first.doc_id == "0.txt" and stream.n_read == 1 and stream.skipped == []
    rest = list(it)
    assert [d.doc_id for d in rest] == ["1.txt", "2.txt"]
    assert stream.n_read == 3 and [s[1] for s in stream.skipped] == ["empty file"]
    assert [d.doc_id for d in read_documents([tmp_path])] == ["0.txt", "1.txt", "2.txt"]
    with pytest.raises(DocumentError, match="read once"):
        iter(stream)


def test_examples_path_works_from_any_directory(tmp_path, monkeypatch):
    import geomap

    monkeypatch.chdir(tmp_path)
    ds = geomap.read_documents([geomap.examples.path()])
    assert ds.n_read == 12 and ds.n_skipped == 0
    assert geomap.examples.paths() == example_paths()


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Clashes near Aleppo. " * 100, encoding="utf-8")
    ds = read_documents([p], max_bytes=1000)
    assert ds.n_read == 0 and "file too large" in ds.skipped[0][1] and "limit 0.0 MB" in ds.skipped[0][1]
    assert read_documents([p], max_bytes=10_000).n_read == 1


def test_read_document_raises_document_error(tmp_path):
    p = tmp_path / "e.txt"
    p.write_text("", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty file"):
        read_document(p)
    q = tmp_path / "f.txt"
    q.write_text("Shelling near Daraa.", encoding="utf-8")
    assert read_document(q).text == "Shelling near Daraa."


# --- .jsonl ----------------------------------------------------------------------


def test_jsonl_malformed_lines(tmp_path):
    p = tmp_path / "r.jsonl"
    lines = [
        json.dumps({"text": "غارة على مطار التيفور", "date": "2021-11-17T05:00:00Z", "source": "A"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
        json.dumps({"text": "Clashes in Idlib", "id": "x1", "date": "junk"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = read_documents([p])
    assert [d.doc_id for d in ds] == ["r.jsonl:1", "x1"]
    assert ds.documents[0].date == dt.date(2021, 11, 17) and ds.documents[0].source == "A"
    r = _reasons(ds)
    assert r["r.jsonl:3"].startswith("not JSON")
    assert r["r.jsonl:4"] == "not a JSON object (list)"
    assert r["r.jsonl:5"] == "no 'text' field"
    assert "empty or non-text" in r["r.jsonl:6"] and "empty or non-text" in r["r.jsonl:7"]
    assert ds.warnings == [(f"{p}:8", "unreadable date 'junk' ignored")]


def test_jsonl_custom_keys(tmp_path):
    p = tmp_path / "c.ndjson"
    p.write_text(json.dumps({"body": "Shelling hit Daraa", "published": "24/11/2021", "outlet": "M",
                             "link": "https://example.org/x", "headline": "H"}) + "\n", encoding="utf-8")
    ds = read_documents([p], text_col="body", date_col="published", source_col="outlet", url_col="link",
                        title_col="headline")
    (d,) = ds.documents
    assert (d.text, d.date, d.source, d.url, d.title) == (
        "Shelling hit Daraa", dt.date(2021, 11, 24), "M", "https://example.org/x", "H")


# --- .csv ------------------------------------------------------------------------


def test_csv_rows_and_line_numbers(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(
        'id,date,text\n'
        'a,2021-11-16,"اشتباكات قرب السفيرة\nفي ريف حلب"\n'
        'b,2021-11-17,\n'
        'c,,Shelling near Daraa\n'
        'a,2021-11-18,Duplicate id in Homs\n',
        encoding="utf-8",
    )
    ds = read_documents([p])
    assert [d.doc_id for d in ds] == ["a", "c", "a#2"]
    assert ds.documents[0].text == "اشتباكات قرب السفيرة\nفي ريف حلب"
    assert ds.documents[1].date is None
    assert ds.skipped == [(f"{p}:4", "empty or non-text 'text'")]  # the row starts on line 4
    assert ds.warnings == [(f"{p}:6", "duplicate id 'a' renamed 'a#2'")]


def test_csv_without_text_column_is_skipped(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("id,body\n1,Clashes in Homs\n", encoding="utf-8")
    ds = read_documents([p])
    assert ds.n_read == 0 and ds.skipped[0][1] == "no 'text' column (columns: id, body)"
    assert read_documents([p], text_col="body").documents[0].text == "Clashes in Homs"


def test_tsv(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("text\tdate\nقصف على تدمر\t2021-10-25\n", encoding="utf-8")
    (d,) = read_documents([p]).documents
    assert d.text == "قصف على تدمر" and d.date == dt.date(2021, 10, 25)


# --- .html -----------------------------------------------------------------------


def test_html_main_text_with_trafilatura(tmp_path):
    pytest.importorskip("trafilatura")
    body = " ".join(["A drone strike hit a vehicle on the outskirts of Idlib on Wednesday."] * 4)
    p = tmp_path / "idlib.html"
    p.write_text(
        "<html><head><title>Drone strike near Idlib</title></head><body>"
        "<nav>Home | World | Contact</nav><article><h1>Drone strike near Idlib</h1>"
        f"<p>{body}</p><p>Two people were wounded, a local monitor said.</p></article>"
        "<footer>Copyright footer text</footer></body></html>",
        encoding="utf-8",
    )
    (d,) = read_documents([p]).documents
    assert "drone strike hit a vehicle on the outskirts of Idlib" in d.text
    assert "Copyright footer" not in d.text
    assert d.title == "Drone strike near Idlib"


def test_html_without_text_is_skipped(tmp_path):
    pytest.importorskip("trafilatura")
    p = tmp_path / "empty.html"
    p.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    ds = read_documents([p])
    assert ds.n_read == 0 and ds.skipped[0][1] == "no main text found in HTML"


def test_documentset_protocol():
    ds = DocumentSet([Document("a", "Homs")], [("x", "empty file")])
    assert (ds.n_read, ds.n_skipped, len(ds), ds[0].doc_id) == (1, 1, 1, "a")
    assert [d.text for d in ds] == ["Homs"]
    assert ds.summary() == "1 documents read, 1 skipped"


def test_csv_unterminated_quote_is_reported_with_its_line_and_rows_not_merged(tmp_path):
    p = tmp_path / "reports.csv"
    p.write_text('id,date,text\n'
                 'r1,2024-01-02,"غارات على بلدة سراقب بريف إدلب\n'       # the quote is never closed
                 'r2,2024-01-03,قصف مدفعي على حي الوعر في حمص\n'
                 'r3,2024-01-04,"اشتباكات في ريف درعا الغربي"\n'
                 'r4,2024-01-05,"بيان\nعلى سطرين، بلا فاصلة"\n', encoding="utf-8")
    ds = read_documents([p])
    assert [d.doc_id for d in ds] == ["r2", "r3", "r4"]
    assert ds[0].text == "قصف مدفعي على حي الوعر في حمص" and ds[0].path.endswith("reports.csv:3")
    assert ds[2].text == "بيان\nعلى سطرين، بلا فاصلة"  # a real multi-line field stays whole
    assert len(ds.skipped) == 1
    where, reason = ds.skipped[0]
    assert where.endswith("reports.csv:2") and reason.startswith("unterminated quote") and "line 2" in reason


TELEGRAM = Path(__file__).parent / "data" / "telegram_result.json"


def test_telegram_desktop_export_one_document_per_message():
    ds = read_documents([TELEGRAM], telegram_channel="@shamal_news")
    assert [d.doc_id for d in ds] == ["shamal_news/101", "shamal_news/102", "shamal_news/105"]
    first = ds[0]
    # the text joined from its entities (bold, hashtag, plain)
    assert first.text == "عاجل | غارات جوية تستهدف محيط مدينة #سراقب بريف إدلب الشرقي صباح اليوم"
    assert first.date == dt.date(2024, 3, 12) and first.source == "شبكة أخبار الشمال السوري"
    assert first.url == "https://t.me/shamal_news/101" and first.path.endswith("telegram_result.json#101")
    assert "\nالتفاصيل: https://example.org/daraa-blast" in ds[2].text and ds[2].date == dt.date(2024, 3, 13)
    # the service message and the photo without a caption are skipped with their reason
    assert [(w.rsplit("#", 1)[1], r) for w, r in ds.skipped] == [
        ("103", "service message (pin_message)"), ("104", "no text (photo without a caption)")]


def test_telegram_export_without_a_username_has_no_link_and_maps(tmp_path):
    from geomap import extract_events

    ds = read_documents([TELEGRAM])
    assert [d.doc_id for d in ds] == ["tg1783920456/101", "tg1783920456/102", "tg1783920456/105"]
    assert all(d.url is None for d in ds)
    # the username may be written into the export instead
    data = json.loads(TELEGRAM.read_text(encoding="utf-8"))
    data["username"] = "shamal_news"
    (tmp_path / "result.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_documents([tmp_path]).documents[1].url == "https://t.me/shamal_news/102"
    ev = extract_events(ds)
    got = {(r["doc_id"], r["event_type"], r["name"]) for _, r in ev.iterrows()}
    assert ("tg1783920456/101", "airstrike", "Saraqib") in got
    assert ("tg1783920456/102", "shelling", "Kafranbel") in got


def test_a_json_file_that_is_not_a_telegram_export_is_skipped_with_a_reason(tmp_path):
    p = tmp_path / "package.json"
    p.write_text('{"name": "x", "version": "1.0"}', encoding="utf-8")
    with pytest.warns(Warning):
        ds = read_documents([p])
    assert ds.n_read == 0 and "not a Telegram Desktop export" in ds.skipped[0][1]
