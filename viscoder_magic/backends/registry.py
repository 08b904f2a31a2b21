"""Backend names, and the one place that turns a model spec into a loaded backend.

Backends register a factory under a short name; an unknown name is rejected with
the list of valid ones. Loaded backends are cached per kernel, so the model loads
once and every later cell reuses it. A lock makes two cells that race the first
load (or a benchmark thread) share one load instead of loading twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import VisCodeError
from .base import Backend


@dataclass(frozen=True)
class BackendSpec:
    """Which backend to load and with what: the cache key for loaded models."""

    kind: str
    model: str
    endpoint: str | None = None
    quant: str = "auto"
    n_ctx: int = 4096
    api_key_env: str = "OPENAI_API_KEY"


Factory = Callable[[BackendSpec], Backend]
_FACTORIES: dict[str, Factory] = {}
_LOADED: dict[BackendSpec, Backend] = {}
_LOCK = threading.Lock()


def register_backend(name: str) -> Callable[[Factory], Factory]:
    """Decorator: make ``name`` a valid backend kind."""

    def decorate(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory

    return decorate


def backend_kinds() -> list[str]:
    """The registered backend names."""
    _import_builtin_backends()
    return sorted(_FACTORIES)


def _import_builtin_backends() -> None:
    # Importing registers them; the heavy libraries inside load only on first use.
    from . import fake, hf, llama, openai_http  # noqa: F401


def get_backend(spec: BackendSpec) -> Backend:
    """The loaded backend for ``spec``, loading it on first use."""
    _import_builtin_backends()
    if spec.kind not in _FACTORIES:
        valid = ", ".join(sorted(_FACTORIES))
        raise VisCodeError(f"Unknown backend '{spec.kind}'. Use one of: {valid}.")
    with _LOCK:
        if spec not in _LOADED:
            _LOADED[spec] = _FACTORIES[spec.kind](spec)
        return _LOADED[spec]


def loaded_backends() -> dict[BackendSpec, Backend]:
    """What is loaded now (for ``%viscode status``)."""
    return dict(_LOADED)


def unload_all() -> int:
    """Close every loaded backend; returns how many were closed."""
    with _LOCK:
        count = len(_LOADED)
        for backend in _LOADED.values():
            backend.close()
        _LOADED.clear()
    return count


def choose_kind(model: str, endpoint: str | None, configured: str = "auto") -> str:
    """Which backend serves ``model``: a server if an endpoint is set, else by the model's form."""
    if endpoint:
        return "http"
    if configured and configured != "auto":
        return configured
    if model.startswith("fake:") or model == "fake":
        return "fake"
    from ..models import registry_model

    if registry_model(model) is not None or model.endswith(".gguf"):
        return "llama"
    from pathlib import Path

    path = Path(model).expanduser()
    if path.is_dir() and not (path / "config.json").exists() and any(path.glob("*.gguf")):
        return "llama"
    return "transformers"
