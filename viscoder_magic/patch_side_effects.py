"""Calls the guard refuses that the figure does not need: ``os.makedirs(...)``, ``plt.savefig(...)``.

The 0.5B often ends a program by saving the figure, sometimes into a folder it first
creates. The pre-check names each such call and says "remove it", and the model then
rewrites the whole program (or keeps the call). Removing the statement is exactly the
fix the message names, so it is made by rule; a call whose result the program uses
(``f = open(path, 'w')``) is left to the model, since removing it would break the rest.
"""

from __future__ import annotations

import ast

from .patch_edit import Failure, Patch, replaced
from .safety_check import aliases_of, call_problem

_REMOVABLE = ("; remove it", "so remove this call")


def dropped_side_effects(failure: Failure) -> Patch | None:
    """Each statement that is only a refused call (its problem says to remove it) becomes ``pass``."""
    if failure.error_type != "PrecheckError" or not any(m in failure.message for m in _REMOVABLE):
        return None
    aliases = aliases_of(failure.tree)
    edits: list[tuple[ast.AST, str]] = []
    removed: list[tuple[int, str]] = []
    for statement in ast.walk(failure.tree):
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
            continue
        problem = call_problem(statement.value, aliases)
        if problem and any(problem.endswith(m) or m in problem for m in _REMOVABLE):
            edits.append((statement, "pass  # removed: the guard refuses it"))
            removed.append((statement.lineno, f"line {statement.lineno}: {ast.unparse(statement.value.func)}()"))
    return Patch(replaced(failure.code, edits), "removed what the guard refuses and the figure does not need ("
                 + ", ".join(text for _, text in sorted(removed)) + "); the figure is returned to the notebook as it is") if edits else None
