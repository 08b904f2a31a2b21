"""A pytest plugin: garbage is collected before pytest formats a failure, never while it does.

Formatting a failure parses source files with ``ast.parse``. If the garbage collector runs during
that parse and finds an object whose ``__del__`` raises (a client whose ``__init__`` failed, say),
pytest's unraisable-exception hook formats that traceback too, which parses again. CPython 3.11
keeps one AST-construction state per interpreter (python/cpython#106905), so the nested parse
corrupts the outer one: ``SystemError: AST constructor recursion depth mismatch``, pytest stops with
INTERNALERROR and every later test goes unreported. Collecting first and pausing the collector
while the report is built keeps a failing test a plain failure. Passing tests format nothing, so
they skip the collection (it costs tens of milliseconds on a heap with a loaded model).
"""

from __future__ import annotations

import gc
from collections.abc import Generator
from typing import Any

import pytest


def _collected_first() -> Generator[None, Any, Any]:
    gc.collect()  # finalisers of earlier garbage run here, outside any parse
    gc.disable()
    try:
        return (yield)
    finally:
        gc.enable()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    if call.excinfo is None:
        return (yield)
    return (yield from _collected_first())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    return (yield from _collected_first())
