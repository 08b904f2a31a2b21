"""Trainer callbacks of the sft stage: loss log, wall-clock limit, non-finite gradient guard.

Each is a small ``TrainerCallback`` so the loop stays TRL's own: a CPU run that must
stop at a time limit asks the Trainer to save and stop (the checkpoint then resumes
with the data order intact), and a step whose gradients hold NaN or inf is dropped
before the optimizer sees it, instead of poisoning the adapter and every step after.
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

logger = logging.getLogger(__name__)


class LossLogger(TrainerCallback):
    """Appends every logged training loss to ``train_log.jsonl`` (one JSON object per line)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def on_log(self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if logs and "loss" in logs and state.is_world_process_zero:
            row = {"step": state.global_step, "epoch": logs.get("epoch"), "loss": logs["loss"]}
            row["lr"] = logs.get("learning_rate")
            with open(self.path, "a") as handle:
                handle.write(json.dumps(row) + "\n")


def loss_logger(path: Path) -> LossLogger:
    """A :class:`LossLogger` writing to ``path``."""
    return LossLogger(path)


class TimeLimit(TrainerCallback):
    """Saves a checkpoint and stops once ``minutes`` of wall clock have passed (0: no limit).

    The check runs after each optimizer step, so a run overshoots by at most one step
    plus the final evaluation and save. ``stopped`` tells the caller the run is
    unfinished and the next ``viscoder-train sft`` resumes it.
    """

    def __init__(self, minutes: float, evaluate: bool) -> None:
        self.seconds = minutes * 60.0
        self.evaluate = evaluate
        self.started = time.monotonic()
        self.stopped = False

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.started = time.monotonic()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        if self.seconds > 0 and time.monotonic() - self.started >= self.seconds and not self.stopped:
            logger.warning(
                "sft: time limit of %.1f min reached at step %d; saving and stopping (rerun to resume)",
                self.seconds / 60,
                state.global_step,
            )
            self.stopped = True
            control.should_training_stop = True
            control.should_save = True
            control.should_evaluate = self.evaluate
        return control


class NonFiniteGuard(TrainerCallback):
    """Drops an optimizer step whose gradients hold NaN or inf, and logs it.

    Runs after clipping, before ``optimizer.step()``: clearing every ``.grad`` makes
    AdamW skip all parameters for that step, so weights and moments stay as they were.
    Skipped steps go to ``path`` (JSON lines) and ``skipped``.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.skipped: list[int] = []

    def on_pre_optimizer_step(
        self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any
    ) -> None:
        import torch

        if model is None:
            return
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        if all(bool(torch.isfinite(g).all()) for g in grads):
            return
        for parameter in model.parameters():
            parameter.grad = None
        step = state.global_step + 1  # the step being taken
        self.skipped.append(step)
        logger.warning("sft: non-finite gradient at step %d; optimizer step skipped", step)
        if self.path is not None:
            with open(self.path, "a") as handle:
                handle.write(json.dumps({"step": step, "skipped": "non-finite gradient"}) + "\n")


def plot_loss(log: Path, target: Path) -> Path | None:
    """Training loss against step, as a PNG (for the model card and the notebook)."""
    if not log.is_file():
        return None
    from matplotlib.figure import Figure  # no pyplot: the user's kernel keeps its own backend

    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if isinstance(r.get("loss"), float | int) and math.isfinite(r["loss"])]
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.plot([r["step"] for r in rows], [r["loss"] for r in rows], marker=".")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (answer tokens)")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(target, dpi=100)
    return target
