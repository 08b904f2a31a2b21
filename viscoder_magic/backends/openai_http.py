"""OpenAI-compatible HTTP backend (vLLM, llama.cpp server, Ollama, TGI). See issue 5."""

from __future__ import annotations

from ..errors import VisCodeError
from .registry import BackendSpec, register_backend


@register_backend("http")
def _load(spec: BackendSpec):  # pragma: no cover - replaced by the real backend
    raise VisCodeError("The HTTP backend is not available yet.")
