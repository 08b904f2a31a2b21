"""Program generator: chart kind x encoding x styling, written for each library.

A ``Chart`` is chosen from the frame's column roles, then rendered as a complete
program (imports, light data preparation, the plot, styling, ``show()``) and as the
plot and style descriptions the instruction states. Both come from the same
``Chart``, so the instruction always matches what the program draws.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .charts import Chart, Style
from .render import render

PALETTES = ["viridis", "magma", "coolwarm", "Set2", "tab10", "crest"]
COLORS = ["steelblue", "darkorange", "seagreen", "crimson", "slateblue", "teal"]
KINDS = ["line", "bar", "barh", "scatter", "hist", "box", "pie", "heatmap", "area", "map"]


@dataclass(frozen=True)
class Program:
    """A candidate program with its instruction parts."""

    lib: str
    kind: str
    code: str
    plot_description: str
    style_description: str


def choose_chart(roles: dict[str, list[str]], rng: random.Random) -> Chart | None:
    """A chart kind these roles support, with columns picked for each encoding."""
    num, cat = roles.get("num", []), roles.get("cat", [])
    time = roles.get("time", []) + roles.get("time_str", []) + roles.get("year", [])
    options: list[Chart] = []
    if roles.get("wide"):
        options += [
            Chart("line", x=time[0], columns=tuple(roles["wide"])),
            Chart("area", x=time[0], columns=tuple(roles["wide"])),
        ]
    if time and num:
        parse = time[0] if time[0] in roles.get("time_str", []) else ""
        hue = rng.choice(cat) if cat and rng.random() < 0.5 else ""
        options.append(Chart("line", x=time[0], y=rng.choice(num), hue=hue, parse_dates=parse, agg="mean"))
    if cat and num:
        options += [
            Chart(k, x=rng.choice(cat), y=rng.choice(num), agg=rng.choice(["sum", "mean"]))
            for k in ("bar", "barh")
        ]
        options += [
            Chart("box", x=rng.choice(cat), y=rng.choice(num)),
            Chart("pie", x=rng.choice(cat), y=rng.choice(num)),
        ]
    if len(num) >= 2:
        x, y = rng.sample(num, 2)
        options.append(Chart("scatter", x=x, y=y, hue=rng.choice(cat) if cat and rng.random() < 0.5 else ""))
    if num:
        options.append(Chart("hist", y=rng.choice(num)))
    if len(num) >= 3:
        options.append(Chart("heatmap", columns=tuple(num)))
    if roles.get("geo"):
        options.append(Chart("map", x=roles["geo"][0], y=roles["geo"][1], hue=num[0]))
    return rng.choice(options) if options else None


def choose_style(chart: Chart, rng: random.Random) -> Style:
    return Style(
        title=_default_title(chart),
        color=rng.choice(COLORS),
        palette=rng.choice(PALETTES),
        figsize=rng.choice([(8, 5), (10, 6), (7, 7), (9, 4)]),
        grid=rng.random() < 0.5,
        rotate=rng.choice([0, 0, 30, 45]) if chart.kind in ("bar", "box", "line") else 0,
    )


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _default_title(chart: Chart) -> str:
    if chart.kind in ("heatmap",):
        return "Correlation between measurements"
    if chart.columns:
        return f"Values by {chart.x} per series"
    what = {
        "hist": f"Distribution of {chart.y}",
        "scatter": f"{_label(chart.y)} versus {chart.x}",
        "map": f"{_label(chart.hue)} by location",
    }
    return what.get(
        chart.kind,
        f"{_label(chart.agg if chart.kind in ('bar', 'barh', 'pie') else '')} {chart.y} by "
        f"{chart.x}".strip().capitalize(),
    )


def describe(chart: Chart) -> str:
    """The plot description sentence for ``chart``."""
    c = chart
    by = f", one {'line' if c.kind == 'line' else 'color'} per `{c.hue}`" if c.hue and c.kind != "map" else ""
    parse = (
        f" The `{c.parse_dates}` column holds dates as text; parse it as dates first."
        if c.parse_dates
        else ""
    )
    text = {
        "line": f"Draw a line chart of the {c.agg} of `{c.y}` over `{c.x}`{by}.",
        "bar": f"Draw a vertical bar chart of the {c.agg} of `{c.y}` for each `{c.x}`, sorted by value.",
        "barh": f"Draw a horizontal bar chart of the {c.agg} of `{c.y}` for each `{c.x}`, sorted by value.",
        "scatter": f"Draw a scatter plot of `{c.y}` against `{c.x}`{by}.",
        "hist": f"Draw a histogram of `{c.y}` with 20 bins, ignoring missing values.",
        "box": f"Draw box plots of `{c.y}` for each `{c.x}`.",
        "pie": f"Draw a pie chart of the share of total `{c.y}` per `{c.x}`, with percentage labels.",
        "heatmap": (
            "Draw a heatmap of the correlation matrix of "
            f"{', '.join(f'`{n}`' for n in c.columns)}, annotated with the values."
        ),
        "area": f"Draw a stacked area chart of {', '.join(f'`{n}`' for n in c.columns)} over `{c.x}`.",
        "map": (
            f"Draw a scatter plot of the locations (`{c.x}` on x, `{c.y}` on y), sized and colored by "
            f"`{c.hue}`."
        ),
    }[c.kind]
    if c.columns and c.kind == "line":
        text = (
            f"Draw a line chart of {', '.join(f'`{n}`' for n in c.columns)} over `{c.x}`, one line per "
            "column."
        )
    return text + parse


def describe_style(chart: Chart, style: Style, lib: str) -> str:
    """The style description sentence for ``chart`` drawn with ``style``."""
    parts = [f"Title the plot '{style.title}'"]
    if chart.kind not in ("pie", "heatmap"):
        parts.append("label both axes")
    colored = chart.hue or chart.columns or chart.kind in ("heatmap", "pie", "box")
    parts.append(f"use the '{style.palette}' palette" if colored else f"use the color {style.color}")
    if lib != "plotly":
        parts.append(f"make the figure {style.figsize[0]}x{style.figsize[1]} inches")
    if style.grid:
        parts.append("show a light grid")
    if style.rotate:
        parts.append(f"rotate the x tick labels by {style.rotate} degrees")
    return "Plot style description: " + ", ".join(parts) + "."


def generate_program(roles: dict[str, list[str]], lib: str, rng: random.Random) -> Program | None:
    """One program for a frame with these roles, or None when no chart fits."""
    chart = choose_chart(roles, rng)
    if chart is None:
        return None
    style = choose_style(chart, rng)
    code = render(chart, style, lib)
    return Program(
        lib=lib,
        kind=chart.kind,
        code=code,
        plot_description="Plot description: " + describe(chart),
        style_description=describe_style(chart, style, lib),
    )
