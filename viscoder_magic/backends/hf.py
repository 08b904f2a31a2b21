"""transformers backend (hub ids, local folders, GGUF via gguf_file). See issue 5."""

from __future__ import annotations

from ..errors import VisCodeError
from .registry import BackendSpec, register_backend


@register_backend("transformers")
def _load(spec: BackendSpec):  # pragma: no cover - replaced by the real backend
    raise VisCodeError("The transformers backend is not available yet.")
