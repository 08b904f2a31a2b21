"""What the first prompt says the figure must have, read from the request's intent.

The loop checks every drawn figure against what the request clearly asks (``mismatch.py``)
and sends a clear difference back as a failure. A small model that is told the same
things up front (the chart kind with the library's call for it, the exact labels of the
columns it must plot, several panels, a log axis, sorted bars) draws what was asked on its
first try more often than one that must learn them from a failed round. The list says only
what ``intent.py`` read with confidence, in the words the repair turn would use, and is
empty (the prompt unchanged) for a request it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from .intent import Intent
from .labels import index_names
from .long_form import long_form

#: Chart kind -> how to draw it, per library. Broad wishes ("a distribution") keep their choice open.
_KIND_CALLS: dict[str, dict[str, str]] = {
    "histogram": {"matplotlib": "plt.hist", "seaborn": "sns.histplot", "plotly": "px.histogram"},
    "bar": {"matplotlib": "plt.bar", "seaborn": "sns.barplot", "plotly": "px.bar"},
    "line": {"matplotlib": "plt.plot", "seaborn": "sns.lineplot", "plotly": "px.line"},
    "scatter": {"matplotlib": "plt.scatter", "seaborn": "sns.scatterplot", "plotly": "px.scatter"},
    "pie": {"matplotlib": "plt.pie", "seaborn": "plt.pie", "plotly": "px.pie"},
    "box": {"matplotlib": "plt.boxplot", "seaborn": "sns.boxplot", "plotly": "px.box"},
    "violin": {"matplotlib": "plt.violinplot", "seaborn": "sns.violinplot", "plotly": "px.violin"},
    "heatmap": {"matplotlib": "plt.imshow", "seaborn": "sns.heatmap", "plotly": "px.imshow"},
    "area": {"matplotlib": "plt.stackplot", "seaborn": "plt.stackplot", "plotly": "px.area"},
    "hexbin": {"matplotlib": "plt.hexbin", "seaborn": "plt.hexbin", "plotly": "px.density_heatmap"},
    "contour": {"matplotlib": "plt.contour", "seaborn": "sns.kdeplot", "plotly": "go.Contour"},
    "3d": {
        "matplotlib": "fig.add_subplot(projection='3d')",
        "seaborn": "fig.add_subplot(projection='3d')",
        "plotly": "px.scatter_3d",
    },
}
_KIND_WORDS = {
    "histogram": "a histogram",
    "bar": "a bar chart",
    "line": "a line chart",
    "scatter": "a scatter plot",
    "pie": "a pie chart",
    "box": "a box plot",
    "violin": "a violin plot",
    "heatmap": "a heatmap",
    "area": "an area chart",
    "hexbin": "a 2-D density (hexbin) plot",
    "contour": "a contour plot",
    "3d": "a 3-D plot",
    "distribution": "the distribution (a histogram, box or violin plot)",
    "trend": "the change over time (a line)",
    "share": "the shares of a whole (a pie or bars)",
}
_PANELS = {
    "matplotlib": "`fig, axes = plt.subplots(rows, cols)`, one Axes each",
    "seaborn": "`fig, axes = plt.subplots(rows, cols)` and `ax=axes[i]`, or a figure-level `col=`",
    "plotly": "`make_subplots(rows=R, cols=C)` and `row=`/`col=`, or `facet_col=`",
}
_LOG = {
    "matplotlib": "ax.set_{axis}scale('log')",
    "seaborn": "ax.set_{axis}scale('log')",
    "plotly": "log_{axis}=True",
}


def checklist(intent: Intent | None, lib: str, frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """The figure's must-haves, one short instruction each; empty when the request asks nothing clear."""
    if intent is None:
        return []
    items = _kinds(intent, lib)
    items += _table_for_heatmap(intent, frames)
    items += _wide_frame(intent, lib, frames)
    if intent.plotted:
        labels = ", ".join(_label(name, frames) for name in intent.plotted)
        items.append(f"plot the data of {labels} (labels exactly as written here)")
    grouped = [g for g in intent.groupings if g not in intent.plotted]
    if grouped:
        items.append(f"show one group (bar, line, box or colour) per value of {_label(grouped[0], frames)}")
    if intent.panels:
        items.append(f"draw several panels, not one: {_PANELS[lib]}")
    for axis in intent.log_axes:
        axes = ("y",) if axis == "any" else (axis,)
        for name in axes:
            items.append(f"put the {name} axis on a log scale (`{_LOG[lib].format(axis=name)}`)")
    if intent.sort:
        order = "" if intent.sort == "sorted" else f" in {intent.sort} order"
        items.append(f"sort the bars by value{order} (sort the data before drawing)")
    return items


def checklist_text(items: list[str]) -> str:
    """The prompt's part that lists ``items``; empty for none, so the prompt stays as it was."""
    if not items:
        return ""
    return "4. Checklist for the figure: " + "; ".join(items) + "."


def _kinds(intent: Intent, lib: str) -> list[str]:
    """The chart kind(s), with the library's call for each precise kind."""
    words = []
    for kind in intent.kinds:
        word = _KIND_WORDS.get(kind)
        if word is None:
            continue
        call = _KIND_CALLS.get(kind, {}).get(lib)
        words.append(f"{word} (`{call}`)" if call else word)
    if not words:
        return []
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return [f"draw {joined}"]


def _label(name: str, frames: Mapping[str, pd.DataFrame]) -> str:
    """A label as a Python literal, said to be the index where it names one and no column."""
    for frame_name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame) or name in frame.columns:
            continue
        if name in index_names(frame):
            return f"{name!r} (the index of `{frame_name}`)"
    return repr(name)


def _table_for_heatmap(intent: Intent, frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """A heatmap draws a 2-D table, which a raw frame is not: say which table, from the live dtypes.

    A correlation heatmap draws the correlation matrix; a heatmap "by A and B" of two label
    columns draws their cross-table (counts, or a mean of the value column the request names).
    """
    if "heatmap" not in intent.kinds or len(frames) != 1:
        return []
    name, frame = next(iter(frames.items()))
    if not isinstance(frame, pd.DataFrame):
        return []
    if re.search(r"\bcorrelat", intent.text, re.I):
        return [
            f"draw the correlation matrix (`{name}.corr(numeric_only=True)`, "
            "or `.corr()` of the columns asked)"
        ]
    labels = [c for c in intent.columns if c in frame.columns and not pd.api.types.is_numeric_dtype(frame[c])]
    values = [c for c in intent.plotted if c in frame.columns and pd.api.types.is_numeric_dtype(frame[c])]
    if len(labels) < 2:
        return []
    rows, columns = labels[:2]
    if values:
        table = (
            f"{name}.pivot_table(index={rows!r}, columns={columns!r}, values={values[0]!r}, aggfunc='mean')"
        )
    else:
        table = f"pd.crosstab({name}[{rows!r}], {name}[{columns!r}])"
    return [f"draw a 2-D table, not the raw rows (`{table}`)"]


#: How each library draws one mark per group from a frame in long form.
_LONG_CALL = {"seaborn": "`hue={group!r}` (or `x=`)", "plotly": "`color={group!r}` (or `x=`)"}
#: Kinds that draw one mark per group of a wide frame (a heatmap or scatter reads it otherwise).
_PER_GROUP_KINDS = {"line", "bar", "area", "box", "trend"}


def _wide_frame(intent: Intent, lib: str, frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """A request about every group of a wide frame: how this library draws one mark per group.

    A wide frame may keep its groups in its column labels (one column per economy, or
    ticker x metric pairs). seaborn and plotly want its long form with the group as a column;
    matplotlib wants the wide columns themselves, one line or bar each, and a small model told
    only the long form plots a ``'value'`` column of the wide frame. Whether the columns are
    groups, not measurements (a weather table's temperature and rain), is read from the
    request: it says "each store" or "per ticker" and names none of them.
    """
    if len(frames) != 1 or not set(intent.kinds) <= _PER_GROUP_KINDS:
        return []
    name, frame = next(iter(frames.items()))
    if not isinstance(frame, pd.DataFrame):
        return []
    found = long_form(name, frame)
    if found is None:
        return []
    columns, group = frame.columns, found.group
    if isinstance(columns, pd.MultiIndex):
        entity_level = columns.names.index(group)  # the level long_form stacks
        metric_level = columns.names[1 - entity_level]
        if metric_level is None:  # an unnamed level is given to xs by its position
            metric_level = 1 - entity_level
        entities = [str(v) for v in columns.levels[entity_level]]
        metrics = [str(v) for v in columns.levels[1 - entity_level]]
        word = group if _names(intent.text, group) or _names(intent.text, f"{group}s") else None
    else:
        entities = [str(c) for c in columns]
        metric_level, metrics = None, []
        word = _each_word(intent.text, frame)
    if word is None or any(_names(intent.text, e) for e in entities):
        return []
    if lib in _LONG_CALL:
        listed = ", ".join(repr(c) for c in found.columns)
        call = _LONG_CALL[lib].format(group=group)
        long = f"`{found.expression}` (columns {listed})"
        return [f"for one mark per {word}, draw from the long form {long} with {call}"]
    if not isinstance(columns, pd.MultiIndex):
        return [
            f"`{name}` has one column per {word} ({_some_labels(entities)}): for one line or bar per {word}, "
            f"draw each column (`{name}.plot(ax=ax)`, or `for col in {name}.columns:`), not a 'value' column"
        ]
    asked = [m for m in metrics if _names(intent.text, m)] or metrics
    choice = " or ".join(f"`{name}.xs({metric!r}, axis=1, level={metric_level!r})`" for metric in asked[:2])
    return [
        f"`{name}`'s columns are ({group}, metric) pairs: {choice} has one column "
        f"per {word}; draw each column (`.plot(ax=ax)`), not a {asked[0]!r} column"
    ]


#: Words after "per"/"each" that name a time step, not a group kept in the columns.
_TIME_WORDS = frozenset("second minute hour day week month quarter year date time period".split())


def _each_word(text: str, frame: pd.DataFrame) -> str | None:
    """The group a request asks one mark for ("each store's", "per economy"), or None.

    A name the frame has (its index or a column) or a time step is not a group of its columns.
    """
    taken = {n.lower() for n in index_names(frame)} | {str(c).lower() for c in frame.columns}
    for match in re.finditer(r"\b(?:each|every|per|by|all(?: the)?)\s+([a-z]+)", text.lower()):
        word = re.sub(r"(?:'s|s)$", "", match.group(1))
        if word not in _TIME_WORDS and word not in taken and match.group(1) not in taken:
            return word
    return None


def _some_labels(labels: list[str], limit: int = 4) -> str:
    """A few labels as literals, the rest counted."""
    shown = ", ".join(repr(label) for label in labels[:limit])
    return shown if len(labels) <= limit else f"{shown}, ... {len(labels)} in all"


def _names(text: str, label: object) -> bool:
    """Whether ``text`` names ``label`` as a word, ignoring case."""
    label = str(label).strip().lower()
    return bool(label) and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text.lower()) is not None
