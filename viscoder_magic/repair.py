"""Repair stage: what to tell the model after a failure, and how to ask again.

The VisCoder self-debug turn feeds back the traceback. A 0.5B model answers that
turn at temperature 0 by resubmitting nearly the same program, so we add what the
paper's loop lacks: a hint grounded in the live objects (the real columns, the
nearest real attribute, the callee's real signature), and a sampling schedule
that changes something when the model repeats itself.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import inspect
import re
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .check import column_hint
from .failures import (
    BadKeyword,
    BadProperty,
    BadRcKey,
    Blocked,
    CannotImport,
    Failure,
    LabelsAsColours,
    LengthMismatch,
    MissingArgument,
    NoAttribute,
    NoColumn,
    NoModule,
    NothingDrawn,
    NotImageData,
    TextOnNumericAxis,
    TimedOut,
    UnknownStyle,
    UnsupportedOperation,
    classify,
    missing_keys,
)
from .hints_tables import tables_hint
from .library import axes_attributes, axes_methods, elsewhere_in_library, loaded_module

_KNOWN_TYPES = {
    "Axes": "matplotlib.axes.Axes",
    "Figure": "matplotlib.figure.Figure",
    "ndarray": "numpy.ndarray",
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "NDFrame": "pandas.core.generic.NDFrame",  # pandas names DataFrame/Series methods after their base class
    "DataFrameGroupBy": "pandas.core.groupby.DataFrameGroupBy",
    "SeriesGroupBy": "pandas.core.groupby.SeriesGroupBy",
    "Line2D": "matplotlib.lines.Line2D",
    "PathCollection": "matplotlib.collections.PathCollection",
    "BarContainer": "matplotlib.container.BarContainer",
    "FacetGrid": "seaborn.FacetGrid",
    "Index": "pandas.Index",
    "DatetimeIndex": "pandas.DatetimeIndex",
}


def normalized(code: str) -> str:
    """The program without comments and formatting, to spot resubmissions."""
    try:
        return ast.unparse(ast.parse(code))
    except SyntaxError:
        return " ".join(code.split())


#: Packages a hint may import to look a name up (an error message names types, not modules:
#: importing whatever it names could run any installed module's import-time code).
LIBRARIES = frozenset({"numpy", "pandas", "matplotlib", "mpl_toolkits", "seaborn", "plotly", "scipy"})


def _lookup(dotted: str, namespace: Mapping[str, Any]) -> Any:
    """Resolve ``plt``, ``np.random`` or ``matplotlib.axes.Axes`` to an object, or None."""
    head, *rest = dotted.split(".")
    obj = namespace.get(head) if head else None
    if obj is None:
        if head not in LIBRARIES:
            return None
        try:
            obj = importlib.import_module(head)
        except ImportError:
            return None
    for part in rest:
        found = getattr(obj, part, None)
        if found is None and isinstance(obj, types.ModuleType) and obj.__name__.split(".")[0] in LIBRARIES:
            try:  # a submodule not imported yet (``matplotlib.axes`` before pyplot loads it)
                found = importlib.import_module(f"{obj.__name__}.{part}")
            except ImportError:
                return None
        if found is None:
            return None
        obj = found
    return obj


def _attribute_hint(owner: str, attribute: str, namespace: Mapping[str, Any]) -> str:
    obj = _lookup(owner, namespace) or _lookup(_KNOWN_TYPES.get(owner.split(".")[-1], ""), namespace)
    if obj is None:
        return ""
    names = [n for n in dir(obj) if not n.startswith("_")]
    owner_name = owner.split(".")[-1]
    if owner_name in ("Series", "DataFrame", "Index") and hasattr(
        _lookup("numpy.ndarray", namespace), attribute
    ):
        return (
            f"{owner} has no attribute {attribute!r}, but NumPy arrays do: convert first, "
            f"e.g. df['column'].to_numpy().{attribute}(...)."
        )
    if (
        isinstance(obj, types.ModuleType)
        and obj.__name__.endswith("pyplot")
        and attribute in axes_attributes()
    ):
        hint = (
            f"{owner} has no attribute {attribute!r}, but an Axes does: get the axes first, "
            f"e.g. ax = plt.gca() (or fig, ax = plt.subplots()), then ax.{attribute}."
        )
        if attribute not in axes_methods():
            hint += (
                f" ax.{attribute} is an object, not a function: to label or style, use pyplot's own "
                f"functions (plt.xlabel, plt.ylabel, plt.title) or the Axes' set_ methods (ax.set_ylabel)."
            )
        return hint
    close = difflib.get_close_matches(attribute, names, n=4, cutoff=0.6)
    hint = f"{owner} has no attribute {attribute!r}."
    if close:
        hint += f" Real attributes with similar names: {', '.join(close)}."
    elif isinstance(obj, types.ModuleType) and (elsewhere := elsewhere_in_library(obj, attribute)):
        hint += f" The library has it elsewhere: {', '.join(elsewhere)} (import it from there)."
    if owner.endswith("ndarray") and attribute.startswith(("set_", "plot", "bar", "scatter", "hist")):
        hint += " This is an array of Axes (from plt.subplots with several plots): index it, e.g. axes[0]."
    return hint


def plain_signature(target: Any) -> str:
    """``(x, bins=None, range=None, ...)``: the parameters without type annotations, at most 400 characters.

    Annotated library signatures (matplotlib's ``hist``) spend the whole budget on
    three parameters' types; a small model needs the names and defaults.
    """
    empty = inspect.Parameter.empty
    signature = inspect.signature(target)
    text = str(
        signature.replace(
            parameters=[p.replace(annotation=empty) for p in signature.parameters.values()],
            return_annotation=empty,
        )
    )
    return text[:400] + "…)" if len(text) > 400 else text


def _signature_hint(callee: str, keyword: str, namespace: Mapping[str, Any]) -> str:
    owner, _, name = callee.rpartition(".")
    target = _lookup(callee, namespace)
    if target is None and owner:
        cls = _lookup(_KNOWN_TYPES.get(owner, owner), namespace)
        target = getattr(cls, name, None) if cls is not None else None
    if target is None:
        return f"{callee}() has no keyword argument {keyword!r}; remove it or use a valid one."
    try:
        signature = plain_signature(target)
    except (TypeError, ValueError):
        return f"{callee}() has no keyword argument {keyword!r}."
    return f"{callee}() has no keyword argument {keyword!r}. Its real signature is {callee}{signature}."


def _property_hint(artist: str, keyword: str) -> str:
    """``Rectangle.set() got an unexpected keyword argument 'stacked'``: a keyword no call accepts."""
    import matplotlib.artist
    import matplotlib.collections
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.text

    hint = (
        f"{keyword!r} is not an argument of the plotting call you used: it was passed on to "
        f"the {artist} objects it draws, which have no such property. Remove {keyword!r}"
    )
    for module in (matplotlib.patches, matplotlib.lines, matplotlib.collections, matplotlib.text):
        cls = getattr(module, artist, None)
        if isinstance(cls, type):
            setters = matplotlib.artist.ArtistInspector(cls).get_setters()
            close = difflib.get_close_matches(keyword, setters, n=3, cutoff=0.6)
            if close:
                hint += f" (did you mean {', '.join(close)}?)"
            break
    if keyword == "stacked":
        hint += (
            "; for stacked bars pass bottom= to each bar call, "
            "or use DataFrame.plot(kind='bar', stacked=True)"
        )
    return hint + "."


def _call_on_line(name: str, line: str) -> ast.Call | None:
    """The call of ``name`` (``plt.hist`` or ``hist``) on the failing line, parsed."""
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:  # a line inside a bracketed statement
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) == name:
                return node
    return None


def _missing_argument(
    name: str, missing: str, line: str, namespace: Mapping[str, Any], frames: Mapping[str, Any]
) -> str:
    """``hist() missing 1 required positional argument: 'x'``: the callee's real signature, from the
    failing line.

    The 0.5B usually names the data with a keyword the function does not have
    (``plt.hist(y='col')``), so the hint says which keyword that is and shows the
    call with the data first, as the frame's real column when the keyword named one.
    """
    call = _call_on_line(name, line)
    callee = ast.unparse(call.func) if call is not None else name
    target = _lookup(callee, namespace) if call is not None else None
    try:
        parameters = inspect.signature(target).parameters if callable(target) else None
    except (TypeError, ValueError):
        parameters = None
    if call is None or parameters is None:
        return f"{callee}() needs {missing}: pass it as the first argument."
    hint = f"{callee}() needs {missing}. Its real signature is {callee}{plain_signature(target)}."
    strays = [k for k in call.keywords if k.arg and k.arg not in parameters]
    if len(strays) == 1:
        value = strays[0].value
        data = ast.unparse(value)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            owner = next(
                (n for n, f in frames.items() if value.value in map(str, getattr(f, "columns", []))), None
            )
            data = f"{owner}[{value.value!r}]" if owner else data
        hint += (
            f" {strays[0].arg}= is not one of its parameters: give the data as its first argument, "
            f"e.g. {callee}({data}, ...)."
        )
    return hint


def _key_hint(keys: Iterable[str], frames: Mapping[str, Any]) -> str:
    """The missing key(s) against the real columns (and the index's names)."""
    for key in keys:
        for name, frame in frames.items():
            if key not in map(str, frame.columns):
                return column_hint(name, key, frame.columns, data=frame)
    return ""


def _style_hint(name: str) -> str:
    import matplotlib.pyplot as plt

    close = difflib.get_close_matches(name, plt.style.available, n=3, cutoff=0.3)
    return (
        f"Style {name!r} does not exist. "
        f"Available styles include: {', '.join(close or plt.style.available[:8])}."
    )


_NAME = re.compile(r"\b([A-Za-z_]\w*)\b(?:\[['\"]([^'\"]+)['\"]\])?")


def _value_summary(value: Any) -> str:
    """Type, shape and dtype of one live value, in the words a traceback needs."""
    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values, dtype {value.dtype}"
    if isinstance(value, pd.DataFrame):
        dtypes = ", ".join(f"{c}: {t}" for c, t in list(value.dtypes.astype(str).items())[:8])
        return f"a DataFrame of {value.shape[0]} rows × {value.shape[1]} columns ({dtypes})"
    if isinstance(value, (list, tuple, set, dict)):
        first = next(iter(value), None)
        inner = f" (first: {type(first).__name__})" if first is not None else ""
        return f"a {type(value).__name__} of {len(value)} items{inner}"
    if isinstance(value, (int, float, str, bool, np.generic)):
        return f"{type(value).__name__} {str(value)[:40]!r}"
    return ""


def values_hint(line: str, namespace: Mapping[str, Any]) -> str:
    """What the names on the failing line hold: shapes and dtypes, read from the live objects.

    Shape and type errors come from a wrong belief about the data (a 1-D column
    passed where a 2-D grid is needed, a list where a number is); showing the real
    shapes is what lets a small model correct the belief instead of guessing.
    """
    import pandas as pd

    parts: list[str] = []
    seen: set[str] = set()
    for name, column in dict.fromkeys(_NAME.findall(line)):
        value = namespace.get(name)
        if column and isinstance(value, (pd.DataFrame, dict)) and column in value:
            name, value = f"{name}[{column!r}]", value[column]
        summary = _value_summary(value) if value is not None and not callable(value) else ""
        if summary and name not in seen:
            seen.add(name)
            parts.append(f"{name} is {summary}")
    return ("On the failing line, " + "; ".join(parts[:6]) + ".") if parts else ""


def grounded_hint(
    error_type: str | None,
    message: str,
    namespace: Mapping[str, Any],
    frames: Mapping[str, Any],
    line: str = "",
    failure: Failure | None = None,
) -> str:
    """A hint computed from the live objects for this error, or '' when we know nothing useful.

    ``failure``: the error as ``failures.classify`` read it (read here when not given).
    """
    seen = _Seen(error_type, namespace, frames, line)
    failure = failure or classify(error_type, message)
    hint = tables_hint(failure, namespace, frames, line) or _hint_of(failure, seen)
    if error_type in ("TypeError", "ValueError", "IndexError") and line:
        hint = " ".join(filter(None, [hint, values_hint(line, namespace)]))
    return hint


@dataclass(frozen=True)
class _Seen:
    """What a hint reads besides the failure: the error's type, the live objects and the failing line."""

    error_type: str | None
    namespace: Mapping[str, Any]
    frames: Mapping[str, Any]
    line: str


def _hint_of(failure: Failure | None, seen: _Seen) -> str:
    """The hint of ``failure``'s type (``HINTS``), or '' for a type without one."""
    hint = HINTS.get(type(failure)) if failure is not None else None
    return hint(failure, seen) if hint is not None else ""


def _no_column_hint(failure: NoColumn, seen: _Seen) -> str:
    if failure.source == "seaborn":  # the name read as the KeyError a lookup of it raises
        return _key_hint(missing_keys(repr(failure.key)), seen.frames) + (
            " If the name is meant for the columns themselves (a wide table: one column per series), reshape "
            f"first: long = {next(iter(seen.frames), 'df')}.melt(var_name=..., value_name=...), "
            "then name those."
        )
    if failure.source == "plotly":  # its message lists the columns: their names read on (``also``)
        return _hint_of(failure.also, seen)
    return _key_hint(failure.names, seen.frames)


def _rc_hint(failure: BadRcKey, seen: _Seen) -> str:
    close = failure.suggestions
    return f"{failure.key!r} is not a matplotlib rc setting (rc= and rcParams take matplotlib's own keys)" + (
        f"; real keys close to it: {', '.join(close)}." if close else "; leave it out."
    )


def _keyword_hint(failure: BadKeyword, seen: _Seen) -> str:
    if seen.error_type != "TypeError":  # an AttributeError saying so has had no hint
        return ""
    callee = failure.callee
    if "." not in callee and (call := _call_on_line(callee, seen.line)) is not None:
        callee = ast.unparse(call.func)  # "scatter() got ...": px.scatter
    return _signature_hint(callee, failure.keyword, seen.namespace)


def _text_on_axis_hint(failure: TextOnNumericAxis, seen: _Seen) -> str:
    numeric = {n: [str(c) for c in f.select_dtypes("number").columns][:10] for n, f in seen.frames.items()}
    return (
        "Text values were given where the axis needs numbers. Put the text column on the "
        "category axis and a numeric column on the value axis (numeric columns: "
        + "; ".join(f"{n}: {', '.join(c) or 'none'}" for n, c in numeric.items())
        + ")."
    )


def _lengths_hint(failure: LengthMismatch, seen: _Seen) -> str:
    shapes = ", ".join(f"{n} has {f.shape[0]} rows and {f.shape[1]} columns" for n, f in seen.frames.items())
    return f"Check the lengths of the arrays you pass together. {shapes}."


def _image_hint(failure: NotImageData, seen: _Seen) -> str:
    name, frame = next(iter(seen.frames.items()), ("df", None))
    columns = [str(c) for c in getattr(frame, "columns", [])][:3]
    example = (
        f"{name}.pivot(index={columns[0]!r}, columns={columns[1]!r}, values={columns[2]!r})"
        if len(columns) == 3
        else f"{name}.pivot(index=..., columns=..., values=...)"
    )
    return (
        "Images (imshow) need a 2-D grid of values: pivot the long data first, with "
        f"this frame's own columns, e.g. {example}, or reshape a NumPy array to 2-D."
    )


def _nothing_drawn_hint(failure: NothingDrawn, seen: _Seen) -> str:
    loaded = "; ".join(
        f"{n} (columns: {', '.join(map(str, list(f.columns)[:10]))})"
        for n, f in seen.frames.items()
        if hasattr(f, "columns")
    )
    return "Draw the data on the figure (for example with a plotting call on the axes) and call show()." + (
        f" The data is already loaded as {loaded}: plot from it, do not retype values." if loaded else ""
    )


def _missing_argument_hint(failure: MissingArgument, seen: _Seen) -> str:
    return _missing_argument(failure.function, failure.missing, seen.line, seen.namespace, seen.frames)


#: The hint for each type of failure. These were one chain of tests on the message, tried in
#: order; ``classify`` keeps that order (a message is read as the first failure that fits it),
#: so a lookup by type gives the hint the chain gave. A failure whose hint finds nothing may
#: read on: plotly's missing column and text labels given as colours defer to what the rest
#: of their message reads as (``also``). The tables' own hints (``tables_hint``) come first.
HINTS: dict[type[Failure], Callable[[Any, _Seen], str]] = {
    BadRcKey: _rc_hint,
    NoColumn: _no_column_hint,
    BadProperty: lambda f, seen: _property_hint(f.artist, f.keyword),
    UnsupportedOperation: lambda f, seen: (
        "A column of this dtype (dates or text) cannot be summed or averaged: select the numeric "
        "value column before aggregating, e.g. df.groupby('key')['value'].sum(), or pass "
        "numeric_only=True."
    ),
    TextOnNumericAxis: _text_on_axis_hint,
    NoAttribute: lambda f, seen: _attribute_hint(f.owner, f.attribute, seen.namespace),
    BadKeyword: _keyword_hint,
    UnknownStyle: lambda f, seen: _style_hint(f.name),
    LengthMismatch: _lengths_hint,
    NotImageData: _image_hint,
    CannotImport: lambda f, seen: _import_hint(f.name, f.module),
    NoModule: lambda f, seen: (
        f"{f.module} is not installed in this kernel: write the program with pandas, numpy "
        "and the plotting library only."
    ),
    NothingDrawn: _nothing_drawn_hint,
    Blocked: lambda f, seen: (
        "Do not save, read or delete files, start processes or use the network; only build the figure."
    ),
    TimedOut: lambda f, seen: (
        "The code was too slow; avoid Python loops over rows, aggregate first, plot fewer points."
    ),
    MissingArgument: _missing_argument_hint,
    LabelsAsColours: lambda f, seen: _hint_of(f.also, seen),
}


def _import_hint(name: str, module: str) -> str:
    """What ``module`` really offers near ``name`` (a patch already tried where it lives)."""
    source = loaded_module(module)
    if source is None:  # the module itself is the problem: say nothing
        return ""
    names = [a for a in dir(source) if not a.startswith("_")]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    offer = f" Names it has that come close: {', '.join(close)}." if close else ""
    return f"{module} has no {name}.{offer} Import only names that exist, or do without {name}."


def next_temperature(base: float, round_index: int, repeated: bool) -> float:
    """Greedy first; after a failure or a resubmission, sample so the next answer differs."""
    if round_index == 0:
        return base
    if repeated:
        return max(base, 0.9)
    return max(base, 0.6)
