"""Of the tasks a run lost to the library the request forbids, how many programs would have drawn.

PandasPlotBench's system prompt calls the assistant "proficient in python, matplotlib and
pandas dataframes", so on a plotly run the 0.5B often answers in matplotlib however the
request names plotly; our pre-check refuses such a program without running it (the request
forbids the library). This re-runs each refused program through the same loop with the
library it used instead (as ``%%viscode --fix``: the program as written, then the rule
patches; no model), to split a row's gap into "the wrong library" and "code that would not
have run anyway". Nothing is counted as a pass: the row stands as measured. Writes
``RUN/forbidden_library.json``; RUN needs its results.jsonl (committed summaries keep only the
counts, so copy or rerun the run first). Usage::

    MPLBACKEND=Agg .venv/bin/python -m benchmarks.forbidden_library \\
        --run benchmarks/runs/plotly-ppb-0.5b-s16 --data ../shared/pandasplotbench
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.bench.report import load_records
from viscoder_magic.bench.tasks import load_tasks
from viscoder_magic.check import forbidden_imports
from viscoder_magic.pipeline import run_request
from viscoder_magic.request import VisCodeRequest


@dataclass
class ForbiddenLibraryArguments:
    """Which run to read, and where its tasks' tables are."""

    run: str = "benchmarks/runs/plotly-ppb-0.5b-s16"
    data: str = "../shared/pandasplotbench"


def refused_programs(row: dict[str, Any]) -> dict[str, str]:
    """Each distinct program of a task that the pre-check refused for its library -> that library."""
    found: dict[str, str] = {}
    for attempt in row.get("attempts", []):
        named = (
            forbidden_imports(attempt.get("error") or "")
            if attempt.get("error_type") == "PrecheckError"
            else []
        )
        if named and attempt.get("code"):
            found.setdefault(attempt["code"], named[0])
    return found


def draws_with(code: str, lib: str, frame: Any) -> bool:
    """Whether ``code`` draws when ``lib`` is the library asked for (the same loop, no model)."""
    request = VisCodeRequest(text=code, frames=("df",), lib=lib, rounds=0, fix=True, budget=0)
    return run_request(request, {"df": frame}, {}, ScriptedBackend([])).ok


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for f in fields(ForbiddenLibraryArguments):
        parser.add_argument(f"--{f.name}", default=f.default)
    args = ForbiddenLibraryArguments(**vars(parser.parse_args(argv)))
    failed = {row["id"]: row for row in load_records(args.run) if not row.get("ok") and row.get("attempts")}
    tasks = {task.id: task for task in load_tasks(args.data, failed)}
    per_task: dict[int, dict[str, Any]] = {}
    for task_id, row in sorted(failed.items()):
        programs = refused_programs(row)
        if programs:
            frame = tasks[task_id].frame()
            drawn = [lib for code, lib in programs.items() if draws_with(code, lib, frame)]
            per_task[task_id] = {
                "refused_programs": len(programs),
                "libraries": sorted(set(programs.values())),
                "drawing": len(drawn),
            }
    summary = {
        "run": args.run,
        "failed": len(failed),
        "with_a_program_refused_for_its_library": sorted(per_task),
        "whose_refused_program_would_draw": sorted(t for t, v in per_task.items() if v["drawing"]),
        "per_task": per_task,
    }
    (Path(args.run) / "forbidden_library.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(
        f"{len(failed)} failed; {len(per_task)} had a program refused for its library; "
        f"{len(summary['whose_refused_program_would_draw'])} of those would have drawn with it"
    )
    return summary


if __name__ == "__main__":
    main()
