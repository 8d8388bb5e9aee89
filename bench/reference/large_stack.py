"""The large stack files of `make bench-large` (issue 16 §4), made from a simulated stack.

    python bench/reference/large_stack.py SRC.h5 DST.h5 [TY TX] [--truth SRC_TRUTH.h5 DST_TRUTH.h5]

Copies SRC (an NXstxm stack the engine's simulator wrote) to DST with its full-size ring
current replaced by one value per frame (the frame's mean, as most beamlines record it: the
file is then the signal's size), and the image tiled TY × TX times in y and x (a 2.5 GB
stack from a 0.6 GB simulation). With --truth, the simulator's truth is tiled the same way.
Written frame by frame: never more than one frame of the source in memory.
"""

import sys

import h5py
import numpy as np


def tile_stack(src: str, dst: str, ty: int, tx: int) -> None:
    with h5py.File(src, "r") as f, h5py.File(dst, "w") as g:
        for k, v in f.attrs.items():
            g.attrs[k] = v

        def copy(name: str, obj: h5py.HLObject) -> None:
            if isinstance(obj, h5py.Group):
                grp = g.require_group(name)
                for k, v in obj.attrs.items():
                    grp.attrs[k] = v
                return
            parent, leaf = name.rsplit("/", 1)
            if name.endswith("control/data"):
                means = [obj[e].mean(dtype=np.float64) for e in range(obj.shape[0])]
                g[parent].create_dataset(leaf, data=np.array(means, "f4"))
            elif name.endswith("counter0/data"):
                ne, ny, nx = obj.shape
                ds = g[parent].create_dataset(leaf, shape=(ne, ny * ty, nx * tx), dtype=obj.dtype)
                for e in range(ne):
                    ds[e] = np.tile(obj[e], (ty, tx))
            elif leaf in ("sample_x", "sample_y") and (tx > 1 or ty > 1):
                t = tx if leaf == "sample_x" else ty
                g[parent].create_dataset(leaf, data=extend(obj[()], t))
            else:
                g[parent].create_dataset(leaf, data=obj[()])
            for k, v in obj.attrs.items():
                g[name].attrs[k] = v

        f.visititems(copy)


def extend(v: np.ndarray, t: int) -> np.ndarray:
    step = v[1] - v[0] if len(v) > 1 else 1.0
    return v[0] + step * np.arange(len(v) * t)


def tile_truth(src: str, dst: str, ty: int, tx: int) -> None:
    with h5py.File(src, "r") as f, h5py.File(dst, "w") as g:

        def copy(name: str, obj: h5py.HLObject) -> None:
            if isinstance(obj, h5py.Group):
                g.require_group(name)
                return
            parent, leaf = name.rsplit("/", 1)
            v = obj[()]
            if leaf in ("phase", "thickness"):
                v = np.tile(v, (ty, tx))
            elif leaf == "fractions":
                v = np.tile(v, (1, ty, tx))
            elif leaf in ("x", "y"):
                v = extend(v, tx if leaf == "x" else ty)
            g[parent].create_dataset(leaf, data=v)

        f.visititems(copy)


def main() -> None:
    args = sys.argv[1:]
    truth = None
    if "--truth" in args:
        i = args.index("--truth")
        truth = args[i + 1 : i + 3]
        del args[i : i + 3]
    src, dst, *t = args
    ty, tx = (int(t[0]), int(t[1])) if t else (1, 1)
    tile_stack(src, dst, ty, tx)
    if truth:
        tile_truth(truth[0], truth[1], ty, tx)


if __name__ == "__main__":
    main()
