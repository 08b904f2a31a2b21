"""Styling patches: methods that do not exist are removed, drawing
calls are not; style, marker and rc names that do not exist."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})
FRAMES = {"df": FRAME}
#: The two-row sales table the style-sheet case runs against.
SALES = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
SALES_FRAMES = {"df": SALES}
SALES_NS = {"plt": plt, "np": np, "df": SALES}
#: The three points the marker case draws.
POINTS = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [1.0, 2.0, 0.5]})


def _patched_until_it_runs(code: str) -> tuple[str, list[str]]:
    return run_patched(code, {"df": POINTS}, {"df": POINTS})


def test_style_one_step_from_a_real_one_is_replaced():
    code = "import matplotlib.pyplot as plt\nplt.style.use('seaborn-whitegrid')\n"
    message = (
        "'seaborn-whitegrid' is not a valid package style, path "
        "of style file, URL of style file, or library style name"
    )
    fix = patched(code, "OSError", message, 2, SALES_NS, SALES_FRAMES)
    assert fix is not None and "plt.style.use('seaborn-v0_8-whitegrid')" in fix.code
    seaborns_name = "import matplotlib.pyplot as plt\nplt.style.use('white')\n"
    fixed, _ = run_patched(seaborns_name, {}, SALES_FRAMES)
    assert "plt.style.use('seaborn-v0_8-white')" in fixed
    colours_too = (
        seaborns_name
        + "fig, ax = plt.subplots()\nax.set_facecolor('white')\nax.plot([1, 2], color='white')\n"
    )
    fixed, _ = run_patched(colours_too, {}, SALES_FRAMES)  # the colour 'white' is not the style 'white'
    assert "plt.style.use('seaborn-v0_8-white')" in fixed
    assert "ax.set_facecolor('white')" in fixed and "color='white'" in fixed
    by_name = (
        "import matplotlib.pyplot as plt\nstyle = 'white'\n"
        "plt.style.use(style)\nplt.plot([1], color='white')\n"
    )
    fixed, _ = run_patched(by_name, {}, SALES_FRAMES)
    assert "style = 'seaborn-v0_8-white'" in fixed and "color='white'" in fixed


def test_markers_named_in_words_become_their_codes():
    code = (
        "import matplotlib.pyplot as plt\nplt.scatter(df['x'], df['y'], marker='triangle')\n"
        "plt.plot(df['x'], df['y'], marker='circular')\nplt.plot(df['x'], df['y'], marker='o')\n"
    )
    fixed, notes = _patched_until_it_runs(code)
    assert "marker='^'" in fixed and "marker='o')\nplt.plot(df['x'], df['y'], marker='o')" in fixed
    assert notes == ["markers named in words: 'triangle' -> '^', 'circular' -> 'o'"]


def test_invented_styling_methods_of_a_plotly_figure_are_removed_and_the_figure_kept():
    code = (
        "import plotly.express as px\nfig = px.scatter(df, x='x', y='y')\n"
        "fig.update_colorscale('Viridis')\nfig.update_layout(title='t')\nfig.update_colorscale('Blues')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert (
        "update_colorscale" not in fixed.replace("no update_colorscale()", "")
        and "fig.update_layout(title='t')" in fixed
    )
    assert len(notes) == 1 and "Figure has no method 'update_colorscale'" in notes[0]


def test_a_missing_drawing_method_is_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.wavyplot(df['x'], df['y'])\n"
    with pytest.raises(AttributeError, match="wavyplot"):
        run_patched(code, {"df": FRAME}, FRAMES)
    plt.close("all")


def test_a_styling_call_on_an_object_reached_through_a_call_is_removed_where_it_failed():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'])\n"
        "plt.gca().xaxis.tick_params(axis='top', labelbottom=False)\nplt.xlabel('x')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert ".tick_params" not in fixed and "plt.xlabel('x')" in fixed and "XAxis has no method" in notes[0]
    plt.close("all")


def test_a_patch_style_name_that_does_not_exist_takes_the_familys_closest_or_the_default():
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.annotate('a', xy=(1, 1), xytext=(2, 2), "
        "arrowprops=dict(arrowstyle='->', connectionstyle='fancy'))\n"
        "plt.annotate('b', xy=(1, 1), xytext=(2, 3), "
        "arrowprops=dict(arrowstyle='->', connectionstyle='fancy'))\n"
        "plt.text(1, 1, 'c', bbox=dict(boxstyle='rounded'))\n"
    )
    fixed, notes = run_patched(code, {}, FRAMES)
    assert "connectionstyle" not in fixed and "arrowstyle='->'" in fixed, notes
    assert "boxstyle='round'" in fixed and len(notes) == 2
    plt.close("all")


def test_every_styling_call_on_an_invented_object_goes():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'], label='y')\n"
        "plt.yaxis2.set_label('T')\nplt.yaxis2.set_ticks_position('right')\nplt.legend()\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert (
        "plt.yaxis2" not in fixed.replace("has no yaxis2", "") and "plt.legend()" in fixed and len(notes) == 1
    )
    assert "has no 'yaxis2' to style" in notes[0]
    plt.close("all")


def test_an_invented_interaction_hook_is_removed_as_a_static_figure_has_none():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'])\n"
        "def on_hover(event):\n    pass\nplt.gca().add_event_listener(on_hover)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert ".add_event_listener(" not in fixed and "plt.plot(df['x'], df['y'])" in fixed and len(notes) == 1
    plt.close("all")


def test_a_label_built_from_an_invented_attribute_goes_and_the_drawing_stays():
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(1, 2)\nfor ax in axs:\n"
        "    ax.plot(df['x'], df['y'])\n    ax.set_title('Plot "
        "' + str(ax.number + 1))\n    ax.set_xlabel('x')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "ax.number" not in fixed.split("#")[0] and "ax.set_xlabel('x')" in fixed
    assert "Axes has no 'number' to label with" in notes[0]
    exec(fixed, {"df": FRAME})
    assert [len(ax.get_lines()) for ax in plt.gcf().axes] == [1, 1]
    plt.close("all")
    drawn = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(df['x'], ax.number)\n"
    with pytest.raises(AttributeError, match="number"):  # the data itself reads it: the model decides
        run_patched(drawn, {"df": FRAME}, FRAMES)
    plt.close("all")


def test_invented_rc_keys_are_renamed_when_a_slip_away_and_dropped_otherwise():
    import matplotlib as mpl

    code = (
        "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "sns.set(style='whitegrid', rc={'axes.titlesize': 16, 'xticklabels.size': 12, 'title.fontsize': 9})\n"
        "plt.rcParams['grid.linestyles'] = ':'\nplt.rcParams['figure.nonsense'] = 1\n"
        "sns.scatterplot(data=df, x='x', y='y')\n"
    )
    with mpl.rc_context():
        fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
        assert mpl.rcParams["xtick.labelsize"] == 12 and mpl.rcParams["grid.linestyle"] == ":"
    assert "rc={'axes.titlesize': 16, 'xtick.labelsize': 12}" in fixed
    assert "plt.rcParams['grid.linestyle'] = ':'" in fixed and "figure.nonsense' = 1" not in fixed
    assert (
        len(notes) == 1
        and "'title.fontsize' removed" in notes[0]
        and "'xticklabels.size' -> 'xtick.labelsize'" in notes[0]
    )
    plt.close("all")


def test_an_rc_key_error_gets_matplotlibs_own_suggestions_not_a_column_hint():
    from viscoder_magic.repair import grounded_hint

    message = (
        "\"'xticklabels.size' is not a valid value for rcParam. Did you mean one of: 'xtick.labelsize', "
        "'ytick.labelsize', 'xtick.major.size'?\""
    )
    hint = grounded_hint("KeyError", message, {}, FRAMES)
    assert (
        "not a matplotlib rc setting" in hint
        and "xtick.labelsize, ytick.labelsize" in hint
        and "column" not in hint
    )


def test_an_invented_styling_function_of_pyplot_goes_and_a_drawing_one_stays_the_models():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'])\nplt.set_line_width(2)\n"
        "plt.title('t')\nplt.set_line_width(3)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert fixed == "import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'])\nplt.title('t')\n"
    assert (
        len(notes) == 1
        and "pyplot has no function 'set_line_width'" in notes[0]
        and "plt.set_line_width()" in notes[0]
    )
    with pytest.raises(AttributeError, match="wavyplot"):
        run_patched("import matplotlib.pyplot as plt\nplt.wavyplot(df['x'])\n", {"df": FRAME}, FRAMES)


def test_a_style_nothing_like_a_real_one_is_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nplt.style.use('no-such-sheet-at-all')\n"
    message = (
        "'no-such-sheet-at-all' is not a valid package style, path of style file, URL of style file, or "
        "library style name"
    )
    assert patched(code, "OSError", message, 2, SALES_NS, SALES_FRAMES) is None
