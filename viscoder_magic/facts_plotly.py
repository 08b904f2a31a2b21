"""Read a plotly figure into ``Mark``s, one panel per pair of axes (or per pie, per 3-D scene).

Plotly keeps what it draws as data: each trace's ``type`` is its kind (a ``scatter`` is a
line or a scatter by its ``mode``, an area by ``fill``/``stackgroup``), its arrays are the
plotted values (the rows themselves: Plotly Express groups and aggregates in the
browser), ``xaxis``/``yaxis`` name its subplot, and ``layout.xaxis2.type == "log"`` is a
log axis. Arrays may be lists, NumPy arrays of any dtype (``datetime64`` of any unit) or
base64 typed arrays; each is read defensively and an unreadable one is left out.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .facts_marks import Mark, RawPanel

#: Trace types per kind; the scatter family is decided by mode and fill.
_KINDS = {
    "bar": "bar",
    "histogram": "histogram",
    "box": "box",
    "violin": "violin",
    "heatmap": "heatmap",
    "image": "heatmap",
    "pie": "pie",
    "histogram2d": "density2d",
    "histogram2dcontour": "contour",
    "contour": "contour",
    "surface": "3d",
    "mesh3d": "3d",
    "cone": "3d",
    "volume": "3d",
    "isosurface": "3d",
    "funnel": "bar",
    "waterfall": "bar",
}
_SCATTERS = ("scatter", "scattergl", "scatter3d")


def read_figure(figure: Any) -> tuple[list[RawPanel], str, tuple[str, ...]]:
    """Panels of one plotly figure (or its JSON dict), its title, and its legend entries."""
    data = figure if isinstance(figure, Mapping) else figure.to_plotly_json()
    layout = data.get("layout") or {}
    panels: dict[str, RawPanel] = {}
    legend: list[str] = []
    for trace in data.get("data") or []:
        try:
            key, mark = _trace_mark(trace)
        except Exception:  # noqa: BLE001 - one odd trace must not hide the others
            continue
        if mark is None:
            continue
        mark.ordered = not _reordered(key, layout)
        panel = panels.get(key) or panels.setdefault(key, _panel(key, layout))
        panel.marks.append(mark)
        if key.startswith("scene") and not any(m.kind == "3d" for m in panel.marks):
            panel.marks.append(Mark("3d"))
        legend += _legend_entries(trace, mark)
    notes = tuple(_text(note) for note in layout.get("annotations") or () if isinstance(note, Mapping))
    for panel in panels.values():  # facet and subplot titles are annotations
        panel.texts = panel.texts + notes
    shown = layout.get("showlegend") is not False
    title = _text(layout.get("title"))
    return list(panels.values()), title, tuple(dict.fromkeys(legend)) if shown else ()


def _text(title: Any) -> str:
    if isinstance(title, Mapping):
        return str(title.get("text") or "")
    return str(title or "")


def _panel(key: str, layout: Mapping[str, Any]) -> RawPanel:
    if key.startswith("scene"):
        scene = layout.get(key) or {}
        axes = [scene.get(name) or {} for name in ("xaxis", "yaxis", "zaxis")]
    elif key.startswith("pie"):
        return RawPanel()
    else:
        xname, yname = key.split("|")
        axes = [layout.get(_layout_name(xname)) or {}, layout.get(_layout_name(yname)) or {}, {}]
    return RawPanel(
        x_label=_text(axes[0].get("title")),
        y_label=_text(axes[1].get("title")),
        z_label=_text(axes[2].get("title")),
        x_scale="log" if axes[0].get("type") == "log" else "linear",
        y_scale="log" if axes[1].get("type") == "log" else "linear",
    )


def _reordered(key: str, layout: Mapping[str, Any]) -> bool:
    """Whether the layout sorts the categories itself (``categoryorder``): then the trace order is not
    the drawn one."""
    if "|" not in key:
        return False
    for name in key.split("|"):
        order = (layout.get(_layout_name(name)) or {}).get("categoryorder")
        if order not in (None, "trace"):
            return True
    return False


def _layout_name(axis: str) -> str:
    """``x2`` -> ``xaxis2``, ``y`` -> ``yaxis``."""
    return axis[0] + "axis" + axis[1:]


def _legend_entries(trace: Mapping[str, Any], mark: Mark) -> list[str]:
    if trace.get("showlegend") is False:
        return []
    if mark.kind == "pie":
        return list(mark.labels)
    return [mark.name] if mark.name else []


def _trace_mark(trace: Mapping[str, Any]) -> tuple[str, Mark | None]:
    """The panel key (axes pair, scene, or the pie itself) and the mark of one trace; an unknown type
    has none."""
    kind_of = trace.get("type") or "scatter"
    if kind_of == "pie":
        return f"pie{id(trace)}", _pie(trace)
    if kind_of in _SCATTERS:
        kind = _scatter_kind(trace)
    else:
        kind = _KINDS.get(kind_of)
    if kind is None:
        return "", None
    if kind_of == "scatter3d" or kind == "3d":
        return trace.get("scene") or "scene", _mark_3d(trace, kind)
    key = f"{trace.get('xaxis') or 'x'}|{trace.get('yaxis') or 'y'}"
    return key, _cartesian(trace, kind)


def _scatter_kind(trace: Mapping[str, Any]) -> str:
    """A ``scatter`` trace is an area when filled or stacked, a line when its mode draws lines, else
    points."""
    mode = str(trace.get("mode") or "")
    if trace.get("stackgroup") or trace.get("fill") not in (None, "none"):
        return "area"
    if not mode:  # plotly's default: lines (with markers under 20 points)
        return "line"
    return "line" if "lines" in mode else "scatter" if "markers" in mode else "line"


def array(value: Any) -> np.ndarray | None:
    """A trace property as an array: lists, NumPy arrays, pandas objects or base64 typed arrays."""
    if value is None or isinstance(value, str | bytes):
        return None
    try:
        if isinstance(value, Mapping) and "bdata" in value:
            raw = base64.b64decode(value["bdata"])
            result = np.frombuffer(raw, dtype=np.dtype(value.get("dtype", "f8")))
            shape = value.get("shape")
            return result.reshape([int(n) for n in str(shape).split(",")]) if shape else result
        result = (
            value
            if isinstance(value, np.ndarray)
            else np.asarray(list(value) if not hasattr(value, "__array__") else value)
        )
    except Exception:  # noqa: BLE001 - an unreadable property is no data
        return None
    return result if result.ndim >= 1 and result.size else None


def _distinct(values: np.ndarray) -> int:
    """How many different values (vectorised: a million-row trace is counted in milliseconds)."""
    try:
        return len(pd.unique(np.asarray(values, dtype=object).ravel()))
    except TypeError:  # unhashable cells
        return len({str(v) for v in values[:10_000]})


def _numeric(values: np.ndarray | None) -> bool:
    return values is not None and (values.dtype.kind in "biufmM")


def _cartesian(trace: Mapping[str, Any], kind: str) -> Mark:
    """A trace on x/y axes: a grid, one bar per distinct category (a possible aggregate: labels and
    values), or raw arrays."""
    xs, ys = array(trace.get("x")), array(trace.get("y"))
    horizontal = trace.get("orientation") == "h"
    mark = Mark(
        kind,
        name=str(trace.get("name") or ""),
        horizontal=horizontal and kind in ("bar", "histogram", "box", "violin"),
    )
    mark.count = _cartesian_count(kind, xs, ys, horizontal)
    cells = array(trace.get("z"))
    if kind in ("heatmap", "density2d", "contour") and cells is not None:
        return _grid(mark, cells, xs, ys)
    categories, values = (ys, xs) if horizontal else (xs, ys)
    if (
        kind == "bar"
        and categories is not None
        and values is not None
        and not _numeric(categories)
        and _numeric(values)
        and len(categories) <= 1000
        and _distinct(categories) == len(categories)
    ):
        mark.labels = tuple(str(v) for v in categories)  # one bar per category: maybe an aggregate
        mark.values = values
        return mark
    if kind == "bar" and values is not None and _numeric(values):
        mark.values = values
    for role, values_ in (("x", xs), ("y", ys)):
        if values_ is not None:
            mark.arrays.append((role, values_))
    mark.arrays += _encodings(trace, mark.count)
    return mark


def _cartesian_count(kind: str, xs: np.ndarray | None, ys: np.ndarray | None, horizontal: bool) -> int:
    """How many marks a trace on x/y axes draws, as far as the figure says."""
    if kind == "histogram":
        return 0  # plotly bins in the browser: the number of bins is not in the figure
    if kind in ("box", "violin"):  # one per category, else one
        categories = ys if horizontal else xs
        return _distinct(categories) if categories is not None and not _numeric(categories) else 1
    count_of = ys if horizontal is False and ys is not None else xs if xs is not None else ys
    return 0 if count_of is None else len(count_of)


def _grid(mark: Mark, cells: np.ndarray, xs: np.ndarray | None, ys: np.ndarray | None) -> Mark:
    """A heatmap, 2-D density or contour: one opaque mark, its matrix kept when both axes are
    categories that match the cells' shape (the table a heatmap was asked to show)."""
    mark.opaque = True
    for role, values in (("xcat", xs), ("ycat", ys)):
        if values is not None and not _numeric(values):
            mark.arrays.append((role, values))
    if len(mark.arrays) == 2 and cells.ndim == 2 and cells.shape == (len(ys), len(xs)):
        mark.matrix, mark.grid = cells, (tuple(map(str, xs)), tuple(map(str, ys)))
    mark.count = 1
    return mark


def _encodings(trace: Mapping[str, Any], n: int) -> list[tuple[str, Any]]:
    """Marker colour and size arrays that carry data (Plotly Express's ``color=``/``size=`` on a number)."""
    marker = trace.get("marker") if isinstance(trace.get("marker"), Mapping) else {}
    found: list[tuple[str, Any]] = []
    for role in ("color", "size"):
        values = array(marker.get(role))
        if values is not None and values.ndim == 1 and len(values) == n > 1 and _numeric(values):
            found.append((role, values))
    return found


def _pie(trace: Mapping[str, Any]) -> Mark:
    """Slices: labels with values (one per label: maybe an aggregate), or labels alone (plotly counts
    them)."""
    labels, values = array(trace.get("labels")), array(trace.get("values"))
    mark = Mark("pie", name=str(trace.get("name") or ""), share=True)
    if labels is None:
        mark.opaque = True
        mark.count = 0 if values is None else len(values)
        return mark
    mark.count = _distinct(labels)
    if values is None or len(values) != len(labels):  # slices are counts of the labels
        mark.arrays.append(("labels", labels))
        return mark
    if mark.count == len(labels):
        mark.labels, mark.values = tuple(str(v) for v in labels), values
    else:
        mark.arrays += [("labels", labels), ("values", values)]
    return mark


def _mark_3d(trace: Mapping[str, Any], kind: str) -> Mark:
    if kind != "3d":
        xs, ys, zs = (array(trace.get(k)) for k in ("x", "y", "z"))
        arrays = [(role, v) for role, v in (("x", xs), ("y", ys), ("z", zs)) if v is not None]
        count = len(xs) if xs is not None else 0
        arrays += _encodings(trace, count)
        return Mark(kind, count=count, arrays=arrays, name=str(trace.get("name") or ""))
    return Mark("3d", count=1, opaque=True)
