"""map_files on a real Dask LocalCluster of 2 workers, and with local processes.

Four simulated particles at states of charge 0.2…0.8 and one corrupt file: the corrupt
one gives its error row, the others their maps, spread over both workers; a re-run
submits nothing but the corrupt stack; the command line's batch and map_files make the
same table and keep each other's results.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import stxm_phasemap as spm
from distributed import Client, LocalCluster, get_task_stream
from PIL import Image

SOCS = [0.2, 0.4, 0.6, 0.8]


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str, Path]:
    d = tmp_path_factory.mktemp("beamtime")
    paths = []
    for i, soc in enumerate(SOCS):
        p = d / f"soc{round(soc * 100)}.h5"
        spm.run_cli(
            "simulate", "--soc", str(soc), "--seed", str(10 + i), "--size", "24x32",
            "--out", p, "--refs", d / "refs.csv",
        )  # fmt: skip
        paths.append(str(p))
    corrupt = d / "soc50.h5"
    corrupt.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)  # an HDF5 signature, then nothing
    paths.insert(2, str(corrupt))
    return paths, str(d / "refs.csv"), d


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_map_files_on_a_two_worker_cluster(stacks, client, tmp_path: Path, capsys):
    paths, refs, _ = stacks
    socs = [0.2, 0.4, 0.5, 0.6, 0.8]
    out = tmp_path / "phasemaps"
    with get_task_stream(client) as ts:
        batch = spm.map_files(
            paths, refs, client=client, out=out, columns={"state_of_charge": socs}, seed=1
        )
    assert len({t["worker"] for t in ts.data}) == 2  # both workers mapped stacks
    assert len(ts.data) == 5
    assert "5/5" in capsys.readouterr().err  # the progress bar

    table = batch.table
    assert isinstance(table, pd.DataFrame) and len(table) == 5
    assert list(table.columns[:7]) == [
        "file", "name", "state_of_charge", "status", "error", "fraction_Na3", "fraction_Na1",
    ]  # fmt: skip
    assert list(table.status) == ["mapped", "mapped", "failed", "mapped", "mapped"]
    bad = table.iloc[2]
    assert bad.file == paths[2] and bad.error.startswith(f"{paths[2]}: ")
    assert batch.failed[0]["name"] == "soc50"
    ok = table[table.status == "mapped"]
    # the Na1 share follows the state of charge of each simulated particle
    assert np.all(np.abs(ok.fraction_Na1 - ok.state_of_charge) < 0.12), ok.fraction_Na1
    assert np.all(ok.particle > 100) and np.all(ok.total_ms > 0)
    # the CSV is the table; a result per stack; the figure
    csv = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    assert list(csv.columns) == batch.columns
    assert np.allclose(csv.fraction_Na1[ok.index], ok.fraction_Na1)
    r = batch.result("soc40")
    assert isinstance(r, spm.Result) and r.fraction("Na1") == pytest.approx(
        float(table.fraction_Na1[1]), abs=1e-6
    )
    assert r.params["seed"] == 1
    assert [x is None for x in batch.results()] == [False, False, True, False, False]
    with pytest.raises(LookupError, match="soc50.h5: no result"):
        batch.result("soc50")
    png = Image.open(out / "summary.png")
    assert png.size[0] > 600 and len(png.getcolors(1 << 16) or []) > 10
    assert "state_of_charge" in (out / "summary.svg").read_text()
    assert sorted(p.name for p in out.glob("*.h5")) == [
        "soc20.h5",
        "soc40.h5",
        "soc60.h5",
        "soc80.h5",
    ]
    bundle = batch._repr_mimebundle_()
    assert {"text/plain", "text/html", "image/png"} <= set(bundle)
    assert "1 failed" in bundle["text/plain"]

    # a re-run keeps the four results: only the corrupt stack goes to the cluster
    before = {p: os.stat(p).st_mtime_ns for p in out.glob("*.h5")}
    with get_task_stream(client) as ts:
        again = spm.map_files(
            paths, refs, client=client, out=out, columns={"state_of_charge": socs}, seed=1,
            progress=False,
        )  # fmt: skip
    assert len(ts.data) == 1
    assert [r["status"] for r in again.rows] == ["skipped"] * 2 + ["failed"] + ["skipped"] * 2
    assert {p: os.stat(p).st_mtime_ns for p in out.glob("*.h5")} == before
    assert again.rows[0]["fraction_Na1"] == batch.rows[0]["fraction_Na1"]
    # another seed: everything is mapped again
    third = spm.map_files(paths[:2], refs, client=client, out=out, seed=2, progress=False)
    assert [r["status"] for r in third.rows] == ["mapped", "mapped"]


def test_the_command_line_and_python_make_the_same_table(stacks, tmp_path: Path):
    paths, refs, d = stacks
    manifest = tmp_path / "beamtime.csv"
    rows = [f"{p},{s}" for p, s in zip(paths, [0.2, 0.4, 0.5, 0.6, 0.8], strict=True)]
    manifest.write_text("file,state_of_charge\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out"
    with pytest.raises(spm.StackFileError, match=r"batch: 1 of 5 stack\(s\) failed \(soc50\)"):
        spm.run_cli(
            "batch", "--manifest", manifest, "--refs", refs, "--out", out, "--method", "pcc",
        )  # fmt: skip
    cli_table = pd.read_csv(out / "summary.csv")
    # Python, here in 2 local processes, on the same manifest: every result is kept
    batch = spm.map_files(manifest, refs, out=out, method="pcc", jobs=2, progress=False)
    assert [r["status"] for r in batch.rows] == ["skipped"] * 2 + ["failed"] + ["skipped"] * 2
    py_table = pd.read_csv(out / "summary.csv")
    assert list(py_table.columns) == list(cli_table.columns)
    same = [c for c in cli_table.columns if c != "status"]
    pd.testing.assert_frame_equal(py_table[same], cli_table[same])
    assert list(cli_table.status) == ["mapped"] * 2 + ["failed"] + ["mapped"] * 2


def test_per_stack_references_and_wrong_input(stacks, tmp_path: Path):
    paths, refs, _ = stacks
    batch = spm.map_files(
        paths[:2], [refs, refs], out=tmp_path / "o", method="pcc", jobs=1, progress=False
    )
    assert [r["status"] for r in batch.rows] == ["mapped", "mapped"]
    with pytest.raises(ValueError, match="1 references files for 2 stacks"):
        spm.map_files(paths[:2], [refs], out=tmp_path / "o")
    with pytest.raises(FileNotFoundError, match="nope.h5: no such stack file"):
        spm.map_files([tmp_path / "nope.h5"], refs, out=tmp_path / "o")
    with pytest.raises(TypeError, match="unknown pipeline parameter"):
        spm.map_files(paths[:1], refs, out=tmp_path / "o", epoch=3)
    with pytest.raises(spm.InvalidRequestError, match="threshold"):
        spm.map_files(paths[:1], refs, out=tmp_path / "o", threshold=3)
