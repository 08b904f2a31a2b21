"""A real ipykernel driven through nbclient, cell by cell, for end-to-end tests.

One kernel serves many cells (loading the model once), exactly as in a notebook.
``run`` returns the cell's outputs; helpers read back text, errors and variables.
"""

from __future__ import annotations

import json
from typing import Any

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


class KernelSession:
    """Execute code cells one at a time in one real kernel."""

    def __init__(self, timeout: int = 600, cwd: str | None = None) -> None:
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb, timeout=timeout, kernel_name="python3", allow_errors=True,
            resources={"metadata": {"path": cwd}} if cwd else {},
        )
        self._ctx = self.client.setup_kernel()
        self._ctx.__enter__()
        run_sync(self.client.kc.wait_for_ready)(timeout=120)  # type: ignore[union-attr]

    def run(self, source: str) -> list[dict[str, Any]]:
        """Run one cell; return its outputs (errors are outputs, not exceptions)."""
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        except CellExecutionError:
            pass
        return cell.outputs

    def value(self, expression: str) -> Any:
        """Evaluate ``expression`` in the kernel and return it through JSON."""
        outputs = self.run(f"import json as _j; print(_j.dumps({expression}, default=str))")
        text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        if not text.strip():
            raise AssertionError(f"no value for {expression!r}: {outputs}")
        return json.loads(text.strip().splitlines()[-1])

    def interrupt(self) -> None:
        """Send a kernel interrupt (Ctrl-C); safe to call from another thread while ``run`` waits."""
        run_sync(self.client.km.interrupt_kernel)()  # the manager is async: a bare call did nothing

    def is_alive(self) -> bool:
        return bool(run_sync(self.client.km.is_alive)())

    def close(self) -> None:
        self._ctx.__exit__(None, None, None)


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


def mime_outputs(outputs: list[dict[str, Any]], mime: str) -> list[Any]:
    """Every payload of ``mime`` among the cell's outputs."""
    return [o["data"][mime] for o in outputs if mime in o.get("data", {})]
