"""SFT stage: the loss falls only on the final answer (never the prompt or a broken attempt)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("trl")

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402

from training.config import load_config  # noqa: E402
from training.data.frames import FrameSpec, build_frame, roles  # noqa: E402
from training.data.programs import generate_program  # noqa: E402
from training.data.records import repair_record  # noqa: E402
from training.sft_trainer import answer_loss as ANSWER_LOSS  # noqa: E402


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
    first = next(i for i, label in enumerate(labels) if label != -100)
    assert first > len(ids) // 2 and set(labels[:first]) == {-100}  # every prompt token is masked
    assert tokenizer.decode(ids[:first]).endswith("<|im_start|>assistant\n")
    assert labels[first:] == ids[first:]  # and every answer token is trained


def test_answer_only_logits_give_the_full_loss_and_its_gradient(tiny_trainer) -> None:
    from training.sft_trainer import answer_loss

    trainer, _, _ = tiny_trainer
    model = trainer.model.eval()  # no LoRA dropout: both passes see the same network
    batch = trainer.data_collator([trainer.train_dataset[0]])
    features = {k: v for k, v in batch.items() if k != "completion_mask"}
    lora_b = next(p for name, p in model.named_parameters() if "lora_B" in name)  # A's gradient is 0 at init
    full = model(**features).loss  # transformers' own loss over full-vocabulary logits of every position
    (full_grad,) = torch.autograd.grad(full, [lora_b])
    sliced, logits, targets = answer_loss(model, batch)
    (sliced_grad,) = torch.autograd.grad(sliced, [lora_b])
    assert full_grad.abs().max() > 0
    kept = int((batch["labels"][:, 1:] != -100).sum())
    assert logits.shape == (kept, model.config.vocab_size) and kept < batch["input_ids"].shape[1] // 2
    model.train()
    assert torch.allclose(sliced, full, rtol=1e-4) and torch.allclose(sliced_grad, full_grad, atol=1e-6)


def test_loss_logger_and_plot(tmp_path: Path) -> None:
    from training.sft_callbacks import loss_logger, plot_loss

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


def _records(count: int) -> list[dict]:
    """``count`` distinct single-turn records (different frames, charts and libraries)."""
    from training.data.records import program_record

    found, seed = [], 0
    while len(found) < count:
        spec = FrameSpec(("sales", "timeseries", "measurements", "survey")[seed % 4], seed)
        frame = build_frame(spec)
        program = generate_program(roles(spec, frame), "matplotlib", random.Random(seed))
        if program is not None:
            found.append(program_record(f"p{seed}", program, frame, None))
        seed += 1
    return found


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sftdata")
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in _records(8)))
    return folder


TINY = ["sft.base=tiny", "sft.max_steps=4", "sft.grad_accum=1", "sft.save_steps=2", "sft.eval_fraction=0.25"]


def _train_recording(run_dir: Path, data_dir: Path, overrides: list[str], monkeypatch) -> list[list[int]]:
    """Run ``train`` on RUN_DIR and return the input ids of every training batch, in order."""
    import training.sft_trainer as sft_trainer
    from training.sft import train

    (run_dir / "data").mkdir(parents=True, exist_ok=True)
    (run_dir / "data" / "train.jsonl").write_text((data_dir / "train.jsonl").read_text())
    seen: list[list[int]] = []
    real = ANSWER_LOSS  # not a wrapper left by an earlier run of this helper

    def recording(model, inputs, num_items_in_batch=None):  # noqa: ANN001, ANN202
        if torch.is_grad_enabled():  # a training step, not the held-out evaluation
            seen.append(inputs["input_ids"][0].tolist())
        return real(model, inputs, num_items_in_batch)

    monkeypatch.setattr(sft_trainer, "answer_loss", recording)
    train(load_config(None, [*TINY, *overrides]), run_dir)
    return seen


def test_time_limit_stops_and_resume_continues_the_data_order(
    tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    whole = _train_recording(tmp_path / "whole", data_dir, [], monkeypatch)
    first = _train_recording(tmp_path / "split", data_dir, ["sft.time_limit_min=0.000001"], monkeypatch)
    metrics = json.loads((tmp_path / "split" / "metrics.json").read_text())["sft"]
    assert metrics["stopped_by_time_limit"] and metrics["global_step"] == 1
    assert (tmp_path / "split" / "sft" / "checkpoint-1").is_dir()
    rest = _train_recording(tmp_path / "split", data_dir, [], monkeypatch)
    assert len(whole) == 4 and len(set(map(tuple, whole))) == 4  # four different examples
    assert first == whole[:1] and rest == whole[1:]  # same shuffled order, nothing seen twice
    metrics = json.loads((tmp_path / "split" / "metrics.json").read_text())["sft"]
    assert (metrics["global_step"], metrics["steps_this_run"], metrics["stopped_by_time_limit"]) == (
        4,
        3,
        False,
    )


def test_best_held_out_checkpoint_becomes_a_small_fp16_adapter(
    tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    _train_recording(tmp_path, data_dir, [], monkeypatch)
    metrics = json.loads((tmp_path / "metrics.json").read_text())["sft"]
    state = json.loads((tmp_path / "sft" / "checkpoint-4" / "trainer_state.json").read_text())
    evals = {row["step"]: row["eval_loss"] for row in state["log_history"] if "eval_loss" in row}
    best_step = min(evals, key=evals.get)
    assert set(evals) == {2, 4} and metrics["best_eval_loss"] == pytest.approx(evals[best_step])
    assert metrics["best_checkpoint"].endswith(f"checkpoint-{best_step}")
    adapter = load_file(tmp_path / "adapter" / "adapter_model.safetensors")
    best = load_file(Path(metrics["best_checkpoint"]) / "adapter_model.safetensors")
    assert adapter.keys() == best.keys() and all(v.dtype == torch.float16 for v in adapter.values())
    assert all(torch.allclose(adapter[k].float(), best[k], atol=1e-3, rtol=1e-3) for k in best)
    assert (tmp_path / "adapter" / "adapter_config.json").is_file() and metrics["examples_per_hour"] > 0
    assert metrics["precision"] in ("bf16", "fp32") and metrics["answer_logits_only"] is True


def test_an_injected_nan_gradient_skips_that_step_only(tmp_path: Path, data_dir: Path, monkeypatch) -> None:
    import training.sft as sft

    real_build = sft.build_trainer

    def poisoned(config, run_dir):  # noqa: ANN001, ANN202
        session = real_build(config, run_dir)
        lora_b = next(p for name, p in session.trainer.model.named_parameters() if "lora_B" in name)
        calls = []

        def first_backward_nan(grad: torch.Tensor) -> torch.Tensor:
            calls.append(1)
            return grad * float("nan") if len(calls) == 1 else grad

        lora_b.register_hook(first_backward_nan)
        return session

    monkeypatch.setattr(sft, "build_trainer", poisoned)
    _train_recording(tmp_path, data_dir, ["sft.eval_fraction=0"], monkeypatch)
    metrics = json.loads((tmp_path / "metrics.json").read_text())["sft"]
    assert metrics["skipped_nonfinite_steps"] == [1] and metrics["global_step"] == 4
    skipped = [json.loads(line) for line in (tmp_path / "skipped_steps.jsonl").read_text().splitlines()]
    assert skipped == [{"step": 1, "skipped": "non-finite gradient"}]
    weights = load_file(tmp_path / "adapter" / "adapter_model.safetensors")
    assert all(bool(torch.isfinite(v).all()) for v in weights.values())
    assert any(bool(v.abs().max() > 0) for k, v in weights.items() if "lora_B" in k)  # later steps trained


def test_bare_resume_flag_means_true() -> None:
    from training.config import from_args
    from training.sft import make_parser

    assert from_args(make_parser().parse_args(["--out", "o", "--resume"])).sft.resume is True
    assert from_args(make_parser().parse_args(["--out", "o", "--resume", "false"])).sft.resume is False
    assert (
        from_args(make_parser().parse_args(["--out", "o", "--time-limit-min", "50"])).sft.time_limit_min
        == 50.0
    )


def test_a_run_continued_from_its_adapter_alone_reads_the_unseen_examples_next(
    tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    plain = ["sft.eval_fraction=0"]
    whole = _train_recording(tmp_path / "whole", data_dir, plain, monkeypatch)
    first = _train_recording(tmp_path / "first", data_dir, [*plain, "sft.max_steps=2"], monkeypatch)
    progress = json.loads((tmp_path / "first" / "adapter" / "progress.json").read_text())
    assert progress["examples_seen"] == 2 and progress["seed"] == 0
    adapter = tmp_path / "first" / "adapter"  # no checkpoint, no optimizer state: only what is committed
    frozen = ["sft.max_steps=2", "sft.learning_rate=0", f"sft.init_adapter={adapter}"]
    rest = _train_recording(tmp_path / "elsewhere", data_dir, [*plain, *frozen], monkeypatch)
    assert len(set(map(tuple, whole))) == 4 and first == whole[:2] and rest == whole[2:]
    before = load_file(adapter / "adapter_model.safetensors")
    after = load_file(tmp_path / "elsewhere" / "adapter" / "adapter_model.safetensors")
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
    assert any(bool(v.abs().max() > 0) for k, v in before.items() if "lora_B" in k)  # trained, not fresh
    progress = json.loads((tmp_path / "elsewhere" / "adapter" / "progress.json").read_text())
    assert progress["examples_seen"] == 4


def test_other_data_or_no_progress_starts_the_order_over(tmp_path: Path) -> None:
    import datasets

    from training.sft_warm_start import examples_seen, unseen_first, write_progress

    write_progress(tmp_path, 5, "abc", 0)
    assert examples_seen(tmp_path, "abc", 0) == 5
    assert examples_seen(tmp_path, "other", 0) == 0 and examples_seen(tmp_path, "abc", 1) == 0
    assert examples_seen(tmp_path / "missing", "abc", 0) == 0
    rows = datasets.Dataset.from_dict({"n": [0, 1, 2, 3]})
    assert unseen_first(rows, 1)["n"] == [1, 2, 3, 0] and unseen_first(rows, 4)["n"] == [0, 1, 2, 3]
    assert unseen_first(rows, 6)["n"] == [2, 3, 0, 1]  # a second pass over the same data


def test_an_init_adapter_that_is_not_one_or_does_not_fit_is_a_clear_error(
    tmp_path: Path, data_dir: Path, monkeypatch
) -> None:
    from viscoder_magic.errors import VisCodeError

    with pytest.raises(VisCodeError, match="not a PEFT adapter folder"):
        _train_recording(tmp_path / "a", data_dir, [f"sft.init_adapter={tmp_path}"], monkeypatch)
    _train_recording(tmp_path / "small", data_dir, ["sft.max_steps=1", "sft.tiny_hidden=32"], monkeypatch)
    with pytest.raises(VisCodeError, match="does not fit this base model"):
        _train_recording(
            tmp_path / "big", data_dir, [f"sft.init_adapter={tmp_path / 'small' / 'adapter'}"], monkeypatch
        )
