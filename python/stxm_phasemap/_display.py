"""How a result shows itself in a notebook: a MIME bundle.

* ``application/vnd.stxm-phasemap.v1+json`` — a small payload (maps as
  zlib-compressed uint8 in base64, at most 256 px a side) that the extension's
  mime renderer draws interactively;
* ``image/png`` — the final and the initial map with a legend, made here with
  Pillow from the numpy arrays, so GitHub, nbviewer and exported HTML show the
  map without the extension;
* ``text/plain`` — phase fractions and counts.

All three carry the result's warnings (how far the map can be trusted).
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
import zlib
from typing import Any

import numpy as np

from ._contract import (
    FLAG_AMBIGUOUS,
    FLAG_FALSE_ASSIGNMENT,
    FLAG_TRANSITION,
    FLAG_UNASSIGNED,
    MAX_PHASES,
    MIME_TYPE,
    PAYLOAD_ENCODING,
    PAYLOAD_MAX_SIDE,
    PAYLOAD_MAX_WARNING_CHARS,
    PAYLOAD_MAX_WARNINGS,
    PAYLOAD_VERSION,
    MimePayload,
)
from ._palette import AMBIGUOUS_COLOR, BACKGROUND_COLOR, hex_to_rgb, phase_color

__all__ = [
    "FLAG_AMBIGUOUS",
    "FLAG_FALSE_ASSIGNMENT",
    "FLAG_TRANSITION",
    "FLAG_UNASSIGNED",
    "MAX_PHASES",
    "MIME_TYPE",
    "PAYLOAD_MAX_SIDE",
    "mimebundle",
]

#: At most this many warnings, of at most this many characters, go into the payload
#: (fewer than the contract allows: PAYLOAD_MAX_WARNINGS, PAYLOAD_MAX_WARNING_CHARS).
MAX_WARNINGS = min(20, PAYLOAD_MAX_WARNINGS)
MAX_WARNING_CHARS = min(500, PAYLOAD_MAX_WARNING_CHARS)


def stride_for(shape: tuple[int, int], max_side: int) -> int:
    return max(1, math.ceil(max(shape) / max_side))


def phase_codes(phase: np.ndarray) -> np.ndarray:
    """Phase indices (−1 = background) as uint8 codes: 0 background, i + 1 for phase i."""
    p = np.asarray(phase)
    return np.where((p >= 0) & (p < MAX_PHASES), p + 1, 0).astype(np.uint8)


def flag_codes(
    ambiguous: np.ndarray | None,
    transition: np.ndarray | None = None,
    false_assignment: np.ndarray | None = None,
    unassigned: np.ndarray | None = None,
    shape: tuple[int, int] | None = None,
) -> np.ndarray:
    flags = np.zeros(shape if shape is not None else np.shape(ambiguous), dtype=np.uint8)
    for arr, bit in (
        (ambiguous, FLAG_AMBIGUOUS),
        (transition, FLAG_TRANSITION),
        (false_assignment, FLAG_FALSE_ASSIGNMENT),
        (unassigned, FLAG_UNASSIGNED),
    ):
        if arr is not None and np.shape(arr) == flags.shape:
            flags |= (np.asarray(arr) != 0).astype(np.uint8) * bit
    return flags


def pack(codes: np.ndarray) -> str:
    """uint8 map → zlib → base64 text."""
    return base64.b64encode(
        zlib.compress(np.ascontiguousarray(codes, np.uint8).tobytes(), 9)
    ).decode("ascii")


def unpack(text: str, shape: tuple[int, int]) -> np.ndarray:
    raw = zlib.decompress(base64.b64decode(text))
    return np.frombuffer(raw, np.uint8).reshape(shape)


def _finite_or_none(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _warnings(r: Any) -> list[Any]:
    return list(getattr(r, "warnings", None) or [])[:MAX_WARNINGS]


def warning_line(w: Any) -> str:
    """``warning: …`` or ``note: …`` (a decision taken for the user), as the CLI prints them."""
    return f"{'warning' if w.level == 'warning' else 'note'}: {plain_text(w.message)}"


def mime_payload(r: Any) -> MimePayload:
    """The extension's MIME payload for a result (see docs/python.md, "Display")."""
    ny, nx = (int(s) for s in r.phase.shape)
    step = stride_for((ny, nx), PAYLOAD_MAX_SIDE)
    sub = (slice(None, None, step), slice(None, None, step))
    phase = phase_codes(r.phase)[sub]
    initial = phase_codes(r.initial_phase)[sub]
    flags = flag_codes(r.ambiguous, r.transition, r.false_assignment, r.unassigned, shape=(ny, nx))[
        sub
    ]
    conf = np.asarray(r.confidence, dtype=np.float64)
    conf_codes = np.where(np.isfinite(conf), np.clip(np.round(conf * 255), 0, 255), 0)
    conf_codes = conf_codes.astype(np.uint8)[sub]
    return {
        "version": PAYLOAD_VERSION,
        "title": str(r.path).rsplit("/", 1)[-1] or str(r.path),
        "path": str(r.path),
        "shape": [int(s) for s in phase.shape],
        "fullShape": [ny, nx],
        "step": step,
        "phaseNames": [str(n) for n in r.phase_names],
        "fractions": [float(f) for f in np.asarray(r.fractions, dtype=np.float64)],
        "threshold": _finite_or_none(r.threshold),
        "method": str((r.params or {}).get("method", "")),
        "counts": {
            str(k): int(v) for k, v in (r.counts or {}).items() if isinstance(v, (int, float))
        },
        "pixelSize": {
            "x": _finite_or_none(r.pixel_size.get("x")),
            "y": _finite_or_none(r.pixel_size.get("y")),
        },
        "warnings": [
            {
                "code": str(w.code)[:64],
                "level": "warning" if w.level == "warning" else "info",
                "message": plain_text(w.message)[:MAX_WARNING_CHARS],
            }
            for w in _warnings(r)
        ],
        "encoding": PAYLOAD_ENCODING,
        "maps": {
            "phase": pack(phase),
            "initial": pack(initial),
            "flags": pack(flags),
            "confidence": pack(conf_codes),
        },
    }


def _lut(n_phases: int) -> np.ndarray:
    lut = np.zeros((256, 3), dtype=np.uint8)
    lut[0] = hex_to_rgb(BACKGROUND_COLOR)
    for i in range(min(n_phases, MAX_PHASES)):
        lut[i + 1] = hex_to_rgb(phase_color(i))
    return lut


def map_rgb(phase: np.ndarray, n_phases: int, grey: np.ndarray | None = None) -> np.ndarray:
    """An RGB image (y, x, 3) of a phase map in the shared palette; ``grey`` pixels in grey."""
    rgb = _lut(n_phases)[phase_codes(phase)]
    if grey is not None:
        rgb[(np.asarray(grey) != 0) & (np.asarray(phase) >= 0)] = hex_to_rgb(AMBIGUOUS_COLOR)
    return rgb


#: Unicode's bidirectional controls (embeddings, overrides, isolates, marks): a U+202E in a
#: phase name would reverse what is shown after it ("11.8 %" as "% 8.11").
_BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C], None
)


def plain_text(text: Any) -> str:
    """Text from data, for display: ``str(text)`` without bidirectional controls."""
    return str(text).translate(_BIDI_CONTROLS)


_PNG_TEXT = str.maketrans(
    {
        **{chr(0x2080 + i): str(i) for i in range(10)},  # subscript digits
        **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
        "µ": "u",
        "μ": "u",
        "×": "x",
        "τ": "tau",
        "–": "-",
        "—": "-",
        "−": "-",
    }
)


def png_text(text: str) -> str:
    """Text for the PNG: Pillow's built-in font covers ASCII only (Na₃ → Na3, µm → um)."""
    return plain_text(text).translate(_PNG_TEXT)


def png_bytes(r: Any, max_side: int = 512) -> bytes:
    """The final and initial phase maps side by side, with a title and a legend."""
    from PIL import Image, ImageDraw, ImageFont

    ny, nx = r.phase.shape
    step = stride_for((ny, nx), max_side)
    sub = (slice(None, None, step), slice(None, None, step))
    n = len(r.phase_names)
    final = map_rgb(r.phase, n)[sub]
    initial = map_rgb(r.initial_phase, n, grey=r.ambiguous)[sub]
    h, w = final.shape[:2]
    scale = max(1, min(8, 240 // max(h, w)))
    size = (w * scale, h * scale)
    panels = [
        Image.fromarray(a, "RGB").resize(size, Image.Resampling.NEAREST) for a in (final, initial)
    ]
    font = ImageFont.load_default(size=13)
    pad, line_h, row_h = 12, 20, 20
    name = str(r.path).rsplit("/", 1)[-1] or "phase map"
    px = r.pixel_size.get("x")
    title = f"{name}: {ny} x {nx} px" + (f", pixel {px:g} um" if _finite_or_none(px) else "")
    method = (r.params or {}).get("method", "")
    subtitle = (f"method {method}, " if method else "") + f"threshold {r.threshold:g}"
    panel_titles = ("final phase map", "initial (argmax)")
    fractions = np.asarray(r.fractions, dtype=np.float64)
    legend = [
        (phase_color(i), f"{name_}  {100 * fractions[i]:.1f} %" if i < len(fractions) else name_)
        for i, name_ in enumerate(r.phase_names)
    ] + [(AMBIGUOUS_COLOR, "ambiguous (initial map)")]
    texts = [png_text(t) for t in (title, subtitle, *(label for _, label in legend))]
    text_w = max(int(font.getlength(t)) for t in texts) + 22
    width = max(2 * size[0] + 3 * pad, text_w + 2 * pad)
    # the warnings, wrapped to the image's width (Pillow's font: about 7 px a character)
    chars = max(40, (width - 2 * pad) // 7)
    notes = [
        (("#B35900" if w.level == "warning" else "#444444"), line)
        for w in _warnings(r)
        for line in textwrap.wrap(png_text(warning_line(w)), chars, subsequent_indent="  ")
    ]
    height = (
        pad + 2 * line_h + line_h + size[1] + pad + len(legend) * row_h + len(notes) * line_h + pad
    )
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((pad, pad), png_text(title), fill="black", font=font)
    draw.text((pad, pad + line_h), png_text(subtitle), fill="#444444", font=font)
    top = pad + 3 * line_h
    for i, (panel, label) in enumerate(zip(panels, panel_titles, strict=True)):
        x0 = pad + i * (size[0] + pad)
        draw.text((x0, top - line_h + 2), label, fill="black", font=font)
        img.paste(panel, (x0, top))
    y = top + size[1] + pad
    for color, label in legend:
        draw.rectangle((pad, y + 3, pad + 14, y + 17), fill=color, outline="black")
        draw.text((pad + 22, y + 2), png_text(label), fill="black", font=font)
        y += row_h
    for color, line in notes:
        draw.text((pad, y + 2), line, fill=color, font=font)
        y += line_h
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def text_summary(r: Any) -> str:
    ny, nx = r.phase.shape
    method = (r.params or {}).get("method", "?")
    lines = [
        f"PhaseMapResult {plain_text(r.path)!r}: {ny} × {nx} px, {len(r.phase_names)} phases "
        f"(method {plain_text(method)}, threshold {r.threshold:g})"
    ]
    names = [plain_text(n) for n in r.phase_names]
    width = max((len(n) for n in names), default=0)
    for name, frac in zip(names, np.asarray(r.fractions, dtype=np.float64), strict=False):
        lines.append(f"  {name:<{width}}  {100 * frac:6.2f} %")
    counts = r.counts or {}
    if counts:
        lines.append("  " + ", ".join(f"{plain_text(k)} {v}" for k, v in counts.items()))
    lines.extend(warning_line(w) for w in getattr(r, "warnings", None) or [])
    return "\n".join(lines)


def mimebundle(r: Any) -> dict[str, Any]:
    return {
        MIME_TYPE: mime_payload(r),
        "image/png": base64.b64encode(png_bytes(r)).decode("ascii"),
        "text/plain": text_summary(r),
    }
