"""A LoRA adapter GGUF exported by training/ loads over the real default base in llama.cpp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp")
torch = pytest.importorskip("torch")
pytest.importorskip("gguf")

from training.export_adapter import peft_to_gguf  # noqa: E402
from viscoder_magic.backends.base import GenerationParams  # noqa: E402
from viscoder_magic.backends.llama import LlamaCppBackend  # noqa: E402
from viscoder_magic.errors import VisCodeError  # noqa: E402
from viscoder_magic.models import resolve  # noqa: E402

pytestmark = pytest.mark.e2e

#: Qwen2.5-Coder-0.5B: hidden size, MLP size, layers.
HIDDEN, INTER, LAYERS = 896, 4864, 24
MESSAGES = [{"role": "user", "content": "Write one line of Python that prints hello."}]
GREEDY = GenerationParams(max_tokens=8, temperature=0.0)


def tiny_adapter(folder: Path, *, hidden: int = HIDDEN, inter: int = INTER, layers: int = LAYERS) -> Path:
    """A rank-2 LoRA on every o_proj and down_proj, B large enough to change the greedy reply."""
    from safetensors.torch import save_file

    torch.manual_seed(0)
    tensors = {}
    for layer in range(layers):
        for module, (out, inp) in {
            "self_attn.o_proj": (hidden, hidden),
            "mlp.down_proj": (hidden, inter),
        }.items():
            key = f"base_model.model.model.layers.{layer}.{module}"
            tensors[f"{key}.lora_A.weight"] = torch.randn(2, inp) / inp**0.5
            tensors[f"{key}.lora_B.weight"] = torch.randn(out, 2) * 0.2
    folder.mkdir(parents=True)
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": 2, "lora_alpha": 4}))
    return peft_to_gguf(folder, folder.parent / f"{folder.name}.lora.gguf")


def test_adapter_changes_the_base_reply_on_both_decoding_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    adapter = tiny_adapter(tmp_path / "tiny")
    assert adapter.stat().st_size < 1_000_000  # rank 2: a few hundred KB
    base_path = resolve("default")
    base = LlamaCppBackend(base_path, n_ctx=512, n_threads=2)
    try:
        plain = base.generate(MESSAGES, GREEDY)
    finally:
        base.close()
    capsys.readouterr()
    tuned = LlamaCppBackend(base_path, n_ctx=512, n_threads=2, adapter=adapter)
    try:
        assert (
            "lora" not in capsys.readouterr().err.lower()
        )  # llama.cpp's per-matrix warnings stay out of the cell
        assert tuned.description == f"llama.cpp: {base_path.name} + tiny.lora.gguf"
        reply = tuned.generate(MESSAGES, GREEDY)
        assert reply.tokens >= 1
        assert reply.text != plain.text
        if tuned.batches:  # the batch context must carry the adapter too
            assert tuned.generate_many(MESSAGES, [GREEDY, GREEDY])[0].text == reply.text
    finally:
        tuned.close()


def test_adapter_for_another_model_is_one_paragraph(tmp_path: Path) -> None:
    adapter = tiny_adapter(tmp_path / "small", hidden=16, inter=32, layers=1)
    with pytest.raises(VisCodeError, match="could not apply the adapter"):
        LlamaCppBackend(resolve("default"), n_ctx=256, n_threads=2, adapter=adapter)
