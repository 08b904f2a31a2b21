"""Keywords a callee does not take, takes twice, or takes in another form.

The model writes keywords from the wrong library (``figsize`` for plotly, ``x`` for
``plt.violinplot``), from the wrong level (``color`` on a plotly trace, which keeps it
in ``marker``), or one slip away (``nrows`` for ``rows``). Each is read against the
live callee: its signature, its sibling in another imported plotting module, or, for
plotly objects, the object's own property validation. An optional setting of the
wrong form, a value given both by position and by name, two settings that exclude each
other, and a column name given where the data goes are read from the message.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from typing import Any

from .. import failure_readers
from ..failures import BadKeyword, BadProperty, MissingArgument
from ..failures import Failure as Classified
from .ast_tools import (
    PLOTTING_MODULES,
    callee,
    callee_key,
    callee_parameters,
    calls_in,
    module_name,
    parameter_names,
    siblings,
)
from .edit import Failure, Patch, live_object, replaced


def _closed_rejects(call: ast.Call, namespace: Mapping[str, Any]) -> set[str]:
    """Every keyword a callee with a closed signature (no ``**kwargs``: ``px.scatter``) does not name.

    Such a callee raises on the first unknown keyword only; the next run would fail on the
    next one, so all of them go in one patch.
    """
    import inspect

    target = callee(call.func, namespace)
    try:
        parameters = inspect.signature(target).parameters.values() if callable(target) else []
    except (TypeError, ValueError):
        return set()
    if not parameters or any(p.kind is p.VAR_KEYWORD for p in parameters):
        return set()
    names = {p.name for p in parameters}
    return {k.arg for k in call.keywords if k.arg and k.arg not in names}


def _keyword_of_a_sibling(failure: Failure, keyword: str) -> Patch | None:
    """``plt.violinplot(x=...)``: seaborn's function of that name takes ``x``, so call it instead."""
    for call in failure.on_line(
        [
            n
            for n in ast.walk(failure.tree)
            if isinstance(n, ast.Call) and any(k.arg == keyword for k in n.keywords)
        ]
    ):
        func = call.func if isinstance(call, ast.Call) else None
        if not isinstance(func, ast.Attribute):
            continue
        module = module_name(func.value, failure.namespace)
        if module not in PLOTTING_MODULES:
            continue
        for sibling in siblings(failure, module, func.attr):
            if keyword in parameter_names(getattr(failure.namespace[sibling], func.attr)):
                return Patch(
                    replaced(failure.code, [(func, f"{sibling}.{func.attr}")]),
                    f"{module}.{func.attr} takes no {keyword!r}; "
                    f"{failure.namespace[sibling].__name__}.{func.attr} does, so it is called instead",
                )
    return None


def _bad_keywords(failure: Failure) -> list[str]:
    """The keywords the error says the call does not take."""
    if isinstance(failure.error, BadKeyword | BadProperty):
        return [failure.error.keyword]
    if failure.error_type in ("TypeError", "AttributeError"):
        if (listed := failure_readers.plotly_refused_keywords(failure.message)) is not None:
            return listed
    if failure.error_type in ("ValueError", "TypeError") and (
        path := failure_readers.plotly_bad_path(failure.message)
    ):
        return [path]  # go.Figure raises TypeError ("invalid Figure property: row"), traces ValueError
    if failure.error_type == "ValueError" and (
        value := failure_readers.plotly_refused_property(failure.message)
    ):
        return [value]  # a value plotly's validator refuses (``width=2``: at least 10): the setting goes
    return []


def _artist_class(name: str) -> type | None:
    """The matplotlib artist class a "Line2D.set() got an unexpected keyword" names."""
    from matplotlib.artist import Artist

    classes, seen = [Artist], []
    while classes:
        cls = classes.pop()
        if cls.__name__ == name:
            return cls
        seen.append(cls)
        classes += [c for c in cls.__subclasses__() if c not in seen]
    return None


def _artist_rejects(call: ast.Call, error: Classified | None, parameters: list[str]) -> set[str]:
    """Every keyword of the call that neither the plotting method nor the artist it makes takes.

    Matplotlib names one bad artist property per error; the rest of the same call would
    fail next, one run each. A keyword the artist has a setter for (aliases such as
    ``lw`` included), or its constructor or the method names, is kept.
    """
    import inspect

    from matplotlib.axes import Axes

    artist = _artist_class(error.artist) if isinstance(error, BadProperty) else None
    if artist is None:
        return set()
    method = getattr(Axes, call.func.attr, None) if isinstance(call.func, ast.Attribute) else None
    known = set(parameters) | set(parameter_names(method) if callable(method) else [])
    try:
        known |= set(inspect.signature(artist.__init__).parameters)
    except (TypeError, ValueError):
        return set()
    return {
        k.arg for k in call.keywords if k.arg and k.arg not in known and not hasattr(artist, f"set_{k.arg}")
    }


def _shortened_to(keyword: str, parameter: str) -> bool:
    """``arrow`` -> ``row``, ``markersize`` -> ``size``: a shorter name inside the keyword is another setting
    (a subplot row, a size column), not a slip; one letter more (``nrows`` -> ``rows``) is a slip."""
    return parameter in keyword and len(keyword) - len(parameter) >= 2


def drop_keyword(failure: Failure) -> Patch | None:
    """``f() got an unexpected keyword argument 'k'`` (also from an artist's ``set``, or plotly's
    "Bad property path: k"): rename ``k=`` to the callee's parameter one slip away
    (``nrows`` -> ``rows``), else remove it."""
    keywords = _bad_keywords(failure)
    if not keywords:
        return None
    if len(keywords) == 1 and (switched := _keyword_of_a_sibling(failure, keywords[0])) is not None:
        return switched
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and any(k.arg in keywords for k in n.keywords)
    ]
    callees = {callee_key(c.func) for c in failure.on_line(calls) if isinstance(c, ast.Call)}
    edits, changes = [], {}
    for call in calls:  # every call of the failing callee: the next one would fail the same way
        assert isinstance(call, ast.Call)
        if callee_key(call.func) not in callees:
            continue
        parameters = callee_parameters(call.func, failure.namespace)
        taken = {k.arg for k in call.keywords}
        # plotly names one bad property per error; a callee that takes the keyword (add_trace's row
        # around a trace given row too) keeps it
        bad = (
            (set(keywords) - set(parameters))
            | _plotly_rejects(call, failure.namespace)
            | _artist_rejects(call, failure.error, parameters)
            | _closed_rejects(call, failure.namespace)
        )
        if not bad & taken:
            continue
        kept = []
        for k in call.keywords:
            if k.arg not in bad:
                kept.append(k)
                continue
            # a trace's marker_color before a parameter one slip away (color -> col would move the trace)
            close = [
                n for n in [_nested_property(call.func, failure.namespace, k.arg)] if n and n not in taken
            ]
            close = close or [
                c for c in parameters if c.lower() == k.arg.lower() and c not in taken
            ]  # nfft: NFFT
            close = close or [
                c
                for c in difflib.get_close_matches(k.arg, parameters, n=3, cutoff=0.75)
                if c not in taken and not _shortened_to(k.arg, c)
            ]
            if close:
                kept.append(ast.keyword(arg=close[0], value=k.value))
                taken.add(close[0])
            changes[k.arg] = f"renamed {k.arg!r} to {close[0]!r}" if close else f"removed {k.arg!r}"
        edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args, keywords=kept))))
    if not edits:
        return None
    where = f"{len(edits)} calls of {', '.join(sorted(callees))}" if len(edits) > 1 else "the call"
    return Patch(
        replaced(failure.code, edits),
        f"{'; '.join(changes.values())}: {where} does not take {', '.join(map(repr, changes))}",
    )


def _plotly_class(func: ast.AST, namespace: Mapping[str, Any]) -> type | None:
    """The plotly graph object class a call constructs (``go.Scatter``), if it is one."""
    target = callee(func, namespace) if isinstance(func, ast.Attribute) else None
    ok = isinstance(target, type) and target.__module__.startswith("plotly.graph_objs")
    return target if ok else None


_LAYOUT_METHODS = {"update_layout": "Layout", "update_xaxes": "XAxis", "update_yaxes": "YAxis"}


def _plotly_validator(func: ast.AST, namespace: Mapping[str, Any]) -> type | None:
    """The plotly class whose constructor validates the call's keywords: ``go.Scatter`` itself, or
    ``go.Layout`` for ``fig.update_layout`` (``XAxis`` / ``YAxis`` for ``update_xaxes`` /
    ``update_yaxes``)."""
    if isinstance(func, ast.Attribute) and func.attr in _LAYOUT_METHODS and isinstance(func.value, ast.Name):
        figure = namespace.get(func.value.id)
        if type(figure).__module__.startswith("plotly"):
            import plotly.graph_objects as go

            name = _LAYOUT_METHODS[func.attr]
            return getattr(go, name, None) or getattr(go.layout, name, None)
    return _plotly_class(func, namespace)


def _plotly_rejects(call: ast.Call, namespace: Mapping[str, Any]) -> set[str]:
    """Every keyword of a plotly object's call that the object itself rejects (each tried alone, as None)."""
    target = _plotly_validator(call.func, namespace)
    rejected = set()
    own = {"overwrite", "selector", "row", "col", "secondary_y"}  # the update methods' own parameters
    own = own if isinstance(call.func, ast.Attribute) and call.func.attr in _LAYOUT_METHODS else set()
    for keyword in (k.arg for k in call.keywords if target is not None and k.arg and k.arg not in own):
        try:
            target(**{keyword: None})
        except (ValueError, TypeError):  # None is valid for every property a plotly object has
            rejected.add(keyword)
        except Exception:  # noqa: BLE001 - anything else is not a verdict on the keyword
            continue
    return rejected


def _added_trace_class(func: ast.AST, namespace: Mapping[str, Any]) -> type | None:
    """The trace class ``fig.add_histogram(...)`` builds
    (``go.Histogram``), if the call is a figure's ``add_*``."""
    if not (
        isinstance(func, ast.Attribute)
        and func.attr.startswith("add_")
        and isinstance(func.value, ast.Name)
        and type(namespace.get(func.value.id)).__module__.startswith("plotly")
    ):
        return None
    import plotly.graph_objects as go

    name = next((n for n in dir(go) if n.lower() == func.attr[4:]), None)
    return _plotly_class(ast.Attribute(ast.Name("go"), name), {"go": go}) if name else None


def _nested_property(func: ast.AST, namespace: Mapping[str, Any], keyword: str) -> str | None:
    """``go.Scatter(color=...)``: plotly traces take ``marker_color`` (or ``line_color``), not ``color``."""
    target = _plotly_class(func, namespace) or _added_trace_class(func, namespace)
    if target is None:
        return None
    try:
        trace = target()
    except Exception:  # noqa: BLE001 - any failure means no nested property to offer
        return None
    for parent in ("marker", "line"):
        if hasattr(getattr(trace, parent, None), keyword):
            return f"{parent}_{keyword}"
    return None


def repeated_keyword(failure: Failure) -> Patch | None:
    """``keyword argument repeated: k`` (the compiler's, not the parser's): keep each call's first ``k=``."""
    if failure.error_type != "SyntaxError" or "keyword argument repeated" not in failure.message:
        return None
    edits, repeated = [], set()
    for call in calls_in(failure.tree):
        seen: set[str] = set()
        kept = [k for k in call.keywords if k.arg is None or k.arg not in seen and not seen.add(k.arg)]
        if len(kept) < len(call.keywords):
            repeated |= {k.arg for k in call.keywords if k not in kept}
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args, keywords=kept))))
    return (
        Patch(
            replaced(failure.code, edits),
            f"keyword(s) {', '.join(sorted(map(repr, repeated)))} given twice in one call; kept the first",
        )
        if edits
        else None
    )


def _short_extent(failure: Failure) -> str | None:
    """``'extent'`` when the failing line gives ``extent=`` fewer or more than four numbers.

    ``imshow(..., extent=[4.0, -3.0])`` fails inside matplotlib with a bare ``list index
    out of range``; the written list is the evidence.
    """
    if failure.error_type != "IndexError" or "index out of range" not in failure.message:
        return None
    calls = calls_in(failure.tree)
    short = [
        k
        for c in failure.on_line(calls)
        if isinstance(c, ast.Call)
        for k in c.keywords
        if k.arg == "extent" and isinstance(k.value, ast.List | ast.Tuple) and len(k.value.elts) != 4
    ]
    return "extent" if short and failure.line is not None else None


def malformed_optional(failure: Failure) -> Patch | None:
    """``If given, 'extent' must be None or (x0, x1, y0, y1)``:
    an optional setting given a value of the wrong form goes.

    The keyword is optional (None is its default), so removing it draws the plot with the
    library's default; every call given the same value goes the same way.
    """
    optional = (
        failure_readers.optional_setting(failure.message) if failure.error_type == "ValueError" else None
    )
    name = optional or _short_extent(failure)
    if name is None:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and any(k.arg == name for k in n.keywords)
    ]
    values = {
        ast.unparse(k.value)
        for c in failure.on_line(calls)
        if isinstance(c, ast.Call)
        for k in c.keywords
        if k.arg == name
    }
    edits = [
        (
            c,
            ast.unparse(
                ast.Call(
                    func=c.func,
                    args=c.args,
                    keywords=[
                        k for k in c.keywords if not (k.arg == name and ast.unparse(k.value) in values)
                    ],
                )
            ),
        )
        for c in calls
        if isinstance(c, ast.Call)
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            f"{name}={' / '.join(sorted(values))} is not a form {name} takes; "
            f"removed it (the default is used)",
        )
        if edits and values
        else None
    )


def positional_collision(failure: Failure) -> Patch | None:
    """``scatter(x, y, z, s=100)``: a third position is ``s``; positions from the keyword's on are dropped.

    The model passes a value by position that the callee reads as a parameter it also
    gives by name (a z for a 2-D scatter). The named one is kept, as written on purpose;
    the positional values from that parameter's place on have no parameter left.
    """
    name = failure_readers.repeated_argument(failure.message) if failure.error_type == "TypeError" else None
    if not name:
        return None
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute | ast.Name)
        and any(k.arg == name for k in n.keywords)
    ]
    edits = []
    for call in failure.on_line(calls) if calls else []:
        assert isinstance(call, ast.Call)
        func = call.func
        target = (
            callee(func, failure.namespace)
            if isinstance(func, ast.Name)
            else getattr(live_object(func.value, failure.namespace), func.attr, None)
            if isinstance(func, ast.Attribute)
            else None
        )
        parameters = parameter_names(target) if callable(target) else []
        if name in parameters and len(call.args) > parameters.index(name):
            kept = call.args[: parameters.index(name)]
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=kept, keywords=call.keywords))))
    return (
        Patch(
            replaced(failure.code, edits),
            f"a value given by position landed on {name!r}, which the call also "
            f"names; dropped the positional value(s) from there on",
        )
        if edits
        else None
    )


def conflicting_keywords(failure: Failure) -> Patch | None:
    """``Either colors or cmap must be None``: both were given; the second the library names goes.

    matplotlib names the explicit setting first (``colors='k'``: black contour lines,
    which the request usually says) and the fallback second (``cmap``).
    """
    pair = failure_readers.either_none(failure.message) if failure.error_type == "ValueError" else None
    if not pair:
        return None
    first, second = pair
    calls = [
        n
        for n in ast.walk(failure.tree)
        if isinstance(n, ast.Call) and {first, second} <= {k.arg for k in n.keywords}
    ]
    callees = {callee_key(c.func) for c in failure.on_line(calls) if isinstance(c, ast.Call)}
    edits = [
        (
            c,
            ast.unparse(
                ast.Call(func=c.func, args=c.args, keywords=[k for k in c.keywords if k.arg != second])
            ),
        )
        for c in calls
        if isinstance(c, ast.Call) and callee_key(c.func) in callees
    ]
    return (
        Patch(
            replaced(failure.code, edits),
            f"{first}= and {second}= cannot be given together; kept {first}=, removed {second}=",
        )
        if edits
        else None
    )


def data_given_as_a_stray_keyword(failure: Failure) -> Patch | None:
    """``plt.hist(y='y', bins=24)``: the data argument is missing
    and a keyword the callee does not take names a column.

    The model wrote seaborn's way (a column name per axis) to a matplotlib function that
    takes the values first; the one frame with that column gives them (``plt.hist(df['y'], bins=24)``).
    """
    match = failure.error
    if not isinstance(match, MissingArgument) or match.count != 1 or not match.positional:
        return None
    missing = failure_readers.sole_missing(match.missing)
    if not missing:
        return None
    for call in failure.on_line(calls_in(failure.tree)):
        if (
            not isinstance(call, ast.Call)
            or call.args
            or getattr(call.func, "attr", getattr(call.func, "id", None)) != match.function
        ):
            continue
        parameters = callee_parameters(call.func, failure.namespace)
        stray = [
            k
            for k in call.keywords
            if k.arg
            and k.arg not in parameters
            and isinstance(k.value, ast.Constant)
            and isinstance(k.value.value, str)
        ]
        frames = [
            name
            for name, frame in failure.frames.items()
            if len(stray) == 1 and stray[0].value.value in {str(c) for c in getattr(frame, "columns", [])}
        ]
        if not parameters or len(frames) != 1:
            continue
        column = stray[0].value.value
        values = ast.parse(f"{frames[0]}[{column!r}]", mode="eval").body
        fixed = ast.Call(
            func=call.func, args=[values], keywords=[k for k in call.keywords if k is not stray[0]]
        )
        return Patch(
            replaced(failure.code, [(call, ast.unparse(fixed))]),
            f"{match.function}() takes its data as {missing!r}, not {stray[0].arg}={column!r}; "
            f"passed {frames[0]}[{column!r}]",
        )
    return None
