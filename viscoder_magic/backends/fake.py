"""A scripted backend for unit tests: replies come from a list, in order.

It lets pipeline tests pin exactly what the "model" says (a broken program, then a
fixed one) without weights, and records every chat it was sent so tests can check
the repair turns.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from .base import BackendSpec, Generation, GenerationParams, Message, TokenCallback, past


class ScriptedBackend:
    """Answers each ``generate`` call with the next scripted reply."""

    def __init__(
        self,
        replies: Sequence[str],
        description: str = "scripted fake model",
        *,
        repeat: bool = False,
        seconds_per_word: float = 0.0,
    ) -> None:
        self.replies = list(replies)
        #: Pause after each streamed word, so tests can watch a reply outlast a time budget.
        self.seconds_per_word = seconds_per_word
        self.description = description
        #: Start the script over when it runs out (a cell run again replays it).
        self.script = list(replies) if repeat else []
        self.calls: list[list[Message]] = []
        self.params: list[GenerationParams] = []

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Generation:
        self.calls.append([dict(m) for m in messages])
        self.params.append(params)
        if not self.replies:
            self.replies = list(self.script)
        if not self.replies:
            raise AssertionError("the scripted backend ran out of replies")
        start = time.perf_counter()
        words = self.replies.pop(0).split(" ")
        for count, piece in enumerate(words, 1):
            if on_token is not None:
                on_token(piece + " ")
            time.sleep(self.seconds_per_word)
            if past(params.deadline) and count < len(words):  # stopped like a real backend: the words so far
                text = " ".join(words[:count])
                return Generation(
                    text=text, tokens=count, seconds=time.perf_counter() - start, finish_reason="budget"
                )
        text = " ".join(words)
        return Generation(text=text, tokens=len(text.split()), seconds=time.perf_counter() - start)

    def close(self) -> None:
        self.replies.clear()


def load(spec: BackendSpec) -> ScriptedBackend:
    """``--model fake:reply-one||reply-two`` scripts replies from the command line (tests); loaded once, it
    replays the script when it runs out, so a cell run again (Retry) gets the same replies."""
    replies = spec.model.split(":", 1)[1].split("||") if ":" in spec.model else []
    return ScriptedBackend([r.replace("\\n", "\n") for r in replies], repeat=True)
