"""Styling calls to methods the object does not have: ``fig.update_colorscale(...)``, ``fig.add_legend()``.

The 0.5B invents a styling method, is told it does not exist, and resubmits the call
(or rewrites the whole program and breaks something else). When the name is nothing
like a real one (a slip is ``misspelt_attribute``'s) and the call only styles the
figure (its result unused, its name about labels, legends, colours, layout), removing
the statement keeps the figure the program draws; the note says what was dropped.

Names of styles that do not exist take the closest real one: a matplotlib style sheet
(``seaborn-whitegrid``), a marker named in words (``'triangle'``), a patch style
(``connectionstyle='fancy'``), an rc key.
"""

from __future__ import annotations

import ast
import difflib
import re

from .. import failure_readers
from ..failures import BadRcKey, NoAttribute, UnknownStyle
from .ast_tools import calls_in, module_name
from .edit import Failure, Patch, live_object, replaced

#: Method names that style a figure (or make it interactive) rather than draw its data.
_STYLING = re.compile(
    r"^(set_|update_|show|legend|add_legend|grid|tight|style|format)"
    r"|label|title|tick|legend|grid|colou?r|style|font|layout|theme|background|spine|border"
    r"|event|listener|hover|callback|cursor|interactive|tooltip",
    re.I,
)  # interaction: a static figure has none


def _statement_calls(tree: ast.AST) -> list[tuple[ast.stmt, ast.Call, ast.Attribute]]:
    """Every statement that is only a method call, with its call and the called attribute."""
    return [
        (s, s.value, s.value.func)
        for s in ast.walk(tree)
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute)
    ]


_Statements = list[tuple[ast.stmt, ast.Call, ast.Attribute]]


def missing_styling_call(failure: Failure) -> Patch | None:
    """Each statement that styles through a name the error says is missing is removed.

    Three forms: the styling method itself is missing (``fig.update_colorscale(...)``), the
    object it is called on was invented (``plt.yaxis2.set_label(...)``: every statement
    styling ``plt.yaxis2`` goes, since none of them can run), or its text reads an invented
    attribute (``ax.set_title('Plot ' + str(ax.number + 1))``).
    """
    missing = failure.error
    if not isinstance(missing, NoAttribute):
        return None
    owner, wrong = missing.owner, missing.attribute
    statements = _statement_calls(failure.tree)
    if _STYLING.search(wrong) and missing.of_module:  # ``plt.set_line_width(2)``: found nowhere else
        edits = _module_calls(failure, statements, owner, wrong)
        what = f"{owner} has no function {wrong!r} and none is close"
    elif _STYLING.search(wrong):
        edits = _method_calls(failure, statements, owner, wrong)
        what = f"{owner} has no method {wrong!r} and none is close"
    else:
        edits = _styling_of_invented(failure, statements, wrong)
        what = f"{owner} has no {wrong!r} to style"
        if not edits:  # ``ax.set_title('Plot ' + str(ax.number))``: a label built from an invented attribute
            edits = _labels_reading(failure, statements, owner, wrong)
            what = f"{owner} has no {wrong!r} to label with"
    calls = ", ".join(
        dict.fromkeys(
            f"{ast.unparse(s.value.func)}()"
            for s in edits
            if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
        )
    )
    count = "s" if len(edits) > 1 else ""
    return (
        Patch(
            replaced(failure.code, [], edits),
            f"{what}; removed the styling call{count} {calls} (the "
            f"figure is drawn without {'them' if count else 'it'})",
        )
        if edits
        else None
    )


def _module_calls(failure: Failure, statements: _Statements, owner: str, wrong: str) -> list[ast.stmt]:
    """The statements calling ``wrong`` of the module ``owner``."""
    return [
        statement
        for statement, _, func in statements
        if func.attr == wrong and module_name(func.value, failure.namespace) == owner
    ]


def _method_calls(failure: Failure, statements: _Statements, owner: str, wrong: str) -> list[ast.stmt]:
    """The statements calling ``wrong`` of an ``owner`` object (or, on the failing line, of one not read)."""
    edits = []
    for statement, _, func in statements:
        live = live_object(func.value, failure.namespace)  # None for ``plt.gca().xaxis``: not evaluated
        if func.attr == wrong and (
            type(live).__name__ == owner or (live is None and failure.covers(statement))
        ):
            edits.append(statement)
    return edits


def _styling_of_invented(failure: Failure, statements: _Statements, wrong: str) -> list[ast.stmt]:
    """Every statement styling the invented object the failing line styles (``plt.yaxis2.set_label``)."""
    invented = {
        ast.unparse(func.value)
        for statement, _, func in statements
        if failure.covers(statement)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == wrong
        and _STYLING.search(func.attr)
    }
    return [
        statement
        for statement, _, func in statements
        if ast.unparse(func.value) in invented and _STYLING.search(func.attr)
    ]


def _labels_reading(failure: Failure, statements: _Statements, owner: str, wrong: str) -> list[ast.stmt]:
    """The styling statements whose arguments read the invented attribute ``wrong`` (of an ``owner``)."""
    edits = []
    for statement, call, func in statements:
        read = [
            n
            for arg in (*call.args, *(k.value for k in call.keywords))
            for n in ast.walk(arg)
            if isinstance(n, ast.Attribute) and n.attr == wrong
        ]
        if (
            read
            and _STYLING.search(func.attr)
            and (
                failure.covers(statement)
                or any(type(live_object(n.value, failure.namespace)).__name__ == owner for n in read)
            )
        ):
            edits.append(statement)
    return edits


#: The keyword each matplotlib patch-style family is given by, and where its names live.
_STYLE_FAMILIES = {"connectionstyle": "ConnectionStyle", "arrowstyle": "ArrowStyle", "boxstyle": "BoxStyle"}


def unknown_patch_style(failure: Failure) -> Patch | None:
    """``connectionstyle='fancy'`` (``Unknown style: 'fancy'``): the family's closest name, else the default.

    The error does not say which family refused the name; the keyword it was given to
    does, and the family lists its names (``ConnectionStyle.get_styles()``). With no name
    close, the keyword goes and the library's default style is drawn.
    """
    import matplotlib.patches as mpatches

    named = failure_readers.unknown_patch_style(failure.message)
    if failure.error_type != "ValueError" or named is None:
        return None
    wrong = named.split(",")[0].strip()  # boxstyle's message adds its settings: 'rounded,pad=0.30'
    edits: list[tuple[ast.AST, str]] = []
    notes: dict[str, str] = {}
    for call in calls_in(failure.tree):
        keywords = [
            k
            for k in call.keywords
            if k.arg in _STYLE_FAMILIES
            and isinstance(k.value, ast.Constant)
            and str(k.value.value).split(",")[0].strip() == wrong
        ]
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
                notes[keyword.arg] = (
                    f"{keyword.arg}={wrong!r} does not exist (its styles: {', '.join(names)}); removed it"
                )
    return Patch(replaced(failure.code, edits), "; ".join(notes.values())) if edits else None


def _rc_dicts(tree: ast.AST, wrong: str) -> list[ast.Dict]:
    """Dicts of rc settings: given as ``rc=``, to ``rcParams.update`` / ``rc_context`` /
    ``style``, or holding ``wrong``."""
    found: list[ast.Dict] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            given = [k.value for k in node.keywords if k.arg == "rc"]
            if re.search(r"rcParams\.update$|rc_context$|style\.(use|context)$", callee):
                given += node.args
            found += [d for d in given if isinstance(d, ast.Dict)]
        elif isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value == wrong for k in node.keys
        ):
            found.append(node)
    return list({id(d): d for d in found}.values())


def unknown_rc_key(failure: Failure) -> Patch | None:
    """``sns.set(rc={'xticklabels.size': 12})``: every rc key matplotlib does not have, renamed or dropped.

    matplotlib refuses one key per error, and the 0.5B invents several at once and
    resubmits them; so every string key of the program's rc dicts and ``rcParams[...]``
    is checked against the real keys. One a slip away (``xticklabels.size`` ->
    ``xtick.labelsize``) is renamed; any other goes: an rc setting only styles, and
    matplotlib's own nearest guesses can change the meaning (``title.fontsize`` ->
    ``legend.fontsize``).
    """
    if not isinstance(failure.error, BadRcKey):
        return None
    notes: dict[str, str] = {}
    edits = _rc_dict_edits(failure, failure.error.key, notes)
    param_edits, removed = _rc_param_edits(failure, notes)
    edits += param_edits
    if not edits and not removed:
        return None
    return Patch(
        replaced(failure.code, edits, removed),
        "matplotlib has no such rc setting: "
        + "; ".join(notes.values())
        + " (a removed setting only styled the figure)",
    )


def _real_rc_key(key: str) -> str | None:
    """The real rc key a slip away from ``key``, if one is."""
    import matplotlib as mpl

    close = difflib.get_close_matches(key, list(mpl.rcParams.keys()), n=1, cutoff=0.85)
    return close[0] if close else None


def _rc_dict_edits(failure: Failure, refused: str, notes: dict[str, str]) -> list[tuple[ast.AST, str]]:
    """Each rc dict of the program (``_rc_dicts``, ``refused`` among them) rewritten without, or with
    the real name of, every key matplotlib lacks."""
    import matplotlib as mpl

    edits: list[tuple[ast.AST, str]] = []
    for rc in _rc_dicts(failure.tree, refused):
        entries: list[str] = []
        changed = False
        for key, value in zip(rc.keys, rc.values, strict=True):
            if (
                not (isinstance(key, ast.Constant) and isinstance(key.value, str))
                or key.value in mpl.rcParams
            ):
                entries.append(
                    f"**{ast.unparse(value)}" if key is None else f"{ast.unparse(key)}: {ast.unparse(value)}"
                )
                continue
            new, changed = _real_rc_key(key.value), True
            notes[key.value] = f"{key.value!r} -> {new!r}" if new else f"{key.value!r} removed"
            if new:
                entries.append(f"{new!r}: {ast.unparse(value)}")
        if changed:
            edits.append((rc, "{" + ", ".join(entries) + "}"))
    return edits


def _rc_param_edits(
    failure: Failure, notes: dict[str, str]
) -> tuple[list[tuple[ast.AST, str]], list[ast.stmt]]:
    """``rcParams['wrong'] = ...``: the key renamed where one is a slip away, else the statement removed."""
    import matplotlib as mpl

    edits: list[tuple[ast.AST, str]] = []
    removed: list[ast.stmt] = []
    for statement in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Assign | ast.AugAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            if (
                isinstance(target, ast.Subscript)
                and ast.unparse(target.value).endswith("rcParams")
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
                and target.slice.value not in mpl.rcParams
            ):
                wrong, new = target.slice.value, _real_rc_key(target.slice.value)
                notes[wrong] = f"{wrong!r} -> {new!r}" if new else f"{wrong!r} removed"
                if new:
                    edits.append((target.slice, repr(new)))
                else:
                    removed.append(statement)
    return edits, removed


def closest_style(failure: Failure) -> Patch | None:
    """A style name that does not exist, close to one that does (``seaborn-whitegrid``), or the last part
    of one (``'white'``, seaborn's own name, is matplotlib's ``'seaborn-v0_8-white'``)."""
    if not isinstance(failure.error, UnknownStyle):
        return None
    import matplotlib.pyplot as plt

    name = failure.error.name
    close = difflib.get_close_matches(name, plt.style.available, n=1, cutoff=0.75) or sorted(
        s for s in plt.style.available if s.endswith(f"-{name}")
    )
    nodes = _style_names(failure.tree, name) if close else []
    return (
        Patch(
            replaced(failure.code, [(n, repr(close[0])) for n in nodes]),
            f"style {name!r} does not exist; used {close[0]!r}",
        )
        if nodes
        else None
    )


def _style_names(tree: ast.Module, name: str) -> list[ast.Constant]:
    """The ``name`` strings that name a style: those given to ``style.use``/``style.context``, else
    those no other call takes (``style = 'white'`` then ``use(style)``); ``set_facecolor('white')``
    keeps its colour."""

    def constants(node: ast.AST) -> list[ast.Constant]:
        return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value == name]

    styled, elsewhere = [], set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        found = [c for arg in (*call.args, *(k.value for k in call.keywords)) for c in constants(arg)]
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("use", "context"):
            styled += found
        else:
            elsewhere.update(id(c) for c in found)
    return styled or [c for c in constants(tree) if id(c) not in elsewhere]


def _marker_code(name: str) -> str | None:
    """matplotlib's code for a marker named in words (``'triangle'`` -> ``'^'``), if one is close."""
    from matplotlib.markers import MarkerStyle

    codes = {v: k for k, v in MarkerStyle.markers.items() if isinstance(k, str) and v != "nothing"}
    close = difflib.get_close_matches(name.lower(), list(codes), n=1, cutoff=0.6)
    return codes[close[0]] if close else None


def closest_marker(failure: Failure) -> Patch | None:
    """``marker='triangle'``: every marker the program names in words becomes matplotlib's code for it."""
    from matplotlib.markers import MarkerStyle

    if failure.error_type != "ValueError" or "Unrecognized marker style" not in failure.message:
        return None
    edits, notes = [], {}
    for keyword in (k for n in ast.walk(failure.tree) if isinstance(n, ast.Call) for k in n.keywords):
        value = keyword.value
        if keyword.arg != "marker" or not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        try:
            MarkerStyle(value.value)
            continue
        except ValueError:
            code = _marker_code(value.value)
        if code is not None:
            edits.append((value, repr(code)))
            notes[value.value] = code
    return (
        Patch(
            replaced(failure.code, edits),
            "markers named in words: " + ", ".join(f"{k!r} -> {v!r}" for k, v in notes.items()),
        )
        if edits
        else None
    )
