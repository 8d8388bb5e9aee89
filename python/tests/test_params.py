"""Keyword arguments → the extension's nested pipeline parameters."""

from __future__ import annotations

import numpy as np
import pytest
from stxm_phasemap._params import FALLBACK_DEFAULTS, build_params, camel_to_snake


def test_snake_case_names_reach_their_group():
    p = build_params(
        FALLBACK_DEFAULTS,
        threshold=0.01,
        seed=np.int64(3),
        method="pcc",
        epochs=20,
        latent_dim=3,
        learning_rate=1e-3,
        energy_shift=-0.3,
        ring_current=False,
        mask={"mode": "threshold", "od": 0.2},
        backend=None,
    )
    assert p == {
        "threshold": 0.01,
        "seed": 3,
        "method": "pcc",
        "gmvae": {"epochs": 20, "latentDim": 3, "learningRate": 1e-3},
        "preprocess": {
            "energyShift": -0.3,
            "ringCurrent": False,
            "mask": {"mode": "threshold", "od": 0.2},
        },
    }
    assert type(p["seed"]) is int


def test_params_dict_is_merged_under_keywords():
    p = build_params(FALLBACK_DEFAULTS, params={"gmvae": {"epochs": 5, "hidden": 32}}, epochs=7)
    assert p == {"gmvae": {"epochs": 7, "hidden": 32}}


def test_parameters_the_extension_adds_are_accepted():
    defaults = {
        **FALLBACK_DEFAULTS,
        "gmvae": {**FALLBACK_DEFAULTS["gmvae"], "gumbelTemperature": 1.0},
    }
    assert build_params(defaults, gumbel_temperature=0.5) == {"gmvae": {"gumbelTemperature": 0.5}}
    with pytest.raises(TypeError, match="unknown pipeline parameter 'gumbel_temperature'"):
        build_params(FALLBACK_DEFAULTS, gumbel_temperature=0.5)


def test_camel_to_snake():
    assert camel_to_snake("falseAssignment") == "false_assignment"
    assert camel_to_snake("energyShiftEv") == "energy_shift_ev"
    assert camel_to_snake("alignMinDriftPx") == "align_min_drift_px"
    assert camel_to_snake("phase") == "phase"


def test_optional_parameters_without_default_are_known():
    defaults = {
        **FALLBACK_DEFAULTS,
        "gmvae": {**FALLBACK_DEFAULTS["gmvae"], "neighbourWeight": None},
    }
    assert build_params(defaults, neighbour_weight=0.5) == {"gmvae": {"neighbourWeight": 0.5}}
