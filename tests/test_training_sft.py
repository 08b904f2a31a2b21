"""SFT stage: the loss falls only on the final answer (never the prompt or a broken attempt)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("trl")

from training.config import load_config  # noqa: E402
from training.data.frames import FrameSpec, build_frame, roles  # noqa: E402
from training.data.programs import generate_program  # noqa: E402
from training.data.records import repair_record  # noqa: E402


@pytest.fixture(scope="module")
def tiny_trainer(tmp_path_factory: pytest.TempPathFactory):
    from trl import SFTTrainer

    from training.sft import (
        build_tiny,
        load_examples,
        load_model,
        load_tokenizer,
        lora_config,
        trainer_config,
    )

    run_dir = tmp_path_factory.mktemp("sft")
    spec = FrameSpec("sales", 1)
    program = generate_program(roles(spec, build_frame(spec)), "matplotlib", random.Random(1))
    record = repair_record(
        "r",
        program,
        build_frame(spec),
        "BROKEN_ATTEMPT = 1",
        "wrong_keyword",
        "Traceback (most recent call last):\nTypeError: bad",
        "",
        None,
    )
    (run_dir / "data").mkdir()
    (run_dir / "data" / "train.jsonl").write_text(json.dumps(record) + "\n")
    config = load_config(None, ["sft.base=tiny", "sft.max_steps=1", "sft.grad_accum=1"])
    tokenizer = load_tokenizer(config.sft)
    build_tiny(config.sft, tokenizer, run_dir / "base")
    trainer = SFTTrainer(
        model=load_model(str(run_dir / "base")),
        args=trainer_config(config.sft, run_dir / "sft"),
        train_dataset=load_examples(run_dir),
        processing_class=tokenizer,
        peft_config=lora_config(config.sft),
    )
    return trainer, tokenizer, program


def test_labels_cover_only_the_final_answer(tiny_trainer) -> None:
    trainer, tokenizer, program = tiny_trainer
    batch = trainer.data_collator([trainer.train_dataset[0]])
    ids, labels = batch["input_ids"][0].tolist(), batch["labels"][0].tolist()
    trained = tokenizer.decode([i for i, label in zip(ids, labels, strict=True) if label != -100])
    everything = tokenizer.decode(ids)
    assert trained.strip().startswith("```python") and program.code.strip() in trained
    assert trained.rstrip().endswith("<|im_end|>")  # the model learns to stop
    assert "BROKEN_ATTEMPT" in everything and "BROKEN_ATTEMPT" not in trained
    assert "Traceback" in everything and "Traceback" not in trained
    assert "<|im_start|>system" in everything and "system" not in trained


def test_loss_logger_and_plot(tmp_path: Path) -> None:
    from training.sft import loss_logger, plot_loss

    class State:
        global_step, is_world_process_zero = 3, True

    callback = loss_logger(tmp_path / "train_log.jsonl")
    callback.on_log(None, State(), None, logs={"loss": 2.5, "learning_rate": 1e-4, "epoch": 0.5})
    callback.on_log(None, State(), None, logs={"train_runtime": 9.0})  # summaries are not losses
    rows = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text().splitlines()]
    assert rows == [{"step": 3, "epoch": 0.5, "loss": 2.5, "lr": 1e-4}]
    assert plot_loss(tmp_path / "train_log.jsonl", tmp_path / "loss.png").stat().st_size > 1000


def test_qlora_without_cuda_is_a_clear_error() -> None:
    import torch

    from training.sft import load_model
    from viscoder_magic.errors import VisCodeError

    if torch.cuda.is_available():
        pytest.skip("CUDA present: QLoRA is allowed")
    with pytest.raises(VisCodeError, match="QLoRA .* needs a CUDA GPU"):
        load_model("unused", qlora=True)
