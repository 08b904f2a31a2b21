"""matplotlib collections (scatters, fills, meshes, hexbins, contours, 3-D) as ``Mark``s, and axis helpers.

A ``FillBetweenPolyCollection`` is three things: a violin body (symmetric about its
centre), a line's error band (its lower edge moves and a line of its colour runs
through it: part of that line, no mark), or an area under a curve. A hexbin is a plain
``PolyCollection`` of one hexagon repeated at its offsets. Category axes (seaborn's
string units, pandas' fixed text ticks) turn mark positions back into the labels drawn
under them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .facts_marks import Mark

#: Tick labels beyond this many are not read (each costs matplotlib a Tick object).
MAX_TICKS = 200


def tick_texts(axis: Any) -> list[str]:
    """An axis's tick labels as text (empty when matplotlib cannot format them without drawing).

    Hundreds of ticks (a category axis of every row) are not read: matplotlib builds one
    object per tick, seconds of work for labels nobody can read anyway.
    """
    try:
        if len(axis.get_ticklocs()) > MAX_TICKS:
            return []
        return [t.get_text() for t in axis.get_ticklabels()]
    except Exception:  # noqa: BLE001
        return []


def axis_categories(axis: Any, positions: np.ndarray) -> tuple[str, ...] | None:
    """The tick labels at ``positions`` when the axis is categorical (text ticks), else ``None``."""
    try:
        from matplotlib.ticker import FixedLocator

        mapping = getattr(getattr(axis, "units", None), "_mapping", None)
        if not mapping and not isinstance(axis.get_major_locator(), FixedLocator):
            return None
        locs = np.asarray(axis.get_ticklocs(), dtype=float)
        texts = tick_texts(axis)
    except Exception:  # noqa: BLE001
        return None
    if not len(locs) or len(texts) != len(locs):
        return None
    if not mapping and all(
        _numeric_text(t) and abs(_number(t) - loc) < 1e-9 for t, loc in zip(texts, locs, strict=True)
    ):
        return None  # fixed ticks that read their own positions: a numeric axis
    labels = []
    for position in positions:
        nearest = int(np.argmin(np.abs(locs - position)))
        if abs(locs[nearest] - position) > 0.5 or not texts[nearest]:
            return None
        labels.append(texts[nearest])
    return tuple(labels)


def series_name(label: Any) -> str:
    """An artist's legend label, or "" for matplotlib's hidden ``_child0``-style ones."""
    text = str(label or "")
    return "" if text.startswith("_") else text


def grid_mark(ax: Any, kind: str, artist: Any = None) -> Mark:
    """A heatmap's rows and columns: column names (a correlation matrix) or a column's values,
    with its cells when the labels under every column and beside every row can be read."""
    mark = Mark(kind, count=1, opaque=True)
    for role, axis in (("xcat", ax.xaxis), ("ycat", ax.yaxis)):
        texts = [t for t in tick_texts(axis) if t]
        if texts and any(not _numeric_text(t) for t in texts):
            mark.arrays.append((role, np.asarray(texts, dtype=object)))
    try:
        cells, xcentres, ycentres = _cells(artist)
    except Exception:  # noqa: BLE001 - cells we cannot place are left out
        return mark
    xlabels, ylabels = axis_categories(ax.xaxis, xcentres), axis_categories(ax.yaxis, ycentres)
    if cells is not None and xlabels and ylabels:
        mark.matrix, mark.grid = cells, (xlabels, ylabels)
    return mark


def _cells(artist: Any) -> tuple[Any, np.ndarray, np.ndarray]:
    """A mesh's or an image's cells (rows by columns) and the centres of its columns and rows."""
    if artist is None:
        return None, np.empty(0), np.empty(0)
    if hasattr(artist, "get_coordinates"):  # QuadMesh
        corners = artist.get_coordinates()
        cells = np.ma.asarray(artist.get_array()).reshape(corners.shape[0] - 1, corners.shape[1] - 1)
        xs, ys = corners[0, :, 0], corners[:, 0, 1]
        return cells, (xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2
    cells = np.ma.asarray(artist.get_array())
    if cells.ndim != 2:
        return None, np.empty(0), np.empty(0)
    left, right, bottom, top = artist.get_extent()
    rows, columns = cells.shape
    xcentres = left + (np.arange(columns) + 0.5) * (right - left) / columns
    if artist.origin == "upper":
        ycentres = top - (np.arange(rows) + 0.5) * (top - bottom) / rows
    else:
        ycentres = bottom + (np.arange(rows) + 0.5) * (top - bottom) / rows
    return cells, xcentres, ycentres


def _numeric_text(text: str) -> bool:
    try:
        _number(text)
    except ValueError:
        return False
    return True


def _number(text: str) -> float:
    return float(text.replace("\N{MINUS SIGN}", "-").replace(",", ""))


def collection_marks(ax: Any, taken: set[int]) -> list[Mark]:
    """Marks of an Axes' collections, in drawing order; one holding data we cannot trace is opaque."""
    marks: list[Mark] = []
    for collection in ax.collections:
        if id(collection) not in taken:
            marks += _contour_or_3d_marks(collection) or _flat_marks(ax, collection, taken)
    return marks


def _contour_or_3d_marks(collection: Any) -> list[Mark]:
    """A contour's or a 3-D collection's mark (``[]`` for any other collection).

    Tried first: the 3-D collections subclass the flat ones ``_flat_marks`` tells apart.
    """
    from matplotlib.contour import ContourSet

    name = type(collection).__name__
    if isinstance(collection, ContourSet):
        return [Mark("contour", count=1, opaque=True)]
    if name == "Path3DCollection":
        return [_scatter3d_mark(collection)]
    if name in ("Poly3DCollection", "Line3DCollection"):
        return [Mark("3d", count=1, opaque=True)]
    return []


def _flat_marks(ax: Any, collection: Any, taken: set[int]) -> list[Mark]:
    """A flat collection's marks, by the most specific type first (a fill and a hexbin are
    ``PolyCollection``s too)."""
    from matplotlib.collections import (
        FillBetweenPolyCollection,
        LineCollection,
        PathCollection,
        PolyCollection,
        QuadMesh,
    )

    if isinstance(collection, PathCollection):
        return [_scatter_mark(ax, collection)]
    if isinstance(collection, FillBetweenPolyCollection):
        return _fill_marks(ax, collection, taken)
    if isinstance(collection, QuadMesh):
        return [grid_mark(ax, "heatmap", collection)]
    if type(collection) is PolyCollection and _is_hexbin(collection):
        return [Mark("hexbin", count=len(collection.get_offsets()), opaque=True)]
    if isinstance(collection, LineCollection):
        return _segment_marks(collection)
    if len(collection.get_offsets()) > 1 or collection.get_array() is not None:
        return [Mark("other", opaque=True)]  # a quiver, barbs, patches: data we cannot trace
    return []


def _segment_marks(collection: Any) -> list[Mark]:
    """``vlines``/``hlines``/``stem`` segments (positions traced if a column gives them), or a line coloured
    segment by segment by a column (a ``LineCollection`` with an array): that is a line."""
    try:
        segments = [np.asarray(seg, dtype=float) for seg in collection.get_segments()]
    except (TypeError, ValueError):
        return []
    if len(segments) < 2 or any(seg.shape != (2, 2) for seg in segments):
        return []
    starts, ends = np.array([seg[0] for seg in segments]), np.array([seg[1] for seg in segments])
    colours = collection.get_array()
    if (
        colours is not None
        and np.ndim(colours) == 1
        and len(colours) == len(segments) >= 3
        and np.allclose(starts[1:], ends[:-1])
    ):
        return [
            Mark(
                "line",
                count=len(segments) + 1,
                arrays=[
                    ("x", np.append(starts[:, 0], ends[-1, 0])),
                    ("y", np.append(starts[:, 1], ends[-1, 1])),
                    ("colour", np.ma.filled(np.ma.asarray(colours, dtype=float), np.nan)),
                ],
            )
        ]
    arrays = [
        (f"{axis}{i}", points[:, j]) for i, points in enumerate((starts, ends)) for j, axis in enumerate("xy")
    ]
    return [Mark("segments", arrays=arrays, optional=True)]


def _is_hexbin(collection: Any) -> bool:
    """``hexbin`` leaves one hexagon path repeated at every offset, coloured by count."""
    paths = collection.get_paths()
    return len(paths) == 1 and len(paths[0].vertices) in (6, 7) and collection.get_array() is not None


def _scatter_mark(ax: Any, collection: Any) -> Mark:
    """A scatter's positions (a category axis read back to its labels) plus colour and size arrays."""
    offsets = np.asarray(collection.get_offsets(), dtype=float)
    mark = Mark("scatter", count=len(offsets), name=series_name(collection.get_label()))
    if not len(offsets):
        return mark
    for role, axis, column in (("x", ax.xaxis, 0), ("y", ax.yaxis, 1)):
        categories = axis_categories(axis, np.round(offsets[:, column]))
        if categories is not None:  # a strip or swarm plot: the axis is a column's categories
            mark.arrays.append((role + "cat", np.asarray(sorted(set(categories)), dtype=object)))
        else:
            mark.arrays.append((role, offsets[:, column]))
    mark.arrays += _encodings(collection, len(offsets))
    return mark


def _encodings(collection: Any, n: int) -> list[tuple[str, Any]]:
    """Colour and size arrays that carry data (``c=df.Height``, ``s=df.Units``), one value per point."""
    found: list[tuple[str, Any]] = []
    colours = collection.get_array()
    if colours is not None and np.ndim(colours) == 1 and len(colours) == n > 1:
        found.append(("colour", np.ma.filled(np.ma.asarray(colours, dtype=float), np.nan)))
    sizes = np.asarray(collection.get_sizes(), dtype=float)
    if len(sizes) == n > 1 and np.ptp(sizes) > 0:
        found.append(("size", sizes))
    return found


def _scatter3d_mark(collection: Any) -> Mark:
    xs, ys, zs = (np.asarray(a, dtype=float) for a in collection._offsets3d)
    return Mark(
        "scatter",
        count=len(xs),
        arrays=[("x", xs), ("y", ys), ("z", zs)],
        name=series_name(collection.get_label()),
    )


def _fill_marks(ax: Any, collection: Any, taken: set[int]) -> list[Mark]:
    """A violin body (symmetric about its centre), an error band around a line (drawn by no
    reader as a mark), or an area under a curve."""
    vertices = (
        np.concatenate([p.vertices for p in collection.get_paths()]) if collection.get_paths() else None
    )
    if vertices is None or not len(vertices):
        return []
    dependent = 1 if getattr(collection, "_f_direction", "y") == "y" else 0
    t, f = vertices[:, 1 - dependent], vertices[:, dependent]
    keys, inverse = np.unique(t, return_inverse=True)
    upper = np.full(len(keys), -np.inf)
    lower = np.full(len(keys), np.inf)
    np.maximum.at(upper, inverse, f)
    np.minimum.at(lower, inverse, f)
    centre = (upper + lower) / 2
    width = float(np.nanmax(upper - lower)) or 1.0
    if len(keys) > 4 and np.nanstd(centre) <= 1e-6 * width and np.nanstd(upper - lower) > 1e-3 * width:
        axis = ax.xaxis if dependent == 0 else ax.yaxis
        position = float(np.nanmean(centre))
        labels = axis_categories(axis, np.asarray([position])) or ()
        return [
            Mark(
                "violin",
                count=1,
                labels=labels,
                horizontal=dependent == 1,
                position=position,
                quartiles=((float(keys.min()), float(keys.max())),),
                percentiles=(0, 100),
            )
        ]
    if np.ptp(lower) > 1e-9 * width and _has_line_of_colour(ax, collection):
        return []  # a confidence band: part of its line
    _drop_edge_lines(ax, keys, upper, taken)
    return [
        Mark(
            "area",
            count=len(keys),
            arrays=[("x", keys), ("y", upper)],
            name=series_name(collection.get_label()),
        )
    ]


def _has_line_of_colour(ax: Any, collection: Any) -> bool:
    colours = collection.get_facecolor()
    if not len(colours):
        return False
    rgb = np.round(np.asarray(colours[0][:3], dtype=float), 3)
    from matplotlib.colors import to_rgb

    return any(np.allclose(np.round(to_rgb(line.get_color()), 3), rgb) for line in ax.lines)


def _drop_edge_lines(ax: Any, keys: np.ndarray, upper: np.ndarray, taken: set[int]) -> None:
    """pandas draws an area's edge as a line too: that line is the area, not a second mark."""
    for line in ax.lines:
        try:
            xs, ys = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
        except (TypeError, ValueError):
            continue
        if len(xs) == len(keys) and np.allclose(np.sort(xs), keys) and np.allclose(ys[np.argsort(xs)], upper):
            taken.add(id(line))
