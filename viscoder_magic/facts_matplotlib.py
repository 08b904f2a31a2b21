"""Read a matplotlib figure (and so a seaborn or pandas one) into ``Mark``s, one panel per Axes.

Artists, not pixels: bars are ``Rectangle``s in a ``BarContainer`` (a histogram's bars
touch, a bar chart's have gaps or category ticks), lines ``Line2D``, scatters
``PathCollection``, areas and violins ``FillBetweenPolyCollection`` (a violin is
symmetric about its centre), heatmaps ``QuadMesh``/``AxesImage``, pies ``Wedge``,
hexbins a ``PolyCollection`` of one hexagon, contours a ``ContourSet``, 3-D an
``Axes3D``. seaborn >= 0.13 groups a box plot's artists in a ``BoxPlotContainer``;
matplotlib's own ``boxplot`` leaves a closed five-point line per box. Lines of one or
two points (whiskers, caps, error bars, ``axhline``) are parts of other marks, not lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .facts_marks import Mark, RawPanel
from .facts_matplotlib_collections import (
    axis_categories,
    collection_marks,
    grid_mark,
    series_name,
    tick_texts,
)

#: Bars whose edges touch within this share of their width are histogram bins.
_TOUCH = 1e-6


def read_figure(figure: Any) -> tuple[list[RawPanel], str, tuple[str, ...]]:
    """Panels of one Figure, its suptitle, and its figure-level legend entries (seaborn's relplot)."""
    panels = [
        panel for ax in figure.axes if not _is_colorbar(ax) for panel in [_read_axes(ax)] if panel.marks
    ]
    suptitle = getattr(figure, "_suptitle", None)
    title = suptitle.get_text() if suptitle is not None else ""
    legend = tuple(t.get_text() for leg in getattr(figure, "legends", []) for t in leg.get_texts())
    return panels, title, legend


def _is_colorbar(ax: Any) -> bool:
    """A colour bar is an Axes of its own, not a panel."""
    return ax.get_label() == "<colorbar>" or getattr(ax, "_colorbar", None) is not None


def _read_axes(ax: Any) -> RawPanel:
    """One Axes as a panel: every reader takes its artists (``taken`` keeps one artist in one mark)."""
    three_d = getattr(ax, "name", "") == "3d"
    marks: list[Mark] = []
    taken: set[int] = set()
    for reader in (_boxes, _bars, _error_bars, _wedges, collection_marks, _images, _lines):
        try:
            marks += reader(ax, taken)
        except Exception:  # noqa: BLE001 - one odd artist must not hide the others
            continue
    marks = _merged_violins(ax, marks)
    legend = ax.get_legend()
    _name_by_legend([m for m in marks if m.kind == "bar"], legend)
    if three_d:
        marks = [_as_3d(mark) for mark in marks]
        if not any(mark.kind == "3d" for mark in marks):
            marks.append(Mark("3d"))
    texts = [t.get_text() for t in ax.texts] + tick_texts(ax.xaxis) + tick_texts(ax.yaxis)
    return RawPanel(
        marks=marks,
        x_label=ax.get_xlabel(),
        y_label=ax.get_ylabel(),
        z_label=ax.get_zlabel() if three_d else "",
        x_scale=ax.get_xscale(),
        y_scale=ax.get_yscale(),
        title=ax.get_title() or ax.get_title(loc="left") or ax.get_title(loc="right"),
        legend=tuple(t.get_text() for t in legend.get_texts()) if legend is not None else (),
        texts=tuple(t for t in texts if t),
    )


def _name_by_legend(bars: list[Mark], legend: Any) -> None:
    """seaborn leaves its hue containers unnamed; the legend lists the levels in container order."""
    entries = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    if len(bars) > 1 and len(entries) == len(bars) and not any(m.name for m in bars):
        for mark, entry in zip(bars, entries, strict=True):
            mark.name = entry


def _merged_violins(ax: Any, marks: list[Mark]) -> list[Mark]:
    """One violin mark per panel (each body is its own collection), labelled by every body's category.

    A body spans its data's range (matplotlib), or further (seaborn's ``cut``); seaborn's
    inner box is a thick line from the first to the third quartile, read instead when drawn.
    """
    violins = [m for m in marks if m.kind == "violin"]
    if not violins:
        return marks
    labels = tuple(label for m in violins for label in m.labels)
    merged = Mark(
        "violin",
        count=len(violins),
        horizontal=violins[0].horizontal,
        labels=labels if len(labels) == len(violins) else (),
        quartiles=tuple(box for m in violins for box in m.quartiles),
        percentiles=(0, 100),
    )
    inner = [_inner_box(ax, m.position, m.horizontal) for m in violins]
    if all(box is not None for box in inner):
        merged.quartiles, merged.percentiles = tuple(inner), (25, 75)
    return [m for m in marks if m.kind != "violin"] + [merged]


def _inner_box(ax: Any, position: float, horizontal: bool) -> tuple[float, float] | None:
    """The thickest of the two-point lines along a violin's centre: seaborn's inner quartile box."""
    found = []
    for line in ax.lines:
        try:
            xs, ys = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
        except (TypeError, ValueError):
            continue
        across, along = (ys, xs) if horizontal else (xs, ys)
        if len(across) == 2 and np.allclose(across, position):
            found.append((line.get_linewidth(), (float(along.min()), float(along.max()))))
    if len(found) < 2 or len({width for width, _ in found}) < 2:
        return None
    return max(found)[1]


def _as_3d(mark: Mark) -> Mark:
    """In a 3-D panel every mark is 3-D; a scatter stays a scatter too (``3d`` is added by kind)."""
    mark.kind = "3d" if mark.kind not in ("scatter", "line") else mark.kind
    return mark


def _bars(ax: Any, taken: set[int]) -> list[Mark]:
    from matplotlib.container import BarContainer

    marks = []
    for container in ax.containers:
        if not isinstance(container, BarContainer) or not container.patches:
            continue
        taken.update(id(p) for p in container.patches)
        marks.append(_bar_mark(ax, container))
    return marks


def _error_bars(ax: Any, taken: set[int]) -> list[Mark]:
    """Error bars' half-lengths (``yerr=df['error']``): data from a column, drawn as no mark of its own.

    A program may draw them one ``errorbar`` call per bar, so every container's spans are read as one array.
    """
    from matplotlib.container import ErrorbarContainer

    spans: list[float] = []
    for container in ax.containers:
        if not isinstance(container, ErrorbarContainer):
            continue
        for collection in container.lines[2] or ():
            for segment in collection.get_segments():
                points = np.asarray(segment, dtype=float)
                if points.shape == (2, 2):
                    spans.append(float(np.abs(points[1] - points[0]).max() / 2))
    return [Mark("errorbar", arrays=[("error", np.asarray(spans))])] if len(spans) >= 2 else []


def _bar_mark(ax: Any, container: Any) -> Mark:
    """Bars touching edge to edge on a numeric axis are histogram bins; on category ticks, or with gaps,
    bars."""
    horizontal = getattr(container, "orientation", "vertical") == "horizontal"
    patches = container.patches
    starts = np.array([p.get_y() if horizontal else p.get_x() for p in patches], dtype=float)
    spans = np.array([p.get_height() if horizontal else p.get_width() for p in patches], dtype=float)
    heights = np.array([p.get_width() if horizontal else p.get_height() for p in patches], dtype=float)
    axis = ax.yaxis if horizontal else ax.xaxis
    labels = axis_categories(axis, starts + spans / 2)
    name = series_name(container.get_label())
    order = np.argsort(starts, kind="stable")
    touching = len(patches) >= 3 and np.allclose(
        (starts + spans)[order][:-1], starts[order][1:], atol=_TOUCH * float(np.nanmax(np.abs(spans)) or 1)
    )
    if touching and labels is None:
        edges = np.append(starts[order], (starts + spans)[order][-1])
        counts = heights[order]
        total = float(counts.sum()) if np.allclose(counts, np.round(counts)) else 0.0
        return Mark(
            "histogram", count=len(patches), edges=edges, total=total, name=name, horizontal=horizontal
        )
    mark = Mark("bar", count=len(patches), name=name, horizontal=horizontal, values=heights[order])
    if labels is not None:
        mark.labels = tuple(labels[i] for i in order)
    else:
        mark.arrays.append(("y" if horizontal else "x", (starts + spans / 2)[order]))
    return mark


def _boxes(ax: Any, taken: set[int]) -> list[Mark]:
    """seaborn's ``BoxPlotContainer``s, then matplotlib's closed five-point box lines."""
    marks = []
    for container in ax.containers:
        if type(container).__name__ != "BoxPlotContainer":
            continue
        parts = [
            a
            for group in ("boxes", "whiskers", "caps", "medians", "fliers", "means")
            for a in (getattr(container, group, None) or [])
        ]
        taken.update(id(a) for a in parts)
        quartiles = [_box_edges(box) for box in container.boxes]
        marks.append(_box_mark(ax, quartiles, series_name(container.get_label())))
    boxes = [line for line in ax.lines if id(line) not in taken and _is_box_line(line)]
    patches = [p for p in ax.patches if type(p).__name__ == "PathPatch" and id(p) not in taken]
    if boxes or (patches and _has_whiskers(ax)):
        found = boxes or patches
        taken.update(id(a) for a in found)
        taken.update(
            id(line) for line in ax.lines if len(line.get_xdata()) <= 2 or line.get_linestyle() == "None"
        )
        marks.append(_box_mark(ax, [_box_edges(a) for a in found], ""))
    return marks


def _box_edges(artist: Any) -> tuple[float, float, float]:
    """(centre, lower edge, upper edge) of one box, along the value axis; vertical assumed first."""
    if hasattr(artist, "get_path") and not hasattr(artist, "get_xdata"):
        vertices = artist.get_path().vertices
        xs, ys = vertices[:, 0], vertices[:, 1]
    else:
        xs, ys = np.asarray(artist.get_xdata(), dtype=float), np.asarray(artist.get_ydata(), dtype=float)
    return float((xs.min() + xs.max()) / 2), float(ys.min()), float(ys.max())


def _box_mark(ax: Any, edges: list[tuple[float, float, float]], name: str) -> Mark:
    centres = np.array([e[0] for e in edges])
    labels = axis_categories(ax.xaxis, centres) or ()
    return Mark(
        "box", count=len(edges), labels=labels, quartiles=tuple((lo, hi) for _, lo, hi in edges), name=name
    )


def _is_box_line(line: Any) -> bool:
    """matplotlib's ``boxplot`` draws each box as a closed five-point axis-aligned line."""
    if len(line.get_xdata()) != 5:
        return False
    xs, ys = np.asarray(line.get_xdata(), dtype=object), np.asarray(line.get_ydata(), dtype=object)
    if len(xs) != 5 or xs[0] != xs[-1] or ys[0] != ys[-1]:
        return False
    return len(set(map(float, xs))) == 2 and len(set(map(float, ys))) == 2


def _has_whiskers(ax: Any) -> bool:
    """A ``PathPatch`` is a box only beside whiskers and caps (two-point lines), as ``patch_artist=True``
    draws."""
    return sum(1 for line in ax.lines if len(line.get_xdata()) == 2) >= 4


def _wedges(ax: Any, taken: set[int]) -> list[Mark]:
    """Pie slices as shares, labelled by the wedges' labels, else the pie's texts, else the legend."""
    from matplotlib.patches import Wedge

    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    if not wedges:
        return []
    taken.update(id(w) for w in wedges)
    sizes = np.array([(w.theta2 - w.theta1) % 360 or 360 for w in wedges], dtype=float)
    labels = tuple(series_name(w.get_label()) for w in wedges)
    if not all(labels):
        texts = [t.get_text() for t in ax.texts if t.get_text() and "%" not in t.get_text()]
        legend = ax.get_legend()
        entries = [t.get_text() for t in legend.get_texts()] if legend is not None else []
        labels = tuple(texts[: len(wedges)]) if len(texts) >= len(wedges) else tuple(entries[: len(wedges)])
    mark = Mark("pie", count=len(wedges), values=sizes, share=True)
    if len(labels) == len(wedges) and all(labels):
        mark.labels = labels
    else:
        mark.values, mark.opaque = None, True
    return [mark]


def _images(ax: Any, taken: set[int]) -> list[Mark]:
    return [grid_mark(ax, "heatmap", image) for image in ax.images]


def _lines(ax: Any, taken: set[int]) -> list[Mark]:
    """Data lines: three points or more, in data coordinates; marker-only ones are scatters."""
    marks = []
    references: dict[str, list[float]] = {"x": [], "y": []}
    for line in ax.lines:
        if id(line) in taken or not line.get_visible():
            continue
        try:
            if line.get_transform() != ax.transData and not type(line).__name__ == "Line3D":
                _reference(
                    ax, line, references
                )  # axhline/axvline: a reference, traced if a column gives them
                continue
            xs, ys = line.get_xdata(orig=True), line.get_ydata(orig=True)
        except Exception:  # noqa: BLE001
            continue
        if len(xs) <= 2:
            continue
        marker_only = line.get_linestyle() in ("None", "", " ", "none") and line.get_marker() not in (
            "None",
            "",
            None,
        )
        mark = Mark("scatter" if marker_only else "line", count=len(xs), name=series_name(line.get_label()))
        labels = _line_categories(ax, xs)
        if labels is not None:  # one point per category (a grouped total): maybe an aggregate
            mark.labels, mark.values = labels, np.asarray(ys, dtype=float)
        else:
            mark.arrays += [("x", _dates_from_periods(ax, xs)), ("y", ys)]
        if type(line).__name__ == "Line3D":
            mark.arrays.append(("z", line.get_data_3d()[2]))
        marks.append(mark)
    marks += [
        Mark("reference", arrays=[(axis, np.asarray(values))], optional=True)
        for axis, values in references.items()
        if len(values) >= 2
    ]
    return marks


def _reference(ax: Any, line: Any, references: dict[str, list[float]]) -> None:
    """The position of an ``axvline`` (x) or ``axhline`` (y)."""
    try:
        xs, ys = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
    except (TypeError, ValueError):
        return
    if line.get_transform() == ax.get_xaxis_transform() and len(xs) == 2 and xs[0] == xs[1]:
        references["x"].append(float(xs[0]))
    elif line.get_transform() == ax.get_yaxis_transform() and len(ys) == 2 and ys[0] == ys[1]:
        references["y"].append(float(ys[0]))


def _line_categories(ax: Any, xs: Any) -> tuple[str, ...] | None:
    """Category labels of a line drawn over text ticks (``0, 1, 2`` under "Tea", "Coffee", ...)."""
    array = np.asarray(xs)
    if array.dtype.kind not in "iuf" or len(array) > 500:
        return None
    positions = array.astype(float)
    if not np.allclose(positions, np.round(positions)) or len(np.unique(positions)) != len(positions):
        return None
    return axis_categories(ax.xaxis, positions)


def _dates_from_periods(ax: Any, xs: Any) -> Any:
    """pandas draws a regular time series on period ordinals (``ax.freq``): back to dates."""
    freq = getattr(ax, "freq", None)
    array = np.asarray(xs)
    if freq is None or array.dtype.kind not in "iuf":
        return xs
    try:
        import pandas as pd

        return pd.PeriodIndex.from_ordinals(array.astype(np.int64), freq=freq).to_timestamp()
    except Exception:  # noqa: BLE001
        return xs
