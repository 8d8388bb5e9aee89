"""Many stacks: :func:`map_files`, on local processes or a Dask cluster.

The engine plans the batch (``stxm-phasemap batch … --plan``: the result's name
of each stack, the hash of its inputs and parameters, which results are already
there with that hash) and maps each stack that is not done in its own process
(``batch --task FILE …``, which prints the stack's row). Without a client those
processes run here, ``jobs`` at a time; with a ``dask.distributed.Client`` each
stack is a task on the cluster's workers (a LocalCluster, dask-jobqueue's
SLURMCluster …), which must see the same files (a shared file system on HPC).
A stack that fails gives its error row, the others go on. The rows make the
summary table (``summary.csv``, a pandas DataFrame) and the comparison figure
(``summary.png``/``summary.svg``, matplotlib) — the same table as the command
line's ``batch``.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from . import _engine
from ._headless import parameters
from ._result import Result
from ._summary import figure_axis, table_columns, write_csv, write_figure


def run_task(task_args: list[str], params_json: str) -> dict[str, Any]:
    """One stack: ``stxm-phasemap batch --task …`` here (a thread or a Dask worker); its row.

    Never raises for a stack that fails: its row says ``status: failed`` and why.
    """
    file, name = task_args[2], task_args[task_args.index("--name") + 1]
    try:
        done = _engine.run(task_args, input=params_json)
    except Exception as e:  # the engine could not start here (a worker without it …)
        return _failed_row(file, name, f"{file}: {type(e).__name__}: {e}")
    try:
        row = json.loads(done.stdout)
        if isinstance(row, dict) and "status" in row:
            return row
    except ValueError:
        pass
    why = done.last_line or f"the engine stopped (exit {done.returncode})"
    return _failed_row(file, name, why if why.startswith(file) else f"{file}: {why}")


def _failed_row(file: str, name: str, error: str) -> dict[str, Any]:
    return {"file": file, "name": name, "status": "failed", "error": " ".join(error.split())}


def task_args(task: Mapping[str, Any], force: bool) -> list[str]:
    """``batch --task`` arguments of a planned task (src/cli/batch-pool.ts ``taskArgs``)."""
    return [
        "batch",
        "--task",
        task["file"],
        "--refs",
        task["refs"],
        "--out",
        os.path.dirname(task["result"]),
        "--name",
        task["name"],
        "--params",
        "-",
        "--json",
        *(["--force"] if force else []),
    ]


def _manifest(
    paths: Any, refs: Any, columns: Mapping[str, Sequence[Any]] | None, folder: str
) -> tuple[str, list[str] | None]:
    """A manifest for the engine (absolute paths, so Dask workers elsewhere find the files) and
    the stacks' names as the caller gave them (None for a manifest file given as it is)."""
    if isinstance(paths, (str, os.PathLike)):
        manifest = os.fspath(paths)
        if not os.path.isfile(manifest):
            raise FileNotFoundError(f"{manifest}: no such manifest file")
        if columns:
            raise TypeError("columns= goes with a list of paths, not with a manifest file")
        if refs is not None and not isinstance(refs, (str, os.PathLike)):
            raise TypeError("with a manifest, refs is one CSV path (or a refs column)")
        return manifest, None
    if hasattr(paths, "to_dict") and hasattr(paths, "columns"):  # a pandas DataFrame
        frame = paths
        if "file" not in frame.columns:
            raise ValueError("the DataFrame needs a 'file' column (the stacks)")
        records = frame.to_dict(orient="records")
        files = [os.fspath(r["file"]) for r in records]
        extra = {c: [r[c] for r in records] for c in frame.columns if c != "file"}
    else:
        files = [os.fspath(p) for p in paths]
        extra = {k: list(v) for k, v in (columns or {}).items()}
    if not files:
        raise ValueError("no stacks to map")
    for c, values in extra.items():
        if c == "file" or not re.fullmatch(r"[A-Za-z_][\w .-]*", str(c)):
            raise ValueError(f"column name {c!r}: letters, digits, _ . - and spaces only")
        if len(values) != len(files):
            raise ValueError(f"column {c!r} has {len(values)} values for {len(files)} stacks")
    if refs is not None and not isinstance(refs, (str, os.PathLike)):
        refs_list = [os.fspath(r) for r in refs]
        if len(refs_list) != len(files):
            raise ValueError(f"{len(refs_list)} references files for {len(files)} stacks")
        extra["refs"] = [os.path.abspath(r) for r in refs_list]
    for p in files:
        if not os.path.exists(p):
            raise FileNotFoundError(f"{p}: no such stack file")
    for r in set(extra.get("refs", [])):
        if not os.path.isfile(r):
            raise FileNotFoundError(f"{r}: no such reference CSV file")

    def cell(v: Any) -> str:
        text = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
        return '"' + text.replace('"', '""') + '"' if re.search(r'[",\n\r]', text) else text

    path = os.path.join(folder, "manifest.csv")
    header = ["file", *extra]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for k, p in enumerate(files):
            cells = [cell(os.path.abspath(p))]
            for c in extra:
                cells.append(cell(extra[c][k]))
            f.write(",".join(cells) + "\n")
    return path, files


class Batch:
    """The outcome of :func:`map_files`: one row per stack, the files it wrote.

    ``table`` (a pandas DataFrame, or the rows as dicts without pandas), ``rows``,
    ``out`` (the folder), ``csv`` (``summary.csv``), ``figures`` (``summary.png``
    and ``summary.svg``; empty without matplotlib), ``failed`` (the rows of the
    stacks that failed), ``result(name)`` (a stack's :class:`Result`, read from
    its file) and ``results()`` (all of them, None for a failed stack).
    """

    def __init__(
        self,
        out: Path,
        columns: list[str],
        rows: list[dict[str, Any]],
        csv: Path,
        figures: list[Path],
        seconds: float,
    ):
        self.out = out
        self.columns = columns
        self.rows = rows
        self.csv = csv
        self.figures = figures
        self.seconds = seconds

    @property
    def table(self) -> Any:
        try:
            import pandas as pd
        except ImportError:
            return [dict(r) for r in self.rows]
        return pd.DataFrame(self.rows, columns=self.columns)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r.get("status") == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.get("status") == status)

    def result(self, key: int | str) -> Result:
        """The :class:`Result` of a stack, by position, name or file."""
        if isinstance(key, int):
            row = self.rows[key]
        else:
            row = next((r for r in self.rows if key in (r.get("name"), r.get("file"))), None)
            if row is None:
                raise KeyError(f"no stack {key!r} in this batch")
        if row.get("status") == "failed" or not row.get("result"):
            raise LookupError(f"{row.get('file')}: no result ({row.get('error')})")
        return Result.from_file(row["result"], source=row.get("file"))

    def results(self) -> list[Result | None]:
        return [
            None if r.get("status") == "failed" else self.result(i) for i, r in enumerate(self.rows)
        ]

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        out = str(self.out)
        try:
            rel = os.path.relpath(out)
            out = rel if not rel.startswith("..") else out
        except ValueError:  # another drive
            pass
        return (
            f"<Batch of {len(self.rows)} stack(s) in {out!r}: {self.count('mapped')} "
            f"mapped, {self.count('skipped')} kept, {self.count('failed')} failed "
            f"({self.seconds:.1f} s)>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": repr(self)}
        table = self.table
        if hasattr(table, "to_html"):
            keep = [c for c in self.columns if c not in ("warning_text", "hash", "result")]
            bundle["text/html"] = f"<p>{_html(repr(self))}</p>" + table[keep].to_html(
                index=False, na_rep="", escape=True
            )
        png = next((f for f in self.figures if f.suffix == ".png"), None)
        if png is not None and png.exists():
            import base64

            bundle["image/png"] = base64.b64encode(png.read_bytes()).decode("ascii")
        return bundle


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _progress_bar(total: int, initial: int, enabled: bool) -> Any:
    """A tqdm text bar on stderr: it redraws in place in a terminal and in a notebook's output
    (and a notebook executed headless keeps its last state, where a widget would keep nothing)."""
    try:
        from tqdm.std import tqdm
    except ImportError:  # tqdm is a dependency; a bare environment still works
        return None
    return tqdm(
        total=total,
        initial=initial,
        desc="stxm-phasemap",
        unit="stack",
        disable=not enabled,
        dynamic_ncols=True,
    )


def map_files(
    paths: Any,
    refs: Any = None,
    client: Any = None,
    *,
    out: str | os.PathLike[str] = "phasemaps",
    columns: Mapping[str, Sequence[Any]] | None = None,
    jobs: int | None = None,
    x: str | None = None,
    force: bool = False,
    progress: bool = True,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    **params: Any,
) -> Batch:
    """Map many stacks: one result file per stack in ``out``, a summary table and a figure.

    ``paths``: stack files, a manifest CSV (columns ``file``, ``refs``, ``name`` and
    any other, carried to the table; paths relative to it), or a pandas DataFrame
    with a ``file`` column. ``refs``: one references CSV for all, or one per stack
    (a manifest's ``refs`` column wins). ``client``: a ``dask.distributed.Client``
    to spread the stacks over its workers (default: ``jobs`` local processes, one
    per core). ``columns``: more columns for the table (``{"state_of_charge":
    [...]}``), ``x``: the figure's axis (default the first numeric column).
    ``force``: map again even where a result with the same hash is there.
    Parameters by name, as for :func:`map_file`.
    """
    import time

    t0 = time.perf_counter()
    nested = parameters(**params)
    params_json = json.dumps(nested)
    out_dir = Path(out).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir}: not a folder (out= takes the results)")
    with tempfile.TemporaryDirectory(prefix="stxm-phasemap-batch-") as tmp:
        manifest, given = _manifest(paths, refs, columns, tmp)
        args = ["batch", "--manifest", manifest, "--out", str(out_dir), "--plan", "--params", "-"]
        if refs is not None and isinstance(refs, (str, os.PathLike)):
            refs_path = os.fspath(refs)
            if not os.path.isfile(refs_path):
                raise FileNotFoundError(f"{refs_path}: no such reference CSV file")
            args += ["--refs", os.path.abspath(refs_path)]
        if force:
            args.append("--force")
        done = _engine.run(args, input=params_json)
        _engine.raise_for(done, files=[manifest])
        plan = json.loads(done.stdout)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks: list[dict[str, Any]] = plan["tasks"]
    manifest_columns: list[str] = [c for c in plan["manifestColumns"] if c != "refs"]
    rows: list[dict[str, Any] | None] = [t["row"] if t["done"] else None for t in tasks]
    todo = [i for i, t in enumerate(tasks) if not t["done"]]
    bar = _progress_bar(len(tasks), len(tasks) - len(todo), progress)

    def finished(i: int, row: dict[str, Any]) -> None:
        rows[i] = row
        if on_row is not None:
            on_row(row)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"{row.get('name')}: {row.get('status')}", refresh=False)

    arguments = {i: task_args(tasks[i], force) for i in todo}
    try:
        if client is not None:
            _run_on_dask(client, arguments, params_json, tasks, finished)
        elif todo:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_task, arguments[i], params_json): i for i in todo}
                for f in as_completed(futures):
                    finished(futures[f], f.result())
    finally:
        if bar is not None:
            bar.close()
    complete = [
        r if r is not None else _failed_row(t["file"], t["name"], "not run")
        for r, t in zip(rows, tasks, strict=True)
    ]
    for k, r in enumerate(complete):
        r = dict(r)
        for c in manifest_columns:
            r[c] = tasks[k]["columns"].get(c)
        if given is not None:
            # the caller's spelling of the path, in the error too
            absolute = os.path.abspath(given[k])
            if isinstance(r.get("error"), str):
                r["error"] = r["error"].replace(absolute, given[k])
            r["file"] = given[k]
        complete[k] = r
    columns = table_columns(complete, manifest_columns, list(plan["tailColumns"]))
    complete = [{c: r.get(c) for c in columns} for r in complete]
    csv = out_dir / "summary.csv"
    write_csv(str(csv), columns, complete)
    figures: list[Path] = []
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pass
    else:
        figures = [out_dir / "summary.png", out_dir / "summary.svg"]
        axis = figure_axis(complete, manifest_columns, x)
        write_figure(
            complete,
            columns,
            axis,
            f"Phase fractions of {len(complete)} stack(s)",
            [str(f) for f in figures],
        )
    return Batch(out_dir, columns, complete, csv, figures, time.perf_counter() - t0)


def _run_on_dask(
    client: Any,
    arguments: dict[int, list[str]],
    params_json: str,
    tasks: list[dict[str, Any]],
    finished: Callable[[int, dict[str, Any]], None],
) -> None:
    """Each stack a task on the cluster's workers; a task that raises gives a failed row."""
    from distributed import as_completed as dask_completed

    index: dict[Any, int] = {}
    futures = []
    for i, args in arguments.items():
        # a fresh key each call: Dask would hand back an earlier run's future for a known key
        key = f"stxm-phasemap-{tasks[i]['name']}-{uuid.uuid4().hex[:12]}"
        f = client.submit(run_task, args, params_json, key=key, pure=False)
        index[f.key] = i
        futures.append(f)
    for f in dask_completed(futures):
        i = index[f.key]
        try:
            row = f.result()
        except Exception as e:  # the worker died, the task was lost …
            row = _failed_row(
                tasks[i]["file"],
                tasks[i]["name"],
                f"{tasks[i]['file']}: on the cluster: {type(e).__name__}: {e}",
            )
        finished(i, row)
