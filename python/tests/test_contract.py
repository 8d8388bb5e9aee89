"""The generated contract (_contract.py) against the shared vectors and the JSON Schema.

src/core/contract/vectors.json is judged here by the Python validators and in
src/core/contract/contract.spec.ts by the TypeScript ones: both must give the
verdict and the message written there. jsonschema (a JupyterLab dependency)
checks that the published JSON Schema says the same as the validators.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from stxm_phasemap import _contract as contract
from stxm_phasemap import _errors
from stxm_phasemap._display import mime_payload
from stxm_phasemap._params import FALLBACK_DEFAULTS
from stxm_phasemap._protocol import cancel_message, error_notice, make_request

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "src" / "core" / "contract"
VECTORS = json.loads((CONTRACT / "vectors.json").read_text(encoding="utf-8"))["vectors"]
SCHEMA = json.loads((CONTRACT / "contract.schema.json").read_text(encoding="utf-8"))
IDS = [f"{v['def']}-{json.dumps(v['value'])[:40]}" for v in VECTORS]


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def judge(vector) -> str | None:
    check = getattr(contract, f"check_{snake(vector['def'])}")
    try:
        check(vector["value"], vector.get("path", ""))
    except contract.ContractError as err:
        return str(err)
    return None


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_python_validators_judge_the_shared_vectors_as_written(vector):
    assert judge(vector) == vector["error"]


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_the_json_schema_agrees_with_the_validators(vector):
    jsonschema = pytest.importorskip("jsonschema")
    schema = {**SCHEMA, "$ref": f"#/$defs/{vector['def']}"}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(vector["value"]))
    assert (not errors) == (vector["error"] is None), [e.message for e in errors]


def test_what_python_sends_follows_the_contract():
    _, parts = make_request("open_arrays", {"path": "a.h5"}, {"data": np.zeros((2, 3, 4), "<f4")})
    for data, _buffers in parts:
        contract.check_request_part(data)
    contract.check_cancel(cancel_message("r1"))
    contract.check_error_notice(error_notice("r1", "x" * 5000))
    contract.check_error_notice(error_notice(None, "bad"))


def test_the_mime_payload_python_makes_follows_the_contract():
    from .test_display import make_result

    payload = mime_payload(make_result())
    assert contract.check_mime_payload(json.loads(json.dumps(payload))) == payload


def test_every_error_kind_has_its_exception():
    for kind, spec in contract.ERROR_KINDS.items():
        err = _errors.error_for(kind, "m")
        assert type(err).__name__ == spec["python"] and err.kind == kind
    assert isinstance(_errors.error_for("reloaded", "m"), _errors.WorkbenchReloadedError)
    assert type(_errors.error_for("some-new-kind", "m")) is _errors.StxmPhaseMapError


def test_the_defaults_and_parameters_are_the_published_contract():
    assert FALLBACK_DEFAULTS == contract.DEFAULT_PARAMS == SCHEMA["x-defaults"]
    assert contract.PARAMETERS == SCHEMA["x-parameters"]
    assert list(contract.METHODS) == list(SCHEMA["x-methods"])
    for name, value in SCHEMA["x-constants"].items():
        assert getattr(contract, name) == value, name


def test_workbench_does_not_import_api():
    """_api imports _workbench (Lab makes workbenches): the other way round would be a cycle."""
    tree = ast.parse((ROOT / "python" / "stxm_phasemap" / "_workbench.py").read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert "_api" not in imported and "stxm_phasemap._api" not in imported
