"""Requests for the loop, written the way plotting benchmarks word theirs: what to show and how it looks.

A request names its columns and describes the figure (title, axis labels, colours,
sorting, a log axis, panels) and never the function to call, so the model, not the
request, chooses the code. Each is built from the table's column roles by a template
and a seeded ``random.Random``; a request is kept only when ``viscoder_magic.intent``
reads every column it names, because the loop's filter checks the figure against
those columns.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from viscoder_magic.intent import read_intent

from .tables import Table

COLOURS = ("teal", "dark orange", "steel blue", "crimson", "olive green", "purple", "slate grey")
LEGEND_PLACES = ("in the upper left corner", "outside the plot on the right", "below the plot")


@dataclass(frozen=True)
class LoopRequest:
    """One request of the loop: its text, library and the columns it names."""

    id: str
    table: str
    source: str
    lib: str
    kind: str
    text: str
    columns: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def column_roles(frame: pd.DataFrame) -> dict[str, list[str]]:
    """time / num / cat columns (a named DatetimeIndex counts as time): the parts a chart can give them."""
    roles: dict[str, list[str]] = {"time": [], "num": [], "cat": []}
    if isinstance(frame.index, pd.DatetimeIndex) and frame.index.name:
        roles["time"].append(str(frame.index.name))
    for name, column in frame.items():
        label = str(name)
        values = column.dropna()
        if pd.api.types.is_datetime64_any_dtype(column) or label.lower() in ("year", "date", "month"):
            roles["time"].append(label)
        elif pd.api.types.is_bool_dtype(column) or label.lower().endswith("id"):
            continue
        elif pd.api.types.is_numeric_dtype(column) and values.nunique() > 5:
            roles["num"].append(label)
        elif 2 <= values.nunique() <= 12 and not pd.api.types.is_float_dtype(column):
            roles["cat"].append(label)
    return roles


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _q(name: str) -> str:
    return f"'{name}'"


def _bar(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if not roles["cat"] or not roles["num"]:
        return None
    cat, num = rng.choice(roles["cat"]), rng.choice(roles["num"])
    stat = rng.choice(("average", "total", "median"))
    text = rng.choice(
        (
            f"Show the {stat} {_q(num)} for each {_q(cat)} as bars.",
            f"Compare the {stat} {_q(num)} of the {_q(cat)} groups in a bar chart.",
        )
    )
    style = [rng.choice(("Sort the bars from highest to lowest.", "Sort the bars in ascending order.", ""))]
    style.append(f"Colour the bars {rng.choice(COLOURS)}.")
    return text, style, [num, cat]


def _line(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if not roles["time"] or not roles["num"]:
        return None
    time, nums = (
        rng.choice(roles["time"]),
        rng.sample(roles["num"], min(len(roles["num"]), rng.choice((1, 2)))),
    )
    shown = " and ".join(_q(n) for n in nums)
    text = rng.choice(
        (
            f"Draw how {shown} changed over {_q(time)} as a line chart.",
            f"Plot {shown} over {_q(time)} as lines, one per series.",
        )
    )
    style = [f"Draw {_a(rng.choice(COLOURS))} line" + (" for the first series." if len(nums) > 1 else ".")]
    if len(nums) > 1:
        style.append(f"Add a legend {rng.choice(LEGEND_PLACES)}.")
    return text, style, [*nums, time]


def _scatter(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if len(roles["num"]) < 2:
        return None
    x, y = rng.sample(roles["num"], 2)
    text = f"Plot {_q(y)} against {_q(x)} as a scatter plot"
    named = [y, x]
    if roles["cat"] and rng.random() < 0.6:
        cat = rng.choice(roles["cat"])
        text += f", with one colour per {_q(cat)}"
        named.append(cat)
    style = [f"Make the points semi-transparent{rng.choice(('', ' and small'))}."]
    return text + ".", style, named


def _histogram(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if not roles["num"]:
        return None
    num = rng.choice(roles["num"])
    text = f"Show the distribution of {_q(num)} as a histogram with {rng.choice((10, 15, 20, 30))} bins."
    return text, [f"Fill the bins {rng.choice(COLOURS)} with dark edges."], [num]


def _box(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if not roles["cat"] or not roles["num"]:
        return None
    cat, num = rng.choice(roles["cat"]), rng.choice(roles["num"])
    text = f"Compare {_q(num)} across the groups of {_q(cat)} with a box plot per group."
    return text, [rng.choice(("Show the groups side by side.", "Draw the boxes horizontally."))], [num, cat]


def _panels(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if len(roles["num"]) < 2:
        return None
    a, b = rng.sample(roles["num"], 2)
    text = f"Make two subplots side by side: a histogram of {_q(a)} on the left and of {_q(b)} on the right."
    return text, ["Give each panel its own title naming its column."], [a, b]


def _counts(roles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    if not roles["cat"]:
        return None
    cat = rng.choice(roles["cat"])
    if rng.random() < 0.5:
        text = f"Show how many rows fall in each {_q(cat)} as a bar chart of counts."
        return (
            text,
            [rng.choice(("Sort the bars from highest to lowest.", "Put the counts above the bars."))],
            [cat],
        )
    text = f"Show the share of each {_q(cat)} in a pie chart."
    return text, ["Print the percentage on every slice."], [cat]


TEMPLATES: dict[str, Callable[[dict[str, list[str]], random.Random], Any]] = {
    "bar": _bar,
    "line": _line,
    "scatter": _scatter,
    "histogram": _histogram,
    "box": _box,
    "panels": _panels,
    "counts": _counts,
}


def _style(frame: pd.DataFrame, named: list[str], rng: random.Random, table: str, kind: str) -> list[str]:
    """Title, labels and scale sentences added to every request."""
    subject = table.split(".")[-2 if table.startswith("synthetic") else -1].replace("_", " ")
    parts = [
        f"Give the chart the title '{rng.choice(('Overview of', 'A look at', 'Summary of'))} {subject}'."
    ]
    if kind in ("bar", "line", "scatter") and rng.random() < 0.5:
        parts.append(f"Label the y axis '{named[0]}'.")
    column = frame[named[0]] if named[0] in frame.columns else None
    if column is not None and pd.api.types.is_numeric_dtype(column) and rng.random() < 0.25:
        values = column.dropna()
        if len(values) and values.min() > 0 and values.max() / values.min() > 50:
            parts.append("Use a logarithmic scale for the y axis.")
    if rng.random() < 0.4:
        parts.append(
            rng.choice(("Add a light grid.", "Remove the top and right borders.", "Use a white background."))
        )
    return parts


def write_request(table: Table, lib: str, kind: str, rng: random.Random) -> LoopRequest | None:
    """A request of ``kind`` about ``table`` for ``lib``, or None when the table has no columns for it."""
    made = TEMPLATES[kind](column_roles(table.frame), rng)
    if made is None:
        return None
    text, style, named = made
    if lib == "seaborn" and "pie chart" in text:  # seaborn draws no pies: the answer could not be seaborn
        return None
    style = [s for s in style if s] + _style(table.frame, named, rng, table.name, kind)
    full = f"{text}\n{' '.join(style)}"
    seen = read_intent(full, {"df": table.frame}).columns
    if not set(named) <= set(seen):  # the filter could not check a column the intent reader misses
        return None
    key = hashlib.sha1(f"{table.name}|{lib}|{full}".encode()).hexdigest()[:12]
    return LoopRequest(key, table.name, table.source, lib, kind, full, tuple(named))


def write_requests(tables: Sequence[Table], libs: Sequence[str], n: int, seed: int) -> list[LoopRequest]:
    """``n`` distinct requests, tables and chart kinds drawn in turn, libraries in rotation."""
    rng = random.Random(seed)
    found: dict[str, LoopRequest] = {}
    for _ in range(n * 20):
        if len(found) >= n or not tables:
            break
        table = rng.choice(list(tables))
        request = write_request(table, libs[len(found) % len(libs)], rng.choice(sorted(TEMPLATES)), rng)
        if request is not None:
            found.setdefault(request.id, request)
    return list(found.values())
