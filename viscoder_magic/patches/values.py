"""One value where many are given, or many where one is taken.

The model hands a whole column to what places one item (``plt.text``, ``axvline``, a
line's colour or width), one number to what wants a column (``plot(rate, values)``),
and signed values to what takes sizes. The shapes in the message and the live values
say which, and the edit draws the items the call can draw.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from .. import failure_readers
from .ast_tools import axes_of, calls_in, column_values, grids
from .edit import Failure, Patch, live_object, replaced


def scalar_x(failure: Failure) -> Patch | None:
    """``plot(rate, values)`` with ``rate`` one number (``shapes (1,) and (1000,)``): the values alone.

    A single number cannot be an x axis for many values; plotting the values against
    their position keeps the line the request asked for (the note says x was dropped).
    """
    import numpy as np

    match = failure_readers.scalar_x_length(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    edits = []
    for call in failure.on_line(calls_in(failure.tree)):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "plot"
            and len(call.args) >= 2
        ):
            continue
        x, y = (column_values(a, failure) for a in call.args[:2])
        if np.ndim(x) == 0 and x is not None and np.ndim(y) == 1 and len(y) == match:
            edits.append(
                (call, ast.unparse(ast.Call(func=call.func, args=call.args[1:], keywords=call.keywords)))
            )
    return (
        Patch(
            replaced(failure.code, edits),
            f"x was one number against {match} values; plotted the values against their position",
        )
        if edits
        else None
    )


def scalar_y(failure: Failure) -> Patch | None:
    """``plot(df['x'], level)`` with ``level`` one number (``shapes (40,) and (1,)``): a level across x.

    One height for many x positions is a horizontal line at that height (the model writes
    this in a loop to draw one line per row); the number is repeated for each x.
    """
    import numpy as np

    match = failure_readers.scalar_y_length(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    plots = [
        c
        for c in failure.on_line(calls_in(failure.tree))
        if isinstance(c, ast.Call)
        and isinstance(c.func, ast.Attribute)
        and c.func.attr == "plot"
        and len(c.args) >= 2
    ]
    if len(plots) != 1:  # the message's shapes name one call
        return None
    call = plots[0]
    x, y = (
        column_values(a, failure) for a in call.args[:2]
    )  # y is often df['c'][i]: the message says it is one number
    if (y is not None and np.ndim(y) != 0) or (x is not None and np.shape(x) != (match,)):
        return None
    level = f"[{ast.unparse(call.args[1])}] * len({ast.unparse(call.args[0])})"
    args = [call.args[0], ast.parse(level, mode="eval").body, *call.args[2:]]
    edits = [(call, ast.unparse(ast.Call(func=call.func, args=args, keywords=call.keywords)))]
    return Patch(
        replaced(failure.code, edits),
        f"y was one number against {match} x values; drew it as a level line across them",
    )


#: Calls that place one item (one label, one arrow) and take no columns of values.
_ONE_ITEM = frozenset({"text", "annotate", "arrow"})


def _column_read(node: ast.AST, frame: str, columns: set[str]) -> str | None:
    """The column ``node`` reads whole from ``frame`` (``df['x']``, ``df.x``), or None."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == frame:
        return (
            node.slice.value if isinstance(node.slice, ast.Constant) and node.slice.value in columns else None
        )
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == frame:
        return node.attr if node.attr in columns else None
    return None


def one_item_per_row(failure: Failure) -> Patch | None:
    """``plt.text(df['x'], df['y'], df['label'], color=df['colour'])``: one text per row was meant.

    ``text``, ``annotate`` and ``arrow`` place one item; given whole columns they fail on
    whichever argument is checked first (a colour, a position). The statement becomes a
    loop over the frame's rows with each column read from the row, the rest kept as written.
    """
    import pandas as pd

    if failure.error_type not in ("ValueError", "TypeError"):
        return None
    for statement in ast.walk(failure.tree):
        call = statement.value if isinstance(statement, ast.Expr) else None
        name = getattr(getattr(call, "func", None), "attr", None) or getattr(
            getattr(call, "func", None), "id", None
        )
        if not isinstance(call, ast.Call) or name not in _ONE_ITEM or not failure.covers(statement):
            continue
        for frame_name, frame in failure.frames.items():
            if not isinstance(frame, pd.DataFrame) or not 1 <= len(frame) <= 1000:
                continue
            columns = {c for c in frame.columns if isinstance(c, str)}
            args = [_column_read(a, frame_name, columns) for a in call.args]
            keywords = [_column_read(k.value, frame_name, columns) for k in call.keywords]
            if not any(args + keywords):
                continue
            row = [f"_row[{c!r}]" if c else ast.unparse(a) for a, c in zip(call.args, args, strict=True)]
            row += [
                f"{k.arg}=_row[{c!r}]"
                if c and k.arg
                else ast.unparse(k)
                if k.arg is None
                else f"{k.arg}={ast.unparse(k.value)}"
                for k, c in zip(call.keywords, keywords, strict=True)
            ]
            new_call = f"{ast.unparse(call.func)}({', '.join(row)})"
            indent = " " * statement.col_offset
            loop = f"for _, _row in {frame_name}.iterrows():\n{indent}    {new_call}"
            return Patch(
                replaced(failure.code, [(statement, loop)]),
                f"{name}() places one item and was given whole columns of {frame_name}; "
                f"it is called once per row",
            )
    return None


def negative_sizes(failure: Failure) -> Patch | None:
    """Marker sizes from a column with negative values (``size='U'``):
    plotly takes sizes >= 0; their magnitudes are drawn.

    The model sizes markers by a signed quantity (a vector component, a change); the
    magnitude is the nearest reading that can be drawn, and the note says so.
    """
    if failure.error_type != "ValueError" or not failure_readers.negative_sizes(failure.message):
        return None
    edits, names = [], []
    for call in failure.on_line(calls_in(failure.tree)):
        assert isinstance(call, ast.Call)
        frame = (
            call.args[0]
            if call.args and isinstance(call.args[0], ast.Name)
            else next(
                (k.value for k in call.keywords if k.arg == "data_frame" and isinstance(k.value, ast.Name)),
                None,
            )
        )
        for keyword in (k for k in call.keywords if k.arg in ("size", "marker_size")):
            given = keyword.value
            if isinstance(given, ast.Constant) and isinstance(given.value, str) and frame is not None:
                edits.append((given, f"{frame.id}[{given.value!r}].abs()"))
            elif not isinstance(given, ast.Constant):
                edits.append((given, f"abs(pd.Series(list({ast.unparse(given)})))"))
            else:
                continue
            names.append(ast.unparse(given))
    return (
        Patch(
            replaced(failure.code, edits),
            f"marker sizes cannot be negative; sized by the magnitude of {', '.join(names)}",
        )
        if edits
        else None
    )


#: Settings a matplotlib line takes once for the whole line, which the model gives per point.
_LINE_SETTINGS = ("c", "color", "colors", "linewidth", "lw", "linewidths", "s", "markersize", "ms", "alpha")


def _per_point(node: ast.AST, namespace: Mapping[str, Any]) -> bool:
    """Whether ``node`` is several values: a column ``df['x']``
    of a live frame, or a bound Series, array or list."""
    import numpy as np
    import pandas as pd

    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(frame := namespace.get(node.value.id), pd.DataFrame)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value in frame.columns
    ):
        return len(frame) > 1
    value = live_object(node, namespace) if isinstance(node, ast.Name | ast.Attribute) else None
    return isinstance(value, pd.Series | np.ndarray | list) and len(value) > 1


def per_point_line_settings(failure: Failure) -> Patch | None:
    """``ax.plot(x, y, color=df['c'], linewidth=df['w'])``: one line takes one colour and one width.

    The model colours or sizes a line point by point as it would a scatter; ``Line2D``
    refuses a column for a setting it holds once (``... is not a valid value for color``,
    ``float() argument ... not 'Series'``). Dropping those settings draws the line in the
    default style; per-point colours stay on the scatter calls that take them.
    """
    if failure.error_type not in ("ValueError", "TypeError") or not failure_readers.setting_held_once(
        failure.message
    ):
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "plot"
    ]
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        base, target = live_object(call.func.value, failure.namespace), call.func.value
        while isinstance(target, ast.Subscript):  # ``axs[i, 0].plot``: a panel of a grid of Axes
            target = target.value
        panel = isinstance(target, ast.Name) and target.id in grids(failure.namespace)
        if axes_of(call.func.value, base) is None and not panel:
            continue
        dropped = [
            k for k in call.keywords if k.arg in _LINE_SETTINGS and _per_point(k.value, failure.namespace)
        ]
        if dropped:
            kept = [k for k in call.keywords if k not in dropped]
            names = ", ".join(f"{k.arg}=" for k in dropped)
            return Patch(
                replaced(failure.code, [(call, ast.unparse(ast.Call(call.func, call.args, kept)))]),
                f"a line takes one value for {names} but got one per point; drew it in the default style",
            )
    return None


_SPANS = {
    "axvline": ("vlines", "x", "ymin", "ymax", "get_xaxis_transform"),
    "axhline": ("hlines", "y", "xmin", "xmax", "get_yaxis_transform"),
}


def reference_lines_at_many(failure: Failure) -> Patch | None:
    """``ax.axvline(x=df['t'])``: one reference line per value, drawn with ``vlines`` across the axes.

    ``axvline`` takes one position and fails on a column with "truth value of a Series is
    ambiguous"; ``vlines`` over the same values, spanning the axes (its x-axis transform),
    draws what ``axvline`` would draw for each. Colour, width and style keywords carry over.
    """
    if failure.error_type != "ValueError" or "ambiguous" not in failure.message:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _SPANS
    ]
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        many, position, low, high, transform = _SPANS[call.func.attr]
        value = (
            call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == position), None)
        )
        if value is None or not (
            _per_point(value, failure.namespace)
            or (  # ``df['t'][mask]``: the error says
                failure.covers(call) and isinstance(value, ast.Subscript)
            )
        ):  # it held several values
            continue
        owner = ast.unparse(call.func.value)
        axes = axes_of(call.func.value, live_object(call.func.value, failure.namespace)) or owner
        ends = {k.arg: ast.unparse(k.value) for k in call.keywords if k.arg in (low, high)}
        ends.update({name: ast.unparse(arg) for name, arg in zip((low, high), call.args[1:3], strict=False)})
        kept = [ast.unparse(k) for k in call.keywords if k.arg not in (position, low, high)]
        new = (
            f"{owner}.{many}({ast.unparse(value)}, {ends.get(low, '0')}, {ends.get(high, '1')}, "
            f"transform={axes}.{transform}(){''.join(', ' + k for k in kept)})"
        )
        return Patch(
            replaced(failure.code, [(call, new)]),
            f"{call.func.attr} draws one line at one {position}, "
            f"but was given {ast.unparse(value)} (several values); drew one line at each with {many}",
        )
    return None
