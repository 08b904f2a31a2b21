"""Reproduce the VisCoder recipe at any scale: data -> sft -> export -> eval.

Each stage is a module with dataclass arguments, ``make_parser()`` and ``main()``;
``viscoder-train STEP --config training/configs/NAME.yaml --out RUN_DIR`` runs one
from a shell and ``training.cli.run_step`` from a notebook. Stages exchange files
in RUN_DIR whose schemas are documented in ``docs/TRAINING.md``.
"""
