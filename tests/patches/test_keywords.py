"""Keyword patches: keywords a callee does not take, takes twice or takes in another form."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import ran, run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


def _ran(code: str) -> dict:
    return ran(code, FRAME)


def test_unexpected_keyword_is_removed_only_from_the_failing_call():
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot(df['region'], df['revenue'],\n"
        "         theta_units='deg', color='r')  # keep me\n"
        "plt.text(0, 0, 's', theta_units='deg')\n"
    )
    fix = patched(
        code, "AttributeError", "Line2D.set() got an unexpected keyword argument 'theta_units'", 2, NS, FRAMES
    )
    assert fix is not None and "theta_units" in fix.note
    lines = fix.code.splitlines()
    assert lines[1] == "plt.plot(df['region'], df['revenue'], color='r')  # keep me"
    assert lines[2] == "plt.text(0, 0, 's', theta_units='deg')"  # not on the failing line: untouched


@pytest.mark.parametrize(
    "code, error_type, message, line, expected",
    [
        (
            "df['b'] = df['revenue'].astype('category', categories=['x'])",
            "TypeError",
            "NDFrame.astype() got an unexpected keyword argument 'categories'",
            1,
            "df['b'] = df['revenue'].astype('category')",
        ),
        (
            "plt.yaxis.set_visible(False)",
            "AttributeError",
            "module 'matplotlib.pyplot' has no attribute 'yaxis'",
            1,
            "plt.gca().yaxis.set_visible(False)",
        ),
        (
            "plt.title('Umsatz – Übersicht'); plt.plot([1], colour='r')",
            "AttributeError",  # offsets count bytes
            "Line2D.set() got an unexpected keyword argument 'colour'",
            1,
            "plt.title('Umsatz – Übersicht'); plt.plot([1])",
        ),
    ],
)
def test_one_line_rules(code: str, error_type: str, message: str, line: int, expected: str):
    fix = patched(code + "\n", error_type, message, line, NS, FRAMES)
    assert fix is not None and fix.code == expected + "\n"


def test_a_keyword_the_same_named_function_of_another_imported_module_takes():
    code = (
        "import matplotlib.pyplot as plt\nimport seaborn as sns\n"
        "plt.violinplot(x='region', y='revenue', data=df)\n"
    )
    fix = patched(
        code, "TypeError", "violinplot() got an unexpected keyword argument 'x'", 3, _ran(code), FRAMES
    )
    assert (
        fix is not None
        and fix.code == "import seaborn as sns\nsns.violinplot(x='region', y='revenue', data=df)\n"
    )
    assert "seaborn.violinplot" in fix.note


def test_plotlys_bad_property_path_is_removed():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\n"
        "fig.update_layout(title='x', legend_position='top')\n"
    )
    try:
        go.Figure().update_layout(legend_position="top")
    except ValueError as exc:
        message = str(exc)
    fix = patched(code, "ValueError", message, 3, {}, FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "fig.update_layout(title='x')"
    through_a_color = (
        "import plotly.graph_objects as go\nfig = go.Figure()\nfig.update_layout(plot_bgcolor_gradient=1)\n"
    )
    fixed, notes = run_patched(through_a_color, {}, FRAMES)  # "Property does not support subscripting"
    assert "plot_bgcolor_gradient" not in fixed and len(notes) == 1


def test_keywords_one_slip_from_the_callees_parameters_are_renamed_the_rest_removed():
    from plotly.subplots import make_subplots

    code = (
        "from plotly.subplots import make_subplots\nfig = make_subplots(nrows=2, ncols=1, figsize=(8, 6))\n"
    )
    try:
        make_subplots(nrows=2, ncols=1, figsize=(8, 6))
    except TypeError as exc:
        message = str(exc)
    fix = patched(code, "TypeError", message, 2, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[1] == "fig = make_subplots(rows=2, cols=1)"
    assert "renamed 'nrows' to 'rows'" in fix.note and "removed 'figsize'" in fix.note
    exec(fix.code, {})


def test_a_keyword_is_not_renamed_to_a_shorter_setting_inside_its_name():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))\n"
        "fig.add_annotation(x=1, y=1, text='a', arrow=dict(color='red'))\n"
    )
    ran = {"go": go}
    try:
        exec(code, ran)
    except ValueError as exc:
        message = str(exc)
    fix = patched(code, "ValueError", message, 3, ran, FRAMES)
    assert fix is not None and "fig.add_annotation(x=1, y=1, text='a')" in fix.code  # not row=dict(...)
    assert "removed 'arrow'" in fix.note


def test_every_keyword_a_closed_signature_does_not_name_goes_in_one_patch():
    code = (
        "import plotly.express as px\n"
        "fig = px.scatter(df, x='region', y='revenue', yerr=df['revenue'], markers=True, line_style='--')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig = px.scatter(df, x='region', y='revenue')" in fixed and len(notes) == 1, notes


def test_a_plotly_trace_colour_goes_to_its_marker_in_every_call_of_that_trace():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\n"
        "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], color='blue', glow=2))\n"
        "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], color='red'))\n"
        "fig.update_layout(title='t')\n"
    )
    message = (
        "Invalid property specified for object of type plotly.graph_objs.Scatter: 'color'\n\n"
        "Bad property path:\ncolor\n^^^^^\n"
    )
    fix = patched(code, "ValueError", message, 3, {"go": go, "df": FRAME}, FRAMES)
    assert fix is not None and fix.code.count("marker_color=") == 2 and "color='red'" in fix.code
    assert "2 calls of go.Scatter" in fix.note and "removed 'glow'" in fix.note  # plotly named only 'color'
    assert "glow" not in fix.code
    namespace = {"df": FRAME}
    exec(fix.code, namespace)
    assert [t.marker.color for t in namespace["fig"].data] == ["blue", "red"]


def test_a_colour_given_to_a_figures_add_method_goes_to_the_marker_not_to_col():
    """``col`` is one slip from ``color`` but places the trace in a grid: the marker's colour is meant."""
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\n"
        "fig.add_histogram(x=df['revenue'], color='teal')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.add_histogram(x=df['revenue'], marker_color='teal')" in fixed, notes
    namespace = {"df": FRAME}
    exec(fixed, namespace)
    assert namespace["fig"].data[0].marker.color == "teal"


def test_a_keyword_given_twice_keeps_its_first_value():
    code = (
        "import matplotlib.pyplot as plt\nplt.bar(df['region'], "
        "df['revenue'], color='r', width=0.5, color='b')\n"
        "plt.title('t', loc='left', loc='right')\n"
    )
    fix = patched(code, "SyntaxError", "keyword argument repeated: color", 2, {}, FRAMES)
    assert (
        fix is not None and "color='r', width=0.5)" in fix.code and "plt.title('t', loc='left')" in fix.code
    )
    assert "'color', 'loc'" in fix.note
    exec(fix.code, {"df": FRAME})
    plt.close("all")


def test_every_layout_keyword_plotly_rejects_goes_in_one_patch():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Bar(x=[1], y=[2]))\n"
        "fig.update_layout(title='t', grid_template='x', aspect_ratio=1, overwrite=True)\n"
        "fig.update_xaxes(showgrid=False, showshadow=False, row=1, col=1)\n"
    )
    namespace = {"go": go, "fig": go.Figure(go.Bar(x=[1], y=[2]))}
    message = (
        "Invalid property specified for object of type plotly.graph_objs.Layout: 'grid_template'\n\n"
        "Bad property path:\ngrid_template\n^^^^^^^^^^^^^\n"
    )
    fix = patched(code, "ValueError", message, 3, namespace, FRAMES)
    assert (
        fix is not None and "fig.update_layout(title='t', overwrite=True)" in fix.code
    )  # plotly named one of two
    message = message.replace("Layout", "layout.XAxis").replace("grid_template", "showshadow")
    fix = patched(fix.code, "ValueError", message, 4, namespace, FRAMES)
    assert fix is not None and "fig.update_xaxes(showgrid=False, row=1, col=1)" in fix.code


def test_a_value_plotly_refuses_drops_that_setting():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Bar(x=[1], y=[2]))\n"
        "fig.update_layout(width=2, title='t')\n"
    )
    message = (
        "Invalid value of type 'builtins.int' received for the 'width' property of layout\n"
        "        Received value: 2\n"
    )
    fix = patched(code, "ValueError", message, 3, {"go": go, "fig": go.Figure()}, FRAMES)
    assert fix is not None and "fig.update_layout(title='t')" in fix.code


def test_cells_given_to_a_plotly_figure_itself_are_dropped_together():
    code = (
        "import plotly.graph_objects as go\n"
        "fig = go.Figure(go.Scatter(x=df.index, y=df['revenue']), row=1, col=1)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert fixed.endswith("fig = go.Figure(go.Scatter(x=df.index, y=df['revenue']))\n") and len(notes) == 1


def test_a_keyword_is_removed_from_the_same_method_on_every_cell_of_an_axes_grid():
    import numpy as np

    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\nfig, axs = plt.subplots(2, 2)\n"
        "axs[0, 1].imshow(np.eye(3), edgecolors='k', linewidths=0.5)\n"
        "axs[1, 0].imshow(np.eye(3), edgecolors='k', linewidths=0.5, origin='lower')\n"
    )
    fixed, notes = run_patched(code, {"np": np}, FRAMES)
    assert (
        "axs[1, 0].imshow(np.eye(3), origin='lower')" in fixed and len(notes) == 1
    )  # not one per cell or keyword
    assert "2 calls of .imshow" in notes[0]
    line = "import matplotlib.pyplot as plt\nplt.plot([1, 2], lw=2, glow=1, shine=2, label='a')\n"
    fixed, notes = run_patched(line, {}, FRAMES)  # an alias the artist has a setter for stays
    assert fixed.endswith("plt.plot([1, 2], lw=2, label='a')\n") and len(notes) == 1
    label = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.xlabel('x', regoin=1, fontsize=9)\n"
    fixed, notes = run_patched(label, {}, FRAMES)  # "'Text' object has no property 'regoin'": the same rule
    assert fixed.endswith("plt.xlabel('x', fontsize=9)\n") and len(notes) == 1


def test_a_keyword_in_the_wrong_case_is_renamed_to_the_parameter():
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n"
        "plt.specgram(np.sin(np.arange(2048.0)), nfft=256, fs=8)\n"
    )
    fixed, notes = run_patched(code, {}, FRAMES)
    assert fixed.endswith("plt.specgram(np.sin(np.arange(2048.0)), NFFT=256, Fs=8)\n"), notes


def test_an_optional_setting_of_the_wrong_form_goes_where_that_value_is_given():
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n"
        "plt.contourf(np.eye(3), extent=[0, 1])\nplt.figure()\n"
        "plt.contourf(np.eye(3), extent=[0, 1], cmap='gray')\n"
    )
    fixed, notes = run_patched(code, {}, FRAMES)
    assert "extent" not in fixed and "cmap='gray'" in fixed and len(notes) == 1
    plt.close("all")
    image = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n"
        "plt.imshow(np.eye(3), extent=[4.0, -3.0], cmap='gray')\n"
    )  # fails deep in matplotlib: IndexError
    fixed, notes = run_patched(image, {}, FRAMES)
    assert "plt.imshow(np.eye(3), cmap='gray')" in fixed and "extent=[4.0, -3.0]" in notes[0]
    plt.close("all")
    other = (
        "import matplotlib.pyplot as plt\nimport numpy as np\nplt.imshow(np.eye(3), extent=[0, 1, 0, 1])\n"
    )
    assert patched(other, "IndexError", "list index out of range", 3, {}, FRAMES) is None


def test_a_positional_value_landing_on_a_named_parameter_is_dropped():
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\n"
        "axs[0].scatter(df['revenue'], df['revenue'], df['revenue'], color='red', s=100)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "axs[0].scatter(df['revenue'], df['revenue'], color='red', s=100)" in fixed and len(notes) == 1
    plt.close("all")


def test_two_settings_that_exclude_each_other_keep_the_explicit_one():
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n"
        "plt.contour(np.eye(3), colors='k', cmap='viridis')\n"
        "plt.contour(np.eye(3), colors='k', cmap='gray')\n"
        "plt.figure()\nplt.pie([1, 2], colors=['r', 'b'], cmap='gray')\n"
    )  # another callee: its own error
    fixed, notes = run_patched(code, {}, FRAMES)
    assert "cmap='viridis'" not in fixed and "cmap='gray')\nplt.figure" not in fixed and len(notes) >= 1
    assert fixed.count("colors='k'") == 2 and "colors= and cmap=" in notes[0]
    plt.close("all")


def test_matplotlib_data_given_as_a_column_keyword_becomes_the_values():
    frame = pd.DataFrame({"x": [1.0, 2.0, 2.5], "y": [3.0, 4.0, 4.5]})
    code = "import matplotlib.pyplot as plt\nplt.hist(y='y', bins=3, color='red')\n"
    fixed, notes = run_patched(code, {"plt": plt, "df": frame}, {"df": frame})
    assert "plt.hist(df['y'], bins=3, color='red')" in fixed and "takes its data as 'x'" in notes[0]
    unknown = "import matplotlib.pyplot as plt\nplt.hist(y='z', bins=3)\n"  # no such column: not guessed
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        run_patched(unknown, {"plt": plt, "df": frame}, {"df": frame})


@pytest.mark.parametrize(
    "code, message, expected",
    [
        (
            "plt.plot([1, 2], color='r', color='b')\n",
            "keyword argument repeated: color",
            "plt.plot([1, 2], color='r')\n",
        ),
        (
            "plt.plot([1, 2])\nreturn 1\n",
            "'return' outside function",
            None,
        ),  # another compile error: not a keyword's
    ],
)
def test_only_a_repeated_keyword_is_the_compilers_error_a_patch_fixes(
    code: str, message: str, expected: str | None
):
    fix = patched(code, "SyntaxError", message, 2, NS, FRAMES)
    assert (fix.code if fix else None) == expected
