"""Model backends behind one ``Backend`` protocol (see ``base``) and a name registry.

The registry finds each backend module by name in its table and imports it on first use,
so importing this package imports no backend (nor its heavy libraries).
"""

from .base import Backend, BackendSpec, Generation, GenerationParams, Message, batches, generate_many
from .registry import backend_kinds, get_backend, register_backend, unload_all

__all__ = [
    "Backend",
    "BackendSpec",
    "Generation",
    "GenerationParams",
    "Message",
    "backend_kinds",
    "batches",
    "generate_many",
    "get_backend",
    "register_backend",
    "unload_all",
]
