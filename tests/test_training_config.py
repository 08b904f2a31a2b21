"""Training config: strict keys and types, precedence defaults < YAML < command line, fast --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from training.config import from_args, load_config, save_config, stage_parser
from viscoder_magic.errors import VisCodeError

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "training" / "configs").glob("*.yaml"))


@pytest.mark.parametrize("path", [p for p in CONFIGS if "accelerate" not in p.name], ids=lambda p: p.name)
def test_shipped_configs_load(path: Path) -> None:
    assert load_config(path).name


def test_unknown_key_is_an_error_naming_valid_keys(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sft:\n  learning_rat: 0.1\n")
    with pytest.raises(VisCodeError, match="sft.learning_rat.*learning_rate"):
        load_config(bad)
    with pytest.raises(VisCodeError, match="Unknown key `trainer`"):
        load_config(None, ["trainer.x=1"])


def test_wrong_type_is_an_error() -> None:
    with pytest.raises(VisCodeError, match="sft.max_steps` must be int"):
        load_config(None, ["sft.max_steps=ten"])
    assert load_config(None, ["sft.learning_rate=1"]).sft.learning_rate == 1.0  # int accepted as float


def test_precedence_defaults_yaml_set_then_stage_option(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("name: a\nsft:\n  max_steps: 5\n  lora_r: 4\n")
    parsed = stage_parser("x", "", "sft").parse_args(
        ["--config", str(config), "--out", "o", "--set", "sft.max_steps=7", "--lora-r", "8"]
    )
    resolved = from_args(parsed)
    assert (resolved.name, resolved.sft.max_steps, resolved.sft.lora_r, resolved.sft.lora_alpha) == (
        "a",
        7,
        8,
        32,
    )


def test_resolved_config_round_trips(tmp_path: Path) -> None:
    original = load_config(None, ["name=x", "data.libs=[plotly]"])
    assert load_config(save_config(original, tmp_path)) == original


@pytest.mark.parametrize("step", ["data", "sft", "export", "eval", "all"])
def test_help_is_instant_and_lists_options(step: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "training.cli", step, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0
    assert "--config" in done.stdout and "--out" in done.stdout
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, training.cli, training.sft, training.export, "
            "training.data, training.evaluate; "
            "print(sorted({'torch', 'trl', 'transformers'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert heavy.stdout.strip() == "[]"


def test_cli_reports_user_errors_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "training.cli", "export", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Run `viscoder-train sft" in done.stderr and "Traceback" not in done.stderr
