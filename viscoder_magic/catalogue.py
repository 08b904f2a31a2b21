"""The model catalogue shown by ``%viscode models``: what exists, where from, whether present.

Four kinds of entry, each checked on disk so the table is truthful:

* registry GGUFs (the default 0.5B and the 1.5B): present once assembled and verified;
* trained models shipped as a LoRA adapter inside the package, loaded over a registry
  base: present when the adapter file is installed (the base is assembled on first use);
* Hugging Face hub models (the VisCoder releases and their Qwen2.5-Coder bases):
  present when the hub cache holds a snapshot with a config and weights;
* models trained by ``training/``: every GGUF and exported folder (``config.json``
  plus weights) found in the models folder (``VisCode.models_dir``).

The first column is what to pass to ``--model``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .models import (
    ADAPTER_MODELS,
    ALIASES,
    HUB_MODELS,
    REGISTRY_MODELS,
    cache_dir,
    hf_cache_dir,
    is_present,
)

COLUMNS = ("name", "backend", "source", "size", "present")
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf", ".pt")


def human_size(size: float) -> str:
    """Bytes as MB below a gigabyte, GB above."""
    return f"{size / 1e6:,.0f} MB" if size < 1e9 else f"{size / 1e9:,.1f} GB"


def registry_rows() -> list[dict[str, str]]:
    """The GGUFs published on the package registry as numbered parts."""
    aliases = {target: alias for alias, target in ALIASES.items()}
    rows = []
    for entry in REGISTRY_MODELS.values():
        rows.append(
            {
                "name": entry.name + (f" ({aliases[entry.name]})" if entry.name in aliases else ""),
                "backend": "llama",
                "source": f"registry: {entry.package}1..{entry.parts}=={entry.version}",
                "size": human_size(entry.size),
                "present": "yes" if is_present(entry) else "no (assembled on first use)",
                "description": entry.description,
            }
        )
    return rows


def adapter_rows() -> list[dict[str, str]]:
    """Registry bases with a packaged LoRA adapter: selectable beside the plain base."""
    aliases = {target: alias for alias, target in ALIASES.items()}
    rows = []
    for entry in ADAPTER_MODELS.values():
        base = REGISTRY_MODELS[entry.base]
        installed = entry.path.is_file()
        if not installed:
            present = "no (adapter not in this install)"
        else:
            present = "yes" if is_present(base) else "adapter yes; base assembled on first use"
        rows.append(
            {
                "name": entry.name + (f" ({aliases[entry.name]})" if entry.name in aliases else ""),
                "backend": "llama",
                "source": f"{entry.base} + package: adapters/{entry.filename}",
                "size": human_size(base.size + (entry.path.stat().st_size if installed else 0)),
                "present": present,
                "description": entry.description,
            }
        )
    return rows


def hub_snapshots(hub_cache: Path) -> dict[str, tuple[bool, int]]:
    """repo id -> (a snapshot has config.json and weights, bytes on disk), from the HF cache."""
    try:
        from huggingface_hub import scan_cache_dir
        from huggingface_hub.errors import CacheNotFound
    except ImportError:
        return {}
    try:
        info = scan_cache_dir(hub_cache)
    except CacheNotFound:
        return {}
    found = {}
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        complete = any(
            {f.file_name for f in rev.files} >= {"config.json"}
            and any(f.file_name.endswith(WEIGHT_SUFFIXES) for f in rev.files)
            for rev in repo.revisions
        )
        found[repo.repo_id] = (complete, repo.size_on_disk)
    return found


def hub_rows(hub_cache: Path | None = None) -> list[dict[str, str]]:
    """The hub models we know of, and whether the local HF cache holds them."""
    snapshots = hub_snapshots(hub_cache or hf_cache_dir())
    rows = []
    for model in HUB_MODELS.values():
        complete, on_disk = snapshots.get(model.repo_id, (False, 0))
        if complete:
            present, size = "yes (HF cache)", human_size(on_disk)
        else:
            present = "partial (HF cache)" if model.repo_id in snapshots else "no (download on first use)"
            size = f"~{human_size(model.size)} bf16"
        rows.append(
            {
                "name": model.repo_id,
                "backend": "transformers",
                "source": f"hub: {model.repo_id}",
                "size": size,
                "present": present,
                "description": model.description,
            }
        )
    return rows


def _is_model_folder(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def _models_at(path: Path) -> list[Path]:
    if path.is_file() and path.suffix == ".gguf":
        return [path]
    return [path] if _is_model_folder(path) else []


def find_trained(folder: Path) -> list[Path]:
    """GGUF files and model folders in ``folder`` and one level down (``RUN_DIR/x.gguf``, ``RUN_DIR/hf``)."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for child in sorted(folder.iterdir()):
        found += _models_at(child)
        if child.is_dir() and not _is_model_folder(child):
            for grandchild in sorted(child.iterdir()):
                found += _models_at(grandchild)
    return found


def _bytes(paths: Iterable[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def trained_rows(models_dir: Path) -> list[dict[str, str]]:
    """Models written by ``training/`` into the models folder, measured on disk."""
    rows = []
    for path in find_trained(models_dir):
        if path.is_file():
            backend, size, present = "llama", path.stat().st_size, "yes"
        else:
            files = list(path.rglob("*"))
            has_weights = any(f.name.endswith(WEIGHT_SUFFIXES) for f in files)
            backend, size = "transformers", _bytes(files)
            present = "yes" if has_weights else "incomplete (no weights)"
        rows.append(
            {
                "name": str(path),
                "backend": backend,
                "source": f"local: {path.resolve()}",
                "size": human_size(size),
                "present": present,
                "description": "trained by training/",
            }
        )
    return rows


def catalogue_rows(models_dir: Path | str = "runs", hub_cache: Path | None = None) -> list[dict[str, str]]:
    """One row per known model: registry GGUFs, base + adapter models, hub models, then trained models."""
    rows = registry_rows() + adapter_rows() + hub_rows(hub_cache)
    return rows + trained_rows(Path(models_dir).expanduser())


def catalogue_text(models_dir: Path | str = "runs", hub_cache: Path | None = None) -> str:
    """The catalogue as an aligned text table, with where each kind is looked for."""
    rows = catalogue_rows(models_dir, hub_cache)
    widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in COLUMNS}
    lines = ["  ".join(k.ljust(widths[k]) for k in COLUMNS).rstrip()]
    lines += ["  ".join(r[k].ljust(widths[k]) for k in COLUMNS).rstrip() for r in rows]
    folder = Path(models_dir).expanduser().resolve()
    lines += [
        "",
        f"registry cache: {cache_dir()}",
        f"HF hub cache:   {hub_cache or hf_cache_dir()}",
        f"trained models: {folder}{'' if folder.is_dir() else ' (missing)'} "
        "(set with %config VisCode.models_dir)",
        "Use the name with --model; hub models need `pip install viscoder-magic[hf]`, or serve "
        "them with vLLM and use --endpoint.",
    ]
    return "\n".join(lines)
