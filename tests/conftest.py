"""Shared fixtures: a real kernel for end-to-end tests, the scripted fake model for unit tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from .kernel import KernelSession  # noqa: E402


@pytest.fixture(scope="session")
def kernel() -> Iterator[KernelSession]:
    """One real ipykernel with the extension loaded, shared by the session's e2e tests."""
    session = KernelSession()
    session.run("%load_ext viscoder_magic")
    yield session
    session.close()


@pytest.fixture
def fresh_kernel() -> Iterator[KernelSession]:
    """A kernel of its own, for tests that interrupt or may wreck it."""
    session = KernelSession()
    session.run("%load_ext viscoder_magic")
    yield session
    session.close()
