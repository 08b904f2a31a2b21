"""A real ipykernel driven through nbclient, cell by cell, for end-to-end tests.

One kernel serves many cells (loading the model once), exactly as in a notebook.
``run`` returns the cell's outputs; helpers read back text, errors and variables.
"""

from __future__ import annotations

from typing import Any

from jupyter_core.utils import run_sync

from benchmarks.kernel import KernelSession as _Session
from benchmarks.kernel import mime_outputs

__all__ = ["KernelSession", "errors", "mime_outputs", "texts"]


class KernelSession(_Session):
    """The experiments' kernel driver, plus what the tests need: interrupts and a liveness check."""

    def value(self, expression: str) -> Any:
        """As the experiments' ``value``, but a missing value fails the test."""
        try:
            return super().value(expression)
        except RuntimeError as exc:
            raise AssertionError(str(exc)) from None

    def interrupt(self) -> None:
        """Send a kernel interrupt (Ctrl-C); safe to call from another thread while ``run`` waits."""
        run_sync(self.client.km.interrupt_kernel)()  # the manager is async: a bare call did nothing

    def is_alive(self) -> bool:
        return bool(run_sync(self.client.km.is_alive)())


def errors(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The error outputs of a cell."""
    return [o for o in outputs if o.get("output_type") == "error"]


def texts(outputs: list[dict[str, Any]]) -> str:
    """All text a cell showed: streams, text/plain of results and displays."""
    parts = []
    for output in outputs:
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}")
        else:
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)
