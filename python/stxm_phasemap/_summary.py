"""The summary of a batch: its table (``summary.csv``) and its comparison figure.

The same columns, cells and figure as the command line's ``batch``
(src/cli/batch-table.ts), so each door keeps and reads the other's output.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ._palette import PHASE_COLORS

FRACTION_PREFIX = "fraction_"


def table_columns(rows: list[dict[str, Any]], manifest: list[str], tail: list[str]) -> list[str]:
    """src/cli/batch-table.ts ``tableColumns``: the same columns in the same order."""
    fractions: list[str] = []
    for r in rows:
        for k in r:
            if k.startswith(FRACTION_PREFIX) and k not in fractions:
                fractions.append(k)
    return ["file", "name", *manifest, "status", "error", *fractions, *tail]


def _csv_cell(v: Any) -> str:
    """As src/cli/batch-table.ts: numbers as JavaScript writes them, text quoted and
    neutralised against spreadsheet formula injection."""
    if v is None:
        return ""
    if isinstance(v, bool):
        v = str(v).lower()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        text = repr(v)
        return re.sub(r"e([+-])0*(\d)", lambda m: f"e{'' if m[1] == '+' else '-'}{m[2]}", text)
    t = str(v)
    if re.match(r"^[=+\-@\t\r]", t):
        t = "'" + t
    return '"' + t.replace('"', '""') + '"' if re.search(r'[",\n\r]', t) else t


def write_csv(path: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(_csv_cell(c) for c in columns) + "\n")
        for r in rows:
            f.write(",".join(_csv_cell(r.get(c)) for c in columns) + "\n")


def figure_axis(rows: list[dict[str, Any]], manifest: list[str], wanted: str | None) -> str | None:
    def numeric(c: str) -> bool:
        vals = [r.get(c) for r in rows]
        nums = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals]
        return any(nums) and all(n or v is None for n, v in zip(nums, vals, strict=True))

    if wanted is not None:
        return wanted if numeric(wanted) else None
    return next((c for c in manifest if numeric(c)), None)


def write_figure(
    rows: list[dict[str, Any]], columns: list[str], x: str | None, title: str, paths: list[str]
) -> None:
    """The comparison figure (paper Fig. 5): fractions per phase against ``x``, or stacked bars."""
    from matplotlib.figure import Figure

    phases = [c for c in columns if c.startswith(FRACTION_PREFIX)]
    fig = Figure(figsize=(7.6, 4.2), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ok = [r for r in rows if r.get("status") != "failed"]
    failed = [r for r in rows if r.get("status") == "failed"]
    if x is not None:
        for i, p in enumerate(phases):
            pts = sorted(
                (r[x], r[p])
                for r in ok
                if isinstance(r.get(x), (int, float)) and r.get(p) is not None
            )
            if pts:
                xs, ys = zip(*pts, strict=True)
                colour = PHASE_COLORS[i % len(PHASE_COLORS)]
                ax.plot(xs, ys, "o-", color=colour, lw=2, label=p[len(FRACTION_PREFIX) :])
        for r in failed:
            if isinstance(r.get(x), (int, float)):
                ax.plot([r[x]], [0], "x", color="#b00", ms=9)
                ax.annotate(
                    f"{r['name']}: failed",
                    (r[x], 0.02),
                    color="#b00",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
        ax.set_xlabel(x)
    else:
        names = [str(r.get("name")) for r in rows]
        bottom = [0.0] * len(rows)
        for i, p in enumerate(phases):
            vals = [float(r.get(p) or 0) if r.get("status") != "failed" else 0.0 for r in rows]
            ax.bar(
                names,
                vals,
                bottom=bottom,
                color=PHASE_COLORS[i % len(PHASE_COLORS)],
                label=p[len(FRACTION_PREFIX) :],
                width=0.7,
            )
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        for k, r in enumerate(rows):
            if r.get("status") == "failed":
                ax.text(k, 0.5, "failed", color="#b00", rotation=90, ha="center", va="center")
        ax.tick_params(axis="x", labelrotation=40)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f} %")
    ax.set_ylabel("phase fraction of the particle")
    ax.set_title(title, loc="left")
    ax.grid(axis="y", color="#ddd")
    if phases:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    for p in paths:
        fig.savefig(p)
