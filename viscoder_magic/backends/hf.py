"""transformers backend: Hugging Face hub ids, local model folders, and GGUF files.

Hub ids (``TIGER-Lab/VisCoder-7B``), the folders ``training/`` writes, and GGUF
files (``gguf_file=``, which transformers dequantizes) all go through one
``from_pretrained`` call; ``resolve_source`` is the one place that tells them apart.
On CUDA the model loads in 4-bit NF4 through bitsandbytes unless ``quant`` says
otherwise, so a 7B model fits a consumer GPU; on CPU it loads in float32, with a
note that the llama.cpp GGUF path is faster there.

Decoding runs in a worker thread feeding a ``TextIteratorStreamer``; the calling
thread reads the stream, so a kernel interrupt arrives where it can be handled: it
sets a flag that a ``StoppingCriteria`` checks after every token, and the worker
stops within one token, leaving the model ready for the next cell.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import VisCodeError
from .base import BackendSpec, Generation, GenerationParams, Message, TokenCallback, collect_stream, past

log = logging.getLogger("viscoder_magic")

QUANTS = ("auto", "4bit", "8bit", "none")
CPU_NOTE = (
    "viscode: transformers runs on the CPU in float32 here; the llama.cpp GGUF path "
    "(`--model default` or a .gguf file) is several times faster on a CPU."
)


@dataclass(frozen=True)
class ModelSource:
    """What ``from_pretrained`` gets: a hub id or folder, and a GGUF file name inside it."""

    name_or_path: str
    gguf_file: str | None = None
    local: bool = True


def resolve_source(model: str) -> ModelSource:
    """Tell a GGUF file, a model folder, a catalogue name and a hub id apart."""
    from ..models import adapter_model, registry_model, resolve

    entry = adapter_model(model)
    if entry is not None:
        raise VisCodeError(
            f"'{model}' is {entry.base} with a llama.cpp LoRA adapter, which only the llama backend "
            f"applies. Use `%config VisCode.backend = 'llama'` (or 'auto'), or `--model {entry.base}` "
            "for the base alone on transformers."
        )
    if registry_model(model) is not None:
        path = resolve(model)
        return ModelSource(str(path.parent), path.name)
    path = Path(model).expanduser()
    if path.is_file():
        if path.suffix != ".gguf":
            raise VisCodeError(
                f"'{model}' is a file but not a .gguf model. Pass a GGUF file, a "
                "model folder (with config.json) or a Hugging Face id."
            )
        return ModelSource(str(path.parent), path.name)
    if path.is_dir():
        if (path / "config.json").is_file():
            return ModelSource(str(path))
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ModelSource(str(path), ggufs[0].name)
        raise VisCodeError(
            f"The folder '{model}' holds no config.json and no single .gguf file, so "
            "it is not a model. Point --model at the folder `training/` exported "
            "(it has config.json) or at a .gguf file."
        )
    if model.count("/") == 1 and not model.startswith((".", "/", "~")):
        return ModelSource(model, local=False)
    raise VisCodeError(
        f"There is no model folder or file at '{model}', and it is not a Hugging Face "
        "id (org/name). Check the path, or see `%viscode models` for known names."
    )


def load_kwargs(device: str, quant: str) -> dict[str, Any]:
    """``from_pretrained`` keyword arguments for a device and a quantization choice."""
    import torch

    if quant not in QUANTS:
        raise VisCodeError(f"Unknown quantization '{quant}'. Use one of: {', '.join(QUANTS)}.")
    if device != "cuda":
        if quant in ("4bit", "8bit"):
            raise VisCodeError(
                f"--quant {quant} needs a CUDA GPU (bitsandbytes); this kernel has none. Use "
                "`--quant none`, or on a CPU prefer a GGUF model through llama.cpp (`--model default`)."
            )
        return {"dtype": torch.float32}
    if quant == "none":
        return {"dtype": torch.bfloat16, "device_map": "cuda"}
    try:
        import bitsandbytes  # noqa: F401
        from transformers import BitsAndBytesConfig
    except ImportError:
        raise VisCodeError(
            "4-bit and 8-bit loading on CUDA needs bitsandbytes: `pip install bitsandbytes` "
            "(or `pip install viscoder-magic[gpu]`), or load unquantized with `--quant none`."
        ) from None
    if quant == "8bit":
        config = BitsAndBytesConfig(load_in_8bit=True)
    else:
        config = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
        )
    return {"quantization_config": config, "device_map": "cuda"}


def _from_pretrained(loader: Any, source: ModelSource, **kwargs: Any) -> Any:
    """``loader.from_pretrained``, turning "not on disk and not downloadable" into a fix.

    A hub id is tried in the local cache first: a cached model then loads without a
    network round trip (and offline), and only a miss goes to the hub.
    """
    load = loader.from_pretrained
    try:
        if not source.local:
            try:
                return load(source.name_or_path, gguf_file=source.gguf_file, local_files_only=True, **kwargs)
            except OSError:
                pass
        return load(source.name_or_path, gguf_file=source.gguf_file, **kwargs)
    except OSError as exc:
        if source.local:
            raise VisCodeError(
                f"transformers could not read the model at '{source.name_or_path}' "
                f"({_first_line(exc)}). Check the folder is a complete export."
            ) from None
        raise VisCodeError(
            f"'{source.name_or_path}' is not in the local Hugging Face cache and could not be "
            f"downloaded ({_first_line(exc)}). On a machine with network run "
            f"`hf download {source.name_or_path}` (copy ~/.cache/huggingface/hub over if this "
            "machine is offline), or pass a local folder or .gguf file."
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class TransformersBackend:
    """A causal LM loaded through transformers, answering with its own chat template."""

    def __init__(self, model: str, *, quant: str = "auto", device: str | None = None) -> None:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise VisCodeError(
                "The transformers backend needs torch and transformers: "
                "`pip install viscoder-magic[hf]`. On a CPU the default GGUF model through "
                "llama.cpp needs neither."
            ) from None
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        kwargs = load_kwargs(self.device, quant)
        source = resolve_source(model)
        self.tokenizer: Any = _from_pretrained(AutoTokenizer, source)
        if not getattr(self.tokenizer, "chat_template", None):
            raise VisCodeError(
                f"The tokenizer of '{model}' has no chat template, so it is a base model, not an "
                "instruct one. Use an -Instruct model or a folder exported by `training/`."
            )
        self.model: Any = _from_pretrained(AutoModelForCausalLM, source, **kwargs)
        if self.device == "cpu":
            log.warning(CPU_NOTE)
        self.model.eval()
        self.quant = "none" if self.device == "cpu" else ("4bit" if quant == "auto" else quant)
        self.description = f"transformers: {model} ({self.device}, {self.quant})"
        self._lock = threading.Lock()

    def chat_inputs(self, messages: Sequence[Message]) -> Any:
        """Token ids of the chat in the model's own template, ending where the reply starts."""
        inputs = self.tokenizer.apply_chat_template(
            [dict(m) for m in messages], add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        return inputs.to(self.model.device)

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Generation:
        from transformers import TextIteratorStreamer

        with self._lock:
            start = time.perf_counter()
            inputs = self.chat_inputs(messages)
            streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
            worker = _Worker(
                self.model, self._generate_kwargs(inputs, params, streamer), streamer, params.deadline
            )
            worker.start()
            try:
                pieces, finish = collect_stream(((piece, None) for piece in streamer), params, on_token)
                if finish != "stop":  # stopped reading early (a loop, the deadline): stop decoding too
                    worker.cancel.set()
            except BaseException:
                worker.cancel.set()
                raise
            finally:
                worker.join()
            if worker.error is not None:
                raise VisCodeError(
                    f"transformers failed while generating ({_first_line(worker.error)}). "
                    "Try a smaller --max-tokens, or `%viscode unload` and run again."
                )
            tokens = worker.new_tokens(inputs["input_ids"].shape[1])
            return Generation(
                text="".join(pieces),
                tokens=tokens,
                seconds=time.perf_counter() - start,
                finish_reason=finish
                if finish != "stop"
                else "budget"
                if worker.timed_out
                else "length"
                if tokens >= params.max_tokens
                else "stop",
            )

    def _generate_kwargs(self, inputs: Any, params: GenerationParams, streamer: Any) -> dict[str, Any]:
        import torch

        kwargs: dict[str, Any] = dict(inputs)
        kwargs.update(
            max_new_tokens=params.max_tokens,
            streamer=streamer,
            pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
        )
        if params.temperature > 0:
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p)
            if params.seed is not None:
                torch.manual_seed(params.seed)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if params.stop:
            kwargs.update(stop_strings=list(params.stop), tokenizer=self.tokenizer)
        return kwargs

    def close(self) -> None:
        if getattr(self, "model", None) is None:
            return
        self.model = None
        self.tokenizer = None
        import gc

        gc.collect()
        if self.device == "cuda":
            import torch

            torch.cuda.empty_cache()


class _Worker(threading.Thread):
    """Runs ``model.generate`` off the calling thread; always ends the stream, even on error.

    It stops after the current token when the caller cancels (a loop, an interrupt) or
    when ``deadline`` passes (the cell's budget; ``timed_out`` says which).
    """

    def __init__(
        self, model: Any, kwargs: dict[str, Any], streamer: Any, deadline: float | None = None
    ) -> None:
        super().__init__(daemon=True, name="viscoder-generate")
        from transformers import StoppingCriteria, StoppingCriteriaList

        self.cancel = threading.Event()
        self.timed_out = False
        worker = self

        class _Cancelled(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
                import torch

                if not worker.cancel.is_set() and past(deadline):
                    worker.timed_out = True
                    worker.cancel.set()
                return torch.full(
                    (input_ids.shape[0],), worker.cancel.is_set(), dtype=torch.bool, device=input_ids.device
                )

        self.model, self.streamer = model, streamer
        self.kwargs = {**kwargs, "stopping_criteria": StoppingCriteriaList([_Cancelled()])}
        self.output: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        import torch

        try:
            with torch.inference_mode():
                self.output = self.model.generate(**self.kwargs)
        except BaseException as exc:  # reported by the caller, who owns the user's error
            self.error = exc
            self.streamer.end()

    def new_tokens(self, prompt_length: int) -> int:
        return 0 if self.output is None else int(self.output.shape[1] - prompt_length)


def load(spec: BackendSpec) -> TransformersBackend:
    """The ``transformers`` row of the registry's table: the model is read here, on first use."""
    return TransformersBackend(spec.model, quant=spec.quant)
