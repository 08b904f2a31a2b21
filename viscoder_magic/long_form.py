"""The long-form recipe of a wide frame, for the description the model reads.

seaborn's ``hue=``/``x=`` and plotly's ``color=`` want one row per observation and one
column naming the group. A wide frame keeps its groups in the column labels instead
(a column MultiIndex of ticker x metric, or one numeric column per country over a
dated index), and a small model asked for "each ticker" or "by economy" then invents a
column that does not exist or draws one group only. The description names the one
expression that reshapes the frame and the columns it gives; both are read by running
the expression on the first rows of the live frame, so the names are the ones the
program will meet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: Rows the recipe is tried on: enough to give its columns, O(1) in the frame's length.
_PROBE_ROWS = 3
#: A flat frame is wide when at least this many columns, all of one numeric kind, hold its values.
_MIN_WIDE_COLUMNS = 3


@dataclass(frozen=True)
class LongForm:
    """How a wide frame becomes long: the expression, what one of its rows is, its columns, and the
    column that names the group the wide frame kept in its column labels (a stacked level, or
    the melt's ``var_name``)."""

    expression: str
    rows: str
    columns: tuple[Any, ...]
    group: str


def long_form(name: str, frame: pd.DataFrame) -> LongForm | None:
    """The frame's long form under ``name``, its columns read from the head; None when not wide."""
    recipe = _stack_recipe(name, frame) or _melt_recipe(name, frame)
    if recipe is None:
        return None
    expression, rows, group, reshape = recipe
    try:
        columns = tuple(reshape(frame.head(_PROBE_ROWS)).columns)
    except Exception:  # noqa: BLE001 - a recipe that does not run on this frame is not offered
        return None
    if len(set(map(str, columns))) != len(columns):
        return None
    return LongForm(expression, rows, columns, group)


def long_form_line(name: str, frame: pd.DataFrame) -> list[str]:
    """One line with the long-form expression and its columns, or none when the frame is not wide."""
    found = long_form(name, frame)
    if found is None:
        return []
    listed = ", ".join(repr(c) for c in found.columns)
    return [
        f"Long form (one row per {found.rows}; for seaborn `hue=`/`x=` or plotly `color=`): "
        f"`{found.expression}` has the columns {listed}."
    ]


#: expression, what one row is, the group column, the same reshape in code
Recipe = tuple[str, str, str, Callable[[pd.DataFrame], pd.DataFrame]]


def _stack_recipe(name: str, frame: pd.DataFrame) -> Recipe | None:
    """Column MultiIndex of two levels: stack the level with more values (the entities)."""
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex) or columns.nlevels != 2:
        return None
    level = max(range(2), key=lambda i: len(columns.levels[i]))
    level_name = columns.names[level]
    if not isinstance(level_name, str):
        return None
    return (
        f"{name}.stack(level={level_name!r}).reset_index()",
        f"{_rows(frame)} and {level_name}",
        level_name,
        lambda head: head.stack(level=level_name).reset_index(),
    )


def _melt_recipe(name: str, frame: pd.DataFrame) -> Recipe | None:
    """Flat columns, all of one numeric kind, over a named index: melt them under one group column."""
    columns = frame.columns
    if isinstance(columns, pd.MultiIndex) or len(columns) < _MIN_WIDE_COLUMNS:
        return None
    kinds = {dtype.kind for dtype in frame.dtypes}
    if len(kinds) != 1 or not kinds <= set("if") or isinstance(frame.index, pd.MultiIndex):
        return None
    index_name = frame.index.name
    if not isinstance(index_name, str) or index_name in columns:
        return None
    group = columns.name if isinstance(columns.name, str) and columns.name not in columns else "column"
    return (
        f"{name}.reset_index().melt(id_vars={index_name!r}, var_name={group!r}, value_name='value')",
        f"{index_name} and {group}",
        group,
        lambda head: head.reset_index().melt(id_vars=index_name, var_name=group, value_name="value"),
    )


def _rows(frame: pd.DataFrame) -> str:
    """What one row of the wide frame is, in the line's words: the index's name, else a row."""
    names = [n for n in frame.index.names if isinstance(n, str)]
    return " and ".join(names) if names else "row"
