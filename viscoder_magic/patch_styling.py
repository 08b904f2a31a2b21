"""Styling calls to methods the object does not have: ``fig.update_colorscale(...)``, ``fig.add_legend()``.

The 0.5B invents a styling method, is told it does not exist, and resubmits the call
(or rewrites the whole program and breaks something else). When the name is nothing
like a real one (a slip is ``_misspelt_attribute``'s) and the call only styles the
figure (its result unused, its name about labels, legends, colours, layout), removing
the statement keeps the figure the program draws; the note says what was dropped.
"""

from __future__ import annotations

import ast
import difflib
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


_UNKNOWN_STYLE = re.compile(r"Unknown style: '([^']*)'")
#: The keyword each matplotlib patch-style family is given by, and where its names live.
_STYLE_FAMILIES = {"connectionstyle": "ConnectionStyle", "arrowstyle": "ArrowStyle", "boxstyle": "BoxStyle"}


def unknown_patch_style(failure: Failure) -> Patch | None:
    """``connectionstyle='fancy'`` (``Unknown style: 'fancy'``): the family's closest name, else the default.

    The error does not say which family refused the name; the keyword it was given to
    does, and the family lists its names (``ConnectionStyle.get_styles()``). With no name
    close, the keyword goes and the library's default style is drawn.
    """
    import matplotlib.patches as mpatches

    match = _UNKNOWN_STYLE.search(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    wrong = match.group(1).split(",")[0].strip()  # boxstyle's message adds its settings: 'rounded,pad=0.30'
    edits: list[tuple[ast.AST, str]] = []
    notes: dict[str, str] = {}
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call)):
        keywords = [k for k in call.keywords if k.arg in _STYLE_FAMILIES
                    and isinstance(k.value, ast.Constant) and str(k.value.value).split(",")[0].strip() == wrong]
        for keyword in keywords:
            names = list(getattr(mpatches, _STYLE_FAMILIES[keyword.arg]).get_styles())
            if wrong in names:
                continue  # this family knows the name; another one refused it
            close = difflib.get_close_matches(wrong, names, n=1, cutoff=0.6)
            if close:
                edits.append((keyword.value, repr(close[0])))
                notes[keyword.arg] = f"{keyword.arg}={wrong!r} does not exist; used {close[0]!r}"
            else:
                kept = [k for k in call.keywords if k is not keyword]
                edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args, keywords=kept))))
                notes[keyword.arg] = f"{keyword.arg}={wrong!r} does not exist (its styles: {', '.join(names)}); removed it"
    return Patch(replaced(failure.code, edits), "; ".join(notes.values())) if edits else None
