"""Axes grids from ``plt.subplots(r, c)`` used with the wrong shape.

Three slips the model makes on multi-panel requests: using the whole grid as one Axes
(``axs.set_title``, which wanted one plot: ``subplots`` then makes one); looping ``for ax
in axs`` over a 2-D grid (each ``ax`` is then a row, an ndarray, and ``ax.plot`` fails),
fixed by iterating ``axs.flat``; and indexing panels the grid does not have (``axs[i, 2]``
on a 2x2 grid), fixed by making the grid as large as the indices the program uses
(constants, ``range(k)`` and ``enumerate(x)`` loop variables, read from the live objects),
or one past the index the error names when that is all we know.
"""

from __future__ import annotations

import ast

from .. import failure_readers
from ..failures import NoAttribute
from .ast_tools import grids, largest, loop_bounds
from .edit import Failure, Patch, replaced


def _maker(tree: ast.Module, name: str) -> ast.Call | None:
    """The ``plt.subplots(...)`` call whose result is unpacked into ``fig, name``, if there is exactly one."""
    makers = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Call)
        and isinstance(n.value.func, ast.Attribute)
        and n.value.func.attr == "subplots"
        and any(
            isinstance(t, ast.Tuple) and any(isinstance(e, ast.Name) and e.id == name for e in t.elts)
            for t in n.targets
        )
    ]
    return makers[0] if len(makers) == 1 else None


def single_axes(failure: Failure) -> Patch | None:
    """``axs.set_title`` on ``fig, axs = plt.subplots(2, 1)`` when the program never indexes ``axs``.

    A program that uses the array as one Axes everywhere wanted one plot: ask
    ``subplots`` for one Axes instead of drawing on part of a grid.
    """
    if not isinstance(failure.error, NoAttribute) or not failure.error.owner.endswith("ndarray"):
        return None
    several = {name for name, value in grids(failure.namespace).items() if value.size > 1}
    used = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Attribute)
        and n.attr == failure.error.attribute
        and isinstance(n.value, ast.Name)
        and n.value.id in several
    ]
    if not used or not isinstance(used[0], ast.Attribute) or not isinstance(used[0].value, ast.Name):
        return None
    name = used[0].value.id
    maker = _maker(failure.tree, name)
    if _indexed(failure.tree, name) or maker is None:
        return None
    edits = [(maker, _one_axes(maker))]
    later = [
        other
        for other in _later_grids(failure.tree, name)
        if (m := _maker(failure.tree, other)) is not None
        and not _indexed(failure.tree, other)
        and m is not maker
    ]  # not made yet: the next failure otherwise
    edits += [(m, _one_axes(m)) for other in later if (m := _maker(failure.tree, other)) is not None]
    also = f" (so does {', '.join(later)}, made later the same way)" if later else ""
    return Patch(
        replaced(failure.code, edits),
        f"{name} was used as one Axes but held {failure.namespace[name].size}; subplots now makes one{also}",
    )


def _indexed(tree: ast.Module, name: str) -> bool:
    """Whether the program ever treats ``name`` as a grid (indexes, loops over, flattens or reshapes it)."""
    return any(
        isinstance(n, ast.Subscript)
        and isinstance(n.value, ast.Name)
        and n.value.id == name
        or isinstance(n, (ast.For, ast.comprehension))
        and name in ast.unparse(n.iter)
        or isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == name
        and n.attr in ("flat", "flatten", "ravel", "reshape", "shape", "size", "T")
        for n in ast.walk(tree)
    )


def _one_axes(maker: ast.Call) -> str:
    return ast.unparse(
        ast.Call(
            func=maker.func, args=[], keywords=[k for k in maker.keywords if k.arg not in ("nrows", "ncols")]
        )
    )


def _later_grids(tree: ast.Module, name: str) -> list[str]:
    """Other names unpacked from a ``subplots(r, c)`` of
    several panels and used with Axes methods directly."""
    from matplotlib.axes import Axes

    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr == "subplots"
        ):
            continue
        sizes = [a.value for a in node.value.args if isinstance(a, ast.Constant) and isinstance(a.value, int)]
        if len(sizes) != len(node.value.args) or not sizes or sizes[0] * (sizes[1:] or [1])[0] < 2:
            continue
        for target in (e for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts[1:]):
            if (
                isinstance(target, ast.Name)
                and target.id != name
                and any(
                    isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name)
                    and n.value.id == target.id
                    and hasattr(Axes, n.attr)
                    for n in ast.walk(tree)
                )
            ):
                found.append(target.id)
    return found


def flat_loop(failure: Failure) -> Patch | None:
    """``for ax in axs`` over a 2-D grid, then an Axes method on ``ax``: iterate ``axs.flat``."""
    if not isinstance(failure.error, NoAttribute) or not failure.error.owner.endswith("ndarray"):
        return None
    two_d = grids(failure.namespace, ndim=2)
    edits = []
    for loop in (n for n in ast.walk(failure.tree) if isinstance(n, ast.For | ast.comprehension)):
        iterable = loop.iter
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "enumerate"
            and iterable.args
        ):
            iterable = iterable.args[0]
        if isinstance(iterable, ast.Name) and iterable.id in two_d:
            edits.append((iterable, f"{iterable.id}.flat"))
    if not edits:
        return None
    names = sorted({ast.unparse(node) for node, _ in edits})
    return Patch(
        replaced(failure.code, edits),
        f"looping over the 2-D grid {', '.join(names)} gave rows, not Axes; "
        f"the loops now iterate {', '.join(n + '.flat' for n in names)}",
    )


def grown_grid(failure: Failure) -> Patch | None:
    """``index 2 is out of bounds for axis 1 with size 2``
    on an Axes grid: make the grid fit the indices used."""
    match = failure_readers.out_of_bounds(failure.message)
    if failure.error_type != "IndexError" or not match:
        return None
    for name, grid in grids(failure.namespace).items():
        maker = _maker(failure.tree, name)
        indexed_here = [
            n
            for n in ast.walk(failure.tree)
            if isinstance(n, ast.Subscript)
            and isinstance(n.value, ast.Name)
            and n.value.id == name
            and n.lineno == failure.line
        ]
        if (
            maker is None
            or grid.ndim != 2
            or match.axis > 1
            or not indexed_here
            or grid.shape[match.axis] != match.size
        ):
            continue  # the failing line does not index this grid (another array of the same size did)
        bounds = loop_bounds(failure.tree, failure.namespace)
        shape = list(grid.shape)
        shape[match.axis] = max(shape[match.axis], match.index + 1)
        for node in ast.walk(failure.tree):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id == name
                and isinstance(node.slice, ast.Tuple)
                and len(node.slice.elts) == 2
            ):
                for axis, index in enumerate(node.slice.elts):
                    if (top := largest(index, bounds)) is not None:
                        shape[axis] = max(shape[axis], top + 1)
        kept = [k for k in maker.keywords if k.arg not in ("nrows", "ncols")]
        grown = ast.Call(maker.func, [ast.Constant(shape[0]), ast.Constant(shape[1])], kept)
        return Patch(
            replaced(failure.code, [(maker, ast.unparse(grown))]),
            f"the program indexes panels outside its {grid.shape[0]}x{grid.shape[1]} grid; "
            f"subplots now makes {shape[0]}x{shape[1]}, enough for every index it uses",
        )
    return None


def row_indexed_by_two(failure: Failure) -> Patch | None:
    """``axs[i, j]`` on the 1-D row that ``plt.subplots(3, 1)``
    returns: keep the grid 2-D (``squeeze=False``).

    ``subplots`` squeezes a one-row or one-column grid to 1-D, but a program that indexes
    it by row and column everywhere was written for the 2-D grid; asking for it keeps
    every index meaning what the program meant. A program that also indexes it by one
    number is left to the model (both uses cannot hold).
    """
    if (
        failure.error_type != "IndexError"
        or "array is 1-dimensional, but 2 were indexed" not in failure.message
    ):
        return None
    for name, grid in grids(failure.namespace).items():
        maker = _maker(failure.tree, name)
        uses = [
            n
            for n in ast.walk(failure.tree)
            if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == name
        ]
        if (
            grid.ndim != 1
            or maker is None
            or not any(n.lineno == failure.line for n in uses)
            or any(k.arg == "squeeze" for k in maker.keywords)
            or not all(isinstance(n.slice, ast.Tuple) and len(n.slice.elts) == 2 for n in uses)
        ):
            continue
        kept = ast.Call(
            maker.func, maker.args, [*maker.keywords, ast.keyword("squeeze", ast.Constant(False))]
        )
        return Patch(
            replaced(failure.code, [(maker, ast.unparse(kept))]),
            f"{name} is indexed by row and column, but subplots squeezes a single row or column to 1-D; "
            "asked it for the 2-D grid (squeeze=False)",
        )
    return None
