"""The parsed cell: one frozen value that every later stage reads.

The magic parses its line once into a ``VisCodeRequest``; nothing downstream sees
the raw line, so the pipeline, the benchmark and the tests all drive the same
object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIBRARIES = ("matplotlib", "seaborn", "plotly")
#: Parts of the search a benchmark can switch off to measure what each adds (all off: the
#: VisCoder paper's plain self-debug loop: greedy, traceback only, resubmissions re-run, and any
#: figure that draws accepted, whatever it shows).
ABLATIONS = ("hints", "resample", "precheck", "patch", "mismatch")


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
    prompt: str = "viscode"
    ablate: tuple[str, ...] = ()
    cell: str = field(default="", compare=False)

    @property
    def frame_names(self) -> tuple[str, ...]:
        """Names the generated code may use for the frames (``df`` aliases a lone frame)."""
        return self.frames
