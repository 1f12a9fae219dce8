"""geomap.dask on a LocalCluster of 2 worker processes: the same output as the serial run."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

from test_scale import corpus  # noqa: E402

from geomap.events import extract_events  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster) as c:
        yield c


def test_extract_events_dask_bag_equals_serial(client, gaz):
    import dask.bag as db
    import dask_geopandas

    from geomap.dask import extract_events_dask

    docs = corpus()
    lazy = extract_events_dask(db.from_sequence(docs, npartitions=5))
    assert isinstance(lazy, dask_geopandas.GeoDataFrame)
    assert list(lazy.columns) == list(extract_events([], mentions=pd.DataFrame()).columns)
    got = lazy.compute()
    serial = extract_events(docs, gazetteer=gaz, n_jobs=1)
    assert len(serial) > 0 and serial["n_reports"].max() >= 4  # merged across partitions
    pd.testing.assert_frame_equal(got, serial)


def test_extract_events_dask_dataframe_equals_serial(client, gaz):
    import dask.dataframe as dd

    from geomap.dask import extract_events_dask

    docs = corpus()
    pdf = pd.DataFrame({"id": [d.doc_id for d in docs], "text": [d.text for d in docs],
                        "date": [d.date.isoformat() if d.date else None for d in docs],
                        "source": [d.source for d in docs], "url": [d.url for d in docs]})
    got = extract_events_dask(dd.from_pandas(pdf, npartitions=4)).compute()
    serial = extract_events(docs, gazetteer=gaz, n_jobs=1)
    pd.testing.assert_frame_equal(got, serial)


def test_geoparse_dask_equals_geoparse_many(client, gaz):
    import dask.dataframe as dd

    from geomap import geoparse_many
    from geomap.dask import geoparse_dask

    texts = [d.text for d in corpus()]
    lazy = geoparse_dask(dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=3))
    assert lazy.npartitions == 3
    pd.testing.assert_frame_equal(lazy.compute().reset_index(drop=True), geoparse_many(texts, gazetteer=gaz, n_jobs=1))


def test_a_gazetteer_object_is_refused(gaz):
    import dask.bag as db

    from geomap.dask import extract_events_dask
    from geomap.errors import InputError

    with pytest.raises(InputError, match="by name"):
        extract_events_dask(db.from_sequence(["x"]), gazetteer=gaz)


def test_missing_dates_in_a_data_frame_are_unknown(client):
    import dask.dataframe as dd

    from geomap.dask import extract_events_dask

    pdf = pd.DataFrame({"id": ["a", "b"], "text": ["Shelling hit Daraa.", "Clashes near Palmyra."],
                        "date": pd.to_datetime(["2021-11-17", None])})
    ev = extract_events_dask(dd.from_pandas(pdf, npartitions=2)).compute()
    dates = ev.set_index("doc_id")["date"]
    assert str(dates["a"])[:10] == "2021-11-17" and pd.isna(dates["b"])
    source = ev.set_index("doc_id")["date_source"]
    assert source["a"] == "document" and pd.isna(source["b"])
