"""Group aggregates behind a figure's marks: per-group sums and means, pivots, histogram bins, box quartiles.

A bar per category, a slice per label or a heatmap cell per pair is usually an
aggregate of one column over the groups of another (``groupby(...).sum()``,
``value_counts``, ``pivot_table``, ``crosstab``). These are computed only for the
grouping columns the figure's own labels already name, once per call (``cache``), in
vectorised pandas, so a long frame costs a few group-bys, never a loop over its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .facts_columns import AGGREGATES, MAX_COLUMNS, MAX_GROUPS, ColumnView, Source, close, label_text


def grouped_table(
    view: ColumnView,
    cache: dict[tuple[int, str], pd.DataFrame | None],
    within: tuple[ColumnView, str] | None = None,
) -> pd.DataFrame | None:
    """Every numeric column aggregated per group of ``view``, indexed by the group's label text.

    ``within`` keeps the rows where another column reads a label first: one hue level's
    bars (a legend entry) are that level's aggregates.
    """
    key = (
        id(view.frame),
        view.name
        + ("#index" if view.is_index else "")
        + (f"#{within[0].name}={within[1]}" if within else ""),
    )
    if key in cache:
        return cache[key]
    table = None
    try:
        frame = view.frame
        numeric = frame.select_dtypes(include=["number", "bool"]).iloc[:, :MAX_COLUMNS]
        groups = np.asarray(view.values)
        if within is not None:
            keep = _rows_reading(within[0], within[1])
            numeric, groups = numeric[keep], groups[keep]
        grouped = numeric.groupby(groups, sort=False, observed=True)
        if 0 < grouped.ngroups <= MAX_GROUPS:
            table = grouped.agg(list(AGGREGATES[:-1]) + ["count"])
            table[("", "size")] = grouped.size()
            table.index = [label_text(v) for v in table.index]
    except Exception:  # noqa: BLE001 - a column that will not group is simply not a grouping
        table = None
    cache[key] = table
    return table


def _rows_reading(view: ColumnView, label: str) -> np.ndarray:
    """Rows whose value in ``view`` reads ``label`` (vectorised: the distinct values are compared, not
    the rows)."""
    values = pd.Series(np.asarray(view.values, dtype=object))
    wanted = [v for v in values.drop_duplicates().head(MAX_GROUPS * 20) if label_text(v) == label]
    return values.isin(wanted).to_numpy()


def match_grouped(
    labels: Sequence[str],
    values: np.ndarray,
    group: ColumnView,
    cache: dict[tuple[int, str], pd.DataFrame | None],
    *,
    normalised: bool = False,
    within: tuple[ColumnView, str] | None = None,
) -> Source | None:
    """The aggregate of a column per group that gives ``values`` at ``labels`` (a pie: as shares)."""
    table = grouped_table(group, cache, within)
    values = np.asarray(values, dtype=np.float64)
    if table is None or len(labels) != len(values) or not set(labels) <= set(table.index):
        return None
    aligned = table.loc[list(labels)]
    if normalised and np.nansum(values) > 0:
        values = values / np.nansum(values)
    for (column, how), series in aligned.items():
        candidate = series.to_numpy(dtype=np.float64, na_value=np.nan)
        if normalised:
            total = np.nansum(candidate)
            if not total:
                continue
            candidate = candidate / total
        if close(values, candidate):
            if how in ("count", "size"):
                return Source(group.name, "count", group.name)
            return Source(str(column), how, group.name)
    return None


def match_pivot(
    grid: tuple[Sequence[str], Sequence[str]],
    matrix: Any,
    columns_of: ColumnView,
    rows_of: ColumnView,
    cache: dict[tuple[int, str], pd.DataFrame | None],
) -> Source | None:
    """The aggregate of a column per pair of groups that fills a heatmap's cells (rows by columns)."""
    cells = np.ma.filled(np.ma.asarray(matrix, dtype=np.float64), np.nan)
    xlabels, ylabels = list(grid[0]), list(grid[1])
    if cells.shape != (len(ylabels), len(xlabels)):
        return None
    table = _pair_table(columns_of, rows_of, cache)
    if table is None:
        return None
    for (column, how), series in table.items():
        candidate = series.unstack()
        if not (set(ylabels) <= set(candidate.index) and set(xlabels) <= set(candidate.columns)):
            continue
        values = candidate.reindex(index=ylabels, columns=xlabels).to_numpy(dtype=np.float64, na_value=np.nan)
        if how in ("count", "size"):
            values = np.where(np.isnan(values), 0.0, values) if not np.isnan(cells).any() else values
        if close(cells.ravel(), values.ravel()):
            name = rows_of.name if how in ("count", "size") else str(column)
            return Source(
                name, "count" if how in ("count", "size") else how, f"{rows_of.name} and {columns_of.name}"
            )
    return None


def _pair_table(
    columns_of: ColumnView, rows_of: ColumnView, cache: dict[tuple[int, str], pd.DataFrame | None]
) -> pd.DataFrame | None:
    """Every numeric column aggregated per (row group, column group), both levels as label text."""
    key = (id(rows_of.frame), f"{rows_of.name}|{columns_of.name}#pairs")
    if key not in cache:
        table = None
        try:
            numeric = rows_of.frame.select_dtypes(include=["number", "bool"]).iloc[:, :MAX_COLUMNS]
            keys = [np.asarray(rows_of.values), np.asarray(columns_of.values)]
            grouped = numeric.groupby(keys, sort=False, observed=True)
            if 0 < grouped.ngroups <= MAX_GROUPS * 10:
                table = grouped.agg(list(AGGREGATES[:-1]) + ["count"])
                table[("", "size")] = grouped.size()
                table.index = pd.MultiIndex.from_tuples(
                    [(label_text(a), label_text(b)) for a, b in table.index]
                )
        except Exception:  # noqa: BLE001 - columns that will not group are simply no pivot
            table = None
        cache[key] = table
    return cache[key]


def match_bins(edges: np.ndarray, total: float, views: Sequence[ColumnView]) -> Source | None:
    """The column a histogram counts: its range fills the bins and its non-missing count is the total.

    Ambiguous when two columns fit; then nothing is claimed.
    """
    edges = np.asarray(edges, dtype=np.float64)
    if len(edges) < 2:
        return None
    span = max(edges[-1] - edges[0], 1e-12)
    exact, loose = [], []
    for view in views:
        for column in view.numbers[:1]:
            finite = column[np.isfinite(column)]
            if (
                not len(finite)
                or finite.min() < edges[0] - 1e-9 * span
                or finite.max() > edges[-1] + 1e-9 * span
            ):
                continue
            counted = total <= 0 or abs(len(finite) - total) <= 0.5
            ends = (
                abs(finite.min() - edges[0]) <= 1e-6 * span and abs(finite.max() - edges[-1]) <= 1e-6 * span
            )
            if ends and counted:
                exact.append(view.name)
            elif ends:
                loose.append(view.name)
    names = exact or loose
    return Source(names[0], "bins") if len(set(names)) == 1 else None


def _edges(values: np.ndarray, percentiles: tuple[float, float]) -> tuple[float, float] | None:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return None
    low, high = np.percentile(finite, percentiles)
    return float(low), float(high)


def _same_box(box: tuple[float, float], edges: tuple[float, float] | None) -> bool:
    return edges is not None and close(np.asarray(box, dtype=float), np.asarray(edges, dtype=float))


def _label_keys(group: ColumnView) -> np.ndarray:
    """Every row's group as label text (each distinct value converted once, not each row)."""
    codes, uniques = pd.factorize(np.asarray(group.values, dtype=object))
    texts = np.asarray([label_text(u) for u in uniques] + [""], dtype=object)
    return texts[codes]  # code -1 (missing) reads the trailing ""


def match_quartiles(
    boxes: Sequence[tuple[float, float]],
    labels: Sequence[str],
    group: ColumnView | None,
    views: Sequence[ColumnView],
    percentiles: tuple[float, float] = (25, 75),
) -> list[Source]:
    """The columns whose quartiles (or other percentiles: a violin's range is 0 to 100) are the boxes' edges:
    per group of ``group``, or one column per box."""
    numeric = [v for v in views if v.numbers and not v.is_index]
    how = "quartiles" if percentiles == (25, 75) else "range"
    if group is not None and len(labels) == len(boxes):
        keys = _label_keys(group)
        for view in numeric:
            column = view.numbers[0]
            if len(column) != len(keys):
                continue
            if all(
                _same_box(box, _edges(column[keys == label], percentiles))
                for box, label in zip(boxes, labels, strict=True)
            ):
                return [Source(view.name, how, group.name)]
        return []
    found: list[Source] = []
    for box in boxes:
        match = next((v for v in numeric if _same_box(box, _edges(v.numbers[0], percentiles))), None)
        if match is None:
            return []
        found.append(Source(match.name, how))
    return list(dict.fromkeys(found))
