"""Colours given data: a column's name or category labels where a
colour goes; colorbars with nothing mapped (real library errors)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame(
    {"x": [1, 2, 3], "mid": [0.5, 1.5, 2.5], "labels": ["G1", "G2", "G1"], "code": ["b", "r", "b"]}
)
FRAMES = {"df": FRAME}
#: The two-row sales table the colorbar case runs against.
SALES = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})


def _run_patched(code: str, namespace: dict) -> tuple[str, list[str]]:
    return run_patched(code, namespace, {"df": SALES})


def test_a_colorbar_with_nothing_mapped_uses_what_an_axes_mapped_or_goes():
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        "ax.plot(df['revenue'])\nplt.colorbar(label='revenue')\nax.set_title('t')\n"
    )
    fixed, notes = _run_patched(code, {"df": SALES})
    assert (
        fixed == code.replace("plt.colorbar(label='revenue')\n", "") and "nothing colour-mapped" in notes[0]
    )
    mapped = code.replace(
        "ax.plot(df['revenue'])",
        "plt.figure(); fig.sca(ax); ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])",
    )
    fixed, notes = _run_patched(mapped, {"df": SALES})
    assert (
        "plt.colorbar(ax.collections[-1], ax=ax, label='revenue')" in fixed
        and "used what ax drew" in notes[0]
    )
    kept = code.replace("plt.colorbar(label='revenue')", "cbar = plt.colorbar(label='revenue')")
    with pytest.raises(RuntimeError):  # the colorbar is used later: left to the model
        _run_patched(kept, {"df": SALES})
    plt.close("all")


def test_a_plotly_marker_colour_naming_a_numeric_column_colours_by_that_column():
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\n"
        "fig.add_trace(go.Scatter(x=df['x'], y=df['mid'], marker_color='mid', line=dict(color='red')))\n"
        "fig.add_trace(go.Scatter(x=df['x'], y=df['x'], marker_color='x'))\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "marker_color=df['mid']" in fixed and "marker_color=df['x']" in fixed, (
        notes
    )  # both calls, one patch
    assert "line=dict(color='red')" in fixed and len(notes) == 1
    namespace = {"df": FRAME}
    exec(fixed, namespace)
    assert list(namespace["fig"].data[0].marker.color) == [0.5, 1.5, 2.5]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("labels", [0, 1, 0]),  # categories: numbered, plotly's colour scale colours them
        (
            "code",
            ["b", "r", "b"],
        ),  # matplotlib's colour letters: the colours they name (seaborn may have re-tinted them)
    ],
)
def test_plotly_marker_colours_given_labels_become_one_colour_per_label(column: str, expected: list):
    code = (
        "import plotly.graph_objects as go\n"
        f"fig = go.Figure(go.Scatter(x=df['x'], y=df['mid'], marker_color=df['{column}']))\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME, "pd": pd}, FRAMES)  # the pipeline adds missing imports
    assert "one colour per label" in notes[0]
    namespace = {"df": FRAME, "pd": pd}
    exec(fixed, namespace)
    from matplotlib.colors import to_hex

    assert list(namespace["fig"].data[0].marker.color) == [
        e if isinstance(e, int) else to_hex(e) for e in expected
    ]


def test_matplotlib_colours_given_category_labels_get_one_colour_per_label():
    code = "import matplotlib.pyplot as plt\nplt.pie([1, 2, 3], colors=df['labels'])\n"
    fixed, notes = run_patched(code, {"df": FRAME, "pd": pd}, FRAMES)
    assert "plt.cm.tab10(pd.factorize(pd.Series(list(df['labels'])))[0] % 10)" in fixed, notes
    namespace = {"df": FRAME, "pd": pd}
    exec(fixed, namespace)
    wedges = plt.gca().patches
    assert wedges[0].get_facecolor() == wedges[2].get_facecolor() != wedges[1].get_facecolor()
    plt.close("all")


def test_a_colour_that_is_neither_a_column_nor_labels_is_left_to_the_other_rules():
    message = (
        "Invalid value of type 'builtins.str' received for the 'color' property of scatter.marker\n"
        "        Received value: 'sunset'\n"
    )
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df['x'], marker_color='sunset'))\n"
    )
    fix = patched(code, "ValueError", message, 2, {"df": FRAME}, FRAMES)
    assert fix is None or "df[" not in fix.code  # the keyword rule may drop it; no column is invented
