"""Tensor shapes from a GGUF header, to check an adapter against its base before llama.cpp sees it.

The llama.cpp build we ship loads an adapter whose shapes do not fit the base without an
error (its path loader ignores the failure of the loader it wraps) and then crashes the
process on the first decode, which kills the kernel. So the shapes are compared here,
in Python, from the files' headers alone (no tensor data is read; no ``gguf`` package
needed at run time). Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

#: GGUF value type -> struct format of a scalar of that type (8 is a string, 9 an array).
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


def _read(handle: BinaryIO, fmt: str) -> int:
    size = struct.calcsize("<" + fmt)
    return struct.unpack("<" + fmt, handle.read(size))[0]


def _skip_value(handle: BinaryIO, kind: int) -> None:
    if kind == _STRING:
        handle.seek(_read(handle, "Q"), 1)
    elif kind == _ARRAY:
        inner, count = _read(handle, "I"), _read(handle, "Q")
        if inner in _SCALARS:
            handle.seek(count * struct.calcsize("<" + _SCALARS[inner]), 1)
        else:
            for _ in range(count):
                _skip_value(handle, inner)
    elif kind in _SCALARS:
        handle.seek(struct.calcsize("<" + _SCALARS[kind]), 1)
    else:
        raise ValueError(f"unknown GGUF value type {kind}")


def tensor_shapes(path: Path | str) -> dict[str, tuple[int, ...]]:
    """Tensor name -> ggml shape (ne[0] first) of the GGUF at ``path``; ValueError if it is none."""
    with open(path, "rb") as handle:
        if handle.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file")
        _read(handle, "I")  # version
        n_tensors, n_kv = _read(handle, "Q"), _read(handle, "Q")
        for _ in range(n_kv):
            handle.seek(_read(handle, "Q"), 1)  # key
            _skip_value(handle, _read(handle, "I"))
        shapes = {}
        for _ in range(n_tensors):
            name = handle.read(_read(handle, "Q")).decode("utf-8")
            dims = tuple(_read(handle, "Q") for _ in range(_read(handle, "I")))
            handle.seek(4 + 8, 1)  # type, offset
            shapes[name] = dims
    return shapes


def adapter_misfit(base: Path | str, adapter: Path | str) -> str | None:
    """Why ``adapter`` cannot load over ``base`` (llama.cpp's own shape rules), or None when it fits."""
    model, lora = tensor_shapes(base), tensor_shapes(adapter)
    for name, a_shape in sorted(lora.items()):
        if not name.endswith(".lora_a"):
            continue
        target = name.removesuffix(".lora_a")
        b_shape = lora.get(target + ".lora_b")
        if b_shape is None:
            return f"'{target}' has no lora_b"
        if target not in model:
            return f"the base has no tensor '{target}'"
        if len(a_shape) != 2 or len(b_shape) != 2 or a_shape[1] != b_shape[0]:
            return f"'{target}' has lora_a {a_shape} and lora_b {b_shape}, which do not chain"
        if target.startswith("token_embd"):
            continue  # llama.cpp stores embedding adapters flipped; none of ours adapt the embeddings
        if (a_shape[0], b_shape[1]) != model[target][:2]:
            return (
                f"'{target}' is {model[target][:2]} in the base but {(a_shape[0], b_shape[1])} in the adapter"
            )
    return None
