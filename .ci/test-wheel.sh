#!/usr/bin/env bash
# The wheel as a user gets it, headless: build it, install it into a fresh venv (pip's cache
# makes this quick), then with PATH stripped to that venv's bin (no system Node.js):
#   stxm-phasemap simulate / map (the console script) and python -c 'stxm_phasemap.map_file(...)',
# and compare their maps with the checkout's own CLI (bin/stxm-phasemap on the system Node),
# bit for bit. `make test-wheel` (after `make build`); part of `make test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stxm-wheel-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
t0=$(date +%s)

echo "test-wheel: building the wheel"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" . >/dev/null
WHEEL=$(ls "$WORK"/dist/stxm_phasemap-*.whl)
"$PYTHON" - "$WHEEL" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["stxm_phasemap/_engine/stxm-phasemap.mjs", "stxm_phasemap/_engine/tfjs-backend-wasm-simd.wasm",
        "stxm_phasemap/_engine/tfjs-backend-wasm.wasm", "stxm_phasemap/_cli.py"]
missing = [n for n in need if n not in names]
assert not missing, f"the wheel lacks {missing}"
assert any(n.endswith("entry_points.txt") for n in names), "no entry points (console script)"
PY
echo "test-wheel: $(basename "$WHEEL") ($(( $(stat -c %s "$WHEEL") / 1024 / 1024 )) MB), installing into a fresh venv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL"
echo "test-wheel: installed in $(( $(date +%s) - t0 ))s"

# From here on the user's shell: PATH is the venv's bin only; no node anywhere on it.
DATA="$WORK/data"
mkdir -p "$DATA"
cd "$DATA"
run() { env -i HOME="$HOME" PATH="$WORK/venv/bin" LANG=C.UTF-8 "$@"; }
if run /bin/sh -c 'command -v node' >/dev/null 2>&1; then
  echo "test-wheel: node is on the stripped PATH: the test would prove nothing" >&2; exit 1
fi
run stxm-phasemap --version
run stxm-phasemap simulate --soc 0.45 --seed 7 --size 40x48 --out soc45.h5 --refs refs.csv >/dev/null
run stxm-phasemap map soc45.h5 --refs refs.csv --seed 3 --backend wasm --out wheel.h5 --json --quiet > wheel.json
# the default GMVAE backend, the wasm SIMD training kernel (inside the bundle)
run stxm-phasemap map soc45.h5 --refs refs.csv --seed 3 --out kernel.h5 --json --quiet > kernel.json
echo "not an HDF5 file" > broken.h5
set +e
run stxm-phasemap map broken.h5 --refs refs.csv 2> broken.err
code=$?
set -e
[ "$code" = 2 ] || { echo "test-wheel: a broken stack exited $code, not 2" >&2; exit 1; }
grep -q '^stxm-phasemap: broken.h5: ' broken.err \
  || { echo "test-wheel: the error line does not name the file:" >&2; cat broken.err >&2; exit 1; }

run python -c '
import json, stxm_phasemap as spm
r = spm.map_file("soc45.h5", "refs.csv", seed=3, backend="wasm", out="python.h5")
summary = json.load(open("wheel.json"))
assert summary["training"]["backend"] == "wasm", summary["training"]  # the wasm files were found
assert json.load(open("kernel.json"))["training"]["backend"] == "kernel"  # the default backend
assert r.params["gmvae"]["backend"] == "wasm" and r.phase_names == ["Na3", "Na1"], r
assert r.counts == summary["counts"], (r.counts, summary["counts"])
try:
    spm.map_file("broken.h5", "refs.csv")
except spm.StackFileError as e:
    assert e.path == "broken.h5" and str(e).startswith("broken.h5: "), e
else:
    raise AssertionError("a broken stack mapped")
print("test-wheel: map_file ok:", r.fraction("Na1"))
'

# The checkout's CLI on the system Node: the same maps, bit for bit.
node "$ROOT/bin/stxm-phasemap" map soc45.h5 --refs refs.csv --seed 3 --backend wasm --out checkout.h5 --quiet >/dev/null
node "$ROOT/bin/stxm-phasemap" map soc45.h5 --refs refs.csv --seed 3 --out checkout-kernel.h5 --quiet >/dev/null
"$ROOT/.venv/bin/python" - <<'PY'
import h5py, numpy as np
d = "entry/phasemap/data"
with h5py.File("wheel.h5") as a, h5py.File("python.h5") as b, h5py.File("checkout.h5") as c:
    names = sorted(a[d])
    for k in names:
        x, y, z = a[d][k][()], b[d][k][()], c[d][k][()]
        same = (lambda u, v: np.array_equal(u, v, equal_nan=True)) if x.dtype.kind in "fiu" else (lambda u, v: (u == v).all())
        assert same(x, y) and same(x, z), f"{k} differs between the wheel, map_file and the checkout"
with h5py.File("kernel.h5") as a, h5py.File("checkout-kernel.h5") as c:
    for k in sorted(a[d]):
        x, z = a[d][k][()], c[d][k][()]
        same = np.array_equal(x, z, equal_nan=True) if x.dtype.kind in "fiu" else (x == z).all()
        assert same, f"{k} differs between the wheel and the checkout (default backend)"
print(f"test-wheel: {len(names)} datasets identical in the wheel's CLI, map_file and the checkout's CLI (tfjs wasm), and with the default kernel backend")
PY
echo "test-wheel: passed in $(( $(date +%s) - t0 ))s"
