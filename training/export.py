"""``viscoder-train export``: a LoRA adapter GGUF over the base, or a merged model and quantized GGUF.

A LoRA trained over a GGUF base (the magic's default) is exported as a llama.cpp
adapter (``export_adapter.py``): llama.cpp loads it over the unchanged base, so the
trained model shares the base's quantized weights and ships as a few MB. A full
fine-tune, a base that is no GGUF (``tiny``, a hub id), or ``--merged`` (for the hub
and vLLM) merges instead.

Adapter layout (``--model RUN_DIR`` loads the base named in export.json plus the adapter)::

    RUN_DIR/<name>.lora.gguf   llama.cpp LoRA adapter, F16 (the only .gguf at the top)
    RUN_DIR/export.json        {"format": "adapter", "gguf", "base", ...}
    RUN_DIR/MODEL_CARD.md      data, training and eval figures

Merged layout (what ``%%viscode --model`` and ``%viscode models`` read)::

    RUN_DIR/<name>.gguf     quantized for llama.cpp (the only .gguf at the top)
    RUN_DIR/MODEL_CARD.md   data, training and eval figures
    RUN_DIR/hf/             merged transformers model + tokenizer + config.yaml (vLLM, bitsandbytes)

The GGUF is written with the ``gguf`` package (llama.cpp's writer, its HF->GGUF
tensor-name map, ``BpeVocab`` and ``SpecialVocab`` for the tokenizer and chat
template) as F16, then quantized by llama.cpp's own ``llama_model_quantize``
through llama-cpp-python. ``quant: auto`` picks Q4_K_M when the hidden size is a
multiple of 256 (k-quant blocks fit every matrix) and Q8_0 otherwise; naming
Q4_K_M explicitly lets llama.cpp fall back per tensor, as the published 0.5B does.

Run::

    viscoder-train export --config training/configs/tiny.yaml --out runs/tiny
    python -c "from llama_cpp import Llama; Llama('runs/tiny/tiny.gguf')"
    viscoder-train export --config training/configs/qwen0.5b-lora.yaml --out runs/q05   # adapter
    viscoder-train export --config training/configs/qwen0.5b-lora.yaml --out runs/q05 --merged
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .config import RunConfig, from_args, save_config, stage_parser

QUANT_TYPES = {"Q4_K_M": "LLAMA_FTYPE_MOSTLY_Q4_K_M", "Q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0", "F16": None}


def make_parser():  # noqa: ANN201 - argparse.ArgumentParser
    parser = stage_parser("viscoder-train export", __doc__.split("\n\n")[0], "export")
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--merged",
        dest="form",
        action="store_const",
        const="merged",
        help="Merge the LoRA and write hf/ and a re-quantised GGUF (hub, vLLM) instead of an adapter.",
    )
    form.add_argument(
        "--adapter",
        dest="form",
        action="store_const",
        const="adapter",
        help="Write a llama.cpp LoRA adapter over the GGUF base (the default when the base is a GGUF).",
    )
    return parser


def trained_info(run_dir: Path) -> dict[str, str]:
    """RUN_DIR/sft/final/base.json: the training method and the base it started from."""
    final = run_dir / "sft" / "final"
    if not (final / "base.json").is_file():
        raise VisCodeError(
            f"No trained model in {final}. Run `viscoder-train sft --config ... --out {run_dir}` first."
        )
    return json.loads((final / "base.json").read_text())


def adapter_base(config: RunConfig, info: dict[str, str]) -> str | None:
    """What the adapter loads over: a registry name, else the base GGUF's path; None when no GGUF base."""
    from viscoder_magic.models import base_name

    if info["method"] == "full" or not str(info["base"]).endswith(".gguf"):
        return None
    return base_name(config.sft.base) or str(Path(info["base"]).resolve())


def export_adapter(config: RunConfig, run_dir: Path, base: str) -> Path:
    """RUN_DIR/<name>.lora.gguf over ``base``, export.json and MODEL_CARD.md; returns the adapter."""
    from .export_adapter import SUFFIX, peft_to_gguf

    for stale in run_dir.glob("*.gguf"):  # keep exactly one GGUF at the top, for `--model RUN_DIR`
        stale.unlink()
    target = peft_to_gguf(run_dir / "sft" / "final", run_dir / f"{config.name}{SUFFIX}", name=config.name)
    form = "LoRA adapter (F16)"
    info = {"format": "adapter", "gguf": target.name, "quant": form, "base": base}
    (run_dir / "export.json").write_text(json.dumps(info) + "\n")
    write_model_card(run_dir, config, target, form)
    return target


def merge(run_dir: Path) -> Path:
    """RUN_DIR/hf: the trained weights merged into the base, with tokenizer."""
    import torch
    from transformers import AutoTokenizer

    from .sft import load_model

    final = run_dir / "sft" / "final"
    info = trained_info(run_dir)
    if info["method"] == "full":
        model = load_model(str(final))
    else:
        from peft import PeftModel

        model = PeftModel.from_pretrained(load_model(info["base"]), str(final)).merge_and_unload()
    target = run_dir / "hf"
    model.to(
        torch.bfloat16 if model.dtype == torch.bfloat16 else torch.float16
    )  # halves the folder; GGUF is F16 anyway
    model.save_pretrained(target)
    AutoTokenizer.from_pretrained(final).save_pretrained(target)
    return target


def choose_quant(requested: str, hidden_size: int) -> str:
    """The quantization to write: ``auto`` -> Q4_K_M when k-quant blocks (256) fit, else Q8_0."""
    if requested == "auto":
        return "Q4_K_M" if hidden_size % 256 == 0 else "Q8_0"
    if requested not in QUANT_TYPES:
        raise VisCodeError(f"Unknown export.quant '{requested}'. Use auto, {', '.join(QUANT_TYPES)}.")
    return requested


def _vocab(writer: Any, hf_dir: Path, n_vocab: int) -> None:
    """Tokens, types, merges, special ids and chat template, from the saved tokenizer."""
    import gguf

    vocab = gguf.vocab.BpeVocab(hf_dir)
    # A tokenizer read from a GGUF keeps its special tokens inside the main vocab, where
    # BpeVocab calls them NORMAL; llama.cpp would then split "<|im_start|>" into pieces.
    added = json.loads((hf_dir / "tokenizer.json").read_text(encoding="utf-8")).get("added_tokens", [])
    special = {
        t["content"]: gguf.TokenType.CONTROL if t.get("special") else gguf.TokenType.USER_DEFINED
        for t in added
    }
    tokens, types = [], []
    for text, _score, kind in vocab.all_tokens():
        token = text if isinstance(text, bytes) else str(text).encode()
        tokens.append(token)
        types.append(special.get(token.decode("utf-8", "replace"), kind))
    for index in range(len(tokens), n_vocab):  # the embedding matrix is padded past the tokenizer
        tokens.append(f"[PAD{index}]".encode())
        types.append(gguf.TokenType.UNUSED)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens[:n_vocab])
    writer.add_token_types(types[:n_vocab])
    gguf.SpecialVocab(hf_dir, load_merges=True, n_vocab=n_vocab).add_to_gguf(writer)


def write_gguf(hf_dir: Path, target: Path, name: str) -> Path:
    """An F16 GGUF of a Qwen2-architecture HF folder (norms and biases stay F32)."""
    import gguf
    import numpy as np
    from safetensors.torch import load_file

    config = json.loads((hf_dir / "config.json").read_text())
    if config.get("model_type") != "qwen2":
        raise VisCodeError(
            f"Export writes Qwen2-architecture models; {hf_dir} is '{config.get('model_type')}'. "
            "Use llama.cpp's convert_hf_to_gguf.py on RUN_DIR/hf for other architectures."
        )
    layers = config["num_hidden_layers"]
    writer = gguf.GGUFWriter(str(target), "qwen2")
    writer.add_name(name)
    writer.add_context_length(config.get("max_position_embeddings", 32768))
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(layers)
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_head_count_kv(config["num_key_value_heads"])
    writer.add_rope_freq_base(
        float(config.get("rope_theta") or config.get("rope_parameters", {}).get("rope_theta", 1e6))
    )
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    _vocab(writer, hf_dir, config["vocab_size"])
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.QWEN2, layers)
    for shard in sorted(hf_dir.glob("*.safetensors")):
        for key, tensor in load_file(shard).items():
            if key == "lm_head.weight" and config.get("tie_word_embeddings", False):
                continue
            mapped = names.get_name(key, try_suffixes=(".weight", ".bias"))
            if mapped is None:
                raise VisCodeError(
                    f"No GGUF name for tensor '{key}' of {hf_dir}; the model is not a plain Qwen2."
                )
            data = tensor.float().numpy()
            writer.add_tensor(mapped, data.astype(np.float16 if data.ndim == 2 else np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return target


@contextlib.contextmanager
def _quiet_llama_cpp() -> Iterator[None]:
    """Errors only from llama.cpp's log while quantizing.

    llama-cpp-python routes llama.cpp's log through the ``llama-cpp-python`` logger and prints
    every line at its level; the quantizer logs one line per tensor, hundreds in a notebook cell.
    """
    import llama_cpp.llama  # noqa: F401 - installs llama-cpp-python's log callback

    logger = logging.getLogger("llama-cpp-python")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def quantize(source: Path, target: Path, quant: str) -> Path:
    """llama.cpp's quantizer (``llama_model_quantize``) from F16 to ``quant``."""
    if QUANT_TYPES[quant] is None:
        shutil.copyfile(source, target)
        return target
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, QUANT_TYPES[quant])
    params.nthread = 2
    with _quiet_llama_cpp():
        status = llama_cpp.llama_model_quantize(
            str(source).encode(), str(target).encode(), ctypes.byref(params)
        )
    if status != 0:
        raise VisCodeError(
            f"llama.cpp could not quantize {source} to {quant} (status {status}). Try export.quant: Q8_0."
        )
    return target


def loss_summary(run_dir: Path) -> tuple[float, float, int] | None:
    """(first loss, last loss, steps) from RUN_DIR/train_log.jsonl."""
    log = run_dir / "train_log.jsonl"
    rows = (
        [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.is_file() else []
    )
    return (rows[0]["loss"], rows[-1]["loss"], rows[-1]["step"]) if rows else None


def _files_lines(run_dir: Path, gguf_path: Path | None, quant: str) -> list[str]:
    """The card's file list: an adapter run has no hf/ folder, a merged run has one."""
    name = gguf_path.name if gguf_path else "-"
    lines = [f"- `{name}`: llama.cpp GGUF, {quant} (`%%viscode --model {run_dir / name}`)"]
    if gguf_path is not None and gguf_path.name.endswith(".lora.gguf"):
        lines.append("- `export.json`: names the base GGUF the adapter loads over")
    else:
        lines.append(
            "- `hf/`: merged transformers model and tokenizer (`config.yaml` is the resolved run config)"
        )
    return [*lines, "- `sft/final/`: the adapter (or full weights) as trained"]


def write_model_card(run_dir: Path, config: RunConfig, gguf_path: Path | None, quant: str) -> Path:
    """RUN_DIR/MODEL_CARD.md: base, method, data counts, loss, files, and eval figures when present."""
    stats_file = run_dir / "data" / "stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.is_file() else {}
    loss = loss_summary(run_dir)
    lines = [
        f"# {config.name}",
        "",
        f"Fine-tuned from `{config.sft.base}` with {config.sft.method} on VisCode-style data "
        "(execution-validated plotting programs in the `%%viscode` prompt format plus repair dialogues).",
        "",
        "## Files",
        "",
        *_files_lines(run_dir, gguf_path, quant),
        "",
        "## Data",
        "",
    ]
    lines += [
        f"- records: {stats.get('records', '?')}; by source {stats.get('by_source', {})}",
        f"- by library {stats.get('by_lib', {})}",
        "- see `data/DATA_CARD.md`",
        "",
        "## Training",
        "",
    ]
    if loss:
        lines.append(
            f"- {loss[2]} steps; loss {loss[0]:.3f} -> {loss[1]:.3f} (answer tokens only); plot `loss.png`"
        )
    s = config.sft
    lines += [
        f"- lr {s.learning_rate}, {s.lr_scheduler}, warmup {s.warmup_ratio}, epochs {s.epochs}, "
        f"max_steps {s.max_steps}, batch {s.batch_size}x{s.grad_accum}, max_length {s.max_length}",
        "",
    ]
    comparison = run_dir / "eval_comparison.md"
    lines += [
        "## Evaluation",
        "",
        comparison.read_text() if comparison.is_file() else "Not evaluated yet (`viscoder-train eval`).",
        "",
    ]
    target = run_dir / "MODEL_CARD.md"
    target.write_text("\n".join(lines))
    return target


def export(config: RunConfig, out: str | Path, form: str | None = None) -> Path:
    """The adapter (``form`` "adapter", the default over a GGUF base) or the merged export.

    ``None`` picks: an adapter when a LoRA was trained over a GGUF base, since only then is
    there a quantized base to share; else the merged model.
    """
    run_dir = Path(out)
    if config.export.format not in ("auto", "adapter", "merged"):
        raise VisCodeError(
            f"export.format is {config.export.format!r}; use auto, adapter or merged in the YAML or --set."
        )
    form = form or (None if config.export.format == "auto" else config.export.format)
    base = adapter_base(config, trained_info(run_dir))
    if form == "adapter" and base is None:
        raise VisCodeError(
            f"The model in {run_dir / 'sft' / 'final'} was not trained as a LoRA over a GGUF base "
            "(sft.base: default, a registry name or a .gguf), so there is no quantized base for an "
            "adapter to load over. Export it merged: `viscoder-train export --merged`."
        )
    if base is not None and form != "merged":
        return export_adapter(config, run_dir, base)
    return export_merged(config, run_dir)


def export_merged(config: RunConfig, run_dir: Path) -> Path:
    """Merge, save RUN_DIR/hf, write RUN_DIR/<name>.gguf and MODEL_CARD.md; returns the GGUF path."""
    hf_dir = merge(run_dir)
    save_config(config, hf_dir)
    hidden = json.loads((hf_dir / "config.json").read_text())["hidden_size"]
    quant = choose_quant(config.export.quant, hidden)
    f16 = write_gguf(hf_dir, hf_dir / f"{config.name}-f16.gguf.tmp", config.name)
    for stale in run_dir.glob("*.gguf"):  # keep exactly one GGUF at the top, for `--model RUN_DIR`
        stale.unlink()
    target = quantize(f16, run_dir / f"{config.name}.gguf", quant)
    if config.export.keep_f16:
        f16.rename(hf_dir / f"{config.name}-f16.gguf")
    else:
        f16.unlink()
    info = {"format": "merged", "gguf": target.name, "quant": quant, "hf": "hf"}
    (run_dir / "export.json").write_text(json.dumps(info) + "\n")
    write_model_card(run_dir, config, target, quant)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the export stage."""
    parsed = make_parser().parse_args(argv)
    target = export(from_args(parsed), parsed.out, getattr(parsed, "form", None))
    info = json.loads((target.parent / "export.json").read_text())
    extra = f"over {info['base']}" if info["format"] == "adapter" else f"HF folder {target.parent / 'hf'}"
    print(f"export: {target} ({info['quant']}); {extra}; card {target.parent / 'MODEL_CARD.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
