"""Wide data given to seaborn's long-form API: several columns named as one of ``x``/``y``.

``sns.lineplot(data=df, x='Distance', y=['Density', 'Temperature'])`` is the commonest
way the model asks for "these columns against that one"; seaborn reads the list as a
vector of values and fails on its length. The standard fix is to melt the frame to long
form and let ``hue`` tell the columns apart, which needs no model call: the columns
come from the live frame.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .ast_tools import axes_of
from .edit import Failure, Patch, replaced

_AXES = ("x", "y")


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def _column_list(node: ast.AST) -> list[str] | None:
    """The strings of a list or tuple of string constants, else None."""
    if not isinstance(node, ast.List | ast.Tuple):
        return None
    names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return names if len(names) == len(node.elts) >= 2 else None


def _melted(call: ast.Call, failure: Failure) -> tuple[ast.Call, str] | None:
    """The call on long-form data, and what changed; None when the call is not wide data for seaborn."""
    func, data = call.func, _keyword(call, "data")
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and data is not None
        and getattr(failure.namespace.get(func.value.id), "__name__", None) == "seaborn"
        and isinstance(data.value, ast.Name)
    ):
        return None
    frame = failure.namespace.get(data.value.id)
    if not isinstance(frame, pd.DataFrame) or _keyword(call, "hue") is not None:
        return None
    columns = {str(c) for c in frame.columns}
    for axis, other in (_AXES, _AXES[::-1]):
        listed, fixed = _keyword(call, axis), _keyword(call, other)
        names = _column_list(listed.value) if listed else None
        if not names or not set(names) <= columns or {"variable", "value"} & columns or fixed is None:
            continue
        if not (isinstance(fixed.value, ast.Constant) and fixed.value.value in columns - set(names)):
            continue
        new = copy.deepcopy(call)
        melt = f"{data.value.id}.melt(id_vars=[{fixed.value.value!r}], value_vars={names!r})"
        for keyword in new.keywords:
            if keyword.arg == "data":
                keyword.value = ast.parse(melt, mode="eval").body
            elif keyword.arg == axis:
                keyword.value = ast.Constant("value")
        new.keywords.append(ast.keyword("hue", ast.Constant("variable")))
        return new, (
            f"{axis}= named {len(names)} columns, but seaborn takes one column per axis; melted "
            f"{data.value.id} to long form ({axis}='value', hue='variable')"
        )
    return None


def long_form(failure: Failure) -> Patch | None:
    """Rewrite a failing seaborn call whose ``x`` or ``y`` lists several columns to use long-form data."""
    if failure.error_type not in ("ValueError", "TypeError", "KeyError"):
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and any(k.arg in _AXES and _column_list(k.value) for k in n.keywords)
    ]
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        if (melted := _melted(call, failure)) is not None:
            new, note = melted
            return Patch(replaced(failure.code, [(call, ast.unparse(new))]), note)
    return None


def columns_on_both_axes(failure: Failure) -> Patch | None:
    """Plotly Express given lists of columns for both ``x``
    and ``y``: the ``y`` columns are drawn against the index.

    Plotly Express draws several columns on one axis (wide form) but not on both; the
    model writes ``x=df.columns, y=df.columns`` when it means "all the columns". Dropping
    ``x`` keeps every column, one trace each, against the row index.
    """
    if failure.error_type != "ValueError" or "for both `x` and `y`" not in failure.message:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and _keyword(n, "x") is not None and _keyword(n, "y") is not None
    ]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        new = copy.deepcopy(call)
        new.keywords = [k for k in new.keywords if k.arg != "x"]
        edits.append((call, ast.unparse(new)))
    return (
        Patch(
            replaced(failure.code, edits),
            "x= and y= both named several columns, which Plotly Express cannot "
            "pair; drew the y columns against the row index",
        )
        if edits
        else None
    )


def _selected_frame(node: ast.AST, namespace: Mapping[str, Any]) -> tuple[str, pd.DataFrame] | None:
    """``df`` or ``df[<list of its columns>]`` as (frame name, selected frame); None for anything else.

    Only a live DataFrame is indexed, and only by a list of its own column names, so no
    user code runs to answer.
    """
    if isinstance(node, ast.Name) and isinstance(namespace.get(node.id), pd.DataFrame):
        return node.id, namespace[node.id]
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return None
    frame = namespace.get(node.value.id)
    if not isinstance(frame, pd.DataFrame):
        return None
    names = _column_list(node.slice)
    if names is None and isinstance(node.slice, ast.Name):
        held = namespace.get(node.slice.id)
        if isinstance(held, list | tuple | pd.Index) and all(isinstance(n, str) for n in held):
            names = [str(n) for n in held]
    if not names or not set(names) <= {str(c) for c in frame.columns}:
        return None
    return node.value.id, frame[names]


def _long_form_roles(frame: pd.DataFrame) -> tuple[str, str, list[str]] | None:
    """(x column, category column, value columns) of a long-form table, or None when the roles are not plain.

    One text column names the categories; the x is the one datetime column, or else the one
    numeric column whose values repeat across categories; the other numeric columns are values.
    """
    text = [
        str(c) for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object
    ]
    dates = [str(c) for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    numbers = [
        str(c)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if len(text) != 1 or len(text) + len(dates) + len(numbers) != frame.shape[1]:
        return None
    if len(dates) == 1 and numbers:
        x, values = dates[0], numbers
    elif not dates and len(numbers) == 2 and frame[numbers[0]].duplicated().any():
        x, values = numbers[0], numbers[1:]
    else:
        return None
    if frame[text[0]].nunique() < 2 or frame.duplicated([x, text[0]]).any():
        return None
    return x, text[0], values


def lines_per_category(failure: Failure) -> Patch | None:
    """A line plot handed a long-form table (``plt.plot(sales[cols])``): one line per category.

    "revenue per region as a line chart" over rows of (month, region, revenue) is the
    commonest request on long-form data; the model passes the table to ``plot``, which
    needs numbers and fails on the region names (``ConversionError``). Pivoting to one
    column per category along the x column draws what was asked, labelled, with a legend.
    A single ``color=`` would paint every line alike, so it is dropped.
    """
    if failure.error_type != "ConversionError":
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "plot"
        and len(n.args) == 1
    ]
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        base = failure.namespace.get(call.func.value.id) if isinstance(call.func.value, ast.Name) else None
        axes = axes_of(call.func.value, base)
        if axes is None:
            continue
        selected = _selected_frame(call.args[0], failure.namespace)
        roles = _long_form_roles(selected[1]) if selected else None
        if selected is None or roles is None:
            continue
        (name, _), (x, category, values) = selected, roles
        shown = values[0] if len(values) == 1 else values
        wide = f"{name}.pivot_table(index={x!r}, columns={category!r}, values={shown!r})"
        kept = [ast.unparse(k) for k in call.keywords if k.arg not in ("color", "c", "label")]
        new = f"{wide}.plot(ax={axes}{''.join(', ' + k for k in kept)})"
        return Patch(
            replaced(failure.code, [(call, new)]),
            f"plot() was given the long-form table {name} (x {x!r}, categories {category!r}), whose "
            f"{category!r} names are not numbers; pivoted it to one line per {category!r}",
        )
    return None


#: Axes methods whose first argument is the x values, and the pandas plot a grouped result draws instead.
_GROUPED_PLOTS = {"plot": "plot", "bar": "plot.bar", "barh": "plot.barh"}


def _grouped(node: ast.AST, namespace: Mapping[str, Any]) -> tuple[str, pd.Series] | None:
    """``name`` (a Series) or ``name['column']`` of a DataFrame, each with a two-level index; else None."""
    if isinstance(node, ast.Name) and isinstance(held := namespace.get(node.id), pd.Series):
        series, text = held, node.id
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(frame := namespace.get(node.value.id), pd.DataFrame)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value in frame.columns
        and isinstance(column := frame[node.slice.value], pd.Series)
    ):
        series, text = column, ast.unparse(node)
    else:
        return None
    index = series.index
    return (text, series) if isinstance(index, pd.MultiIndex) and index.nlevels == 2 else None


def _group_level(index: pd.MultiIndex) -> int:
    """The level that names the groups: the one not of dates or numbers, else the one with fewer values."""
    ordered = [
        pd.api.types.is_datetime64_any_dtype(level) or pd.api.types.is_numeric_dtype(level)
        for level in index.levels
    ]
    if ordered.count(True) == 1:
        return ordered.index(False)
    return int(np.argmin([index.get_level_values(i).nunique() for i in range(2)]))


def lines_per_level(failure: Failure) -> Patch | None:
    """A grouped result's two-level index given as x (``plt.plot(s.index, s.values)``): one line per group.

    ``df.groupby(['month', 'region'])['revenue'].sum()`` is how "revenue per region over the
    months" gets computed, and its index holds (month, region) pairs, which no axis can place
    (matplotlib's ``ConversionError``). Unstacking the level that names the groups (read from
    the live index: text rather than dates or numbers, else fewer values) gives one column per
    group along the other level, which pandas draws as one labelled line (or bar group) each.
    """
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in _GROUPED_PLOTS
        and len(n.args) == 2
        and isinstance(n.args[0], ast.Attribute)
        and n.args[0].attr == "index"
    ]
    for call in [c for c in calls if failure.covers(c)]:
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        x = call.args[0]
        assert isinstance(x, ast.Attribute)
        values = call.args[1]
        if isinstance(values, ast.Attribute) and values.attr in ("values", "array"):
            values = values.value
        elif isinstance(values, ast.Call) and isinstance(values.func, ast.Attribute) and not values.args:
            values = values.func.value if values.func.attr == "to_numpy" else values
        grouped = _grouped(values, failure.namespace)
        if grouped is None or ast.unparse(x.value) != ast.unparse(values).split("[")[0]:
            continue
        base = failure.namespace.get(call.func.value.id) if isinstance(call.func.value, ast.Name) else None
        axes = axes_of(call.func.value, base)
        if axes is None:
            continue
        text, series = grouped
        level = _group_level(series.index)
        name = series.index.names[level]
        level_text = repr(name) if name is not None and series.index.names.count(name) == 1 else str(level)
        kept = [ast.unparse(k) for k in call.keywords if k.arg not in ("color", "c", "label", "x", "height")]
        settings = "".join(", " + k for k in kept)
        new = f"{text}.unstack({level_text}).{_GROUPED_PLOTS[call.func.attr]}(ax={axes}{settings})"
        pairs = ", ".join(map(str, series.index.names))
        group = name if name is not None else "the group level"
        mark = "line" if call.func.attr == "plot" else "bar"
        return Patch(
            replaced(failure.code, [(call, new)]),
            f"{call.func.attr}() was given {ast.unparse(x)}, whose values are ({pairs}) pairs that no "
            f"axis can place; unstacked {group} to draw one {mark} per group",
        )
    return None
