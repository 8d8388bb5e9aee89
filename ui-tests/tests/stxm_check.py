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
    """Print the reference sum of the stack read with h5py."""
    with h5py.File(path, "r") as f:
        total = f["entry1/counter0/data"][()].astype("float32").sum()
    print(json.dumps({"ref_sum": float(total)}))


def which_node():
    """Print where (if anywhere) this kernel's PATH finds Node.js, as one JSON line."""
    print(json.dumps({"node": shutil.which("node")}))
