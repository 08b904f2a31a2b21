"""Figure facts: what a drawn figure holds, read from its objects, not from its pixels.

A program that runs and draws may still draw the wrong thing (bars for a pie, Profit for
Sales). The facts here are what a checker compares with the request (``intent.py``,
``mismatch.py``) and what a reader who cannot see the figure is told (``facts_line``).
The library readers (``facts_matplotlib``, ``facts_plotly``) turn artists and traces
into ``Mark``s (``facts_marks``, below both the readers and this module); this module
traces each mark's arrays to frame columns (``facts_columns``) and assembles frozen,
JSON-ready ``FigureFacts``. Nothing here raises for a figure it does not understand: an
unreadable fact is left empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import facts_aggregates as fa
from . import facts_columns as fc
from . import facts_matplotlib, facts_plotly
from .facts_marks import Mark, RawPanel

#: Mark kinds, in the order the facts line names them.
KINDS = (
    "bar",
    "histogram",
    "line",
    "scatter",
    "area",
    "box",
    "violin",
    "pie",
    "heatmap",
    "hexbin",
    "density2d",
    "contour",
    "3d",
)
#: What one mark of each kind is called in the facts line.
_UNITS = {
    "bar": "bar",
    "histogram": "bin",
    "pie": "slice",
    "box": "box",
    "violin": "violin",
    "scatter": "point",
    "line": "point",
    "area": "point",
}  # the first kind drawn is the one counted


@dataclass(frozen=True)
class PanelFacts:
    """What one panel shows."""

    kinds: tuple[str, ...]
    series: int
    marks: int
    x_label: str = ""
    y_label: str = ""
    z_label: str = ""
    x_scale: str = "linear"
    y_scale: str = "linear"
    title: str = ""
    legend: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # frame columns the plotted data comes from
    sources: tuple[str, ...] = ()  # how: "Sales (sum by Region)", "Region (categories)"
    unresolved: int = 0  # plotted arrays traced to no column (0: every array was traced)
    order: str = ""  # bar heights and slices: "ascending", "descending", "unsorted"; "" when unknown
    horizontal: bool = False
    texts: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class FigureFacts:
    """Every panel of every figure a program drew, plus figure-level titles and legends."""

    panels: tuple[PanelFacts, ...]
    library: str = ""
    title: str = ""
    legend: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Mark kinds across all panels, in ``KINDS`` order."""
        found = {kind for panel in self.panels for kind in panel.kinds}
        return tuple(kind for kind in KINDS if kind in found)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for panel in self.panels for c in panel.columns))

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe view, with the facts line."""
        data = asdict(self)
        for panel in data["panels"]:
            panel.pop("texts", None)
        data["line"] = facts_line(self)
        return data


def read_facts(figures: Iterable[Any], frames: Mapping[str, pd.DataFrame]) -> FigureFacts:
    """The facts of matplotlib Figures and plotly figures (or their JSON) drawn from ``frames``. Never raises.

    A closed matplotlib Figure still reads (closing drops pyplot's reference, not the
    artists), so a caller keeps the Figure objects it captured, not only their PNGs.
    """
    raw: list[RawPanel] = []
    libraries, titles, legends = [], [], []
    for figure in figures:
        try:
            panels, title, legend, library = _read_one(figure)
        except Exception:  # noqa: BLE001 - an unreadable figure gives no facts, never an error
            continue
        for panel in panels:
            panel.keys = panel.legend + tuple(legend)
        raw += panels
        libraries.append(library)
        titles += [title] if title else []
        legends += list(legend)
    views = fc.views_of(frames)
    cache: dict[tuple[int, str], pd.DataFrame | None] = {}
    panels = tuple(_panel_facts(panel, views, cache) for panel in raw)
    return FigureFacts(panels, "+".join(dict.fromkeys(libraries)), " / ".join(titles), tuple(legends))


def _read_one(figure: Any) -> tuple[list[RawPanel], str, tuple[str, ...], str]:
    """One figure: a plotly figure, its JSON (``application/vnd.plotly.v1+json``), or a matplotlib Figure."""
    if type(figure).__module__.startswith("plotly") or isinstance(figure, Mapping) and "data" in figure:
        panels, title, legend = facts_plotly.read_figure(figure)
        return panels, title, legend, "plotly"
    panels, title, legend = facts_matplotlib.read_figure(figure)
    return panels, title, legend, "matplotlib"


def _panel_facts(
    raw: RawPanel, views: Sequence[fc.ColumnView], cache: dict[tuple[int, str], pd.DataFrame | None]
) -> PanelFacts:
    """One panel's facts: its marks traced to columns; a mark that fails to trace is unknown, not an error."""
    sources: list[fc.Source] = []
    unresolved = 0
    hue = fc.match_labels(raw.keys, views) if raw.keys else None
    for mark in raw.marks:
        try:
            found, missing = resolve_mark(mark, views, cache, hue)
        except Exception:  # noqa: BLE001 - an odd array is unknown, not an error
            found, missing = [], 1
        sources += found
        unresolved += missing
    if hue is not None:
        sources.append(fc.Source(hue.name, "legend"))
    kinds = {mark.kind for mark in raw.marks}
    first = next((kind for kind in _UNITS if kind in kinds), "")
    sources = list(dict.fromkeys(sources))
    columns = tuple(dict.fromkeys(c for s in sources for c in (s.column, s.by, *s.twins) if c))
    return PanelFacts(
        kinds=tuple(kind for kind in KINDS if kind in kinds),
        series=_series(raw.marks),
        marks=sum(mark.count for mark in raw.marks if mark.kind == first),
        x_label=raw.x_label,
        y_label=raw.y_label,
        z_label=raw.z_label,
        x_scale=raw.x_scale,
        y_scale=raw.y_scale,
        title=raw.title,
        legend=raw.legend,
        columns=columns,
        sources=tuple(s.describe() for s in sources),
        unresolved=unresolved,
        order=_order(raw.marks),
        horizontal=any(m.horizontal for m in raw.marks),
        texts=raw.texts,
    )


def _series(marks: Sequence[Mark]) -> int:
    """Distinct data series: named marks count once per name, unnamed ones once each."""
    drawn = [mark for mark in marks if (mark.count or mark.opaque) and mark.kind in KINDS]  # not error bars
    names = {mark.name for mark in drawn if mark.name}
    return len(names) + sum(1 for mark in drawn if not mark.name)


def _distinct(marks: Sequence[Mark]) -> list[Mark]:
    """The marks less exact repeats: the same bars drawn twice over each other are one series to a reader."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for mark in marks:
        key = (
            mark.kind,
            mark.horizontal,
            mark.labels,
            tuple(np.asarray(mark.values, dtype=np.float64).ravel()),
        )
        if key not in seen:
            seen.add(key)
            kept.append(mark)
    return kept


def _order(marks: Sequence[Mark]) -> str:
    """Whether one series of bars or slices is drawn largest first or smallest first."""
    ordered = _distinct([m for m in marks if m.kind in ("bar", "pie") and m.values is not None])
    if len(ordered) != 1 or ordered[0].count < 3 or not ordered[0].ordered:
        return ""
    values = np.asarray(ordered[0].values, dtype=np.float64)
    if ordered[0].horizontal and ordered[0].kind == "bar":
        values = values[::-1]  # barh draws its first bar at the bottom: read top-down
    steps = np.diff(values)
    if np.all(steps <= 0) and np.any(steps < 0):
        return "descending"
    if np.all(steps >= 0) and np.any(steps > 0):
        return "ascending"
    return "unsorted" if np.all(np.isfinite(values)) else ""


def resolve_mark(
    mark: Mark,
    views: Sequence[fc.ColumnView],
    cache: dict[tuple[int, str], pd.DataFrame | None],
    hue: fc.ColumnView | None = None,
) -> tuple[list[fc.Source], int]:
    """The columns one mark's data comes from, and how many of its arrays stayed untraced.

    ``hue`` is the column the legend entries come from: a named series of bars is that
    level's aggregate.
    """
    sources, missing, all_names = _resolve_arrays(mark, views)
    if mark.matrix is not None and all(mark.grid) and not all_names:
        pivot = _resolve_pivot(mark, views, cache)
        sources += pivot
        all_names = bool(pivot)
    if mark.opaque and all_names:
        missing -= 1  # a matrix over named columns (their statistics), or a pivot of a column by two others
    if mark.optional:
        return sources, 0
    group = None
    if mark.labels:
        group = fc.match_labels(mark.labels, views)
        named = fc.match_column_names(mark.labels, views)
        if group is not None:
            sources.append(fc.Source(group.name, "categories"))
        elif named:
            sources += [fc.Source(name, "raw") for name in named]
    if mark.values is not None:
        found = _resolve_values(mark, group, views, cache, hue)
        sources += [found] if found else []
        missing += found is None
    if mark.edges is not None:
        found = fa.match_bins(mark.edges, mark.total, views)
        sources += [found] if found else []
        missing += found is None
    if mark.quartiles:
        boxes = fa.match_quartiles(mark.quartiles, mark.labels, group, views, mark.percentiles)
        sources += boxes
        missing += not boxes
    return sources, missing


def _resolve_arrays(mark: Mark, views: Sequence[fc.ColumnView]) -> tuple[list[fc.Source], int, bool]:
    """A mark's plotted arrays traced; untraced ones counted; whether every array was a list of column
    names."""
    sources: list[fc.Source] = []
    missing, all_names = int(mark.opaque), bool(mark.arrays)
    for role, array in mark.arrays:
        if role.endswith("cat"):  # tick labels: column names (a correlation matrix) or a column's values
            labels = [fc.label_text(v) for v in np.asarray(array, dtype=object).ravel()]
            named = fc.match_column_names(labels, views)
            if named and len(named) == len(labels):
                sources += [fc.Source(name, "raw") for name in named]
                continue
        all_names = False
        source = _resolve_array(array, views)
        if source is None:
            missing += int(_carries_data(array))
        else:
            sources.append(source)
    return sources, missing, all_names


def _resolve_pivot(
    mark: Mark, views: Sequence[fc.ColumnView], cache: dict[tuple[int, str], pd.DataFrame | None]
) -> list[fc.Source]:
    """A heatmap of one column aggregated over two others (``pivot_table``, ``crosstab``)."""
    columns_of, rows_of = (fc.match_labels(labels, views) for labels in mark.grid)
    if (
        columns_of is None
        or rows_of is None
        or columns_of is rows_of
        or columns_of.frame is not rows_of.frame
    ):
        return []
    found = fa.match_pivot(mark.grid, mark.matrix, columns_of, rows_of, cache)
    if found is None:
        return []
    return [found, fc.Source(rows_of.name, "categories"), fc.Source(columns_of.name, "categories")]


def _resolve_values(
    mark: Mark,
    group: fc.ColumnView | None,
    views: Sequence[fc.ColumnView],
    cache: dict[tuple[int, str], pd.DataFrame | None],
    hue: fc.ColumnView | None,
) -> fc.Source | None:
    values = np.asarray(mark.values, dtype=np.float64)
    if group is not None:
        found = fa.match_grouped(mark.labels, values, group, cache, normalised=mark.share)
        if found is None and hue is not None and mark.name:
            found = fa.match_grouped(
                mark.labels, values, group, cache, normalised=mark.share, within=(hue, mark.name)
            )
        if found is not None:
            return found
    return fc.match_numbers(values, views) if len(values) >= 2 else None


def _resolve_array(array: Any, views: Sequence[fc.ColumnView]) -> fc.Source | None:
    forms = fc.numeric_forms(array)
    if forms:
        return fc.match_numbers(forms[0], views)
    return fc.match_text(array, views)


def _carries_data(array: Any) -> bool:
    """Whether an untraced array is data (not a positional ``0..n-1`` or a constant)."""
    forms = fc.numeric_forms(array)
    if not forms:
        return len(np.asarray(array).ravel()) > 1
    values = forms[0][np.isfinite(forms[0])]
    return len(np.unique(values[:1000])) > 1 and not np.allclose(values, np.arange(len(values)))


def facts_line(facts: FigureFacts) -> str:
    """One readable sentence about the figure, for alt text and for students.

    e.g. ``bar chart, 1 panel: Sales (sum) by Region, 4 bars, sorted descending``.
    """
    if not facts.panels:
        return "no chart could be read from the figure"
    kinds = facts.kinds
    head = f"{_kind_phrase(kinds)}, {len(facts.panels)} panel{'s' if len(facts.panels) != 1 else ''}"
    whats = {_what(panel) for panel in facts.panels}
    if len(facts.panels) > 2 and len(whats) == 1 and "" not in whats:  # facets: one phrase for all
        parts = [f"{whats.pop()} in each panel"]
    else:
        parts = [p for p in (_panel_phrase(panel) for panel in facts.panels[:4]) if p]
    text = head + (": " + "; ".join(parts) if parts else "")
    if facts.title:
        text += f' (titled "{facts.title}")'
    return text


def _kind_phrase(kinds: Sequence[str]) -> str:
    names = {
        "bar": "bar chart",
        "histogram": "histogram",
        "line": "line chart",
        "scatter": "scatter plot",
        "area": "area chart",
        "box": "box plot",
        "violin": "violin plot",
        "pie": "pie chart",
        "heatmap": "heatmap",
        "hexbin": "hexbin plot",
        "density2d": "2-D density plot",
        "contour": "contour plot",
        "3d": "3-D plot",
    }
    if not kinds:
        return "figure with no readable marks"
    words = [names[k] for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _panel_phrase(panel: PanelFacts) -> str:
    bits = []
    what = _what(panel)
    if what:
        bits.append(what)
    unit = next((_UNITS[k] for k in _UNITS if k in panel.kinds), "")
    if unit and panel.marks:
        bits.append(
            f"{panel.marks} {unit}{'es' if unit == 'box' and panel.marks != 1 else ''}"
            f"{'s' if unit != 'box' and panel.marks != 1 else ''}"
        )
    if panel.series > 1:
        bits.append(f"{panel.series} series")
    if panel.order in ("ascending", "descending"):
        bits.append(f"sorted {panel.order}")
    for axis, scale in (("x", panel.x_scale), ("y", panel.y_scale)):
        if scale != "linear":
            bits.append(f"{scale} {axis} axis")
    return ", ".join(bits)


def _what(panel: PanelFacts) -> str:
    """``Sales (sum) by Region`` from the traced sources, else the axis labels."""
    kinds = ("(categories)", "(legend)")
    groups = [s for s in panel.sources if s.endswith(kinds[0])]
    values = [s for s in panel.sources if not s.endswith(kinds)]
    for value in values:  # an aggregate names its own grouping: "Sales (mean by Region and Product)"
        grouped = re.match(r"^(.*) \((\w+) by (.+)\)$", value)
        if grouped:
            column, how, by = grouped.groups()
            return f"count by {by}" if how == "count" else f"{column} ({how}) by {by}"
        if value.startswith("count by "):
            return value
    if values and groups:
        return f"{values[0]} by {groups[0].split(' (')[0]}"
    spread = [v[: v.rindex(" (")] for v in values if v.endswith((" (quartiles)", " (range)"))]
    if len(spread) >= 2 and len(spread) == len(values):  # one box or violin per column
        return ", ".join(spread[:-1]) + " and " + spread[-1]
    if "heatmap" in panel.kinds and len(values) >= 2 and not any("(" in v for v in values):
        return ", ".join(values[:-1]) + " and " + values[-1]  # a matrix over named columns
    if len(values) >= 2:
        return f"{values[1]} against {values[0]}"
    if values or groups:
        return (values or groups)[0]
    if panel.x_label and panel.y_label:
        return f"{panel.y_label} against {panel.x_label}"
    return panel.x_label or panel.y_label
