"""What a run produced: attempts in order, the final code, the figures.

Plain frozen data, so the pipeline can build it, the display stage can render it,
the benchmark can write it to JSON, and the user can keep it (``--out``). Its HTML and
text views live here, beside the data they read: the result shows itself wherever it is
displayed (``_repr_mimebundle_``), and the display stage, which sends them with the run
bundle, imports them from here.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

from .execute import CapturedFigure
from .facts import FigureFacts, facts_line

#: The failure of a program that ran and drew a figure that does not show what was asked.
MISMATCH = "Mismatch"


@dataclass(frozen=True)
class Attempt:
    """One program that was tried, where it came from, and what happened."""

    index: int
    kind: str  # "generate", "repair", "user" (--fix) or "patch" (edited by rule, no model call)
    code: str
    ok: bool
    error_type: str | None = None
    error: str = ""
    hint: str = ""
    seconds: float = 0.0
    generation_seconds: float = 0.0
    tokens: int = 0
    temperature: float = 0.0
    reply: str = ""
    candidates: int = 1
    resubmitted: int = 0  # replies of this round that repeated an already-failed program (and were resampled)
    note: str = ""  # what a rule changed, and why: a patch, or the pre-check's edits to the data plotted
    figures: tuple[CapturedFigure, ...] = field(default=(), repr=False)
    facts: FigureFacts | None = field(default=None, repr=False)  # what the figures hold, when one drew

    @property
    def drew(self) -> bool:
        """The program ran and drew, whether or not its figure shows what was asked (exec pass)."""
        return self.ok or self.error_type == MISMATCH

    def to_json(self) -> dict[str, Any]:
        """JSON-safe view (figures reduced to their kind and whether they drew anything)."""
        data = asdict(self)
        data["figures"] = [{"kind": f.kind, "has_content": f.has_content} for f in self.figures]
        data["facts"] = self.facts.as_dict() if self.facts is not None else None
        return data


@dataclass(frozen=True)
class RunResult:
    """The outcome of one ``%%viscode`` cell."""

    request_text: str
    lib: str
    model: str
    attempts: tuple[Attempt, ...]
    frames: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0
    interrupted: bool = False
    seed: int | None = None
    rounds: int = 0
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].ok

    @property
    def code(self) -> str | None:
        """The working program, or ``None`` when every attempt failed."""
        return self.attempts[-1].code if self.ok else None

    @property
    def figures(self) -> tuple[CapturedFigure, ...]:
        return self.attempts[-1].figures if self.attempts else ()

    @property
    def drawn(self) -> Attempt | None:
        """The attempt whose figure is shown: the working one, else the last that drew a mismatched figure."""
        if self.ok:
            return self.attempts[-1]
        return next((a for a in reversed(self.attempts) if a.drew), None)

    @property
    def facts(self) -> FigureFacts | None:
        """What the shown figure holds (kinds of marks, series, labels, scales, columns), or None."""
        drawn = self.drawn
        return drawn.facts if drawn is not None else None

    @property
    def figure(self) -> CapturedFigure | None:
        """The first figure of the working attempt (displayable on its own)."""
        return self.figures[0] if self.ok and self.figures else None

    @property
    def tokens(self) -> int:
        return sum(a.tokens for a in self.attempts)

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent generating and running code, and in total."""
        return {
            "generate": round(sum(a.generation_seconds for a in self.attempts), 3),
            "execute": round(sum(a.seconds for a in self.attempts), 3),
            "total": round(self.seconds, 3),
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": result_html(self), "text/plain": result_text(self)}


def _attempt_html(attempt: Attempt, position: int) -> str:
    status = "✓ drew a figure" if attempt.ok else f"✗ {html.escape(attempt.error_type or 'error')}"
    error = (
        f"<pre style='color:#a00;white-space:pre-wrap'>{html.escape(attempt.error)}</pre>"
        if attempt.error
        else ""
    )
    note = (
        f"<p><i>Changed by rule, without the model:</i> {html.escape(attempt.note)}</p>"
        if attempt.note
        else ""
    )
    hint = f"<p><i>Hint given to the model:</i> {html.escape(attempt.hint)}</p>" if attempt.hint else ""
    return (
        f"<details{' open' if not attempt.ok else ''}><summary>Attempt {position} "
        f"({attempt.kind}): {status}</summary>{note}"
        f"<pre>{html.escape(attempt.code)}</pre>{error}{hint}</details>"
    )


def facts_text(result: RunResult) -> str:
    """What the shown figure holds, in one sentence a reader (or a screen reader) can follow."""
    facts = result.facts
    return facts_line(facts) if facts is not None and facts.panels else ""


def summary_line(result: RunResult) -> str:
    """One line: outcome, attempts, time, model."""
    outcome = (
        "figure drawn"
        if result.ok
        else (
            "interrupted"
            if result.interrupted
            else "figure drawn, but not what was asked"
            if result.drawn is not None
            else "no working code"
        )
    )
    line = (
        f"viscode: {outcome} · {len(result.attempts)} attempt(s) · {result.seconds:.1f} s · "
        f"{result.tokens} tokens · {result.model}"
    )
    return f"{line} · stopped early: {result.stopped}" if result.stopped else line


def result_html(result: RunResult) -> str:
    """Readable fallback for front ends without the extension."""
    parts = [f"<div class='viscode-run'><b>{html.escape(summary_line(result))}</b>"]
    if facts_text(result):
        parts.append(f"<p class='viscode-facts'>Figure: {html.escape(facts_text(result))}</p>")
    if result.ok and len(result.attempts) == 1:
        parts.append(f"<details><summary>Code</summary><pre>{html.escape(result.code or '')}</pre></details>")
    else:
        parts += [_attempt_html(a, n) for n, a in enumerate(result.attempts, 1)]
    parts.append("</div>")
    return "".join(parts)


def result_text(result: RunResult) -> str:
    """Plain-text fallback (terminals, logs)."""
    lines = [summary_line(result)]
    if facts_text(result):
        lines.append(f"figure: {facts_text(result)}")
    for position, attempt in enumerate(result.attempts, 1):
        lines.append(f"--- attempt {position} ({attempt.kind}): {'ok' if attempt.ok else attempt.error_type}")
        if attempt.note:
            lines.append(f"(changed by rule, without the model: {attempt.note})")
        if not attempt.ok:
            lines.append(attempt.error)
    if result.code:
        lines += ["--- final code:", result.code]
    return "\n".join(lines)
