"""An in-process stand-in for the browser side of the comm, for tests without a browser.

It replaces only the transport: it speaks the wire format of
docs/comm-protocol.md with its own (independent) splitting and reassembly, and
answers through the same callbacks a Jupyter comm uses. The real path (kernel,
server, JupyterLab, extension) is exercised by the Galata tests in ui-tests/.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import numpy as np
from stxm_phasemap._protocol import DTYPES, MAX_CHUNK_BYTES, METHODS, PROTOCOL

DEFAULTS = {
    "threshold": 0.005,
    "seed": 0,
    "method": "gmvae",
    "preprocess": {
        "ringCurrent": True,
        "energyShift": "auto",
        "binning": 1,
        "i0": {"mode": "auto"},
    },
    "gmvae": {"epochs": 60, "latentDim": 2, "learningRate": 0.005, "backend": "wasm"},
}


def hello(**extra: Any) -> dict[str, Any]:
    return {
        "type": "hello",
        "protocol": PROTOCOL,
        "version": "0.1.0",
        "methods": list(METHODS),
        "maxChunkBytes": MAX_CHUNK_BYTES,
        "serverRoot": extra.pop("serverRoot", None),
        "params": DEFAULTS,
        **extra,
    }


def split_reply(request_id, result, arrays, max_chunk=MAX_CHUNK_BYTES):
    """An independent implementation of the extension's splitting (docs/comm-protocol.md)."""
    descriptions, chunks = {}, []
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        raw = a.tobytes()
        descriptions[name] = {"dtype": str(a.dtype), "shape": list(a.shape), "nbytes": len(raw)}
        for off in range(0, len(raw), max_chunk):
            piece = raw[off : off + max_chunk]
            chunks.append(({"array": name, "offset": off, "nbytes": len(piece)}, piece))
    groups, size = [[]], 0
    for c in chunks:
        if groups[-1] and size + c[0]["nbytes"] > max_chunk:
            groups.append([c])
            size = c[0]["nbytes"]
        else:
            groups[-1].append(c)
            size += c[0]["nbytes"]
    msgs = []
    for i, g in enumerate(groups):
        data = {
            "type": "reply",
            "id": request_id,
            "ok": True,
            "part": i,
            "parts": len(groups),
            "chunks": [c[0] for c in g],
        }
        if i == 0:
            data.update(result=result, arrays=descriptions)
        msgs.append((data, [memoryview(c[1]) for c in g]))
    return msgs


def error_reply(request_id, kind, message):
    return [
        (
            {
                "type": "reply",
                "id": request_id,
                "ok": False,
                "part": 0,
                "parts": 1,
                "error": {"kind": kind, "message": message},
            },
            [],
        )
    ]


class RequestBuffer:
    """Reassembles the parts of one request (what the extension's PartAssembler does)."""

    def __init__(self):
        self.head: dict[str, Any] | None = None
        self.parts: dict[int, tuple[dict, list]] = {}

    def add(self, data, buffers) -> bool:
        self.parts[data["part"]] = (data, [bytes(memoryview(b).cast("B")) for b in buffers])
        if data["part"] == 0:
            self.head = data
        return len(self.parts) == data["parts"]

    def arrays(self) -> dict[str, np.ndarray]:
        assert self.head is not None
        out = {}
        for name, d in self.head.get("arrays", {}).items():
            buf = bytearray(d["nbytes"])
            for data, bufs in self.parts.values():
                for c, b in zip(data["chunks"], bufs, strict=True):
                    if c["array"] == name:
                        buf[c["offset"] : c["offset"] + c["nbytes"]] = b
            out[name] = np.frombuffer(bytes(buf), DTYPES[d["dtype"]]).reshape(d["shape"])
        return out


Handler = Callable[[str, dict[str, Any], dict[str, np.ndarray], "FakeExtension"], Any]


class FakeExtension:
    """Creates comms (the ``comm_factory`` of a Connection) and answers their requests.

    ``handler(method, params, arrays, ext)`` returns ``(result, arrays)``, a list
    of raw ``(data, buffers)`` messages, or raises ``Refuse(kind, message)``.
    ``deaf_comms``: how many comms (from the first) stop answering after their
    hello, like a comm whose browser page was reloaded (``comm.deaf = True``
    does it later). A comm that is not deaf answers pings.
    """

    def __init__(self, handler: Handler, *, hello_msg=None, deaf_comms=0, answer_hello=True):
        self.handler = handler
        self.hello_msg = hello_msg or hello()
        self.deaf_comms = deaf_comms
        self.answer_hello = answer_hello
        self.comms: list[LoopbackComm] = []
        self.requests: list[tuple[str, dict, dict]] = []
        self.received: list[dict] = []  # every message as sent by the kernel (JSON-checked)

    def __call__(self, **kwargs):
        comm = LoopbackComm(self, deaf=len(self.comms) < self.deaf_comms, **kwargs)
        self.comms.append(comm)
        return comm


class Refuse(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class LoopbackComm:
    def __init__(self, ext: FakeExtension, deaf: bool, target_name=None, data=None):
        self.ext = ext
        self.deaf = deaf
        self.target_name = target_name
        self.open_data = data
        self.closed = False
        self._on_msg = None
        self._on_close = None
        self._incoming: dict[str, RequestBuffer] = {}
        self.sent_buffers: list[int] = []

    def on_msg(self, cb):
        self._on_msg = cb
        if self.ext.answer_hello:
            self.later(self.ext.hello_msg, [])

    def on_close(self, cb):
        self._on_close = cb

    def later(self, data, buffers):
        asyncio.get_event_loop().call_soon(self.deliver, data, buffers)

    def deliver(self, data, buffers):
        if not self.closed:
            self._on_msg({"content": {"data": data}, "buffers": buffers})

    def close(self):
        self.closed = True

    def close_from_frontend(self):
        self.closed = True
        self._on_close({"content": {}})

    def send(self, data=None, buffers=None):
        json.dumps(data)  # everything the kernel sends must be JSON
        self.ext.received.append(data)
        self.sent_buffers.append(sum(memoryview(b).nbytes for b in buffers or []))
        if self.deaf:
            return
        if data.get("type") == "ping":
            self.later({"type": "pong", "id": data["id"]}, [])
            return
        if data.get("type") != "request":
            return
        rid = data["id"]
        buf = self._incoming.setdefault(rid, RequestBuffer())
        if data["part"] == 0:
            self.later({"type": "ack", "id": rid}, [])
        if not buf.add(data, buffers or []):
            return
        del self._incoming[rid]
        method, params, arrays = buf.head["method"], buf.head["params"], buf.arrays()
        self.ext.requests.append((method, params, arrays))
        try:
            out = self.ext.handler(method, params, arrays, self.ext)
        except Refuse as err:
            out = error_reply(rid, err.kind, str(err))
        if isinstance(out, tuple):
            out = split_reply(rid, out[0], out[1])
        for msg, bufs in out:
            if msg.get("id") == "$id":
                msg["id"] = rid
            self.later(msg, bufs)
