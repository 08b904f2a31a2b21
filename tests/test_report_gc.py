"""A failing test stays a failure: the run goes on and reports, whatever its garbage does.

The reproduction is the one that stopped the suite: tests that fail while a half-built object (its
``__init__`` raised, its ``__del__`` raises too, as an HTTP client given a bad timeout does) waits
for the garbage collector, in a module large enough that formatting the failure triggers a
collection inside pytest's own ``ast.parse``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HALF_BUILT = """
class HalfBuilt:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it
        raise TypeError("Invalid timeout")

    def __del__(self):
        self.state  # AttributeError: __init__ never got this far


def test_one():
    HalfBuilt()


def test_two():
    HalfBuilt()


def test_three():
    HalfBuilt()
"""
#: Enough module text that parsing it for the report allocates past a collection threshold.
FILLER = "\n".join(f"FILLER_{i} = [{i}, ({i}, {i}), {{'k': {i}}}]" for i in range(3000))


def run_pytest(folder: Path, *options: str) -> str:
    test_file = folder / "test_half_built.py"
    test_file.write_text(HALF_BUILT + "\n\n" + FILLER + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(test_file)],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
        env={"PYTHONPATH": str(Path(__file__).parent), "PATH": "/usr/bin:/bin"},
    )
    return done.stdout + done.stderr


def test_failures_are_reported_with_the_plugin(tmp_path: Path) -> None:
    output = run_pytest(tmp_path, "-p", "report_gc")
    assert "INTERNALERROR" not in output, output[-3000:]
    assert "3 failed" in output, output[-3000:]


def test_without_the_plugin_the_run_dies_on_this_python(tmp_path: Path) -> None:
    """The reproduction is real: on CPython 3.11 it stops pytest when the plugin is not loaded."""
    output = run_pytest(tmp_path, "-p", "no:report_gc")
    if sys.version_info[:2] == (3, 11):
        assert "AST constructor recursion depth mismatch" in output, output[-3000:]
    else:
        assert "3 failed" in output or "INTERNALERROR" in output, output[-3000:]
