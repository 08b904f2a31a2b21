"""The ablation matrix: the plain loop, each addition alone, and all of them, per library.

On 2 CPU cores one cell (99 tasks) is 1-2 hours, so the matrix (3 libraries x 6 loops)
takes a day or more; against a GPU server (``--endpoint`` with ``--concurrency``) it
is minutes. Each cell is an ordinary ``viscoder-bench`` run folder, so the matrix resumes
where it stopped (tasks already in a cell's results.jsonl are skipped) and each cell can
be read alone. ``ROOT/matrix.md`` is rewritten after every cell. Usage::

    MPLBACKEND=Agg .venv/bin/python -m benchmarks.ablation_matrix --root benchmarks/runs/matrix
    .venv/bin/python -m benchmarks.ablation_matrix --root benchmarks/runs/matrix-7b \\
        --endpoint http://127.0.0.1:8000/v1 --model TIGER-Lab/VisCoder-7B --concurrency 16
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from viscoder_magic.bench.cli import BenchArguments, run
from viscoder_magic.pipeline import ABLATIONS

#: loop name -> the parts switched off (``--ablate``): none of them, each one alone, all of them.
LOOPS: dict[str, tuple[str, ...]] = {
    "plain": ABLATIONS,
    **{f"{part} only": tuple(p for p in ABLATIONS if p != part) for part in ABLATIONS},
    "all": (),
}


@dataclass
class MatrixArguments:
    """Arguments of the matrix; the rest of a cell's settings are ``viscoder-bench``'s defaults."""

    root: str = "benchmarks/runs/matrix"
    libs: str = "matplotlib,seaborn,plotly"
    loops: str = ",".join(LOOPS)
    ids: str = "0-99"
    data: str = "../shared/pandasplotbench"
    prompt: str = "viscode"
    model: str = "default"
    endpoint: str | None = None
    concurrency: int = 1
    #: sqlite file of generated replies shared by the cells (default ROOT/generations.sqlite with
    #: --concurrency 1; "none": decode everything): every loop asks the same first question.
    cache: str = ""


def cache_file(args: MatrixArguments) -> str:
    """The cells' shared generation cache ("" for none); see viscoder_magic.bench.generation_cache."""
    if args.cache == "none" or args.concurrency > 1:
        return ""
    return args.cache or str(Path(args.root) / "generations.sqlite")


def cell(args: MatrixArguments, lib: str, loop: str) -> BenchArguments:
    """The ``viscoder-bench`` arguments of one cell."""
    folder = Path(args.root) / f"{lib}-{args.prompt}-{loop.replace(' ', '-')}"
    return BenchArguments(
        out=str(folder),
        data=args.data,
        lib=lib,
        ids=args.ids,
        prompt=args.prompt,
        model=args.model,
        endpoint=args.endpoint,
        concurrency=args.concurrency,
        ablate=",".join(LOOPS[loop]),
        cache=cache_file(args),
    )


def table(rows: list[tuple[str, str, dict[str, Any]]]) -> str:
    """One markdown row per finished cell."""
    lines = [
        "| library | loop | N | exec pass, round 0 | exec pass, round 3 | median s/task | p90 s/task |",
        "|---|---|---|---|---|---|---|",
    ]
    for lib, loop, s in rows:
        lines.append(
            f"| {lib} | {loop} | {s['n']} | {s['passed'][0]}/{s['n']} ({s['pass_rate'][0]}%) "
            f"| {s['passed'][-1]}/{s['n']} ({s['pass_rate'][-1]}%) | {s['latency_median_s']} "
            f"| {s['latency_p90_s']} |"
        )
    return "\n".join(lines) + "\n"


def run_matrix(args: MatrixArguments, backend: Any = None) -> list[tuple[str, str, dict[str, Any]]]:
    """Run (or resume) every cell in order, rewriting ``ROOT/matrix.md`` after each; returns the rows."""
    from viscoder_magic.bench.cli import load_backend
    from viscoder_magic.bench.generation_cache import GenerationCache

    Path(args.root).mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for lib in args.libs.split(","):
        for loop in args.loops.split(","):
            bench = cell(args, lib, loop)
            backend = backend or load_backend(bench)  # one model load (and one cache) for the whole matrix
            if bench.cache and not isinstance(backend, GenerationCache):
                backend = GenerationCache(backend, bench.cache)
            rows.append(
                (
                    lib,
                    loop,
                    run(bench, backend=backend, command=f"benchmarks.ablation_matrix cell {bench.out}"),
                )
            )
            (Path(args.root) / "matrix.md").write_text(table(rows))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for f in fields(MatrixArguments):
        parser.add_argument(f"--{f.name}", type=int if f.type == "int" else str, default=f.default)
    args = MatrixArguments(**vars(parser.parse_args(argv)))
    unknown = set(args.loops.split(",")) - set(LOOPS)
    if unknown:
        parser.error(f"unknown loop(s) {', '.join(sorted(unknown))}; use any of: {', '.join(LOOPS)}")
    run_matrix(args)


if __name__ == "__main__":
    main()
