"""Model backends behind one ``Backend`` protocol (see ``base``) and a name registry."""

from .base import Backend, Generation, GenerationParams, Message, batches, generate_many
from .registry import BackendSpec, backend_kinds, get_backend, register_backend, unload_all

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
