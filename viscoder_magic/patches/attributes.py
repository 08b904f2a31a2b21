"""Attributes an object does not have, where the error or the live object names the one meant.

pyplot asked for an Axes' attribute (``plt.yaxis``), an Axes for pyplot's verbs
(``ax.xlabel``), a Figure for an Axes' title, a Series for an ndarray method, a module
for a function that lives in another imported module, or a name one slip away
(``set_xlable``). Each rule reads the live object the attribute was asked of and edits
only the offending node (``replaced``).
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from typing import Any

from .. import failure_readers
from ..failures import NoAttribute
from ..library import axes_attributes, axes_methods, elsewhere_in_library
from .ast_tools import alias_of, calls_in, module_name, siblings
from .colours import axes_colorbar
from .edit import Failure, Patch, live_object, replaced


def _missing_module_attribute(failure: Failure) -> tuple[str, str] | None:
    """(module, attribute) of "module 'matplotlib.pyplot' has no attribute 'yaxis'"."""
    missing = failure.error
    if not isinstance(missing, NoAttribute) or not missing.of_module:
        return None
    return missing.owner, missing.attribute


def _module_attributes(failure: Failure, module: str, attribute: str) -> list[ast.Attribute]:
    """Every ``alias.attribute`` in the program whose alias is bound to ``module``."""
    return [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Attribute)
        and n.attr == attribute
        and module_name(n.value, failure.namespace) == module
    ]


def axes_from_pyplot(failure: Failure) -> Patch | None:
    """``module 'matplotlib.pyplot' has no attribute 'yaxis'``: an Axes has it, so ask ``plt.gca()``.

    An attribute that is an object on the Axes (``yaxis``) but is called like a function
    (``plt.yaxis(label='y')``) cannot be reached that way: such statements only style, so they go.
    """
    missing = _missing_module_attribute(failure)
    if not missing or missing[0] != "matplotlib.pyplot" or missing[1] not in axes_attributes():
        return None
    module, attribute = missing
    uses = _module_attributes(failure, module, attribute)
    called = (
        {
            id(s.value.func): s
            for s in ast.walk(failure.tree)
            if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
        }
        if attribute not in axes_methods()
        else {}
    )
    edits = [(n, f"{ast.unparse(n.value)}.gca().{attribute}") for n in uses if id(n) not in called]
    removed = [called[id(n)] for n in uses if id(n) in called]
    if not edits and not removed:
        return None
    dropped = len(removed)
    note = (
        f"pyplot has no {attribute!r}; used the current Axes' (plt.gca().{attribute})"
        if not dropped
        else f"pyplot has no {attribute!r}, and an Axes' {attribute} is an object, not a function; removed "
        f"{dropped} call{'s' if dropped > 1 else ''} of it (they only styled the figure)"
    )
    return Patch(replaced(failure.code, edits, removed), note)


def elsewhere_in_the_library(failure: Failure) -> Patch | None:
    """``px.subplots``: the library has one function of that
    name elsewhere (``plotly.subplots.make_subplots``)."""
    import sys

    missing = _missing_module_attribute(failure)
    module = sys.modules.get(missing[0]) if missing else None
    found = elsewhere_in_library(module, missing[1]) if missing and module is not None else []
    if not missing or len(found) != 1:
        return None
    where, _, name = found[0].rpartition(".")
    nodes = _module_attributes(failure, *missing)
    if not nodes or name in failure.namespace:
        return None
    code = replaced(failure.code, [(n, name) for n in nodes])
    return Patch(f"from {where} import {name}\n{code}", f"{missing[0]} has no {missing[1]}; used {found[0]}")


def _pandas_value(node: ast.AST, namespace: Mapping[str, Any]) -> bool:
    """Whether ``node`` is a name or ``frame['column']`` holding a pandas object (read, not run)."""
    import pandas as pd

    if isinstance(node, ast.Name):
        return isinstance(namespace.get(node.id), (pd.Series, pd.DataFrame))
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
    ):
        frame = namespace.get(node.value.id)
        return isinstance(frame, pd.DataFrame) and node.slice.value in frame.columns
    return False


def pandas_to_numpy(failure: Failure) -> Patch | None:
    """``'Series' object has no attribute 'reshape'``: an ndarray has it, so convert with ``.to_numpy()``."""
    import numpy as np

    missing = failure.error
    if not isinstance(missing, NoAttribute) or missing.owner not in ("Series", "DataFrame"):
        return None
    attribute = missing.attribute
    if not hasattr(np.ndarray, attribute):
        return None
    nodes = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Attribute) and n.attr == attribute and _pandas_value(n.value, failure.namespace)
    ]
    edits = [
        (n, f"{ast.unparse(n.value)}.to_numpy().{attribute}")
        for n in nodes  # a Series never has it
        if isinstance(n, ast.Attribute)
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            f"{missing.owner} has no {attribute!r} but a NumPy array does; converted with .to_numpy() first",
        )
        if edits
        else None
    )


def _is_axes(node: ast.AST, namespace: Mapping[str, Any]) -> bool:
    from matplotlib.axes import Axes

    return isinstance(live_object(node, namespace), Axes)


def axes_method(failure: Failure) -> Patch | None:
    """pyplot's verbs asked of an Axes: ``ax.xlabel`` ->
    ``ax.set_xlabel``, ``ax.colorbar`` -> ``plt.colorbar``.

    Also ``ax.title('...')``, which fails as "'Text' object is not callable" because an
    Axes' ``title`` is its title artist.
    """
    from matplotlib.axes import Axes

    attribute = ""
    missing = failure.error
    if isinstance(missing, NoAttribute) and missing.owner in ("Axes", "AxesSubplot"):
        attribute = missing.attribute
        nodes = [
            n
            for n in ast.walk(failure.tree)
            if isinstance(n, ast.Attribute) and n.attr == attribute and _is_axes(n.value, failure.namespace)
        ]
    elif failure.error_type == "TypeError" and "object is not callable" in failure.message:
        calls = [
            n.func
            for n in ast.walk(failure.tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and _is_axes(n.func.value, failure.namespace)
            and hasattr(Axes, f"set_{n.func.attr}")
            and not callable(getattr(Axes, n.func.attr, None))
        ]
        nodes = failure.on_line(calls)
        attribute = nodes[0].attr if nodes and isinstance(nodes[0], ast.Attribute) else ""
        nodes = [n for n in nodes if isinstance(n, ast.Attribute) and n.attr == attribute]
    if not attribute or not nodes:
        return None
    if hasattr(Axes, f"set_{attribute}"):
        edits = [
            (n, f"{ast.unparse(n.value)}.set_{attribute}") for n in nodes if isinstance(n, ast.Attribute)
        ]
        return Patch(replaced(failure.code, edits), f"an Axes sets its {attribute} with set_{attribute}")
    pyplot = alias_of("matplotlib.pyplot", failure.namespace)
    if pyplot and attribute == "colorbar":
        return axes_colorbar(failure, pyplot, nodes)
    if pyplot and callable(getattr(failure.namespace[pyplot], attribute, None)):
        edits = [(n, f"{pyplot}.{attribute}") for n in nodes]
        return Patch(
            replaced(failure.code, edits),
            f"an Axes has no {attribute}; used {pyplot}.{attribute}, which acts on the current Axes",
        )
    return None


def sibling_module(failure: Failure) -> Patch | None:
    """``plt.lineplot``: a function of another plotting module the program imported (here ``sns``)."""
    missing = _missing_module_attribute(failure)
    others = siblings(failure, *missing) if missing else []
    if not missing or not others:
        return None
    module, attribute = missing
    edits = [(n, f"{others[0]}.{attribute}") for n in _module_attributes(failure, module, attribute)]
    return (
        Patch(
            replaced(failure.code, edits),
            f"{module} has no {attribute}; used {others[0]}.{attribute} "
            f"({failure.namespace[others[0]].__name__})",
        )
        if edits
        else None
    )


def suggested_name(failure: Failure) -> Patch | None:
    """The library's own suggestion: "... Did you mean to set the axis label via set_label_text()?".

    The called name on the failing line closest to the suggested one is renamed to it.
    """
    suggested = failure_readers.suggested_name(failure.message)
    if not suggested:
        return None
    called = [
        n
        for n in failure.on_line(calls_in(failure.tree))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr != suggested
    ]
    names = [n.func.attr for n in called if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    close = difflib.get_close_matches(suggested, names, n=1, cutoff=0.5)
    if not close:
        return None
    edits = [
        (n.func, f"{ast.unparse(n.func.value)}.{suggested}")
        for n in called
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == close[0]
    ]
    return Patch(replaced(failure.code, edits), f"the error suggests {suggested}() for {close[0]}(); used it")


def misspelt_attribute(failure: Failure) -> Patch | None:
    """``ax.set_xlable``: the live object has one attribute a slip away (``set_xlabel``); use it everywhere.

    Python 3.11 computes its own "Did you mean" only when printing a traceback, so the
    message the loop reads lacks it; the object itself is asked instead.
    """
    missing = failure.error
    if not isinstance(missing, NoAttribute) or missing.of_module:
        return None
    wrong = missing.attribute
    nodes = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Attribute) and n.attr == wrong]
    given = {id(c.func) for c in ast.walk(failure.tree) if isinstance(c, ast.Call) and (c.args or c.keywords)}
    for node in failure.on_line(nodes) if nodes else []:
        assert isinstance(node, ast.Attribute)
        live = live_object(node.value, failure.namespace)
        if live is None or type(live).__name__ != missing.owner:
            continue
        # ``ax.yaxis.tick_params(labelsize=8)``: a value given to a name the object only has a setter for
        setter = (
            [f"set_{wrong}"] if id(node) in given and callable(getattr(live, f"set_{wrong}", None)) else []
        )
        close = setter or difflib.get_close_matches(
            wrong, [a for a in dir(live) if not a.startswith("_")], n=1, cutoff=0.85
        )
        if close:
            edits = [(n, f"{ast.unparse(n.value)}.{close[0]}") for n in nodes if isinstance(n, ast.Attribute)]
            return Patch(
                replaced(failure.code, edits), f"{missing.owner} has no {wrong!r}; used {close[0]!r}"
            )
    return None


_FIGURE_TEXT = {
    "set_title": "suptitle",
    "title": "suptitle",
    "set_xlabel": "supxlabel",
    "xlabel": "supxlabel",
    "set_ylabel": "supylabel",
    "ylabel": "supylabel",
}


def figure_text(failure: Failure) -> Patch | None:
    """``fig.set_title(...)``: a matplotlib Figure titles
    and labels itself with ``suptitle`` / ``supxlabel``."""
    from matplotlib.figure import Figure

    missing = failure.error
    if not isinstance(missing, NoAttribute) or missing.attribute not in _FIGURE_TEXT:
        return None
    edits = [
        (n, f"{ast.unparse(n.value)}.{_FIGURE_TEXT[n.attr]}")
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Attribute)
        and n.attr in _FIGURE_TEXT
        and isinstance(live_object(n.value, failure.namespace), Figure)
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            "a Figure has no Axes title or labels; used its suptitle / supxlabel / supylabel",
        )
        if edits
        else None
    )
