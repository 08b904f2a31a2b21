"""What the rules look up in a program and in the objects its run left behind.

Nothing here edits (that is ``edit.replaced``) and nothing runs the program's code:
names are resolved from the imports written or from the live namespace, and values
are read only from plain containers and frames. Module-level imports are the standard
library's, so the stages (``check``, ``safety_check``) may use these too.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from .edit import Failure


def imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted origin for every import (``plt`` ->
    ``matplotlib.pyplot``, ``run`` -> ``subprocess.run``)."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update(
                {
                    a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                    for a in node.names
                }
            )
        elif isinstance(node, ast.ImportFrom) and node.module:
            bound.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return bound


def is_module(value: Any, module: str) -> bool:
    """Whether a live value is the module ``module`` (read from its ``__name__``; nothing runs)."""
    return getattr(value, "__name__", None) == module


def alias_of(
    module: str, namespace: Mapping[str, Any] | None = None, *, tree: ast.AST | None = None
) -> str | None:
    """The name the program bound ``module`` to (``plt`` for ``matplotlib.pyplot`` as a rule), or None.

    After a run the live namespace answers (the first name holding the module); before
    one (the pre-check's findings, nothing ran) the program's own imports do.
    """
    if namespace is not None:
        return next((name for name, value in namespace.items() if is_module(value, module)), None)
    return (
        next((name for name, origin in imported_names(tree).items() if origin == module), None)
        if tree is not None
        else None
    )


PLOTTING_MODULES = ("matplotlib.pyplot", "seaborn", "plotly.express", "plotly.graph_objects")


def module_name(node: ast.AST, namespace: Mapping[str, Any]) -> str | None:
    """The module a name in the program is bound to (``plt`` -> ``matplotlib.pyplot``, ``plt.cm`` ->
    ``matplotlib.cm``), if any."""
    import types

    if isinstance(node, ast.Attribute) and (parent := module_name(node.value, namespace)):
        import sys

        child = getattr(sys.modules.get(parent), node.attr, None)  # a module's attribute: no user code runs
        return child.__name__ if isinstance(child, types.ModuleType) else None
    return getattr(namespace.get(node.id), "__name__", None) if isinstance(node, ast.Name) else None


def siblings(failure: Failure, module: str, attribute: str) -> list[str]:
    """Names of the other plotting modules the program imported that have a callable ``attribute``."""
    return [
        name
        for name, value in failure.namespace.items()
        if getattr(value, "__name__", None) in PLOTTING_MODULES
        and value.__name__ != module
        and callable(getattr(value, attribute, None))
        and not name.startswith("_")
    ]


def data_argument(call: ast.Call) -> ast.Name | None:
    """The frame a seaborn (``data=``) or Plotly Express (``data_frame=``) call draws, else its first
    argument (where both take the data positionally)."""
    given = next((k.value for k in call.keywords if k.arg in ("data", "data_frame")), None)
    if given is None and call.args:
        given = call.args[0]
    return given if isinstance(given, ast.Name) else None


def calls_in(tree: ast.AST) -> list[ast.Call]:
    """Every call in ``tree``, in ``ast.walk`` order (outer calls before the calls in their arguments)."""
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def callee(func: ast.AST, namespace: Mapping[str, Any]) -> Any:
    """The live object ``name(...)`` or ``alias.name(...)`` calls; None for anything else."""
    if isinstance(func, ast.Name):
        return namespace.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return getattr(namespace.get(func.value.id), func.attr, None)
    return None


def parameter_names(function: Any) -> list[str]:
    """The parameters ``function`` names (``*args`` and ``**kwargs`` left out)."""
    import inspect

    try:
        return [
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return []


def callee_parameters(func: ast.AST, namespace: Mapping[str, Any]) -> list[str]:
    """The named parameters of ``name(...)`` or ``module.name(...)``, read from the live function."""
    target = callee(func, namespace)
    return parameter_names(target) if callable(target) else []


def callee_key(func: ast.AST) -> str:
    """``axs[0, 1].imshow`` and ``axs[1, 0].imshow`` are one
    callee: the method's name, not the receiver's text."""
    return (
        f".{func.attr}"
        if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Name)
        else ast.unparse(func)
    )


def axes_of(node: ast.AST, live: Any) -> str | None:
    """The expression for the Axes a call on ``node`` draws on: ``plt.gca()`` when ``node`` is pyplot
    (``live`` is what it is bound to), ``node`` itself when it is an Axes, else None."""
    if is_module(live, "matplotlib.pyplot"):
        return f"{ast.unparse(node)}.gca()"
    return ast.unparse(node) if type(live).__name__ == "Axes" else None


def column_values(node: ast.AST, failure: Failure) -> Any:
    """The live value of ``name`` or ``frame['column']``; None for anything else (nothing is evaluated)."""
    import pandas as pd

    if isinstance(node, ast.Name):
        return failure.namespace.get(node.id, failure.frames.get(node.id))
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
    ):
        frame = failure.namespace.get(node.value.id, failure.frames.get(node.value.id))
        if isinstance(frame, pd.DataFrame) and node.slice.value in frame.columns:
            return frame[node.slice.value]
    return None


def grids(namespace: Mapping[str, Any], ndim: int = 1) -> dict[str, Any]:
    """Names bound to an ndarray of Axes with at least ``ndim`` dimensions."""
    import numpy as np
    from matplotlib.axes import Axes

    return {
        name: value
        for name, value in namespace.items()
        if isinstance(value, np.ndarray)
        and value.dtype == object
        and value.ndim >= ndim
        and value.size
        and all(isinstance(v, Axes) for v in value.flat)
    }


def counting_loops(tree: ast.Module) -> dict[str, list[ast.Call]]:
    """Loop index variable -> its ``range(k)`` / ``enumerate(x)``
    calls (both count from 0), every loop that binds it."""
    loops: dict[str, list[ast.Call]] = {}
    for loop in (n for n in ast.walk(tree) if isinstance(n, ast.For)):
        call, target = loop.iter, loop.target
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or not call.args:
            continue
        if call.func.id == "range" and isinstance(target, ast.Name) and len(call.args) == 1:
            loops.setdefault(target.id, []).append(call)
        elif (
            call.func.id == "enumerate"
            and isinstance(target, ast.Tuple)
            and isinstance(target.elts[0], ast.Name)
        ):
            loops.setdefault(target.elts[0].id, []).append(call)
    return loops


def loop_bounds(tree: ast.Module, namespace: Mapping[str, Any]) -> dict[str, int]:
    """Loop variable -> its largest value, for ``for i in range(k)`` and ``for i, _ in enumerate(x)``."""
    bounds: dict[str, int] = {}
    for name, calls in counting_loops(tree).items():
        for call in calls:
            assert isinstance(call.func, ast.Name)
            size = (
                _size(call.args[0], namespace)
                if call.func.id == "range"
                else _length(call.args[0], namespace)
            )
            if size is not None:
                bounds[name] = max(bounds.get(name, 0), size - 1)
    return bounds


def _size(node: ast.AST, namespace: Mapping[str, Any]) -> int | None:
    """An int constant, or ``len(name)`` of a live object."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and node.args:
        return _length(node.args[0], namespace)
    return None


def _length(node: ast.AST, namespace: Mapping[str, Any]) -> int | None:
    """The length of a live name or ``name.attribute`` (``df.columns``), without running anything else."""
    value = namespace.get(node.id) if isinstance(node, ast.Name) else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        value = getattr(namespace.get(node.value.id), node.attr, None)
    try:
        return len(value) if value is not None and not callable(value) else None
    except TypeError:
        return None


def largest(index: ast.AST, bounds: Mapping[str, int]) -> int | None:
    """The largest value an index expression takes: a constant, a
    bounded loop variable, ``a // k``, ``a % k``, ``a + k``."""
    if isinstance(index, ast.Constant) and isinstance(index.value, int):
        return index.value
    if isinstance(index, ast.Name):
        return bounds.get(index.id)
    if (
        isinstance(index, ast.BinOp)
        and isinstance(index.right, ast.Constant)
        and isinstance(index.right.value, int)
        and index.right.value > 0
        and (left := largest(index.left, bounds)) is not None
    ):
        if isinstance(index.op, ast.FloorDiv):
            return left // index.right.value
        if isinstance(index.op, ast.Add):  # plotly's ``row=i + 1``
            return left + index.right.value
        if isinstance(index.op, ast.Mod):
            return min(left, index.right.value - 1)
    return None
