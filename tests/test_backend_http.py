"""The OpenAI-compatible backend against a real ``python -m llama_cpp.server`` on 127.0.0.1.

No mock: the fixture starts llama.cpp's own server with the default GGUF, so the
streaming, the model listing and the error mapping meet a real server. llama.cpp's
server answers any model name with its one model, so a wrong ``--model`` is caught
by our check against ``/v1/models`` at load (tested here); a server that answers
404 instead (vLLM) reaches the same message through ``_error``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from viscoder_magic.backends import BackendSpec, GenerationParams, get_backend
from viscoder_magic.backends.openai_http import OpenAIHTTPBackend
from viscoder_magic.backends.registry import choose_kind
from viscoder_magic.errors import VisCodeError
from viscoder_magic.models import resolve

from .kernel import errors, mime_outputs, texts

CHAT = [{"role": "user", "content": "Write the numbers from 1 to 30, separated by spaces."}]


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama.cpp server with the default model; yields its /v1 URL."""
    port = free_port()
    # A file, not a pipe: llama.cpp logs a lot while loading and would block on a full pipe.
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(resolve("default")),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not answer /v1/models within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_generation_streams_tokens(llama_server: str) -> None:
    backend = OpenAIHTTPBackend(llama_server)
    pieces: list[str] = []
    generation = backend.generate(CHAT, GenerationParams(max_tokens=24), pieces.append)
    assert len(pieces) > 3
    assert "".join(pieces) == generation.text
    assert generation.tokens == len(pieces)
    assert "1" in generation.text
    assert backend.model == str(resolve("default"))  # "default" picks the server's model
    assert llama_server in backend.description


def test_server_down_names_the_fix() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(VisCodeError, match="is not reachable") as info:
        OpenAIHTTPBackend(url)
    assert url in str(info.value) and "--endpoint" in str(info.value)


def test_wrong_model_lists_the_served_ones(llama_server: str) -> None:
    with pytest.raises(VisCodeError, match="does not serve a model called 'VisCoder-7B'") as info:
        OpenAIHTTPBackend(llama_server, "VisCoder-7B")
    assert str(resolve("default")) in str(info.value)


def test_wrong_path_gives_a_404_message(llama_server: str) -> None:
    url = llama_server.removesuffix("/v1") + "/nothing/v1"
    backend = OpenAIHTTPBackend(url, "some-model")  # no listing there: the name is not checked
    with pytest.raises(VisCodeError, match="answered 404 for model 'some-model'"):
        backend.generate(CHAT, GenerationParams(max_tokens=4))


def test_interrupted_stream_then_next_request_works(llama_server: str) -> None:
    backend = OpenAIHTTPBackend(llama_server)
    seen: list[str] = []

    def interrupt_after_three(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backend.generate(CHAT, GenerationParams(max_tokens=200), interrupt_after_three)
    assert len(seen) == 3
    again = backend.generate(CHAT, GenerationParams(max_tokens=12))
    assert again.tokens > 0 and again.text


def test_a_passed_deadline_closes_the_stream_and_the_server_stays_usable(llama_server: str) -> None:
    backend = OpenAIHTTPBackend(llama_server)
    cut = backend.generate(CHAT, GenerationParams(max_tokens=200, deadline=0.0))  # long past
    assert cut.finish_reason == "budget" and cut.tokens == 1
    again = backend.generate(CHAT, GenerationParams(max_tokens=12))
    assert again.finish_reason != "budget" and again.tokens > 0


def test_endpoint_selects_http_and_reads_the_named_key(llama_server: str, monkeypatch) -> None:
    monkeypatch.setenv("VISCODER_TEST_KEY", "sk-test-123")
    assert choose_kind("default", llama_server) == "http"
    spec = BackendSpec(kind="http", model="default", endpoint=llama_server, api_key_env="VISCODER_TEST_KEY")
    backend = get_backend(spec)
    assert isinstance(backend, OpenAIHTTPBackend)
    assert backend._client.api_key == "sk-test-123"


def test_endpoint_must_be_a_url() -> None:
    with pytest.raises(VisCodeError, match="not an http"):
        get_backend(BackendSpec(kind="http", model="default", endpoint="127.0.0.1:8000/v1"))


@pytest.mark.e2e
def test_magic_draws_through_the_server(kernel, llama_server: str) -> None:
    kernel.run("import pandas as pd\n"
               "df_http = pd.DataFrame({'month': ['Jan', 'Feb', 'Mar', 'Apr'], 'sales': [10, 14, 9, 17]})")
    outputs = kernel.run(f"%%viscode df_http --endpoint {llama_server} --max-tokens 300\n"
                         "bar chart of sales by month")
    assert not errors(outputs), outputs
    assert mime_outputs(outputs, "image/png"), texts(outputs)
    assert kernel.value("_viscode.ok") is True
    assert kernel.value("_viscode.model").startswith("http: ")
