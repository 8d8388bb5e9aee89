"""The kernel side of protocol stxm-phasemap/1: validation and reassembly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from stxm_phasemap._errors import ProtocolError, StxmPhaseMapError, WorkbenchNotFoundError
from stxm_phasemap._protocol import (
    MAX_CHUNK_BYTES,
    PROTOCOL,
    ReplyAssembler,
    make_request,
    split_message,
    validate_event,
    validate_hello,
    wire_array,
)

from .loopback import RequestBuffer, split_reply

ROOT = Path(__file__).resolve().parents[2]


def test_make_request_builds_a_valid_message():
    rid, parts = make_request("get_stack", {"path": "a.h5"})
    assert parts == [
        (
            {
                "type": "request",
                "id": rid,
                "part": 0,
                "parts": 1,
                "method": "get_stack",
                "params": {"path": "a.h5"},
                "arrays": {},
                "chunks": [],
            },
            [],
        )
    ]
    assert 1 <= len(rid) <= 64
    with pytest.raises(ValueError, match="unknown method"):
        make_request("delete_everything")


def test_large_requests_are_chunked_and_reassemble_exactly():
    rng = np.random.default_rng(3)
    cube = rng.random((5, 1100, 1000), dtype=np.float32)  # 22 MB, over the 10 MiB server limit
    energies = np.linspace(512, 545, 5)
    rid, parts = make_request("open_arrays", {"path": "a.h5"}, {"data": cube, "energies": energies})
    assert len(parts) == 3
    buf = RequestBuffer()
    for data, buffers in parts:
        json.dumps(data)
        assert sum(b.nbytes for b in buffers) <= MAX_CHUNK_BYTES
        assert data["id"] == rid and data["parts"] == 3
        assert ("method" in data) == (data["part"] == 0)
        buf.add(data, buffers)
    arrays = buf.arrays()
    np.testing.assert_array_equal(arrays["data"], cube)
    np.testing.assert_array_equal(arrays["energies"], energies)
    assert buf.head["arrays"]["data"] == {
        "dtype": "float32",
        "shape": [5, 1100, 1000],
        "nbytes": cube.nbytes,
    }


def test_request_buffers_are_views_not_copies():
    cube = np.zeros((4, 100, 100), np.float32)
    _, parts = make_request("open_arrays", {}, {"data": cube})
    (data, buffers) = parts[0]
    cube[0, 0, 0] = 42.0
    assert np.frombuffer(buffers[0], np.float32)[0] == 42.0


def test_wire_array_normalises_dtype_and_layout():
    big_endian = np.arange(6, dtype=">f8").reshape(2, 3)
    a = wire_array(big_endian.T)
    assert a.dtype == np.dtype("<f8") and a.flags.c_contiguous
    np.testing.assert_array_equal(a, big_endian.T)
    with pytest.raises(TypeError, match="complex128 cannot travel"):
        wire_array(np.zeros(3, complex), "z")
    empty = split_message({"type": "x"}, {}, {"e": np.zeros((0, 3), np.float32)})
    assert empty[0][0]["arrays"]["e"] == {"dtype": "float32", "shape": [0, 3], "nbytes": 0}


def test_event_validation():
    rid, p = validate_event(
        {
            "type": "event",
            "id": "r1",
            "event": "progress",
            "progress": {"stage": "train", "fraction": 0.5, "epoch": 3},
        }
    )
    assert rid == "r1" and p["epoch"] == 3
    for bad in (
        {"type": "event", "id": "r1", "event": "kaboom", "progress": {}},
        {"type": "event", "id": "r1", "event": "progress", "progress": {"stage": 3, "fraction": 0}},
        {
            "type": "event",
            "id": "r1",
            "event": "progress",
            "progress": {"stage": "x", "fraction": "1"},
        },
        {"type": "event", "id": "", "event": "progress", "progress": {"stage": "x", "fraction": 1}},
    ):
        with pytest.raises(ProtocolError):
            validate_event(bad)


def test_hello():
    h = validate_hello({"type": "hello", "protocol": PROTOCOL, "version": "0.1.0"})
    assert h.version == "0.1.0" and h.methods == ("list_workbenches", "get_stack")
    h = validate_hello(
        {
            "type": "hello",
            "protocol": PROTOCOL,
            "version": "0.2.0",
            "methods": ["run"],
            "serverRoot": "/srv",
            "params": {"threshold": 0.005},
        }
    )
    assert h.methods == ("run",) and h.server_root == "/srv" and h.params == {"threshold": 0.005}
    with pytest.raises(ProtocolError, match="serverRoot"):
        validate_hello({"type": "hello", "protocol": PROTOCOL, "version": "1", "serverRoot": 5})
    with pytest.raises(ProtocolError, match="speaks"):
        validate_hello({"type": "hello", "protocol": "stxm-phasemap/99", "version": "9"})
    with pytest.raises(StxmPhaseMapError, match="unsupported protocol"):
        validate_hello(
            {"type": "error", "error": {"kind": "protocol", "message": "unsupported protocol"}}
        )
    with pytest.raises(ProtocolError):
        validate_hello(["not", "an", "object"])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int16", "int32", "uint8"])
def test_multipart_reassembly_is_exact(dtype):
    rng = np.random.default_rng(0)
    cube = (rng.random((3, 17, 29)) * 100).astype(dtype)
    energies = np.linspace(512, 545, 3)
    msgs = split_reply("r1", {"path": "a.h5"}, {"data": cube, "energies": energies}, max_chunk=1000)
    assert len(msgs) > 1
    asm = ReplyAssembler("r1")
    for data, bufs in msgs:
        assert not asm.complete
        asm.add(data, bufs)
    assert asm.complete
    reply = asm.reply()
    assert reply.result == {"path": "a.h5"}
    np.testing.assert_array_equal(reply.arrays["data"], cube)
    assert reply.arrays["data"].dtype == np.dtype(dtype)
    np.testing.assert_array_equal(reply.arrays["energies"], energies)


def test_parts_may_arrive_out_of_order():
    cube = np.arange(5000, dtype="<f4").reshape(5, 10, 100)
    msgs = split_reply("r2", {}, {"data": cube}, max_chunk=4096)
    asm = ReplyAssembler("r2")
    for data, bufs in reversed(msgs):  # part 0 last
        asm.add(data, bufs)
    assert asm.complete
    np.testing.assert_array_equal(asm.reply().arrays["data"], cube)


def test_error_reply_raises_with_the_extension_message():
    asm = ReplyAssembler("r3")
    with pytest.raises(WorkbenchNotFoundError, match="no STXM stack is open") as info:
        asm.add(
            {
                "type": "reply",
                "id": "r3",
                "ok": False,
                "part": 0,
                "parts": 1,
                "error": {"kind": "not-found", "message": "no STXM stack is open in JupyterLab"},
            },
            [],
        )
    assert info.value.kind == "not-found"
    assert isinstance(info.value, (StxmPhaseMapError, LookupError))


def good_single(rid="r"):
    a = np.arange(6, dtype="<f4")
    return split_reply(rid, {}, {"a": a})[0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d, b: d.update(type="hello"), '"type" must be "reply"'),
        (lambda d, b: d.update(id="other"), "not 'r'"),
        (lambda d, b: d.update(ok="yes"), '"ok" must be a boolean'),
        (lambda d, b: d.update(parts=0), '"parts"'),
        (lambda d, b: d.update(part=1), '"part"'),
        (lambda d, b: d.pop("result"), '"result"'),
        (lambda d, b: d["arrays"]["a"].update(dtype="complex128"), "unsupported dtype"),
        (lambda d, b: d["arrays"]["a"].update(shape=[2, -3]), "non-negative"),
        (lambda d, b: d["arrays"]["a"].update(nbytes=999), "nbytes"),
        (lambda d, b: d["chunks"][0].update(array="zzz"), "unknown array"),
        (lambda d, b: d["chunks"][0].update(offset=4), "outside array"),
        (lambda d, b: d["chunks"][0].update(nbytes=8), "buffer has 24"),
        (lambda d, b: b.append(memoryview(b"x")), "chunks described for 2 buffers"),
        (lambda d, b: d["arrays"]["a"].update(shape=[10], nbytes=40), "incomplete"),
    ],
)
def test_malformed_replies_are_rejected(mutate, message):
    data, bufs = good_single()
    data = json.loads(json.dumps(data))
    bufs = list(bufs)
    mutate(data, bufs)
    with pytest.raises(ProtocolError, match=message):
        ReplyAssembler("r").add(data, bufs)


def test_overlapping_chunks_are_rejected():
    a = np.arange(8, dtype="<f4")
    data = {
        "type": "reply",
        "id": "r",
        "ok": True,
        "part": 0,
        "parts": 1,
        "result": {},
        "arrays": {"a": {"dtype": "float32", "shape": [8], "nbytes": 32}},
        "chunks": [
            {"array": "a", "offset": 0, "nbytes": 20},
            {"array": "a", "offset": 16, "nbytes": 16},
        ],
    }
    raw = a.tobytes()
    with pytest.raises(ProtocolError, match="overlap"):
        ReplyAssembler("r").add(data, [memoryview(raw[:20]), memoryview(raw[16:])])


def test_duplicate_part_is_rejected():
    msgs = split_reply("r", {}, {"a": np.zeros(1000, "<f8")}, max_chunk=1000)
    asm = ReplyAssembler("r")
    asm.add(*msgs[1])
    with pytest.raises(ProtocolError, match="twice"):
        asm.add(*msgs[1])


def test_replies_over_the_8_mib_limits_are_refused_as_they_arrive():
    """A part may carry at most 8 MiB of buffers, and arrays at most 2 GiB in all."""
    big = np.zeros(MAX_CHUNK_BYTES + 8, np.uint8)
    (one,) = split_reply("r", {}, {"a": big}, max_chunk=MAX_CHUNK_BYTES + 8)
    with pytest.raises(ProtocolError, match=r"a buffer of 8388616 bytes .*at most 8388608"):
        ReplyAssembler("r").add(*one)
    halves = np.zeros(MAX_CHUNK_BYTES // 2 + 8, np.uint8)
    (two,) = split_reply("r", {}, {"a": halves, "b": halves}, max_chunk=MAX_CHUNK_BYTES + 16)
    with pytest.raises(ProtocolError, match=r"8388624 bytes of buffers in one message"):
        ReplyAssembler("r").add(*two)
    claims = {
        "type": "reply",
        "id": "r",
        "ok": True,
        "part": 0,
        "parts": 2,
        "result": {},
        "arrays": {k: {"dtype": "uint8", "shape": [2**31], "nbytes": 2**31} for k in "ab"},
        "chunks": [],
    }
    with pytest.raises(ProtocolError, match=r"arrays of 4294967296 bytes in all"):
        ReplyAssembler("r").add(claims, [])


def test_version_matches_package_json():
    import stxm_phasemap

    pkg = json.loads((ROOT / "package.json").read_text())
    if stxm_phasemap.__version__ == "0.0.0+unknown":
        pytest.skip("stxm-phasemap is not installed in this environment (pip install .)")
    assert stxm_phasemap.__version__ == pkg["version"]


def test_labextension_paths_point_at_the_package_name():
    import stxm_phasemap

    assert stxm_phasemap._jupyter_labextension_paths() == [
        {"src": "labextension", "dest": "stxm-phasemap"}
    ]
