"""Reference spectra from CSV paths, dicts, 2-D arrays and References."""

from __future__ import annotations

import numpy as np
import pytest
from stxm_phasemap._references import References, references_request


def test_csv_path_is_sent_as_text(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("energy_eV,Na3,Na1\n510,0.1,0.2\n520,0.5,0.4\n", encoding="utf-8")
    params, arrays = references_request(str(path))
    assert params == {"csv": path.read_text(), "source": "refs.csv"} and arrays == {}
    with pytest.raises(FileNotFoundError, match="no such reference CSV"):
        references_request(tmp_path / "missing.csv")


def test_dict_with_one_grid_and_with_tuples():
    e = np.array([510.0, 520.0, 530.0])
    params, arrays = references_request({"Na3": [1, 2, 3], "Na1": [3, 2, 1]}, energies=e)
    assert params == {"names": ["Na3", "Na1"], "source": "Python"}
    np.testing.assert_array_equal(arrays["values:1"], [3.0, 2.0, 1.0])
    assert arrays["energies:0"].dtype == np.float64
    params, arrays = references_request({"A": (e, [1, 2, 3]), "B": ([500.0, 540.0], [1, 1])})
    assert list(arrays["energies:1"]) == [500.0, 540.0]
    with pytest.raises(ValueError, match="without energies"):
        references_request({"A": [1, 2]})
    with pytest.raises(ValueError, match="3 energies but 2 values"):
        references_request({"A": (e, [1, 2])})


def test_two_d_table_either_orientation():
    e = np.linspace(500, 540, 5)
    table = np.arange(10.0).reshape(2, 5)
    _, a = references_request(table, e, names=["X", "Y"])
    _, b = references_request(table.T, e, names=["X", "Y"])
    np.testing.assert_array_equal(a["values:1"], table[1])
    np.testing.assert_array_equal(b["values:1"], table[1])
    with pytest.raises(ValueError, match="fits neither"):
        references_request(np.zeros((3, 4)), e, names=["X", "Y"])
    with pytest.raises(ValueError, match="names= and energies="):
        references_request(table)


def test_references_object_round_trips():
    refs = References(
        ["A", "B"], [np.arange(3.0), np.arange(3.0)], [np.ones(3), np.zeros(3)], "sim"
    )
    params, arrays = references_request(refs)
    assert params == {"names": ["A", "B"], "source": "sim"}
    assert refs["B"][1].sum() == 0 and "A (3 pts" in repr(refs)
