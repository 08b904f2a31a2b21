"""Display stage: the live status line, the figure, and the kept result.

The status line is one display that is updated in place while the model writes
(attempt k/K, tokens, tokens/s) and then replaced by the figure. The run itself is
shown as one MIME bundle: JupyterLab with our extension renders the rich view;
every other front end (classic notebook, VS Code, nbconvert) gets the HTML or text
fallback from the same bundle.
"""

from __future__ import annotations

import time
from typing import Any

from IPython.display import display

from .execute import CapturedFigure
from .mime import BUNDLE_VERSION, MIME_TYPE
from .result import Attempt, RunResult, result_html, result_text


class LiveStatus:
    """A ``Progress`` that shows attempt k/K, tokens and tokens/s in one updating line."""

    def __init__(self, min_interval: float = 0.25) -> None:
        from IPython import get_ipython

        # Only a kernel front end updates a display in place; a terminal would print every update.
        self._live = getattr(get_ipython(), "kernel", None) is not None
        self._handle = display({"text/plain": "viscode: starting…"}, raw=True, display_id=True)
        self._min_interval = min_interval
        self._label = ""
        self._tokens = 0
        self._started = time.perf_counter()
        self._shown = 0.0

    def _show(self, text: str) -> None:
        if self._handle is not None:
            self._handle.update({"text/plain": text}, raw=True)

    def attempt_started(self, index: int, total: int, kind: str) -> None:
        self._label = f"viscode: attempt {index}/{total} ({kind})"
        self._tokens, self._started = 0, time.perf_counter()
        self._show(self._label + (" running your code…" if kind == "user" else " generating…"))

    def token(self, piece: str) -> None:
        self._tokens += 1
        now = time.perf_counter()
        if self._live and now - self._shown >= self._min_interval:
            self._shown = now
            rate = self._tokens / max(now - self._started, 1e-6)
            self._show(f"{self._label}: {self._tokens} tokens, {rate:.1f} tokens/s")

    def attempt_finished(self, attempt: Attempt) -> None:
        state = "drew a figure" if attempt.ok else f"failed: {attempt.error_type}"
        self._show(f"{self._label}: {state}")

    def replace(self, bundle: dict[str, Any]) -> None:
        """Put the final output where the status line was."""
        if self._handle is not None:
            self._handle.update(bundle, raw=True)


def run_bundle(result: RunResult, request: dict[str, Any]) -> dict[str, Any]:
    """The JSON the front end renders (schema: docs/ARCHITECTURE.md, "Run bundle")."""
    return {
        "version": BUNDLE_VERSION,
        "request": request,
        "frames": [dict(f) for f in result.frames],
        "attempts": [
            {
                "index": a.index,
                "kind": a.kind,
                "code": a.code,
                "ok": a.ok,
                "error_type": a.error_type,
                "error": a.error,
                "hint": a.hint,
                "note": a.note,
                "seconds": round(a.seconds + a.generation_seconds, 3),
                "tokens": a.tokens,
            }
            for a in result.attempts
        ],
        "final_code": result.code,
        "facts": result.facts.as_dict() if result.facts is not None else None,
        "ok": result.ok,
        "interrupted": result.interrupted,
        "stopped": result.stopped,
        "model": {"name": result.model},
        "seconds": round(result.seconds, 3),
    }


def figure_bundle(figure: CapturedFigure) -> dict[str, Any]:
    """A figure's MIME bundle, with a text fallback."""
    return {**figure.bundle, "text/plain": f"<{figure.kind} figure>"}


def show_result(result: RunResult, request: dict[str, Any], status: LiveStatus | None) -> None:
    """Replace the status line with the figure, then show the run (code, attempts)."""
    run = {
        MIME_TYPE: run_bundle(result, request),
        "text/html": result_html(result),
        "text/plain": result_text(result),
    }
    drawn = result.drawn
    figures = [figure_bundle(f) for f in drawn.figures] if drawn is not None else []
    if drawn is not None and not result.ok:  # shown, since it drew, but never passed as the answer
        figures.append({"text/plain": f"viscode: this figure may not show what was asked. {drawn.error}"})
    outputs = [*figures, run]
    if status is not None:  # the status line becomes the first output, nothing is left empty
        first = outputs.pop(0)
        _shown_safely(first, lambda bundle: status.replace(bundle))
    for bundle in outputs:
        _shown_safely(bundle, lambda bundle: display(bundle, raw=True))


#: MIME types every front end renders from plain strings: the fallback when a richer one fails.
_PLAIN_TYPES = ("text/html", "text/plain")


def _shown_safely(bundle: dict[str, Any], show: Any) -> None:
    """Show a bundle; if the front end's packer refuses part of it, show the rest and say so in one line.

    The figure was drawn and the user's code kept: a representation the kernel cannot send
    (a value its JSON packer does not know) must cost that representation only, never the cell.
    """
    try:
        show(bundle)
        return
    except Exception as exc:  # noqa: BLE001 - whatever the packer raises, the figure still shows
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    plain = {k: v for k, v in bundle.items() if k in _PLAIN_TYPES}
    dropped = ", ".join(sorted(set(bundle) - set(plain)))
    print(
        f"viscode: could not send {dropped or 'this output'} to the front end ({problem}); showing the rest."
    )
    if plain:
        try:
            show(plain)
        except Exception as exc:  # noqa: BLE001 - the last resort is the printed line above and this one
            print(f"viscode: could not show the output at all ({type(exc).__name__}).")
