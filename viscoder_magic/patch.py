"""Mechanical fixes: edits a failed program needs that no model call is required for.

Some errors name their own fix: a keyword the call does not take, ``plt.yaxis`` where
an Axes has ``yaxis``, a Series asked for an ndarray method, a style or column name one
letter off. The 0.5B reads such a hint and still resubmits the program (see
docs/BENCHMARKS.md), so the loop makes the edit itself, runs the result as a ``patch``
attempt the user sees, and asks the model only if that fails too. Every fix is chosen
by error class from the live objects; the edit touches only the offending node, so
the rest of the program keeps the model's own text.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

from .check import UNKNOWN_COLUMN
from .patch_data import absent_style_column
from .patch_edit import Failure, Patch
from .patch_precheck import undefined_names
from .patch_rules import RULES, closest_column
from .patch_side_effects import dropped_side_effects
from .patch_syntax import unparsable

__all__ = ["MAX_PATCHES", "Patch", "patched"]

#: Patches tried one after another on one failing program before the model is asked again (each costs
#: one run, no tokens; plotly programs often need 4: module, grid keywords, a trace keyword, another).
MAX_PATCHES = 5


def patched(
    code: str, error_type: str | None, message: str, line: int | None,
    namespace: Mapping[str, Any], frames: Mapping[str, Any], earlier: Sequence[str] = (),
) -> Patch | None:
    """The failed program with its error fixed by rule, or None when no rule applies.

    ``earlier``: the run's previous programs, oldest first (a rewrite may drop a definition they had).
    """
    if not error_type:
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return unparsable(code, message, frames) if error_type in ("SyntaxError", "PrecheckError") else None
    if error_type == "PrecheckError":  # nothing ran: only the pre-check's own findings can be patched
        unknown = UNKNOWN_COLUMN.search(message)
        if unknown:
            column = Failure(code, tree, "KeyError", repr(unknown.group(1)), line, namespace, frames)
            return closest_column(column) or absent_style_column(column)
        failure = Failure(code, tree, error_type, message, line, namespace, frames)
        return dropped_side_effects(failure) or undefined_names(failure, earlier)
    failure = Failure(code, tree, error_type, message, line, namespace, frames)
    for fixer in RULES:
        fix = fixer(failure)
        if fix is not None and fix.code != code:
            return fix
    return None
