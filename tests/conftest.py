"""Shared fixtures: a real kernel for end-to-end tests, the scripted fake model for unit tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

#: Failures are formatted with the garbage collector paused (see tests/report_gc.py).
pytest_plugins = ["tests.report_gc"]

from .kernel import KernelSession  # noqa: E402

# Tests check behaviour, not speed: a loaded CI machine must not turn into skipped repair rounds.
_KERNEL_SETUP = "%load_ext viscoder_magic\n%config VisCode.budget = 900"
_SHELL_NAMES = ("In", "Out", "exit", "quit", "get_ipython")


@pytest.fixture
def shell():
    """A real in-process IPython shell with the extension loaded and an empty namespace."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    start_ipython()
    ip = get_ipython()
    ip.run_line_magic("load_ext", "viscoder_magic")
    for name in [n for n in ip.user_ns if not n.startswith("_") and n not in _SHELL_NAMES]:
        ip.user_ns.pop(name)
    yield ip
    ip.run_line_magic("viscode", "unload")


@pytest.fixture(scope="session")
def kernel() -> Iterator[KernelSession]:
    """One real ipykernel with the extension loaded, shared by the session's e2e tests."""
    session = KernelSession()
    session.run(_KERNEL_SETUP)
    yield session
    session.close()


@pytest.fixture
def fresh_kernel() -> Iterator[KernelSession]:
    """A kernel of its own, for tests that interrupt or may wreck it."""
    session = KernelSession()
    session.run(_KERNEL_SETUP)
    yield session
    session.close()
