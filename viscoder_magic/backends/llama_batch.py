"""Several replies to one chat, decoded together in one llama.cpp batch.

Where decoding is bound by reading the weights (bigger models, more cores, GPUs),
one ``llama_decode`` that advances N sequences by a token costs little more than
one that advances a single sequence. On a 2-core CPU with the 0.5B model the
gain is smaller: 1.4x for 4 sequences (benchmarks/batch_decode.py, docs/benchmarks-log.md).
The candidates of one attempt share their prompt, so the prompt is evaluated once,
in sequence 0, and its KV cells are shared with sequences 1..N-1 (``seq_cp`` on a
unified cache adds sequence ids to the same cells; nothing is copied).

Everything a sequence sees matches ``Llama.create_chat_completion``: the same
chat formatter from the GGUF metadata, the same tokenization, the same prompt
chunking (``n_batch``), the same sampler chain and seeds, the same stop rules.
The decoder owns a second llama.cpp context on the already-loaded weights (no
second copy of the model), created on first use and freed in ``close()``.
"""

from __future__ import annotations

import ctypes
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .base import Generation, GenerationParams, Message, TokenCallback, past

#: Sequences the context is built for at least, so 2..8 candidates never rebuild it.
MIN_SEQUENCES = 8
#: KV cells are allocated in steps of this size, so slightly longer chats reuse the context.
CELL_STEP = 1024


@dataclass
class _Sequence:
    """One reply being decoded: its sampler, tokens so far, and how it ended."""

    seq_id: int
    params: GenerationParams
    sampler: Any
    tokens: list[int] = field(default_factory=list)
    logprob: float = 0.0  # sum over every sampled token, the stopping one included
    sampled: int = 0
    text: str = ""
    finish: str | None = None
    seconds: float = 0.0


class BatchDecoder:
    """Decodes N replies to one chat on a ``llama_cpp.Llama``'s weights."""

    def __init__(self, llama: Any) -> None:
        from llama_cpp import llama_chat_format

        self._llama = llama
        self._ctx: Any = None
        self._batch: Any = None
        self._cells = 0
        self._sequences = 0
        self.prompt_seconds = 0.0  # time of the last prompt evaluation, for the benchmark
        template = llama.metadata.get(_template_key(llama.chat_format or ""))
        if llama.chat_handler is not None or not template:
            self._formatter = None  # a named or custom handler: we cannot reproduce its prompt
            return
        # Built exactly as Llama.__init__ builds the handler it will use for this model.
        model = llama._model
        eos, bos = llama.token_eos(), llama.token_bos()
        self._formatter = llama_chat_format.Jinja2ChatFormatter(
            template=template,
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )

    @property
    def available(self) -> bool:
        """False when the model's chat format is one we cannot reproduce token for token."""
        return self._formatter is not None

    def prompt(self, messages: Sequence[Message]) -> tuple[list[int], list[str]]:
        """Prompt tokens and the formatter's stop strings, as create_chat_completion makes them."""
        assert self._formatter is not None
        result = self._formatter(messages=[dict(m) for m in messages])
        tokens = self._llama.tokenize(
            result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True
        )
        stops = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        return tokens, stops

    def generate_many(
        self,
        messages: Sequence[Message],
        params_list: Sequence[GenerationParams],
        on_token: TokenCallback | None = None,
        *,
        ignore_eos: bool = False,
    ) -> list[Generation]:
        """One reply per ``GenerationParams``; ``on_token`` streams sequence 0 only.

        ``ignore_eos`` (benchmarks only) keeps every sequence going to its ``max_tokens``.
        """
        from llama_cpp import llama_cpp as C

        start = time.perf_counter()
        prompt, stops = self.prompt(messages)
        room = self._llama.n_ctx() - len(prompt)  # create_completion caps replies to its context
        if room <= 0:
            raise ValueError(
                f"Requested tokens ({len(prompt)}) exceed context window of {self._llama.n_ctx()}"
            )
        params_list = [replace(p, max_tokens=min(p.max_tokens, room)) for p in params_list]
        seqs = [_Sequence(i, p, self._sampler(p)) for i, p in enumerate(params_list)]
        self.reserve(len(prompt) + sum(p.max_tokens for p in params_list), len(seqs))
        C.llama_memory_clear(self._ctx.memory, True)
        last = self._eval_prompt(prompt)
        self.prompt_seconds = time.perf_counter() - start
        for s in seqs[1:]:
            C.llama_memory_seq_cp(self._ctx.memory, 0, s.seq_id, -1, -1)
        vocab = self._llama._model.vocab
        rows = {s.seq_id: last for s in seqs}  # where each live sequence's next logits are
        live = seqs
        while live:
            log_z: dict[int, float] = {}
            for s in live:
                row = rows[s.seq_id]
                token = s.sampler.sample(self._ctx, row)
                logits = self._logits(row)
                if row not in log_z:  # sequences share row `last` on the first step
                    log_z[row] = _log_partition(logits)
                s.logprob += float(logits[token]) - log_z[row]
                s.sampled += 1
                eog = C.llama_vocab_is_eog(vocab, token)
                if not eog or ignore_eos:
                    s.tokens.append(token)
                self._advance(
                    s,
                    eog and not ignore_eos,
                    stops + list(s.params.stop),
                    on_token if s.seq_id == 0 else None,
                )
                if s.finish is None and past(s.params.deadline):
                    s.finish = "budget"
                if s.finish is not None:
                    s.seconds = time.perf_counter() - start
            live = [s for s in live if s.finish is None]
            if live:
                rows = self._decode_step(live, len(prompt))
        return [_generation(s) for s in seqs]

    def _advance(self, s: _Sequence, eog: bool, stops: list[str], on_token: TokenCallback | None) -> None:
        """Update the sequence's text and decide whether it ended (create_chat_completion's rules)."""
        if eog:
            s.finish = "stop"
            return
        text = self._llama._model.detokenize(s.tokens).decode("utf-8", errors="ignore")
        hit = [stop for stop in stops if stop in text]
        if hit:
            text, s.finish = text[: text.index(hit[0])], "stop"
        elif len(s.tokens) >= s.params.max_tokens:
            s.finish = "length"
        if on_token is not None and text.startswith(s.text) and len(text) > len(s.text):
            on_token(text[len(s.text) :])
        s.text = text

    def _sampler(self, params: GenerationParams) -> Any:
        """The chain Llama._init_sampler builds for what LlamaCppBackend.generate passes."""
        from llama_cpp import _internals

        sampler = _internals.LlamaSampler()
        sampler.add_penalties(
            n_vocab=self._llama.n_vocab(),
            penalty_last_n=self._llama.last_n_tokens_size,
            penalty_repeat=1.0,
            penalty_freq=0.0,
            penalty_present=0.0,
        )
        if params.temperature == 0:
            sampler.add_greedy()
            return sampler
        sampler.add_top_k(40)
        sampler.add_typical(1.0, 1)
        sampler.add_top_p(params.top_p, 1)
        sampler.add_min_p(0.05, 1)
        sampler.add_temp(params.temperature)
        sampler.add_dist(params.seed if params.seed is not None else 0)
        return sampler

    def reserve(self, cells: int, sequences: int) -> None:
        """Create (or grow) the batch context: a unified KV cache holding the prompt and every reply.

        Called by ``generate_many``; a caller that knows its largest batch (a benchmark)
        may call it first, so no timed call pays for building the context.
        """
        from llama_cpp import _internals

        cells = min(CELL_STEP * math.ceil(cells / CELL_STEP), self._llama._model.n_ctx_train())
        if self._ctx is not None and cells <= self._cells and sequences <= self._sequences:
            return
        base = self._llama.context_params
        params = type(base).from_buffer_copy(base)  # same threads, batch sizes, attention settings
        params.n_ctx = max(cells, self._cells)
        params.n_seq_max = max(sequences, MIN_SEQUENCES, self._sequences)
        self.close()
        params.kv_unified = True  # one cache: the prompt's cells are shared, not copied
        params.n_batch = max(base.n_batch, params.n_seq_max)
        self._ctx = _internals.LlamaContext(model=self._llama._model, params=params, verbose=False)
        self._apply_adapter()
        self._batch = _internals.LlamaBatch(n_tokens=params.n_batch, embd=0, n_seq_max=1, verbose=False)
        self._cells, self._sequences = params.n_ctx, params.n_seq_max

    def _apply_adapter(self) -> None:
        """Set the Llama's LoRA adapter (if any) on the batch context too, as ``Llama.__init__`` does on
        its own.

        An adapter belongs to a context, not to the weights: without this the candidates would
        be decoded by the bare base while the single-reply path uses base + adapter.
        """
        from llama_cpp import llama_cpp as C

        adapter = getattr(self._llama, "_lora_adapter", None)
        if adapter is None:
            return
        adapters = (C.llama_adapter_lora_p_ctypes * 1)(adapter)
        scales = (ctypes.c_float * 1)(self._llama.lora_scale)
        if C.llama_set_adapters_lora(self._ctx.ctx, adapters, 1, scales):
            raise RuntimeError(f"llama.cpp could not set the LoRA adapter {self._llama.lora_path}")

    def _eval_prompt(self, prompt: list[int]) -> int:
        """Evaluate the prompt in sequence 0, in Llama.eval's chunks; the batch row of its last logits."""
        step = self._llama.n_batch
        for begin in range(0, len(prompt), step):
            chunk = prompt[begin : begin + step]
            self._batch.set_batch(batch=chunk, n_past=begin, logits_all=False)
            self._ctx.decode(self._batch)
        return len(prompt[begin : begin + step]) - 1

    def _decode_step(self, live: list[_Sequence], n_prompt: int) -> dict[int, int]:
        """Feed each live sequence its last token in one llama_decode; row of each one's logits."""
        batch = self._batch.batch
        batch.n_tokens = len(live)
        for row, s in enumerate(live):
            batch.token[row] = s.tokens[-1]
            batch.pos[row] = n_prompt + len(s.tokens) - 1
            batch.n_seq_id[row] = 1
            batch.seq_id[row][0] = s.seq_id
            batch.logits[row] = True
        self._ctx.decode(self._batch)
        return {s.seq_id: row for row, s in enumerate(live)}

    def _logits(self, row: int) -> np.ndarray:
        pointer = self._ctx.get_logits_ith(row)
        return np.ctypeslib.as_array(
            ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(self._llama.n_vocab(),)
        )

    def close(self) -> None:
        """Free the batch context (the weights belong to the Llama object)."""
        for handle in (self._batch, self._ctx):
            if handle is not None:
                handle.close()
        self._ctx = self._batch = None
        self._cells = self._sequences = 0


def _template_key(chat_format: str) -> str:
    """The metadata key Llama.__init__ took the chat format's template from ("" when none)."""
    if chat_format == "chat_template.default":
        return "tokenizer.chat_template"
    return f"tokenizer.{chat_format}" if chat_format.startswith("chat_template.") else ""


def _log_partition(logits: np.ndarray) -> float:
    """log(sum(exp(logits))), stable: the normalizer of the model's own distribution."""
    peak = float(logits.max())
    return peak + math.log(float(np.exp(logits - peak).sum()))


def _generation(s: _Sequence) -> Generation:
    return Generation(
        text=s.text,
        tokens=len(s.tokens),
        seconds=s.seconds,
        finish_reason=s.finish or "length",
        mean_logprob=s.logprob / max(1, s.sampled),
    )
