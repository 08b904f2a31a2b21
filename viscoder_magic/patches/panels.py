"""Plotly figure structure written the matplotlib way: panels, grid cells, a figure's traces.

After ``make_subplots(rows=1, cols=2)`` the model keeps matplotlib's habit,
``fig.add_subplot(1, 2, 1)`` then ``fig.add_trace(...)``, and plotly fails on the first
line. The intent is unambiguous: each ``add_subplot(nrows, ncols, index)`` picks the
panel the following traces go to, which plotly spells as ``row=`` / ``col=`` on each
``add_*`` call, on a figure made by ``make_subplots`` with that grid. When the figure
was made with another grid (or as a plain ``go.Figure()``) and every ``add_subplot``
names the same grid, the figure is made with that grid instead.
"""

from __future__ import annotations

import ast

from .. import failure_readers
from .ast_tools import calls_in, counting_loops, largest, loop_bounds, module_name
from .edit import Failure, Patch, replaced

_NO_ADD_SUBPLOT = "object has no attribute 'add_subplot'"


def _subplot_spec(call: ast.Call) -> tuple[int, int, int] | None:
    """(nrows, ncols, index) of ``add_subplot(1, 2, 1)``
    or ``add_subplot(121)``, if given as plain numbers."""
    if not all(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in call.args):
        return None
    values = [a.value for a in call.args if isinstance(a, ast.Constant)]
    if len(values) == 1 and 111 <= values[0] <= 999:
        values = [values[0] // 100, values[0] // 10 % 10, values[0] % 10]
    if len(values) != 3 or min(values) < 1 or values[2] > values[0] * values[1]:
        return None
    return values[0], values[1], values[2]


def _method_call(statement: ast.stmt, name: str) -> ast.Call | None:
    """The ``name.method(...)`` call a statement consists of (``fig.add_trace(...)``), if it is one."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    ok = (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == name
    )
    return call if ok else None


def _made_with(tree: ast.Module, name: str, rows: int, cols: int) -> tuple[ast.AST, str, bool] | None:
    """The edit that makes ``name`` a ``rows`` x ``cols`` subplot figure, and whether it needs the import."""
    for statement in tree.body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
            and isinstance(statement.value, ast.Call)
        ):
            continue
        call, callee = statement.value, ast.unparse(statement.value.func)
        if callee.endswith("make_subplots"):
            kept = [k for k in call.keywords if k.arg not in ("rows", "cols")]
            grid = [ast.keyword("rows", ast.Constant(rows)), ast.keyword("cols", ast.Constant(cols))]
            return call, ast.unparse(ast.Call(call.func, [], grid + kept)), False
        if callee.endswith("Figure") and not call.args and not call.keywords:
            return call, f"make_subplots(rows={rows}, cols={cols})", True
    return None


def plotly_panels(failure: Failure) -> Patch | None:
    """Turn ``fig.add_subplot(r, c, i)`` lines into
    ``row=``/``col=`` on the ``fig.add_*`` calls after each."""
    if failure.error_type != "AttributeError" or _NO_ADD_SUBPLOT not in failure.message:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "add_subplot"
        and isinstance(n.func.value, ast.Name)
    ]
    names = {
        c.func.value.id
        for c in calls
        if isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name)
    }
    specs = [_subplot_spec(c) for c in calls]
    shapes = {spec[:2] for spec in specs if spec}
    if len(names) != 1 or None in specs or len(shapes) != 1:
        return None
    name, (rows, cols) = names.pop(), shapes.pop()
    made = _made_with(failure.tree, name, rows, cols)
    if made is None:
        return None
    edits: list[tuple[ast.AST, str]] = [made[:2]]
    removed: list[ast.stmt] = []
    panel, moved = None, 0
    for statement in failure.tree.body:
        call = _method_call(statement, name)
        attribute = call.func.attr if call is not None and isinstance(call.func, ast.Attribute) else ""
        if call is not None and attribute == "add_subplot":
            spec = _subplot_spec(call)
            assert spec is not None
            panel, moved = ((spec[2] - 1) // cols + 1, (spec[2] - 1) % cols + 1), moved + 1
            removed.append(statement)  # its axis keywords go too
        elif (
            call is not None
            and panel
            and attribute.startswith("add_")
            and not {"row", "col"} & {k.arg for k in call.keywords}
        ):
            placed = [
                *call.keywords,
                ast.keyword("row", ast.Constant(panel[0])),
                ast.keyword("col", ast.Constant(panel[1])),
            ]
            edits.append((call, ast.unparse(ast.Call(call.func, call.args, placed))))
    if moved != len(calls):
        return None  # an add_subplot inside a loop or an assignment: the model decides
    code = replaced(failure.code, edits, removed)
    dropped = sorted({k.arg or "**" for c in calls for k in c.keywords})
    return Patch(
        ("from plotly.subplots import make_subplots\n" if made[2] else "") + code,
        f"plotly figures have no add_subplot; {name} is made as a {rows}x{cols} subplot grid and each "
        f"{name}.add_subplot(r, c, i) is removed, its panel given as row=/col= to the traces added "
        "after it" + (f" (its matplotlib keywords {', '.join(dropped)} were dropped)" if dropped else ""),
    )


def _zero_based(value: ast.AST, loop_variables: set[str]) -> bool:
    """A ``row=``/``col=`` value counted from 0: the constant
    0, or an expression of a ``range``/``enumerate`` index."""
    if isinstance(value, ast.Constant):
        return value.value == 0
    return any(isinstance(n, ast.Name) and n.id in loop_variables for n in ast.walk(value))


def one_based_cells(failure: Failure) -> Patch | None:
    """``row=0``: plotly counts subplot cells from 1 ("the
    starting cell is (1, 1)"); shift the 0-based ones."""
    if not failure_readers.cell_out_of_range(failure.message):
        return None
    loop_variables = set(counting_loops(failure.tree))
    cells = [
        k.value
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        for k in n.keywords
        if k.arg in ("row", "col")
    ]
    constants_from_zero = any(isinstance(v, ast.Constant) and v.value == 0 for v in cells)
    edits = [
        (
            v,
            str(v.value + 1)
            if isinstance(v, ast.Constant) and isinstance(v.value, int)
            else f"({ast.unparse(v)}) + 1"
            if not isinstance(v, ast.Name)
            else f"{v.id} + 1",
        )
        for v in cells
        if _zero_based(v, loop_variables) or constants_from_zero and isinstance(v, ast.Constant)
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            "plotly counts subplot rows and columns from 1; "
            f"{len(edits)} row=/col= values counted from 0 were shifted by one",
        )
        if edits
        else None
    )


_CELL_KEYWORDS = ("row", "col", "secondary_y")


def trace_cells(failure: Failure) -> Patch | None:
    """``fig.add_trace(go.Scatter(..., row=1, col=2))``: the cell belongs to ``add_trace``, so it moves there.

    Dropping it (what plotly's error suggests) would pile every trace into the first panel.
    """
    if failure.error_type != "ValueError" or not failure_readers.cell_as_property(failure.message):
        return None
    edits = []
    for call in calls_in(failure.tree):
        if not (
            isinstance(call.func, ast.Attribute)
            and call.func.attr.startswith("add_")
            and call.args
            and isinstance(inner := call.args[0], ast.Call)
        ):
            continue
        moved = [k for k in inner.keywords if k.arg in _CELL_KEYWORDS]
        if not moved:
            continue
        outer_has = {k.arg for k in call.keywords}
        trace = ast.Call(
            func=inner.func, args=inner.args, keywords=[k for k in inner.keywords if k not in moved]
        )
        keywords = call.keywords + [k for k in moved if k.arg not in outer_has]
        edits.append(
            (call, ast.unparse(ast.Call(func=call.func, args=[trace, *call.args[1:]], keywords=keywords)))
        )
    return (
        Patch(
            replaced(failure.code, edits),
            "a trace's row/col belong to add_trace; moved them there "
            f"({len(edits)} call{'s' if len(edits) > 1 else ''})",
        )
        if edits
        else None
    )


_NO_GRID = ("The (row, col) pair sent is out of range", "In order to reference traces by row and column")


def _cells(tree: ast.Module, name: str) -> list[ast.Call]:
    """Every ``name.add_*(..., row=, col=)`` call: the cells the program puts traces in."""
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == name
        and n.func.attr.startswith("add_")
        and {"row", "col"} & {k.arg for k in n.keywords}
    ]


def grid_for_cells(failure: Failure) -> Patch | None:
    """``fig.add_trace(..., row=3, col=1)`` on a figure without
    that cell: make the figure with a grid that has it.

    A ``make_subplots`` grid grows to the largest row and column the program uses; a plain
    ``go.Figure()`` becomes ``make_subplots``; a Plotly Express figure becomes a grid
    whose first cell holds its traces (its own layout, axis titles included, is not carried).
    """
    import plotly.basedatatypes

    if failure.error_type != "Exception" or not any(m in failure.message for m in _NO_GRID):
        return None
    bounds = loop_bounds(failure.tree, failure.namespace)
    for call in failure.on_line(calls_in(failure.tree)):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and isinstance(failure.namespace.get(call.func.value.id), plotly.basedatatypes.BaseFigure)
        ):
            continue
        name = call.func.value.id
        used = {
            axis: [
                largest(k.value, bounds)
                for c in _cells(failure.tree, name)
                for k in c.keywords
                if k.arg == axis
            ]
            for axis in ("row", "col")
        }
        if not used["row"] or None in used["row"] + used["col"] or min(used["row"] + used["col"] or [1]) < 1:
            return None  # a cell the rule cannot bound, or one counted from 0 (one_based_cells' business)
        rows, cols = max(used["row"]), max(used["col"] or [1])
        made = [
            s
            for s in failure.tree.body
            if isinstance(s, ast.Assign)
            and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name)
            and s.targets[0].id == name
            and isinstance(s.value, ast.Call)
        ]
        if len(made) != 1:
            return None
        maker = made[0].value
        assert isinstance(maker, ast.Call)
        callee = ast.unparse(maker.func)
        grid = f"make_subplots(rows={rows}, cols={cols})"
        if callee.endswith("make_subplots"):
            given = {
                k.arg: k.value.value
                for k in maker.keywords
                if k.arg in ("rows", "cols")
                and isinstance(k.value, ast.Constant)
                and isinstance(k.value.value, int)
            }
            rows, cols = max(rows, given.get("rows", 1)), max(cols, given.get("cols", 1))
            kept = [k for k in maker.keywords if k.arg not in ("rows", "cols", "specs")]
            new = ast.Call(
                maker.func,
                [],
                [ast.keyword("rows", ast.Constant(rows)), ast.keyword("cols", ast.Constant(cols)), *kept],
            )
            return Patch(
                replaced(failure.code, [(maker, ast.unparse(new))]),
                f"{name} is now a {rows}x{cols} grid, enough for every row=/col= the program uses",
            )
        if callee.endswith("Figure") and not maker.args and not maker.keywords:
            edit, how = grid, "made with make_subplots"
        else:  # px.line(...) or go.Figure(traces): its traces go to the first cell
            edit = f"{grid}\n{name}.add_traces(list({ast.unparse(maker)}.data), rows=1, cols=1)"
            how = f"made with make_subplots; the traces of {callee}(...) are in cell (1, 1)"
        from plotly.subplots import make_subplots

        imported = failure.namespace.get("make_subplots") is make_subplots
        return Patch(
            ("" if imported else "from plotly.subplots import make_subplots\n")
            + replaced(failure.code, [(made[0], f"{name} = {edit}")]),
            f"{name} had no {rows}x{cols} subplot grid for its row=/col= cells; {how}",
        )
    return None


_NEW_DATA = "The data property of a figure may only be assigned"


def traces_assigned(failure: Failure) -> Patch | None:
    """``fig.data = [go.Scatter(...), ...]``: plotly only
    lets ``data`` be reordered or cut, so add them instead.

    The intent is "these are the figure's traces": the old ones are removed
    (``fig.data = ()``, which plotly allows) and the new ones added with ``add_traces``.
    """
    if failure.error_type != "ValueError" or _NEW_DATA not in failure.message:
        return None
    edits = [
        (
            s,
            f"{ast.unparse(s.targets[0].value)}.data = ()\n{' ' * s.col_offset}"  # the statement's indent
            f"{ast.unparse(s.targets[0].value)}.add_traces({ast.unparse(s.value)})",
        )
        for s in ast.walk(failure.tree)
        if isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Attribute)
        and s.targets[0].attr == "data"
        and isinstance(s.value, ast.List | ast.Tuple)
        and s.value.elts
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            "a plotly figure's data can only be reordered or cut; its old "
            "traces are removed and the new ones added with add_traces",
        )
        if edits
        else None
    )


def figure_as_trace(failure: Failure) -> Patch | None:
    """``fig.add_trace(px.scatter(...))``: an Express call makes a whole figure; its traces are ``.data``.

    Every ``add_trace`` given a Plotly Express call becomes ``add_traces(<the call>.data)``,
    keeping its other arguments (``row=``/``col=`` become ``rows=``/``cols=``).
    """
    if failure.error_type != "ValueError" or not failure_readers.figure_as_trace(failure.message):
        return None
    edits: list[tuple[ast.AST, str]] = []
    for call in calls_in(failure.tree):
        func, given = call.func, call.args[0] if call.args else None
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "add_trace"
            and isinstance(given, ast.Call)
            and isinstance(given.func, ast.Attribute)
            and module_name(given.func.value, failure.namespace) == "plotly.express"
        ):
            rest = [ast.unparse(a) for a in call.args[1:]] + [  # add_traces spells the cell rows= / cols=
                f"{ {'row': 'rows', 'col': 'cols'}.get(k.arg, k.arg) }={ast.unparse(k.value)}"
                if k.arg
                else ast.unparse(k)
                for k in call.keywords
            ]
            traces = ", ".join([ast.unparse(given) + ".data", *rest])
            edits.append((call, f"{ast.unparse(func.value)}.add_traces({traces})"))
    return (
        Patch(
            replaced(failure.code, edits),
            "a Plotly Express call makes a whole figure, not a trace; "
            f"added its traces (.data) instead ({len(edits)} call{'s' if len(edits) > 1 else ''})",
        )
        if edits
        else None
    )
