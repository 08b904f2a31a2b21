"""``viscoder-train eval``: PandasPlotBench exec pass of the trained model against its base.

Both models run through ``viscoder-bench`` (the magic's own pipeline) with the same
settings, into RUN_DIR/eval/trained and RUN_DIR/eval/base; the pass rates by repair
round go to RUN_DIR/eval_comparison.md and into the model card. Runs resume: tasks
already in a run folder's results.jsonl are not repeated.

Run::

    viscoder-train eval --config training/configs/qwen0.5b-lora.yaml --out runs/q05 --limit 20

From a notebook::

    from training.config import load_config
    from training.evaluate import evaluate
    print(evaluate(load_config("training/configs/qwen0.5b-lora.yaml"), "runs/q05"))
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .config import EvalArguments, RunConfig, from_args, stage_parser


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


def bench(args: EvalArguments, model: str, out: Path) -> dict[str, Any]:
    """One ``viscoder-bench`` run (the benchmark's Python API) and its summary."""
    from viscoder_magic.bench.cli import BenchArguments, run

    bench_args = BenchArguments(
        out=str(out),
        data=args.data,
        lib=args.lib,
        ids=args.ids,
        rounds=args.rounds,
        model=model,
        timeout=args.timeout,
        max_tokens=args.max_tokens,
        limit=args.limit,
    )
    return run(bench_args, command=f"viscoder-train eval ({model})")


def comparison(
    trained: dict[str, Any], base: dict[str, Any], names: tuple[str, str], args: EvalArguments
) -> str:
    """Markdown table: exec pass by round for both models and the difference."""
    rounds = range(len(trained["pass_rate"]))
    lines = [
        f"PandasPlotBench exec pass, {args.lib}, ids {args.ids}"
        + (f" (first {args.limit})" if args.limit else "")
        + f", {args.rounds} repair rounds, "
        f"N={trained['n']} (trained) / {base['n']} (base).",
        "",
        "| model | " + " | ".join(f"round {r}" for r in rounds) + " |",
        "|---|" + "---|" * len(rounds),
    ]
    for name, summary in zip(names, (trained, base), strict=True):
        lines.append(f"| {name} | " + " | ".join(f"{100 * p:.1f}%" for p in summary["pass_rate"]) + " |")
    lines.append(
        "| difference | "
        + " | ".join(
            f"{100 * (t - b):+.1f} pts" for t, b in zip(trained["pass_rate"], base["pass_rate"], strict=True)
        )
        + " |"
    )
    return "\n".join(lines) + "\n"


def evaluate(config: RunConfig, out: str | Path) -> Path:
    """Benchmark trained and base with the same settings; write RUN_DIR/eval_comparison.md."""
    from .export import write_model_card

    run_dir = Path(out)
    exported = run_dir / "export.json"
    if not exported.is_file():
        raise VisCodeError(
            f"No exported model in {run_dir}. Run `viscoder-train export --config ... --out {run_dir}` first."
        )
    info = json.loads(exported.read_text())
    trained_model, base = str(run_dir / info["gguf"]), base_model(config)
    trained = bench(config.eval, trained_model, run_dir / "eval" / "trained")
    baseline = bench(config.eval, base, run_dir / "eval" / "base")
    text = comparison(trained, baseline, (f"{config.name} (trained)", f"{base} (base)"), config.eval)
    target = run_dir / "eval_comparison.md"
    target.write_text(text)
    write_model_card(run_dir, config, run_dir / info["gguf"], info["quant"])
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the eval stage."""
    parsed = make_parser().parse_args(argv)
    print(evaluate(from_args(parsed), parsed.out).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
