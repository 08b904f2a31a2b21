"""Reading a request's intent, and the comparison with figure facts, row by row."""

from __future__ import annotations

import pandas as pd
import pytest

from viscoder_magic.facts import FigureFacts, PanelFacts
from viscoder_magic.intent import read_intent
from viscoder_magic.mismatch import mismatches

FRAME = pd.DataFrame(
    {
        "Region": pd.array(["N", "S"], dtype="str"),
        "Sales": [1.0, 2.0],
        "Profit": [0.5, 0.1],
        "unit_price": [3, 4],
        "Area": [10.0, 20.0],
        "Year": [2020, 2021],
        "count": [1, 2],
        "x": [1, 2],
        "y": [3, 4],
        "Log Returns": [0.1, 0.2],
        "Deal size": [1, 2],
        "Deal Size (old)": [3, 4],
        "Owner": ["a", "b"],
        "converted": [True, False],
        "week": [1, 12],
        "revenue": [0.5, 0.7],
        "patient": ["p1", "p2"],
    }
).set_index(pd.Index([1, 2], name="Store"))
FRAMES = {"df": FRAME}

# (request, field, expected)
INTENTS = [
    ("bar chart of total Sales per Region", "kinds", ("bar",)),
    ("a column chart of Sales", "kinds", ("bar",)),
    ("Sales per Region as bars", "kinds", ("bar",)),
    ("histogram of Profit", "kinds", ("histogram",)),
    ("show the distribution of Profit", "kinds", ("distribution",)),
    ("distribution of Profit as a histogram", "kinds", ("histogram",)),
    ("how Sales trend over time", "kinds", ("trend",)),
    ("line chart of Sales over time", "kinds", ("line",)),
    ("scatter plot of Profit vs Sales", "kinds", ("scatter",)),
    ("the relationship between Profit and Sales", "kinds", ("relationship",)),
    ("pie chart of Sales by Region", "kinds", ("pie",)),
    ("share of Sales per Region", "kinds", ("share",)),
    ("boxplot of Profit", "kinds", ("box",)),
    ("box-and-whisker plot of Profit", "kinds", ("box",)),
    ("violin plot of Profit per Region", "kinds", ("violin",)),
    ("correlation matrix of the numeric columns", "kinds", ("heatmap",)),
    ("area chart of Sales over time", "kinds", ("area",)),
    ("hexbin of Profit against Sales", "kinds", ("hexbin",)),
    ("contour plot of Profit", "kinds", ("contour",)),
    ("3D surface of Profit over x and y", "kinds", ("3d",)),
    ("Sales per Region, box", "kinds", ("box",)),
    ("a histogram with a text box of the mean", "kinds", ("histogram",)),
    ("Sales with its 7 day rolling mean", "kinds", ("line",)),
    ("monthly Sales lines per Region", "kinds", ("line",)),
    ("count matrix of Region against Owner", "kinds", ("heatmap",)),
    ("control chart of Sales by Store", "kinds", ("trend",)),
    ("bar chart of Area per Region", "kinds", ("bar",)),  # the column called Area is not an area chart
    ("Area chart of Sales", "kinds", ("area",)),
    ("Sales with error bars per Region", "kinds", ()),
    ("scatter of Profit vs Sales with grid lines", "kinds", ("scatter",)),
    ("bar chart of Sales per Region", "plotted", ("Sales", "Region")),
    ("bar chart of unit price per Region", "columns", ("unit_price", "Region")),
    ("bar chart of UnitPrice per region", "columns", ("unit_price", "Region")),
    ("scatter of Profit vs Sales coloured by Region", "plotted", ("Profit", "Sales")),
    ("bar chart of Sales per Region where Year is 2021", "plotted", ("Sales", "Region")),
    ("bar chart of Sales per Region sorted by Profit", "plotted", ("Sales", "Region")),
    ("bar chart of Sales per Store", "groupings", ("Store",)),
    ("bar chart of Sales by Region", "groupings", ("Region",)),
    ("plot the count per Region", "columns", ("Region",)),  # an everyday word is not the column `count`
    ("plot count per Region", "columns", ("Region",)),
    ("plot the `count` column per Region", "columns", ("count", "Region")),
    ("scatter of y against x", "columns", ("y", "x")),
    ("a bar chart of Sales", "columns", ("Sales",)),  # the article "a" is no column
    ("line chart of Log Returns over time", "log_axes", ()),
    ("scatter of Profit vs Sales on a log scale", "log_axes", ("any",)),
    ("scatter of Profit vs Sales with a logarithmic y axis", "log_axes", ("y",)),
    ("scatter of Profit vs Sales, y axis on a log scale", "log_axes", ("y",)),
    ("log-log scatter of Profit vs Sales", "log_axes", ("x", "y")),
    ("plot the log of Sales", "log_axes", ()),
    ("histograms of Sales and Profit side by side", "panels", True),
    ("box plots of Sales and Profit side by side", "panels", False),
    ("Sales and Profit bars side by side per Region", "panels", False),
    ("one panel per Region", "panels", True),
    ("histogram of Sales, a separate panel per Region", "panels", True),
    ("a line chart of Sales with a bar chart of Profit below it", "panels", True),
    ("faceted by Region", "panels", True),
    ("2 subplots", "panels", True),
    ("bar chart of Sales per Region", "panels", False),
    ("contour plot of Profit; overlay a contour line plot of the same values", "kinds", ("contour",)),
    ("the grids are sized by the proportions specified in the frame", "kinds", ()),
    ("define a 3D subplot in a figure window", "panels", False),
    ("a surface showing variations across three axes", "panels", False),
    ("create two separate 3D plots within a single figure", "panels", True),
    ("a grid of four plots (2 by 2)", "panels", True),
    (
        "draw lines at Sales with line colors and thickness denoted by Profit and unit_price",
        "plotted",
        ("Sales",),
    ),
    ("a pie chart of Sales per Region, each slice labelled by Region", "plotted", ("Sales", "Region")),
    ("box plot of old deal size per Owner", "plotted", ("Owner",)),  # which deal size is a guess
    ("box plot of Deal size per Owner", "plotted", ("Deal size", "Owner")),
    ("revenue of converted users per Owner", "plotted", ("revenue", "Owner")),  # a yes/no column filters
    ("violin of week 12 revenue per Owner", "plotted", ("revenue", "Owner")),
    ("one line per patient, coloured by Owner", "plotted", ()),
    ("scatter of Sales vs Profit, one point per Region", "plotted", ("Sales", "Profit")),
    ("bar chart of Sales per Region, sorted", "sort", "sorted"),
    ("bar chart of Sales per Region in descending order", "sort", "descending"),
    ("bar chart of Sales per Region from lowest to highest", "sort", "ascending"),
    ("bar chart of Sales per Region, largest first", "sort", "descending"),
    ("Sales per Region as bars, biggest first", "sort", "descending"),
]


@pytest.mark.parametrize(("request_text", "field", "expected"), INTENTS, ids=[r[0][:45] for r in INTENTS])
def test_read_intent(request_text: str, field: str, expected: object) -> None:
    assert getattr(read_intent(request_text, FRAMES), field) == expected


def test_intent_without_frames_and_never_raising() -> None:
    assert read_intent("pie chart").kinds == ("pie",)
    assert read_intent("").kinds == ()
    read_intent("bar chart of (weird [regex* chars", {"f": pd.DataFrame({"(weird": [1], 3: [2]})})


def panel(**fields: object) -> PanelFacts:
    """A panel of facts, every field not given at its 'known and plain' value."""
    base = {
        "kinds": ("bar",),
        "series": 1,
        "marks": 2,
        "columns": ("Region", "Sales"),
        "sources": ("Sales (sum by Region)", "Region (categories)"),
    }
    return PanelFacts(**{**base, **fields})


def figure(*panels: PanelFacts) -> FigureFacts:
    return FigureFacts(panels=panels or (panel(),), library="matplotlib")


# (request, facts, expected mismatch, or "" for none)
VERDICTS = [
    ("bar chart of Sales per Region", figure(), ""),
    ("pie chart of Sales per Region", figure(), "A pie chart was asked for, but the figure draws bars."),
    ("histogram of Sales", figure(panel(kinds=("histogram",))), ""),
    ("histogram of Sales", figure(panel(kinds=("bar",))), ""),  # bars and bins: too close to call
    ("distribution of Sales", figure(panel(kinds=("violin",), unresolved=1)), ""),
    ("distribution of Sales", figure(panel(kinds=("line",), unresolved=2)), ""),
    ("distribution of Sales", figure(panel(kinds=("pie",))), "A distribution plot was asked for"),
    ("trend of Sales over time", figure(panel(kinds=("area",))), ""),
    ("line chart of Sales over time", figure(panel(kinds=("area", "line"))), ""),
    (
        "scatter plot of Profit vs Sales with a trend line",
        figure(panel(kinds=("line", "scatter"), columns=("Sales", "Profit"))),
        "",
    ),
    ("bar chart of Sales per Region", figure(panel(kinds=())), ""),  # nothing readable: no verdict
    ("bar chart of Sales per Region", FigureFacts(panels=()), ""),
    ("bar chart of Profit per Region", figure(), "The request names column 'Profit'"),
    ("bar chart of Profit per Region", figure(panel(unresolved=1)), ""),  # an untraced array may be Profit
    ("bar chart of Profit per Region", figure(panel(y_label="Profit ($)")), ""),  # the label names it
    ("bar chart of Profit per Region", figure(panel(legend=("Profit",))), ""),
    ("bar chart of Sales per Region where Profit is above 0", figure(), ""),
    ("bar chart of Sales per Region with a log y axis", figure(), "A log y axis was asked for"),
    ("bar chart of Sales per Region with a log y axis", figure(panel(y_scale="log")), ""),
    ("bar chart of Sales per Region with a log y axis", figure(panel(x_scale="log", horizontal=True)), ""),
    ("bar chart of Sales per Region on a log scale", figure(panel(y_scale="symlog")), ""),
    ("bar chart of Sales per Region with a log y axis", figure(panel(unresolved=1)), ""),
    ("pie chart of Sales per Region on a log scale", figure(panel(kinds=("pie",))), ""),
    (
        "bars of Sales and Profit side by side per Region",
        figure(panel(columns=("Region", "Sales", "Profit"))),
        "",
    ),
    ("one panel per Region", figure(), "Several panels were asked for"),
    ("one panel per Region", figure(panel(), panel()), ""),
    ("bar chart of Sales per Region sorted descending", figure(panel(order="descending")), ""),
    (
        "bar chart of Sales per Region sorted descending",
        figure(panel(order="ascending")),
        "Bars sorted in descending order were asked for, but they are sorted in ascending order.",
    ),
    ("bar chart of Sales per Region sorted", figure(panel(order="ascending")), ""),
    # horizontal bars: either direction may be "largest first" to a reader; only unsorted is sent back
    (
        "horizontal bar chart of Sales per Region, largest to smallest",
        figure(panel(order="ascending", horizontal=True)),
        "",
    ),
    (
        "horizontal bar chart of Sales per Region, largest to smallest",
        figure(panel(order="unsorted", horizontal=True)),
        "the bars are not sorted",
    ),
    ("bar chart of Sales per Region sorted", figure(panel(order="unsorted")), "the bars are not sorted"),
    ("bar chart of Sales per Region sorted", figure(panel(order="")), ""),  # order unknown
    ("a 3-D bar chart of Sales", figure(panel(kinds=("3d",), unresolved=1)), ""),
    (
        "a 3-D bar chart of Sales",
        figure(panel(kinds=("bar",))),
        "A 3-D plot was asked for, but the figure draws bars.",
    ),
    (
        "a contour plot with a line for the mean on each of two panels side by side",
        figure(panel(kinds=("contour",)), panel(kinds=("contour",))),
        "",
    ),
    (
        "a histogram and a box plot of Sales side by side",
        figure(panel(kinds=("histogram",)), panel(kinds=("histogram",))),
        "A box plot was asked for",
    ),
]


@pytest.mark.parametrize(
    ("request_text", "facts", "expected"), VERDICTS, ids=[f"{i}-{r[0][:40]}" for i, r in enumerate(VERDICTS)]
)
def test_mismatches(request_text: str, facts: FigureFacts, expected: str) -> None:
    found = mismatches(read_intent(request_text, FRAMES), facts)
    if expected:
        assert any(expected in message for message in found), found
    else:
        assert found == []
