"""The comm protocol ``stxm-phasemap/1``, kernel side (see docs/comm-protocol.md).

Pure functions and a reassembly buffer: no Jupyter imports, so every rule is
tested without a browser. Every message from the extension is validated here; a
message that breaks the contract raises :class:`ProtocolError`. Requests with
arrays are split into parts of at most 8 MiB of buffers, like the replies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._errors import ProtocolError, error_for

PROTOCOL = "stxm-phasemap/1"
COMM_TARGET = "stxm-phasemap"
MAX_CHUNK_BYTES = 8 * 1024 * 1024
METHODS = (
    "list_workbenches",
    "get_stack",
    "open",
    "open_arrays",
    "set_references",
    "get_references",
    "run",
    "get_result",
    "simulate",
)

#: dtypes the protocol allows, all little-endian.
DTYPES: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "float64": np.dtype("<f8"),
    "int8": np.dtype("i1"),
    "uint8": np.dtype("u1"),
    "int16": np.dtype("<i2"),
    "uint16": np.dtype("<u2"),
    "int32": np.dtype("<i4"),
    "uint32": np.dtype("<u4"),
}
_NAMES = {dt: name for name, dt in DTYPES.items()}

#: No single array may claim more than this (a guard against absurd claims)…
MAX_ARRAY_BYTES = 2 * 1024**3
#: …nor all the arrays of one message together (each is allocated when part 0 arrives).
MAX_MESSAGE_BYTES = MAX_ARRAY_BYTES


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ProtocolError(message)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def wire_array(a: Any, name: str = "array") -> np.ndarray:
    """``a`` as a C-contiguous little-endian array of a protocol dtype (a copy only if needed)."""
    arr = np.asarray(a)
    dt = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    if dt not in _NAMES:
        raise TypeError(
            f"{name}: dtype {arr.dtype} cannot travel on the comm (allowed: {', '.join(DTYPES)})"
        )
    return np.ascontiguousarray(arr, dtype=dt)


def split_message(
    common: dict[str, Any],
    first: dict[str, Any],
    arrays: dict[str, np.ndarray] | None = None,
    max_chunk: int = MAX_CHUNK_BYTES,
) -> list[tuple[dict[str, Any], list[memoryview]]]:
    """Split a message into parts of at most ``max_chunk`` bytes of buffers.

    Every part carries ``common`` plus ``part``/``parts``/``chunks``; part 0
    also carries ``first`` and the array descriptions. Returns
    ``[(data, buffers), …]`` with buffers as zero-copy memoryviews.
    """
    descriptions: dict[str, Any] = {}
    chunks: list[tuple[dict[str, Any], memoryview]] = []
    for name, a in (arrays or {}).items():
        a = wire_array(a, name)
        raw = memoryview(a).cast("B") if a.size else memoryview(b"")
        descriptions[name] = {
            "dtype": _NAMES[a.dtype],
            "shape": [int(s) for s in a.shape],
            "nbytes": int(a.nbytes),
        }
        for off in range(0, a.nbytes, max_chunk):
            piece = raw[off : off + max_chunk]
            chunks.append(({"array": name, "offset": off, "nbytes": piece.nbytes}, piece))
    groups: list[list[tuple[dict[str, Any], memoryview]]] = [[]]
    size = 0
    for c in chunks:
        if groups[-1] and size + c[0]["nbytes"] > max_chunk:
            groups.append([c])
            size = c[0]["nbytes"]
        else:
            groups[-1].append(c)
            size += c[0]["nbytes"]
    out = []
    for i, group in enumerate(groups):
        data = {**common, "part": i, "parts": len(groups)}
        if i == 0:
            data.update(first)
            data["arrays"] = descriptions
        data["chunks"] = [c[0] for c in group]
        out.append((data, [c[1] for c in group]))
    return out


def make_request(
    method: str,
    params: dict[str, Any] | None = None,
    arrays: dict[str, np.ndarray] | None = None,
    *,
    id: str | None = None,
    max_chunk: int = MAX_CHUNK_BYTES,
) -> tuple[str, list[tuple[dict[str, Any], list[memoryview]]]]:
    """Build a request; returns ``(id, [(data, buffers), …])`` (one part unless arrays are big)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    request_id = id or new_request_id()
    parts = split_message(
        {"type": "request", "id": request_id},
        {"method": method, "params": dict(params or {})},
        arrays,
        max_chunk,
    )
    return request_id, parts


def cancel_message(request_id: str) -> dict[str, Any]:
    return {"type": "cancel", "id": request_id}


def error_notice(request_id: str | None, message: str) -> dict[str, Any]:
    """Tell the extension that one of its messages broke the protocol."""
    return {
        "type": "error",
        "id": request_id,
        "error": {"kind": "invalid-reply", "message": message[:2000]},
    }


@dataclass
class Hello:
    version: str
    methods: tuple[str, ...]
    server_root: str | None
    params: dict[str, Any]


def validate_hello(data: Any) -> Hello:
    """Check a ``hello`` message (or the extension's refusal)."""
    _require(isinstance(data, dict), "message is not a JSON object")
    if data.get("type") == "error":
        err = data.get("error") if isinstance(data.get("error"), dict) else {}
        raise error_for(str(err.get("kind", "protocol")), str(err.get("message", data)))
    _require(data.get("type") == "hello", f"expected a hello message, got {data.get('type')!r}")
    _require(
        data.get("protocol") == PROTOCOL,
        f"extension speaks {data.get('protocol')!r}, this package {PROTOCOL!r}",
    )
    version = data.get("version")
    _require(isinstance(version, str), '"version" must be a string')
    methods = data.get("methods", ["list_workbenches", "get_stack"])
    _require(
        isinstance(methods, list) and all(isinstance(m, str) for m in methods),
        '"methods" must be a list of strings',
    )
    root = data.get("serverRoot")
    _require(root is None or isinstance(root, str), '"serverRoot" must be a string or null')
    params = data.get("params", {})
    _require(isinstance(params, dict), '"params" must be an object')
    return Hello(version, tuple(methods), root or None, params)


def validate_ack(data: dict[str, Any]) -> str:
    rid = data.get("id")
    _require(isinstance(rid, str) and 0 < len(rid) <= 64, 'ack: "id" must be a request id')
    return rid


def validate_event(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A progress event: ``(request id, progress)``."""
    rid = validate_ack(data)
    _require(data.get("event") == "progress", f"unknown event {data.get('event')!r}")
    p = data.get("progress")
    _require(isinstance(p, dict), 'event: "progress" must be an object')
    _require(isinstance(p.get("stage"), str), 'progress: "stage" must be a string')
    frac = p.get("fraction")
    _require(
        isinstance(frac, (int, float)) and not isinstance(frac, bool),
        'progress: "fraction" must be a number',
    )
    return rid, p


@dataclass
class ArraySpec:
    dtype: np.dtype
    shape: tuple[int, ...]
    nbytes: int


def check_buffer_limits(buffers: list[Any]) -> None:
    """A message's buffers within the limits: none over 8 MiB, at most 8 MiB in all."""
    total = 0
    for b in buffers:
        n = memoryview(b).nbytes
        _require(
            n <= MAX_CHUNK_BYTES,
            f"a buffer of {n} bytes is larger than a chunk may be (at most {MAX_CHUNK_BYTES})",
        )
        total += n
    _require(
        total <= MAX_CHUNK_BYTES,
        f"{total} bytes of buffers in one message (a message carries at most {MAX_CHUNK_BYTES})",
    )


def _parse_arrays(arrays: Any) -> dict[str, ArraySpec]:
    _require(isinstance(arrays, dict), '"arrays" must be an object')
    specs: dict[str, ArraySpec] = {}
    for name, d in arrays.items():
        _require(isinstance(d, dict), f'array "{name}": description must be an object')
        dtype = d.get("dtype")
        _require(dtype in DTYPES, f'array "{name}": unsupported dtype {dtype!r}')
        shape = d.get("shape")
        _require(
            isinstance(shape, list) and all(_is_int(s) and s >= 0 for s in shape),
            f'array "{name}": "shape" must be a list of non-negative integers',
        )
        nbytes = d.get("nbytes")
        expected = int(np.prod(shape, dtype=np.int64)) * DTYPES[dtype].itemsize
        _require(
            _is_int(nbytes) and nbytes == expected,
            f'array "{name}": nbytes {nbytes!r} != {expected}',
        )
        _require(nbytes <= MAX_ARRAY_BYTES, f'array "{name}": {nbytes} bytes is too large')
        specs[name] = ArraySpec(DTYPES[dtype], tuple(shape), nbytes)
    total = sum(spec.nbytes for spec in specs.values())
    _require(
        total <= MAX_MESSAGE_BYTES,
        f"arrays of {total} bytes in all (a message holds at most {MAX_MESSAGE_BYTES} bytes)",
    )
    return specs


@dataclass
class Reply:
    """A complete reply: its JSON ``result`` and its arrays as numpy arrays."""

    result: dict[str, Any]
    arrays: dict[str, np.ndarray]


@dataclass
class ReplyAssembler:
    """Collects the parts of one reply and rebuilds its arrays in place.

    Each array is allocated once (``bytearray``); every chunk is copied to its
    offset. Parts may arrive in any order; a reply is complete when all parts
    arrived and every byte of every array was covered exactly once.
    """

    request_id: str
    parts: int | None = None
    result: dict[str, Any] | None = None
    specs: dict[str, ArraySpec] | None = None
    _buffers: dict[str, bytearray] = field(default_factory=dict)
    _filled: dict[str, int] = field(default_factory=dict)
    _ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _seen: set[int] = field(default_factory=set)
    _pending: list[tuple[list[Any], list[Any]]] = field(default_factory=list)

    def add(self, data: Any, buffers: Iterable[Any]) -> None:
        """Add one part; raises :class:`ProtocolError`, or the extension's error."""
        buffers = list(buffers)
        check_buffer_limits(buffers)
        _require(isinstance(data, dict), "reply is not a JSON object")
        _require(data.get("type") == "reply", f'"type" must be "reply", got {data.get("type")!r}')
        _require(
            data.get("id") == self.request_id,
            f"reply for {data.get('id')!r}, not {self.request_id!r}",
        )
        ok = data.get("ok")
        _require(isinstance(ok, bool), '"ok" must be a boolean')
        if not ok:
            err = data.get("error")
            _require(
                isinstance(err, dict)
                and isinstance(err.get("kind"), str)
                and isinstance(err.get("message"), str),
                'an error reply needs "error": {"kind", "message"}',
            )
            raise error_for(err["kind"], err["message"])
        parts, part = data.get("parts"), data.get("part")
        _require(_is_int(parts) and parts >= 1, '"parts" must be a positive integer')
        _require(_is_int(part) and 0 <= part < parts, f'"part" {part!r} is outside 0..{parts - 1}')
        _require(self.parts in (None, parts), f"parts changed from {self.parts} to {parts}")
        _require(part not in self._seen, f"part {part} arrived twice")
        self.parts = parts
        self._seen.add(part)
        chunks = data.get("chunks", [])
        _require(isinstance(chunks, list), '"chunks" must be a list')
        _require(
            len(chunks) == len(buffers),
            f"{len(chunks)} chunks described for {len(buffers)} buffers",
        )
        if part == 0:
            result = data.get("result")
            _require(isinstance(result, dict), 'part 0 needs a "result" object')
            self.result = result
            self.specs = _parse_arrays(data.get("arrays", {}))
            for name, spec in self.specs.items():
                self._buffers[name] = bytearray(spec.nbytes)
                self._filled[name] = 0
                self._ranges[name] = []
            pending, self._pending = self._pending, []
            for c, b in pending:
                self._copy(c, b)
        if self.specs is None:
            self._pending.append((chunks, buffers))  # part 0 not here yet
        else:
            self._copy(chunks, buffers)
        if len(self._seen) == self.parts and not self.complete:
            short = [n for n, s in (self.specs or {}).items() if self._filled[n] != s.nbytes]
            raise ProtocolError(f"reply ended with array(s) {', '.join(short)} incomplete")

    def _copy(self, chunks: list[Any], buffers: list[Any]) -> None:
        assert self.specs is not None
        for c, buf in zip(chunks, buffers, strict=True):
            _require(isinstance(c, dict), "a chunk description must be an object")
            name, offset, nbytes = c.get("array"), c.get("offset"), c.get("nbytes")
            _require(name in self.specs, f"chunk for unknown array {name!r}")
            _require(_is_int(offset) and _is_int(nbytes), "chunk offset/nbytes must be integers")
            view = memoryview(buf).cast("B")
            _require(
                view.nbytes == nbytes,
                f"chunk of {name!r} says {nbytes} bytes, buffer has {view.nbytes}",
            )
            _require(
                0 <= offset and offset + nbytes <= self.specs[name].nbytes,
                f"chunk [{offset}, {offset + nbytes}) is outside array {name!r}",
            )
            for lo, hi in self._ranges[name]:
                _require(
                    offset >= hi or offset + nbytes <= lo, f"chunks of {name!r} overlap at {offset}"
                )
            self._ranges[name].append((offset, offset + nbytes))
            self._buffers[name][offset : offset + nbytes] = view
            self._filled[name] += nbytes

    @property
    def complete(self) -> bool:
        return (
            self.parts is not None
            and len(self._seen) == self.parts
            and self.specs is not None
            and all(self._filled[n] == s.nbytes for n, s in self.specs.items())
        )

    def reply(self) -> Reply:
        _require(self.complete, "reply is not complete")
        assert self.specs is not None and self.result is not None
        arrays = {
            name: np.frombuffer(self._buffers[name], dtype=spec.dtype).reshape(spec.shape)
            for name, spec in self.specs.items()
        }
        return Reply(self.result, arrays)
