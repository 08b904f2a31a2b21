"""The one interface every model backend implements.

Chat messages in, text out, streamed through a callback so the magic can show
tokens and tokens/s while the model writes. Cancelling is Python's own: a
``KeyboardInterrupt`` (kernel interrupt) raised inside ``generate`` stops decoding,
and the backend stays usable for the next cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Message = dict[str, str]
TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings for one reply; ``temperature == 0`` means greedy decoding."""

    max_tokens: int = 1024
    temperature: float = 0.0
    top_p: float = 0.95
    seed: int | None = None
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Generation:
    """One reply and what it cost."""

    text: str
    tokens: int
    seconds: float
    finish_reason: str = "stop"

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


@runtime_checkable
class Backend(Protocol):
    """A loaded model that answers chats."""

    #: Short description for status lines and provenance (e.g. "llama.cpp: qwen…gguf").
    description: str

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Generation:
        """Answer the chat; call ``on_token`` with each text piece as it is decoded."""
        ...

    def close(self) -> None:
        """Release native handles and memory."""
        ...
