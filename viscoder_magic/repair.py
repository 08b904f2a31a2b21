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
import functools
import importlib
import inspect
import re
import types
from collections.abc import Mapping
from typing import Any

from .check import column_hint
from .error_patterns import (  # the patch rules import them from here as well
    BAD_KWARG,
    BAD_PROPERTY,
    BAD_RC,
    CANNOT_IMPORT,
    MISSING_ARG,
    NO_ATTR,
    SEABORN_NO_ENTRY,
    STYLE,
    missing_keys,
)
from .error_patterns import PLOTLY_NO_COLUMN as PLOTLY_NO_COLUMN  # read by patches.columns
from .hints_tables import tables_hint

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


def loaded_module(name: str) -> types.ModuleType | None:
    """The module ``name``, or None when it cannot be imported (not installed, or failing on import)."""
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a module not installed (or broken) is simply not there
        return None


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


@functools.cache
def axes_attributes() -> frozenset[str]:
    """What a real Axes has, instance attributes (``xaxis``, ``yaxis``) included."""
    from matplotlib.figure import Figure

    return frozenset(n for n in dir(Figure().add_subplot()) if not n.startswith("_"))


@functools.cache
def axes_methods() -> frozenset[str]:
    """The attributes of a real Axes that can be called (``yaxis`` cannot: it is an axis object)."""
    from matplotlib.figure import Figure

    axes = Figure().add_subplot()
    return frozenset(n for n in axes_attributes() if callable(getattr(axes, n, None)))


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


def elsewhere_in_library(module: types.ModuleType, attribute: str) -> list[str]:
    """``plotly.express.subplots``: where else the same library has that name.

    Looks at the library's modules already imported, and at a public submodule named
    exactly ``attribute`` (``plotly.subplots``), which it imports to read.
    """
    import pkgutil
    import sys

    root = module.__name__.split(".")[0]
    package = sys.modules.get(root)
    if package is not None and attribute in {
        m.name for m in pkgutil.iter_modules(getattr(package, "__path__", []))
    }:
        try:
            importlib.import_module(f"{root}.{attribute}")
        except Exception:  # noqa: BLE001 - a hint is never worth an error
            pass
    found: dict[int, str] = {}  # by object: ``graph_objs`` re-exports ``graph_objects``, one answer not two
    for name, other in sorted(sys.modules.items()):
        if other is None or other is module or not name.startswith(root + ".") or "._" in name:
            continue
        if name.rsplit(".", 1)[-1] == attribute:
            named = [
                n
                for n in dir(other)
                if not n.startswith("_") and attribute in n and callable(getattr(other, n, None))
            ][:2]
            for n in named:
                found.setdefault(id(getattr(other, n)), f"{name}.{n}")
        elif callable(getattr(other, attribute, None)):
            found.setdefault(id(getattr(other, attribute)), f"{name}.{attribute}")
        if len(found) >= 3:
            break
    return list(found.values())[:3]


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
        hint += "; for stacked bars pass bottom= to each bar call, or use DataFrame.plot(kind='bar', stacked=True)"
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


def _missing_argument_hint(
    name: str, missing: str, line: str, namespace: Mapping[str, Any], frames: Mapping[str, Any]
) -> str:
    """``hist() missing 1 required positional argument: 'x'``: the callee's real signature, from the failing line.

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


def _key_hint(message: str, frames: Mapping[str, Any]) -> str:
    """The missing key(s) against the real columns (and the index's names)."""
    for key in missing_keys(message):
        for name, frame in frames.items():
            if key not in map(str, frame.columns):
                return column_hint(name, key, frame.columns, data=frame)
    return ""


def _style_hint(message: str) -> str:
    match = STYLE.search(message)
    if not match:
        return ""
    import matplotlib.pyplot as plt

    close = difflib.get_close_matches(match.group(1), plt.style.available, n=3, cutoff=0.3)
    return f"Style {match.group(1)!r} does not exist. Available styles include: {', '.join(close or plt.style.available[:8])}."


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
) -> str:
    """A hint computed from the live objects for this error, or '' when we know nothing useful."""
    hint = _specific_hint(error_type, message, namespace, frames, line)
    if error_type in ("TypeError", "ValueError", "IndexError") and line:
        hint = " ".join(filter(None, [hint, values_hint(line, namespace)]))
    return hint


def _specific_hint(
    error_type: str | None, message: str, namespace: Mapping[str, Any], frames: Mapping[str, Any], line: str
) -> str:
    if hint := tables_hint(error_type, message, namespace, frames, line):
        return hint
    if error_type == "KeyError" and (rc := BAD_RC.search(message)):
        close = re.findall(r"'([^']+)'", message.partition("Did you mean one of:")[2])
        return (
            f"{rc.group(1)!r} is not a matplotlib rc setting (rc= and rcParams take matplotlib's own keys)"
            + (f"; real keys close to it: {', '.join(close)}." if close else "; leave it out.")
        )
    if error_type == "KeyError":
        return _key_hint(message, frames)
    if error_type == "ValueError" and (named := SEABORN_NO_ENTRY.search(message)):
        return _key_hint(repr(named.group(1)), frames) + (
            " If the name is meant for the columns themselves (a wide table: one column per series), reshape "
            f"first: long = {next(iter(frames), 'df')}.melt(var_name=..., value_name=...), then name those."
        )
    if error_type in ("TypeError", "AttributeError") and (match := BAD_PROPERTY.search(message)):
        return _property_hint(match.group(1), match.group(2))
    if error_type == "TypeError" and "does not support operation" in message:
        return (
            "A column of this dtype (dates or text) cannot be summed or averaged: select the numeric "
            "value column before aggregating, e.g. df.groupby('key')['value'].sum(), or pass "
            "numeric_only=True."
        )
    if error_type == "ConversionError":
        numeric = {n: [str(c) for c in f.select_dtypes("number").columns][:10] for n, f in frames.items()}
        return (
            "Text values were given where the axis needs numbers. Put the text column on the "
            "category axis and a numeric column on the value axis (numeric columns: "
            + "; ".join(f"{n}: {', '.join(c) or 'none'}" for n, c in numeric.items())
            + ")."
        )
    if error_type == "AttributeError" and (match := NO_ATTR.search(message)):
        return _attribute_hint(match.group(1), match.group(2), namespace)
    if error_type == "TypeError" and (match := BAD_KWARG.search(message)):
        callee = match.group(1)
        if (
            "." not in callee and (call := _call_on_line(callee, line)) is not None
        ):  # "scatter() got ...": px.scatter
            callee = ast.unparse(call.func)
        return _signature_hint(callee, match.group(2), namespace)
    if error_type in ("OSError", "ValueError") and "style" in message:
        return _style_hint(message)
    if error_type == "ValueError" and ("shape" in message or "dimension" in message or "length" in message):
        shapes = ", ".join(f"{n} has {f.shape[0]} rows and {f.shape[1]} columns" for n, f in frames.items())
        return f"Check the lengths of the arrays you pass together. {shapes}."
    if error_type == "TypeError" and "for image data" in message:
        name, frame = next(iter(frames.items()), ("df", None))
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
    if error_type == "ImportError" and (wrong := CANNOT_IMPORT.search(message)):
        return _import_hint(*wrong.groups())
    if error_type == "ModuleNotFoundError" and (missing := re.search(r"No module named '([\w.]+)'", message)):
        return (
            f"{missing.group(1)} is not installed in this kernel: write the program with pandas, numpy "
            "and the plotting library only."
        )
    if error_type in ("NoFigure", "EmptyFigure"):
        loaded = "; ".join(
            f"{n} (columns: {', '.join(map(str, list(f.columns)[:10]))})"
            for n, f in frames.items()
            if hasattr(f, "columns")
        )
        return (
            "Draw the data on the figure (for example with a plotting call on the axes) and call show()."
            + (
                f" The data is already loaded as {loaded}: plot from it, do not retype values."
                if loaded
                else ""
            )
        )
    if error_type == "BlockedAction":
        return "Do not save, read or delete files, start processes or use the network; only build the figure."
    if error_type == "ExecutionTimeout":
        return "The code was too slow; avoid Python loops over rows, aggregate first, plot fewer points."
    if error_type == "TypeError" and (match := MISSING_ARG.search(message)):
        return _missing_argument_hint(match.group(1), match.group(2), line, namespace, frames)
    return ""


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
