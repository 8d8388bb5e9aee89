"""Rich display of a result: the MIME payload, the PNG (Pillow) and the text."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image
from stxm_phasemap import MIME_TYPE, Result
from stxm_phasemap._display import (
    FLAG_AMBIGUOUS,
    mime_payload,
    png_bytes,
    unpack,
)
from stxm_phasemap._palette import AMBIGUOUS_COLOR, BACKGROUND_COLOR, PHASE_COLORS, hex_to_rgb

WARNINGS = [
    {
        "code": "drift",
        "level": "info",
        "message": "drift up to 1.3 px: frames aligned, 2 px cropped",
    },
    {
        "code": "ambiguous",
        "level": "warning",
        "message": "41 % of the particle is ambiguous at τ = 0.005 <img src=x onerror=alert(1)>",
    },
]


def make_result(ny=40, nx=60, names=("Na3", "Na2", "Na1")):
    yy, xx = np.mgrid[0:ny, 0:nx]
    r = np.hypot((yy - ny / 2) / (ny / 2.5), (xx - nx / 2) / (nx / 2.5))
    phase = np.where(r < 1, np.minimum((r * len(names)).astype(int), len(names) - 1), -1)
    phase = phase.astype(np.int16)
    ambiguous = ((np.abs(r * len(names) - np.round(r * len(names))) < 0.1) & (phase >= 0)).astype(
        np.uint8
    )
    inside = phase >= 0
    fractions = np.bincount(phase[inside], minlength=len(names)) / inside.sum()
    conf = np.where(inside, 0.75, np.nan).astype(np.float32)
    arrays = {
        "phase": phase,
        "initialPhase": phase,
        "ambiguous": ambiguous,
        "transition": np.zeros_like(ambiguous),
        "falseAssignment": np.zeros_like(ambiguous),
        "unassigned": np.zeros_like(ambiguous),
        "confidence": conf,
        "fractions": fractions,
    }
    json_ = {
        "path": "soc/<b>particle 1<b>.h5",
        "phaseNames": list(names),
        "threshold": 0.005,
        "pixelSize": {"x": 0.03, "y": 0.03},
        "counts": {"particle": int(inside.sum()), "ambiguous": int(ambiguous.sum())},
        "params": {"method": "pcc"},
        "warnings": WARNINGS,
    }
    return Result(json_, arrays)


def test_bundle_has_the_three_types():
    res = make_result()
    bundle = res._repr_mimebundle_()
    assert set(bundle) == {MIME_TYPE, "image/png", "text/plain"}
    json.dumps(bundle[MIME_TYPE])  # JSON, as a notebook stores it
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "Na2" in bundle["text/plain"] and "%" in bundle["text/plain"]


def test_payload_maps_decode_to_the_result():
    res = make_result()
    p = mime_payload(res)
    assert p["version"] == 1 and p["shape"] == [40, 60] and p["step"] == 1
    assert p["phaseNames"] == ["Na3", "Na2", "Na1"]
    assert sum(p["fractions"]) == pytest.approx(1.0)
    phase = unpack(p["maps"]["phase"], (40, 60))
    np.testing.assert_array_equal(phase, np.where(res.phase >= 0, res.phase + 1, 0))
    flags = unpack(p["maps"]["flags"], (40, 60))
    np.testing.assert_array_equal(flags & FLAG_AMBIGUOUS, res.ambiguous)
    conf = unpack(p["maps"]["confidence"], (40, 60))
    assert set(np.unique(conf)) == {0, 191}


def test_payload_of_a_large_map_is_downsampled_and_small():
    res = make_result(ny=1000, nx=700)
    p = mime_payload(res)
    assert p["step"] == 4 and p["shape"] == [250, 175] and p["fullShape"] == [1000, 700]
    assert len(json.dumps(p)) < 60_000  # the latent cube and the pcc maps stay out


def test_png_shows_the_maps_in_the_shared_palette():
    res = make_result()
    img = Image.open(io.BytesIO(png_bytes(res))).convert("RGB")
    px = np.asarray(img)
    colours = {tuple(c) for c in px.reshape(-1, 3)}
    for i in range(3):
        assert hex_to_rgb(PHASE_COLORS[i]) in colours
    assert hex_to_rgb(AMBIGUOUS_COLOR) in colours and hex_to_rgb(BACKGROUND_COLOR) in colours
    # Final map: top-left is background, the centre the first phase (scale 4, top 12 + 3 × 20).
    scale, top = 240 // 60, 12 + 60
    assert tuple(px[top, 12]) == hex_to_rgb(BACKGROUND_COLOR)
    assert tuple(px[top + 20 * scale + 1, 12 + 30 * scale + 1]) == hex_to_rgb(PHASE_COLORS[0])


def test_png_text_is_ascii_for_the_builtin_font():
    from stxm_phasemap._display import png_text

    assert png_text("Na₃V₂ 0.03 µm × τ") == "Na3V2 0.03 um x tau"


def test_text_summary_lists_fractions_in_order():
    text = repr(make_result())
    lines = text.splitlines()
    assert lines[0].startswith("PhaseMapResult 'soc/<b>particle 1<b>.h5': 40 × 60 px, 3 phases")
    assert [ln.split()[0] for ln in lines[1:4]] == ["Na3", "Na2", "Na1"]


def test_npz_export(tmp_path):
    res = make_result()
    res.to_npz(tmp_path / "r.npz")
    with np.load(tmp_path / "r.npz") as z:
        np.testing.assert_array_equal(z["phase"], res.phase)
        assert list(z["phase_names"]) == ["Na3", "Na2", "Na1"]


def test_the_typescript_fixture_is_what_python_makes():
    """src/mime/fixtures/payload-v1.json (read by the renderer's tests) matches mime_payload."""
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "src" / "mime" / "fixtures" / "payload-v1.json"
    stored = json.loads(fixture.read_text())
    made = mime_payload(make_result(ny=12, nx=16))
    for key in made:
        if key != "maps":
            assert stored[key] == made[key], key
    for name in made["maps"]:
        np.testing.assert_array_equal(
            unpack(stored["maps"][name], (12, 16)), unpack(made["maps"][name], (12, 16))
        )


RLO = "\u202e"  # right-to-left override


def test_bidi_controls_in_names_are_dropped_from_the_text_and_the_png():
    """A U+202E in a phase name would reverse the numbers after it ("11.8 %" as "% 8.11")."""
    from stxm_phasemap._display import png_text, text_summary

    res = make_result(names=(f"Na{RLO}3", "Na\u20662\u2069", "Na\u200f1"))
    text = text_summary(res)
    assert not any(c in text for c in (RLO, "\u2066", "\u2069", "\u200f"))
    assert text.splitlines()[1].split() == ["Na3", f"{100 * res.fractions[0]:.2f}", "%"]
    assert png_text(f"Na{RLO}3  11.8 %") == "Na3  11.8 %"
    assert "Na3" in res._repr_mimebundle_()["text/plain"]


def test_warnings_are_typed_and_shown_in_every_output():
    from stxm_phasemap import RunWarning

    res = make_result()
    assert res.warnings == [RunWarning(**WARNINGS[0]), RunWarning(**WARNINGS[1])]
    assert str(res.warnings[0]) == "note: drift up to 1.3 px: frames aligned, 2 px cropped"
    lines = repr(res).splitlines()
    assert lines[-2] == "note: drift up to 1.3 px: frames aligned, 2 px cropped"
    assert lines[-1].startswith("warning: 41 % of the particle is ambiguous")
    assert mime_payload(res)["warnings"] == WARNINGS
    # the PNG grows by the warnings' lines
    bare = Result({**res.json, "warnings": []}, {k: v for k, v in res.arrays.items()})
    tall = Image.open(io.BytesIO(png_bytes(res))).size[1]
    assert tall > Image.open(io.BytesIO(png_bytes(bare))).size[1] + 30


def test_warnings_that_are_not_well_formed_are_left_out():
    res = make_result()
    odd = Result(
        {**res.json, "warnings": [7, {"code": "x", "level": "fatal", "message": "m"}, *WARNINGS]},
        {k: v for k, v in res.arrays.items()},
    )
    assert [w.code for w in odd.warnings] == ["drift", "ambiguous"]
    assert Result({**res.json, "warnings": None}, res.arrays).warnings == []


def test_a_cropped_result_goes_back_on_the_stacks_grid():
    res = make_result(ny=4, nx=5)
    assert res.crop is None and res.on_stack_grid("phase") is res.phase
    json_ = {
        **res.json,
        "crop": {"y0": 1, "y1": 5, "x0": 2, "x1": 7},
        "provenance": [{"step": "input", "details": {"shape": [12, 6, 9]}}],
    }
    cropped = Result(json_, res.arrays)
    assert cropped.crop == (1, 5, 2, 7)
    phase = cropped.on_stack_grid("phase")
    assert phase.shape == (6, 9) and phase.dtype == np.int16
    np.testing.assert_array_equal(phase[1:5, 2:7], res.phase)
    assert (phase[0] == -1).all() and (phase[:, :2] == -1).all()
    assert np.isnan(cropped.on_stack_grid("confidence")[0, 0])
    assert cropped.on_stack_grid("ambiguous")[5, 8] == 0
    with pytest.raises(ValueError, match="not a \\(y, x\\) map"):
        cropped.on_stack_grid("fractions")
