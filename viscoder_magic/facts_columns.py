"""Which frame columns a plotted array comes from: raw, sorted, a subset, or a group aggregate.

The figure readers (``facts_matplotlib``, ``facts_plotly``) hand over the arrays a mark
holds; this module traces them back to the frames the program was given. Every test is
bounded: positions are compared on a fixed sample, membership on a few values, and a
group aggregate is computed only for a column whose values the figure's category labels
already name, so a 10^6-row frame costs a few vectorised passes, never a Python loop
over its rows. A match that is not clear is no match: the comparison treats an
unresolved array as "unknown", never as evidence against the request.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: Positions compared when an array is as long as the frame (O(1) in the row count).
SAMPLE_POSITIONS = 64
#: Values looked up one by one when an array is a subset of a column.
SUBSET_PROBES = 8
#: Columns of one frame considered at all (a wider frame is read on its first ones).
MAX_COLUMNS = 60
#: Groups beyond this are not aggregates a chart shows one mark per.
MAX_GROUPS = 500
#: Aggregates tried per group, as pandas names them.
AGGREGATES = ("sum", "mean", "median", "min", "max", "count")
RTOL = 1e-6


@dataclass(frozen=True)
class Source:
    """One traced array: the column, and how the figure derived it."""

    column: str
    #: raw, sorted, subset, index, categories, legend, sum, mean, median, min, max, count, bins, quartiles
    how: str
    by: str = ""
    #: Other columns holding the very same values: the figure cannot tell them apart.
    twins: tuple[str, ...] = ()

    def describe(self) -> str:
        """Readable form: ``Sales (sum by Region)``, ``Region (categories)``."""
        if self.how == "count" and self.by == self.column:
            return f"count by {self.by}"
        if self.by:
            return f"{self.column} ({self.how} by {self.by})"
        return self.column if self.how == "raw" else f"{self.column} ({self.how})"


class ColumnView:
    """One column (or index) of one frame, with its comparable forms computed on first use."""

    def __init__(self, frame: pd.DataFrame, label: Any, values: pd.Series | pd.Index, is_index: bool) -> None:
        self.frame = frame
        self.label = label
        self.name = str(label)
        self.values = values
        self.is_index = is_index

    @functools.cached_property
    def numbers(self) -> tuple[np.ndarray, ...]:
        """Float forms (dates as days since 1970, matplotlib's unit; tz-aware as UTC and as wall time)."""
        return numeric_forms(self.values)

    @functools.cached_property
    def uniques(self) -> frozenset[str] | None:
        """Distinct values as text, for matching category labels; ``None`` when there are too many."""
        values, limit = self.values, MAX_GROUPS * 20
        try:
            if isinstance(values.dtype, pd.CategoricalDtype):
                distinct = values.cat.categories if isinstance(values, pd.Series) else values.categories
            elif len(values[:50_000].unique()) > limit:  # a measurement, not a grouping: stop early
                return None
            else:
                distinct = values.unique()  # in its own dtype: no per-row conversion to text
        except Exception:  # noqa: BLE001 - unhashable cells: no categories to match
            return None
        if len(distinct) > limit:
            return None
        return frozenset(label_text(v) for v in distinct)


def label_text(value: Any) -> str:
    """A value as a tick label or legend entry shows it (``3.0`` reads ``3``)."""
    if isinstance(value, float | np.floating) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)
    return str(value).strip()


def numeric_forms(values: Any) -> tuple[np.ndarray, ...]:
    """An array's float forms; empty when it holds no numbers or dates. Never raises."""
    try:
        array = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
        dtype = getattr(values, "dtype", array.dtype)
        if isinstance(dtype, pd.DatetimeTZDtype):
            stamps = pd.DatetimeIndex(values)
            return (_days(stamps.tz_convert("UTC").tz_localize(None)), _days(stamps.tz_localize(None)))
        if np.issubdtype(array.dtype, np.datetime64):
            return (_days(pd.DatetimeIndex(array)),)
        if array.dtype == object and len(array) and isinstance(_first(array), pd.Timestamp | np.datetime64):
            stamps = pd.to_datetime(pd.Index(array), utc=True)
            return (_days(stamps.tz_localize(None)),)
        if array.dtype.kind in "biuf":
            return (array.astype(np.float64, copy=False).ravel(),)
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "biuf":
            return (pd.array(values).to_numpy(dtype=np.float64, na_value=np.nan),)
    except Exception:  # noqa: BLE001 - an odd dtype is no number, not a crash
        return ()
    return ()


def _first(array: np.ndarray) -> Any:
    return array.flat[0]


def _days(stamps: pd.DatetimeIndex) -> np.ndarray:
    nanoseconds = stamps.as_unit("ns").asi8.astype(np.float64)
    result = nanoseconds / 86_400e9
    result[stamps.isna()] = np.nan
    return result


def views_of(frames: Mapping[str, pd.DataFrame]) -> list[ColumnView]:
    """Every frame's first columns and its index levels (a named index is plotted as often as a column)."""
    views: list[ColumnView] = []
    for frame in frames.values():
        if not isinstance(frame, pd.DataFrame):
            continue
        for label in list(frame.columns)[:MAX_COLUMNS]:
            column = frame[label]
            if isinstance(column, pd.Series):
                views.append(ColumnView(frame, label, column, False))
        for level, name in enumerate(frame.index.names):
            if name is not None:
                views.append(ColumnView(frame, name, frame.index.get_level_values(level), True))
    return views


def close(a: np.ndarray, b: np.ndarray) -> bool:
    """Same shape, every value equal within ``RTOL`` (missing equals missing): plotted copies are exact
    or float round-trips of the column."""
    if a.shape != b.shape:
        return False
    both_nan = np.isnan(a) & np.isnan(b)
    scale = np.maximum(np.abs(a), np.abs(b))
    near = np.abs(a - b) <= RTOL * scale + 1e-9
    return bool(np.all(both_nan | near))


def _positions(n: int) -> np.ndarray:
    if n <= SAMPLE_POSITIONS:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, SAMPLE_POSITIONS).astype(int))


def _is_positions(array: np.ndarray) -> bool:
    """``0, 1, 2, ...``: where a categorical axis puts its marks, not data."""
    return len(array) > 0 and close(array, np.arange(len(array), dtype=float))


def match_numbers(array: np.ndarray, views: Sequence[ColumnView]) -> Source | None:
    """The column an array of numbers comes from as it is, sorted, or filtered; else ``None``."""
    array = np.asarray(array, dtype=np.float64).ravel()
    finite = array[np.isfinite(array)]
    if len(finite) < 2:
        return None
    if _is_positions(array):  # 0, 1, 2...: a column only when one holds exactly that (a step counter)
        equal = [v.name for v in views if _raw_equal(array, v)]
        return Source(equal[0], "raw", twins=tuple(equal[1:])) if equal else None
    best: tuple[int, Source] | None = None
    for view in views:
        how = _numbers_how(array, finite, view)
        if how is None:
            continue
        rank = ("raw", "sorted", "subset").index(how)
        source = Source(view.name, "index" if view.is_index and how == "raw" else how)
        if best is None or rank < best[0]:
            best = (rank, source)
        if rank == 0:
            break
    if best is None:
        return None
    if best[0] == 0:  # identical columns (a copy under another name): each may be the one plotted
        twins = tuple(v.name for v in views if v.name != best[1].column and _raw_equal(array, v))
        return Source(best[1].column, best[1].how, twins=twins) if twins else best[1]
    return best[1]


def _raw_equal(array: np.ndarray, view: ColumnView) -> bool:
    at = _positions(len(array))
    return any(len(column) == len(array) and close(array[at], column[at]) for column in view.numbers)


def _numbers_how(array: np.ndarray, finite: np.ndarray, view: ColumnView) -> str | None:
    for column in view.numbers:
        n = len(column)
        if n == len(array):
            at = _positions(n)
            if close(array[at], column[at]):
                return "raw"
            steps = np.diff(finite)
            monotonic = bool(np.all(steps >= 0) or np.all(steps <= 0))
            ordered = np.sort(column[np.isfinite(column)]) if monotonic else finite[:0]
            if len(ordered) == len(finite) and (
                close(finite[at[at < len(finite)]], ordered[at[at < len(finite)]])
                or close(finite[::-1][at[at < len(finite)]], ordered[at[at < len(finite)]])
            ):
                return "sorted"
        if len(finite) >= 5 and len(array) <= n and _subset(finite, column):
            return "subset"
    return None


def _subset(finite: np.ndarray, column: np.ndarray) -> bool:
    """A few of the array's values, each found in the column (bounded: ``SUBSET_PROBES`` passes)."""
    with np.errstate(invalid="ignore"):
        low, high = np.nanmin(column) if len(column) else np.nan, np.nanmax(column) if len(column) else np.nan
    if not (finite.min() >= low - 1e-9 and finite.max() <= high + 1e-9):
        return False
    probes = np.unique(finite[_positions(len(finite))])[:SUBSET_PROBES]
    if len(probes) < 3:
        return False
    for value in probes:
        if not np.any(np.abs(column - value) <= RTOL * abs(value) + 1e-9):
            return False
    return True


def match_labels(labels: Sequence[str], views: Sequence[ColumnView]) -> ColumnView | None:
    """The column whose distinct values include every label (category ticks, legend entries, pie slices)."""
    wanted = {label.strip() for label in labels if label and label.strip()}
    if not wanted or len(wanted) > MAX_GROUPS:
        return None
    exact, wider = None, None
    for view in views:
        uniques = view.uniques
        if uniques is None or not wanted <= uniques:
            continue
        if uniques == wanted:
            exact = exact or view
        else:
            wider = wider or view
    return exact or wider


def match_column_names(labels: Sequence[str], views: Sequence[ColumnView]) -> list[str]:
    """Labels that are column names themselves (a correlation matrix, one box per column)."""
    names = {view.name for view in views}
    return [label for label in labels if label in names]


def match_text(array: Any, views: Sequence[ColumnView]) -> Source | None:
    """The column an array of labels (text, categories) comes from: as it is, or its groups."""
    try:
        values = np.asarray(array, dtype=object).ravel()
    except Exception:  # noqa: BLE001
        return None
    if len(values) < 1:
        return None
    at = _positions(len(values))
    texts = [label_text(v) for v in values[at]]
    for view in views:
        if len(view.values) == len(values):
            column = np.asarray(view.values, dtype=object)
            if texts == [label_text(v) for v in column[at]]:
                return Source(view.name, "index" if view.is_index else "raw")
    distinct = {label_text(v) for v in values[: MAX_GROUPS * 20]}
    group = match_labels(sorted(distinct), views) if len(distinct) <= MAX_GROUPS else None
    return Source(group.name, "categories") if group is not None else None
