"""n_jobs and streaming: the same output as one process, in input order (issue 11).

The pool is forced on small inputs (the in-process threshold is set to 0 and
chunks made small), so several chunks really go through two worker processes.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geomap import _parallel
from geomap.errors import InputError, NoEventsWarning
from geomap.events import Document, example_paths, extract_events, read_documents
from geomap.events.documents import iter_documents


def corpus() -> list[Document]:
    """The examples four times over with distinct ids: each incident is reported in several chunks."""
    ds = read_documents(example_paths())
    return [dataclasses.replace(d, doc_id=f"{d.doc_id}~{k}") for k in range(4) for d in ds]


@pytest.fixture
def force_pool(monkeypatch):
    """Send every input to the pool in ~3 KB chunks; record the gazetteer spec sent to workers."""
    specs: list[str] = []
    real = _parallel.gazetteer_spec

    def spy(gazetteer, stack):
        spec = real(gazetteer, stack)
        specs.append(spec)
        return spec

    monkeypatch.setattr(_parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(_parallel, "CHUNK_CHARS", 3000)
    monkeypatch.setattr(_parallel, "gazetteer_spec", spy)
    return specs


def test_geoparse_many_two_jobs_equals_serial(gaz, force_pool):
    from geomap import geoparse_many, load_gazetteer

    texts = [d.text for d in corpus()]
    serial = geoparse_many(texts, gazetteer="default", n_jobs=1)
    parallel = geoparse_many(iter(texts), gazetteer=load_gazetteer("default"), n_jobs=2)
    assert force_pool == ["default"]  # the loaded default went to the workers by name
    assert len(serial) > 50 and serial["doc"].max() == len(texts) - 1
    pd.testing.assert_frame_equal(parallel, serial)


def test_extract_events_two_jobs_equals_serial(gaz, force_pool):
    docs = corpus()
    serial = extract_events(docs, gazetteer="default", n_jobs=1)
    parallel = extract_events(docs, gazetteer="default", n_jobs=2)
    assert force_pool == ["default"]
    pd.testing.assert_frame_equal(parallel, serial)
    assert parallel.attrs["geomap_summary"] == serial.attrs["geomap_summary"]
    assert parallel.attrs["geomap_summary"]["documents"] == 48
    # repeated reports in different chunks are merged centrally
    assert serial["n_reports"].max() >= 4 and "tiyas_airstrike_ar.txt~0" in set(serial["doc_id"])


def test_streamed_documents_through_the_pool(gaz, force_pool, tmp_path):
    stream = iter_documents([example_paths()[0].parent])
    streamed = extract_events(stream, gazetteer=gaz, n_jobs=2)
    assert stream.n_read == 12 and stream.skipped == []
    listed = extract_events(read_documents(example_paths()), gazetteer=gaz, n_jobs=1)
    pd.testing.assert_frame_equal(streamed, listed)


def test_small_inputs_stay_in_process(gaz, monkeypatch):
    import joblib

    def no_pool(*a, **k):
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(joblib, "Parallel", no_pool)
    ev = extract_events(read_documents(example_paths()), gazetteer=gaz, n_jobs=2)
    assert len(ev) > 0


def test_gazetteer_object_goes_to_workers_as_a_file(gaz):
    from contextlib import ExitStack

    from geomap import Gazetteer, load_gazetteer

    custom = Gazetteer(list(gaz)[:40], name="forty")
    with ExitStack() as stack:
        spec = _parallel.gazetteer_spec(custom, stack)
        assert spec.endswith(".json.gz")
        assert [p.id for p in load_gazetteer(spec)] == [p.id for p in custom]
    assert _parallel.gazetteer_spec(None, ExitStack()) == "default"


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_bad_n_jobs(bad):
    with pytest.raises(InputError, match="n_jobs"):
        _parallel.resolve_n_jobs(bad)


def test_no_events_warns(gaz):
    with pytest.warns(NoEventsWarning, match="no events found in 2 document"):
        ev = extract_events([Document("a", "A quiet day at the market."), Document("b", "Nothing happened.")],
                            gazetteer=gaz)
    assert len(ev) == 0


def test_long_single_line_document_is_one_pass(gaz):
    """A document of many sentences on one line gives the incidents of each sentence once."""
    sentence = "Shelling hit al-Safira on Monday while warplanes struck Palmyra. "
    doc = Document("long", sentence * 400)
    ev = extract_events([doc], gazetteer=gaz, n_jobs=1)
    info = ev.attrs["geomap_summary"]
    # two types per sentence, and the document's retellings of one strike are one incident each
    assert info["incidents"] == 2
    assert info["events"] == 2  # the same sentence repeated: one event per type
    assert sorted(ev["event_type"]) == ["airstrike", "shelling"]


# --- the CLI -------------------------------------------------------------------------------


def _events_cli(capsys, *argv: str) -> tuple[int, str]:
    from geomap.cli import main

    code = main(["events", *argv])
    return code, capsys.readouterr().err


def test_cli_jobs_equals_serial(tmp_path, capsys, force_pool):
    import geopandas as gpd

    folder = str(example_paths()[0].parent)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    assert _events_cli(capsys, folder, "-o", str(one), "-j", "1", "-q")[0] == 0
    code, err = _events_cli(capsys, folder, "-o", str(two), "--jobs", "2")
    assert code == 0 and "documents read: 12 (skipped: 0)" in err
    assert "geoparsing: 12doc" in err  # the progress bar counts documents across workers
    pd.testing.assert_frame_equal(gpd.read_parquet(two), gpd.read_parquet(one))


def test_cli_says_so_and_fails_on_nothing(tmp_path, capsys):
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("A quiet day at the market.\n", encoding="utf-8")
    out = tmp_path / "e.gpkg"
    code, err = _events_cli(capsys, str(quiet), "-o", str(out), "-q")
    assert code == 1 and "no events found in 1 document(s); nothing written" in err and not out.exists()
    (tmp_path / "sub").mkdir()
    code, err = _events_cli(capsys, str(tmp_path / "sub"), "-o", str(out), "-q")
    assert code == 1 and "no documents read" in err
    code, err = _events_cli(capsys, str(quiet), "-o", str(out), "-j", "0")
    assert code == 2 and "--jobs" in err


def test_cli_dask_local(tmp_path, capsys):
    pytest.importorskip("distributed")
    import geopandas as gpd

    folder = str(example_paths()[0].parent)
    serial, viadask = tmp_path / "s.parquet", tmp_path / "d.parquet"
    assert _events_cli(capsys, folder, "-o", str(serial), "-j", "1", "-q")[0] == 0
    code, err = _events_cli(capsys, folder, "-o", str(viadask), "--dask", "local", "-j", "2", "-q")
    assert code == 0, err
    pd.testing.assert_frame_equal(gpd.read_parquet(viadask), gpd.read_parquet(serial))


def test_cli_reads_cp1256_and_says_so(tmp_path, capsys):
    src = tmp_path / "report.txt"
    src.write_bytes("التاريخ: 2021-11-17\n\nشنّت طائرات حربية غارات على مطار التيفور في ريف حمص الشرقي.\n"
                    .encode("cp1256"))
    out = tmp_path / "e.csv"
    code, err = _events_cli(capsys, str(src), "-o", str(out), "-q")
    assert code == 0 and "decoded: 1 file(s) as cp1256" in err
    import pandas as pd

    back = pd.read_csv(out)
    assert back["event_type"].tolist() == ["airstrike"] and back["place_id"].tolist() == ["icao:OS72"]


def _one_long_document() -> Document:
    ds = read_documents(example_paths())
    return Document(doc_id="digest", text="\n".join(d.text for d in ds for _ in range(3)), date="2024-03-12")


def test_one_large_document_is_split_for_the_pool(gaz, force_pool, monkeypatch):
    """A single document longer than the geoparser's piece size is cut into the pieces the
    parser makes anyway, each a task: the same rows and events as n_jobs=1, and no more
    workers than chunks."""
    import joblib

    from geomap import geoparse_many
    from geomap.geoparsing import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1200)  # (the parent's cut; workers get pieces under it)
    monkeypatch.setattr(_parallel, "CHUNK_CHARS", 500)  # a chunk per piece
    started: list[tuple[int, int]] = []
    real = joblib.Parallel

    class Spy(real):
        def __call__(self, iterable):
            tasks = list(iterable)
            started.append((self.n_jobs, len(tasks)))
            return super().__call__(tasks)

    monkeypatch.setattr(joblib, "Parallel", Spy)
    doc = _one_long_document()
    assert len(doc.text) > 3 * 1200
    pieces = list(_parallel.split_large([doc]))
    assert len(pieces) >= 3 and all(p.at_lines and p.doc.text == "" for p in pieces)  # workers get pieces only
    serial = geoparse_many([doc.text], gazetteer="default", n_jobs=1)
    parallel = geoparse_many([doc.text], gazetteer="default", n_jobs=16)
    pd.testing.assert_frame_equal(parallel, serial)
    (workers, tasks), = started
    assert tasks >= 3 and workers == tasks  # 16 asked, one worker per chunk
    assert serial["start"].max() > 3600  # offsets are in the whole document
    started.clear()
    ev1 = extract_events([doc], gazetteer="default", n_jobs=1)
    ev2 = extract_events([doc], gazetteer="default", n_jobs=2)
    pd.testing.assert_frame_equal(ev2, ev1)
    assert started and started[0][0] == 2 and started[0][1] >= 3
    assert ev1.attrs["geomap_summary"]["documents"] == 1 and len(ev1) > 5
    # the pieces' rows meet again before the incidents are found (a post's incident gathers its
    # sentences): the events are those of the whole document read at once
    whole = extract_events([doc], mentions=serial)
    pd.testing.assert_frame_equal(ev2, whole)
    assert ev2.attrs["geomap_summary"] == whole.attrs["geomap_summary"]


def test_a_single_chunk_never_starts_workers(gaz, monkeypatch):
    import joblib

    def no_pool(*a, **k):
        raise AssertionError("workers started for a single chunk")

    monkeypatch.setattr(_parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(joblib, "Parallel", no_pool)
    doc = _one_long_document()
    assert len(extract_events([doc], gazetteer=gaz, n_jobs=4)) > 5
