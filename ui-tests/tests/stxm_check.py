"""Helpers the comm UI test imports from its notebook (Galata types code key by key)."""

import json
import shutil

import h5py
import numpy as np


def describe(a):
    """Print shape, dtype and sum of an array as one JSON line."""
    a = np.asarray(a)
    print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "sum": float(a.sum())}))


def ref_sum(path):
    """Print the sum of the stack read with h5py, as recorded and normalised to its ring current.

    Normalised as a workbench reads it: counts × mean / current in float32, the mean over
    the valid (> 0, finite) currents; counts without a valid current stay as recorded.
    """
    with h5py.File(path, "r") as f:
        counts = f["entry1/counter0/data"][()].astype("float32")
        current = f["entry1/control/data"][()].astype("float32")
    valid = (current > 0) & np.isfinite(current)
    mean = float(current[valid].sum(dtype=np.float64) / valid.sum())
    safe = np.where(valid, current, np.float32(1))
    normalised = np.where(valid, counts * np.float32(mean) / safe, counts).astype("float32")
    print(
        json.dumps(
            {
                "ref_sum": float(counts.sum()),
                "ref_sum_ring": float(normalised.sum()),
                "mean_current": mean,
            }
        )
    )


def which_node():
    """Print where (if anywhere) this kernel's PATH finds Node.js, as one JSON line."""
    print(json.dumps({"node": shutil.which("node")}))
