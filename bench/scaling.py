"""Stacks per minute: one machine, then a Dask LocalCluster of 1 and 2 workers (make bench-scaling).

Simulates N realistic stacks (`stxm-phasemap simulate --scenario realistic-K`: NVPF particles
of 64 × 64 or 80 × 80 px, 6–20 energies, drifting frames, references off the stack's energy
scale, each with its own references CSV) and maps them all with the default parameters (the
GMVAE included), every way the project offers, each into a fresh folder (nothing kept):

  cli --jobs J           stxm-phasemap batch --manifest M --out DIR --jobs J
  map_files jobs=J       the same from Python, J local processes
  LocalCluster W         map_files(client=Client(LocalCluster(n_workers=W, threads_per_worker=1)))

and prints (and writes into docs/scaling.md between its markers) the stacks per minute, with
the machine's load average before each run. Usage:

  .venv/bin/python bench/scaling.py [--stacks 24] [--no-docs]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import stxm_phasemap as spm

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scaling.md"
RESULTS = ROOT / "bench" / "results" / "scaling.json"


def simulate(folder: Path, n: int) -> Path:
    rows = []
    for k in range(1, n + 1):
        stack, refs = folder / f"realistic{k:02d}.h5", folder / f"realistic{k:02d}_refs.csv"
        info = json.loads(
            spm.run_cli(
                "simulate", "--scenario", f"realistic-{k}", "--out", stack, "--refs", refs, "--json"
            )
        )
        rows.append((stack.name, refs.name, info["shape"]))
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "file,refs,energies,pixels\n"
        + "".join(f"{s},{r},{sh[0]},{sh[1] * sh[2]}\n" for s, r, sh in rows)
    )
    return manifest


def timed(label: str, n: int, run) -> dict:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    batch = run()
    seconds = time.perf_counter() - t0
    failed = batch if isinstance(batch, int) else batch.count("failed")
    if failed:
        raise SystemExit(f"{label}: {failed} stack(s) failed")
    row = {
        "way": label,
        "stacks": n,
        "seconds": round(seconds, 1),
        "stacks_per_minute": round(60 * n / seconds, 1),
        "load_before": round(load, 2),
    }
    print(
        f"{label:24s} {row['seconds']:7.1f} s  {row['stacks_per_minute']:6.1f} stacks/min"
        f"  (load {load:.2f})",
        flush=True,
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stacks", type=int, default=24)
    ap.add_argument("--no-docs", action="store_true")
    args = ap.parse_args()
    n = args.stacks
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="stxm-scaling-") as tmp:
        folder = Path(tmp)
        manifest = simulate(folder, n)
        print(f"{n} realistic stacks in {folder}; {os.cpu_count()} cores", flush=True)
        rows = []
        for jobs in (1, 2):
            out = folder / f"cli{jobs}"

            def cli(out=out, jobs=jobs) -> int:
                summary = json.loads(
                    spm.run_cli(
                        "batch",
                        "--manifest",
                        manifest,
                        "--out",
                        out,
                        "--jobs",
                        str(jobs),
                        "--json",
                        "--quiet",
                    )  # fmt: skip
                )
                return summary["failed"]

            rows.append(timed(f"cli --jobs {jobs}", n, cli))
        for jobs in (1, 2):
            out = folder / f"local{jobs}"
            rows.append(
                timed(
                    f"map_files jobs={jobs}",
                    n,
                    lambda out=out, jobs=jobs: spm.map_files(
                        manifest, out=out, jobs=jobs, progress=False
                    ),
                )
            )
        for workers in (1, 2):
            t0 = time.perf_counter()
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
            start = time.perf_counter() - t0
            out = folder / f"dask{workers}"
            row = timed(
                f"LocalCluster {workers} worker(s)",
                n,
                lambda out=out, client=client: spm.map_files(
                    manifest, client=client, out=out, progress=False
                ),
            )
            row["cluster_start_seconds"] = round(start, 1)
            rows.append(row)
            client.close()
            cluster.close()
    record = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": sys.version.split()[0],
        "stxm_phasemap": spm.__version__,
        "stacks": f"realistic-1 … realistic-{n} (64×64 or 80×80 px, 6–20 energies)",
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    table = [
        "| way | workers | seconds | stacks / min | load before |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        workers = re.search(r"(\d+)", r["way"]).group(1)
        extra = (
            f" (+ {r['cluster_start_seconds']} s to start the cluster)"
            if "cluster_start_seconds" in r
            else ""
        )
        table.append(
            f"| `{r['way']}` | {workers} | {r['seconds']}{extra} | **{r['stacks_per_minute']}** "
            f"| {r['load_before']} |"
        )
    text = "\n".join(table)
    print("\n" + text)
    if not args.no_docs and DOC.exists():
        doc = DOC.read_text()
        new = re.sub(
            r"(<!-- scaling:begin -->\n).*?(\n<!-- scaling:end -->)",
            lambda m: (
                m[1]
                + f"{n} stacks, measured {record['date']} on {record['machine']}:\n\n"
                + text
                + m[2]
            ),
            doc,
            flags=re.S,
        )
        DOC.write_text(new)


if __name__ == "__main__":
    main()
