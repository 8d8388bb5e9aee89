"""The Python API over an in-process stand-in for the browser side of the comm.

Requests, replies, chunking, acknowledgements, reconnection, errors and the
pending-answer mechanics, without a browser (the real path: ui-tests/).
"""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest
from stxm_phasemap import (
    ExtensionUnavailableError,
    InvalidRequestError,
    Lab,
    NotReadyError,
    Result,
    RunCancelledError,
    Stack,
    StxmPhaseMapError,
    WorkbenchNotFoundError,
)
from stxm_phasemap._protocol import MAX_CHUNK_BYTES, PROTOCOL

from .loopback import FakeExtension, Refuse, hello, split_reply

rng = np.random.default_rng(1)


def result_arrays(ny=6, nx=5, names=("Na3", "Na1")):
    phase = rng.integers(-1, len(names), (ny, nx)).astype(np.int16)
    n = len(names)
    return {
        "phase": phase,
        "initialPhase": phase.copy(),
        "pcc": rng.random((n, ny, nx), dtype=np.float32),
        "ambiguous": (rng.random((ny, nx)) < 0.2).astype(np.uint8),
        "mask": (phase >= 0).astype(np.uint8),
        "margin": rng.random((ny, nx), dtype=np.float32),
        "latent": rng.random((ny, nx, 2), dtype=np.float32),
        "confidence": rng.random((ny, nx), dtype=np.float32),
        "transition": np.zeros((ny, nx), np.uint8),
        "falseAssignment": np.zeros((ny, nx), np.uint8),
        "unassigned": np.zeros((ny, nx), np.uint8),
        "fractions": np.full(n, 1 / n),
        "energies": np.linspace(512, 545, 12),
        "trainingLoss": np.array([3.0, 2.0, 1.5]),
        "phaseMeans": rng.random((n, 2)),
        "newMapFromTheEngine": np.ones((ny, nx), np.float32),
    }


def result_json(path="p.h5", names=("Na3", "Na1")):
    return {
        "path": path,
        "shape": [6, 5],
        "phaseNames": list(names),
        "pixelSize": {"x": 0.03, "y": None},
        "threshold": 0.005,
        "latentDim": 2,
        "counts": {"particle": 20, "ambiguous": 4},
        "params": {"method": "pcc", "threshold": 0.005},
        "timings": {"pcc": 3.5},
    }


class Workbenches:
    """The extension's state, as far as these tests need it."""

    def __init__(self):
        self.stacks: dict[str, dict[str, np.ndarray]] = {}
        self.refs: dict[str, tuple] = {}

    def __call__(self, method, params, arrays, ext):
        if method == "open":
            if params["path"] not in self.stacks:
                raise Refuse("not-found", f"{params['path']}: no such file on the Jupyter server")
            return {"path": params["path"], "info": {"shape": [1, 1, 1]}}, {}
        if method == "open_arrays":
            self.stacks[params["path"]] = dict(arrays)
            return {"path": params["path"], "info": {"shape": list(arrays["data"].shape)}}, {}
        if method == "get_stack":
            s = self.stacks.get(params.get("path"))
            if s is None:
                raise Refuse("not-found", "no STXM stack is open in JupyterLab")
            return {"path": params["path"], "info": {}}, {
                k: s[k] for k in ("data", "energies", "x", "y")
            }
        if method == "set_references":
            self.refs[params["path"]] = (params, arrays)
            return {"path": params["path"], "names": params.get("names", ["from csv"])}, {}
        if method == "run":
            if params["path"] not in self.refs:
                raise Refuse("failed", f"{params['path']}: no reference spectra are set")
            return [
                (
                    {
                        "type": "event",
                        "id": "$id",
                        "event": "progress",
                        "progress": {"stage": "pcc", "fraction": 0.5},
                    },
                    [],
                ),
                *split_reply("$id", result_json(params["path"]), result_arrays(), max_chunk=64),
            ]
        if method == "list_workbenches":
            return {
                "workbenches": [
                    {"path": p, "current": True, "info": {"shape": [1]}} for p in self.stacks
                ]
            }, {}
        raise Refuse("invalid-request", f"unexpected {method}")


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_connect_sends_protocol_and_get_stack_returns_numpy():
    cube = rng.random((4, 50, 50)).astype("<f4")
    arrays = {
        "data": cube,
        "energies": np.array([280, 284.5, 285, 320.0]),
        "x": np.arange(50) * 0.5,
        "y": np.arange(50) * 0.5,
    }
    ext = FakeExtension(lambda m, p, a, e: ({"path": "s.h5", "info": {}}, arrays))

    async def main():
        lab = await Lab(ext)
        return lab, await lab.get_stack()

    lab, stack = run(main())
    assert ext.comms[0].open_data == {"protocol": PROTOCOL}
    assert ext.comms[0].target_name == "stxm-phasemap"
    assert lab.version == "0.1.0" and lab.connected
    assert isinstance(stack, Stack)
    assert stack.data.dtype == np.float32 and stack.data.shape == (4, 50, 50)
    np.testing.assert_array_equal(stack.data, cube)
    assert stack.pixel_size == (0.5, 0.5)
    assert "4 energies" in repr(stack)


def test_open_arrays_push_chunks_and_round_trip(in_tmp):
    cube = rng.random((3, 1200, 1000), dtype=np.float32)  # 14.4 MB: two parts each way
    energies = np.array([512.0, 517.0, 530.0])
    state = Workbenches()
    ext = FakeExtension(state)

    async def main():
        lab = Lab(ext)
        lab.hello = None
        await lab
        wb = lab.open_arrays(cube, energies, pixel_size=(0.03, 0.04), path="pushed", title="t")
        await wb
        return wb, await wb.get_stack()

    wb, stack = run(main())
    method, params, arrays = ext.requests[0]
    assert method == "open_arrays"
    assert params == {"path": "pushed.h5", "overwrite": False, "title": "t"}
    assert max(ext.comms[0].sent_buffers) <= MAX_CHUNK_BYTES
    assert (
        sum(1 for m in ext.received if m.get("type") == "request") == 3
    )  # 14.4 MB → 2 parts + get_stack
    np.testing.assert_array_equal(arrays["data"], cube)
    np.testing.assert_allclose(arrays["x"], np.arange(1000) * 0.03)
    np.testing.assert_allclose(arrays["y"], np.arange(1200) * 0.04)
    np.testing.assert_array_equal(stack.data, cube)
    assert wb.path == "pushed.h5" and wb.info == {"shape": [3, 1200, 1000]}


def test_open_arrays_default_name_is_a_content_hash_and_reuses_the_file(in_tmp):
    state = Workbenches()
    ext = FakeExtension(state)
    cube = np.ones((2, 4, 4), np.float32)

    async def main():
        lab = Lab(ext)
        wb1 = await lab.open_arrays(cube, [1.0, 2.0], pixel_size=1)
        (in_tmp / wb1.path).write_bytes(b"written by the extension")
        wb2 = await lab.open_arrays(cube, [1.0, 2.0], pixel_size=1)
        wb3 = await lab.open_arrays(cube * 2, [1.0, 2.0], pixel_size=1)
        return wb1, wb2, wb3

    wb1, wb2, wb3 = run(main())
    assert wb1.path.startswith("stxm-arrays-") and wb1.path.endswith(".h5")
    assert wb2.path == wb1.path and wb3.path != wb1.path
    assert [r[0] for r in ext.requests] == ["open_arrays", "open", "open_arrays"]


def test_open_arrays_refuses_bad_input_at_once(in_tmp):
    lab = Lab(FakeExtension(Workbenches()))
    with pytest.raises(ValueError, match="3-D cube"):
        lab.open_arrays(np.zeros((4, 4)), [1, 2, 3, 4], pixel_size=1)
    with pytest.raises(ValueError, match="energies must have 2"):
        lab.open_arrays(np.zeros((2, 4, 4)), [1, 2, 3], pixel_size=1)
    with pytest.raises(ValueError, match="pixel_size"):
        lab.open_arrays(np.zeros((2, 4, 4)), [1, 2])
    with pytest.raises(ValueError, match="non-finite"):
        lab.open_arrays(np.zeros((2, 4, 4)), [1, np.nan], pixel_size=1)
    (in_tmp / "taken.h5").write_bytes(b"x")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        lab.open_arrays(np.zeros((2, 4, 4)), [1, 2], pixel_size=1, path="taken.h5")
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        lab.open("nope.h5")


def test_paths_are_mapped_to_the_server_root(in_tmp):
    (in_tmp / "sub").mkdir()
    (in_tmp / "sub" / "s.h5").write_bytes(b"x")
    state = Workbenches()
    state.stacks["sub/s.h5"] = {}
    ext = FakeExtension(state, hello_msg=hello(serverRoot=str(in_tmp)))

    async def main():
        lab = await Lab(ext)
        os.chdir(in_tmp / "sub")
        wb = await lab.open("s.h5")
        outside = os.path.dirname(in_tmp)
        with pytest.raises(ValueError, match="outside the Jupyter server's root"):
            lab.server_path(outside)
        return lab, wb

    lab, wb = run(main())
    assert ext.requests[0][1] == {"path": "sub/s.h5"}
    assert wb.path == "sub/s.h5"
    assert os.path.realpath(wb.local_path) == os.path.realpath(in_tmp / "sub" / "s.h5")


def test_references_run_and_result_with_progress(in_tmp):
    state = Workbenches()
    ext = FakeExtension(state)
    seen = []

    async def main():
        lab = Lab(ext)
        wb = lab.open_arrays(
            np.ones((12, 6, 5), np.float32), np.linspace(512, 545, 12), pixel_size=0.03, path="p.h5"
        )
        names = wb.set_references(
            {"Na3": np.arange(4.0), "Na1": np.arange(4.0) ** 2}, energies=[505, 520, 535, 550]
        )
        res = wb.run(threshold=0.01, epochs=5, energy_shift=0.2, progress=seen.append)
        return await names, await res

    names, res = run(main())
    assert names == ["Na3", "Na1"]
    method, params, arrays = ext.requests[2]
    assert method == "run"
    assert params["params"] == {
        "threshold": 0.01,
        "gmvae": {"epochs": 5},
        "preprocess": {"energyShift": 0.2},
    }
    assert seen and seen[0]["stage"] == "pcc"
    assert isinstance(res, Result)
    assert res.phase.dtype == np.int16 and res.phase.shape == (6, 5)
    assert res.initial_phase.shape == (6, 5) and res.pcc.shape == (2, 6, 5)
    assert res.false_assignment.dtype == np.uint8 and res.latent.shape == (6, 5, 2)
    assert res.new_map_from_the_engine.shape == (6, 5)  # fields the engine adds come through
    assert res.phase_names == ["Na3", "Na1"] and res.fraction("Na1") == pytest.approx(0.5)
    assert np.isnan(res.pixel_size["y"]) and res.pixel_size["x"] == 0.03
    assert res.method == "pcc" and res.counts["ambiguous"] == 4
    np.testing.assert_array_equal(res.phase_mask("Na3"), res.phase == 0)
    with pytest.raises(KeyError, match="phases: Na3, Na1"):
        res.fraction("Na9")
    _, sent_refs = state.refs["p.h5"]
    np.testing.assert_array_equal(sent_refs["values:1"], np.arange(4.0) ** 2)


def test_unknown_parameter_is_a_type_error():
    ext = FakeExtension(Workbenches())

    async def main():
        lab = await Lab(ext)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="q.h5")
        with pytest.raises(TypeError, match="unknown pipeline parameter 'epoch'.*epochs"):
            wb.run(epoch=3)

    run(main())


def test_errors_carry_the_extension_message_and_kind():
    state = Workbenches()
    ext = FakeExtension(state)

    async def main():
        lab = Lab(ext)
        with pytest.raises(WorkbenchNotFoundError, match="no STXM stack is open") as nf:
            await lab.get_stack()
        assert nf.value.kind == "not-found" and isinstance(nf.value, LookupError)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="r.h5")
        with pytest.raises(StxmPhaseMapError, match="r.h5: no reference spectra are set") as failed:
            await wb.run()
        assert failed.value.kind == "failed"

    run(main())


def test_refused_parameters_raise_value_errors():
    def refuse(method, params, arrays, ext):
        raise Refuse("invalid-request", '"params.threshold" must be in 0…2, got 5')

    async def main():
        with pytest.raises(InvalidRequestError, match="params.threshold") as err:
            await Lab(FakeExtension(refuse)).get_stack()
        assert isinstance(err.value, ValueError)

    run(main())


def test_cancelled_run_raises_run_cancelled():
    def cancelled(method, params, arrays, ext):
        raise Refuse("cancelled", "p.h5: the run was cancelled")

    async def main():
        with pytest.raises(RunCancelledError, match="cancelled"):
            await Lab(FakeExtension(cancelled)).get_stack()

    run(main())


def test_no_extension_times_out_with_a_clear_message():
    async def main():
        await Lab(FakeExtension(Workbenches(), answer_hello=False), connect_timeout=0.2).get_stack()

    with pytest.raises(ExtensionUnavailableError, match="installed and enabled") as err:
        run(main())
    assert err.value.kind == "timeout" and isinstance(err.value, ConnectionError)


def test_a_stale_comm_is_reopened_and_the_request_sent_again():
    """After a page reload the browser side of the comm is gone: no ack comes."""
    cube = np.ones((2, 3, 3), np.float32)
    arrays = {
        "data": cube,
        "energies": np.array([1.0, 2.0]),
        "x": np.arange(3.0),
        "y": np.arange(3.0),
    }
    ext = FakeExtension(lambda m, p, a, e: ({"path": "s.h5"}, arrays), deaf_comms=1)

    async def main():
        lab = Lab(ext, ack_timeout=0.2)
        stack = await lab.get_stack()
        return lab, stack

    lab, stack = run(main())
    assert len(ext.comms) == 2 and ext.comms[0].closed and lab.reconnects == 1
    np.testing.assert_array_equal(stack.data, cube)


def test_extension_closing_the_comm_fails_pending_and_reconnects_next_time():
    cube = np.ones((1, 2, 2), np.float32)
    arrays = {"data": cube, "energies": np.array([1.0]), "x": np.arange(2.0), "y": np.arange(2.0)}
    calls = []

    def handler(m, p, a, ext):
        calls.append(m)
        if len(calls) == 1:
            asyncio.get_event_loop().call_soon(ext.comms[0].close_from_frontend)
            return []
        return {"path": "s.h5"}, arrays

    ext = FakeExtension(handler)

    async def main():
        lab = Lab(ext)
        with pytest.raises(ExtensionUnavailableError, match="closed the connection"):
            await lab.get_stack()
        return await lab.get_stack()

    stack = run(main())
    assert len(ext.comms) == 2 and stack.data.shape == (1, 2, 2)


def test_invalid_reply_fails_the_request_and_is_reported_back():
    def bad(method, params, arrays, ext):
        return [
            (
                {
                    "type": "reply",
                    "id": "$id",
                    "ok": True,
                    "part": 0,
                    "parts": 1,
                    "result": {},
                    "arrays": {"data": {"dtype": "float32", "shape": [2], "nbytes": 8}},
                    "chunks": [],
                },
                [],
            )
        ]

    ext = FakeExtension(bad)

    async def main():
        await Lab(ext).get_stack()

    with pytest.raises(
        ExtensionUnavailableError, match="invalid message from the extension.*incomplete"
    ):
        run(main())
    notices = [m for m in ext.received if m.get("type") == "error"]
    assert notices and notices[0]["error"]["kind"] == "invalid-reply"


def test_unknown_method_of_an_older_extension():
    ext = FakeExtension(Workbenches(), hello_msg=hello(methods=["list_workbenches", "get_stack"]))

    async def main():
        await Lab(ext).simulate(0.5)

    with pytest.raises(ExtensionUnavailableError, match="does not know 'simulate'"):
        run(main())


def test_pending_in_a_plain_cell_fills_after_the_cell():
    """A plain cell cannot await: the answer arrives once the kernel's loop runs again."""
    cube = np.ones((1, 2, 2), np.float32)
    arrays = {"data": cube, "energies": np.array([1.0]), "x": np.arange(2.0), "y": np.arange(2.0)}
    ext = FakeExtension(lambda m, p, a, e: ({"path": "s.h5"}, arrays))

    async def main():
        lab = Lab(ext)
        pending = lab.get_stack()  # "cell 1": returns at once
        assert not pending.done()
        with pytest.raises(NotReadyError, match="later cell"):
            pending.result()
        assert "waiting for the extension" in repr(pending)
        for _ in range(50):  # the kernel's loop runs between cells
            await asyncio.sleep(0.01)
            if pending.done():
                break
        return pending

    pending = run(main())
    assert pending.done()  # "cell 2"
    np.testing.assert_array_equal(pending.result().data, cube)
    assert "done" in repr(pending)


def test_calls_on_a_workbench_run_in_order(in_tmp):
    state = Workbenches()
    ext = FakeExtension(state)

    async def main():
        lab = Lab(ext)
        wb = lab.open_arrays(
            np.ones((12, 6, 5), np.float32), np.linspace(512, 545, 12), pixel_size=1, path="o.h5"
        )
        wb.set_references({"A": [1.0, 2.0], "B": [2.0, 1.0]}, energies=[500, 560])
        res = wb.run(progress=False)  # not awaited in between: still after set_references
        return await res

    res = run(main())
    assert [r[0] for r in ext.requests] == ["open_arrays", "set_references", "run"]
    assert res.path == "o.h5"


def test_cancel_sends_a_cancel_message(in_tmp):
    def slow(method, params, arrays, ext):
        if method == "open_arrays":
            return {"path": params["path"]}, {}
        return []  # never answers the run

    ext = FakeExtension(slow)

    async def main():
        lab = Lab(ext)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="c.h5")
        job = wb.run(progress=False)
        await asyncio.sleep(0.1)
        task = asyncio.ensure_future(job)
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main())
    cancels = [m for m in ext.received if m.get("type") == "cancel"]
    runs = [m for m in ext.received if m.get("method") == "run"]
    assert cancels and cancels[0]["id"] == runs[0]["id"]


def test_simulate_returns_arrays_and_references():
    names = ["Na3", "Na1"]
    grid = np.linspace(505, 550, 181)

    def sim(method, params, arrays, ext):
        assert params == {"soc": 0.3, "seed": 4, "ny": 10, "nx": 12, "pixel_size": 0.03}
        truth = -np.ones((10, 12), np.int16)
        truth[2:8, 2:10] = 1
        truth[4:6, 4:8] = 0
        return {"phaseNames": names, "soc": 0.3, "seed": 4, "info": {}}, {
            "data": np.ones((12, 10, 12), np.float32),
            "energies": np.linspace(512, 545, 12),
            "x": np.arange(12.0),
            "y": np.arange(10.0),
            "control": np.ones((12, 10, 12), np.float32),
            "truth_phase": truth,
            "truth_mix": np.zeros((10, 12), np.float32),
            "energies:0": grid,
            "values:0": np.sin(grid),
            "energies:1": grid,
            "values:1": np.cos(grid),
        }

    async def main():
        return await Lab(FakeExtension(sim)).simulate(0.3, seed=4, shape=(10, 12))

    s = run(main())
    assert s.references.names == names and s.phase_names == names
    np.testing.assert_array_equal(s.references["Na1"][1], np.cos(grid))
    np.testing.assert_allclose(s.truth_fractions, [8 / 48, 40 / 48])
    assert "soc=0.3" in repr(s)


def test_module_level_functions_share_one_connection(monkeypatch, in_tmp):
    import stxm_phasemap as spm

    ext = FakeExtension(Workbenches())
    monkeypatch.setattr(spm, "_default", Lab(ext))

    async def main():
        wb = await spm.open_arrays(
            np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="m.h5"
        )
        return wb, await spm.workbenches()

    wb, wbs = run(main())
    assert wbs == [{"path": "m.h5", "current": True, "info": {"shape": [1]}}]
    assert len(ext.comms) == 1 and wb.path == "m.h5"


def test_kernel_restart_means_a_new_connection():
    """The kernel forgets its comm on restart: connect() opens a new one."""
    import stxm_phasemap as spm

    lab1 = spm.connect()
    lab2 = spm.connect()
    assert lab1 is not lab2 and spm._default is lab2
    assert "not connected" in repr(lab2)


def test_get_stack_takes_a_local_or_a_server_path(in_tmp):
    (in_tmp / "sub").mkdir()
    (in_tmp / "sub" / "s.h5").write_bytes(b"x")
    cube = np.ones((1, 2, 2), np.float32)
    arrays = {"data": cube, "energies": np.array([1.0]), "x": np.arange(2.0), "y": np.arange(2.0)}
    ext = FakeExtension(
        lambda m, p, a, e: ({"path": p["path"]}, arrays), hello_msg=hello(serverRoot=str(in_tmp))
    )

    async def main():
        lab = Lab(ext)
        os.chdir(in_tmp / "sub")
        await lab.get_stack("s.h5")  # local: the file is here
        await lab.get_stack("sub/s.h5")  # server path: no such local file
        await lab.get_stack("/sub/s.h5")

    run(main())
    assert [r[1]["path"] for r in ext.requests] == ["sub/s.h5"] * 3
    import stxm_phasemap as spm

    assert "open" not in spm.__all__ and callable(spm.open)
