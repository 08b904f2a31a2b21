"""Adapter-vs-base shape check from GGUF headers (llama.cpp would load a misfit and crash on decode)."""

from __future__ import annotations

from pathlib import Path

import pytest

gguf = pytest.importorskip("gguf")
np = pytest.importorskip("numpy")

from viscoder_magic.backends.gguf_shapes import adapter_misfit, tensor_shapes  # noqa: E402


def write(path: Path, tensors: dict[str, tuple[int, ...]], **strings: str) -> Path:
    """A GGUF with zero tensors of the given numpy shapes, and some metadata to skip over."""
    writer = gguf.GGUFWriter(str(path), "qwen2")
    writer.add_token_list([b"a", b"bc"])  # an array of strings, as a real base has
    writer.add_float32("x.f", 1.5)
    for key, value in strings.items():
        writer.add_string(key, value)
    for name, shape in tensors.items():
        writer.add_tensor(name, np.zeros(shape, dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    # numpy (out, in) is ggml ne (in, out)
    return write(tmp_path / "base.gguf", {"blk.0.attn_q.weight": (8, 16), "blk.0.ffn_down.weight": (16, 32)})


def test_shapes_are_read_in_ggml_order_past_the_metadata(base: Path) -> None:
    assert tensor_shapes(base) == {"blk.0.attn_q.weight": (16, 8), "blk.0.ffn_down.weight": (32, 16)}


def test_fitting_adapter_passes(base: Path, tmp_path: Path) -> None:
    adapter = {"blk.0.ffn_down.weight.lora_a": (2, 32), "blk.0.ffn_down.weight.lora_b": (16, 2)}
    assert adapter_misfit(base, write(tmp_path / "a.gguf", adapter, **{"general.type": "adapter"})) is None


@pytest.mark.parametrize(
    ("tensors", "phrase"),
    [
        ({"blk.0.attn_q.weight.lora_a": (2, 16), "blk.0.attn_q.weight.lora_b": (16, 2)}, "in the base"),
        ({"blk.0.attn_q.weight.lora_a": (2, 8), "blk.0.attn_q.weight.lora_b": (8, 2)}, "in the base"),
        ({"blk.0.attn_k.weight.lora_a": (2, 16), "blk.0.attn_k.weight.lora_b": (4, 2)}, "no tensor"),
        ({"blk.0.attn_q.weight.lora_a": (2, 16), "blk.0.attn_q.weight.lora_b": (8, 3)}, "do not chain"),
        ({"blk.0.attn_q.weight.lora_a": (2, 16)}, "no lora_b"),
    ],
)
def test_misfits_are_named(base: Path, tmp_path: Path, tensors: dict, phrase: str) -> None:
    assert phrase in (adapter_misfit(base, write(tmp_path / "a.gguf", tensors)) or "")


def test_a_file_that_is_no_gguf_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.gguf").write_bytes(b"not a gguf at all")
    with pytest.raises(ValueError, match="not a GGUF"):
        tensor_shapes(tmp_path / "x.gguf")
