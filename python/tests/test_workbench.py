"""The request flow of Workbench over an in-process stand-in for a Jupyter comm.

The stand-in replaces only the transport (no kernel, no browser here); the
real comm path is exercised by the Galata test ui-tests/tests/comm.spec.ts.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from stxm_phasemap import StxmPhaseMapError, Workbench
from stxm_phasemap._protocol import PROTOCOL

from .test_protocol import split_reply


class LoopbackComm:
    """Answers like the extension would, through the same callbacks a comm uses."""

    def __init__(self, answer, hello=True, **kwargs):
        self.open_data = kwargs.get("data")
        self.sent = []
        self._answer = answer
        self._hello = hello
        self._on_msg = None
        self._on_close = None
        self.closed = False

    def on_msg(self, cb):
        self._on_msg = cb
        if self._hello:
            asyncio.get_event_loop().call_soon(
                self.deliver, {"type": "hello", "protocol": PROTOCOL, "version": "0.1.0"}, []
            )

    def on_close(self, cb):
        self._on_close = cb

    def deliver(self, data, buffers):
        self._on_msg({"content": {"data": data}, "buffers": buffers})

    def send(self, data):
        self.sent.append(data)
        for reply, bufs in self._answer(data):
            asyncio.get_event_loop().call_soon(self.deliver, reply, bufs)

    def close(self):
        self.closed = True


def run(coro):
    return asyncio.run(coro)


def test_connect_sends_protocol_and_get_stack_returns_numpy():
    cube = np.random.default_rng(1).random((4, 50, 50)).astype("<f4")
    arrays = {
        "data": cube,
        "energies": np.array([280, 284.5, 285, 320.0]),
        "x": np.arange(50) * 0.5,
        "y": np.arange(50) * 0.5,
    }
    comms = []

    def factory(**kw):
        comms.append(
            LoopbackComm(
                lambda req: split_reply(
                    req["id"], {"path": "s.h5", "info": {}}, arrays, max_chunk=3000
                ),
                **kw,
            )
        )
        return comms[-1]

    async def main():
        wb = await Workbench(factory)._open(timeout=2)
        return wb, await wb.get_stack()

    wb, stack = run(main())
    assert comms[0].open_data == {"protocol": PROTOCOL}
    assert wb.version == "0.1.0"
    assert stack.data.dtype == np.float32 and stack.data.shape == (4, 50, 50)
    np.testing.assert_array_equal(stack.data, cube)
    assert stack.path == "s.h5"
    assert "4 energies" in repr(stack)


def test_error_reply_becomes_a_python_exception():
    def factory(**kw):
        return LoopbackComm(
            lambda req: [
                (
                    {
                        "type": "reply",
                        "id": req["id"],
                        "ok": False,
                        "part": 0,
                        "parts": 1,
                        "error": {"kind": "not-found", "message": "no STXM stack is open"},
                    },
                    [],
                )
            ],
            **kw,
        )

    async def main():
        wb = await Workbench(factory)._open(timeout=2)
        await wb.get_stack()

    with pytest.raises(StxmPhaseMapError, match="no STXM stack is open") as info:
        run(main())
    assert info.value.kind == "not-found"


def test_no_extension_times_out_with_a_clear_message():
    def factory(**kw):
        return LoopbackComm(lambda req: [], hello=False, **kw)

    with pytest.raises(StxmPhaseMapError, match="installed and enabled"):
        run(Workbench(factory)._open(timeout=0.2))


def test_invalid_reply_fails_the_request_not_the_kernel():
    def factory(**kw):
        return LoopbackComm(
            lambda req: [
                (
                    {
                        "type": "reply",
                        "id": req["id"],
                        "ok": True,
                        "part": 0,
                        "parts": 1,
                        "result": {},
                        "arrays": {"data": {"dtype": "float32", "shape": [2], "nbytes": 8}},
                        "chunks": [],
                    },
                    [],
                )
            ],
            **kw,
        )

    async def main():
        wb = await Workbench(factory)._open(timeout=2)
        await wb.get_stack()

    with pytest.raises(StxmPhaseMapError, match="invalid reply"):
        run(main())
