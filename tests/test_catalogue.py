"""``%viscode models``: every kind of entry, checked against what is really on disk.

The caches are temporary folders laid out as the real ones are (a sparse file with
a verification stamp for the registry, ``models--org--name/snapshots`` for the hub,
``RUN_DIR/x.gguf`` and ``RUN_DIR/hf`` for training), so presence and sizes are
read the same way as on a user's machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

from viscoder_magic.backends.registry import choose_kind
from viscoder_magic.catalogue import catalogue_rows, catalogue_text, find_trained, hub_rows, registry_rows
from viscoder_magic.models import REGISTRY_MODELS, hf_cache_dir


def by_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in rows}


def test_registry_presence_follows_the_verified_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rows = by_name(registry_rows())
    assert rows["qwen2.5-coder-0.5b (default)"]["present"] == "no (assembled on first use)"
    assert rows["qwen2.5-coder-0.5b (default)"]["size"] == "491 MB"
    entry = REGISTRY_MODELS["qwen2.5-coder-1.5b"]
    target = tmp_path / "viscoder" / entry.filename
    target.parent.mkdir()
    with open(target, "wb") as handle:  # sparse: the right size without the bytes
        handle.truncate(entry.size)
    assert by_name(registry_rows())["qwen2.5-coder-1.5b"]["present"] == "no (assembled on first use)"
    stat = target.stat()
    target.with_name(target.name + ".verified").write_text(
        f"{entry.sha256} {stat.st_size} {stat.st_mtime_ns}"
    )
    assert by_name(registry_rows())["qwen2.5-coder-1.5b"]["present"] == "yes"


def fake_snapshot(cache: Path, repo_id: str, files: dict[str, int]) -> None:
    """A hub-cache entry as huggingface_hub writes it: blobs, refs, snapshot symlinks."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / ("a" * 40)
    for folder in (repo / "blobs", repo / "refs", snapshot):
        folder.mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text("a" * 40)
    for index, (name, size) in enumerate(files.items()):
        blob = repo / "blobs" / f"{index:064x}"
        blob.write_bytes(b"x" * size)
        os.symlink(os.path.relpath(blob, snapshot), snapshot / name)


def test_hub_entries_are_checked_in_the_hf_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    fake_snapshot(tmp_path, "TIGER-Lab/VisCoder-3B", {"config.json": 100, "model.safetensors": 2_000_000})
    fake_snapshot(tmp_path, "Qwen/Qwen2.5-Coder-7B-Instruct", {"config.json": 100})
    rows = by_name(hub_rows())
    assert set(rows) >= {
        "TIGER-Lab/VisCoder-3B",
        "TIGER-Lab/VisCoder-7B",
        "Qwen/Qwen2.5-Coder-0.5B-Instruct",
        "Qwen/Qwen2.5-Coder-1.5B-Instruct",
    }
    assert rows["TIGER-Lab/VisCoder-3B"]["present"] == "yes (HF cache)"
    assert rows["TIGER-Lab/VisCoder-3B"]["size"] == "2 MB"  # measured, not the catalogue's estimate
    assert rows["Qwen/Qwen2.5-Coder-7B-Instruct"]["present"] == "partial (HF cache)"
    assert rows["TIGER-Lab/VisCoder-7B"]["present"] == "no (download on first use)"
    assert rows["TIGER-Lab/VisCoder-7B"]["size"] == "~15.2 GB bf16"
    assert all(choose_kind(name, None) == "transformers" for name in rows)


def test_hf_cache_is_located_like_huggingface_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_HUB_CACHE", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hf_cache_dir() == tmp_path / "xdg" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert hf_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert hf_cache_dir() == tmp_path / "hub"


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    """What ``viscoder-train export`` leaves behind, plus a stray GGUF and an unfinished run."""
    runs = tmp_path / "runs"
    (runs / "q05" / "hf").mkdir(parents=True)
    (runs / "q05" / "q05.gguf").write_bytes(b"g" * 3_000_000)
    (runs / "q05" / "MODEL_CARD.md").write_text("card")
    (runs / "q05" / "hf" / "config.json").write_text("{}")
    (runs / "q05" / "hf" / "model.safetensors").write_bytes(b"w" * 5_000_000)
    (runs / "unfinished" / "hf").mkdir(parents=True)
    (runs / "unfinished" / "hf" / "config.json").write_text("{}")
    (runs / "empty").mkdir()
    (runs / "loose.gguf").write_bytes(b"g" * 1_000_000)
    return runs


def test_trained_models_are_found_and_measured(models_dir: Path) -> None:
    assert find_trained(models_dir) == [
        models_dir / "loose.gguf",
        models_dir / "q05" / "hf",
        models_dir / "q05" / "q05.gguf",
        models_dir / "unfinished" / "hf",
    ]
    rows = by_name(catalogue_rows(models_dir))
    gguf, folder = rows[str(models_dir / "q05" / "q05.gguf")], rows[str(models_dir / "q05" / "hf")]
    assert (gguf["backend"], gguf["size"], gguf["present"]) == ("llama", "3 MB", "yes")
    assert (folder["backend"], folder["size"], folder["present"]) == ("transformers", "5 MB", "yes")
    assert rows[str(models_dir / "unfinished" / "hf")]["present"] == "incomplete (no weights)"
    for name in (str(models_dir / "q05" / "q05.gguf"), str(models_dir / "q05" / "hf")):
        assert choose_kind(name, None) == rows[name]["backend"]  # the name works with --model
    assert catalogue_rows(models_dir / "missing")[-1]["source"].startswith("hub: ")


def test_models_line_magic_reads_the_configured_folder(
    models_dir: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    start_ipython()
    shell = get_ipython()
    shell.run_line_magic("load_ext", "viscoder_magic")
    shell.run_line_magic("config", f"VisCode.models_dir = {str(models_dir)!r}")
    capsys.readouterr()  # "already loaded" from an earlier test's load_ext
    try:
        shell.run_line_magic("viscode", "models")
    finally:
        shell.run_line_magic("config", "VisCode.models_dir = 'runs'")
        shell.config.VisCode.pop("models_dir", None)
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["name", "backend", "source", "size", "present"]
    assert str(models_dir / "q05" / "q05.gguf") in out and "TIGER-Lab/VisCoder-7B" in out
    assert f"trained models: {models_dir}" in out and f"HF hub cache:   {tmp_path / 'empty-hub'}" in out


def test_text_marks_a_missing_models_folder(tmp_path: Path) -> None:
    assert f"trained models: {tmp_path / 'nope'} (missing)" in catalogue_text(tmp_path / "nope", tmp_path)
