"""Mechanical fixes: edits a failed program needs that no model call is required for.

Some errors name their own fix: a keyword the call does not take, ``plt.yaxis`` where
an Axes has ``yaxis``, a Series asked for an ndarray method, a style or column name one
letter off. The 0.5B reads such a hint and still resubmits the program (see
docs/BENCHMARKS.md), so the loop makes the edit itself, runs the result as a ``patch``
attempt the user sees, and asks the model only if that fails too. Every fix is chosen
by error class from the live objects; the edit touches only the offending node, so
the rest of the program keeps the model's own text.

Layers, bottom up: ``edit`` (``Patch``, ``Failure``, the node-replacing edit) and
``ast_tools`` (lookups in the program and its live objects) import nothing of the
project but the classifier (``failures``), so the stages ``check`` and ``safety_check``
use them; one module per error family holds the rules, each dispatching on the type of
the classified error (``Failure.error``) and reading the stages' lookups where it needs
them (``check.STANDARD_IMPORTS``, ``safety_check.call_problem``); ``registry`` orders every
rule. The stages import ``edit`` and ``ast_tools`` through this package, and rules import
those stages back, so the registry, and with it every rule, is imported on the first
``patched`` call rather than here (at the top it would close a circle: ``check`` ->
this package -> ``registry`` -> ``imports`` -> ``check``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..failures import Failure as Classified
from .edit import Patch

__all__ = ["MAX_PATCHES", "Patch", "patched"]

#: Patches tried one after another on one failing program before the model is asked again (each costs
#: one run, no tokens; plotly programs often need 4: module, grid keywords, a trace keyword, another).
MAX_PATCHES = 5


def patched(
    code: str,
    error_type: str | None,
    message: str,
    line: int | None,
    namespace: Mapping[str, Any],
    frames: Mapping[str, Any],
    earlier: Sequence[str] = (),
    error: Classified | None = None,
) -> Patch | None:
    """The failed program with its error fixed by rule, or None when no rule applies.

    ``earlier``: the run's previous programs, oldest first (a rewrite may drop a definition they had);
    ``error``: the error as ``failures.classify`` read it (read here when not given).
    """
    from .registry import first_patch, stage_of  # see the module's docstring: not at the top

    if not error_type:
        return None
    staged = stage_of(code, error_type, message, line, namespace, frames, earlier, error)
    return first_patch(*staged) if staged is not None else None
