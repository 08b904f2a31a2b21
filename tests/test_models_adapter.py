"""Base + adapter models: resolution, the missing-adapter error, the catalogue rows, backend choice."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from viscoder_magic import catalogue, models
from viscoder_magic.backends import llama as llama_backend
from viscoder_magic.backends.base import BackendSpec
from viscoder_magic.backends.hf import resolve_source
from viscoder_magic.backends.registry import choose_kind
from viscoder_magic.errors import VisCodeError

NAME = "viscoder-0.5b"
BASE = "qwen2.5-coder-0.5b"


@pytest.fixture
def adapters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An adapters folder of our own, and a base that is never assembled (no download in tests)."""
    folder = tmp_path / "adapters"
    folder.mkdir()
    monkeypatch.setattr(models, "ADAPTERS_DIR", folder)
    monkeypatch.setattr(models, "ensure_assembled", lambda entry, directory=None: tmp_path / entry.filename)
    return folder


def test_adapter_model_loads_its_base_with_the_packaged_adapter(adapters: Path, tmp_path: Path) -> None:
    (adapters / models.ADAPTER_MODELS[NAME].filename).write_bytes(b"adapter")
    files = models.resolve_files(NAME)
    assert files.model == tmp_path / models.REGISTRY_MODELS[BASE].filename
    assert files.adapter == adapters / "viscoder-0.5b.lora.gguf"
    assert files.scale == 1.0
    assert models.resolve(NAME) == files.model  # what training fine-tunes: the base


def test_plain_base_loads_without_adapter(adapters: Path) -> None:
    assert models.resolve_files(BASE).adapter is None
    assert models.resolve_files("default").adapter is None  # until the trained adapter wins the eval


def test_missing_adapter_is_one_paragraph_naming_the_fix(adapters: Path) -> None:
    with pytest.raises(VisCodeError) as info:
        models.resolve_files(NAME)
    message = str(info.value)
    assert "\n" not in message
    assert "viscoder-0.5b.lora.gguf" in message and f"--model {BASE}" in message
    assert "viscoder-train export" in message


def test_adapter_digest_is_checked_when_listed(adapters: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = models.ADAPTER_MODELS[NAME]
    entry.path.write_bytes(b"adapter")
    good = replace(entry, sha256=hashlib.sha256(b"adapter").hexdigest())
    assert models.ensure_adapter(good) == entry.path
    with pytest.raises(VisCodeError, match="does not match its published sha256"):
        models.ensure_adapter(replace(entry, sha256="0" * 64))


def test_default_switch_makes_default_the_adapter_model(
    adapters: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(models.ALIASES, "default", NAME)
    (adapters / models.ADAPTER_MODELS[NAME].filename).write_bytes(b"adapter")
    assert models.resolve_files("default").adapter is not None
    assert models.base_name("default") == BASE
    assert choose_kind("default", None) == "llama"
    names = [row["name"] for row in catalogue.registry_rows() + catalogue.adapter_rows()]
    assert f"{NAME} (default)" in names and BASE in names


def test_exported_run_adapter_loads_over_the_base_its_export_names(adapters: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    adapter = run_dir / "mine.lora.gguf"
    adapter.write_bytes(b"adapter")
    with pytest.raises(VisCodeError, match="names its base"):
        models.resolve_files(str(adapter))
    (run_dir / "export.json").write_text(
        json.dumps({"format": "adapter", "gguf": adapter.name, "base": BASE})
    )
    for name in (str(adapter), str(run_dir)):
        files = models.resolve_files(name)
        assert files.adapter == adapter and files.model.name == models.REGISTRY_MODELS[BASE].filename


def test_catalogue_lists_base_and_adapter_model_with_presence(adapters: Path) -> None:
    rows = {row["name"]: row for row in catalogue.registry_rows() + catalogue.adapter_rows()}
    assert rows[f"{BASE} (default)"]["backend"] == "llama"
    assert rows[NAME]["present"] == "no (adapter not in this install)"
    assert "adapters/viscoder-0.5b.lora.gguf" in rows[NAME]["source"]
    (adapters / models.ADAPTER_MODELS[NAME].filename).write_bytes(b"adapter")
    assert catalogue.adapter_rows()[0]["present"] in ("yes", "adapter yes; base assembled on first use")
    assert NAME in catalogue.catalogue_text(adapters / "none")


def test_adapter_model_goes_to_llama_cpp_not_transformers() -> None:
    assert choose_kind(NAME, None) == "llama"
    with pytest.raises(VisCodeError, match="only the llama backend"):
        resolve_source(NAME)


def test_llama_loader_passes_the_adapter(adapters: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (adapters / models.ADAPTER_MODELS[NAME].filename).write_bytes(b"adapter")
    seen = {}
    monkeypatch.setattr(llama_backend, "LlamaCppBackend", lambda path, **kw: seen.update(path=path, **kw))
    llama_backend.load(BackendSpec(kind="llama", model=NAME, n_ctx=1024))
    assert seen["adapter"] == adapters / "viscoder-0.5b.lora.gguf"
    assert seen["adapter_scale"] == 1.0 and seen["n_ctx"] == 1024
    llama_backend.load(BackendSpec(kind="llama", model=BASE))
    assert seen["adapter"] is None
