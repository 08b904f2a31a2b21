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

#: Rows used for statistics; beyond this we sample (O(1) in the frame's length).
SAMPLE_ROWS = 2000
#: Columns described one by one; wider frames are summarised within a budget.
MAX_DETAILED_COLUMNS = 40
#: Characters of any single value shown to the model (long text is data, not prompt).
MAX_VALUE_CHARS = 40
HEAD_ROWS = 5
#: Columns in the head table; every label is already in the column list above it.
MAX_HEAD_COLUMNS = 12
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


def _column_facts(series: pd.Series) -> str:
    """One line of cheap facts about a sampled column."""
    facts: list[str] = []
    nulls = int(series.isna().sum())
    if nulls:
        facts.append(f"{nulls} missing in sample")
    values = series.dropna()
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


def _index_line(frame: pd.DataFrame) -> str:
    index = frame.index
    kind = type(index).__name__
    if isinstance(index, pd.RangeIndex):
        return f"Index: {kind} from {index.start} (a plain row number)."
    if isinstance(index, pd.MultiIndex):
        return f"Index: MultiIndex with levels {list(index.names)}."
    name = f" named {index.name!r}" if index.name is not None else ""
    if isinstance(index, pd.DatetimeIndex) and len(index):
        return f"Index: {kind}{name}, from {index[0]} to {index[-1]}."
    return f"Index: {kind}{name} of dtype {index.dtype}."


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
        _index_line(frame),
        "Columns (label as Python literal, dtype, facts):",
        *_columns_section(frame, sample),
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
