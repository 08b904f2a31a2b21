"""sft callbacks: a non-finite gradient step is skipped and logged; the time limit saves and stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from transformers import TrainerControl  # noqa: E402

from training.sft_callbacks import NonFiniteGuard, TimeLimit  # noqa: E402


class State:
    global_step, is_world_process_zero = 4, True


def _model_with_grads(bad: float) -> torch.nn.Module:
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1))
    model(torch.ones(1, 3)).sum().backward()
    model[1].weight.grad[0, 0] = bad
    return model


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_guard_drops_a_non_finite_step_and_logs_it(tmp_path: Path, bad: float) -> None:
    model = _model_with_grads(bad)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    guard = NonFiniteGuard(tmp_path / "skipped.jsonl")
    guard.on_pre_optimizer_step(None, State(), TrainerControl(), model=model)
    optimizer.step()
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    assert guard.skipped == [5]
    assert json.loads((tmp_path / "skipped.jsonl").read_text()) == {
        "step": 5,
        "skipped": "non-finite gradient",
    }


def test_guard_leaves_a_finite_step_alone(tmp_path: Path) -> None:
    model = _model_with_grads(0.5)
    guard = NonFiniteGuard(tmp_path / "skipped.jsonl")
    guard.on_pre_optimizer_step(None, State(), TrainerControl(), model=model)
    assert all(p.grad is not None for p in model.parameters())
    assert guard.skipped == [] and not (tmp_path / "skipped.jsonl").exists()


def test_time_limit_asks_to_evaluate_save_and_stop_once_spent() -> None:
    spent = TimeLimit(minutes=1e-9, evaluate=True)  # any elapsed time exceeds it
    spent.on_train_begin(None, State(), TrainerControl())
    control = spent.on_step_end(None, State(), TrainerControl())
    assert (control.should_training_stop, control.should_save, control.should_evaluate) == (True, True, True)
    assert spent.stopped


def test_no_time_limit_never_stops() -> None:
    unlimited = TimeLimit(minutes=0, evaluate=False)
    control = unlimited.on_step_end(None, State(), TrainerControl())
    assert not (control.should_training_stop or control.should_save) and not unlimited.stopped
