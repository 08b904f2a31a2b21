"""A seaborn or plotly call that names the columns of a wide frame's long form, given the wide frame.

The description offers each wide frame's long form (``long_form.py``: a column MultiIndex
stacked by its entity level, or numeric columns melted over a named index) with the
columns it gives. A small model then writes ``sns.boxplot(data=returns, x='ticker',
y='return')``: the right columns, the wrong frame. The call is given the long-form
expression, computed again from the live frame the call draws, and only when every column
the call names is one of the long form's, so no other data is plotted.
"""

from __future__ import annotations

import ast

import pandas as pd

from ..failures import NoColumn
from ..labels import index_names
from ..long_form import long_form
from .ast_tools import data_argument
from .edit import Failure, Patch, live_object, replaced

#: Keywords of seaborn and Plotly Express that name a column of the data.
_COLUMN_KEYWORDS = frozenset(
    {
        "x",
        "y",
        "z",
        "hue",
        "color",
        "col",
        "row",
        "facet_col",
        "facet_row",
        "size",
        "style",
        "units",
        "names",
        "values",
        "symbol",
        "line_group",
        "text",
        "hover_name",
    }
)


def _named_columns(call: ast.Call) -> list[str]:
    return [
        k.value.value
        for k in call.keywords
        if k.arg in _COLUMN_KEYWORDS and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
    ]


def long_columns(failure: Failure) -> Patch | None:
    """A column seaborn or plotly could not find, which the data frame's long form has."""
    missing = failure.error
    if not isinstance(missing, NoColumn) or missing.source not in ("seaborn", "plotly"):
        return None
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and failure.covers(n)):
        data = data_argument(call)
        if data is None:
            continue
        frame = live_object(data, failure.namespace)
        frame = frame if frame is not None else failure.frames.get(data.id)
        if not isinstance(frame, pd.DataFrame):
            continue
        form = long_form(data.id, frame)
        named = _named_columns(call)
        if form is None or missing.key not in named:
            continue
        if not set(named) <= {str(c) for c in form.columns}:
            continue  # a name the long form lacks too: another slip, not this one
        wide = {str(c) for c in frame.columns} | set(index_names(frame))
        if set(named) <= wide:
            continue  # every name is the wide frame's own (an index name): reset_index's case, not this
        return Patch(
            replaced(failure.code, [(data, form.expression)]),
            f"{missing.key!r} is not a column of the wide frame {data.id}, but of its long form; "
            f"gave the call {form.expression}",
        )
    return None
