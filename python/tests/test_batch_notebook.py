"""The batch example notebook runs headless: `jupyter nbconvert --execute`, no JupyterLab page.

examples/batch_beamtime.ipynb simulates a beamtime (seven states of charge and a broken
file), maps it with map_files on a 2-worker Dask LocalCluster, shows the table, the figure
and one result, and re-runs. Here it is executed in a fresh folder; with
STXM_UPDATE_EXAMPLE=1 the executed notebook replaces the committed one (its outputs are
what GitHub shows).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "batch_beamtime.ipynb"


def outputs(nb: dict) -> list[dict]:
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def text_of(o: dict) -> str:
    if o["output_type"] == "stream":
        return "".join(o["text"])
    data = o.get("data", {})
    return "".join(data.get("text/plain", "")) + "".join(data.get("text/html", ""))


def check(nb: dict) -> None:
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell ran"
    outs = outputs(nb)
    assert [o for o in outs if o["output_type"] == "error"] == []
    text = "\n".join(text_of(o) for o in outs)
    assert "8 stack(s) in 'beamtime/phasemaps': 7 mapped, 0 kept, 1 failed" in text
    assert "soc55.h5: file is empty (0 bytes)" in text  # the broken file's error row
    assert "0 mapped, 7 kept, 1 failed" in text  # the re-run kept every result
    assert "8/8" in text  # the progress bar's last state
    assert "Warning" not in text, text  # nothing printed but the work
    # the batch shows its figure, the result its map (the extension's MIME type and a PNG)
    assert any("image/png" in o.get("data", {}) and "Batch" in text_of(o) for o in outs)
    assert any("application/vnd.stxm-phasemap.v1+json" in o.get("data", {}) for o in outs)


def test_the_committed_example_is_saved_executed():
    check(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def test_the_example_executes_headless(tmp_path: Path):
    nb = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, nb)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", "--ExecutePreprocessor.timeout=600", str(nb)],
        cwd=tmp_path, check=True, capture_output=True, text=True,
    )  # fmt: skip
    executed = json.loads(nb.read_text(encoding="utf-8"))
    check(executed)
    assert (tmp_path / "beamtime" / "phasemaps" / "summary.csv").exists()
    if os.environ.get("STXM_UPDATE_EXAMPLE") == "1":
        shutil.copy(nb, EXAMPLE)
