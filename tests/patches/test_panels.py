"""Plotly panel patches: matplotlib's panel selection, cells
counted from zero or outside the grid, traces given cells."""

from __future__ import annotations

import ast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


def _run_patched(code: str, namespace: dict) -> tuple[str, list[str]]:
    return run_patched(code, namespace, FRAMES)


def test_a_traces_row_and_col_move_to_add_trace_and_add_trace_keeps_its_own():
    code = (
        "import plotly.graph_objects as go\nfrom plotly.subplots import make_subplots\n"
        "fig = make_subplots(rows=2, cols=1)\n"
        "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], row=1, col=1))\n"
        "fig.add_trace(go.Bar(x=df['region'], y=df['revenue'], row=2, col=1), row=2, col=1)\n"
    )
    fixed, notes = _run_patched(code, {"df": FRAME})
    assert notes == ["a trace's row/col belong to add_trace; moved them there (2 calls)"]
    assert "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue']), row=1, col=1)" in fixed
    assert "fig.add_trace(go.Bar(x=df['region'], y=df['revenue']), row=2, col=1)" in fixed
    # the keyword rule alone: a callee that takes the keyword (add_trace's row) keeps it
    import plotly.graph_objects as go

    from viscoder_magic.patches.edit import Failure
    from viscoder_magic.patches.keywords import drop_keyword

    nested = "fig.add_trace(go.Bar(x=df['region'], row=2), row=2, col=1)\n"
    message = "Invalid property specified for object of type plotly.graph_objs.Bar: 'row'"
    fix = drop_keyword(
        Failure(
            nested,
            ast.parse(nested),
            "ValueError",
            message + "\n\nBad property path:\nrow\n^^^\n",
            1,
            {"go": go, "fig": go.Figure(), "df": FRAME},
            FRAMES,
        )
    )
    assert fix is not None and fix.code == "fig.add_trace(go.Bar(x=df['region']), row=2, col=1)\n"


def test_matplotlib_panel_selection_on_a_plotly_grid_becomes_row_and_col():
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    code = (
        "import plotly.graph_objects as go\nfrom plotly.subplots import make_subplots\n"
        "fig = make_subplots(rows=1, cols=2)\nfig.add_subplot(1, 2, 1, title='Bars')\n"
        "fig.add_trace(go.Bar(x=df['region'], y=df['revenue']))\nfig.add_subplot(122)\n"
        "fig.add_scatter(x=df['region'], y=df['revenue'])\nfig.update_layout(title='t')\n"
    )
    namespace = {"go": go, "make_subplots": make_subplots, "df": FRAME, "fig": make_subplots(rows=1, cols=2)}
    fix = patched(
        code, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace, FRAMES
    )
    assert (
        fix is not None and "fig.add_trace(go.Bar(x=df['region'], y=df['revenue']), row=1, col=1)" in fix.code
    )
    assert "fig.add_scatter(x=df['region'], y=df['revenue'], row=1, col=2)" in fix.code
    assert "fig.update_layout(title='t')" in fix.code  # layout calls are not add_*: untouched
    assert "keywords title were dropped" in fix.note
    ran = {"df": FRAME}
    exec(fix.code, ran)
    assert [t.xaxis for t in ran["fig"].data] == ["x", "x2"]
    plain = code.replace("make_subplots(rows=1, cols=2)", "go.Figure()")  # a plain figure gets the grid
    fix = patched(
        plain, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace, FRAMES
    )
    assert fix is not None and "fig = make_subplots(rows=1, cols=2)\n" in fix.code
    exec(fix.code, ran)
    assert [t.xaxis for t in ran["fig"].data] == ["x", "x2"]
    mixed = code.replace(
        "fig.add_subplot(122)", "fig.add_subplot(2, 2, 4)"
    )  # two grids named: the model decides
    assert (
        patched(
            mixed, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace, FRAMES
        )
        is None
    )


def test_plotly_cells_counted_from_zero_are_shifted_to_one():
    from plotly.subplots import make_subplots

    code = (
        "from plotly.subplots import make_subplots\nimport plotly.graph_objects as go\n"
        "fig = make_subplots(rows=2, cols=1)\nfor i, c in enumerate(['region', 'revenue']):\n"
        "    fig.add_trace(go.Bar(x=df.index, y=df[c]), row=i, col=0)\n"
    )
    message = "Row value is out of range. Note: the starting cell is (1, 1)"
    fix = patched(code, "Exception", message, 5, {"make_subplots": make_subplots, "df": FRAME}, FRAMES)
    assert fix is not None and "row=i + 1, col=1)" in fix.code
    ran = {"df": FRAME}
    exec(fix.code, ran)
    assert [t.yaxis for t in ran["fig"].data] == ["y", "y2"]


@pytest.mark.parametrize(
    "made",
    [
        "px.bar(df, x='region', y='revenue')",
        "go.Figure()",
        "make_subplots(rows=2, cols=1, shared_xaxes=True)",
    ],
)
def test_cells_outside_a_plotly_figures_grid_get_a_grid_that_has_them(made: str):
    code = (
        "import plotly.express as px\nimport plotly.graph_objects as go\n"
        "from plotly.subplots import make_subplots\n"
        f"fig = {made}\nfor i in range(3):\n"
        "    fig.add_trace(go.Scatter(x=df.index, y=df['revenue']), row=i + 1, col=1)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert len(notes) == 1 and "3x1" in notes[0] and fixed.count("import make_subplots") == 1
    ran = {"df": FRAME}
    exec(fixed, ran)
    figure = ran["fig"]
    assert len(figure._grid_ref) == 3 and [t.yaxis for t in figure.data][-3:] == ["y", "y2", "y3"]
    assert ("shared_xaxes=True" in fixed) == made.startswith("make_subplots")
    assert len(figure.data) == (4 if made.startswith("px") else 3)  # the Express figure's bars are kept


def test_a_cell_the_rule_cannot_bound_is_left_to_the_model():
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\nn = len(df)\n"
        "fig.add_trace(go.Scatter(x=df.index, y=df['revenue']), row=n, col=1)\n"
    )
    namespace = {"df": FRAME}
    with pytest.raises(Exception, match="make_subplots"):
        exec(code, namespace)
    assert (
        patched(
            code,
            "Exception",
            "In order to reference traces by row and column, you must first use plotly.tools.make_subplots",
            4,
            namespace,
            FRAMES,
        )
        is None
    )


def test_traces_assigned_to_a_plotly_figures_data_are_added_instead():
    code = (
        "import plotly.express as px\nimport plotly.graph_objects as go\n"
        "fig = px.scatter(df, x='region', y='revenue')\n"
        "fig.data = [\n    go.Bar(x=df['region'], y=df['revenue'], name='a'),\n"
        "    go.Bar(x=df['region'], y=df['revenue'] * 2, name='b'),\n]\nfig.update_layout(title='t')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.data = ()\nfig.add_traces([go.Bar(" in fixed and len(notes) == 1
    ran = {"df": FRAME}
    exec(fixed, ran)
    assert [t.name for t in ran["fig"].data] == ["a", "b"]
    nested = (
        "import plotly.graph_objects as go\nfig = go.Figure()\nif True:\n    fig.data = [go.Bar(y=[1])]\n"
    )
    fixed, _ = run_patched(nested, {}, FRAMES)
    assert "if True:\n    fig.data = ()\n    fig.add_traces([go.Bar(y=[1])])\n" in fixed


def test_an_express_figure_added_as_a_trace_adds_its_traces():
    code = (
        "import plotly.express as px\nfrom plotly.subplots import make_subplots\n"
        "fig = make_subplots(rows=1, cols=2)\n"
        "fig.add_trace(px.scatter(df, x='region', y='revenue'), row=1, col=1)\n"
        "fig.add_trace(px.bar(df, x='region', y='revenue'), row=1, col=2)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.add_traces(px.scatter(df, x='region', y='revenue').data, rows=1, cols=1)" in fixed
    assert "fig.add_traces(px.bar(df, x='region', y='revenue').data, rows=1, cols=2)" in fixed
    assert len(notes) == 1 and "(2 calls)" in notes[0]
    ran = {"df": FRAME}
    exec(fixed, ran)
    assert [t.type for t in ran["fig"].data] == ["scatter", "bar"] and ran["fig"].data[1].xaxis == "x2"
