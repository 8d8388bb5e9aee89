"""Read the datasets `readStack` reads (the signal and the ring current) with h5py, best of 3.

    python bench/reference/read_h5py.py STACK.h5 SIGNAL_PATH [CONTROL_PATH]

Prints one JSON line: bytes read and MiB/s of the best run (after a warm-up read).
"""

import json
import sys
import time

import h5py
import numpy as np


def main() -> None:
    path, *datasets = sys.argv[1:]
    times = []
    nbytes = 0
    with h5py.File(path, "r") as f:
        for run in range(4):
            t = time.perf_counter()
            arrays = [np.asarray(f[d][...], dtype=np.float32) for d in datasets]
            elapsed = time.perf_counter() - t
            nbytes = sum(a.nbytes for a in arrays)
            if run > 0:  # the first read warms the page cache and h5py
                times.append(elapsed)
    best = min(times)
    print(json.dumps({"bytesRead": nbytes, "s": times, "mibPerS": nbytes / 2**20 / best}))


if __name__ == "__main__":
    main()
