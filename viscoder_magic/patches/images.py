"""Image and grid data of the wrong shape: the model's picture of the table, not of the API.

The 0.5B reshapes a table into "2x2 matrices" it then indexes one at a time, shows a
column as an image (or colour planes stacked first), contours three columns of
scattered points, and passes a column of interval labels as histogram bins. Each error
names the sizes involved, so the fix follows from them and the live frame.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import failure_readers
from .ast_tools import calls_in, column_values
from .edit import Failure, Patch, replaced


def stacked_reshape(failure: Failure) -> Patch | None:
    """``cannot reshape array of size 16 into shape (2,2)``:
    the data holds 4 such matrices; ask for (-1, 2, 2).

    The model reshapes a table into "2x2 matrices" and then indexes them one by one;
    stacking them along a new first axis is what that indexing expects.
    """
    match = failure_readers.refused_reshape(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    size, shape = match.size, list(match.shape)
    cell = 1
    for d in shape:
        cell *= d
    if not shape or cell == 0 or size % cell or size == cell:
        return None
    indexed = {
        n.value.id
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
    }
    calls = [
        n.value
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Assign)
        and len(n.targets) == 1
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id in indexed  # used one matrix at a time
        and isinstance(n.value, ast.Call)
        and isinstance(n.value.func, ast.Attribute)
        and n.value.func.attr == "reshape"
        and n.value.args
        and not n.value.keywords
    ]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        given = (
            call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], ast.Tuple) else call.args
        )
        if [ast.literal_eval(a) if isinstance(a, ast.Constant) else None for a in given] == shape:
            edits.append((call, f"{ast.unparse(call.func)}({', '.join(map(str, [-1, *shape]))})"))
    return (
        Patch(
            replaced(failure.code, edits),
            f"{size} values hold {size // cell} arrays of shape "
            f"{tuple(shape)}; reshaped to (-1, {', '.join(map(str, shape))}) to stack them",
        )
        if edits
        else None
    )


def image_of_a_vector(failure: Failure) -> Patch | None:
    """``imshow`` of 1-D data (``Invalid shape (169,)``): a square count is a k x k image, else one row.

    The request usually says "reshape into a 13x13 grid" or "show the values as a
    matrix"; a perfect square length is that grid. Any other length is shown as a
    one-row image rather than not at all (the note says which).
    """
    import math

    size = failure_readers.flat_image_size(failure.message)
    if failure.error_type != "TypeError" or size is None:
        return None
    side = math.isqrt(size)
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("imshow", "matshow")
        and n.args
    ]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        data = ast.unparse(call.args[0])
        image = (
            f"np.reshape(np.asarray({data}), ({side}, {side}))"
            if side * side == size and side > 1
            else f"np.atleast_2d(np.asarray({data}))"
        )
        edits.append((call.args[0], image))
    shape = f"a {side}x{side} image" if side * side == size and side > 1 else f"one row of {size} cells"
    return (
        Patch(
            replaced(failure.code, edits),
            f"an image needs 2-D data but got {size} values in a row; shown as {shape}",
        )
        if edits
        else None
    )


def channels_first_image(failure: Failure) -> Patch | None:
    """``imshow`` of colour planes stacked first (``Invalid shape (3, 13, 13)``): the channels go last.

    Reshaping the R, G and B columns into a grid gives ``(3, h, w)``; matplotlib reads
    colour images as ``(h, w, 3)`` (or 4 with alpha). Moving the first axis to the end
    shows the same pixels in colour, which is what three colour planes mean.
    """
    match = failure_readers.channels_first(failure.message)
    if failure.error_type != "TypeError" or not match:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "imshow"
        and n.args
    ]
    edits = [
        (call.args[0], f"np.moveaxis(np.asarray({ast.unparse(call.args[0])}), 0, -1)")
        for call in (failure.on_line(calls) if calls else [])
        if isinstance(call, ast.Call)
    ]
    channels, height, width = match.channels, match.height, match.width
    return (
        Patch(
            replaced(failure.code, edits),
            f"an image of {channels} colour planes of {height}x{width} needs "
            f"them last, as ({height}, {width}, {channels}); moved the channel axis to the end",
        )
        if edits
        else None
    )


def text_bins(failure: Failure) -> Patch | None:
    """``bins=df['x_bins']``, a column of interval labels: a histogram takes a count or numeric edges.

    The labels name the bins the data was cut into, so their number is the count asked for.
    Only a failed program gets here, so a call whose labels did not fail is fixed alongside.
    """
    import pandas as pd

    edits, said = [], []
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and any(k.arg == "bins" for k in n.keywords)
    ]
    for call in calls:  # every such call: the next histogram would fail the same way
        for keyword in call.keywords:
            value = keyword.value
            column = (
                column_values(value, failure)
                if keyword.arg == "bins" and isinstance(value, ast.Subscript)
                else None
            )
            if not isinstance(column, pd.Series) or pd.api.types.is_numeric_dtype(column):
                continue
            edits.append((value, str(column.nunique())))
            said.append(f"{ast.unparse(value)} holds {column.nunique()} text labels")
    return (
        Patch(
            replaced(failure.code, edits),
            f"bins= needs a count or numeric edges; {'; '.join(said)}, so that many bins are drawn",
        )
        if edits
        else None
    )


#: Grid-only drawing calls and the variant that triangulates scattered points instead.
_TRIANGULATED = {
    "contour": "tricontour",
    "contourf": "tricontourf",
    "plot_surface": "plot_trisurf",
    "plot_wireframe": "plot_trisurf",
}
_NOT_A_GRID = ("Input z must be 2D, not 1D", "Argument Z must be 2-dimensional")


def scattered_contour(failure: Failure) -> Patch | None:
    """``contourf(x, y, z)`` or ``plot_surface(x, y, z)`` on three columns (z must be 2-D): scattered points,
    so ``tricontourf`` / ``plot_trisurf``.

    A contour or surface needs z on a grid; matplotlib's triangulating variants draw the
    same from the points, which is what a table of x, y, z rows holds.
    """
    import numpy as np

    if failure.error_type not in ("TypeError", "ValueError") or not any(
        m in failure.message for m in _NOT_A_GRID
    ):
        return None
    edits, used = [], set()
    for call in calls_in(failure.tree):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in _TRIANGULATED and len(call.args) >= 3):
            continue
        values = [column_values(a, failure) for a in call.args[:3]]
        shapes = {np.shape(v) for v in values}
        if all(v is not None for v in values) and len(shapes) == 1 and len(next(iter(shapes))) == 1:
            edits.append((func, f"{ast.unparse(func.value)}.{_TRIANGULATED[func.attr]}"))
            used.add(f"{func.attr} -> {_TRIANGULATED[func.attr]}")
    return (
        Patch(
            replaced(failure.code, edits),
            "z must be on a grid, but x, y, z are equal-length columns of "
            f"scattered points; used the triangulating variant ({', '.join(sorted(used))})",
        )
        if edits
        else None
    )


_GRID_CALLS = {
    "contour": "contour",
    "contourf": "contourf",
    "tricontour": "contour",
    "tricontourf": "contourf",
    "pcolormesh": "pcolormesh",
    "imshow": "imshow",
    "matshow": "matshow",
}
_GRID_ERRORS = (
    *_NOT_A_GRID,
    "must not contain non-finite values within the triangulation",
    "for image data",
    "not enough values to unpack (expected 2, got 1)",
)  # pcolormesh reading C.shape


def _column_of(node: ast.AST, failure: Failure) -> tuple[str, Any] | None:
    """(frame name, column label) of ``frame['column']`` on one of the user's frames, or of a name the program
    bound to one once (``Z = df['Z']``)."""
    if isinstance(node, ast.Name):
        bound = [
            a.value
            for a in ast.walk(failure.tree)
            if isinstance(a, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
        ]
        return (
            _column_of(bound[0], failure) if len(bound) == 1 and isinstance(bound[0], ast.Subscript) else None
        )
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
    ):
        frame = failure.frames.get(node.value.id)
        if frame is not None and node.slice.value in getattr(frame, "columns", ()):
            return node.value.id, node.slice.value
    return None


def _grid_axes(frame: Any, values: Any, given: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    """(x, y) columns whose pairs name each row once and fill
    a grid: ``given`` if they do, else the one such pair."""
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
    if failure.error_type not in ("TypeError", "ValueError") or not any(
        m in failure.message for m in _GRID_ERRORS
    ):
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in _GRID_CALLS
        and len(n.args) in (1, 3)
    ]
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
        args = (
            [pivot]
            if method in ("imshow", "matshow")
            else [f"{pivot}.columns", f"{pivot}.index", f"{pivot}.to_numpy()"]
        )
        func = f"{ast.unparse(call.func.value)}.{method}"
        keywords = [ast.unparse(k) for k in call.keywords]
        edits.append((call, f"{func}({', '.join(args + keywords)})"))
        pivots.add(f"{values!r} over {axes[0]!r} x {axes[1]!r}")
    return (
        Patch(
            replaced(failure.code, edits),
            "the values were one column of a table whose other columns fill a "
            f"grid; pivoted them onto it ({', '.join(sorted(pivots))})",
        )
        if edits
        else None
    )


def image_of_a_labelled_table(failure: Failure) -> Patch | None:
    """``imshow(df)`` of a table with a text column
    (``Image data of dtype object``): the text labels the rows.

    A table of one label column and numeric columns is a matrix with row names; the
    label column becomes the index (several text columns: only the numeric ones are shown).
    """
    import pandas as pd

    if failure.error_type != "TypeError" or "Image data of dtype object" not in failure.message:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("imshow", "matshow", "pcolormesh", "pcolor")
        and n.args
        and isinstance(n.args[0], ast.Name)
        and n.args[0].id in failure.frames
    ]
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
