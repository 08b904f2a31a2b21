"""Columns and settings named one slip away, or not at all.

A column the data does not have (``'Region'`` for ``'region'``, a number for a text
label, a styling column the model invented), column names where values are wanted (or
the frame they belong to left out), and a setting outside the values a library lists
(``errorbar='std'``). The live frames and the library's own list name the fix.
"""

from __future__ import annotations

import ast
import difflib
from typing import Any

from .. import failure_readers
from ..failures import NoColumn, precheck_column
from ..labels import index_names, index_role
from .ast_tools import calls_in, data_argument
from .edit import Failure, Patch, live_object, replaced


def _renamed_constant(failure: Failure, old: str, new: str, note: str) -> Patch | None:
    nodes = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Constant) and n.value == old]
    return Patch(replaced(failure.code, [(n, repr(new)) for n in nodes]), note) if nodes else None


def index_for_column(failure: Failure) -> Patch | None:
    """``sensors['timestamp']`` where ``timestamp`` names the frame's index: ``sensors.index``.

    Read from the live frame, before any near-column rename: a near column (``'temp_b'``)
    would plot other data. A name of a level of a MultiIndex is left to the hint, which
    says how to take a level.
    """
    missing = failure.error
    if not isinstance(missing, NoColumn) or missing.source != "pandas":
        return None
    for key in missing.names:
        for name, frame in failure.frames.items():
            columns = [str(c) for c in getattr(frame, "columns", [])]
            if key not in columns and (patch := _index_used_as_column(failure, name, frame, key)):
                return patch
    return None


def index_as_data_column(failure: Failure) -> Patch | None:
    """``px.bar(prices, x='date')`` where ``date`` names the frame's index (or a level of it): the
    call is given ``prices.reset_index()``, whose columns include it.

    Plotly Express takes a column by name and knows nothing of the index (seaborn takes
    index names too); the model names the index because the description shows it beside
    the columns. Read from
    the live frame: only an exact index or level name is taken, so no other data is plotted.
    """
    missing = failure.error
    if not isinstance(missing, NoColumn) or missing.source != "plotly":
        return None
    calls = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and failure.covers(n)]
    for call in calls:
        data = data_argument(call)
        frame = live_object(data, failure.namespace) if data is not None else None
        if frame is None and data is not None:
            frame = failure.frames.get(data.id)
        role = index_role(missing.key, frame) if frame is not None else None
        if data is None or role is None or role[0] not in ("index", "level") or role[1] != missing.key:
            continue
        named = {str(c) for c in getattr(frame, "columns", [])}
        if named & set(index_names(frame)):
            continue  # reset_index would clash with a column of the same name
        return Patch(
            replaced(failure.code, [(data, f"{data.id}.reset_index()")]),
            f"{missing.key!r} is {'the index' if role[0] == 'index' else 'a level of the index'} of "
            f"{data.id}, not a column; gave the call {data.id}.reset_index(), which makes it one",
        )
    return None


def closest_column(failure: Failure) -> Patch | None:
    """A KeyError for a column one slip away from a real one (case, underscore, a letter)."""
    missing = failure.error
    if not isinstance(missing, NoColumn) or missing.source != "pandas":
        return None
    for key in missing.names:
        for frame in failure.frames.values():
            columns = [str(c) for c in getattr(frame, "columns", [])]
            if not columns or key in columns:
                continue
            same_case = [c for c in columns if c.lower() == key.lower()]
            close = same_case or difflib.get_close_matches(key, columns, n=1, cutoff=0.8)
            if close:
                return _renamed_constant(
                    failure, key, close[0], f"column {key!r} does not exist; used {close[0]!r}"
                )
    return None


def _index_used_as_column(failure: Failure, name: str, frame: Any, key: str) -> Patch | None:
    """``name['key']`` rewritten to ``name.index`` when ``key`` is the name of the frame's (single) index."""
    role = index_role(key, frame)
    if role is None or role[0] != "index":
        return None
    nodes = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Subscript)
        and isinstance(n.value, ast.Name)
        and n.value.id == name
        and isinstance(n.slice, ast.Constant)
        and n.slice.value == key
    ]
    if not nodes:
        return None
    note = f"{key!r} is the index of {name}, not a column; used {name}.index"
    return Patch(replaced(failure.code, [(n, f"{name}.index") for n in nodes]), note)


def _closest(got: str, choices: list[str]) -> list[str]:
    """The listed value ``got`` means: the same in other case, one a few letters off, or its initial (``'v'``
    for ``'vertical'``, as plotly abbreviates)."""
    return (
        [c for c in choices if c.lower() == got.lower()]
        or difflib.get_close_matches(got, choices, n=1, cutoff=0.6)
        or [c for c in choices if len(c) == 1 and got.lower().startswith(c.lower())]
    )


def closest_choice(failure: Failure) -> Patch | None:
    """A setting outside the values the library lists (``errorbar='std'``: one of 'ci', 'pi', 'se', 'sd').

    The closest listed value (``'sd'``, ``'bar'`` for ``'bars'``) replaces it where it is
    given to a call; nothing close enough, and the model decides.
    """
    if failure.error_type != "ValueError":
        return None
    choice = failure_readers.listed_choices(failure.message)
    if not choice:
        return None
    got = choice.got
    close = _closest(got, list(choice.choices))
    if not close:
        return _unlisted_setting_removed(failure, got)
    given = [
        node
        for call in ast.walk(failure.tree)
        if isinstance(call, ast.Call)
        for node in [*call.args, *(k.value for k in call.keywords)]
        if isinstance(node, ast.Constant) and node.value == got
    ]
    return (
        Patch(
            replaced(failure.code, [(n, repr(close[0])) for n in given]),
            f"{got!r} is not one of the values the library takes; used {close[0]!r}",
        )
        if given
        else None
    )


def _unlisted_setting_removed(failure: Failure, got: str) -> Patch | None:
    """A keyword set to a value the library does not list, and none close (plotly's ``xref='xdata'``): the
    keyword goes, so the library's default applies; a positional value is the model's to change."""
    edits, dropped = [], []
    for call in ast.walk(failure.tree):
        if isinstance(call, ast.Call) and (
            bad := [
                k
                for k in call.keywords
                if k.arg and isinstance(k.value, ast.Constant) and k.value.value == got
            ]
        ):
            edits.append(
                (
                    call,
                    ast.unparse(
                        ast.Call(
                            func=call.func,
                            args=call.args,
                            keywords=[k for k in call.keywords if k not in bad],
                        )
                    ),
                )
            )
            dropped += [f"{k.arg}={got!r}" for k in bad]
    return (
        Patch(
            replaced(failure.code, edits),
            f"{got!r} is not one of the values the library takes, and none "
            f"is close: removed {', '.join(dict.fromkeys(dropped))} (the default applies)",
        )
        if edits
        else None
    )


#: Keywords Plotly Express and seaborn read as column names (``nbins=5`` is a number, not a column).
_COLUMN_KEYWORDS = frozenset(
    "x y z color size symbol text hover_name hover_data custom_data facet_row facet_col animation_frame "
    "animation_group line_group line_dash pattern_shape names values parents ids path dimensions lat lon r "
    "theta a b c base error_x error_y hue style units weights row col".split()
)


def _numbers_in(node: ast.AST) -> list[ast.Constant]:
    """The int constants ``node`` is, or lists (``0``, ``[0, 1]``)."""
    items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    return [n for n in items if isinstance(n, ast.Constant) and type(n.value) is int]


def numbered_columns(failure: Failure) -> Patch | None:
    """``df[0]`` or ``px.scatter(df, x=0)`` on a frame whose
    columns are the texts ``'0'``, ``'1'``: the text is meant.

    A frame read from a headerless file or built from a dict of strings names its columns
    by text; the model indexes them by number. Every such number used as a column of that
    frame (a subscript, or a keyword of a call given the frame) becomes its text.
    """
    missing = failure.error
    number = (
        (
            missing.names[0]
            if missing.source == "plotly"
            else missing.key
            if missing.source == "pandas"
            else ""
        )
        if isinstance(missing, NoColumn)
        else ""
    )
    names = {
        name
        for name, frame in failure.frames.items()
        if number.lstrip("-").isdigit()
        and number in map(str, getattr(frame, "columns", ()))
        and int(number) not in list(frame.columns)
    }
    if not names:
        return None
    texts = {str(c) for name in names for c in failure.frames[name].columns if isinstance(c, str)}
    nodes: list[ast.Constant] = []
    for node in ast.walk(failure.tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names:
            nodes += _numbers_in(node.slice)
        elif isinstance(node, ast.Call) and any(
            isinstance(a, ast.Name) and a.id in names for a in [*node.args, *(k.value for k in node.keywords)]
        ):
            nodes += [n for k in node.keywords if k.arg in _COLUMN_KEYWORDS for n in _numbers_in(k.value)]
    edits = [(n, repr(str(n.value))) for n in nodes if str(n.value) in texts]
    return (
        Patch(
            replaced(failure.code, edits),
            f"the columns of {', '.join(sorted(names))} are texts ('{number}'), "
            f"not numbers; {len(edits)} column number{'s' if len(edits) > 1 else ''} became text",
        )
        if edits
        else None
    )


def positional_columns(failure: Failure) -> Patch | None:
    """``data[0]`` on a frame with named columns (``KeyError: 0``):
    the first column is meant, ``data.iloc[:, 0]``.

    Every read of such a frame by column number (or a list of numbers) within its width
    becomes positional; a frame that has the number as a label, or as its text (that is
    ``numbered_columns``'), and an assignment (``df[0] = ...`` makes a column) stay.
    """
    import pandas as pd

    missing = failure.error
    if not isinstance(missing, NoColumn) or missing.source != "pandas" or not missing.key.isdigit():
        return None
    number = missing.key
    edits: list[tuple[ast.AST, str]] = []
    for node in ast.walk(failure.tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)):
            continue
        frame = live_object(node.value, failure.namespace)
        numbers = _numbers_in(node.slice)
        if (
            not isinstance(frame, pd.DataFrame)
            or not numbers
            or len(numbers) != len(getattr(node.slice, "elts", [node.slice]))
        ):
            continue
        labels = set(frame.columns) | set(map(str, frame.columns))
        if all(
            0 <= n.value < frame.shape[1] and n.value not in labels and str(n.value) not in labels
            for n in numbers
        ):
            edits.append((node, f"{ast.unparse(node.value)}.iloc[:, {ast.unparse(node.slice)}]"))
    return (
        Patch(
            replaced(failure.code, edits),
            f"the frame has no column {number}: its columns have names, so "
            f"{len(edits)} column number{'s' if len(edits) > 1 else ''} became positions (.iloc)",
        )
        if edits
        else None
    )


#: Keywords that colour, shape, size or label what x and y already draw (plotly express,
#: seaborn). Without them the plot still shows the data asked for; facets and animation
#: frames change what is drawn, so they are left to the model.
_STYLE_KEYWORDS = frozenset(
    {
        "color",
        "symbol",
        "size",
        "text",
        "hover_name",
        "hover_data",
        "custom_data",
        "line_dash",
        "pattern_shape",
        "hue",
        "style",
    }
)


def _absent_columns(failure: Failure) -> set[str]:
    """Column names the error says no frame has."""
    named = list(failure.error.names) if isinstance(failure.error, NoColumn) else []
    if (precheck := precheck_column(failure.message)) is not None:
        named.append(precheck.strip())
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
        bad = [
            k
            for k in call.keywords
            if k.arg in _STYLE_KEYWORDS
            and any(isinstance(n, ast.Constant) and n.value in absent for n in ast.walk(k.value))
        ]
        if bad:
            kept = [k for k in call.keywords if k not in bad]
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args, keywords=kept))))
            dropped += [f"{k.arg}={ast.unparse(k.value)}" for k in bad]
    if not edits:
        return None
    return Patch(
        replaced(failure.code, edits),
        f"the data has no column {', '.join(map(repr, sorted(absent)))}: "
        f"removed {', '.join(dict.fromkeys(dropped))}",
    )


def _frame_with(columns: set[str], frames: Any) -> str | None:
    """The one frame that has every column in ``columns``; None when none or several do."""
    having = [
        name
        for name, frame in frames.items()
        if columns and columns <= {str(c) for c in getattr(frame, "columns", [])}
    ]
    return having[0] if len(having) == 1 else None


def seaborn_without_data(failure: Failure) -> Patch | None:
    """``sns.barplot(x='region', y='revenue')``: column names given, the frame they belong to not.

    Seaborn reads a string as a column of ``data`` and says ``data`` was not passed; the
    one frame that has every named column is passed as ``data=``.
    """
    if failure.error_type != "ValueError" or not failure_readers.data_not_passed(failure.message):
        return None
    edits, used = [], set()
    for call in failure.on_line(calls_in(failure.tree)):
        if not isinstance(call, ast.Call) or call.args or any(k.arg == "data" for k in call.keywords):
            continue
        named = {
            k.value.value
            for k in call.keywords
            if isinstance(k.value, ast.Constant)
            and isinstance(k.value.value, str)
            and k.arg in ("x", "y", "hue", "size", "style", "weights")
        }
        frame = _frame_with(named, failure.frames)
        if frame is not None:
            edits.append(
                (
                    call,
                    ast.unparse(
                        ast.Call(
                            func=call.func,
                            args=[],
                            keywords=[ast.keyword(arg="data", value=ast.Name(frame)), *call.keywords],
                        )
                    ),
                )
            )
            used.add(frame)
    return (
        Patch(
            replaced(failure.code, edits),
            f"the call names columns but not their frame; passed data={', '.join(sorted(used))}",
        )
        if edits
        else None
    )


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
    match = failure_readers.name_for_array(failure.message)
    if failure.error_type != "ValueError" or not match:
        return None
    arrays = _array_properties(match.trace_type)
    owners = {}
    for call in failure.on_line(calls_in(failure.tree)):
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg not in arrays or not (
                isinstance(value, ast.Constant) and isinstance(value.value, str)
            ):
                continue
            frames = [
                name for name, frame in failure.frames.items() if value.value in getattr(frame, "columns", ())
            ]
            if len(frames) == 1:
                owners[value] = f"{frames[0]}[{value.value!r}]"
    if not any(ast.literal_eval(node) == match.value for node in owners):
        return None
    return Patch(
        replaced(failure.code, list(owners.items())),
        f"plotly's {match.trace_type} traces take values, not column names; used "
        + ", ".join(sorted(set(owners.values()))),
    )
