"""Loading through llama.cpp on a CPU whose build would use AMX (llama.cpp#20824).

The parameters are llama.cpp's real ctypes structs; no model is loaded here (the
end-to-end tests load the default model through the same path).
"""

from __future__ import annotations

import pytest

raw = pytest.importorskip("llama_cpp.llama_cpp")

from viscoder_magic.backends.llama import weights_kept_plain  # noqa: E402
from viscoder_magic.backends.llama_build import amx_build, main, native_features  # noqa: E402


def test_loads_inside_the_guard_skip_the_extra_buffers() -> None:
    assert raw.llama_model_default_params().use_extra_bufts is True
    with weights_kept_plain(True):
        assert raw.llama_model_default_params().use_extra_bufts is False
    assert raw.llama_model_default_params().use_extra_bufts is True


def test_guard_is_undone_when_the_load_fails() -> None:
    with pytest.raises(RuntimeError), weights_kept_plain(True):
        raise RuntimeError("load failed")
    assert raw.llama_model_default_params().use_extra_bufts is True


def test_inactive_guard_keeps_llama_cpp_defaults() -> None:
    with weights_kept_plain(False):
        assert raw.llama_model_default_params().use_extra_bufts is True


def test_amx_build_is_read_from_the_system_info(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISCODER_LLAMA_REPACK", raising=False)
    monkeypatch.setattr(
        raw, "llama_print_system_info", lambda: b"CPU : AVX2 = 1 | AMX_INT8 = 1 | REPACK = 1 |"
    )
    assert amx_build() is True
    monkeypatch.setattr(
        raw, "llama_print_system_info", lambda: b"CPU : AVX2 = 1 | AMX_INT8 = 0 | REPACK = 1 |"
    )
    assert amx_build() is False


def test_user_can_keep_amx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(raw, "llama_print_system_info", lambda: b"AMX_INT8 = 1")
    monkeypatch.setenv("VISCODER_LLAMA_REPACK", "1")
    assert amx_build() is False


# What set-up sees: an AVX2 build (this project's own on x86-64), then native builds from pip's cache.
PORTABLE = (
    b"CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | LLAMAFILE = 1 | REPACK = 1 | "
)
SAPPHIRE_RAPIDS = PORTABLE + b"AVX512 = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | AMX_INT8 = 1 | "
ZEN4 = PORTABLE + b"AVX_VNNI = 0 | AVX512 = 1 | AVX512_VBMI = 1 | AMX_INT8 = 0 | "


@pytest.mark.parametrize(
    ("info", "native"),
    [
        (PORTABLE, []),
        (SAPPHIRE_RAPIDS, ["AMX_INT8", "AVX512", "AVX512_BF16", "AVX512_VNNI"]),
        (ZEN4, ["AVX512", "AVX512_VBMI"]),
    ],
    ids=["avx2", "sapphire-rapids", "zen4"],
)
def test_a_native_build_is_told_from_the_portable_one(
    monkeypatch, capsys, info: bytes, native: list[str]
) -> None:
    monkeypatch.setattr(raw, "llama_print_system_info", lambda: info)
    assert native_features() == native
    assert main(["--native"]) == (0 if native else 1)
    printed = capsys.readouterr().out
    assert all(name in printed for name in native) and bool(printed) == bool(native)


def test_the_installed_build_is_the_portable_one_on_x86_64() -> None:
    """Set-up's own build: if pip's cache slipped a native wheel in, set-up failed to replace it."""
    import platform

    if platform.machine() != "x86_64":
        pytest.skip("set-up builds natively off x86-64")
    assert native_features() == []
