"""Pipeline parameters: Python keyword arguments → the extension's ``PipelineParams``.

The extension sends its defaults in its hello, so every parameter it knows is
accepted by its snake_case name (``epochs`` → ``gmvae.epochs``,
``energy_shift`` → ``preprocess.energyShift``); an unknown name raises
``TypeError`` listing the known ones.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ._contract import DEFAULT_PARAMS, PARAMETERS

#: The engine's defaults (``DEFAULT_PARAMS`` of src/core/model/params.ts, generated into
#: ``_contract.py`` by ``npm run contract``), used when the extension's hello carried none
#: (an older extension).
FALLBACK_DEFAULTS: dict[str, Any] = copy.deepcopy(DEFAULT_PARAMS)

#: The parameter groups (``preprocess``, ``gmvae``), as the contract lists them.
GROUPS = tuple(dict.fromkeys(p["group"] for p in PARAMETERS if p["group"]))


def camel_to_snake(name: str) -> str:
    """``falseAssignment`` → ``false_assignment``, ``energyShiftEv`` → ``energy_shift_ev``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def parameter_names(defaults: dict[str, Any]) -> dict[str, tuple[str | None, str]]:
    """snake_case name → (group or None, camelCase key)."""
    names: dict[str, tuple[str | None, str]] = {}
    for key, value in defaults.items():
        if key in GROUPS and isinstance(value, dict):
            for sub in value:
                names[camel_to_snake(sub)] = (key, sub)
        else:
            names[camel_to_snake(key)] = (None, key)
    return names


def build_params(defaults: dict[str, Any] | None, **kwargs: Any) -> dict[str, Any]:
    """Nested parameters for the extension from keyword arguments.

    ``params=`` (a dict in the extension's own nested camelCase form) is merged
    first; the other keywords override it.
    """
    defaults = defaults or FALLBACK_DEFAULTS
    names = parameter_names(defaults)
    out: dict[str, Any] = {}
    raw = kwargs.pop("params", None)
    if raw is not None:
        if not isinstance(raw, dict):
            raise TypeError("params= must be a dict of the extension's parameters")
        for key, value in raw.items():
            if key in GROUPS and isinstance(value, dict):
                out.setdefault(key, {}).update(value)
            else:
                out[key] = value
    for name, value in kwargs.items():
        if value is None:
            continue
        if name not in names:
            known = ", ".join(sorted(names))
            raise TypeError(f"unknown pipeline parameter {name!r}; known: {known}")
        group, key = names[name]
        if isinstance(value, bool) or not hasattr(value, "item"):
            plain = value
        else:
            plain = value.item()  # numpy scalar → Python number
        if group is None:
            out[key] = plain
        else:
            out.setdefault(group, {})[key] = plain
    return out
