"""``viscoder-train sft``: fine-tune with TRL's SFTTrainer, loss on the answer only.

Records from ``data`` become conversational prompt/completion pairs: the prompt is
the whole chat up to the last assistant turn (rendered with the model's own chat
template), the completion is that turn. With ``completion_only_loss`` the loss
falls only on the answer, so in a repair dialogue the model learns the fix, never
the broken first attempt. LoRA runs on CPU or GPU; QLoRA (bitsandbytes 4-bit)
needs CUDA; full fine-tuning follows the paper (lr 5e-6, cosine, warmup 0.05, 3
epochs) and scales out with ``accelerate`` + DeepSpeed ZeRO-3. Checkpoints in
RUN_DIR/sft resume automatically.

Run::

    viscoder-train sft --config training/configs/tiny.yaml --out runs/tiny
    accelerate launch --config_file training/configs/accelerate_zero3.yaml -m training.cli \\
        sft --config training/configs/viscoder-7b-full.yaml --out runs/7b

From a notebook (progress bars; RUN_DIR/loss.png is the loss plot)::

    from training.config import load_config
    from training.sft import train
    adapter = train(load_config("training/configs/tiny.yaml"), "runs/tiny")
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .config import RunConfig, SFTArguments, from_args, save_config, stage_parser


def make_parser():  # noqa: ANN201 - argparse.ArgumentParser
    return stage_parser("viscoder-train sft", __doc__.split("\n\n")[0], "sft")


def load_tokenizer(args: SFTArguments) -> Any:
    """The tokenizer; ``default`` reads the Qwen2.5 tokenizer from the default GGUF once, then a cached copy."""
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
    """Where the base weights load from: RUN_DIR/sft/base for ``tiny``, the GGUF for ``default``, else as given."""
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


def trainer_config(args: SFTArguments, output: Path) -> Any:
    """TRL ``SFTConfig`` from our arguments (paper recipe lives in the YAML, not here)."""
    import torch
    from trl import SFTConfig

    cuda = torch.cuda.is_available()
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
        bf16=cuda,
        **({"gradient_checkpointing": True} if args.gradient_checkpointing else {}),
        use_cpu=not cuda,
        dataloader_num_workers=0,
        disable_tqdm=False,
    )


def loss_logger(path: Path) -> Any:
    """A callback appending every logged loss to ``train_log.jsonl`` (one JSON object per line)."""
    from transformers import TrainerCallback

    class LossLogger(TrainerCallback):
        def on_log(
            self, args: Any, state: Any, control: Any, logs: dict | None = None, **kwargs: Any
        ) -> None:
            if logs and "loss" in logs and state.is_world_process_zero:
                with open(path, "a") as handle:
                    handle.write(
                        json.dumps(
                            {
                                "step": state.global_step,
                                "epoch": logs.get("epoch"),
                                "loss": logs["loss"],
                                "lr": logs.get("learning_rate"),
                            }
                        )
                        + "\n"
                    )

    return LossLogger()


def plot_loss(log: Path, target: Path) -> Path | None:
    """Training loss against step, as a PNG (for the model card and the notebook)."""
    if not log.is_file():
        return None
    from matplotlib.figure import Figure  # no pyplot: the user's kernel keeps its own backend

    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.plot([r["step"] for r in rows], [r["loss"] for r in rows], marker=".")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (answer tokens)")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(target, dpi=100)
    return target


def train(config: RunConfig, out: str | Path) -> Path:
    """Fine-tune into RUN_DIR/sft; returns the final adapter (or full model) folder."""
    from transformers.trainer_utils import get_last_checkpoint
    from trl import SFTTrainer

    args, run_dir = config.sft, Path(out)
    tokenizer = load_tokenizer(args)
    base = base_path(args, run_dir)
    if args.base == "tiny" and not (Path(base) / "config.json").is_file():
        build_tiny(args, tokenizer, Path(base))
    model = load_model(base, qlora=args.method == "qlora")
    output = run_dir / "sft"
    trainer = SFTTrainer(
        model=model,
        args=trainer_config(args, output),
        train_dataset=load_examples(run_dir, args.max_examples),
        processing_class=tokenizer,
        peft_config=None if args.method == "full" else lora_config(args),
        callbacks=[loss_logger(run_dir / "train_log.jsonl")],
    )
    last = get_last_checkpoint(str(output)) if args.resume and output.is_dir() else None
    if last is None:
        (run_dir / "train_log.jsonl").unlink(missing_ok=True)
    trainer.train(resume_from_checkpoint=last)
    final = output / "final"
    trainer.save_model(str(final))
    tokenizer.save_pretrained(final)
    (final / "base.json").write_text(json.dumps({"base": base, "method": args.method}) + "\n")
    save_config(config, final)
    plot_loss(run_dir / "train_log.jsonl", run_dir / "loss.png")
    return final


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the sft stage."""
    parsed = make_parser().parse_args(argv)
    final = train(from_args(parsed), parsed.out)
    print(
        f"sft: {final} (loss log {Path(parsed.out) / 'train_log.jsonl'}, plot {Path(parsed.out) / 'loss.png'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
