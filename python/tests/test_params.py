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


def test_the_defaults_are_the_engines_and_flat():
    # _defaults.json is written from src/core/model/params.ts (npm run build:defaults);
    # src/lab/settings.spec.ts checks that it is current
    pre = FALLBACK_DEFAULTS["preprocess"]
    assert pre["align"] == "auto" and pre["energyShift"] == "auto"
    assert FALLBACK_DEFAULTS["gmvae"]["epochs"] == 60
    assert "energyShiftEv" not in pre and "autoEnergyShift" not in pre


def test_automatic_and_fixed_values_pass_as_the_cli_spells_them():
    p = build_params(FALLBACK_DEFAULTS, align="auto", energy_shift="off", align_min_drift_px=0.5)
    assert p == {
        "preprocess": {
            "align": "auto",
            "energyShift": "off",
            "alignMinDriftPx": 0.5,
        }
    }
    assert build_params(FALLBACK_DEFAULTS, align=False, energy_shift=0.3) == {
        "preprocess": {"align": False, "energyShift": 0.3}
    }
    with pytest.raises(TypeError, match="unknown pipeline parameter 'energy_shift_ev'"):
        build_params(FALLBACK_DEFAULTS, energy_shift_ev=0.3)
