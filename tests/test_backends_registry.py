"""The backend registry finds each backend by name in its table, importing it only when asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from viscoder_magic.backends import BackendSpec, get_backend, register_backend
from viscoder_magic.backends.registry import _FACTORIES, BUILTIN_BACKENDS, backend_kinds
from viscoder_magic.errors import VisCodeError


@pytest.mark.parametrize("name", sorted(BUILTIN_BACKENDS))
def test_every_row_names_a_loader(name: str) -> None:
    module, _, function = BUILTIN_BACKENDS[name].partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_an_unknown_name_lists_the_valid_ones_without_importing_a_backend() -> None:
    code = (
        "import sys\n"
        "from viscoder_magic.backends import BackendSpec, get_backend\n"
        "try:\n"
        "    get_backend(BackendSpec('lama', 'x'))\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
        "print(sorted(m for m in sys.modules if m.startswith('viscoder_magic.backends.')))\n"
    )
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    error, modules = lines.splitlines()
    assert error == "VisCodeError Unknown backend 'lama'. Use one of: fake, http, llama, transformers."
    assert modules == "['viscoder_magic.backends.base', 'viscoder_magic.backends.registry']"


def test_a_registered_backend_is_valid_and_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    # A registry of the test's own: the stand-in is never left loaded for ``unload_all`` to close.
    monkeypatch.setattr("viscoder_magic.backends.registry._FACTORIES", dict(_FACTORIES))
    monkeypatch.setattr("viscoder_magic.backends.registry._LOADED", {})
    sentinel = object()
    register_backend("echo")(lambda spec: sentinel)
    assert "echo" in backend_kinds()
    assert get_backend(BackendSpec("echo", "any")) is sentinel
    with pytest.raises(VisCodeError, match="Use one of: echo, fake"):
        get_backend(BackendSpec("nope", "any"))
