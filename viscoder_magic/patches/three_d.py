"""3-D plots drawn on a 2-D Axes: the Axes is made with ``projection='3d'``.

The 0.5B writes ``fig, ax = plt.subplots()`` and then ``ax.plot_surface`` (or
``ax.wireframe``, ``ax.set_zlim``, ``ax.view_init``); told the Axes has no such
attribute, it renames the call or drops the third axis. The attribute exists on
matplotlib's 3-D Axes, so the fix is where the Axes is made, not where it is used.
It also takes ``projection=`` given to ``subplots`` (which only ``subplot_kw`` passes on).
"""

from __future__ import annotations

import ast

from ..failures import BadKeyword, BadProperty, NoAttribute
from .edit import Failure, Patch, replaced

#: Calls that make Axes and take ``projection=`` themselves.
_TAKES_PROJECTION = {"add_subplot", "subplot", "axes", "add_axes"}
_SUBPLOTS = {"subplots"}


def _three_d_name(attribute: str) -> str | None:
    """The 3-D Axes' own name for ``attribute`` (``wireframe`` -> ``plot_wireframe``), if it has one."""
    from mpl_toolkits.mplot3d import Axes3D

    for name in (attribute, f"plot_{attribute}"):
        if hasattr(Axes3D, name):
            return name
    return None


def _maker(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name if name in _TAKES_PROJECTION | _SUBPLOTS else None


def _with_subplot_kw(call: ast.Call, projection: ast.expr) -> str | None:
    """Source text of a ``subplots`` call whose ``projection``
    goes through ``subplot_kw`` (None: it has one)."""
    if any(k.arg == "subplot_kw" for k in call.keywords):
        return None
    keywords = [k for k in call.keywords if k.arg != "projection"]
    keywords.append(ast.keyword("subplot_kw", ast.Dict([ast.Constant("projection")], [projection])))
    return ast.unparse(ast.Call(func=call.func, args=call.args, keywords=keywords))


def _made_3d(call: ast.Call) -> str | None:
    """Source text of the Axes-making ``call`` asked for a 3-D projection; None when it already says one."""
    if _maker(call) in _SUBPLOTS:
        return _with_subplot_kw(call, ast.Constant("3d"))
    if any(k.arg == "projection" for k in call.keywords):
        return None
    return ast.unparse(
        ast.Call(
            func=call.func,
            args=call.args,
            keywords=[*call.keywords, ast.keyword("projection", ast.Constant("3d"))],
        )
    )


def _bound_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def three_d_axes(failure: Failure) -> Patch | None:
    """``ax.plot_surface`` on a 2-D Axes: the calls that make ``ax`` ask for ``projection='3d'``."""
    missing = failure.error
    if not isinstance(missing, NoAttribute) or missing.owner not in ("Axes", "AxesSubplot"):
        return None
    wrong = missing.attribute
    name = _three_d_name(wrong)
    if name is None:
        return None
    used = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Attribute) and n.attr == wrong]
    owners = {root.id for n in used for root in ast.walk(n.value) if isinstance(root, ast.Name)}
    edits: list[tuple[ast.AST, str]] = []
    for statement in ast.walk(failure.tree):
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
            continue
        if _maker(statement.value) and owners & set().union(*(_bound_names(t) for t in statement.targets)):
            made = _made_3d(statement.value)
            if made is not None:
                edits.append((statement.value, made))
    if not edits:
        return None
    renamed = (
        [(n, f"{ast.unparse(n.value)}.{name}") for n in used if isinstance(n, ast.Attribute)]
        if name != wrong
        else []
    )
    return Patch(
        replaced(failure.code, edits + renamed),
        f"{wrong} is a 3-D Axes method; the Axes is made with "
        "projection='3d'" + (f" and {wrong} is called {name}" if renamed else ""),
    )


def projection_of_subplots(failure: Failure) -> Patch | None:
    """``plt.subplots(projection='3d')``: subplots passes Axes options on only through ``subplot_kw``."""
    bad = failure.error
    # "subplots() got an unexpected keyword argument": a property's "Axes.set() got ..." says it too
    said = isinstance(bad, BadKeyword) or (isinstance(bad, BadProperty) and bad.callee)
    if not said or bad.keyword != "projection":
        return None
    edits = []
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and _maker(n) in _SUBPLOTS):
        given = [k for k in call.keywords if k.arg == "projection"]
        if given and (made := _with_subplot_kw(call, given[0].value)) is not None:
            edits.append((call, made))
    return (
        Patch(replaced(failure.code, edits), "subplots passes projection= on through subplot_kw")
        if edits
        else None
    )
