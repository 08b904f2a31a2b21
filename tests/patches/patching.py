"""Run a program, patch its failure by rule, run again: what the loop's patch step does, without a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt

from viscoder_magic.patches import patched


def run_patched(code: str, namespace: Mapping[str, Any], frames: Mapping[str, Any],
                rounds: int = 3) -> tuple[str, list[str]]:
    """``code`` once it runs, and the notes of the patches it took; raises the last error when no rule applies."""
    notes: list[str] = []
    for _ in range(rounds):
        ran = dict(namespace)
        try:
            exec(compile(code, "<viscode>", "exec"), ran)
            return code, notes
        except Exception as exc:  # noqa: BLE001 - the failure is the patch's input
            line = exc.__traceback__.tb_next.tb_lineno if exc.__traceback__ and exc.__traceback__.tb_next else None
            fix = patched(code, type(exc).__name__, str(exc), line, ran, frames)
            if fix is None:
                raise
            code, notes = fix.code, [*notes, fix.note]
        finally:
            plt.close("all")
    raise AssertionError(f"still failing after {rounds} patches: {notes}")
