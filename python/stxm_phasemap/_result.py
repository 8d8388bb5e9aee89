"""What comes back from the extension, as numpy: stacks, results, simulations."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._display import mimebundle, png_bytes, text_summary
from ._params import camel_to_snake
from ._references import References, references_from_reply


def _median_step(v: np.ndarray) -> float:
    return float(np.median(np.abs(np.diff(v)))) if len(v) > 1 else math.nan


@dataclass
class Stack:
    """An STXM image stack as the workbench holds it.

    ``data`` is ``I(E, y, x)`` (float32, C order); ``energies`` in eV; ``x`` and
    ``y`` sample positions in µm; ``info`` the extension's description (the same
    object ``stxm-phasemap info --json`` prints). A workbench reads an HDF5
    stack with its ring current applied (counts × mean / current, as
    pre-processing would), unless ring-current normalisation is off:
    ``info["ringCurrentApplied"]`` is then the mean current, else None (the
    counts as recorded).
    """

    path: str
    data: np.ndarray
    energies: np.ndarray
    x: np.ndarray
    y: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(int(s) for s in self.data.shape)  # type: ignore[return-value]

    @property
    def pixel_size(self) -> tuple[float, float]:
        """(x, y) in µm: the median step of the positions (NaN with one position)."""
        return _median_step(self.x), _median_step(self.y)

    def __repr__(self) -> str:
        ne, ny, nx = self.data.shape
        lo, hi = (float(self.energies.min()), float(self.energies.max())) if ne else (0.0, 0.0)
        return (
            f"<Stack {self.path!r}: {ne} energies ({lo:g}–{hi:g} eV) × {ny} × {nx} px, "
            f"{self.data.dtype}>"
        )


@dataclass
class Simulation(Stack):
    """A simulated NVPF particle (the extension's simulator) with its ground truth.

    ``control`` is the ring current (same shape as ``data``); ``references`` the
    model spectra of the phases; ``truth_phase`` the phase per pixel (−1 outside
    the particle); ``truth_mix`` the oxidised fraction per pixel; ``soc`` the
    requested charged (Na1) share.
    """

    control: np.ndarray | None = None
    references: References | None = None
    truth_phase: np.ndarray | None = None
    truth_mix: np.ndarray | None = None
    phase_names: list[str] = field(default_factory=list)
    soc: float = math.nan
    seed: int = 0

    @property
    def truth_fractions(self) -> np.ndarray:
        """Fraction of the particle's pixels per phase in the ground truth."""
        assert self.truth_phase is not None
        inside = self.truth_phase >= 0
        counts = np.bincount(self.truth_phase[inside], minlength=len(self.phase_names))
        return counts / max(1, int(inside.sum()))

    def __repr__(self) -> str:
        return f"<Simulation soc={self.soc:g} seed={self.seed}: {Stack.__repr__(self)[1:-1]}>"


#: Result arrays with their meaning, for documentation and dir().
RESULT_FIELDS = {
    "phase": "final phase map (y, x), int16 index into phase_names, -1 = background",
    "initial_phase": "argmax of the Pearson maps (y, x), int16",
    "pcc": "Pearson correlation per phase (N, y, x), float32, NaN outside the particle",
    "margin": "best minus second-best correlation (y, x), float32",
    "ambiguous": "margin <= threshold (y, x), uint8",
    "mask": "particle pixels (y, x), uint8",
    "latent": "GMVAE latent means (y, x, L), float32 (empty without GMVAE)",
    "confidence": "confidence of the final assignment in 0..1 (y, x), float32",
    "transition": "latent position between two phases (y, x), uint8",
    "false_assignment": "unambiguous pixels the latent space puts elsewhere (y, x), uint8",
    "unassigned": "far from every phase distribution (y, x), uint8",
    "fractions": "fraction of the particle per phase (N), float64, sums to 1",
    "energies": "energies used (E), float64",
    "training_loss": "training loss per epoch, float64",
    "validation_loss": "validation loss per epoch, float64",
    "phase_means": "latent mean per phase (N, L), float64",
    "phase_covariances": "latent covariance per phase (N, L, L), float64",
}


@dataclass(frozen=True)
class RunWarning:
    """How far a result can be trusted, in one sentence with the numbers.

    ``level`` is ``"info"`` for a decision the pipeline took for you (frames
    aligned, an energy shift applied) and ``"warning"`` where the map may be
    wrong or doubtful; ``code`` names the kind (``"drift"``,
    ``"energy-shift-applied"``, ``"ambiguous"``, ``"low-correlation"`` …).
    """

    code: str
    level: str
    message: str

    def __str__(self) -> str:
        return f"{'warning' if self.level == 'warning' else 'note'}: {self.message}"


def warnings_from_json(value: Any) -> list[RunWarning]:
    """The result's warnings from its JSON (entries that are not well formed are left out)."""
    out: list[RunWarning] = []
    for w in value if isinstance(value, list) else []:
        if (
            isinstance(w, dict)
            and isinstance(w.get("code"), str)
            and w.get("level") in ("info", "warning")
            and isinstance(w.get("message"), str)
        ):
            out.append(RunWarning(w["code"], w["level"], w["message"]))
    return out


class Result:
    """A phase-map result: every array of the engine's ``PhaseMapResult`` as numpy.

    Arrays are attributes in snake_case (``phase``, ``initial_phase``, ``pcc``,
    ``ambiguous``, ``latent``, ``confidence``, ``transition``,
    ``false_assignment``, ``fractions`` …; see ``RESULT_FIELDS``); arrays the
    engine adds later appear the same way (``result.arrays`` lists them all).
    ``warnings`` says how far the map can be trusted (``RunWarning`` objects:
    what the automatic pre-processing decided, and doubts about the fit).
    In a notebook it shows itself as the interactive map (with the extension)
    or a PNG (anywhere else), with the warnings.
    """

    def __init__(self, json: dict[str, Any], arrays: dict[str, np.ndarray]):
        self.json = json
        self.arrays: dict[str, np.ndarray] = {camel_to_snake(k): v for k, v in arrays.items()}
        self.path: str = str(json.get("path", ""))
        self.phase_names: list[str] = [str(n) for n in json.get("phaseNames", [])]
        self.threshold: float = float(json.get("threshold") or 0.0)
        self.latent_dim: int = int(json.get("latentDim") or 0)
        px = json.get("pixelSize") or {}
        self.pixel_size: dict[str, float] = {
            k: (math.nan if px.get(k) is None else float(px[k])) for k in ("x", "y")
        }
        self.counts: dict[str, int] = dict(json.get("counts") or {})
        self.timings: dict[str, float] = dict(json.get("timings") or {})
        self.params: dict[str, Any] = dict(json.get("params") or {})
        self.provenance: list[dict[str, Any]] = list(json.get("provenance") or [])
        self.versions: dict[str, str] = dict(json.get("versions") or {})
        self.phase_counts: list[int] = list(json.get("phaseCounts") or [])
        self.warnings: list[RunWarning] = warnings_from_json(json.get("warnings"))
        #: The result file this was read from (``from_file``, ``map_file(out=…)``), else None.
        self.result_file: str | None = None

    @classmethod
    def from_file(cls, path: Any, source: str | None = None) -> Result:
        """A result file (NeXus/HDF5, DESIGN.md §3) as the ``Result`` the workbench gives for it.

        ``source``: the stack's path (``path`` of the result; default the file's own).
        """
        from ._resultfile import read_result_file

        json, arrays = read_result_file(path, source)
        result = cls(json, arrays)
        result.result_file = str(path)
        return result

    def __getattr__(self, name: str) -> np.ndarray:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.arrays))

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(int(s) for s in self.json.get("shape", self.phase.shape))  # type: ignore[return-value]

    @property
    def method(self) -> str:
        return str(self.params.get("method", ""))

    @property
    def crop(self) -> tuple[int, int, int, int] | None:
        """``(y0, y1, x0, x1)``: where the maps sit on the stack's pixel grid.

        Alignment keeps the area every frame covers, so an aligned result is a
        window of the stack: rows ``y0 ≤ y < y1``, columns ``x0 ≤ x < x1``.
        None: the maps cover the whole image.
        """
        c = self.json.get("crop")
        if not isinstance(c, dict):
            return None
        return tuple(int(c[k]) for k in ("y0", "y1", "x0", "x1"))  # type: ignore[return-value]

    def on_stack_grid(self, name: str = "phase") -> np.ndarray:
        """The (y, x) map ``name`` placed on the stack's pixel grid, to compare pixel by
        pixel with the stack (or a simulation's ground truth): outside the maps' crop,
        −1 for phase maps, 0 for flags and the mask, NaN for the others.
        """
        m = getattr(self, name)
        if m.ndim != 2:
            raise ValueError(f"{name} is not a (y, x) map: shape {m.shape}")
        if int(self.json.get("binning") or 1) > 1:
            raise ValueError("the result is binned: its pixels are not the stack's")
        crop = self.crop
        if crop is None:
            return m
        source = next((s for s in self.provenance if s.get("step") == "input"), {})
        shape = (source.get("details") or {}).get("shape")
        if not (isinstance(shape, list) and len(shape) == 3):
            raise ValueError("the result does not record the stack's shape")
        y0, y1, x0, x1 = crop
        if np.issubdtype(m.dtype, np.floating):
            fill: float = math.nan
        elif np.issubdtype(m.dtype, np.signedinteger):
            fill = -1
        else:
            fill = 0
        out = np.full((int(shape[1]), int(shape[2])), fill, dtype=m.dtype)
        out[y0:y1, x0:x1] = m
        return out

    def fraction(self, name: str) -> float:
        """The fraction of the particle in phase ``name``."""
        try:
            return float(self.fractions[self.phase_names.index(name)])
        except ValueError:
            raise KeyError(f"no phase {name!r}; phases: {', '.join(self.phase_names)}") from None

    @property
    def fractions_by_phase(self) -> dict[str, float]:
        return {n: float(f) for n, f in zip(self.phase_names, self.fractions, strict=False)}

    def phase_mask(self, name: str) -> np.ndarray:
        """Boolean (y, x) map of the pixels assigned to phase ``name``."""
        if name not in self.phase_names:
            raise KeyError(f"no phase {name!r}; phases: {', '.join(self.phase_names)}")
        return self.phase == self.phase_names.index(name)

    def to_npz(self, path: str) -> None:
        """Save every array (and the phase names) to a compressed ``.npz`` file."""
        np.savez_compressed(path, phase_names=np.array(self.phase_names), **self.arrays)

    def png(self) -> bytes:
        """The PNG a notebook shows without the extension."""
        return png_bytes(self)

    def __repr__(self) -> str:
        return text_summary(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self)


def stack_from_reply(result: dict[str, Any], arrays: dict[str, np.ndarray]) -> Stack:
    from ._errors import ExtensionUnavailableError

    missing = {"data", "energies", "x", "y"} - set(arrays)
    if missing:
        raise ExtensionUnavailableError(
            "protocol", f"the stack reply lacks {', '.join(sorted(missing))}"
        )
    return Stack(
        path=str(result.get("path", "")),
        data=arrays["data"],
        energies=arrays["energies"],
        x=arrays["x"],
        y=arrays["y"],
        info=dict(result.get("info") or {}),
    )


def simulation_from_reply(result: dict[str, Any], arrays: dict[str, np.ndarray]) -> Simulation:
    names = [str(n) for n in result.get("phaseNames", [])]
    refs = references_from_reply({"names": names, "source": "simulator"}, arrays)
    info = dict(result.get("info") or {})
    return Simulation(
        path="",
        data=arrays["data"],
        energies=arrays["energies"],
        x=arrays["x"],
        y=arrays["y"],
        info=info,
        control=arrays.get("control"),
        references=refs,
        truth_phase=arrays.get("truth_phase"),
        truth_mix=arrays.get("truth_mix"),
        phase_names=names,
        soc=float(result.get("soc", math.nan)),
        seed=int(result.get("seed", 0)),
    )
