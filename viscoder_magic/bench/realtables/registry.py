"""The frame registry: every realtables frame is a named, seeded builder.

Frames are built by code, not read from files, so the suite needs no data download
and a table is the same on every machine. Each builder declares what it covers
(``covers``), so the tests can check that the frame really has the dtype or label
shape the suite claims to exercise.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

Builder = Callable[[], pd.DataFrame]

#: What a frame can claim to cover; ``tests/test_bench_realtables.py`` has one check per name.
COVERAGE = (
    "string",
    "category",
    "Int64",
    "boolean",
    "datetime_s",
    "datetime_ms",
    "datetime_us",
    "datetime_ns",
    "tz",
    "period",
    "timedelta",
    "named_index",
    "datetime_index",
    "multiindex_rows",
    "multiindex_columns",
    "spaces",
    "units",
    "unicode",
    "numeric_labels",
    "lookalike_labels",
    "wide",
    "long",
    "nan_heavy",
    "mixed_object",
)


@dataclass(frozen=True)
class FrameSpec:
    """One frame of the suite: its kernel name, domain, builder and the features it covers.

    ``split`` is None for the frames of the two hashed halves (``suite.split_of`` places them by
    name) and names the split for frames written for a split of their own, such as ``fresh``.
    """

    name: str
    domain: str
    build: Builder
    covers: tuple[str, ...]
    split: str | None = None


FRAMES: dict[str, FrameSpec] = {}


def register(domain: str, *covers: str, split: str | None = None) -> Callable[[Builder], Builder]:
    """Add a builder under its function name (also the frame's name in the kernel).

    ``split`` pins the frame to a split outside the hashed halves, so a set written later
    (blind, by someone else) cannot leak into dev or heldout through the name hash.
    """
    unknown = set(covers) - set(COVERAGE)
    if unknown:
        raise ValueError(f"Unknown coverage name(s) {sorted(unknown)}; use names from COVERAGE.")

    def add(build: Builder) -> Builder:
        if build.__name__ in FRAMES:
            raise ValueError(f"Frame '{build.__name__}' is registered twice.")
        FRAMES[build.__name__] = FrameSpec(build.__name__, domain, build, tuple(covers), split)
        return build

    return add


def rng(name: str) -> np.random.Generator:
    """A generator seeded from the frame's name: stable across runs, machines and registry order."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def with_missing(
    values: pd.Series | np.ndarray, share: float, gen: np.random.Generator, dtype: str | None = None
) -> pd.Series:
    """``values`` with ``share`` of the cells blanked (NaN, or NA for nullable dtypes), as exports
    leave them."""
    series = pd.Series(values, dtype=dtype)
    series[gen.random(len(series)) < share] = None
    return series


def text(values: np.ndarray | list[str]) -> pd.Series:
    """Labels as pandas' default string dtype, which is what ``read_csv`` gives analysts on pandas 3."""
    return pd.Series(values, dtype=pd.StringDtype(na_value=np.nan))
