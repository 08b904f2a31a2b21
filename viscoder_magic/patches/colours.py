"""Rules about colours given data: a column's name, or category labels, where a colour goes.

The 0.5B writes ``marker_color='mid'`` (the column it means to colour by),
``marker_color=df['labels']`` (the category labels themselves) and
``colors=df['labels']`` in a pie. Plotly and matplotlib both refuse, naming the value;
the fix is what the model meant: the column's values, or one colour per category.

A colorbar asked of an Axes (``ax.colorbar``) or of pyplot with nothing colour-mapped
drawn is given what the run did map, or goes when nothing was.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from .. import failure_readers
from .ast_tools import alias_of, calls_in, grids
from .edit import Failure, Patch, live_object, replaced


def _colour_keywords(call: ast.Call) -> list[ast.keyword]:
    """The call's colour keywords, the ones nested in ``marker=dict(...)`` / ``line=dict(...)`` included."""
    found = [k for k in call.keywords if k.arg and re.fullmatch(r"\w*colou?rs?|c", k.arg)]
    for nested in (k.value for k in call.keywords if isinstance(k.value, ast.Call)):
        if isinstance(nested.func, ast.Name) and nested.func.id == "dict":
            found += [k for k in nested.keywords if k.arg and re.fullmatch(r"colou?rs?", k.arg)]
    return found


def _frame_of(call: ast.Call, frames: Mapping[str, Any], column: str) -> str | None:
    """The frame the call plots from that has ``column`` (the only frame, when the call names none)."""
    named = [n.id for n in ast.walk(call) if isinstance(n, ast.Name) and n.id in frames]
    candidates = named or list(frames)
    having = [f for f in dict.fromkeys(candidates) if column in getattr(frames[f], "columns", ())]
    return having[0] if len(having) == 1 or (named and having) else None


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return None


def _is_plotly(failure: Failure) -> bool:
    return any(isinstance(n, ast.alias) and n.name.startswith("plotly") for n in ast.walk(failure.tree))


def _per_category(expression: str, labels: list[Any], plotly: bool) -> str:
    """One colour per category of ``expression``'s values.

    Labels that are colours in matplotlib's spelling (``'b'``, ``'r'``) become those colours;
    other labels are numbered in order of appearance, which plotly maps onto its colour scale
    and matplotlib onto its ``tab10`` cycle.
    """
    from matplotlib.colors import is_color_like, to_hex

    if labels and all(isinstance(v, str) and is_color_like(v) for v in labels):
        mapping = {v: to_hex(v) for v in labels}
        return f"[{mapping!r}.get(c, c) for c in {expression}]"
    codes = f"pd.factorize(pd.Series(list({expression})))[0]"
    return codes if plotly else f"plt.cm.tab10({codes} % 10)"


def colour_from_data(failure: Failure) -> Patch | None:
    """A colour setting given a column's name or category
    labels becomes the column's values or one colour per label.

    Only keywords on the failing line's calls are edited, and only those whose value the
    error names (a constant equal to the refused value, or any non-constant expression when
    the error lists refused elements); a setting that is simply not a colour goes to the
    keyword rule, which drops it.
    """
    if failure.error_type != "ValueError":
        return None
    plotly = _is_plotly(failure)
    value = failure_readers.plotly_refused_colour(failure.message)
    elements = failure_readers.plotly_refused_colours(failure.message)
    mpl = None if plotly else failure_readers.matplotlib_refused_colour(failure.message)
    if not (value or elements or mpl):
        return None
    refused = _literal(value) if value else _literal(mpl) if mpl else None
    listed = _literal(elements) if elements else None
    from matplotlib.colors import is_color_like

    every = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and _colour_keywords(n)]
    here = failure.on_line(every)
    named = isinstance(refused, str) and any(
        refused in getattr(f, "columns", ()) for f in failure.frames.values()
    )
    edits, notes = [], []
    for call in every:  # a column named where a colour goes is fixed in every call: the same slip
        assert isinstance(call, ast.Call)
        for keyword in _colour_keywords(call):
            given = keyword.value
            if (
                named
                and isinstance(given, ast.Constant)
                and isinstance(given.value, str)
                and (given.value == refused or not is_color_like(given.value))
            ):
                frame = _frame_of(call, failure.frames, given.value)
                if frame is None:
                    continue
                column = f"{frame}[{given.value!r}]"
                numeric = (
                    getattr(failure.frames[frame][given.value], "dtype", None) is not None
                    and failure.frames[frame][given.value].dtype.kind in "iuf"
                )
                edits.append((given, column if numeric and plotly else _per_category(column, [], plotly)))
                notes.append(f"{keyword.arg}={given.value!r} named a column; coloured by {column}")
            elif call in here and not isinstance(given, ast.Constant) and (elements or mpl):
                labels = listed if isinstance(listed, list) else [refused] if refused is not None else []
                edits.append((given, _per_category(ast.unparse(given), labels, plotly)))
                notes.append(
                    f"{keyword.arg}={ast.unparse(given)} holds labels, not colours "
                    f"({', '.join(map(repr, labels[:3]))}); one colour per label"
                )
    if not edits:
        return None
    return Patch(replaced(failure.code, edits), "; ".join(dict.fromkeys(notes)))


_COLORBAR_KEYWORDS = {
    "label",
    "orientation",
    "shrink",
    "pad",
    "fraction",
    "aspect",
    "location",
    "ticks",
    "format",
    "extend",
    "spacing",
    "drawedges",
    "cax",
}


def axes_colorbar(failure: Failure, pyplot: str, nodes: list[ast.AST]) -> Patch | None:
    """``ax.colorbar(...)``: ``plt.colorbar`` of what ``ax`` drew, placed by ``ax``.

    ``plt.colorbar()`` alone looks for pyplot's current image, which the Axes methods
    (``ax.imshow``) never set; naming the Axes' own last image or collection works for both.
    Only the arguments ``colorbar`` takes are kept (the model passes ``cmap``, data, ...).
    """
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable

    loaded = {n.id for n in ast.walk(failure.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    holders = {
        id(s.value): s
        for s in ast.walk(failure.tree)
        if isinstance(s, ast.Expr | ast.Assign)
        and not (
            isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id in loaded for t in s.targets)
        )
    }
    edits, dropped, empty, removed = [], set(), [], []
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and n.func in nodes):
        assert isinstance(call.func, ast.Attribute)
        axes = ast.unparse(call.func.value)
        live = live_object(call.func.value, failure.namespace)
        figure = live.get_figure() if isinstance(live, Axes) else None
        if (
            figure is not None
            and id(call) in holders
            and not any(  # the figure drew nothing a colorbar can describe
                a.images or any(c.get_array() is not None for c in a.collections) for a in figure.axes
            )
        ):
            removed.append(holders[id(call)])
            empty.append(axes)
            continue
        given = [a for a in call.args if isinstance(live_object(a, failure.namespace), ScalarMappable)]
        mappable = ast.unparse(given[0]) if given else _drawn_mappable(call.func.value, failure.namespace)
        kept = [k for k in call.keywords if k.arg in _COLORBAR_KEYWORDS]
        dropped |= {k.arg or "**" for k in call.keywords if k not in kept} | (
            {"positional data"} if len(call.args) > len(given) else set()
        )
        arguments = ", ".join([mappable, f"ax={axes}", *(ast.unparse(k) for k in kept)])
        edits.append((call, f"{pyplot}.colorbar({arguments})"))
    if not edits and not removed:
        return None
    gone = (
        f"removed the colorbar of {', '.join(empty)}: the figure drew nothing colour-mapped" if empty else ""
    )
    if not edits:
        return Patch(replaced(failure.code, [], removed), f"an Axes has no colorbar; {gone}")
    return Patch(
        replaced(failure.code, edits, removed),
        "an Axes has no colorbar; used plt.colorbar of what that "
        "Axes drew"
        + (f" (dropped {', '.join(sorted(dropped))}, which colorbar does not take)" if dropped else "")
        + (f"; {gone}" if gone else ""),
    )


def unmapped_colorbar(failure: Failure) -> Patch | None:
    """``plt.colorbar()`` with nothing colour-mapped drawn: show what an Axes did map, else drop the call.

    A colorbar describes an image or a collection with ``c=`` values. When the run drew
    one on an Axes the program holds, the colorbar is given it; when it drew none, the
    colorbar has nothing to show and the statement goes (the note says so).
    """
    from matplotlib.axes import Axes

    if failure.error_type != "RuntimeError" or "No mappable was found" not in failure.message:
        return None
    pyplot = alias_of("matplotlib.pyplot", failure.namespace)
    calls = [
        n
        for n in failure.on_line(calls_in(failure.tree))
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "colorbar"
        and not n.args
        and not any(k.arg == "mappable" for k in n.keywords)
    ]
    if not calls or not pyplot:
        return None
    mapped = [
        name
        for name, value in failure.namespace.items()
        if isinstance(value, Axes)
        and not name.startswith("_")
        and (value.images or any(c.get_array() is not None for c in value.collections))
    ]
    if mapped:
        axes = mapped[-1]
        mappable = _drawn_mappable(ast.Name(axes), failure.namespace)
        edits = [
            (c, f"{pyplot}.colorbar({', '.join([mappable, f'ax={axes}', *map(ast.unparse, c.keywords)])})")
            for c in calls
            if isinstance(c, ast.Call)
        ]
        return Patch(
            replaced(failure.code, edits), f"plt.colorbar() had no current image; used what {axes} drew"
        )
    statements = [s for s in ast.walk(failure.tree) if isinstance(s, ast.Expr) and s.value in calls]
    if len(statements) != len(calls):
        return None  # the colorbar is kept in a name the program uses later: the model decides
    return Patch(
        replaced(failure.code, [], statements),
        "the colorbar had nothing colour-mapped to describe (no image, no c= values); removed it",
    )


def _drawn_mappable(axes: ast.AST, namespace: Mapping[str, Any]) -> str:
    """Source text for the image or collection a colorbar should show, read from what the run drew.

    The Axes' own last one; else a mappable the program named (``im = ...``); else the
    last one drawn on another panel of a grid; else the Axes' own, looked up when it runs.
    """
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable

    text, live = ast.unparse(axes), live_object(axes, namespace)
    for kind in ("images", "collections"):
        if isinstance(live, Axes) and getattr(live, kind):
            return f"{text}.{kind}[-1]"
    named = [
        name
        for name, value in namespace.items()
        if isinstance(value, ScalarMappable) and not name.startswith("_")
    ]
    if named:
        return named[-1]
    for name, grid in grids(namespace).items():
        for index, panel in reversed(list(np.ndenumerate(grid))):
            if panel.images:
                return f"{name}[{', '.join(map(str, index))}].images[-1]"
    return f"({text}.images or {text}.collections)[-1]"
