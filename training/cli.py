"""``viscoder-train data|sft|export|eval|all --config training/configs/NAME.yaml --out RUN_DIR``.

``all`` runs data -> sft -> export, then eval when ``eval.enabled`` is true. Each
step saves the resolved config beside what it writes. User-facing problems print
one paragraph naming the fix and exit with status 2, never a stack trace.

Run::

    viscoder-train all --config training/configs/tiny.yaml --out runs/tiny
    viscoder-train sft --config training/configs/qwen0.5b-lora.yaml --out runs/q05 --max-steps 40

From a notebook::

    from training.cli import run_step
    run_step("all", "training/configs/tiny.yaml", "runs/tiny")
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STEPS = ("data", "sft", "export", "eval", "all")


def run_step(step: str, config: Any, out: str | Path, overrides: Sequence[str] = ()) -> Path:
    """Run one step (or ``all``) for a config path or ``RunConfig``; returns its main output."""
    from .config import RunConfig, load_config, save_config

    if not isinstance(config, RunConfig):
        config = load_config(config, overrides)
    save_config(config, out)
    if step == "data":
        from .data import build_data

        return build_data(config, out)
    if step == "sft":
        from .sft import train

        return train(config, out)
    if step == "export":
        from .export import export

        return export(config, out)
    if step == "eval":
        from .evaluate import evaluate

        return evaluate(config, out)
    result = Path(out)
    for name in ("data", "sft", "export", *(("eval",) if config.eval.enabled else ())):
        result = run_step(name, config, out)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point: dispatch to the step's own parser (its ``--help`` lists its options)."""
    from viscoder_magic.errors import VisCodeError

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in STEPS:
        print(
            __doc__.split("\n\n")[0]
            + f"\n\nsteps: {', '.join(STEPS)}; `viscoder-train STEP --help` for options."
        )
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    step, rest = argv[0], argv[1:]
    try:
        if step == "all":
            from .config import from_args, stage_parser

            parsed = stage_parser(
                "viscoder-train all", "Run data -> sft -> export (-> eval).", None
            ).parse_args(rest)
            print(f"all: {run_step('all', from_args(parsed), parsed.out)}")
            return 0
        module = {
            "data": "training.data",
            "sft": "training.sft",
            "export": "training.export",
            "eval": "training.evaluate",
        }[step]
        import importlib

        return importlib.import_module(module).main(rest)
    except VisCodeError as exc:
        print(f"viscoder-train {step}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
