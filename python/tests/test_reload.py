"""A page reload while requests wait for their answers (issue 17, item 1).

The browser side of the comm goes with the page: acknowledged requests must not
wait for ever. Over the loopback stand-in (the real path: ui-tests/tests/hostile.spec.ts).
"""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest
from stxm_phasemap import ExtensionUnavailableError, Lab, WorkbenchReloadedError

from .loopback import FakeExtension, split_reply
from .test_api import Workbenches, result_arrays, result_json


def reload_during_run(state: Workbenches, runs: list[str]):
    """The extension of `state`, whose page "reloads" (goes deaf) during the first run."""

    def handler(method, params, arrays, ext):
        if method == "run" and not runs:
            runs.append(params["path"])
            ext.comms[-1].deaf = True  # the ack is on its way; nothing more ever comes
            return []
        return state(method, params, arrays, ext)

    return handler


def test_a_reload_mid_run_fails_the_run_and_what_queues_behind_it_works(in_tmp):
    state, runs = Workbenches(), []
    ext = FakeExtension(reload_during_run(state, runs))

    async def main():
        lab = Lab(ext, ack_timeout=0.4, ping_after=0.2)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="r.h5")
        await wb.set_references({"A": [1.0, 2.0], "B": [2.0, 1.0]}, energies=[0, 3])
        t0 = time.monotonic()
        job = wb.run(progress=False)
        later = wb.get_stack()  # queued behind the run on the same handle
        with pytest.raises(WorkbenchReloadedError, match="reloaded .*'run' on r.h5") as err:
            await job
        waited = time.monotonic() - t0
        # the same handle works again, on a new comm
        state.refs["r.h5"] = ({}, {})
        stack = await later
        result = await wb.run(progress=False)
        return err.value, waited, stack, result, lab

    err, waited, stack, result, lab = run(main())
    assert isinstance(err, ExtensionUnavailableError) and err.kind == "reloaded"
    assert waited < 3
    assert stack.data.shape == (2, 3, 3) and result.path == "r.h5"
    assert len(ext.comms) == 2 and ext.comms[0].closed and lab.reconnects == 1
    pings = [m for m in ext.received if m.get("type") == "ping"]
    assert pings, "the silent extension was pinged before it was given up"


def test_cancel_on_a_gone_page_ends_the_run_at_once(in_tmp):
    """A cancel pings at once: no need to wait for the silence that would start a ping."""
    state, runs = Workbenches(), []
    ext = FakeExtension(reload_during_run(state, runs))

    async def main():
        lab = Lab(ext, ack_timeout=0.3, ping_after=60)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="c.h5")
        job = wb.run(progress=False)
        await asyncio.sleep(0.3)
        assert not job.done()
        t0 = time.monotonic()
        job.cancel()
        with pytest.raises(WorkbenchReloadedError):
            await job
        return time.monotonic() - t0

    assert run(main()) < 2.5


def test_a_blocked_kernel_loop_is_not_taken_for_a_gone_page(in_tmp):
    """A busy cell blocks the loop: the pongs queue up, the page is still there."""
    answered: list[str] = []

    def handler(method, params, arrays, ext):
        if method == "open_arrays":
            return {"path": params["path"], "info": {}}, {}
        answered.append("run")
        return []  # answered later, by hand

    ext = FakeExtension(handler)

    async def main():
        lab = Lab(ext, ack_timeout=0.3, ping_after=0.1)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="b.h5")
        await wb
        job = wb.run(progress=False)
        await asyncio.sleep(0.5)  # pings answered by pongs
        time.sleep(1.5)  # a blocking cell: the loop does nothing meanwhile
        await asyncio.sleep(0.5)
        assert not job.done(), job.exception()
        rid = next(m["id"] for m in ext.received if m.get("method") == "run")
        for msg, bufs in split_reply(rid, result_json("b.h5"), result_arrays()):
            ext.comms[0].later(msg, bufs)
        return await job

    result = run(main())
    assert result.path == "b.h5" and len(ext.comms) == 1


def test_a_request_after_the_reload_fails_the_old_ones_at_once(in_tmp):
    """The next request finds no ack: the comm is gone, and so is what waits on it."""
    state, runs = Workbenches(), []
    ext = FakeExtension(reload_during_run(state, runs))

    async def main():
        lab = Lab(ext, ack_timeout=0.3, ping_after=60)
        wb = lab.open_arrays(np.ones((2, 3, 3), np.float32), [1, 2], pixel_size=1, path="n.h5")
        job = wb.run(progress=False)
        await asyncio.sleep(0.2)
        other = lab.get_stack("n.h5")  # another handle, after the reload
        stack = await other
        await asyncio.sleep(0)
        return job, stack

    job, stack = run(main())
    assert stack.data.shape == (2, 3, 3)
    assert isinstance(job.exception(), WorkbenchReloadedError)


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path
