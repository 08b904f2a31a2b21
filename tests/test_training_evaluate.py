"""Eval stage: the comparison table and the choice of base (the bench itself is tested in test_bench*)."""

from __future__ import annotations

import pytest

from training.config import load_config
from training.evaluate import base_model, comparison
from viscoder_magic.errors import VisCodeError


def test_comparison_table_has_both_models_and_the_difference() -> None:
    config = load_config(None, ["eval.ids=0-9", "eval.rounds=3"])
    trained = {"n": 10, "pass_rate": [0.5, 0.6, 0.7, 0.8]}
    base = {"n": 10, "pass_rate": [0.4, 0.5, 0.55, 0.6]}
    text = comparison(trained, base, ("mine (trained)", "default (base)"), config.eval)
    assert "| model | round 0 | round 1 | round 2 | round 3 |" in text
    assert "| mine (trained) | 50.0% | 60.0% | 70.0% | 80.0% |" in text
    assert "| difference | +10.0 pts | +10.0 pts | +15.0 pts | +20.0 pts |" in text
    assert "ids 0-9" in text and "N=10 (trained) / 10 (base)" in text


def test_base_model_choice() -> None:
    assert (
        base_model(load_config(None, ["sft.base=Qwen/Qwen2.5-Coder-1.5B-Instruct"]))
        == "Qwen/Qwen2.5-Coder-1.5B-Instruct"
    )
    assert base_model(load_config(None, ["sft.base=tiny", "eval.base_model=default"])) == "default"
    with pytest.raises(VisCodeError, match="eval.base_model"):
        base_model(load_config(None, ["sft.base=tiny"]))
