"""The OpenAI-compatible backend against a real ``python -m llama_cpp.server`` on 127.0.0.1.

No mock: the fixture starts llama.cpp's own server with the default GGUF, so the
streaming, the model listing and the error mapping meet a real server. llama.cpp's
server answers any model name with its one model, so a wrong ``--model`` is caught
by our check against ``/v1/models`` at load (tested here); a server that answers
404 instead (vLLM) reaches the same message through ``_error``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from viscoder_magic.backends import BackendSpec, GenerationParams, get_backend
from viscoder_magic.backends.openai_http import OpenAIHTTPBackend
from viscoder_magic.backends.registry import choose_kind
from viscoder_magic.errors import VisCodeError
from viscoder_magic.models import resolve

from .conftest import _KERNEL_SETUP
from .kernel import KernelSession, errors, mime_outputs, texts

ROOT = Path(__file__).resolve().parent.parent
#: The oldest openai client pyproject.toml allows, with its dependencies, locked by scripts/lock.sh.
OLDEST_IN = ROOT / "requirements" / "openai-oldest.in"
OLDEST_LOCK = ROOT / "requirements" / "openai-oldest.txt"

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
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(resolve("default")),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
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


def assert_draws_through(session: KernelSession, url: str) -> None:
    """``%%viscode --endpoint`` in a real kernel draws a bar chart from the server's model."""
    session.run(
        "import pandas as pd\n"
        "df_http = pd.DataFrame({'month': ['Jan', 'Feb', 'Mar', 'Apr'], 'sales': [10, 14, 9, 17]})"
    )
    outputs = session.run(f"%%viscode df_http --endpoint {url} --max-tokens 300\nbar chart of sales by month")
    assert not errors(outputs), outputs
    assert mime_outputs(outputs, "image/png"), texts(outputs)
    assert session.value("_viscode.ok") is True
    assert session.value("_viscode.model").startswith("http: ")


@pytest.mark.e2e
def test_magic_draws_through_the_server(kernel, llama_server: str) -> None:
    assert_draws_through(kernel, llama_server)


def pinned(requirements: str, name: str) -> str:
    """The version ``name==X`` pins in a requirements text."""
    found = re.search(rf"^{name}==([^\s;]+)", requirements, re.MULTILINE)
    assert found, f"{name} is not pinned"
    return found.group(1)


def test_the_oldest_client_tested_is_the_floor_pyproject_allows() -> None:
    """The floor in pyproject.toml, the input of the oldest lock and the lock itself name one version."""
    named = re.search(r'"openai>=([^",]+)"', (ROOT / "pyproject.toml").read_text())
    assert named, "pyproject.toml names no openai floor"
    assert pinned(OLDEST_IN.read_text(), "openai") == named.group(1)
    assert pinned(OLDEST_LOCK.read_text(), "openai") == named.group(1)


def test_the_backend_imports_no_transport_library() -> None:
    """The client has swapped its transport before (httpx, then httpx2): only its own API is used."""
    source = (ROOT / "viscoder_magic" / "backends" / "openai_http.py").read_text()
    assert not re.search(r"^\s*(import|from)\s+httpx", source, re.MULTILINE)


@pytest.fixture(scope="session")
def oldest_openai() -> Path:
    """A folder holding the oldest supported openai client and its locked dependencies.

    Installed once per lock (the folder's name is the lock's hash) beside the virtualenv and put first
    on a process's path, so the process imports that client instead of the virtualenv's.
    """
    lock = OLDEST_LOCK.read_bytes()
    target = Path(sys.prefix) / "openai-oldest" / hashlib.sha256(lock).hexdigest()[:16]
    if not (target / "openai").is_dir():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--target", str(partial), "-r", str(OLDEST_LOCK)],
            check=True,
            timeout=600,
        )
        partial.rename(target)
    return target


@pytest.mark.e2e
def test_the_oldest_client_streams_from_the_server(llama_server: str, oldest_openai: Path) -> None:
    script = (
        "import openai\n"
        "from viscoder_magic.backends import GenerationParams\n"
        "from viscoder_magic.backends.openai_http import OpenAIHTTPBackend\n"
        f"backend = OpenAIHTTPBackend({llama_server!r})\n"
        f"reply = backend.generate({CHAT!r}, GenerationParams(max_tokens=16))\n"
        "print(openai.__version__, openai.__file__, reply.tokens, repr(reply.text))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(oldest_openai), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    version, location, tokens, text = done.stdout.split(" ", 3)
    assert version == pinned(OLDEST_LOCK.read_text(), "openai")
    assert location.startswith(str(oldest_openai))
    assert int(tokens) > 3 and "1" in text


@pytest.mark.e2e
def test_magic_draws_through_the_server_with_the_oldest_client(
    llama_server: str, oldest_openai: Path
) -> None:
    session = KernelSession()
    try:
        # First on the path before anything imports openai: the magic then runs on the oldest client.
        session.run(f"import sys; sys.path.insert(0, {str(oldest_openai)!r})")
        session.run(_KERNEL_SETUP)
        assert_draws_through(session, llama_server)
        assert session.value("__import__('openai').__version__") == pinned(OLDEST_LOCK.read_text(), "openai")
    finally:
        session.close()
