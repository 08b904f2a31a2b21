"""The one interface every model backend implements.

Chat messages in, text out, streamed through a callback so the magic can show
tokens and tokens/s while the model writes. Cancelling is Python's own: a
``KeyboardInterrupt`` (kernel interrupt) raised inside ``generate`` stops decoding,
and the backend stays usable for the next cell.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Message = dict[str, str]
TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class BackendSpec:
    """Which backend to load and with what: the cache key for loaded models.

    Defined here, beside the protocol, so a backend module's loader can take it without
    importing the registry that finds that loader by name.
    """

    kind: str
    model: str
    endpoint: str | None = None
    quant: str = "auto"
    n_ctx: int = 4096
    api_key_env: str = "OPENAI_API_KEY"


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings for one reply; ``temperature == 0`` means greedy decoding."""

    max_tokens: int = 1024
    temperature: float = 0.0
    top_p: float = 0.95
    seed: int | None = None
    stop: tuple[str, ...] = ()
    #: ``time.perf_counter()`` value at which decoding stops with finish reason "budget" (the
    #: cell's time budget); ``None``: no limit. The reply so far is kept: its complete
    #: statements may still draw, and the cell ends near its budget instead of a round later.
    deadline: float | None = None


def past(deadline: float | None) -> bool:
    """Whether ``deadline`` (a ``GenerationParams.deadline``) has passed."""
    return deadline is not None and time.perf_counter() >= deadline


@dataclass(frozen=True)
class Generation:
    """One reply and what it cost."""

    text: str
    tokens: int
    seconds: float
    finish_reason: str = "stop"
    #: Mean log-probability of the sampled tokens under the model (temperature 1), when the
    #: backend can tell: candidates of one prompt are ranked by the model's own likelihood.
    mean_logprob: float | None = None

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


#: A reply that ends in one stretch of text repeated this many times over is stuck in a loop:
#: short stretches (8-59 characters: a keyword argument) 6 times, long ones (60-600: a block of
#: lines) 3 times.
LOOP_REPEATS = {8: 6, 60: 3}
_LONGEST_UNIT = 600


def _repeats(unit: int) -> int:
    return LOOP_REPEATS[max(k for k in LOOP_REPEATS if k <= unit)]


def looping(pieces: Sequence[str], every: int = 16) -> bool:
    """Whether a streamed reply ends in a loop (checked every ``every`` pieces).

    A small model sometimes repeats a keyword argument or a block of lines until the token
    limit, which costs minutes on 2 cores for a program that cannot run. Streaming backends
    stop there; the pipeline then keeps the complete statements before the loop (patches/syntax.py).
    """
    if not pieces or len(pieces) % every:
        return False
    tail = "".join(pieces[-1000:])[-_LONGEST_UNIT * 3 :]
    for unit in range(8, _LONGEST_UNIT + 1):
        span = unit * _repeats(unit)
        if span > len(tail):
            continue
        window = tail[-span:]
        if window == window[-unit:] * _repeats(unit):
            return True
    return False


def collect_stream(
    chunks: Iterable[tuple[str, str | None]], params: GenerationParams, on_token: TokenCallback | None = None
) -> tuple[list[str], str]:
    """The pieces of a streamed reply and why it ended, from ``(piece, finish_reason)`` chunks.

    It stops reading early (and the caller closes the stream, so decoding stops) when the
    reply is stuck in a loop ("repetition") or its deadline passed ("budget").
    """
    pieces: list[str] = []
    finish = "stop"
    for piece, reason in chunks:
        if piece:
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
            if looping(pieces):
                return pieces, "repetition"
            if past(params.deadline) and not reason:
                return pieces, "budget"
        finish = reason or finish
    return pieces, finish


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


def batches(backend: Backend) -> bool:
    """Whether the backend decodes several replies to one chat together (cheaper than one by one)."""
    return bool(getattr(backend, "batches", False))


def generate_many(
    backend: Backend,
    messages: Sequence[Message],
    params_list: Sequence[GenerationParams],
    on_token: TokenCallback | None = None,
) -> list[Generation]:
    """One reply per ``GenerationParams``, all to the same chat; ``on_token`` streams the first.

    A backend that batches (llama.cpp) implements its own ``generate_many``; the others
    answer one after another, so callers need not care which kind they hold. This is a
    function, not a protocol method, so the protocol stays one method for every backend.
    """
    own = getattr(backend, "generate_many", None)
    if own is not None:
        return list(own(messages, params_list, on_token))
    return generate_each(backend, messages, params_list, on_token)


def generate_each(
    backend: Backend,
    messages: Sequence[Message],
    params_list: Sequence[GenerationParams],
    on_token: TokenCallback | None = None,
) -> list[Generation]:
    """The replies one after another, streaming the first: for backends that cannot batch."""
    return [
        backend.generate(messages, params, on_token if i == 0 else None)
        for i, params in enumerate(params_list)
    ]
