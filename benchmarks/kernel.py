"""A real ipykernel driven through nbclient, for measurements made in a notebook's own conditions.

The experiments need only what a cell costs and what it showed, so this is the small part of a
kernel driver they use (the tests extend it with interrupts and error readers): an experiment
must run from a checkout without the test suite on the path.
"""

from __future__ import annotations

import json
from typing import Any


class KernelSession:
    """Execute code cells one at a time in one real kernel, as a notebook does (one model load)."""

    def __init__(self, timeout: int = 600, cwd: str | None = None) -> None:
        import nbformat
        from jupyter_core.utils import run_sync
        from nbclient import NotebookClient

        self._run_sync = run_sync
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": cwd}} if cwd else {},
        )
        self._ctx = self.client.setup_kernel()
        self._ctx.__enter__()
        run_sync(self.client.kc.wait_for_ready)(timeout=120)  # type: ignore[union-attr]

    def run(self, source: str) -> list[dict[str, Any]]:
        """Run one cell; return its outputs (a cell's error is an output, not an exception)."""
        import nbformat
        from nbclient.exceptions import CellExecutionError

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
            raise RuntimeError(f"no value for {expression!r}: {outputs}")
        return json.loads(text.strip().splitlines()[-1])

    def close(self) -> None:
        self._ctx.__exit__(None, None, None)


def mime_outputs(outputs: list[dict[str, Any]], mime: str) -> list[Any]:
    """Every payload of ``mime`` among a cell's outputs."""
    return [o["data"][mime] for o in outputs if mime in o.get("data", {})]
