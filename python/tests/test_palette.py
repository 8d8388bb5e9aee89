"""The Python palette mirrors src/core/model/palette.ts exactly."""

from __future__ import annotations

import re
from pathlib import Path

from stxm_phasemap import _palette

PALETTE_TS = Path(__file__).resolve().parents[2] / "src" / "core" / "model" / "palette.ts"


def test_palette_equals_the_typescript_one():
    ts = PALETTE_TS.read_text(encoding="utf-8")
    block = re.search(r"PHASE_COLORS[^=]*=\s*\[(.*?)\];", ts, re.S)
    assert block, "PHASE_COLORS not found in palette.ts"
    colours = re.findall(r"'(#[0-9A-Fa-f]{6})'", block.group(1))
    assert len(colours) >= 8
    assert [c.upper() for c in colours] == [c.upper() for c in _palette.PHASE_COLORS]
    for name in ("AMBIGUOUS_COLOR", "BACKGROUND_COLOR"):
        m = re.search(rf"{name}\s*=\s*'(#[0-9A-Fa-f]{{6}})'", ts)
        assert m, f"{name} not found in palette.ts"
        assert m.group(1).upper() == getattr(_palette, name).upper()


def test_phase_colour_cycles():
    n = len(_palette.PHASE_COLORS)
    assert _palette.phase_color(n + 1) == _palette.PHASE_COLORS[1]
    assert _palette.hex_to_rgb("#0072B2") == (0, 114, 178)
