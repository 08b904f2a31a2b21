"""Loading through llama.cpp on a CPU whose build would use AMX (llama.cpp#20824).

The parameters are llama.cpp's real ctypes structs; no model is loaded here (the
end-to-end tests load the default model through the same path).
"""

from __future__ import annotations

import pytest

raw = pytest.importorskip("llama_cpp.llama_cpp")

from viscoder_magic.backends.llama import amx_build, weights_kept_plain  # noqa: E402


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
    monkeypatch.setattr(raw, "llama_print_system_info", lambda: b"CPU : AVX2 = 1 | AMX_INT8 = 1 | REPACK = 1 |")
    assert amx_build() is True
    monkeypatch.setattr(raw, "llama_print_system_info", lambda: b"CPU : AVX2 = 1 | AMX_INT8 = 0 | REPACK = 1 |")
    assert amx_build() is False


def test_user_can_keep_amx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(raw, "llama_print_system_info", lambda: b"AMX_INT8 = 1")
    monkeypatch.setenv("VISCODER_LLAMA_REPACK", "1")
    assert amx_build() is False
