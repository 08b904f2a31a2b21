"""A PEFT LoRA folder as a llama.cpp LoRA adapter GGUF, loaded over the unchanged base GGUF.

The trained model then shares the base's quantized weights instead of shipping a
re-quantised merged copy: the adapter is a few MB to tens of MB, and llama.cpp adds
``scale * (alpha / r) * B @ A @ x`` beside each adapted matrix at run time
(``Llama(lora_path=...)``), which is what PEFT computes. Quantizing the merged
weights would instead round the small LoRA update into Q4 blocks.

The file follows llama.cpp's ``convert_lora_to_gguf.py``: ``general.type`` "adapter",
``adapter.type`` "lora", ``adapter.lora.alpha``, and for each adapted matrix two tensors
named after the base tensor (``blk.{i}.attn_q.weight.lora_a`` / ``.lora_b``), stored as
PEFT stores them: A is (r, in), B is (out, r), so in ggml's reversed order A's ne[0]
and B's ne[1] match the base matrix, as llama.cpp checks on load.

Run::

    python -m training.export_adapter RUN_DIR/sft/final RUN_DIR/viscoder.lora.gguf
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

#: Suffix of exported adapters: ``<name>.lora.gguf`` is never mistaken for a whole model.
SUFFIX = ".lora.gguf"
#: PEFT tensor key -> (base tensor key, which half).
_KEY = re.compile(r"^(?:base_model\.model\.)?(?P<base>.+)\.lora_(?P<half>[AB])\.weight$")
_LAYER = re.compile(r"\.layers\.(\d+)\.")
#: Settings PEFT may save that one GGUF alpha cannot express.
_UNSUPPORTED = ("use_dora", "alpha_pattern", "modules_to_save", "layer_replication")
DTYPES = ("f16", "f32")


def read_config(adapter_dir: Path) -> dict[str, Any]:
    """adapter_config.json, refusing what a llama.cpp LoRA adapter cannot carry."""
    path = adapter_dir / "adapter_config.json"
    if not path.is_file() or not (adapter_dir / "adapter_model.safetensors").is_file():
        raise VisCodeError(
            f"{adapter_dir} is not a PEFT adapter folder (adapter_config.json and "
            "adapter_model.safetensors). Train one with `viscoder-train sft` (sft.method: lora) "
            "and pass RUN_DIR/sft/final."
        )
    config = json.loads(path.read_text())
    if config.get("peft_type", "LORA") != "LORA":
        raise VisCodeError(f"{adapter_dir} holds a {config['peft_type']} adapter; only LoRA converts.")
    bad = [key for key in _UNSUPPORTED if config.get(key)]
    if bad:
        raise VisCodeError(
            f"The adapter in {adapter_dir} uses {', '.join(bad)}, which a llama.cpp LoRA adapter "
            "cannot express. Retrain without them, or export the merged model instead "
            "(`viscoder-train export --merged`)."
        )
    return config


def gguf_alpha(config: dict[str, Any], rank: int) -> float:
    """The alpha llama.cpp needs to apply PEFT's scale: llama.cpp always divides by r.

    rsLoRA scales by ``alpha / sqrt(r)``, so its alpha is written as ``alpha * sqrt(r)``.
    """
    alpha = float(config["lora_alpha"])
    return alpha * math.sqrt(rank) if config.get("use_rslora") else alpha


def pairs(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Base tensor key (``model.layers.0.self_attn.q_proj.weight``) -> {"A": tensor, "B": tensor}."""
    found: dict[str, dict[str, Any]] = {}
    for key, tensor in state.items():
        match = _KEY.match(key)
        if match is None:
            raise VisCodeError(
                f"The adapter holds '{key}', which is not a LoRA A or B matrix (trained embeddings "
                "or saved modules). A llama.cpp adapter carries LoRA matrices only: export the "
                "merged model instead (`viscoder-train export --merged`)."
            )
        found.setdefault(match["base"] + ".weight", {})[match["half"]] = tensor
    incomplete = [key for key, halves in found.items() if len(halves) != 2]
    if incomplete:
        raise VisCodeError(f"The adapter lacks the A or B half of {incomplete[0]}; it is damaged.")
    return found


def gguf_names(keys: Sequence[str], architecture: str = "qwen2") -> dict[str, str]:
    """Base HF tensor key -> llama.cpp tensor name, through gguf's own HF -> GGUF map."""
    import gguf

    arch = {v: k for k, v in gguf.MODEL_ARCH_NAMES.items()}[architecture]
    layers = 1 + max((int(m[1]) for k in keys if (m := _LAYER.search(k))), default=0)
    table = gguf.get_tensor_name_map(arch, layers)
    names = {}
    for key in keys:
        mapped = table.get_name(key, try_suffixes=(".weight",))
        if mapped is None or mapped == "output.weight":
            raise VisCodeError(
                f"The adapter adapts '{key}', which has no llama.cpp {architecture} tensor to add to "
                "(the output layer is tied to the embeddings). Train with LoRA on the decoder's "
                "linear layers (sft.lora_targets: all-linear)."
            )
        names[key] = mapped
    return names


def peft_to_gguf(
    adapter_dir: Path | str, target: Path | str, *, name: str = "adapter", dtype: str = "f16"
) -> Path:
    """Write ``target``: the LoRA in ``adapter_dir`` as a llama.cpp adapter GGUF (F16 or F32)."""
    import gguf
    import numpy as np
    from safetensors.torch import load_file

    adapter_dir, target = Path(adapter_dir), Path(target)
    if dtype not in DTYPES:
        raise VisCodeError(f"Unknown adapter dtype '{dtype}'. Use one of {', '.join(DTYPES)}.")
    config = read_config(adapter_dir)
    matrices = pairs(load_file(adapter_dir / "adapter_model.safetensors"))
    names = gguf_names(list(matrices))
    ranks = {halves["A"].shape[0] for halves in matrices.values()}
    if len(ranks) != 1:
        raise VisCodeError(f"The adapter mixes ranks {sorted(ranks)}; one alpha cannot serve them all.")
    numpy_type = np.float16 if dtype == "f16" else np.float32
    writer = gguf.GGUFWriter(str(target), "qwen2")
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, gguf_alpha(config, ranks.pop()))
    writer.add_name(name)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.ALL_F32)
    for key in sorted(matrices, key=lambda k: names[k]):
        for half in ("A", "B"):
            data = matrices[key][half].float().numpy().astype(numpy_type)
            writer.add_tensor(f"{names[key]}.lora_{half.lower()}", data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return target


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.export_adapter", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("adapter_dir", help="PEFT adapter folder (RUN_DIR/sft/final).")
    parser.add_argument("target", help=f"GGUF file to write (by convention NAME{SUFFIX}).")
    parser.add_argument("--name", default="adapter", help="general.name written into the GGUF.")
    parser.add_argument("--dtype", default="f16", choices=DTYPES, help="Storage type of A and B.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point: one conversion, one line out."""
    parsed = make_parser().parse_args(argv)
    try:
        target = peft_to_gguf(parsed.adapter_dir, parsed.target, name=parsed.name, dtype=parsed.dtype)
    except VisCodeError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"adapter: {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
