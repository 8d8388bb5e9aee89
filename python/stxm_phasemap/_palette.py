"""The phase colours, mirrored from ``src/core/model/palette.ts`` (a test keeps them equal).

The Okabe–Ito palette, distinguishable with the common colour-vision
deficiencies, then Paul Tol's muted scheme for more phases. The workbench, the
notebook PNG and the interactive notebook view all use these.
"""

from __future__ import annotations

PHASE_COLORS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
    "#999933",
)

#: Ambiguous pixels (before resolution) and flags.
AMBIGUOUS_COLOR = "#808080"
#: Background (outside the particle).
BACKGROUND_COLOR = "#000000"


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.strip().lstrip("#")
    if len(c) != 6:
        raise ValueError(f"not a #rrggbb colour: {color[:20]}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def phase_color(i: int) -> str:
    """The colour of phase ``i`` (cycles beyond the palette)."""
    return PHASE_COLORS[i % len(PHASE_COLORS)]
