"""llama.cpp backend (llama-cpp-python): the fast CPU path for GGUF files.

The model's own chat template, stored in the GGUF metadata, formats the chat, so
a fine-tuned export with a different template still prompts correctly. The
library is imported only when a model is loaded, keeping ``%load_ext`` instant.
A trained model is the base GGUF plus a LoRA adapter GGUF (``lora_path``): llama.cpp adds
the adapter's update beside each quantized matrix, so no merged copy is needed.
"""

from __future__ import annotations

import io
import os
import struct
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import Any

from ..errors import VisCodeError
from .base import (
    BackendSpec,
    Generation,
    GenerationParams,
    Message,
    TokenCallback,
    collect_stream,
    generate_each,
)
from .gguf_shapes import adapter_misfit
from .llama_build import amx_build
from .llama_prefix import reusable, tiled_rows


@contextmanager
def weights_kept_plain(active: bool = True) -> Iterator[None]:
    """Load with llama.cpp's extra weight buffers (AMX, repacking) switched off.

    llama-cpp-python fills the model parameters inside ``Llama.__init__`` from
    ``llama_model_default_params`` and offers no keyword for ``use_extra_bufts``, so
    the defaults are wrapped for the length of one load. A build without the field
    (older llama.cpp) has no AMX buffers either and loads unchanged.
    """
    from llama_cpp import llama_cpp as raw

    default = raw.llama_model_default_params
    if not active or not hasattr(default(), "use_extra_bufts"):
        yield
        return

    def plain() -> Any:
        params = default()
        params.use_extra_bufts = False
        return params

    raw.llama_model_default_params = plain
    try:
        yield
    finally:
        raw.llama_model_default_params = default


@contextmanager
def adapter_log_quiet(active: bool = True) -> Iterator[None]:
    """Keep llama.cpp's log out of the cell while an adapter loads; its failures still raise.

    llama.cpp warns once per adapted matrix that the adapter cannot use the repacked CPU
    buffer, and llama-cpp-python maps that warning to ``logging.ERROR`` (llama.cpp renumbered
    its levels) and resets its logger inside ``Llama.__init__``, so even ``verbose=False``
    prints dozens of lines to ``sys.stderr``, which a notebook shows under the cell.
    """
    if not active:
        yield
        return
    with redirect_stderr(io.StringIO()):
        yield


class LlamaCppBackend:
    """A GGUF model loaded in this process through llama.cpp."""

    def __init__(
        self,
        path: Path,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        adapter: Path | None = None,
        adapter_scale: float = 1.0,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:  # pragma: no cover - depends on the environment
            raise VisCodeError(
                "The llama.cpp backend needs the `llama-cpp-python` package. Install it "
                "with `pip install llama-cpp-python` (it compiles for a few minutes), or "
                "choose another backend with `--endpoint` or a transformers model."
            ) from None
        self.path = Path(path)
        self.adapter = Path(adapter) if adapter is not None else None
        #: The pipeline fits its chat into this many tokens (prompt.fitted).
        self.n_ctx = n_ctx
        self.description = f"llama.cpp: {self.path.name}" + (
            f" + {self.adapter.name}" if self.adapter is not None else ""
        )
        lora: dict[str, Any] = {}
        if self.adapter is not None:
            self._check_adapter()
            lora = {"lora_path": str(self.adapter), "lora_scale": adapter_scale}
        try:
            with weights_kept_plain(amx_build()), adapter_log_quiet(bool(lora)):
                self._llama: Any = Llama(
                    model_path=str(self.path),
                    n_ctx=n_ctx,
                    n_threads=n_threads or max(1, os.cpu_count() or 1),
                    verbose=False,
                    **lora,
                )
        except (ValueError, RuntimeError) as exc:
            raise self._load_error(exc) from None
        from .llama_batch import BatchDecoder

        self._decoder: BatchDecoder | None = BatchDecoder(self._llama)
        #: Leading tokens of the cache that the tile kernel computed (llama_prefix).
        self._tiled = 0
        #: The pipeline draws an attempt's candidates in one batch when this is true.
        self.batches = self._decoder.available

    def _check_adapter(self) -> None:
        """Refuse an adapter that does not fit the base: llama.cpp would load it and then crash."""
        assert self.adapter is not None
        try:
            misfit = adapter_misfit(self.path, self.adapter)
        except (OSError, ValueError, UnicodeDecodeError, struct.error) as exc:
            misfit = f"unreadable: {exc}"
        if misfit is not None:
            raise self._load_error(RuntimeError(f"LoRA misfit: {misfit}"))

    def _load_error(self, exc: Exception) -> VisCodeError:
        """One paragraph for a failed load: the adapter's fault when the message names LoRA."""
        if self.adapter is not None and "lora" in str(exc).lower():
            return VisCodeError(
                f"llama.cpp could not apply the adapter '{self.adapter}' over '{self.path.name}' "
                f"({exc}). The adapter was exported for another base or is damaged: export it again "
                "over this base (`viscoder-train export`), or pass the base alone with --model."
            )
        return VisCodeError(
            f"llama.cpp could not load '{self.path}' ({exc}). The file is missing, "
            "truncated or not a GGUF model: delete it and run the cell again to "
            "re-assemble the default model, or pass another file with --model."
        )

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` under this model's tokenizer (the pipeline fits its chat with it)."""
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Generation:
        start = time.perf_counter()
        decoder = self._decoder
        tokens = decoder.prompt(messages)[0] if decoder is not None and decoder.available else None
        self._reuse(tokens)
        stream = self._llama.create_chat_completion(
            messages=list(messages),
            max_tokens=params.max_tokens,
            temperature=params.temperature,
            top_p=params.top_p if params.temperature > 0 else 1.0,
            top_k=40 if params.temperature > 0 else 1,
            seed=params.seed if params.seed is not None else 0,
            stop=list(params.stop) or None,
            stream=True,
        )

        def chunks() -> Iterator[tuple[str, str | None]]:
            for chunk in stream:
                if tokens is not None and not self._tiled:  # the first chunk comes once the prompt is in
                    self._tiled = tiled_rows(len(tokens))
                choice = chunk["choices"][0]
                yield choice["delta"].get("content") or "", choice.get("finish_reason")

        try:
            pieces, finish = collect_stream(chunks(), params, on_token)
        except ValueError as exc:  # raised on the first chunk when the prompt alone overflows
            if "context window" not in str(exc):
                raise
            raise VisCodeError(
                f"The request does not fit the model's context ({exc}). Shorten the request or "
                "describe fewer columns, or give the model a longer context: "
                "%config VisCode.n_ctx = 8192, then %viscode unload."
            ) from None
        finally:
            stream.close()
        return Generation(
            text="".join(pieces),
            tokens=len(pieces),
            seconds=time.perf_counter() - start,
            finish_reason=finish,
        )

    def _reuse(self, tokens: list[int] | None) -> None:
        """Cut llama.cpp's cached prefix to what a fresh run would compute alike (llama_prefix).

        ``None`` (a chat format we cannot tokenize ourselves): nothing is reused. At 0,
        llama-cpp-python's ``generate`` resets the model state itself.
        """
        llama = self._llama
        keep = reusable(llama.input_ids[: llama.n_tokens], self._tiled, tokens) if tokens else 0
        llama.n_tokens = keep  # llama-cpp-python matches its prefix within these and drops the rest
        self._tiled = 0  # until this prompt is evaluated in full

    def generate_many(
        self,
        messages: Sequence[Message],
        params_list: Sequence[GenerationParams],
        on_token: TokenCallback | None = None,
    ) -> list[Generation]:
        """All replies decoded together, sharing the prompt (see llama_batch); streams the first."""
        if self._decoder is None or not self._decoder.available:
            return generate_each(self, messages, params_list, on_token)
        return self._decoder.generate_many(messages, params_list, on_token)

    def close(self) -> None:
        decoder = getattr(self, "_decoder", None)
        if decoder is not None:
            decoder.close()
            self._decoder = None
        llama = getattr(self, "_llama", None)
        if llama is not None:
            llama.close()
            self._llama = None


def load(spec: BackendSpec) -> LlamaCppBackend:
    """The ``llama`` row of the registry's table: a name or path resolved to a GGUF (+ adapter), then
    loaded."""
    from ..models import resolve_files

    files = resolve_files(spec.model)
    return LlamaCppBackend(files.model, n_ctx=spec.n_ctx, adapter=files.adapter, adapter_scale=files.scale)
