"""Which real label a name the program used was meant to be, if any.

A program that names a column the frame lacks gets told what exists. Suggesting the
closest label helps only when the name is a slip of it (case, spaces for underscores, a
letter dropped or swapped, a unit left off); for a name that is something else (an index,
a word of the request, another table's column), a "closest" label is a wrong lead that a
small model follows every round. So the similarity ignores case, accents, separators and
units, and a suggestion needs ``CLOSEST_CUTOFF``, measured on the realtables dev frames
(``benchmarks/closest_threshold.py``). A name that is the frame's index, or one of its
levels, is said to be that instead.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Least ``similarity`` for a label to be offered as the one meant: on the realtables dev frames it kept
#: 475 of 479 realistic slips and led 1 of 4,140 other names astray, the fewest wrong answers of any
#: cutoff (benchmarks/results/closest_threshold.json; an adjacent swap in a four-letter label, ``'Hihg'``,
#: scores exactly 0.75, so a cutoff a hair higher loses eleven slips).
CLOSEST_CUTOFF = 0.75
#: A match to a label's unit-less form counts a little less than one to the label as written.
UNITLESS_WEIGHT = 0.99
#: Trailing words that are units, left off as often as written (``rainfall_mm`` asked as ``rainfall``).
_UNIT_WORDS = frozenset(
    {
        "mm",
        "cm",
        "m",
        "km",
        "kg",
        "g",
        "s",
        "ms",
        "h",
        "min",
        "v",
        "usd",
        "eur",
        "pct",
        "c",
        "f",
        "hpa",
        "kwh",
        "mwh",
    }
)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SYMBOL_WORD = re.compile(r"\S*[°%$€£/]\S*")
_SEPARATORS = re.compile(r"[\W_]+")


def normal(label: Any) -> str:
    """The label in lower case, without accents, separators collapsed to one space."""
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub(" ", text).strip()


def unitless(label: Any) -> str:
    """``normal`` of the label with its unit left off: ``'precip (mm)'``, ``'temp °C'``, ``'battery_V'``."""
    words = normal(_SYMBOL_WORD.sub(" ", _BRACKETED.sub(" ", str(label)))).split()
    while len(words) > 1 and words[-1] in _UNIT_WORDS:
        words.pop()
    return " ".join(words)


def similarity(name: str, label: Any) -> float:
    """How likely ``name`` is a slip of ``label``: 1.0 for the same words in other case or spacing."""
    key = normal(name)
    if not key:
        return 0.0
    whole = difflib.SequenceMatcher(None, key, normal(label)).ratio()
    # the unit-less form a hair lower, so 'deal size' means 'Deal size' rather than 'Deal Size (old)'
    return max(whole, UNITLESS_WEIGHT * difflib.SequenceMatcher(None, key, unitless(label)).ratio())


def closest_label(name: str, labels: Iterable[Any], cutoff: float = CLOSEST_CUTOFF) -> Any | None:
    """The label ``name`` was most likely meant to be, or None when none is close enough.

    Tuples (a MultiIndex's labels) and numbers are compared as written; the first of equals wins.
    """
    best, best_score = None, cutoff
    for label in labels:
        score = similarity(name, label)
        if score > best_score or (score == best_score and best is None):
            best, best_score = label, score
    return best


def index_names(frame: Any) -> list[str]:
    """The names of the frame's row index (or its levels), those that are set."""
    index = getattr(frame, "index", None)
    return [str(n) for n in getattr(index, "names", []) if n is not None]


def column_level_names(frame: Any) -> list[str]:
    """The names of the levels of a MultiIndex on the columns, those that are set."""
    columns = getattr(frame, "columns", None)
    if getattr(columns, "nlevels", 1) < 2:
        return []
    return [str(n) for n in columns.names if n is not None]


def same_name(name: str, other: str) -> bool:
    """Equal but for case, accents and separators (``'Time stamp'`` is ``'timestamp'``)."""
    return normal(name).replace(" ", "") == normal(other).replace(" ", "")


def index_role(name: str, frame: Any) -> tuple[str, str] | None:
    """``('index', real)`` or ``('level', real)`` (or ``('column level', real)``) when ``name`` is one
    of them."""
    names = index_names(frame)
    for real in names:
        if same_name(name, real):
            return ("index" if len(names) == 1 and getattr(frame.index, "nlevels", 1) == 1 else "level"), real
    for real in column_level_names(frame):
        if same_name(name, real):
            return "column level", real
    return None


def index_advice(frame_name: str, role: str, real: str) -> str:
    """How to use an index (or a level) that a program took for a column, in one sentence."""
    if role == "index":
        return (
            f"{real!r} is the name of the index of {frame_name}, not a column: use {frame_name}.index "
            f"(or {frame_name}.reset_index() to make it a column)."
        )
    if role == "level":
        return (
            f"{real!r} is a level of the row MultiIndex of {frame_name}, not a column: use "
            f"{frame_name}.index.get_level_values({real!r}) (or {frame_name}.reset_index() to make the "
            f"levels columns; groupby({real!r}) takes a level by its exact name)."
        )
    return (
        f"{real!r} names a level of the column labels of {frame_name}, not a column: select with "
        f"{frame_name}.xs(LABEL, axis=1, level={real!r}), or {frame_name}.stack({real!r}).reset_index() "
        "for a long table where it is a column."
    )
