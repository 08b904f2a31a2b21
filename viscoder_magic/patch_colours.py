"""Rules about colours given data: a column's name, or category labels, where a colour goes.

The 0.5B writes ``marker_color='mid'`` (the column it means to colour by),
``marker_color=df['labels']`` (the category labels themselves) and
``colors=df['labels']`` in a pie. Plotly and matplotlib both refuse, naming the value;
the fix is what the model meant: the column's values, or one colour per category.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from .patch_edit import Failure, Patch, replaced

#: plotly: ``Invalid value of type 'builtins.str' received for the 'color' property of scatter.marker
#: Received value: 'mid'`` and ``Invalid element(s) received for the 'color' property ... include: ['G1', ...]``
_PLOTLY_VALUE = re.compile(r"Invalid value of type '[\w.]+' received for the '(\w*colou?rs?)' property of [\w.]+"
                           r"\s+Received value: (.+)")
_PLOTLY_ELEMENTS = re.compile(r"Invalid element\(s\) received for the '(\w*colou?rs?)' property of [\w.]+"
                              r"\s+Invalid elements include: (\[.*?\])")
#: matplotlib: ``Invalid RGBA argument: 'Frogs'`` / ``'Frogs' is not a valid color value.``
_MPL_VALUE = re.compile(r"Invalid RGBA argument: (.+)$|^(.+) is not a valid color value", re.M)


def _colour_keywords(call: ast.Call) -> list[ast.keyword]:
    """The call's colour keywords, the ones nested in ``marker=dict(...)`` / ``line=dict(...)`` included."""
    found = [k for k in call.keywords if k.arg and re.fullmatch(r"\w*colou?rs?|c", k.arg)]
    for nested in (k.value for k in call.keywords if isinstance(k.value, ast.Call)):
        if isinstance(nested.func, ast.Name) and nested.func.id == "dict":
            found += [k for k in nested.keywords if k.arg and re.fullmatch(r"colou?rs?", k.arg)]
    return found


def _frame_of(call: ast.Call, frames: Mapping[str, Any], column: str) -> str | None:
    """The frame the call plots from that has ``column`` (the only frame, when the call names none)."""
    named = [n.id for n in ast.walk(call) if isinstance(n, ast.Name) and n.id in frames]
    candidates = named or list(frames)
    having = [f for f in dict.fromkeys(candidates) if column in getattr(frames[f], "columns", ())]
    return having[0] if len(having) == 1 or (named and having) else None


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return None


def _is_plotly(failure: Failure) -> bool:
    return any(isinstance(n, ast.alias) and n.name.startswith("plotly") for n in ast.walk(failure.tree))


def _per_category(expression: str, labels: list[Any], plotly: bool) -> str:
    """One colour per category of ``expression``'s values.

    Labels that are colours in matplotlib's spelling (``'b'``, ``'r'``) become those colours;
    other labels are numbered in order of appearance, which plotly maps onto its colour scale
    and matplotlib onto its ``tab10`` cycle.
    """
    from matplotlib.colors import is_color_like, to_hex

    if labels and all(isinstance(v, str) and is_color_like(v) for v in labels):
        mapping = {v: to_hex(v) for v in labels}
        return f"[{mapping!r}.get(c, c) for c in {expression}]"
    codes = f"pd.factorize(pd.Series(list({expression})))[0]"
    return codes if plotly else f"plt.cm.tab10({codes} % 10)"


def colour_from_data(failure: Failure) -> Patch | None:
    """A colour setting given a column's name or category labels becomes the column's values or one colour per label.

    Only keywords on the failing line's calls are edited, and only those whose value the
    error names (a constant equal to the refused value, or any non-constant expression when
    the error lists refused elements); a setting that is simply not a colour goes to the
    keyword rule, which drops it.
    """
    if failure.error_type != "ValueError":
        return None
    plotly = _is_plotly(failure)
    value = _PLOTLY_VALUE.search(failure.message)
    elements = _PLOTLY_ELEMENTS.search(failure.message)
    mpl = None if plotly else _MPL_VALUE.search(failure.message)
    if not (value or elements or mpl):
        return None
    refused = _literal(value.group(2)) if value else _literal(next(g for g in mpl.groups() if g)) if mpl else None
    listed = _literal(elements.group(2)) if elements else None
    from matplotlib.colors import is_color_like

    every = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and _colour_keywords(n)]
    here = failure.on_line(every)
    named = isinstance(refused, str) and any(refused in getattr(f, "columns", ()) for f in failure.frames.values())
    edits, notes = [], []
    for call in every:  # a column named where a colour goes is fixed in every call: the same slip
        assert isinstance(call, ast.Call)
        for keyword in _colour_keywords(call):
            given = keyword.value
            if named and isinstance(given, ast.Constant) and isinstance(given.value, str) \
                    and (given.value == refused or not is_color_like(given.value)):
                frame = _frame_of(call, failure.frames, given.value)
                if frame is None:
                    continue
                column = f"{frame}[{given.value!r}]"
                numeric = getattr(failure.frames[frame][given.value], "dtype", None) is not None and \
                    failure.frames[frame][given.value].dtype.kind in "iuf"
                edits.append((given, column if numeric and plotly else _per_category(column, [], plotly)))
                notes.append(f"{keyword.arg}={given.value!r} named a column; coloured by {column}")
            elif call in here and not isinstance(given, ast.Constant) and (elements or mpl):
                labels = listed if isinstance(listed, list) else [refused] if refused is not None else []
                edits.append((given, _per_category(ast.unparse(given), labels, plotly)))
                notes.append(f"{keyword.arg}={ast.unparse(given)} holds labels, not colours "
                             f"({', '.join(map(repr, labels[:3]))}); one colour per label")
    if not edits:
        return None
    return Patch(replaced(failure.code, edits), "; ".join(dict.fromkeys(notes)))
