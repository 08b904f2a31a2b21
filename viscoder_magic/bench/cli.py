"""``viscoder-bench``: PandasPlotBench exec pass, with and without self-debug.

Every task runs through the magic's own pipeline (``run_request``), so the numbers
measure the product. Results append to ``OUT/results.jsonl`` as tasks finish (a
second run resumes after them); ``OUT/report.md``, ``summary.json`` and
``chart.png`` are rewritten at the end.

Run (default local 0.5B model, magic's prompt, 3 repair rounds)::

    MPLBACKEND=Agg viscoder-bench --data ../shared/pandasplotbench --lib matplotlib \\
        --ids 0-99 --rounds 3 --prompt viscode --out benchmarks/runs/mpl-viscode

The benchmark's own prompt, against a vLLM server with 16 tasks in flight::

    viscoder-bench --data hf --lib plotly --prompt ppb --rounds 3 \\
        --endpoint http://127.0.0.1:8000/v1 --model TIGER-Lab/VisCoder-7B \\
        --concurrency 16 --out benchmarks/runs/plotly-ppb-viscoder7b

The realtables suite's dev half (each request in its own library; docs/REALTABLES.md)::

    MPLBACKEND=Agg viscoder-bench --suite realtables --split dev --rounds 3 --out benchmarks/runs/rt-dev

One chart from several runs, and the benchmarks page from the committed summaries::

    viscoder-bench report benchmarks/runs/mpl-viscode benchmarks/runs/mpl-ppb --out benchmarks/runs/chart.png
    viscoder-bench report --page docs/BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BenchArguments:
    """Arguments of ``viscoder-bench``.

    data: PandasPlotBench folder (tasks.jsonl, data/, instructs.json) or ``hf``.
    suite: pandasplotbench or realtables. split: realtables split (dev, heldout or fresh).
    lib: plotting library (realtables: only that library's requests). ids: ids and ranges.
    rounds: repair rounds after the first attempt. model / endpoint: as on the magic line.
    prompt: ``viscode`` (the magic's prompt) or ``ppb`` (the benchmark's). out: run folder. concurrency:
    tasks in flight (``--endpoint`` only). timeout / budget: seconds per program /
    per task. seed, temperature, max_tokens: sampling.
    """

    out: str = field(metadata={"help": "Run folder: results.jsonl, report.md, summary.json, chart.png."})
    data: str = field(
        default="../shared/pandasplotbench",
        metadata={
            "help": "PandasPlotBench folder (tasks.jsonl, data/, instructs.json), "
            "or 'hf' for the Hugging Face dataset."
        },
    )
    suite: str = field(
        default="pandasplotbench",
        metadata={
            "help": "pandasplotbench, or realtables "
            "(built-in analyst tables, each request in its own library)."
        },
    )
    split: str = field(
        default="dev",
        metadata={
            "help": "realtables split: dev (rules may be written from it), or heldout or fresh (run only to "
            "report; fresh is the held-out set for headline numbers)."
        },
    )
    lib: str | None = field(
        default=None,
        metadata={
            "help": "matplotlib, seaborn or plotly (default matplotlib); with --suite realtables only that "
            "library's requests (default: all of them)."
        },
    )
    ids: str | None = field(
        default=None,
        metadata={
            "help": "Task ids and ranges, e.g. 0-99 or 1,4,10-20 (default: 0-99, realtables: the whole half)."
        },
    )
    rounds: int = field(default=3, metadata={"help": "Repair rounds after the first attempt (VisCoder: 3)."})
    candidates: int = field(
        default=1, metadata={"help": "Candidate programs per attempt (the first that draws wins)."}
    )
    model: str = field(
        default="default",
        metadata={"help": "Model name, GGUF path, HF id or folder (as --model on the magic)."},
    )
    endpoint: str | None = field(
        default=None, metadata={"help": "OpenAI-compatible server URL (vLLM, llama.cpp server)."}
    )
    prompt: str = field(
        default="viscode", metadata={"help": "viscode (the magic's prompt) or ppb (the benchmark's own)."}
    )
    concurrency: int = field(
        default=1,
        metadata={"help": "Tasks in flight; only with --endpoint (local models run one at a time)."},
    )
    timeout: float = field(default=30.0, metadata={"help": "Seconds one program may run."})
    budget: float = field(
        default=0.0,
        metadata={"help": "Seconds one task may spend on all attempts; 0: no limit, all rounds run."},
    )
    seed: int = field(default=0, metadata={"help": "Sampling seed."})
    temperature: float = field(
        default=0.0, metadata={"help": "Temperature of the first attempt (0: greedy)."}
    )
    max_tokens: int = field(default=1024, metadata={"help": "Most tokens per attempt."})
    ablate: str = field(
        default="",
        metadata={
            "help": "Comma list of search parts to switch off: hints, resample, precheck, patch "
            "(all four: the paper's plain loop)."
        },
    )
    cache: str = field(
        default="",
        metadata={
            "help": "sqlite file of replies already generated "
            "(same chat and settings: replayed, counted at the seconds they cost); "
            "for comparing loops that ask the same questions. "
            "Not with --concurrency > 1."
        },
    )
    limit: int = field(
        default=0, metadata={"help": "Run at most this many new tasks (0: all); for smoke runs."}
    )


def make_parser() -> argparse.ArgumentParser:
    """argparse parser built from ``BenchArguments`` (one option per field, help from metadata)."""
    parser = argparse.ArgumentParser(
        prog="viscoder-bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for item in dataclasses.fields(BenchArguments):
        name = "--" + item.name.replace("_", "-")
        kind = {"int": int, "float": float}.get(str(item.type), str)
        if item.default is dataclasses.MISSING:
            parser.add_argument(name, type=kind, required=True, help=item.metadata["help"])
        else:
            parser.add_argument(name, type=kind, default=item.default, help=item.metadata["help"])
    return parser


def make_report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="viscoder-bench report",
        description="Rewrite report.md of run folders and draw one combined chart; or, with --page, write "
        "the benchmarks page from the committed summaries that an index names.",
    )
    parser.add_argument("runs", nargs="*", help="Run folders (each with results.jsonl).")
    parser.add_argument("--out", default=None, help="Combined PNG chart (default: none).")
    parser.add_argument(
        "--page", default=None, help="Markdown page to write from the index, e.g. docs/BENCHMARKS.md."
    )
    parser.add_argument(
        "--index",
        default="benchmarks/index.json",
        help="JSON file naming the run folders behind each row of the page.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="With --page: write nothing, exit 1 when the page differs from what the summaries give.",
    )
    return parser


def machine_info() -> dict[str, Any]:
    """Where the numbers were measured."""
    cpu = "?"
    ram_gb: float | str = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else "?"
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "ram_gb": ram_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_avg_at_start": load,
        "versions": library_versions(),
    }


#: Installed versions that change what generated code does (an API the model invents in
#: one matplotlib may exist in the next), so runs on different set-ups compare honestly.
TRACKED_DISTRIBUTIONS = ("pandas", "numpy", "matplotlib", "seaborn", "plotly", "scipy", "llama_cpp_python")


def library_versions() -> dict[str, str]:
    """Versions of ``TRACKED_DISTRIBUTIONS`` ("absent" where not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in TRACKED_DISTRIBUTIONS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def ablations(args: BenchArguments) -> tuple[str, ...]:
    """The parts named in ``--ablate hints,resample``."""
    return tuple(filter(None, args.ablate.split(",")))


SUITES = ("pandasplotbench", "realtables")


def resolved(args: BenchArguments) -> BenchArguments:
    """``args`` with the suite's defaults filled in, so run.json of a PandasPlotBench run reads as before."""
    if args.suite != "pandasplotbench":
        return args
    return dataclasses.replace(args, lib=args.lib or "matplotlib", ids=args.ids or "0-99")


def validate(args: BenchArguments) -> None:
    """Reject bad combinations with one paragraph naming the fix."""
    from ..errors import VisCodeError
    from ..pipeline import ABLATIONS
    from ..request import LIBRARIES

    if args.suite not in SUITES:
        raise VisCodeError(f"Unknown --suite '{args.suite}'. Use one of: {', '.join(SUITES)}.")
    if args.suite == "realtables" and args.prompt != "viscode":
        raise VisCodeError(
            "--suite realtables runs with the magic's prompt only (the benchmark's own prompt "
            "reads a CSV into df); drop --prompt ppb."
        )
    if args.split not in ("dev", "heldout", "fresh"):
        raise VisCodeError(f"Unknown --split '{args.split}'. Use dev, heldout or fresh.")
    if args.lib is not None and args.lib not in LIBRARIES:
        raise VisCodeError(f"Unknown --lib '{args.lib}'. Use one of: {', '.join(LIBRARIES)}.")
    if args.prompt not in ("viscode", "ppb"):
        raise VisCodeError(
            f"Unknown --prompt '{args.prompt}'. Use viscode (the magic's) or ppb (the benchmark's)."
        )
    unknown = set(ablations(args)) - set(ABLATIONS)
    if unknown:
        raise VisCodeError(
            f"Unknown --ablate part(s) {', '.join(sorted(unknown))}. Use any of: {', '.join(ABLATIONS)}."
        )
    if args.cache and args.concurrency > 1:
        raise VisCodeError("--cache replays replies one task at a time; drop --cache or use --concurrency 1.")
    if args.rounds < 0 or args.concurrency < 1:
        raise VisCodeError("--rounds must be at least 0 and --concurrency at least 1.")


def load_backend(args: BenchArguments) -> Any:
    """The backend the magic would load for this model or endpoint."""
    from ..backends import BackendSpec, get_backend
    from ..backends.registry import choose_kind

    kind = choose_kind(args.model, args.endpoint)
    return get_backend(BackendSpec(kind=kind, model=args.model, endpoint=args.endpoint))


def load_suite(args: BenchArguments) -> list[Any]:
    """The tasks ``args`` asks for, from PandasPlotBench or from the realtables half."""
    from .tasks import load_tasks, parse_ids

    ids = parse_ids(args.ids) if args.ids else None
    if args.suite == "realtables":
        from .realtables import load_realtables_tasks

        return load_realtables_tasks(args.split, ids, args.lib)
    return load_tasks(args.data, ids)


def run(args: BenchArguments, backend: Any = None, command: str | None = None) -> dict[str, Any]:
    """Run the benchmark into ``args.out`` and write its report; returns the summary."""
    import json

    from tqdm import tqdm

    from .generation_cache import GenerationCache
    from .report import write_report
    from .runner import RunSettings, code_revision, done_ids, done_revisions, run_tasks
    from .tasks import load_instructs

    args = resolved(args)
    validate(args)
    os.environ.setdefault("MPLBACKEND", "Agg")  # before pyplot is first imported
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tasks = load_suite(args)
    instructs = load_instructs(args.data) if args.prompt == "ppb" else None
    done = done_ids(out)
    todo = [t for t in tasks if t.id not in done]
    if args.limit:
        todo = todo[: args.limit]
    info = {
        "command": command or "viscoder-bench " + shlex.join(sys.argv[1:]),
        "args": dataclasses.asdict(args),
        "machine": machine_info(),
    }
    (out / "run.json").write_text(json.dumps(info, indent=1) + "\n")
    earlier = done_revisions(out) - {code_revision()}
    if todo and earlier:
        print(
            f"viscoder-bench: the tasks already in {out} ran at {', '.join(sorted(earlier))} "
            f"and the rest will run at {code_revision()}, so the report will mix two programs. "
            f"To finish the run as it began, check out {sorted(earlier)[0].removesuffix('-dirty')} "
            "and rerun; to start afresh, give a new --out.",
            file=sys.stderr,
        )
    if todo:
        backend = backend or load_backend(args)
        if args.cache and not isinstance(backend, GenerationCache):
            backend = GenerationCache(backend, args.cache)
        concurrency = args.concurrency if args.endpoint else 1  # llama.cpp is not thread-safe
        settings = RunSettings(
            lib=args.lib or "matplotlib",  # realtables: each task's own library replaces it
            prompt=args.prompt,
            rounds=args.rounds,
            candidates=args.candidates,
            model=args.model,
            endpoint=args.endpoint,
            timeout=args.timeout,
            budget=args.budget or float("inf"),
            seed=args.seed,
            temperature=args.temperature,
            max_tokens=args.max_tokens,
            ablate=ablations(args),
        )
        label = f"{args.lib}/{args.prompt}" if args.suite == "pandasplotbench" else f"realtables/{args.split}"
        with tqdm(total=len(todo), desc=label, unit="task") as bar:

            def done(record: dict[str, Any]) -> None:
                bar.update(1)
                bar.set_postfix(last=f"{record['id']}:{'ok' if record.get('ok') else 'fail'}")

            run_tasks(todo, settings, backend, out, instructs, concurrency, on_done=done)
    return write_report(out)


def report_main(argv: Sequence[str]) -> int:
    """``viscoder-bench report DIR ... [--out chart.png]`` or
    ``report --page PAGE [--index FILE] [--check]``."""
    from .report import combined_table, write_chart, write_report

    parser = make_report_parser()
    parsed = parser.parse_args(list(argv))
    if not parsed.runs and not parsed.page:
        parser.error("give run folders to re-render, or --page PAGE to write the benchmarks page")
    if parsed.page:
        return page_main(parsed.page, parsed.index, parsed.check)
    summaries = [write_report(run_dir) for run_dir in parsed.runs]
    for run_dir, summary in zip(parsed.runs, summaries, strict=True):
        print(
            f"{run_dir}: {summary['lib']}/{summary['prompt']} N={summary['n']} "
            f"pass by round {summary['pass_rate']}"
        )
    print(combined_table(summaries))
    if parsed.out:
        print(f"chart: {write_chart(summaries, parsed.out)}")
    return 0


def page_main(page: str, index: str, check: bool) -> int:
    """Write (or check) the benchmarks page; a stale page under ``--check`` exits 1, so CI can refuse it."""
    from .page import write_page

    current = write_page(page, index, check=check)
    if check and not current:
        print(
            f"{page} differs from what {index} and its summaries give; run "
            f"`viscoder-bench report --page {page}` and commit the result.",
            file=sys.stderr,
        )
        return 1
    print(f"{page}: {'up to date' if current else 'written'} from {index}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    from ..errors import VisCodeError

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["report"]:
            return report_main(argv[1:])
        args = BenchArguments(**vars(make_parser().parse_args(argv)))
        summary = run(args, command="viscoder-bench " + shlex.join(argv))
    except VisCodeError as exc:
        print(f"viscoder-bench: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: N={summary['n']} exec pass by round {summary['pass_rate']} (report.md written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
