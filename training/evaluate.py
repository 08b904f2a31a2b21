"""``viscoder-train eval``: the trained model against its base, with the proof a default needs.

Both models run through ``viscoder-bench`` (the magic's own pipeline and prompt) with the
same settings and seeds: PandasPlotBench ids 0-99 in each library of ``eval.lib``, and the
realtables ``eval.held_out`` split (requests frozen before any training data existed, over
tables the loop never loads). Runs go to RUN_DIR/eval/{trained,base}/<suite> and resume
task by task. ``eval_compare`` reads them, paired per task, for the four counts a trained
model must win on (first attempt, final pass, resubmissions, seconds);
RUN_DIR/eval_comparison.md (also in the model card) and eval_comparison.json hold the result.

Run::

    viscoder-train eval --config training/configs/qwen0.5b-lora.yaml --out runs/q05
    viscoder-train eval --config ... --out runs/q05 --lib plotly --held-out none --limit 20

From a notebook::

    from training.config import load_config
    from training.evaluate import evaluate
    print(evaluate(load_config("training/configs/qwen0.5b-lora.yaml"), "runs/q05").read_text())
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .config import EvalArguments, RunConfig, from_args, stage_parser
from .eval_compare import compare, markdown, wins

LIBS = ("matplotlib", "seaborn", "plotly")
SPLITS = ("dev", "heldout", "fresh")


def make_parser():  # noqa: ANN201 - argparse.ArgumentParser
    return stage_parser("viscoder-train eval", __doc__.split("\n\n")[0], "eval")


def base_model(config: RunConfig) -> str:
    """What the trained model is compared with: eval.base_model, else the sft base if the bench can load
    it."""
    if config.eval.base_model:
        return config.eval.base_model
    if config.sft.base == "tiny":
        raise VisCodeError(
            "A tiny random base has no benchmark meaning; set eval.base_model (e.g. default) to compare."
        )
    return config.sft.base


@dataclass(frozen=True)
class Suite:
    """One comparison: a PandasPlotBench library, or the realtables held-out split."""

    name: str
    lib: str | None
    split: str | None = None


def suites(args: EvalArguments) -> list[Suite]:
    """The libraries of ``eval.lib`` and the ``eval.held_out`` split, checked before anything runs."""
    libs = [lib.strip() for lib in args.lib.split(",") if lib.strip()]
    unknown = [lib for lib in libs if lib not in LIBS]
    if unknown or not libs:
        raise VisCodeError(
            f"eval.lib is {args.lib!r}; give one or more of {', '.join(LIBS)}, comma-separated."
        )
    found = [Suite(lib, lib) for lib in libs]
    if args.held_out not in ("", "none"):
        if args.held_out not in SPLITS:
            raise VisCodeError(
                f"eval.held_out is {args.held_out!r}; give a realtables split ({', '.join(SPLITS)}) or none."
            )
        found.append(Suite(f"realtables-{args.held_out}", None, args.held_out))
    return found


def bench(args: EvalArguments, suite: Suite, model: str, out: Path) -> list[dict[str, Any]]:
    """One ``viscoder-bench`` run (the benchmark's Python API); returns its results.jsonl records."""
    from viscoder_magic.bench.cli import BenchArguments, run
    from viscoder_magic.bench.runner import read_records

    bench_args = BenchArguments(
        out=str(out),
        data=args.data,
        suite="realtables" if suite.split else "pandasplotbench",
        split=suite.split or "dev",
        lib=suite.lib,
        ids=args.ids if suite.lib and not suite.split else None,
        rounds=args.rounds,
        model=model,
        timeout=args.timeout,
        budget=args.budget,
        max_tokens=args.max_tokens,
        limit=args.limit,
    )
    run(bench_args, command=f"viscoder-train eval ({model}, {suite.name})")
    return read_records(out)


def evaluate(config: RunConfig, out: str | Path) -> Path:
    """Benchmark trained and base on every suite; write RUN_DIR/eval_comparison.md and .json."""
    from .export import write_model_card

    run_dir = Path(out)
    exported = run_dir / "export.json"
    if not exported.is_file():
        raise VisCodeError(
            f"No exported model in {run_dir}. Run `viscoder-train export --config ... --out {run_dir}` first."
        )
    info = json.loads(exported.read_text())
    trained_model, base = str(run_dir / info["gguf"]), base_model(config)
    comparisons = []
    for suite in suites(config.eval):
        trained = bench(config.eval, suite, trained_model, run_dir / "eval" / "trained" / suite.name)
        baseline = bench(config.eval, suite, base, run_dir / "eval" / "base" / suite.name)
        comparisons.append(compare(suite.name, trained, baseline, gated=suite.split is None))
    names = (f"{config.name} (trained)", f"{base} (base)")
    target = run_dir / "eval_comparison.md"
    target.write_text(markdown(comparisons, names))
    summary = {"wins": wins(comparisons), "suites": [dataclasses.asdict(c) for c in comparisons]}
    (run_dir / "eval_comparison.json").write_text(json.dumps(summary, indent=1) + "\n")
    write_model_card(run_dir, config, run_dir / info["gguf"], info["quant"])
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the eval stage."""
    parsed = make_parser().parse_args(argv)
    print(evaluate(from_args(parsed), parsed.out).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
