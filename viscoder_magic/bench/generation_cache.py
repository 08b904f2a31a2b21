"""Replies already generated for the same chat and sampling settings, replayed instead of decoded.

The ablation matrix runs the same 99 tasks through six loops per library. At temperature 0
(and at a fixed seed when sampling) the model's reply is a function of the chat and the
settings, and every loop asks the same first question, so decoding it six times spends
hours of a 2-core machine to learn nothing. A cache hit returns the stored reply with the
seconds and tokens it cost when it was decoded, and counts them (``replayed``), so a
task's latency is what it would have been without the cache. A cache belongs to one
machine and one model file: the key holds the backend's description, not the weights'
hash or llama.cpp's build, so delete the file when either changes. Bench only: the magic
never replays a reply.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..backends import Backend, Generation, GenerationParams, Message
from ..backends.base import TokenCallback, generate_many


class GenerationCache:
    """A backend wrapper that looks a chat up in a sqlite file before asking the model."""

    def __init__(self, backend: Backend, path: str | Path) -> None:
        self.inner = backend
        self.description = backend.description
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, generations TEXT)")
        self._lock = threading.Lock()
        #: Replies replayed so far and the seconds they cost when decoded (the runner adds those).
        self.replayed = 0
        self.replayed_seconds = 0.0

    def __getattr__(self, name: str) -> Any:  # count_tokens, batches: the model's own
        return getattr(self.inner, name)

    def key(self, messages: Sequence[Message], params_list: Sequence[GenerationParams]) -> str:
        """The chat, the settings of every reply asked together, and which model answers."""
        payload = {
            "model": self.description,
            "backend": type(self.inner).__name__,
            "messages": [dict(m) for m in messages],
            "params": [dataclasses.asdict(p) for p in params_list],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def generate(
        self, messages: Sequence[Message], params: GenerationParams, on_token: TokenCallback | None = None
    ) -> Generation:
        return self._answer(
            messages, [params], on_token, lambda: [self.inner.generate(messages, params, on_token)]
        )[0]

    def generate_many(
        self,
        messages: Sequence[Message],
        params_list: Sequence[GenerationParams],
        on_token: TokenCallback | None = None,
    ) -> list[Generation]:
        """Stored and decoded as one batch: a batch's replies may differ from the same replies asked alone."""
        return self._answer(
            messages,
            params_list,
            on_token,
            lambda: generate_many(self.inner, messages, params_list, on_token),
        )

    def _answer(
        self,
        messages: Sequence[Message],
        params_list: Sequence[GenerationParams],
        on_token: TokenCallback | None,
        decode: Any,
    ) -> list[Generation]:
        key = self.key(messages, params_list)
        with self._lock:
            row = self._db.execute("SELECT generations FROM replies WHERE key = ?", (key,)).fetchone()
        if row is not None:
            generations = [Generation(**g) for g in json.loads(row[0])]
            with self._lock:
                self.replayed += len(generations)
                self.replayed_seconds += max(g.seconds for g in generations)  # a batch decodes together
            if on_token is not None and generations:
                on_token(generations[0].text)
            return generations
        generations = list(decode())
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO replies VALUES (?, ?)",
                (key, json.dumps([dataclasses.asdict(g) for g in generations])),
            )
            self._db.commit()
        return generations

    def close(self) -> None:
        self._db.close()
        self.inner.close()
