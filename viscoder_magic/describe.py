"""Inspect stage: turn live frames into the text the model reads.

Two descriptions exist. ``head_description`` reproduces the PandasPlotBench "head"
descriptor, the format VisCoder was trained and evaluated on, so benchmark numbers
compare with the paper. ``describe_frame`` extends it with the cheap facts that
prevent the commonest errors (exact column labels, null counts, category levels,
ranges, index type). Every statistic is computed on a bounded sample, so the cost
does not grow with the row count: a 10-million-row frame is described as fast as a
10-row one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import VisCodeError
from .long_form import long_form_line

#: Rows used for statistics; beyond this we sample (O(1) in the frame's length).
SAMPLE_ROWS = 2000
#: Columns described one by one; wider frames are summarised within a budget.
MAX_DETAILED_COLUMNS = 40
#: Characters of any single value shown to the model (long text is data, not prompt).
MAX_VALUE_CHARS = 40
HEAD_ROWS = 5
#: Columns in the head table; every label is already in the column list above it.
MAX_HEAD_COLUMNS = 12
#: Category labels listed in full; more are counted.
MAX_CATEGORIES = 8
#: Values of an index or level listed one by one; a longer one shows its first and last.
MAX_LEVEL_VALUES = 6
#: Significant digits of a float: a full repr costs ~8 tokens per value, and a wide
#: numeric frame's 17-digit head once filled most of a 4,096-token context.
FLOAT_DIGITS = 6


@dataclass(frozen=True)
class FrameDescription:
    """What the model is told about one frame, plus the facts later stages check against."""

    name: str
    n_rows: int
    n_columns: int
    text: str
    columns: tuple[Any, ...]
    dtypes: tuple[str, ...]


def as_frame(name: str, obj: Any) -> pd.DataFrame:
    """Accept a DataFrame, or a Series/ndarray as a one-table frame; reject anything else."""
    if isinstance(obj, pd.DataFrame):
        frame = obj
    elif isinstance(obj, pd.Series):
        frame = obj.to_frame(name=obj.name if obj.name is not None else name)
    elif isinstance(obj, np.ndarray) and obj.ndim in (1, 2):
        frame = pd.DataFrame(obj if obj.ndim == 2 else {name: obj})
    else:
        kind = type(obj).__name__
        raise VisCodeError(
            f"`{name}` is a {kind}, not a pandas DataFrame. Pass the name of a DataFrame "
            f"(a Series or a 1-D/2-D NumPy array also works), for example "
            f"`%%viscode df`, or convert it first with `pd.DataFrame({name})`."
        )
    if frame.shape[1] == 0:
        raise VisCodeError(
            f"`{name}` has no columns, so there is nothing to plot. Check how the frame "
            "was built (for example a filter that dropped every column) and try again."
        )
    if frame.shape[0] == 0:
        raise VisCodeError(
            f"`{name}` has no rows, so there is nothing to plot. Check the filter or "
            "load step that produced it, then run the cell again."
        )
    return frame


def sample_rows(frame: pd.DataFrame, limit: int = SAMPLE_ROWS) -> pd.DataFrame:
    """A bounded, reproducible sample; positions are drawn without scanning the frame."""
    n = len(frame)
    if n <= limit:
        return frame
    positions = np.unique(np.random.default_rng(0).integers(0, n, size=limit))
    return frame.iloc[positions]


def label_text(label: Any) -> str:
    """A column label written so the model can copy it into code exactly."""
    return repr(label)


def _short(value: Any) -> str:
    if isinstance(value, float | np.floating) and np.isfinite(value):
        text = f"{value:.{FLOAT_DIGITS}g}"
        return text if any(c in text for c in ".e") else text + ".0"  # still reads as a float
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _categories(dtype: pd.CategoricalDtype) -> str:
    """A categorical's labels in their own order (the order sorting and plots use), the first eight."""
    labels = [repr(_short(c)) for c in dtype.categories[:MAX_CATEGORIES]]
    more = (
        f" (+{len(dtype.categories) - MAX_CATEGORIES} more)" if len(dtype.categories) > MAX_CATEGORIES else ""
    )
    joined = " < ".join(labels) if dtype.ordered else ", ".join(labels)
    return f"{len(dtype.categories)} {'ordered ' if dtype.ordered else ''}categories: {joined}{more}"


def is_pandas_text(dtype: Any) -> bool:
    """A pandas string dtype (``str``, ``string``), whose ``.unique()`` is an array without Series methods."""
    return (
        pd.api.types.is_string_dtype(dtype)
        and not pd.api.types.is_object_dtype(dtype)
        and not isinstance(dtype, pd.CategoricalDtype)
    )


def _column_facts(series: pd.Series) -> str:
    """One line of cheap facts about a sampled column."""
    facts: list[str] = []
    nulls = int(series.isna().sum())
    if nulls:
        facts.append(f"{nulls} missing in sample")
    values = series.dropna()
    if isinstance(series.dtype, pd.CategoricalDtype):  # every label, even one the sample lacks
        return "; ".join(facts + [_categories(series.dtype)])
    if values.empty:
        return "; ".join(facts + ["all missing in sample"])
    if pd.api.types.is_bool_dtype(series):
        facts.append("values True/False")
    elif pd.api.types.is_numeric_dtype(series):
        facts.append(f"range {_short(values.min())} .. {_short(values.max())}")
    elif pd.api.types.is_datetime64_any_dtype(series):
        facts.append(f"from {values.min()} to {values.max()}")
    else:
        try:
            counts = values.astype(str).value_counts()
        except TypeError:
            counts = pd.Series(dtype=int)
        levels = ", ".join(repr(_short(v)) for v in counts.index[:8])
        more = f" (+{len(counts) - 8} more)" if len(counts) > 8 else ""
        facts.append(f"{len(counts)} distinct: {levels}{more}")
    return "; ".join(facts)


def _dtype_notes(name: str, frame: pd.DataFrame) -> list[str]:
    """How pandas 3's text and categorical columns differ from plain ones, where a program trips on it."""
    shown = list(frame.dtypes.items())[:MAX_DETAILED_COLUMNS]
    text = [label for label, dtype in shown if is_pandas_text(dtype)]
    categorical = [label for label, dtype in shown if isinstance(dtype, pd.CategoricalDtype)]
    notes = []  # short: every frame pays these tokens, and the repair hint carries the longer fix
    if text:
        notes.append(
            f"- note: {_some(text)} {'is' if len(text) == 1 else 'are'} pandas text: .unique() returns "
            "an array, not a Series (sort it with sorted(...))"
        )
    if categorical:
        notes.append(
            f"- note: {_some(categorical)} {'is' if len(categorical) == 1 else 'are'} categorical: "
            f".unique() returns a Categorical, not a Series; the labels in order are "
            f"{name}[{label_text(categorical[0])}].cat.categories"
        )
    return notes


def _some(labels: list[Any]) -> str:
    """A few labels, quoted, with how many more."""
    more = f" (+{len(labels) - 4} more)" if len(labels) > 4 else ""
    return ", ".join(label_text(label) for label in labels[:4]) + more


def _columns_section(frame: pd.DataFrame, sample: pd.DataFrame) -> list[str]:
    lines = []
    labels = list(frame.columns)
    for position, label in enumerate(labels[:MAX_DETAILED_COLUMNS]):
        column = sample.iloc[:, position]
        lines.append(f"- {label_text(label)} ({frame.dtypes.iloc[position]}): {_column_facts(column)}")
    if len(labels) > MAX_DETAILED_COLUMNS:
        rest = labels[MAX_DETAILED_COLUMNS:]
        kinds = frame.dtypes.iloc[MAX_DETAILED_COLUMNS:].astype(str).value_counts()
        summary = ", ".join(f"{count} {dtype}" for dtype, count in kinds.items())
        names = ", ".join(label_text(label) for label in rest[:60])
        tail = ", …" if len(rest) > 60 else ""
        lines.append(f"- {len(rest)} more columns ({summary}): {names}{tail}")
    duplicated = frame.columns[frame.columns.duplicated()].unique()
    for label in duplicated:
        lines.append(
            f"- note: the label {label_text(label)} is used by several columns; "
            f"{'df'}[{label_text(label)}] returns a DataFrame, select one with .iloc"
        )
    return lines


def _value_text(value: Any) -> str:
    """An index value as the index line shows it: a midnight timestamp as its date, text quoted."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    if isinstance(value, str):
        return repr(_short(value))
    return _short(value)


def _values(index: pd.Index) -> str:
    """The values of an index or level: labels all when few, else (and dates, numbers) first .. last
    (two positions)."""
    if isinstance(index.dtype, pd.CategoricalDtype):
        return _categories(index.dtype)
    ordered = (
        pd.api.types.is_numeric_dtype(index.dtype)
        or index.dtype.kind in "mM"
        or isinstance(index, pd.PeriodIndex)
    )
    if len(index) <= MAX_LEVEL_VALUES and not ordered:
        return ", ".join(_value_text(v) for v in index)
    return f"{_value_text(index[0])} .. {_value_text(index[-1])}"


def _levels(index: pd.MultiIndex) -> str:
    """Each level of a MultiIndex: its name, dtype and values."""
    return ", ".join(
        f"{label_text(level.name) if level.name is not None else f'level {i}'} ({level.dtype}: "
        f"{_values(level)})"
        for i, level in enumerate(index.levels)
    )


def _index_line(frame: pd.DataFrame, name: str = "df") -> str:
    """The row index: its name, dtype and range, and how a program reaches it (it is not a column)."""
    index = frame.index
    kind = type(index).__name__
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return f"Index: RangeIndex from {index.start} (a plain row number)."
    if isinstance(index, pd.MultiIndex):
        first = label_text(index.names[0]) if index.names[0] is not None else "0"
        return (
            f"Index: MultiIndex with levels {_levels(index)}. They are the index, not columns: use "
            f"`{name}.index.get_level_values({first})` (or `{name}.reset_index()` to make them columns)."
        )
    values = _values(index) if len(index) else "empty"
    if index.name is None:
        return (
            f"Index: {kind} of dtype {index.dtype} ({values}): row labels, not a column: use `{name}.index`."
        )
    return (
        f"Index: {label_text(index.name)} ({kind}, dtype {index.dtype}, {values}). It is the index, not a "
        f"column: use `{name}.index` (or `{name}.reset_index()` to make it a column)."
    )


def _column_levels_line(frame: pd.DataFrame, name: str = "df") -> list[str]:
    """A MultiIndex on the columns: its levels, and how one column (or a first-level group) is selected."""
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex):
        return []
    return [
        f"Column labels: MultiIndex with levels {_levels(columns)}. Select one column with its tuple, "
        f"`{name}[{label_text(columns[0])}]`, or a first-level group with "
        f"`{name}[{label_text(columns[0][0])}]`."
    ]


def _head_table(frame: pd.DataFrame) -> str:
    head = frame.iloc[:HEAD_ROWS, :MAX_HEAD_COLUMNS]
    shown = head.map(_short) if hasattr(head, "map") else head.applymap(_short)
    with pd.option_context("display.width", 10000, "display.max_columns", None):
        table = shown.to_string()
    hidden = frame.shape[1] - head.shape[1]
    return table + (f"\n({hidden} more columns not shown; all are listed above)" if hidden else "")


def head_description(frame: pd.DataFrame) -> str:
    """The PandasPlotBench "head" descriptor, as the benchmark and VisCoder's training use it."""
    lines = f"DataFrame with {len(frame.columns)} columns and {len(frame)} rows\n"
    lines += "Column names and types: " + ", ".join(
        f"{column}: {dtype}" for column, dtype in zip(frame.columns, frame.dtypes, strict=True)
    )
    return lines + "\nHead:\n" + str(frame.head().to_json())


def describe_frame(name: str, frame: pd.DataFrame) -> FrameDescription:
    """Describe one frame for the model, within a fixed budget whatever its size."""
    sample = sample_rows(frame)
    sampled = f" (facts from a sample of {len(sample)} rows)" if len(sample) < len(frame) else ""
    parts = [
        f"`{name}`: a pandas DataFrame with {len(frame):,} rows and {frame.shape[1]} columns{sampled}.",
        _index_line(frame, name),
        *_column_levels_line(frame, name),
        "Columns (label as Python literal, dtype, facts):",
        *_columns_section(frame, sample),
        *_dtype_notes(name, frame),
        *long_form_line(name, frame),
        f"First {min(HEAD_ROWS, len(frame))} rows (values shortened):",
        _head_table(frame),
    ]
    return FrameDescription(
        name=name,
        n_rows=len(frame),
        n_columns=frame.shape[1],
        text="\n".join(parts),
        columns=tuple(frame.columns),
        dtypes=tuple(str(d) for d in frame.dtypes),
    )
