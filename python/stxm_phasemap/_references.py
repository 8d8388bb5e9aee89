"""Reference spectra from the forms scientists keep them in (no pandas needed).

* a CSV path (DESIGN.md §3: header ``energy_eV,<phase>,…``) — sent as text and
  parsed by the extension's own reader, so Python and the workbench agree;
* ``{"Na3": values, …}`` with ``energies=`` (one grid for all);
* ``{"Na3": (energies, values), …}`` (a grid per phase);
* a 2-D array ``(N, M)`` (or ``(M, N)``) with ``names=`` and ``energies=``;
* a :class:`References` (from ``get_references()`` or ``simulate()``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class References:
    """Reference spectra: ``names`` and, per phase, ``energies`` (eV) and ``values``."""

    names: list[str]
    energies: list[np.ndarray]
    values: list[np.ndarray]
    source: str = "Python"

    def __getitem__(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        i = self.names.index(name)
        return self.energies[i], self.values[i]

    def as_dict(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {n: (e, v) for n, e, v in zip(self.names, self.energies, self.values, strict=True)}

    def __repr__(self) -> str:
        parts = [
            f"{n} ({len(e)} pts, {e.min():g}–{e.max():g} eV)" if len(e) else f"{n} (empty)"
            for n, e in zip(self.names, self.energies, strict=True)
        ]
        return f"<References from {self.source!r}: {', '.join(parts)}>"


def _vector(a: Any, what: str) -> np.ndarray:
    v = np.asarray(a, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got shape {v.shape}")
    return np.ascontiguousarray(v)


def references_request(
    refs: Any,
    energies: Any = None,
    names: Sequence[str] | None = None,
    source: str | None = None,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``(params, arrays)`` of a ``set_references`` request from any accepted form."""
    if isinstance(refs, (str, os.PathLike)):
        path = os.fspath(refs)
        try:
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: no such reference CSV file") from None
        return {"csv": text, "source": source or os.path.basename(path)}, {}

    if isinstance(refs, References):
        spectra = list(zip(refs.names, refs.energies, refs.values, strict=True))
        source = source or refs.source
    elif isinstance(refs, Mapping):
        spectra = []
        for name, value in refs.items():
            if isinstance(value, tuple) and len(value) == 2:
                e, v = _vector(value[0], f"energies of {name!r}"), _vector(value[1], repr(name))
            else:
                if energies is None:
                    raise ValueError(
                        f"reference {name!r} is given without energies: pass energies= "
                        "(one grid for all) or (energies, values) tuples"
                    )
                e, v = _vector(energies, "energies"), _vector(value, repr(name))
            spectra.append((str(name), e, v))
    else:
        table = np.asarray(refs, dtype=np.float64)
        if table.ndim != 2:
            raise TypeError(
                "references must be a CSV path, a dict name → values, a 2-D array with "
                f"names= and energies=, or References; got {type(refs).__name__}"
            )
        if names is None or energies is None:
            raise ValueError("a 2-D array of references needs names= and energies=")
        e = _vector(energies, "energies")
        names = [str(n) for n in names]
        if table.shape == (len(names), len(e)):
            rows = table
        elif table.shape == (len(e), len(names)):
            rows = table.T
        else:
            raise ValueError(
                f"reference table of shape {table.shape} fits neither "
                f"({len(names)} names, {len(e)} energies) nor its transpose"
            )
        spectra = [(n, e, np.ascontiguousarray(rows[i])) for i, n in enumerate(names)]

    arrays: dict[str, np.ndarray] = {}
    for i, (name, e, v) in enumerate(spectra):
        if len(e) != len(v):
            raise ValueError(f"reference {name!r}: {len(e)} energies but {len(v)} values")
        arrays[f"energies:{i}"] = e
        arrays[f"values:{i}"] = v
    params = {"names": [s[0] for s in spectra], "source": source or "Python"}
    return params, arrays


def references_from_reply(result: dict[str, Any], arrays: dict[str, np.ndarray]) -> References:
    names = [str(n) for n in result.get("names", [])]
    return References(
        names=names,
        energies=[arrays[f"energies:{i}"] for i in range(len(names))],
        values=[arrays[f"values:{i}"] for i in range(len(names))],
        source=str(result.get("source", "")),
    )
