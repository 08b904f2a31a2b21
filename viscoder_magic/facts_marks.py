"""What a figure reader hands over: raw marks and panels, before their data is traced to columns.

The library readers (``facts_matplotlib``, ``facts_plotly``) build these and ``facts``
assembles them into ``FigureFacts``; the types sit below all three so the readers never
import the module that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Mark:
    """One drawn element as a reader hands it over: its kind and the data it carries."""

    kind: str
    count: int = 0
    arrays: list[tuple[str, Any]] = field(default_factory=list)  # role ("x", "y", ...) -> plotted values
    labels: tuple[str, ...] = ()  # category labels, aligned with ``values``
    values: Any = None  # bar heights, slice sizes, one per label
    edges: Any = None  # histogram bin edges
    total: float = 0.0  # histogram: the counted rows (0 when the heights are not counts)
    quartiles: tuple[tuple[float, float], ...] = ()  # box plots: each box's lower and upper edge
    percentiles: tuple[float, float] = (
        25,
        75,
    )  # what those edges are: a box's quartiles, a violin's range (0, 100)
    position: float = float("nan")  # a violin body's centre on its category axis
    name: str = ""  # legend entry of this series
    opaque: bool = False  # data exists but cannot be traced (a contour grid, a hexbin's counts)
    share: bool = False  # values are shares of a whole (pie)
    horizontal: bool = False
    ordered: bool = True  # False when the library reorders the bars itself (plotly's categoryorder)
    optional: bool = False  # reference lines, segments: traced when they can be, never "unknown data"
    matrix: Any = None  # a heatmap's cells, rows by columns
    grid: tuple[tuple[str, ...], tuple[str, ...]] = (
        (),
        (),
    )  # the labels under its columns and beside its rows


@dataclass
class RawPanel:
    """One Axes / subplot as a reader found it, before tracing its data to columns."""

    marks: list[Mark] = field(default_factory=list)
    x_label: str = ""
    y_label: str = ""
    z_label: str = ""
    x_scale: str = "linear"
    y_scale: str = "linear"
    title: str = ""
    legend: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()  # tick labels and annotations: names that appear without being data
    keys: tuple[str, ...] = ()  # legend entries (the panel's or its figure's): a hue column's values
