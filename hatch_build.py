"""Build hook: the wheel carries the prebuilt JupyterLab extension.

Runs ``npm ci`` (exact versions from package-lock.json) and ``npm run build:prod``
unless ``python/stxm_phasemap/labextension`` is already built, then checks that the
extension is really there. Node.js is needed only here, never by the installed package.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LABEXT = Path("python/stxm_phasemap/labextension")
TARGETS = [LABEXT / "package.json", LABEXT / "static" / "style.js"]


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
            raise RuntimeError(f"labextension build did not produce: {', '.join(missing)}")
