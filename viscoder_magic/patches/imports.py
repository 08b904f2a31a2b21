"""Patch an ``ImportError``: a real name imported from the wrong module, or one slip away.

The 0.5B imports names from where they sound right (``from mpl_toolkits.axes_grid1
import gridspec``, ``from plotly.graph_objects import go``) and, told so, writes the
same import again. Where the name lives is a fact of the installed libraries, so it
is looked up there: the standard alias (``go``), then the plotting modules a program
may have meant, then a name in the same module one slip away.
"""

from __future__ import annotations

import ast
import difflib

from ..check import STANDARD_IMPORTS
from ..failures import CannotImport
from ..library import loaded_module
from .edit import Failure, Patch, replaced

#: Where a plotting program's names live; searched for a name its import put elsewhere.
HOMES = (
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.ticker",
    "matplotlib.colors",
    "matplotlib.patches",
    "matplotlib.cm",
    "matplotlib.dates",
    "matplotlib.lines",
    "matplotlib.gridspec",
    "matplotlib.collections",
    "mpl_toolkits.axes_grid1",
    "mpl_toolkits.axes_grid1.inset_locator",
    "mpl_toolkits.mplot3d",
    "numpy",
    "pandas",
    "seaborn",
    "plotly.express",
    "plotly.graph_objects",
    "plotly.subplots",
    "plotly.figure_factory",
    "scipy.stats",
)


def home_of(name: str, wrong: str) -> str | None:
    """The first plotting module (same package as ``wrong`` first) that has ``name`` or a submodule of it."""
    package = wrong.split(".")[0]
    for home in sorted(HOMES, key=lambda h: h.split(".")[0] != package):
        if home == wrong:
            continue
        module = loaded_module(home)
        if module is not None and (hasattr(module, name) or loaded_module(f"{home}.{name}") is not None):
            return home
    return None


def defining_home(name: str) -> str | None:
    """The public module that defines the plotting class
    ``name`` (``Rectangle`` -> ``matplotlib.patches``)."""
    home = home_of(name, "")
    module = loaded_module(home) if home else None
    if module is None:
        return None
    defined = getattr(getattr(module, name, None), "__module__", None) or ""
    public = not any(part.startswith("_") for part in defined.split("."))
    definer = loaded_module(defined) if defined and public else None
    return defined if definer is not None and hasattr(definer, name) else home


def _statement(node: ast.ImportFrom, keep: list[ast.alias], line: str) -> str:
    kept = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in keep)
    return "\n".join(filter(None, [f"from {node.module} import {kept}" if kept else "", line]))


def wrong_import(failure: Failure) -> Patch | None:
    """``from M import X`` where M has no X: import X from where it lives, or its nearest spelling."""
    if not isinstance(failure.error, CannotImport):
        return None
    name, module = failure.error.name, failure.error.module
    nodes = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.ImportFrom) and n.module == module and any(a.name == name for a in n.names)
    ]
    if not nodes:
        return None
    node = nodes[0]
    alias = next(a for a in node.names if a.name == name)
    others = [a for a in node.names if a is not alias]
    if name in STANDARD_IMPORTS and alias.asname in (None, name):
        return Patch(
            replaced(failure.code, [(node, _statement(node, others, STANDARD_IMPORTS[name]))]),
            f"{name} is the usual name of a module, not a name inside {module}; "
            f"used `{STANDARD_IMPORTS[name]}`",
        )
    bound = f" as {alias.asname}" if alias.asname else ""
    home = home_of(name, module)
    if home is not None:
        line = f"from {home} import {name}{bound}"
        return Patch(
            replaced(failure.code, [(node, _statement(node, others, line))]),
            f"{module} has no {name}; it lives in {home}",
        )
    source = loaded_module(module)
    close = difflib.get_close_matches(
        name, [a for a in dir(source) if not a.startswith("_")], n=1, cutoff=0.8
    )
    if source is None or not close:
        return None
    edits: list[tuple[ast.AST, str]] = [
        (node, _statement(node, [*others, ast.alias(close[0], alias.asname)], ""))
    ]
    if not alias.asname:
        edits += [(n, close[0]) for n in ast.walk(failure.tree) if isinstance(n, ast.Name) and n.id == name]
    return Patch(replaced(failure.code, edits), f"{module} has no {name}; used {close[0]}")
