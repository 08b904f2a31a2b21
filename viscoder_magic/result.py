"""What a run produced: attempts in order, the final code, the figures.

Plain frozen data, so the pipeline can build it, the display stage can render it,
the benchmark can write it to JSON, and the user can keep it (``--out``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .execute import CapturedFigure
from .facts import FigureFacts

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
    note: str = ""  # for a patch: what was changed, and why
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
        from .display import result_html, result_text

        return {"text/html": result_html(self), "text/plain": result_text(self)}
