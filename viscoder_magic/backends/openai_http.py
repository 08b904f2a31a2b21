"""OpenAI-compatible HTTP backend: vLLM, llama.cpp's server, Ollama, TGI.

This is how a team outgrows one laptop: one server (vLLM, tensor-parallel over the
GPUs) serves the model to many notebooks. The ``openai`` client does the HTTP and
the streaming; this module only maps what can go wrong (server down, wrong model
name, missing key) to one paragraph that names the fix.

The model name is checked against the server's ``/v1/models`` when the backend
loads, because some servers (llama.cpp's) answer any name with their one model,
which would hide a typo. ``--model default`` with an endpoint means the server's
first model.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import VisCodeError
from .base import BackendSpec, Generation, GenerationParams, Message, TokenCallback, collect_stream

#: Seconds to open a connection: a local or LAN server answers at once, so fail fast.
CONNECT_TIMEOUT = 5.0
#: Seconds to wait for the next bytes: covers prompt processing on a busy CPU server.
READ_TIMEOUT = 300.0
#: Retries of a failed request; one absorbs a blip without hiding a dead server.
MAX_RETRIES = 1
#: Key sent when the environment has none: local servers ignore it, the client needs one.
PLACEHOLDER_KEY = "no-key-needed"
#: ``--model`` values that mean "whatever the server serves".
DEFAULT_NAMES = ("", "default", "auto")


class OpenAIHTTPBackend:
    """A model served over the OpenAI chat-completions API."""

    def __init__(
        self,
        endpoint: str,
        model: str = "default",
        *,
        api_key: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
    ) -> None:
        import openai

        self.endpoint = endpoint.rstrip("/")
        self.api_key_env = api_key_env
        self._client: Any = openai.OpenAI(
            base_url=self.endpoint,
            api_key=api_key or PLACEHOLDER_KEY,
            timeout=client_timeout(openai),
            max_retries=MAX_RETRIES,
        )
        self.model = self._pick_model(model)
        self.description = f"http: {self.model} @ {self.endpoint}"

    def server_models(self) -> list[str]:
        """The model names the server lists; empty when it does not implement the listing."""
        import openai

        try:
            return [m.id for m in self._client.models.list()]
        except openai.NotFoundError:
            return []
        except openai.APIError as exc:
            raise self._error(exc) from None

    def _pick_model(self, requested: str) -> str:
        served = self.server_models()
        if requested in DEFAULT_NAMES:
            if not served:
                raise VisCodeError(
                    f"The server at {self.endpoint} does not list its models, so viscode cannot "
                    "pick one. Check that the URL ends with /v1 (e.g. http://127.0.0.1:8000/v1), or name "
                    "the model with `--model NAME` (the name the server was started with)."
                )
            return served[0]
        if served and requested not in served:
            raise self._wrong_model(requested, served)
        return requested

    def _wrong_model(self, requested: str, served: list[str]) -> VisCodeError:
        listed = ", ".join(served) if served else "(the server lists none)"
        return VisCodeError(
            f"The server at {self.endpoint} does not serve a model called '{requested}'. "
            f"It serves: {listed}. Pass one of these with `--model`, or `--model default` "
            "for the first."
        )

    def _error(self, exc: Exception) -> VisCodeError:
        """One paragraph for whatever the client raised."""
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return VisCodeError(
                f"The server at {self.endpoint} did not answer within {READ_TIMEOUT:.0f} s. It "
                "may be overloaded or still loading the model; wait and run the cell again, or "
                "check the server's log."
            )
        if isinstance(exc, openai.APIConnectionError):
            return VisCodeError(
                f"The server at {self.endpoint} is not reachable ({exc.__cause__ or exc}). "
                "Start it (for example `python -m llama_cpp.server --model FILE.gguf` or "
                "`vllm serve MODEL`) or fix --endpoint / `%config VisCode.endpoint`."
            )
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return VisCodeError(
                f"The server at {self.endpoint} refused the API key ({_status_message(exc)}). "
                f"Put the right key in the environment variable {self.api_key_env} (the variable "
                "is named by `%config VisCode.api_key_env`) and restart the kernel."
            )
        if isinstance(exc, openai.NotFoundError):
            served = self.server_models()
            if served:
                return self._wrong_model(self.model, served)
            return VisCodeError(
                f"The server at {self.endpoint} answered 404 for model '{self.model}': the model "
                "name or the URL is wrong. OpenAI-compatible servers answer under /v1 (e.g. "
                "http://127.0.0.1:8000/v1); check --endpoint and --model."
            )
        return VisCodeError(
            f"The server at {self.endpoint} rejected the request ({_status_message(exc)}). "
            "Check the server's log; a shorter request or a smaller --max-tokens may help."
        )

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams,
        on_token: TokenCallback | None = None,
    ) -> Generation:
        import openai

        start = time.perf_counter()
        try:
            stream = self._client.chat.completions.create(**self._request(messages, params))
            try:
                pieces, finish = collect_stream(_chunks(stream), params, on_token)
            finally:
                # Closing the response tells the server the client is gone, so it stops
                # decoding for us on a cancel, and frees the connection for the next cell.
                stream.close()
        except openai.APIError as exc:
            raise self._error(exc) from None
        return Generation(
            text="".join(pieces),
            tokens=len(pieces),
            seconds=time.perf_counter() - start,
            finish_reason=finish,
        )

    def _request(self, messages: Sequence[Message], params: GenerationParams) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p if params.temperature > 0 else 1.0,
            "stream": True,
        }
        if params.seed is not None:
            request["seed"] = params.seed
        if params.stop:
            request["stop"] = list(params.stop)
        return request

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
            self._client = None


def client_timeout(openai: Any) -> Any:
    """The client's own ``Timeout``: a separate, short connect limit when the client offers one.

    The ``openai`` client has swapped its transport library before (httpx, then httpx2), and
    it rejects a timeout object of any transport but its own. So the object is built from
    what the client exports, never from a transport we import; a client that exports none
    gets the plain number of seconds, which every version takes.
    """
    timeout_type = getattr(openai, "Timeout", None)
    if timeout_type is None:
        return READ_TIMEOUT
    return timeout_type(READ_TIMEOUT, connect=CONNECT_TIMEOUT)


def _chunks(stream: Iterable[Any]) -> Iterator[tuple[str, str | None]]:
    """(text, finish reason) of each chunk of an OpenAI chat-completion stream."""
    for chunk in stream:
        if chunk.choices:
            choice = chunk.choices[0]
            yield (choice.delta.content if choice.delta else None) or "", choice.finish_reason


def _status_message(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    message = getattr(exc, "message", None) or str(exc)
    return f"HTTP {status}: {message}" if status else message


def load(spec: BackendSpec) -> OpenAIHTTPBackend:
    """The key is read here, at load, from the variable the configuration names."""
    import os

    if not spec.endpoint:
        raise VisCodeError(
            "The http backend needs a server URL. Pass `--endpoint http://HOST:PORT/v1` "
            "or set `%config VisCode.endpoint`."
        )
    if not spec.endpoint.startswith(("http://", "https://")):
        raise VisCodeError(
            f"--endpoint '{spec.endpoint}' is not an http(s) URL. Write it in full, for "
            "example `--endpoint http://127.0.0.1:8000/v1`."
        )
    return OpenAIHTTPBackend(
        spec.endpoint, spec.model, api_key=os.environ.get(spec.api_key_env), api_key_env=spec.api_key_env
    )
