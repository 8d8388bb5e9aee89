"""The comm protocol ``stxm-phasemap/1``, kernel side (see docs/comm-protocol.md).

Pure functions and a reassembly buffer: no Jupyter imports, so every rule is
tested without a browser. Every message from the extension is validated here,
against the contract (the validators generated into ``_contract.py``) and for
what a schema cannot say (parts, sizes, chunks); a message that breaks it
raises :class:`ProtocolError`. Requests with arrays are split into parts of at
most 8 MiB of buffers, like the replies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _contract as contract
from ._contract import (
    COMM_TARGET,
    MAX_ARRAY_BYTES,
    MAX_CHUNK_BYTES,
    MAX_MESSAGE_BYTES,
    METHOD_ARRAYS,
    METHOD_RESULTS,
    METHODS,
    PROTOCOL,
    Cancel,
    ContractError,
    ErrorNotice,
)
from ._errors import ProtocolError, error_for

__all__ = ["COMM_TARGET", "DTYPES", "MAX_CHUNK_BYTES", "METHODS", "PROTOCOL"]

#: dtypes the protocol allows (the contract's), all little-endian.
DTYPES: dict[str, np.dtype] = {name: np.dtype(d["numpy"]) for name, d in contract.DTYPES.items()}
_NAMES = {dt: name for name, dt in DTYPES.items()}


def _checked(check: Any, value: Any, path: str = "") -> Any:
    """``check(value)`` (a validator of ``_contract.py``) with its failure as a ProtocolError."""
    try:
        return check(value, path)
    except ProtocolError:
        raise
    except ContractError as err:
        raise ProtocolError(str(err), err.path) from None


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ProtocolError(message)


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


def cancel_message(request_id: str) -> Cancel:
    return {"type": "cancel", "id": request_id}


def error_notice(request_id: str | None, message: str) -> ErrorNotice:
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
    hello = _checked(contract.check_hello, data)
    # an extension older than "methods" (the skeleton) answered these two
    methods = hello.get("methods", ["list_workbenches", "get_stack"])
    return Hello(
        hello["version"], tuple(methods), hello.get("serverRoot") or None, hello.get("params", {})
    )


def validate_ack(data: dict[str, Any]) -> str:
    """The request id of an ack (or of an event: the contract checks both the same way)."""
    return _checked(contract.check_ack, {"type": "ack", "id": data.get("id")})["id"]


def validate_event(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A progress event: ``(request id, progress)``."""
    event = _checked(contract.check_progress_event, data)
    return event["id"], dict(event["progress"])


def check_result(method: str, result: Any, arrays: dict[str, np.ndarray]) -> None:
    """A complete reply of ``method`` against the contract: its JSON and its arrays."""
    check = METHOD_RESULTS.get(method)
    if check is not None:
        _checked(check, result, "result")
    check_arrays(method, result, arrays)


def check_arrays(method: str, result: Any, arrays: dict[str, np.ndarray]) -> None:
    """The arrays of a reply against the method's table (``METHOD_ARRAYS``): each array there,
    of its dtype and number of dimensions, equal sizes along dimensions of the same name.
    Arrays beyond the table are accepted (a newer extension may send more)."""
    sizes: dict[str, tuple[int, str]] = {}
    for spec in METHOD_ARRAYS.get(method, {}).get("out", []):
        repeat = spec.get("repeat")
        items = result.get(repeat) if repeat and isinstance(result, dict) else None
        count = (len(items) if isinstance(items, list) else 0) if repeat else 1
        for i in range(count):
            name = spec["name"].replace("{i}", str(i))
            a = arrays.get(name)
            if a is None:
                _require(bool(spec.get("optional")), f'array "{name}" is missing')
                continue
            dims = [d.replace("{i}", str(i)) for d in spec["dims"]] if spec["dims"] else None
            _require(
                a.dtype == DTYPES[spec["dtype"]] and (dims is None or a.ndim == len(dims)),
                f'array "{name}" must be {spec["dtype"]}'
                + (f" with {len(dims)} dimension(s)" if dims else "")
                + f", got {_NAMES.get(a.dtype, a.dtype)} {list(a.shape)}",
            )
            for dim, size in zip(dims or [], a.shape if dims else (), strict=True):
                seen = sizes.setdefault(dim, (int(size), name))
                _require(
                    seen[0] == size,
                    f'array "{name}" has {size} along {dim}, "{seen[1]}" has {seen[0]}',
                )


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
        _checked(contract.check_array_spec, d, f"arrays.{name}")
        dtype, shape, nbytes = d["dtype"], d["shape"], d["nbytes"]
        expected = int(np.prod(shape, dtype=np.int64)) * DTYPES[dtype].itemsize
        _require(nbytes == expected, f'array "{name}": nbytes {nbytes!r} != {expected}')
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
        _require(isinstance(data.get("ok"), bool), '"ok" must be a boolean')
        if data["ok"] is False:
            err = _checked(contract.check_error_reply, data)["error"]
            _require(
                data.get("id") in (self.request_id, None),
                f"reply for {data.get('id')!r}, not {self.request_id!r}",
            )
            raise error_for(err["kind"], err["message"])
        _checked(contract.check_reply_part, data)
        _require(
            data.get("id") == self.request_id,
            f"reply for {data.get('id')!r}, not {self.request_id!r}",
        )
        parts, part = data.get("parts", 1), data.get("part", 0)
        _require(part < parts, f'"part" {part!r} is outside 0..{parts - 1}')
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
        for i, (c, buf) in enumerate(zip(chunks, buffers, strict=True)):
            _checked(contract.check_chunk_spec, c, f"chunks[{i}]")
            name, offset, nbytes = c["array"], c["offset"], c["nbytes"]
            _require(name in self.specs, f"chunk for unknown array {name!r}")
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
