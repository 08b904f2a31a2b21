"""Styling calls to methods the object does not have: ``fig.update_colorscale(...)``, ``fig.add_legend()``.

The 0.5B invents a styling method, is told it does not exist, and resubmits the call
(or rewrites the whole program and breaks something else). When the name is nothing
like a real one (a slip is ``_misspelt_attribute``'s) and the call only styles the
figure (its result unused, its name about labels, legends, colours, layout), removing
the statement keeps the figure the program draws; the note says what was dropped.
"""

from __future__ import annotations

import ast
import re

from .patch_edit import Failure, Patch, live_object, replaced
from .repair import NO_ATTR

#: Method names that style a figure rather than draw its data.
_STYLING = re.compile(r"^(set_|update_|show|legend|add_legend|grid|tight|style|format)"
                      r"|label|title|tick|legend|grid|colou?r|style|font|layout|theme|background|spine|border", re.I)


def missing_styling_call(failure: Failure) -> Patch | None:
    """Each statement calling the missing styling method on the object the error names becomes ``pass``."""
    match = NO_ATTR.search(failure.message)
    if failure.error_type != "AttributeError" or not match or failure.message.startswith("module "):
        return None
    owner, wrong = match.group(1), match.group(2)
    if not _STYLING.search(wrong):
        return None
    edits: list[tuple[ast.AST, str]] = []
    for statement in ast.walk(failure.tree):
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == wrong):
            continue
        live = live_object(call.func.value, failure.namespace)  # None for ``plt.gca().xaxis``: not evaluated
        failed_here = failure.line is not None and statement.lineno <= failure.line <= (statement.end_lineno or 0)
        if type(live).__name__ == owner or (live is None and failed_here):
            edits.append((statement, f"pass  # removed: {owner} has no {wrong}()"))
    return Patch(replaced(failure.code, edits), f"{owner} has no method {wrong!r} and none is close; removed the "
                 f"styling call{'s' if len(edits) > 1 else ''} (the figure is drawn without {'them' if len(edits) > 1 else 'it'})"
                 ) if edits else None
