"""The parsed cell: one frozen value that every later stage reads.

The magic parses its line once into a ``VisCodeRequest``; nothing downstream sees
the raw line, so the pipeline, the benchmark and the tests all drive the same
object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIBRARIES = ("matplotlib", "seaborn", "plotly")


@dataclass(frozen=True)
class VisCodeRequest:
    """A plotting request: what to draw, from which frames, and how hard to try."""

    text: str
    frames: tuple[str, ...]
    lib: str = "matplotlib"
    model: str = "default"
    endpoint: str | None = None
    rounds: int = 3
    candidates: int = 1
    fix: bool = False
    goal: str = ""  # with --fix: what the figure should show, in words
    insert: bool = False
    out: str | None = None
    timeout: float = 30.0
    budget: float = 120.0
    seed: int | None = None
    temperature: float = 0.0
    max_tokens: int = 1024
    unsafe: bool = False
    cell: str = field(default="", compare=False)
