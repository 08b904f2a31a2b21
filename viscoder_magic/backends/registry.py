"""Backend names, and the one place that turns a model spec into a loaded backend.

Each built-in backend is one row of ``BUILTIN_BACKENDS``: a name and the
``module:function`` of its loader, imported the first time that name is asked for.
The registry imports no backend module, and no backend module imports the registry,
so a backend depends only on the protocol (``base``), and an unknown name is
rejected with the list of valid ones without importing any backend. Loaded backends
are cached per kernel, so the model loads once and every later cell reuses it. A lock
makes two cells that race the first load (or a benchmark thread) share one load
instead of loading twice.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

from ..errors import VisCodeError
from .base import Backend, BackendSpec

__all__ = [
    "BUILTIN_BACKENDS",
    "BackendSpec",
    "backend_kinds",
    "choose_kind",
    "get_backend",
    "loaded_backends",
    "register_backend",
    "unload_all",
]

Factory = Callable[[BackendSpec], Backend]

#: Built-in backend names -> ``module:function`` of the loader that builds one from a ``BackendSpec``.
BUILTIN_BACKENDS: dict[str, str] = {
    "fake": "viscoder_magic.backends.fake:load",
    "http": "viscoder_magic.backends.openai_http:load",
    "llama": "viscoder_magic.backends.llama:load",
    "transformers": "viscoder_magic.backends.hf:load",
}
_FACTORIES: dict[str, Factory] = {}  # registered at run time, or built-in loaders already imported
_LOADED: dict[BackendSpec, Backend] = {}
_LOCK = threading.Lock()


def register_backend(name: str) -> Callable[[Factory], Factory]:
    """Decorator: make ``name`` a valid backend kind (a backend outside this package; wins over a
    built-in)."""

    def decorate(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory

    return decorate


def backend_kinds() -> list[str]:
    """The valid backend names (importing none of them)."""
    return sorted(set(BUILTIN_BACKENDS) | set(_FACTORIES))


def _factory(kind: str) -> Factory:
    """The loader for ``kind``: a registered one, else the built-in row's function, imported now."""
    if kind not in _FACTORIES:
        if kind not in BUILTIN_BACKENDS:
            raise VisCodeError(f"Unknown backend '{kind}'. Use one of: {', '.join(backend_kinds())}.")
        module, _, function = BUILTIN_BACKENDS[kind].partition(":")
        # The heavy libraries inside load only when the loader runs, not on this import.
        _FACTORIES[kind] = getattr(importlib.import_module(module), function)
    return _FACTORIES[kind]


def get_backend(spec: BackendSpec) -> Backend:
    """The loaded backend for ``spec``, loading it on first use."""
    factory = _factory(spec.kind)
    with _LOCK:
        if spec not in _LOADED:
            _LOADED[spec] = factory(spec)
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
    from ..models import is_catalogue_name

    if is_catalogue_name(model) or model.endswith(".gguf"):
        return "llama"
    from pathlib import Path

    path = Path(model).expanduser()
    if path.is_dir() and not (path / "config.json").exists() and any(path.glob("*.gguf")):
        return "llama"
    return "transformers"
