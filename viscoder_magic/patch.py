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
import re
from collections.abc import Mapping
from typing import Any

from .patch_edit import Failure, Patch
from .patch_rules import RULES, closest_column

__all__ = ["MAX_PATCHES", "Patch", "patched"]

#: Patches tried one after another on one failing program before the model is asked again.
MAX_PATCHES = 3


_UNKNOWN_COLUMN = re.compile(r"has no column '([^']+)'")  # check.column_hint's words
_UNFINISHED = re.compile(r"was never closed|unexpected EOF|unterminated (?:string|triple-quoted)")


def _complete_statements(code: str, message: str) -> Patch | None:
    """A reply that stops mid-statement (it hit the token limit, often in a repetition loop).

    The complete statements before the cut usually draw the figure already; keep them
    unless they are under a quarter of the program (the note tells the user what went).
    """
    if not _UNFINISHED.search(message):
        return None
    lines = code.splitlines()
    for end in range(len(lines) - 1, 0, -1):
        try:
            ast.parse("\n".join(lines[:end]))
        except SyntaxError:
            continue
        if end < len(lines) / 4:
            return None
        return Patch("\n".join(lines[:end]).rstrip() + "\n",
                     f"the program stops mid-statement after line {end}; kept the complete statements before it "
                     f"and dropped the unfinished one ({len(lines) - end} lines)")
    return None


def patched(
    code: str, error_type: str | None, message: str, line: int | None,
    namespace: Mapping[str, Any], frames: Mapping[str, Any],
) -> Patch | None:
    """The failed program with its error fixed by rule, or None when no rule applies."""
    if not error_type:
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return _complete_statements(code, message) if error_type in ("SyntaxError", "PrecheckError") else None
    if error_type == "PrecheckError":  # nothing ran; the pre-check's unknown columns are the one rule that applies
        unknown = _UNKNOWN_COLUMN.search(message)
        return closest_column(Failure(code, tree, "KeyError", repr(unknown.group(1)), line, namespace, frames)) \
            if unknown else None
    failure = Failure(code, tree, error_type, message, line, namespace, frames)
    for fixer in RULES:
        fix = fixer(failure)
        if fix is not None and fix.code != code:
            return fix
    return None
