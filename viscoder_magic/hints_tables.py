"""Repair hints for the failures analysts' tables cause and clean benchmark tables never do.

A named index taken for a column, the arrays pandas 3 returns for text, categorical and
date columns (``df['region'].unique()`` is an ``ArrowStringArray``, not a Series), text
labels given as colours, 1-D data given to a heatmap, and plotting functions asked of a
DataFrame. A small model resubmits such a program every round unless it is told what the
object really is and how it is spelt; each hint below reads that from the live objects
(the frames, the failing line's names) and says it in one or two sentences. A hint that
finds nothing returns '' and the general hints in ``repair.py`` answer instead.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .failures import Failure, LabelsAsColours, NoAttribute, NoColumn, OneDimensional
from .labels import index_advice, index_role

_SUBSCRIPT = re.compile(r"\b([A-Za-z_]\w*)\[\s*(['\"])(.+?)\2\s*\]")
#: What pandas 3 returns from ``.unique()``, ``.array`` or ``.values`` of an extension-typed column.
_ARRAYS = {
    "ArrowStringArray": "text",
    "ArrowStringArrayNumpySemantics": "text",
    "StringArray": "text",
    "ArrowExtensionArray": "text",
    "Categorical": "categorical",
    "DatetimeArray": "date",
    "TimedeltaArray": "duration",
    "PeriodArray": "period",
    "IntegerArray": "integer",
    "FloatingArray": "number",
    "BooleanArray": "boolean",
    "NumpyExtensionArray": "value",
}
_SORTS = {"sort_values", "sort", "sorted", "order", "sort_index", "argsort"}
_ACCESSORS = {"str", "dt", "cat"}
_TEXT_METHODS = {"upper", "lower", "strip", "replace", "split", "title", "contains", "startswith", "endswith"}
_IMAGE_CALLS = {"heatmap", "imshow", "matshow", "pcolormesh", "pcolor", "clustermap", "Heatmap"}
_PANDAS_PLOTS = {"line", "bar", "barh", "hist", "box", "kde", "density", "area", "pie", "scatter", "hexbin"}


def tables_hint(failure: Failure, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str) -> str:
    """The hint for one of these failures, or '' when the failure is not one of them."""
    if isinstance(failure, NoColumn):
        return index_key_hint(list(failure.names), namespace, frames, line)
    if isinstance(failure, NoAttribute):
        owner, attribute = failure.owner.split(".")[-1], failure.attribute
        if owner in _ARRAYS:
            return array_attribute_hint(owner, attribute, namespace, frames, line)
        if owner in ("DataFrame", "Series"):
            return plot_method_hint(owner, attribute, frames, line)
    if isinstance(failure, LabelsAsColours):
        return label_colour_hint(failure.series, namespace, frames, line)
    if isinstance(failure, OneDimensional):
        return one_dimensional_hint(failure.size, namespace, frames, line)
    return ""


def _frames_in_view(
    namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> Iterator[tuple[str, Any]]:
    """The DataFrames named on the failing line (live, as the program left them), then the loaded ones."""
    for name in dict.fromkeys(re.findall(r"\b[A-Za-z_]\w*\b", line)):
        value = namespace.get(name, frames.get(name))
        if isinstance(value, pd.DataFrame):
            yield name, value
    yield from ((n, f) for n, f in frames.items() if isinstance(f, pd.DataFrame))


def index_key_hint(
    keys: list[str], namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> str:
    """A key that is a frame's index name or one of its levels (``sensors['timestamp']``): say so, and how."""
    for key in keys:
        for name, frame in _frames_in_view(namespace, frames, line):
            if key not in frame.columns and (role := index_role(key, frame)):
                return f"{name} has no column {key!r}. {index_advice(name, *role)}"
    return ""


def _origin(line: str, namespace: Mapping[str, Any], frames: Mapping[str, Any], kind: str) -> tuple[str, Any]:
    """The column on the failing line whose dtype gives an
    array of ``kind`` (``df['region']``), or ('', None)."""
    for name, _, column in _SUBSCRIPT.findall(line):
        frame = namespace.get(name, frames.get(name))
        if isinstance(frame, pd.DataFrame) and column in frame.columns:
            series = frame[column]
            if isinstance(series, pd.Series) and _kind_of(series.dtype) == kind:
                return f"{name}[{column!r}]", series
    return "", None


def _kind_of(dtype: Any) -> str:
    """The words ``_ARRAYS`` uses for a column's dtype."""
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    return ""


def array_attribute_hint(
    owner: str, attribute: str, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> str:
    """``df['region'].unique().sort_values()`` on pandas 3: what the array is and the spelling that works."""
    kind = _ARRAYS[owner]
    column, series = _origin(line, namespace, frames, kind)
    what = f"{column}.unique() (and .array)" if column else "this value"
    head = f"{what} is a pandas {owner} of {kind} values, not a Series, so it has no .{attribute}. "
    if attribute in _SORTS:
        fix = "Sort it with sorted(...) (a list), or keep a Series: " + (
            f"{column}.drop_duplicates().sort_values()." if column else "pd.Series(...).sort_values()."
        )
    elif attribute in _ACCESSORS or attribute in _TEXT_METHODS:
        accessor = "str" if attribute in _TEXT_METHODS else attribute
        via = f"{column}.{accessor}" if column else f"pd.Series(...).{accessor}"
        fix = f"Take the accessor on the Series, before .unique() ({via}…)"
        fix += ", or make the values text with .astype(str)." if accessor == "str" else "."
    else:
        fix = (
            f"Make it a Series first, pd.Series(...).{attribute}, "
            "or a plain list with list(...) or .tolist()."
        )
    if kind == "categorical" and series is not None:
        categories = list(series.cat.categories[:8])
        fix += (
            " Its categories, in their order, are "
            f"{column}.cat.categories ({', '.join(map(repr, categories))})."
        )
    return head + fix


def plot_method_hint(owner: str, attribute: str, frames: Mapping[str, Any], line: str) -> str:
    """``df.heatmap()``: a plotting function asked of the data; name where it really is."""
    import seaborn as sns

    name = next((n for n in frames if re.search(rf"\b{re.escape(n)}\s*\.\s*{attribute}\b", line)), "df")
    if attribute in _PANDAS_PLOTS:
        return (
            f"A {owner} draws its own plots through .plot: "
            f"{name}.plot.{attribute}(...) or {name}.plot(kind={attribute!r})."
        )
    if attribute == "heatmap" or attribute == "imshow":
        return (
            f"A {owner} has no {attribute}: draw it with "
            "sns.heatmap(table) (or plt.imshow / px.imshow), where "
            f"table is 2-D: {name}.pivot_table(index=..., columns=..., values=...), pd.crosstab(...) or "
            f"{name}.corr(numeric_only=True)."
        )
    if callable(getattr(sns, attribute, None)):
        return f"{attribute} is seaborn's, not the {owner}'s: sns.{attribute}(data={name}, x=..., y=...)."
    return ""


def _colour_values(
    series: str | None, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> tuple[str, str, pd.Series] | None:
    """(keyword, expression, Series) of the text labels given as colours on the failing line."""
    try:
        call = next(
            (
                n
                for n in ast.walk(ast.parse(line.strip()))
                if isinstance(n, ast.Call)
                and any(k.arg in ("c", "color", "colors", "facecolor") for k in n.keywords)
            ),
            None,
        )
    except SyntaxError:
        call = None
    keywords = [k for k in call.keywords if k.arg in ("c", "color", "colors", "facecolor")] if call else []
    for keyword in keywords:
        text = ast.unparse(keyword.value)
        found = _SUBSCRIPT.fullmatch(text)
        value = namespace.get(text) if isinstance(keyword.value, ast.Name) else None
        if found:
            frame = namespace.get(found.group(1), frames.get(found.group(1)))
            value = (
                frame[found.group(3)] if isinstance(frame, pd.DataFrame) and found.group(3) in frame else None
            )
        if _is_text(value):
            return str(keyword.arg), text, pd.Series(value)
    if series is not None:  # the message prints the Series it was given
        for name, frame in _frames_in_view(namespace, frames, line):
            if series in frame.columns and _is_text(frame[series]):
                return "c", f"{name}[{series!r}]", frame[series]
    return None


def _is_text(value: Any) -> bool:
    """A Series or array of labels (text or categories), not numbers or colours already."""
    if isinstance(value, pd.Series):
        return isinstance(value.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(value.dtype)
    if isinstance(value, (np.ndarray, list)) and len(value):
        return isinstance(np.asarray(value).flat[0], str)
    return False


def label_colour_hint(
    series: str | None, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> str:
    """``plt.scatter(..., c=df['region'])``: text labels are not colours; map them, or let the library do it.

    ``series``: the column of the Series the error message prints, if it prints one.
    """
    found = _colour_values(series, namespace, frames, line)
    if found is None:
        return ""
    keyword, expression, values = found
    labels = list(values.dropna().unique()[:4])
    column = expression.split("[", 1)[1].rstrip("]") if "[" in expression else "'label'"
    # numbers colour-map only through scatter's c=; color= takes colours alone
    codes = f" (or c={expression}.astype('category').cat.codes with cmap='tab10')" if keyword == "c" else ""
    return (
        f"{expression} holds text labels ({', '.join(map(repr, labels))}…), not colours: map each label to a "
        f"colour first, e.g. palette = dict(zip({expression}.unique(), plt.cm.tab10.colors)), then "
        f"{keyword}={expression}.map(palette){codes}. Or let "
        f"the library colour by it: seaborn's hue={column}, "
        f"plotly's color={column}."
    )


def _image_data(line: str) -> str:
    """The expression a heatmap or image call on the failing line is given as its data, or ''."""
    try:
        calls = [n for n in ast.walk(ast.parse(line.strip())) if isinstance(n, ast.Call)]
    except SyntaxError:
        return ""
    for call in calls:
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        given = [*call.args[:1], *(k.value for k in call.keywords if k.arg in ("data", "img", "X", "z"))]
        if name in _IMAGE_CALLS and given:
            return ast.unparse(given[0])
    return ""


def one_dimensional_hint(
    size: int | None, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> str:
    """A heatmap or image of a Series or 1-D array: it needs rows and columns; say how to make them.

    The table is made from the column the call was given, in the frame the program named, so
    the recipe is one the model can paste; bars are offered only when no table can be made
    (a model told "or draw bars" for a requested heatmap draws bars).
    """
    count = f"{size} values" if size else "one row of values"
    data = _image_data(line) or next(
        (n for n in re.findall(r"\b[A-Za-z_]\w*\b", line) if _one_d(namespace.get(n))), ""
    )
    what = f"{data} is 1-D ({count})" if data else f"the data given is 1-D ({count})"
    name, frame, column = _source(data, namespace, frames)
    recipe = _two_d_recipe(name, frame, column)
    tail = (
        " Then draw the heatmap of that table."
        if frame is not None
        else " Or, for one grouping only, draw bars."
    )
    return f"{what}, but a heatmap or image needs a 2-D grid of values (rows × columns). {recipe}{tail}"


def _source(data: str, namespace: Mapping[str, Any], frames: Mapping[str, Any]) -> tuple[str, Any, Any]:
    """(frame name, frame, column) behind the 1-D data
    (``df['deals'].value_counts()``), else the loaded frame."""
    found = _SUBSCRIPT.search(data)
    if found:
        frame = namespace.get(found.group(1), frames.get(found.group(1)))
        if isinstance(frame, pd.DataFrame) and found.group(3) in frame.columns:
            return found.group(1), frame, found.group(3)
    name, frame = next(((n, f) for n, f in frames.items() if isinstance(f, pd.DataFrame)), ("df", None))
    return name, frame, None


def _one_d(value: Any) -> bool:
    return isinstance(value, pd.Series) or (isinstance(value, np.ndarray) and value.ndim == 1)


def _two_d_recipe(name: str, frame: pd.DataFrame | None, column: Any = None) -> str:
    """How to make a 2-D table from this frame's own columns
    (or its two index levels), ``column`` as the values."""
    if frame is None:
        return "Make one with pivot_table(index=..., columns=..., values=...) or pd.crosstab(a, b)."
    numbers = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype)
    ]
    groups = [
        c
        for c in frame.columns
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(frame[c].dtype)
        or pd.api.types.is_bool_dtype(frame[c].dtype)
    ]
    values = column if column in numbers else (numbers[0] if numbers else None)
    if frame.index.nlevels == 2 and values is not None:
        return f"Make one with {name}[{values!r}].unstack() (its two index levels become rows and columns)."
    if column in groups and len(groups) >= 2:  # counts of a label column: crosstab it with another
        other = next(g for g in groups if g != column)
        return f"Make one with pd.crosstab({name}[{column!r}], {name}[{other!r}]) (counts)."
    if len(groups) >= 2 and values is not None:
        a, b = groups[:2]
        return (
            f"Make one with {name}.pivot_table(index={a!r}, columns={b!r}, values={values!r}, "
            f"aggfunc='mean'), or counts with pd.crosstab({name}[{a!r}], {name}[{b!r}])."
        )
    if len(frame.columns) == 3:  # a long x-y-value table: its pivot is the grid
        x, y, z = list(frame.columns)
        return f"Make one with {name}.pivot(index={x!r}, columns={y!r}, values={z!r})."
    if len(numbers) >= 2:
        return f"Make one with {name}.corr(numeric_only=True), or a one-row table with series.to_frame().T."
    return (
        "Make one with pivot_table(index=..., columns=..., "
        "values=...), or a one-row table with series.to_frame().T."
    )
