"""``viscoder-train all`` on tiny.yaml: data -> sft -> export on CPU, loss falls,
the GGUF loads in the magic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kernel import errors, texts

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "training" / "configs" / "tiny.yaml"

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from training.cli import main

    run_dir = tmp_path_factory.mktemp("models") / "tiny"  # a models folder holding one run
    assert main(["all", "--config", str(TINY), "--out", str(run_dir)]) == 0
    return run_dir


def _log(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "train_log.jsonl").read_text().splitlines()]


def test_every_stage_left_its_files_and_config(tiny_run: Path) -> None:
    for path in (
        "config.yaml",
        "data/train.jsonl",
        "data/DATA_CARD.md",
        "data/config.yaml",
        "sft/final/config.yaml",
        "sft/final/adapter_config.json",
        "hf/config.json",
        "hf/config.yaml",
        "hf/tokenizer.json",
        "tiny.gguf",
        "MODEL_CARD.md",
        "loss.png",
    ):
        assert (tiny_run / path).is_file(), path
    assert [p.name for p in tiny_run.glob("*.gguf")] == ["tiny.gguf"]
    assert json.loads((tiny_run / "export.json").read_text())["quant"] == "Q8_0"  # hidden 64: no k-quants
    assert "loss" in (tiny_run / "MODEL_CARD.md").read_text()


def test_models_folder_scan_finds_the_export_not_the_random_base(tiny_run: Path) -> None:
    from viscoder_magic.catalogue import find_trained

    found = {p.relative_to(tiny_run.parent) for p in find_trained(tiny_run.parent)}
    assert found == {Path("tiny", "tiny.gguf"), Path("tiny", "hf")}


def test_training_loss_falls(tiny_run: Path) -> None:
    rows = _log(tiny_run)
    assert len(rows) >= 8
    assert rows[-1]["loss"] < rows[0]["loss"]


def test_training_resumes_from_its_checkpoint(tiny_run: Path) -> None:
    from training.cli import main

    steps_before = [r["step"] for r in _log(tiny_run)]
    assert (
        main(["sft", "--config", str(TINY), "--out", str(tiny_run), "--max-steps", str(steps_before[-1] + 2)])
        == 0
    )
    steps_after = [r["step"] for r in _log(tiny_run)]
    assert steps_after == steps_before + [steps_before[-1] + 1, steps_before[-1] + 2]


def test_gguf_loads_in_llama_cpp_with_its_chat_template(tiny_run: Path) -> None:
    from llama_cpp import Llama

    llama = Llama(model_path=str(tiny_run / "tiny.gguf"), n_ctx=512, verbose=False)
    try:
        assert llama.tokenize(b"<|im_start|>user", special=True)[0] == 151644
        assert "im_start" in llama.metadata["tokenizer.chat_template"]
        reply = llama.create_chat_completion([{"role": "user", "content": "hi"}], max_tokens=4)
        assert reply["usage"]["completion_tokens"] >= 1
    finally:
        llama.close()


def test_exported_gguf_runs_through_the_magic(tiny_run: Path, kernel) -> None:
    kernel.run("import pandas as pd\ntiny_df = pd.DataFrame({'a': [1, 2, 3], 'b': [3, 1, 2]})")
    outputs = kernel.run(
        f"%%viscode tiny_df --model {tiny_run / 'tiny.gguf'} --rounds 0 --max-tokens 8 -o tiny_result\n"
        "bar chart of b by a"
    )
    assert not errors(outputs), texts(outputs)
    assert kernel.value("tiny_result.model") == "llama.cpp: tiny.gguf"
    assert kernel.value("len(tiny_result.attempts)") == 1  # it generated (nonsense: the model is random)
