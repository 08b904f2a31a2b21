"""What pandas returns that is not the Series or frame the program takes it for.

``df['city'].unique()`` is an array (an ``ArrowStringArray``, ``IntegerArray``,
``Categorical`` or NumPy array under pandas 3), which has no ``sort_values``; the Series
method that keeps the same values is ``drop_duplicates()``. And a frame whose index
already is ``month`` has no column ``month`` to ``set_index`` again: the description says
the name is the index's, but a model that learnt on flat tables writes the call anyway.
Both fixes read the live objects and change no data.
"""

from __future__ import annotations

import ast
import re

import pandas as pd

from ..failures import NoAttribute, NoColumn
from ..labels import index_names
from .edit import Failure, Patch, live_object, replaced

#: ``set_index``'s message when none of the keys is a column.
_NONE_ARE_COLUMNS = re.compile(r"None of (\[.*\]) are in the columns")


def unique_then_sorted(failure: Failure) -> Patch | None:
    """``X.unique().sort_values(...)`` failing on the array ``unique`` returned: ``X.drop_duplicates()``."""
    missing = failure.error
    if not isinstance(missing, NoAttribute) or missing.attribute != "sort_values":
        return None
    edits = [
        (node.value, f"{ast.unparse(node.value.func.value)}.drop_duplicates()")
        for node in ast.walk(failure.tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "sort_values"
        and failure.covers(node)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "unique"
        and not node.value.args
        and not node.value.keywords
    ]
    if not edits:
        return None
    return Patch(
        replaced(failure.code, edits),
        f".unique() returns a {missing.owner}, which has no sort_values; "
        ".drop_duplicates() keeps the same values as a Series, which has",
    )


def index_set_again(failure: Failure) -> Patch | None:
    """``df.set_index('month')`` where ``month`` already is the index: the call is dropped."""
    missing = failure.error
    found = _NONE_ARE_COLUMNS.search(failure.message) if isinstance(missing, NoColumn) else None
    if found is None:
        return None
    try:
        keys = {str(k) for k in ast.literal_eval(found.group(1))}
    except (ValueError, SyntaxError):
        return None
    for node in ast.walk(failure.tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "set_index"
            and failure.covers(node)
        ):
            continue
        frame = live_object(node.func.value, failure.namespace)
        if not isinstance(frame, pd.DataFrame) or not keys:
            continue
        if not keys <= set(index_names(frame)):
            continue
        receiver = ast.unparse(node.func.value)
        inplace = any(k.arg == "inplace" and getattr(k.value, "value", False) is True for k in node.keywords)
        statement = _statement_of(failure.tree, node)
        if inplace and statement is not None:
            code = replaced(failure.code, [], removed=[statement])
        elif not inplace:
            code = replaced(failure.code, [(node, receiver)])
        else:
            continue
        names = ", ".join(repr(k) for k in sorted(keys))
        return Patch(code, f"{names} already is the index of {receiver}; dropped the set_index call")
    return None


def _statement_of(tree: ast.Module, call: ast.Call) -> ast.stmt | None:
    """The expression statement that is only ``call``, else None."""
    return next((s for s in ast.walk(tree) if isinstance(s, ast.Expr) and s.value is call), None)
