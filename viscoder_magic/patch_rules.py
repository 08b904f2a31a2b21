"""The rules of the patch step, one per error class whose message names its own fix.

Each rule reads the failing program, the error and the live objects of the run
(``Failure``) and returns an edited program with a note, or None. Rules edit only the
offending node (``replaced``); which rule applies is decided in ``patch.patched``.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from .patch_3d import projection_of_subplots, three_d_axes
from .patch_axes_grid import flat_loop, grids, grown_grid, row_indexed_by_two, single_axes
from .patch_colours import colour_from_data
from .patch_data import (
    absent_style_column,
    channels_first_image,
    column_names_as_data,
    gridded_column,
    image_of_a_labelled_table,
    image_of_a_vector,
    negative_sizes,
    one_item_per_row,
    scalar_x,
    scalar_y,
    scattered_contour,
    seaborn_without_data,
    stacked_reshape,
    text_bins,
)
from .patch_edit import Failure, Patch, live_object, replaced
from .patch_imports import wrong_import
from .patch_keywords import (
    conflicting_keywords,
    data_given_as_a_stray_keyword,
    drop_keyword,
    malformed_optional,
    module_name,
    per_point_line_settings,
    positional_collision,
    reference_lines_at_many,
    repeated_keyword,
    siblings,
)
from .patch_long_form import columns_on_both_axes, lines_per_category, long_form
from .patch_panels import (
    figure_as_trace,
    grid_for_cells,
    one_based_cells,
    plotly_panels,
    trace_cells,
    traces_assigned,
)
from .patch_styling import missing_styling_call, unknown_patch_style, unknown_rc_key
from .repair import (
    NO_ATTR,
    PLOTLY_NO_COLUMN,
    STYLE,
    axes_attributes,
    axes_methods,
    elsewhere_in_library,
    missing_keys,
)


def _missing_module_attribute(failure: Failure) -> tuple[str, str] | None:
    """(module, attribute) of "module 'matplotlib.pyplot' has no attribute 'yaxis'"."""
    match = NO_ATTR.search(failure.message)
    if failure.error_type != "AttributeError" or not match or not failure.message.startswith("module "):
        return None
    return match.group(1), match.group(2)


def _module_attributes(failure: Failure, module: str, attribute: str) -> list[ast.Attribute]:
    """Every ``alias.attribute`` in the program whose alias is bound to ``module``."""
    return [n for n in ast.walk(failure.tree) if isinstance(n, ast.Attribute) and n.attr == attribute
            and module_name(n.value, failure.namespace) == module]


def _axes_from_pyplot(failure: Failure) -> Patch | None:
    """``module 'matplotlib.pyplot' has no attribute 'yaxis'``: an Axes has it, so ask ``plt.gca()``.

    An attribute that is an object on the Axes (``yaxis``) but is called like a function
    (``plt.yaxis(label='y')``) cannot be reached that way: such statements only style, so they go.
    """
    missing = _missing_module_attribute(failure)
    if not missing or missing[0] != "matplotlib.pyplot" or missing[1] not in axes_attributes():
        return None
    module, attribute = missing
    uses = _module_attributes(failure, module, attribute)
    called = {id(s.value.func): s for s in ast.walk(failure.tree) if isinstance(s, ast.Expr)
              and isinstance(s.value, ast.Call)} if attribute not in axes_methods() else {}
    edits = [(called[id(n)], f"pass  # removed: {ast.unparse(n)} is not a function") if id(n) in called
             else (n, f"{ast.unparse(n.value)}.gca().{attribute}") for n in uses]
    if not edits:
        return None
    dropped = sum(id(n) in called for n in uses)
    note = (f"pyplot has no {attribute!r}; used the current Axes' (plt.gca().{attribute})" if not dropped else
            f"pyplot has no {attribute!r}, and an Axes' {attribute} is an object, not a function; removed "
            f"{dropped} call{'s' if dropped > 1 else ''} of it (they only styled the figure)")
    return Patch(replaced(failure.code, edits), note)


def _elsewhere_in_library(failure: Failure) -> Patch | None:
    """``px.subplots``: the library has one function of that name elsewhere (``plotly.subplots.make_subplots``)."""
    import sys

    missing = _missing_module_attribute(failure)
    module = sys.modules.get(missing[0]) if missing else None
    found = elsewhere_in_library(module, missing[1]) if missing and module is not None else []
    if not missing or len(found) != 1:
        return None
    where, _, name = found[0].rpartition(".")
    nodes = _module_attributes(failure, *missing)
    if not nodes or name in failure.namespace:
        return None
    code = replaced(failure.code, [(n, name) for n in nodes])
    return Patch(f"from {where} import {name}\n{code}", f"{missing[0]} has no {missing[1]}; used {found[0]}")


def _pandas_value(node: ast.AST, namespace: Mapping[str, Any]) -> bool:
    """Whether ``node`` is a name or ``frame['column']`` holding a pandas object (read, not run)."""
    import pandas as pd

    if isinstance(node, ast.Name):
        return isinstance(namespace.get(node.id), (pd.Series, pd.DataFrame))
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and isinstance(node.slice, ast.Constant):
        frame = namespace.get(node.value.id)
        return isinstance(frame, pd.DataFrame) and node.slice.value in frame.columns
    return False


def _pandas_to_numpy(failure: Failure) -> Patch | None:
    """``'Series' object has no attribute 'reshape'``: an ndarray has it, so convert with ``.to_numpy()``."""
    import numpy as np

    match = NO_ATTR.search(failure.message)
    if failure.error_type != "AttributeError" or not match or match.group(1) not in ("Series", "DataFrame"):
        return None
    attribute = match.group(2)
    if not hasattr(np.ndarray, attribute):
        return None
    nodes = [n for n in ast.walk(failure.tree)
             if isinstance(n, ast.Attribute) and n.attr == attribute and _pandas_value(n.value, failure.namespace)]
    edits = [(n, f"{ast.unparse(n.value)}.to_numpy().{attribute}") for n in nodes  # a Series never has it
             if isinstance(n, ast.Attribute)]
    return Patch(replaced(failure.code, edits), f"{match.group(1)} has no {attribute!r} but a NumPy array "
                 "does; converted with .to_numpy() first") if edits else None


def _is_axes(node: ast.AST, namespace: Mapping[str, Any]) -> bool:
    from matplotlib.axes import Axes

    return isinstance(live_object(node, namespace), Axes)


def _pyplot_name(namespace: Mapping[str, Any]) -> str | None:
    """The name the program bound ``matplotlib.pyplot`` to (``plt`` as a rule)."""
    return next((name for name, value in namespace.items()
                 if getattr(value, "__name__", None) == "matplotlib.pyplot"), None)


def _axes_method(failure: Failure) -> Patch | None:
    """pyplot's verbs asked of an Axes: ``ax.xlabel`` -> ``ax.set_xlabel``, ``ax.colorbar`` -> ``plt.colorbar``.

    Also ``ax.title('...')``, which fails as "'Text' object is not callable" because an
    Axes' ``title`` is its title artist.
    """
    from matplotlib.axes import Axes

    attribute = ""
    if failure.error_type == "AttributeError" and (match := NO_ATTR.search(failure.message)) \
            and match.group(1) in ("Axes", "AxesSubplot"):
        attribute = match.group(2)
        nodes = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Attribute) and n.attr == attribute
                 and _is_axes(n.value, failure.namespace)]
    elif failure.error_type == "TypeError" and "object is not callable" in failure.message:
        calls = [n.func for n in ast.walk(failure.tree) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Attribute) and _is_axes(n.func.value, failure.namespace)
                 and hasattr(Axes, f"set_{n.func.attr}") and not callable(getattr(Axes, n.func.attr, None))]
        nodes = failure.on_line(calls)
        attribute = nodes[0].attr if nodes and isinstance(nodes[0], ast.Attribute) else ""
        nodes = [n for n in nodes if isinstance(n, ast.Attribute) and n.attr == attribute]
    if not attribute or not nodes:
        return None
    if hasattr(Axes, f"set_{attribute}"):
        edits = [(n, f"{ast.unparse(n.value)}.set_{attribute}") for n in nodes if isinstance(n, ast.Attribute)]
        return Patch(replaced(failure.code, edits), f"an Axes sets its {attribute} with set_{attribute}")
    pyplot = _pyplot_name(failure.namespace)
    if pyplot and attribute == "colorbar":
        return _axes_colorbar(failure, pyplot, nodes)
    if pyplot and callable(getattr(failure.namespace[pyplot], attribute, None)):
        edits = [(n, f"{pyplot}.{attribute}") for n in nodes]
        return Patch(replaced(failure.code, edits), f"an Axes has no {attribute}; used {pyplot}.{attribute}, "
                     "which acts on the current Axes")
    return None


_COLORBAR_KEYWORDS = {"label", "orientation", "shrink", "pad", "fraction", "aspect", "location", "ticks", "format",
                      "extend", "spacing", "drawedges", "cax"}


def _axes_colorbar(failure: Failure, pyplot: str, nodes: list[ast.AST]) -> Patch | None:
    """``ax.colorbar(...)``: ``plt.colorbar`` of what ``ax`` drew, placed by ``ax``.

    ``plt.colorbar()`` alone looks for pyplot's current image, which the Axes methods
    (``ax.imshow``) never set; naming the Axes' own last image or collection works for both.
    Only the arguments ``colorbar`` takes are kept (the model passes ``cmap``, data, ...).
    """
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable

    loaded = {n.id for n in ast.walk(failure.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    holders = {id(s.value): s for s in ast.walk(failure.tree) if isinstance(s, ast.Expr | ast.Assign)
               and not (isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id in loaded for t in s.targets))}
    edits, dropped, empty = [], set(), []
    for call in (n for n in ast.walk(failure.tree) if isinstance(n, ast.Call) and n.func in nodes):
        assert isinstance(call.func, ast.Attribute)
        axes = ast.unparse(call.func.value)
        live = live_object(call.func.value, failure.namespace)
        figure = live.get_figure() if isinstance(live, Axes) else None
        if figure is not None and id(call) in holders and not any(  # the figure drew nothing a colorbar can describe
                a.images or any(c.get_array() is not None for c in a.collections) for a in figure.axes):
            edits.append((holders[id(call)], "pass"))
            empty.append(axes)
            continue
        given = [a for a in call.args if isinstance(live_object(a, failure.namespace), ScalarMappable)]
        mappable = ast.unparse(given[0]) if given else _drawn_mappable(call.func.value, failure.namespace)
        kept = [k for k in call.keywords if k.arg in _COLORBAR_KEYWORDS]
        dropped |= {k.arg or "**" for k in call.keywords if k not in kept} | ({"positional data"} if
                                                                               len(call.args) > len(given) else set())
        arguments = ", ".join([mappable, f"ax={axes}", *(ast.unparse(k) for k in kept)])
        edits.append((call, f"{pyplot}.colorbar({arguments})"))
    if not edits:
        return None
    gone = f"removed the colorbar of {', '.join(empty)}: the figure drew nothing colour-mapped" if empty else ""
    if len(empty) == len(edits):
        return Patch(replaced(failure.code, edits), f"an Axes has no colorbar; {gone}")
    return Patch(replaced(failure.code, edits), "an Axes has no colorbar; used plt.colorbar of what that Axes drew"
                 + (f" (dropped {', '.join(sorted(dropped))}, which colorbar does not take)" if dropped else "")
                 + (f"; {gone}" if gone else ""))


def unmapped_colorbar(failure: Failure) -> Patch | None:
    """``plt.colorbar()`` with nothing colour-mapped drawn: show what an Axes did map, else drop the call.

    A colorbar describes an image or a collection with ``c=`` values. When the run drew
    one on an Axes the program holds, the colorbar is given it; when it drew none, the
    colorbar has nothing to show and the statement goes (the note says so).
    """
    from matplotlib.axes import Axes

    if failure.error_type != "RuntimeError" or "No mappable was found" not in failure.message:
        return None
    pyplot = _pyplot_name(failure.namespace)
    calls = [n for n in failure.on_line([c for c in ast.walk(failure.tree) if isinstance(c, ast.Call)])
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "colorbar"
             and not n.args and not any(k.arg == "mappable" for k in n.keywords)]
    if not calls or not pyplot:
        return None
    mapped = [name for name, value in failure.namespace.items() if isinstance(value, Axes) and not name.startswith("_")
              and (value.images or any(c.get_array() is not None for c in value.collections))]
    if mapped:
        axes = mapped[-1]
        mappable = _drawn_mappable(ast.Name(axes), failure.namespace)
        edits = [(c, f"{pyplot}.colorbar({', '.join([mappable, f'ax={axes}', *map(ast.unparse, c.keywords)])})")
                 for c in calls if isinstance(c, ast.Call)]
        return Patch(replaced(failure.code, edits), f"plt.colorbar() had no current image; used what {axes} drew")
    statements = [s for s in ast.walk(failure.tree) if isinstance(s, ast.Expr) and s.value in calls]
    if len(statements) != len(calls):
        return None  # the colorbar is kept in a name the program uses later: the model decides
    return Patch(replaced(failure.code, [(s, "pass") for s in statements]),
                 "the colorbar had nothing colour-mapped to describe (no image, no c= values); removed it")


def _drawn_mappable(axes: ast.AST, namespace: Mapping[str, Any]) -> str:
    """Source text for the image or collection a colorbar should show, read from what the run drew.

    The Axes' own last one; else a mappable the program named (``im = ...``); else the
    last one drawn on another panel of a grid; else the Axes' own, looked up when it runs.
    """
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable

    text, live = ast.unparse(axes), live_object(axes, namespace)
    for kind in ("images", "collections"):
        if isinstance(live, Axes) and getattr(live, kind):
            return f"{text}.{kind}[-1]"
    named = [name for name, value in namespace.items() if isinstance(value, ScalarMappable) and not name.startswith("_")]
    if named:
        return named[-1]
    for name, grid in grids(namespace).items():
        for index, panel in reversed(list(np.ndenumerate(grid))):
            if panel.images:
                return f"{name}[{', '.join(map(str, index))}].images[-1]"
    return f"({text}.images or {text}.collections)[-1]"


def _sibling_module(failure: Failure) -> Patch | None:
    """``plt.lineplot``: a function of another plotting module the program imported (here ``sns``)."""
    missing = _missing_module_attribute(failure)
    others = siblings(failure, *missing) if missing else []
    if not missing or not others:
        return None
    module, attribute = missing
    edits = [(n, f"{others[0]}.{attribute}") for n in _module_attributes(failure, module, attribute)]
    return Patch(replaced(failure.code, edits), f"{module} has no {attribute}; used {others[0]}.{attribute} "
                 f"({failure.namespace[others[0]].__name__})") if edits else None


_DID_YOU_MEAN = re.compile(r"[Dd]id you mean[^?]*?\b([A-Za-z_]\w*)\(\)|[Dd]id you mean:? '([A-Za-z_]\w*)'")


def _suggested_name(failure: Failure) -> Patch | None:
    """The library's own suggestion: "... Did you mean to set the axis label via set_label_text()?".

    The called name on the failing line closest to the suggested one is renamed to it.
    """
    match = _DID_YOU_MEAN.search(failure.message)
    if not match:
        return None
    suggested = match.group(1) or match.group(2)
    called = [n for n in failure.on_line([c for c in ast.walk(failure.tree) if isinstance(c, ast.Call)])
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr != suggested]
    names = [n.func.attr for n in called if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    close = difflib.get_close_matches(suggested, names, n=1, cutoff=0.5)
    if not close:
        return None
    edits = [(n.func, f"{ast.unparse(n.func.value)}.{suggested}") for n in called
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == close[0]]
    return Patch(replaced(failure.code, edits), f"the error suggests {suggested}() for {close[0]}(); used it")


def _misspelt_attribute(failure: Failure) -> Patch | None:
    """``ax.set_xlable``: the live object has one attribute a slip away (``set_xlabel``); use it everywhere.

    Python 3.11 computes its own "Did you mean" only when printing a traceback, so the
    message the loop reads lacks it; the object itself is asked instead.
    """
    match = NO_ATTR.search(failure.message)
    if failure.error_type != "AttributeError" or not match or failure.message.startswith("module "):
        return None
    wrong = match.group(2)
    nodes = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Attribute) and n.attr == wrong]
    given = {id(c.func) for c in ast.walk(failure.tree) if isinstance(c, ast.Call) and (c.args or c.keywords)}
    for node in failure.on_line(nodes) if nodes else []:
        assert isinstance(node, ast.Attribute)
        live = live_object(node.value, failure.namespace)
        if live is None or type(live).__name__ != match.group(1):
            continue
        # ``ax.yaxis.tick_params(labelsize=8)``: a value given to a name the object only has a setter for
        setter = [f"set_{wrong}"] if id(node) in given and callable(getattr(live, f"set_{wrong}", None)) else []
        close = setter or difflib.get_close_matches(wrong, [a for a in dir(live) if not a.startswith("_")], n=1,
                                                    cutoff=0.85)
        if close:
            edits = [(n, f"{ast.unparse(n.value)}.{close[0]}") for n in nodes if isinstance(n, ast.Attribute)]
            return Patch(replaced(failure.code, edits), f"{match.group(1)} has no {wrong!r}; used {close[0]!r}")
    return None


def _renamed_constant(failure: Failure, old: str, new: str, note: str) -> Patch | None:
    nodes = [n for n in ast.walk(failure.tree) if isinstance(n, ast.Constant) and n.value == old]
    return Patch(replaced(failure.code, [(n, repr(new)) for n in nodes]), note) if nodes else None


def _closest_style(failure: Failure) -> Patch | None:
    """A style name that does not exist, close to one that does (``seaborn-whitegrid``), or the last part of one
    (``'white'``, seaborn's own name, is matplotlib's ``'seaborn-v0_8-white'``)."""
    match = STYLE.search(failure.message)
    if failure.error_type not in ("OSError", "ValueError") or not match:
        return None
    import matplotlib.pyplot as plt

    name = match.group(1)
    close = difflib.get_close_matches(name, plt.style.available, n=1, cutoff=0.75) \
        or sorted(s for s in plt.style.available if s.endswith(f"-{name}"))
    nodes = _style_names(failure.tree, name) if close else []
    return Patch(replaced(failure.code, [(n, repr(close[0])) for n in nodes]),
                 f"style {name!r} does not exist; used {close[0]!r}") if nodes else None


def _style_names(tree: ast.Module, name: str) -> list[ast.Constant]:
    """The ``name`` strings that name a style: those given to ``style.use``/``style.context``, else those
    no other call takes (``style = 'white'`` then ``use(style)``); ``set_facecolor('white')`` keeps its colour."""
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
    return Patch(replaced(failure.code, edits), "markers named in words: " + ", ".join(
        f"{k!r} -> {v!r}" for k, v in notes.items())) if edits else None


def closest_column(failure: Failure) -> Patch | None:
    """A KeyError for a column one slip away from a real one (case, underscore, a letter)."""
    if failure.error_type != "KeyError":
        return None
    for key in missing_keys(failure.message):
        for frame in failure.frames.values():
            columns = [str(c) for c in getattr(frame, "columns", [])]
            if not columns or key in columns:
                continue
            same_case = [c for c in columns if c.lower() == key.lower()]
            close = same_case or difflib.get_close_matches(key, columns, n=1, cutoff=0.8)
            if close:
                return _renamed_constant(failure, key, close[0], f"column {key!r} does not exist; used {close[0]!r}")
    return None


_FIGURE_TEXT = {"set_title": "suptitle", "title": "suptitle", "set_xlabel": "supxlabel", "xlabel": "supxlabel",
                "set_ylabel": "supylabel", "ylabel": "supylabel"}


def figure_text(failure: Failure) -> Patch | None:
    """``fig.set_title(...)``: a matplotlib Figure titles and labels itself with ``suptitle`` / ``supxlabel``."""
    from matplotlib.figure import Figure

    match = NO_ATTR.search(failure.message)
    if failure.error_type != "AttributeError" or not match or match.group(2) not in _FIGURE_TEXT:
        return None
    edits = [(n, f"{ast.unparse(n.value)}.{_FIGURE_TEXT[n.attr]}") for n in ast.walk(failure.tree)
             if isinstance(n, ast.Attribute) and n.attr in _FIGURE_TEXT
             and isinstance(live_object(n.value, failure.namespace), Figure)]
    return Patch(replaced(failure.code, edits), "a Figure has no Axes title or labels; used its suptitle / "
                 "supxlabel / supylabel") if edits else None

_CHOICES = (
    re.compile(r"'(?P<got>[^']*)' is not a valid value for \w+\.(?: Supported values are (?P<list>.*)"
               r"| Did you mean: '(?P<mean>[^']*)'\?)?"),
    re.compile(r"must be one of \[(?P<list>[^\]]*)\], but '(?P<got>[^']*)' was passed"),
    re.compile(r"Received value: '(?P<got>[^']*)'\s+The '\w+' property is an enumeration that may be specified as:"
               r"\s+- One of the following enumeration values:\s+\[(?P<list>[^\]]*)\]"),  # plotly
)


def _closest(got: str, choices: list[str]) -> list[str]:
    """The listed value ``got`` means: the same in other case, one a few letters off, or its initial (``'v'`` for
    ``'vertical'``, as plotly abbreviates)."""
    return ([c for c in choices if c.lower() == got.lower()]
            or difflib.get_close_matches(got, choices, n=1, cutoff=0.6)
            or [c for c in choices if len(c) == 1 and got.lower().startswith(c.lower())])


def closest_choice(failure: Failure) -> Patch | None:
    """A setting outside the values the library lists (``errorbar='std'``: one of 'ci', 'pi', 'se', 'sd').

    The closest listed value (``'sd'``, ``'bar'`` for ``'bars'``) replaces it where it is
    given to a call; nothing close enough, and the model decides.
    """
    if failure.error_type != "ValueError":
        return None
    match = next((m for pattern in _CHOICES if (m := pattern.search(failure.message))), None)
    if not match:
        return None
    got = match.group("got")
    listed = match.groupdict().get("list") or ""
    choices = re.findall(r"'([^']*)'", listed) or [c for c in [match.groupdict().get("mean")] if c]
    close = _closest(got, choices)
    if not close:
        return _unlisted_setting_removed(failure, got)
    given = [node for call in ast.walk(failure.tree) if isinstance(call, ast.Call)
             for node in [*call.args, *(k.value for k in call.keywords)]
             if isinstance(node, ast.Constant) and node.value == got]
    return Patch(replaced(failure.code, [(n, repr(close[0])) for n in given]),
                 f"{got!r} is not one of the values the library takes; used {close[0]!r}") if given else None

def _unlisted_setting_removed(failure: Failure, got: str) -> Patch | None:
    """A keyword set to a value the library does not list, and none close (plotly's ``xref='xdata'``): the
    keyword goes, so the library's default applies; a positional value is the model's to change."""
    edits, dropped = [], []
    for call in ast.walk(failure.tree):
        if isinstance(call, ast.Call) and (bad := [k for k in call.keywords if k.arg and isinstance(
                k.value, ast.Constant) and k.value.value == got]):
            edits.append((call, ast.unparse(ast.Call(func=call.func, args=call.args,
                                                     keywords=[k for k in call.keywords if k not in bad]))))
            dropped += [f"{k.arg}={got!r}" for k in bad]
    return Patch(replaced(failure.code, edits), f"{got!r} is not one of the values the library takes, and none "
                 f"is close: removed {', '.join(dict.fromkeys(dropped))} (the default applies)") if edits else None


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
    """``df[0]`` or ``px.scatter(df, x=0)`` on a frame whose columns are the texts ``'0'``, ``'1'``: the text is meant.

    A frame read from a headerless file or built from a dict of strings names its columns
    by text; the model indexes them by number. Every such number used as a column of that
    frame (a subscript, or a keyword of a call given the frame) becomes its text.
    """
    match = PLOTLY_NO_COLUMN.search(failure.message) if failure.error_type == "ValueError" else None
    number = match.group(1).strip() if match else failure.message.strip("'\"") if failure.error_type == "KeyError" else ""
    names = {name for name, frame in failure.frames.items() if number.lstrip("-").isdigit()
             and number in map(str, getattr(frame, "columns", ())) and int(number) not in list(frame.columns)}
    if not names:
        return None
    texts = {str(c) for name in names for c in failure.frames[name].columns if isinstance(c, str)}
    nodes: list[ast.Constant] = []
    for node in ast.walk(failure.tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in names:
            nodes += _numbers_in(node.slice)
        elif isinstance(node, ast.Call) and any(isinstance(a, ast.Name) and a.id in names
                                                for a in [*node.args, *(k.value for k in node.keywords)]):
            nodes += [n for k in node.keywords if k.arg in _COLUMN_KEYWORDS for n in _numbers_in(k.value)]
    edits = [(n, repr(str(n.value))) for n in nodes if str(n.value) in texts]
    return Patch(replaced(failure.code, edits), f"the columns of {', '.join(sorted(names))} are texts ('{number}'), "
                 f"not numbers; {len(edits)} column number{'s' if len(edits) > 1 else ''} became text") if edits else None

def positional_columns(failure: Failure) -> Patch | None:
    """``data[0]`` on a frame with named columns (``KeyError: 0``): the first column is meant, ``data.iloc[:, 0]``.

    Every read of such a frame by column number (or a list of numbers) within its width
    becomes positional; a frame that has the number as a label, or as its text (that is
    ``numbered_columns``'), and an assignment (``df[0] = ...`` makes a column) stay.
    """
    import pandas as pd

    number = failure.message.strip("'\"")
    if failure.error_type != "KeyError" or not number.isdigit():
        return None
    edits: list[tuple[ast.AST, str]] = []
    for node in ast.walk(failure.tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)):
            continue
        frame = live_object(node.value, failure.namespace)
        numbers = _numbers_in(node.slice)
        if (not isinstance(frame, pd.DataFrame) or not numbers
                or len(numbers) != len(getattr(node.slice, "elts", [node.slice]))):
            continue
        labels = set(frame.columns) | set(map(str, frame.columns))
        if all(0 <= n.value < frame.shape[1] and n.value not in labels and str(n.value) not in labels for n in numbers):
            edits.append((node, f"{ast.unparse(node.value)}.iloc[:, {ast.unparse(node.slice)}]"))
    return Patch(replaced(failure.code, edits), f"the frame has no column {number}: its columns have names, so "
                 f"{len(edits)} column number{'s' if len(edits) > 1 else ''} became positions (.iloc)") if edits else None


RULES: tuple[Callable[[Failure], Patch | None], ...] = (
    trace_cells, figure_as_trace, projection_of_subplots, colour_from_data, unknown_rc_key, closest_choice,
    drop_keyword, repeated_keyword, _axes_from_pyplot, three_d_axes, _axes_method, single_axes, _sibling_module,
    _pandas_to_numpy, _closest_style, closest_marker, closest_column, absent_style_column, _suggested_name, _elsewhere_in_library,
    long_form, columns_on_both_axes, lines_per_category, plotly_panels, one_based_cells, flat_loop,
    row_indexed_by_two, grown_grid, stacked_reshape, gridded_column, image_of_a_vector, channels_first_image,
    text_bins, scattered_contour, _misspelt_attribute, wrong_import, unmapped_colorbar, scalar_x, scalar_y,
    column_names_as_data, grid_for_cells, numbered_columns, positional_columns, traces_assigned, figure_text,
    missing_styling_call, unknown_patch_style, negative_sizes, malformed_optional, positional_collision,
    conflicting_keywords, image_of_a_labelled_table, per_point_line_settings, reference_lines_at_many,
    one_item_per_row, seaborn_without_data, data_given_as_a_stray_keyword,
)
