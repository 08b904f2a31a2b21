"""Which number format SFT computes in, and why, from the device the run lands on.

bf16 autocast only pays on a CPU with native bf16 matrix instructions (AMX tiles or
AVX512-BF16); elsewhere PyTorch emulates bf16 and runs slower than fp32, so those CPUs
train in fp32. On CUDA the GPU decides: bf16 where it supports it, else fp32. The
choice and its reason are logged and written to metrics.json, because a run that
silently picked the slow path wastes hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from viscoder_magic.errors import VisCodeError

#: /proc/cpuinfo flags that mean the CPU multiplies bf16 natively.
BF16_FLAGS = ("amx_bf16", "amx_tile", "avx512_bf16")
CHOICES = ("auto", "bf16", "fp32")


@dataclass(frozen=True)
class Precision:
    """The chosen format: ``bf16`` autocast or ``fp32``, on ``cuda`` or ``cpu``, with the reason."""

    dtype: str
    device: str
    reason: str

    @property
    def bf16(self) -> bool:
        return self.dtype == "bf16"


def cpu_flags(cpuinfo: str) -> set[str]:
    """The feature flags of the first CPU listed in a /proc/cpuinfo text (empty when there are none)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def read_cpuinfo(path: str | Path = "/proc/cpuinfo") -> str:
    """The cpuinfo text, or '' where there is none (macOS, Windows): those CPUs then train in fp32."""
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def choose_precision(requested: str, *, cuda: bool, cuda_bf16: bool, cpuinfo: str) -> Precision:
    """``auto`` picks bf16 where the hardware runs it natively; ``bf16``/``fp32`` force a format."""
    if requested not in CHOICES:
        raise VisCodeError(
            f"sft.precision must be one of {', '.join(CHOICES)}, got {requested!r}. "
            "Use auto to let the hardware decide."
        )
    device = "cuda" if cuda else "cpu"
    if requested != "auto":
        return Precision(requested, device, f"sft.precision: {requested} (forced)")
    if cuda:
        if cuda_bf16:
            return Precision("bf16", device, "CUDA GPU supports bf16")
        return Precision("fp32", device, "CUDA GPU without bf16 support")
    native = [flag for flag in BF16_FLAGS if flag in cpu_flags(cpuinfo)]
    if native:
        return Precision("bf16", device, f"CPU has native bf16 ({', '.join(native)})")
    return Precision(
        "fp32", device, "CPU lacks amx_bf16/amx_tile/avx512_bf16: bf16 would be emulated, slower"
    )


def detect(requested: str) -> Precision:
    """:func:`choose_precision` for this machine."""
    import torch

    cuda = torch.cuda.is_available()
    return choose_precision(
        requested,
        cuda=cuda,
        cuda_bf16=cuda and torch.cuda.is_bf16_supported(),
        cpuinfo="" if cuda else read_cpuinfo(),
    )
