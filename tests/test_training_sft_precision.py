"""sft precision: bf16 autocast only where the hardware multiplies bf16 natively."""

from __future__ import annotations

import pytest

from training.sft_precision import choose_precision, cpu_flags, read_cpuinfo
from viscoder_magic.errors import VisCodeError

EPYC = (
    "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n\nprocessor\t: "
    "1\nflags\t\t: fpu\n"
)
SAPPHIRE = "flags\t\t: avx2 avx512f amx_bf16 amx_tile amx_int8\n"
HASWELL = "flags\t\t: fpu sse2 avx avx2 fma\n"


def test_cpu_flags_reads_the_first_cpu() -> None:
    assert {"avx512_bf16", "avx2"} <= cpu_flags(EPYC) and "fpu" in cpu_flags(EPYC)
    assert cpu_flags("") == set()


@pytest.mark.parametrize(
    ("cpuinfo", "dtype", "because"),
    [
        (EPYC, "bf16", "avx512_bf16"),
        (SAPPHIRE, "bf16", "amx_bf16, amx_tile"),
        (HASWELL, "fp32", "emulated"),
        ("", "fp32", "lacks"),
    ],
)
def test_auto_on_cpu_follows_the_flags(cpuinfo: str, dtype: str, because: str) -> None:
    chosen = choose_precision("auto", cuda=False, cuda_bf16=False, cpuinfo=cpuinfo)
    assert (chosen.dtype, chosen.device, chosen.bf16) == (dtype, "cpu", dtype == "bf16")
    assert because in chosen.reason


def test_cuda_keeps_the_gpu_path_whatever_the_cpu() -> None:
    assert choose_precision("auto", cuda=True, cuda_bf16=True, cpuinfo=HASWELL).dtype == "bf16"
    old_gpu = choose_precision("auto", cuda=True, cuda_bf16=False, cpuinfo=SAPPHIRE)
    assert (old_gpu.dtype, old_gpu.device) == ("fp32", "cuda")


def test_forced_and_unknown_choices() -> None:
    assert choose_precision("fp32", cuda=False, cuda_bf16=False, cpuinfo=EPYC).dtype == "fp32"
    assert choose_precision("bf16", cuda=False, cuda_bf16=False, cpuinfo=HASWELL).reason.endswith("(forced)")
    with pytest.raises(VisCodeError, match="sft.precision must be one of auto, bf16, fp32"):
        choose_precision("fp16", cuda=False, cuda_bf16=False, cpuinfo="")


def test_missing_cpuinfo_reads_as_empty(tmp_path) -> None:
    assert read_cpuinfo(tmp_path / "absent") == ""
