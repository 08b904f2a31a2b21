"""Rules about the data's shape and type: the model's picture of the table, not of the API.

The 0.5B reshapes a table into "2x2 matrices" it then indexes one at a time, shows a
column as an image, and passes a column of interval labels as histogram bins. Each
error names the sizes involved, so the fix follows from them and the live frame.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from .check import UNKNOWN_COLUMN
from .patch_edit import Failure, Patch, replaced
from .repair import PLOTLY_NO_COLUMN, SEABORN_NO_ENTRY, missing_keys

_RESHAPE = re.compile(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)")


def stacked_reshape(failure: Failure) -> Patch | None:
    """``cannot reshape array of size 16 into shape (2,2)``: the data holds 4 such matrices; ask for (-1, 2, 2).

    The model reshapes a table into "2x2 matrices" and then indexes them one by one;
    stacking them along a new first axis is what that indexing expects.
    """
    match = _RESHAPE.search(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    size, shape = int(match.group(1)), [int(d) for d in match.group(2).replace(" ", "").split(",") if d]
    cell = 1
    for d in shape:
        cell *= d
    if not shape or cell == 0 or size % cell or size == cell:
        return None
    indexed = {n.value.id for n in ast.walk(failure.tree) if isinstance(n, ast.Subscript)
               and isinstance(n.value, ast.Name)}
    calls = [n.value for n in ast.walk(failure.tree) if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id in indexed  # used one matrix at a time
             and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
             and n.value.func.attr == "reshape" and n.value.args and not n.value.keywords]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        given = call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], ast.Tuple) else call.args
        if [ast.literal_eval(a) if isinstance(a, ast.Constant) else None for a in given] == shape:
            edits.append((call, f"{ast.unparse(call.func)}({', '.join(map(str, [-1, *shape]))})"))
    return Patch(replaced(failure.code, edits), f"{size} values hold {size // cell} arrays of shape "
                 f"{tuple(shape)}; reshaped to (-1, {', '.join(map(str, shape))}) to stack them") if edits else None


_IMAGE_SHAPE = re.compile(r"Invalid shape \((\d+),\) for image data")


def image_of_a_vector(failure: Failure) -> Patch | None:
    """``imshow`` of 1-D data (``Invalid shape (169,)``): a square count is a k x k image, else one row.

    The request usually says "reshape into a 13x13 grid" or "show the values as a
    matrix"; a perfect square length is that grid. Any other length is shown as a
    one-row image rather than not at all (the note says which).
    """
    import math

    match = _IMAGE_SHAPE.search(failure.message)
    if failure.error_type != "TypeError" or not match:
        return None
    size = int(match.group(1))
    side = math.isqrt(size)
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in ("imshow", "matshow") and n.args]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        data = ast.unparse(call.args[0])
        image = f"np.reshape(np.asarray({data}), ({side}, {side}))" if side * side == size and side > 1 \
            else f"np.atleast_2d(np.asarray({data}))"
        edits.append((call.args[0], image))
    shape = f"a {side}x{side} image" if side * side == size and side > 1 else f"one row of {size} cells"
    return Patch(replaced(failure.code, edits), f"an image needs 2-D data but got {size} values in a row; "
                 f"shown as {shape}") if edits else None


_CHANNELS_FIRST = re.compile(r"Invalid shape \(([34]), (\d+), (\d+)\) for image data")


def channels_first_image(failure: Failure) -> Patch | None:
    """``imshow`` of colour planes stacked first (``Invalid shape (3, 13, 13)``): the channels go last.

    Reshaping the R, G and B columns into a grid gives ``(3, h, w)``; matplotlib reads
    colour images as ``(h, w, 3)`` (or 4 with alpha). Moving the first axis to the end
    shows the same pixels in colour, which is what three colour planes mean.
    """
    match = _CHANNELS_FIRST.search(failure.message)
    if failure.error_type != "TypeError" or not match:
        return None
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr == "imshow" and n.args]
    edits = [(call.args[0], f"np.moveaxis(np.asarray({ast.unparse(call.args[0])}), 0, -1)")
             for call in (failure.on_line(calls) if calls else []) if isinstance(call, ast.Call)]
    channels, height, width = match.groups()
    return Patch(replaced(failure.code, edits), f"an image of {channels} colour planes of {height}x{width} needs "
                 f"them last, as ({height}, {width}, {channels}); moved the channel axis to the end") if edits else None


def text_bins(failure: Failure) -> Patch | None:
    """``bins=df['x_bins']``, a column of interval labels: a histogram takes a count or numeric edges.

    The labels name the bins the data was cut into, so their number is the count asked for.
    Only a failed program gets here, so a call whose labels did not fail is fixed alongside.
    """
    import pandas as pd

    edits, said = [], []
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and any(k.arg == "bins" for k in n.keywords)]
    for call in calls:  # every such call: the next histogram would fail the same way
        for keyword in call.keywords:
            value = keyword.value
            column = _values(value, failure) if keyword.arg == "bins" and isinstance(value, ast.Subscript) else None
            if not isinstance(column, pd.Series) or pd.api.types.is_numeric_dtype(column):
                continue
            edits.append((value, str(column.nunique())))
            said.append(f"{ast.unparse(value)} holds {column.nunique()} text labels")
    return Patch(replaced(failure.code, edits), f"bins= needs a count or numeric edges; {'; '.join(said)}, so "
                 "that many bins are drawn") if edits else None


def _values(node: ast.AST, failure: Failure) -> Any:
    """The live value of ``name`` or ``frame['column']``; None for anything else (nothing is evaluated)."""
    import pandas as pd

    if isinstance(node, ast.Name):
        return failure.namespace.get(node.id, failure.frames.get(node.id))
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        frame = failure.namespace.get(node.value.id, failure.frames.get(node.value.id))
        if isinstance(frame, pd.DataFrame) and node.slice.value in frame.columns:
            return frame[node.slice.value]
    return None


#: Grid-only drawing calls and the variant that triangulates scattered points instead.
_TRIANGULATED = {"contour": "tricontour", "contourf": "tricontourf", "plot_surface": "plot_trisurf",
                 "plot_wireframe": "plot_trisurf"}
_NOT_A_GRID = ("Input z must be 2D, not 1D", "Argument Z must be 2-dimensional")


def scattered_contour(failure: Failure) -> Patch | None:
    """``contourf(x, y, z)`` or ``plot_surface(x, y, z)`` on three columns (z must be 2-D): scattered points,
    so ``tricontourf`` / ``plot_trisurf``.

    A contour or surface needs z on a grid; matplotlib's triangulating variants draw the
    same from the points, which is what a table of x, y, z rows holds.
    """
    import numpy as np

    if failure.error_type not in ("TypeError", "ValueError") or not any(m in failure.message for m in _NOT_A_GRID):
        return None
    edits, used = [], set()
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in _TRIANGULATED and len(call.args) >= 3):
            continue
        values = [_values(a, failure) for a in call.args[:3]]
        shapes = {np.shape(v) for v in values}
        if all(v is not None for v in values) and len(shapes) == 1 and len(next(iter(shapes))) == 1:
            edits.append((func, f"{ast.unparse(func.value)}.{_TRIANGULATED[func.attr]}"))
            used.add(f"{func.attr} -> {_TRIANGULATED[func.attr]}")
    return Patch(replaced(failure.code, edits), "z must be on a grid, but x, y, z are equal-length columns of "
                 f"scattered points; used the triangulating variant ({', '.join(sorted(used))})") if edits else None


_FIRST_DIMENSION = re.compile(r"x and y must have same first dimension, but have shapes \(1,\) and \((\d+),\)")


def scalar_x(failure: Failure) -> Patch | None:
    """``plot(rate, values)`` with ``rate`` one number (``shapes (1,) and (1000,)``): the values alone.

    A single number cannot be an x axis for many values; plotting the values against
    their position keeps the line the request asked for (the note says x was dropped).
    """
    import numpy as np

    match = _FIRST_DIMENSION.search(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    edits = []
    for call in failure.on_line([n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)]):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "plot"
                and len(call.args) >= 2):
            continue
        x, y = (_values(a, failure) for a in call.args[:2])
        if np.ndim(x) == 0 and x is not None and np.ndim(y) == 1 and len(y) == int(match.group(1)):
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args[1:], keywords=call.keywords))))
    return Patch(replaced(failure.code, edits), f"x was one number against {match.group(1)} values; "
                 "plotted the values against their position") if edits else None


_SCALAR_Y = re.compile(r"x and y must have same first dimension, but have shapes \((\d+),\) and \(1,\)")


def scalar_y(failure: Failure) -> Patch | None:
    """``plot(df['x'], level)`` with ``level`` one number (``shapes (40,) and (1,)``): a level across x.

    One height for many x positions is a horizontal line at that height (the model writes
    this in a loop to draw one line per row); the number is repeated for each x.
    """
    import numpy as np

    match = _SCALAR_Y.search(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    plots = [c for c in failure.on_line([n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)])
             if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "plot"
             and len(c.args) >= 2]
    if len(plots) != 1:  # the message's shapes name one call
        return None
    call = plots[0]
    x, y = (_values(a, failure) for a in call.args[:2])  # y is often df['c'][i]: the message says it is one number
    if (y is not None and np.ndim(y) != 0) or (x is not None and np.shape(x) != (int(match.group(1)),)):
        return None
    level = f"[{ast.unparse(call.args[1])}] * len({ast.unparse(call.args[0])})"
    args = [call.args[0], ast.parse(level, mode="eval").body, *call.args[2:]]
    edits = [(call, ast.unparse(ast.Call(func=call.func, args=args, keywords=call.keywords)))]
    return Patch(replaced(failure.code, edits), f"y was one number against {match.group(1)} x values; "
                 "drew it as a level line across them")


_NAME_FOR_ARRAY = re.compile(r"Invalid value of type 'builtins\.str' received for the '(\w+)' property of (\w+)\s+"
                             r"Received value: '([^']*)'")


def _array_properties(trace_type: str) -> set[str]:
    """The properties of a plotly trace type that hold data arrays (``x``, ``y``, ``values``), else none."""
    try:
        import plotly.graph_objects as go
        from _plotly_utils.basevalidators import DataArrayValidator

        trace = go.Figure(data=[{"type": trace_type}]).data[0]
        return {p for p in trace._valid_props if isinstance(trace._get_validator(p), DataArrayValidator)}
    except Exception:  # noqa: BLE001 - an unknown trace type has no rule
        return set()


def column_names_as_data(failure: Failure) -> Patch | None:
    """``go.Histogram(x='price')``: a column named where plotly wants the column's values.

    Plotly Express reads column names from ``data_frame``; a graph-objects trace needs
    the values themselves. When the named column belongs to exactly one of the user's
    frames, each such string of the failing call's array properties becomes that
    frame's column (``df['price']``); the note names them.
    """
    match = _NAME_FOR_ARRAY.search(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    arrays = _array_properties(match.group(2))
    owners = {}
    for call in failure.on_line([n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)]):
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg not in arrays or not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            frames = [name for name, frame in failure.frames.items() if value.value in getattr(frame, "columns", ())]
            if len(frames) == 1:
                owners[value] = f"{frames[0]}[{value.value!r}]"
    if not any(ast.literal_eval(node) == match.group(3) for node in owners):
        return None
    return Patch(replaced(failure.code, list(owners.items())),
                 f"plotly's {match.group(2)} traces take values, not column names; used "
                 + ", ".join(sorted(set(owners.values()))))


_GRID_CALLS = {"contour": "contour", "contourf": "contourf", "tricontour": "contour", "tricontourf": "contourf",
               "pcolormesh": "pcolormesh", "imshow": "imshow", "matshow": "matshow"}
_GRID_ERRORS = (*_NOT_A_GRID, "must not contain non-finite values within the triangulation", "for image data",
                "not enough values to unpack (expected 2, got 1)")  # pcolormesh reading C.shape


def _column_of(node: ast.AST, failure: Failure) -> tuple[str, Any] | None:
    """(frame name, column label) of ``frame['column']`` on one of the user's frames, or of a name the program
    bound to one once (``Z = df['Z']``)."""
    if isinstance(node, ast.Name):
        bound = [a.value for a in ast.walk(failure.tree) if isinstance(a, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
        return _column_of(bound[0], failure) if len(bound) == 1 and isinstance(bound[0], ast.Subscript) else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        frame = failure.frames.get(node.value.id)
        if frame is not None and node.slice.value in getattr(frame, "columns", ()):
            return node.value.id, node.slice.value
    return None


def _grid_axes(frame: Any, values: Any, given: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    """(x, y) columns whose pairs name each row once and fill a grid: ``given`` if they do, else the one such pair."""
    import itertools

    import pandas as pd

    def fills(x: Any, y: Any) -> bool:
        keys = frame[[x, y]]
        return frame[x].nunique() * frame[y].nunique() == len(frame) and not keys.duplicated().any()

    if given is not None:
        return given if fills(*given) else None
    others = [c for c in frame.columns if c != values and pd.api.types.is_numeric_dtype(frame[c])]
    pairs = [p for p in itertools.combinations(others, 2) if fills(*p)]
    if len(pairs) != 1:
        return None
    x, y = pairs[0]
    return (y, x) if str(y).lower() == "x" or str(x).lower() == "y" else (x, y)


def gridded_column(failure: Failure) -> Patch | None:
    """``contourf(df['Z'])`` (or of ``df['X'], df['Y'], df['Z']``) when X and Y fill a grid: pivot Z onto it.

    A contour, mesh or image needs Z as a 2-D grid; a table of x, y, z rows that covers
    every (x, y) pair once is that grid in long form, and pivoting it keeps the real
    coordinates and any missing values (which triangulating the points cannot draw).
    """
    if failure.error_type not in ("TypeError", "ValueError") or not any(m in failure.message for m in _GRID_ERRORS):
        return None
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in _GRID_CALLS and len(n.args) in (1, 3)]
    edits, pivots = [], set()
    for call in calls:  # every one: the next would fail the same way
        assert isinstance(call.func, ast.Attribute)
        columns = [_column_of(a, failure) for a in call.args]
        if None in columns or len({c[0] for c in columns if c}) != 1:
            continue
        name, values = columns[-1]
        frame = failure.frames[name]
        axes = _grid_axes(frame, values, (columns[0][1], columns[1][1]) if len(columns) == 3 else None)
        if axes is None:
            continue
        pivot = f"{name}.pivot(index={axes[1]!r}, columns={axes[0]!r}, values={values!r})"
        method = _GRID_CALLS[call.func.attr]
        args = [pivot] if method in ("imshow", "matshow") else [f"{pivot}.columns", f"{pivot}.index",
                                                                  f"{pivot}.to_numpy()"]
        func = f"{ast.unparse(call.func.value)}.{method}"
        keywords = [ast.unparse(k) for k in call.keywords]
        edits.append((call, f"{func}({', '.join(args + keywords)})"))
        pivots.add(f"{values!r} over {axes[0]!r} x {axes[1]!r}")
    return Patch(replaced(failure.code, edits), "the values were one column of a table whose other columns fill a "
                 f"grid; pivoted them onto it ({', '.join(sorted(pivots))})") if edits else None


_NEGATIVE_SIZES = re.compile(r"Invalid element\(s\) received for the 'size' property of [\w.]+\s+"
                             r"Invalid elements include: \[-")


def negative_sizes(failure: Failure) -> Patch | None:
    """Marker sizes from a column with negative values (``size='U'``): plotly takes sizes >= 0; their magnitudes are drawn.

    The model sizes markers by a signed quantity (a vector component, a change); the
    magnitude is the nearest reading that can be drawn, and the note says so.
    """
    if failure.error_type != "ValueError" or not _NEGATIVE_SIZES.search(failure.message):
        return None
    edits, names = [], []
    for call in failure.on_line([n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)]):
        assert isinstance(call, ast.Call)
        frame = call.args[0] if call.args and isinstance(call.args[0], ast.Name) else next(
            (k.value for k in call.keywords if k.arg == "data_frame" and isinstance(k.value, ast.Name)), None)
        for keyword in (k for k in call.keywords if k.arg in ("size", "marker_size")):
            given = keyword.value
            if isinstance(given, ast.Constant) and isinstance(given.value, str) and frame is not None:
                edits.append((given, f"{frame.id}[{given.value!r}].abs()"))
            elif not isinstance(given, ast.Constant):
                edits.append((given, f"abs(pd.Series(list({ast.unparse(given)})))"))
            else:
                continue
            names.append(ast.unparse(given))
    return Patch(replaced(failure.code, edits), f"marker sizes cannot be negative; sized by the magnitude of "
                 f"{', '.join(names)}") if edits else None


def image_of_a_labelled_table(failure: Failure) -> Patch | None:
    """``imshow(df)`` of a table with a text column (``Image data of dtype object``): the text labels the rows.

    A table of one label column and numeric columns is a matrix with row names; the
    label column becomes the index (several text columns: only the numeric ones are shown).
    """
    import pandas as pd

    if failure.error_type != "TypeError" or "Image data of dtype object" not in failure.message:
        return None
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in ("imshow", "matshow", "pcolormesh", "pcolor") and n.args
             and isinstance(n.args[0], ast.Name) and n.args[0].id in failure.frames]
    edits, notes = [], []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call) and isinstance(call.args[0], ast.Name)
        frame = failure.frames[call.args[0].id]
        if not isinstance(frame, pd.DataFrame):
            continue
        texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        name = call.args[0].id
        numeric = f"{name}.set_index({texts[0]!r})" if len(texts) == 1 else f"{name}.select_dtypes('number')"
        edits.append((call.args[0], numeric))
        notes.append(f"{name} has text column(s) {', '.join(map(repr, texts))}; the image shows {numeric}")
    return Patch(replaced(failure.code, edits), "; ".join(dict.fromkeys(notes))) if edits else None


#: Calls that place one item (one label, one arrow) and take no columns of values.
_ONE_ITEM = frozenset({"text", "annotate", "arrow"})


def _column_read(node: ast.AST, frame: str, columns: set[str]) -> str | None:
    """The column ``node`` reads whole from ``frame`` (``df['x']``, ``df.x``), or None."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == frame:
        return node.slice.value if isinstance(node.slice, ast.Constant) and node.slice.value in columns else None
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
        name = getattr(getattr(call, "func", None), "attr", None) or getattr(getattr(call, "func", None), "id", None)
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
            row += [f"{k.arg}=_row[{c!r}]" if c and k.arg else ast.unparse(k) if k.arg is None
                    else f"{k.arg}={ast.unparse(k.value)}" for k, c in zip(call.keywords, keywords, strict=True)]
            new_call = f"{ast.unparse(call.func)}({', '.join(row)})"
            indent = " " * statement.col_offset
            loop = f"for _, _row in {frame_name}.iterrows():\n{indent}    {new_call}"
            return Patch(replaced(failure.code, [(statement, loop)]),
                         f"{name}() places one item and was given whole columns of {frame_name}; "
                         f"it is called once per row")
    return None


#: Keywords that colour, shape, size or label what x and y already draw (plotly express,
#: seaborn). Without them the plot still shows the data asked for; facets and animation
#: frames change what is drawn, so they are left to the model.
_STYLE_KEYWORDS = frozenset({"color", "symbol", "size", "text", "hover_name", "hover_data", "custom_data",
                             "line_dash", "pattern_shape", "hue", "style"})


def _absent_columns(failure: Failure) -> set[str]:
    """Column names the error says no frame has."""
    named = [m.group(1).strip() for m in (PLOTLY_NO_COLUMN.search(failure.message),
                                          SEABORN_NO_ENTRY.search(failure.message),
                                          UNKNOWN_COLUMN.search(failure.message)) if m]
    if failure.error_type == "KeyError":
        named += missing_keys(failure.message)
    real = {str(c) for frame in failure.frames.values() for c in getattr(frame, "columns", [])}
    return {n for n in named if n and n not in real}


def absent_style_column(failure: Failure) -> Patch | None:
    """``symbol='suit'`` where the data has no such column (and none close: closest_column comes first).

    The model invents a column to colour or shape points by; the error names the column,
    and the plot of x against y does not need it. The styling keyword goes (every call
    that uses it, the next would fail the same way); x, y and the rest stay as written.
    """
    absent = _absent_columns(failure)
    if not absent:
        return None
    edits, dropped = [], []
    for call in ast.walk(failure.tree):
        if not isinstance(call, ast.Call):
            continue
        bad = [k for k in call.keywords if k.arg in _STYLE_KEYWORDS and any(
            isinstance(n, ast.Constant) and n.value in absent for n in ast.walk(k.value))]
        if bad:
            kept = [k for k in call.keywords if k not in bad]
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args, keywords=kept))))
            dropped += [f"{k.arg}={ast.unparse(k.value)}" for k in bad]
    if not edits:
        return None
    return Patch(replaced(failure.code, edits), f"the data has no column {', '.join(map(repr, sorted(absent)))}: "
                 f"removed {', '.join(dict.fromkeys(dropped))}")


_NO_DATA = re.compile(r"Could not interpret value `[^`]+` for `?\w+`?\. Value is a string, but `data` was not passed")


def _frame_with(columns: set[str], frames: Any) -> str | None:
    """The one frame that has every column in ``columns``; None when none or several do."""
    having = [name for name, frame in frames.items()
              if columns and columns <= {str(c) for c in getattr(frame, "columns", [])}]
    return having[0] if len(having) == 1 else None


def seaborn_without_data(failure: Failure) -> Patch | None:
    """``sns.barplot(x='region', y='revenue')``: column names given, the frame they belong to not.

    Seaborn reads a string as a column of ``data`` and says ``data`` was not passed; the
    one frame that has every named column is passed as ``data=``.
    """
    if failure.error_type != "ValueError" or not _NO_DATA.search(failure.message):
        return None
    edits, used = [], set()
    for call in failure.on_line([n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)]):
        if not isinstance(call, ast.Call) or call.args or any(k.arg == "data" for k in call.keywords):
            continue
        named = {k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)
                 and isinstance(k.value.value, str) and k.arg in ("x", "y", "hue", "size", "style", "weights")}
        frame = _frame_with(named, failure.frames)
        if frame is not None:
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=[], keywords=[
                ast.keyword(arg="data", value=ast.Name(frame)), *call.keywords]))))
            used.add(frame)
    return Patch(replaced(failure.code, edits), f"the call names columns but not their frame; passed "
                 f"data={', '.join(sorted(used))}") if edits else None
