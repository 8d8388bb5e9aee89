"""The committed example notebook, as a colleague or GitHub sees it without the extension.

Its outputs come from a real run in JupyterLab (ui-tests/tests/notebook-example.spec.ts with
STXM_UPDATE_EXAMPLE=1); here nbconvert turns it into HTML, which must show the maps as PNG
images in the shared palette.
"""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from stxm_phasemap import MIME_TYPE
from stxm_phasemap._display import unpack
from stxm_phasemap._palette import PHASE_COLORS, hex_to_rgb

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nvpf_states_of_charge.ipynb"


def result_outputs(nb: dict) -> list[dict]:
    return [
        o["data"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if MIME_TYPE in o.get("data", {})
    ]


def test_example_carries_its_outputs_and_no_errors():
    nb = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "the example is saved executed"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    bundles = result_outputs(nb)
    assert len(bundles) == 5  # results[-1] and the four maps of the last cell
    for data in bundles:
        assert set(data) >= {MIME_TYPE, "image/png", "text/plain"}
        payload = data[MIME_TYPE]
        phase = unpack(payload["maps"]["phase"], tuple(payload["shape"]))
        assert phase.max() == len(payload["phaseNames"])
        assert sum(payload["fractions"]) == pytest.approx(1.0)
        assert len(json.dumps(payload)) < 20_000  # small enough for a notebook


def test_html_export_shows_the_maps(tmp_path):
    out = tmp_path / "example.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbconvert",
            "--to",
            "html",
            "--log-level",
            "WARN",
            "--output",
            str(out.with_suffix("")),
            str(EXAMPLE),
        ],
        check=True,
        capture_output=True,
    )
    html = out.read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]* src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', html)
    assert len(images) >= 5
    for b64 in images:
        img = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")
        colours = {tuple(c) for c in np.asarray(img).reshape(-1, 3)}
        assert hex_to_rgb(PHASE_COLORS[0]) in colours and hex_to_rgb(PHASE_COLORS[1]) in colours
    assert "Na1" in html and "Traceback" not in html
