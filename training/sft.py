"""``viscoder-train sft``: fine-tune with TRL's SFTTrainer, loss on the answer only.

Records from ``data`` become conversational prompt/completion pairs: the prompt is
the whole chat up to the last assistant turn (rendered with the model's own chat
template), the completion is that turn. With ``completion_only_loss`` the loss
falls only on the answer, so in a repair dialogue the model learns the fix, never
the broken first attempt. LoRA runs on CPU or GPU; QLoRA (bitsandbytes 4-bit)
needs CUDA; full fine-tuning follows the paper (lr 5e-6, cosine, warmup 0.05, 3
epochs) and scales out with ``accelerate`` + DeepSpeed ZeRO-3.

On CPU the run is made to stop and resume: bf16 autocast where the CPU multiplies
bf16 natively (AMX, AVX512-BF16), fp32 elsewhere; vocabulary logits only for answer
tokens; steps with non-finite gradients skipped; ``--time-limit-min`` saves and stops,
and the next run (``--resume``, the default) continues the same shuffled data order
after the last example seen. The checkpoint with the lowest loss on a held-out split
becomes RUN_DIR/sft/final and RUN_DIR/adapter (fp16); RUN_DIR/metrics.json records
examples per hour.

Run::

    viscoder-train sft --config training/configs/tiny.yaml --out runs/tiny
    viscoder-train sft --config training/configs/qwen0.5b-lora.yaml --out runs/q05 --time-limit-min 50
    viscoder-train sft --config training/configs/qwen0.5b-lora.yaml --out runs/q05 --resume
    accelerate launch --config_file training/configs/accelerate_zero3.yaml -m training.cli \\
        sft --config training/configs/viscoder-7b-full.yaml --out runs/7b

From a notebook (progress bars; RUN_DIR/loss.png is the loss plot)::

    from training.config import load_config
    from training.sft import train
    adapter = train(load_config("training/configs/tiny.yaml"), "runs/tiny")
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .config import RunConfig, SFTArguments, from_args, save_config, stage_parser
from .sft_precision import Precision
from .sft_warm_start import (
    adapter_folder,
    data_fingerprint,
    examples_seen,
    unseen_first,
    with_adapter,
    write_progress,
)

logger = logging.getLogger(__name__)


def make_parser():  # noqa: ANN201 - argparse.ArgumentParser
    """The stage parser; a bare ``--resume`` means ``--resume true`` (continue the last checkpoint)."""
    parser = stage_parser("viscoder-train sft", __doc__.split("\n\n")[0], "sft")
    resume = parser._option_string_actions["--resume"]
    resume.nargs, resume.const = "?", "true"
    return parser


def load_tokenizer(args: SFTArguments) -> Any:
    """The tokenizer; ``default`` reads the Qwen2.5 tokenizer from the default GGUF once, then a cached
    copy."""
    from transformers import AutoTokenizer

    if args.tokenizer != "default":
        return AutoTokenizer.from_pretrained(args.tokenizer)
    from viscoder_magic.models import cache_dir, resolve

    gguf = resolve("default")
    cached = cache_dir() / "tokenizers" / gguf.stem
    if (cached / "tokenizer_config.json").is_file():
        return AutoTokenizer.from_pretrained(cached)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)  # ~1 min: parses the GGUF
    tokenizer.save_pretrained(cached)
    return tokenizer


def base_path(args: SFTArguments, run_dir: Path) -> str:
    """Where the base weights load from: RUN_DIR/sft/base for ``tiny``, the GGUF for ``default``, else as
    given."""
    if args.base == "tiny":
        return str(run_dir / "sft" / "base")  # below the models-folder scan depth: not a trained model
    if args.base == "default":
        from viscoder_magic.models import resolve

        return str(resolve("default"))
    return args.base


def build_tiny(args: SFTArguments, tokenizer: Any, folder: Path) -> None:
    """A random Qwen2-architecture model of the configured size, saved with its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    torch.manual_seed(args.seed)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=args.tiny_hidden,
        num_hidden_layers=args.tiny_layers,
        num_attention_heads=args.tiny_heads,
        num_key_value_heads=args.tiny_kv_heads,
        intermediate_size=args.tiny_intermediate,
        max_position_embeddings=32768,
        rope_theta=1_000_000.0,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.convert_tokens_to_ids("<|endoftext|>"),
        eos_token_id=tokenizer.convert_tokens_to_ids("<|im_end|>"),
    )
    AutoModelForCausalLM.from_config(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def load_model(path: str, *, qlora: bool = False) -> Any:
    """Base weights from a folder, hub id or GGUF (dequantized by transformers); 4-bit for QLoRA."""
    import torch
    from transformers import AutoModelForCausalLM

    cuda = torch.cuda.is_available()
    if qlora and not cuda:
        raise VisCodeError(
            "QLoRA (sft.method: qlora) needs a CUDA GPU with bitsandbytes. Use method: lora on CPU."
        )
    kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if cuda else torch.float32}
    if path.endswith(".gguf"):
        kwargs["gguf_file"] = Path(path).name
        path = str(Path(path).parent)
    if qlora:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_use_double_quant=True,
        )
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    if "gguf_file" in kwargs:  # weights are dequantized to float; only a stale marker would stop the Trainer
        model.hf_quantizer = None
        model.is_quantized = False
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
    return model


def load_examples(run_dir: Path, limit: int = 0) -> Any:
    """RUN_DIR/data/train.jsonl as a ``datasets`` prompt/completion dataset."""
    import datasets

    source = run_dir / "data" / "train.jsonl"
    if not source.is_file():
        raise VisCodeError(
            f"No training data at {source}. Run `viscoder-train data --config ... --out {run_dir}` first."
        )
    rows = datasets.load_dataset("json", data_files=str(source), split="train")
    if limit:
        rows = rows.select(range(min(limit, len(rows))))
    return rows.map(
        lambda r: {"prompt": r["messages"][:-1], "completion": r["messages"][-1:]},
        remove_columns=rows.column_names,
    )


def lora_config(args: SFTArguments) -> Any:
    from peft import LoraConfig

    targets: Any = args.lora_targets if args.lora_targets == "all-linear" else args.lora_targets.split(",")
    return LoraConfig(
        r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )


def trainer_config(
    args: SFTArguments, output: Path, precision: Precision | None = None, held_out: bool = False
) -> Any:
    """TRL ``SFTConfig`` from our arguments (paper recipe lives in the YAML, not here).

    With a held-out split, every checkpoint is evaluated and the one with the lowest
    held-out loss is loaded at the end (and kept by ``save_total_limit``).
    """
    from trl import SFTConfig

    precision = precision or Precision("fp32", "cpu", "default")
    best: dict[str, Any] = {}
    if held_out:
        best = {
            "eval_strategy": "steps",
            "eval_steps": args.save_steps,
            "per_device_eval_batch_size": args.batch_size,
            "load_best_model_at_end": True,
            "metric_for_best_model": "eval_loss",
            "greater_is_better": False,
            "prediction_loss_only": True,
        }
    return SFTConfig(
        output_dir=str(output),
        completion_only_loss=True,
        max_length=args.max_length,
        packing=False,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        learning_rate=args.learning_rate,
        lr_scheduler_type=args.lr_scheduler,
        warmup_steps=args.warmup_ratio,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        logging_steps=args.logging_steps,
        save_steps=args.save_steps,
        save_total_limit=2,
        report_to="none",
        seed=args.seed,
        deepspeed=args.deepspeed,
        bf16=precision.bf16,
        activation_checkpointing=args.gradient_checkpointing,  # TRL's own default is on: ~1/3 more compute
        use_cpu=precision.device == "cpu",
        dataloader_num_workers=0,
        train_sampling_strategy="sequential",  # the split shuffled: one order a warm start continues
        disable_tqdm=False,
        **best,
    )


@dataclass
class Session:
    """A built trainer and the pieces ``train`` reads back after it ran."""

    trainer: Any
    tokenizer: Any
    base: str
    precision: Precision
    time_limit: Any
    guard: Any
    start: WarmStart


def build_trainer(config: RunConfig, run_dir: Path) -> Session:
    """Tokenizer, base model, data split, callbacks and trainer for RUN_DIR (nothing trained yet)."""
    from .sft_callbacks import NonFiniteGuard, TimeLimit, loss_logger
    from .sft_precision import detect
    from .sft_trainer import AnswerLossTrainer, split_examples

    args = config.sft
    precision = detect(args.precision)
    logger.warning("sft: %s on %s (%s)", precision.dtype, precision.device, precision.reason)
    tokenizer = load_tokenizer(args)
    base = base_path(args, run_dir)
    if args.base == "tiny" and not (Path(base) / "config.json").is_file():
        build_tiny(args, tokenizer, Path(base))
    train_rows, held_out = split_examples(
        load_examples(run_dir, args.max_examples), args.eval_fraction, args.seed
    )
    start = warm_start(args, run_dir)
    model = load_model(base, qlora=args.method == "qlora")
    if start.adapter is not None:
        model = with_adapter(model, start.adapter)
        train_rows = unseen_first(train_rows, start.seen)
    time_limit = TimeLimit(args.time_limit_min, evaluate=held_out is not None)
    guard = NonFiniteGuard(run_dir / "skipped_steps.jsonl")
    trainer = AnswerLossTrainer(
        model=model,
        args=trainer_config(args, run_dir / "sft", precision, held_out is not None),
        train_dataset=train_rows,
        eval_dataset=held_out,
        processing_class=tokenizer,
        peft_config=None if args.method == "full" or start.adapter is not None else lora_config(args),
        callbacks=[loss_logger(run_dir / "train_log.jsonl"), guard, time_limit],
    )
    trainer.answer_logits_only = args.answer_logits_only and precision.device == "cpu"
    return Session(trainer, tokenizer, base, precision, time_limit, guard, start)


@dataclass
class WarmStart:
    """Where a run's weights and data order start: a committed adapter, or fresh LoRA at example 0."""

    adapter: Path | None
    seen: int
    fingerprint: str


def warm_start(args: SFTArguments, run_dir: Path) -> WarmStart:
    """``sft.init_adapter`` with the examples it has seen of this data (nothing when it is empty)."""
    source = run_dir / "data" / "train.jsonl"
    fingerprint = data_fingerprint(source)
    if not args.init_adapter:
        return WarmStart(None, 0, fingerprint)
    if args.method == "full":
        raise VisCodeError("sft.init_adapter continues a LoRA adapter; it cannot start a full fine-tune.")
    folder = adapter_folder(args.init_adapter)
    seen = examples_seen(folder, fingerprint, args.seed)
    logger.warning("sft: starting from %s, %d examples of this data already seen", folder, seen)
    return WarmStart(folder, seen, fingerprint)


def _checkpoint_step(checkpoint: str | None) -> int:
    return int(Path(checkpoint).name.rpartition("-")[2]) if checkpoint else 0


def run_metrics(
    session: Session, args: SFTArguments, seconds: float, resumed_from: str | None
) -> dict[str, Any]:
    """What RUN_DIR/metrics.json records for this run (throughput counts only the steps taken now)."""
    from .sft_trainer import examples_per_hour

    trainer = session.trainer
    steps = trainer.state.global_step - _checkpoint_step(resumed_from)
    per_step = args.batch_size * args.grad_accum * trainer.args.world_size
    return {
        "examples_per_hour": examples_per_hour(steps, per_step, seconds),
        "steps_this_run": steps,
        "global_step": trainer.state.global_step,
        "seconds_this_run": round(seconds, 1),
        "precision": session.precision.dtype,
        "device": session.precision.device,
        "precision_reason": session.precision.reason,
        "answer_logits_only": trainer.answer_logits_only,
        "max_length": args.max_length,
        "batch_size": args.batch_size,
        "grad_accum": args.grad_accum,
        "lora_targets": args.lora_targets if args.method != "full" else None,
        "best_eval_loss": trainer.state.best_metric,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "stopped_by_time_limit": session.time_limit.stopped,
        "skipped_nonfinite_steps": session.guard.skipped,
    }


def adapter_examples(session: Session, args: SFTArguments) -> int:
    """Examples of this data order the saved adapter has seen: up to its (best) checkpoint's step."""
    state = session.trainer.state
    step = _checkpoint_step(state.best_model_checkpoint) if state.best_model_checkpoint else state.global_step
    return session.start.seen + step * args.batch_size * args.grad_accum * session.trainer.args.world_size


def train(config: RunConfig, out: str | Path) -> Path:
    """Fine-tune into RUN_DIR/sft; returns the final adapter (or full model) folder.

    The final folder and RUN_DIR/adapter (fp16) hold the checkpoint with the lowest
    held-out loss; RUN_DIR/metrics.json records throughput, precision and the stop reason.
    """
    from transformers.trainer_utils import get_last_checkpoint

    from .sft_callbacks import plot_loss
    from .sft_trainer import save_fp16_adapter, write_metrics

    args, run_dir = config.sft, Path(out)
    output = run_dir / "sft"
    last = get_last_checkpoint(str(output)) if args.resume and output.is_dir() else None
    if last is None:
        for stale in ("train_log.jsonl", "skipped_steps.jsonl"):
            (run_dir / stale).unlink(missing_ok=True)
    session = build_trainer(config, run_dir)
    trainer = session.trainer
    result = trainer.train(resume_from_checkpoint=last)
    final = output / "final"
    trainer.save_model(str(final))
    session.tokenizer.save_pretrained(final)
    (final / "base.json").write_text(json.dumps({"base": session.base, "method": args.method}) + "\n")
    save_config(config, final)
    if args.method != "full":
        save_fp16_adapter(trainer.model, run_dir / "adapter")
        save_config(config, run_dir / "adapter")
        write_progress(
            run_dir / "adapter", adapter_examples(session, args), session.start.fingerprint, args.seed
        )
    write_metrics(run_dir, run_metrics(session, args, float(result.metrics.get("train_runtime", 0.0)), last))
    plot_loss(run_dir / "train_log.jsonl", run_dir / "loss.png")
    return final


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the sft stage."""
    parsed = make_parser().parse_args(argv)
    final = train(from_args(parsed), parsed.out)
    print(
        f"sft: {final} (loss log {Path(parsed.out) / 'train_log.jsonl'}, plot "
        f"{Path(parsed.out) / 'loss.png'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
