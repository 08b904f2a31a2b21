"""Patches for what the pre-check found, before anything ran: names the program never made, calls refused.

The 0.5B often drops ``fig, ax = plt.subplots()`` while rewriting a program and keeps
using ``fig`` and ``ax``; the repair turn then sees "names used but never defined" and
drops more. For the figure objects a plotting library always has a current one to give
(pyplot's ``gcf()`` / ``gca()``, a new plotly ``Figure``), and a bare numpy dtype name
(``int64``) means the dtype's name, so those are supplied by rule; a name an earlier
program of the run defined (a list, a helper function) is restored from it. Any other
missing name is the model's to decide.

The 0.5B also often ends a program by saving the figure, sometimes into a folder it
first creates. The pre-check names each such call and says "remove it", and the model
then rewrites the whole program (or keeps the call). Removing the statement is exactly
the fix the message names, so it is made by rule; a call whose result the program uses
(``f = open(path, 'w')``) is left to the model, since removing it would break the rest.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import numpy as np

from .. import failure_readers
from ..safety_check import call_problem
from .ast_tools import alias_of, imported_names
from .edit import Failure, Patch, replaced
from .imports import defining_home


def _is_dtype_name(name: str) -> bool:
    """``int64``, ``float32``, ``bool_``: names numpy reads as a dtype."""
    if len(name) < 4:  # one-letter codes ('f', 'd') are more often a variable the model forgot
        return False
    try:
        np.dtype(name)
    except (TypeError, ValueError):
        return False
    return True


def _earlier_definition(name: str, earlier: Sequence[str]) -> str | None:
    """The newest top-level definition of ``name`` (assignment,
    function, class) in an earlier program of the run."""
    for code in reversed(earlier):
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for statement in tree.body:
            defines = (
                isinstance(statement, ast.FunctionDef | ast.ClassDef)
                and statement.name == name
                or isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
            )
            if defines:
                return ast.get_source_segment(code, statement)
    return None


def _supplied(
    tree: ast.Module, names: list[str], earlier: Sequence[str] = ()
) -> dict[str, tuple[str, str]] | None:
    """The statement that supplies each missing name and
    what the note says, or None when one cannot be supplied.

    Figure objects come from the library; anything else only from an earlier program of
    the same run, which the model's rewrite dropped (``marker_colors = [...]``, a ``def``).
    """
    pyplot, graph_objects = (
        alias_of("matplotlib.pyplot", tree=tree),
        alias_of("plotly.graph_objects", tree=tree),
    )
    plotly = alias_of("plotly.express", tree=tree) or graph_objects
    made: dict[str, tuple[str, str]] = {}
    for name in names:
        if name in ("fig", "ax") and pyplot and not plotly:
            made[name] = (
                statement := f"{name} = {pyplot}.{'gcf' if name == 'fig' else 'gca'}()",
                f"used `{statement}`",
            )
        elif name == "fig" and plotly and not pyplot:
            made[name] = (
                f"fig = {graph_objects}.Figure()"
                if graph_objects
                else "import plotly.graph_objects as go\nfig = go.Figure()",
                "used `fig = go.Figure()`",
            )
        elif name[:1].isupper() and (home := defining_home(name)) is not None:  # a class never imported
            made[name] = (f"from {home} import {name}", f"imported {name} from {home}")
        elif (definition := _earlier_definition(name, earlier)) is not None:
            made[name] = (definition, f"restored the definition of {name} from the previous attempt")
        else:
            return None
    return made


def _first_use(tree: ast.Module, name: str) -> int:
    """The first line of the top-level statement (decorators included) that first uses ``name``."""
    first = next(s for s in tree.body if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(s)))
    return min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])


def undefined_names(failure: Failure) -> Patch | None:
    """Supply figure objects, dtype names and earlier definitions the pre-check found used but never made."""
    listed = failure_readers.undefined_names(failure.message)
    if failure.error_type != "PrecheckError" or listed is None:
        return None
    names = list(listed)
    dtypes = [n for n in names if _is_dtype_name(n)]
    made = _supplied(failure.tree, [n for n in names if n not in dtypes], failure.earlier)
    if made is None or not names:
        return None
    code = replaced(
        failure.code,
        [(n, repr(n.id)) for n in ast.walk(failure.tree) if isinstance(n, ast.Name) and n.id in dtypes],
    )
    tree, lines = ast.parse(code), code.splitlines(keepends=True)
    for name, (statement, _) in sorted(made.items(), key=lambda item: -_first_use(tree, item[0])):
        lines.insert(_first_use(tree, name) - 1, statement + "\n")  # top-level statements start in column 0
    said = [note for _, note in made.values()] + [f"quoted the dtype name {n!r}" for n in dtypes]
    return Patch("".join(lines), f"{', '.join(names)} never defined; " + "; ".join(said))


_REMOVABLE = ("; remove it", "so remove this call")


def dropped_side_effects(failure: Failure) -> Patch | None:
    """Each statement that is only a refused call (its problem says to remove it) is removed."""
    if failure.error_type != "PrecheckError" or not any(m in failure.message for m in _REMOVABLE):
        return None
    aliases = imported_names(failure.tree)
    statements: list[ast.stmt] = []
    removed: list[tuple[int, str]] = []
    for statement in ast.walk(failure.tree):
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
            continue
        problem = call_problem(statement.value, aliases)
        if problem and any(problem.endswith(m) or m in problem for m in _REMOVABLE):
            statements.append(statement)
            removed.append(
                (statement.lineno, f"line {statement.lineno}: {ast.unparse(statement.value.func)}()")
            )
    listed = ", ".join(text for _, text in sorted(removed))
    note = (
        f"removed what the guard refuses and the figure does not need ({listed}); the figure is returned "
        "to the notebook as it is"
    )
    return Patch(replaced(failure.code, [], statements), note) if statements else None
