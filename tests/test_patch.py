"""Rule-based fixes: each rule edits only the offending node, from the live objects."""

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


def test_unexpected_keyword_is_removed_only_from_the_failing_call():
    code = ("import matplotlib.pyplot as plt\n"
            "plt.plot(df['region'], df['revenue'],\n"
            "         theta_units='deg', color='r')  # keep me\n"
            "plt.text(0, 0, 's', theta_units='deg')\n")
    fix = patched(code, "AttributeError", "Line2D.set() got an unexpected keyword argument 'theta_units'", 2, NS, FRAMES)
    assert fix is not None and "theta_units" in fix.note
    lines = fix.code.splitlines()
    assert lines[1] == "plt.plot(df['region'], df['revenue'], color='r')  # keep me"
    assert lines[2] == "plt.text(0, 0, 's', theta_units='deg')"  # not on the failing line: untouched


@pytest.mark.parametrize("code, error_type, message, line, expected", [
    ("df['b'] = df['revenue'].astype('category', categories=['x'])", "TypeError",
     "NDFrame.astype() got an unexpected keyword argument 'categories'", 1, "df['b'] = df['revenue'].astype('category')"),
    ("plt.yaxis.set_visible(False)", "AttributeError", "module 'matplotlib.pyplot' has no attribute 'yaxis'", 1,
     "plt.gca().yaxis.set_visible(False)"),
    ("plt.title('Umsatz – Übersicht'); plt.plot([1], colour='r')", "AttributeError",  # offsets count bytes
     "Line2D.set() got an unexpected keyword argument 'colour'", 1, "plt.title('Umsatz – Übersicht'); plt.plot([1])"),
])
def test_one_line_rules(code: str, error_type: str, message: str, line: int, expected: str):
    fix = patched(code + "\n", error_type, message, line, NS, FRAMES)
    assert fix is not None and fix.code == expected + "\n"


def test_an_axes_object_called_through_pyplot_like_a_function_is_removed_not_reached():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.yaxis(label='Density', color='red')\n"
            "plt.yaxis(label='Velocity')\nplt.yaxis.set_visible(True)\n")
    fix = patched(code, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'yaxis'", 3, NS, FRAMES)
    assert fix is not None and "removed 2 calls" in fix.note
    lines = fix.code.splitlines()
    assert lines[2].startswith("pass  # removed") and lines[3].startswith("pass  # removed")
    assert lines[4] == "plt.gca().yaxis.set_visible(True)"
    exec(compile(fix.code, "<viscode>", "exec"), {})
    plt.close("all")


def test_pyplot_attribute_no_axes_has_is_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nplt.barh_chart(1)\n"
    assert patched(code, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'barh_chart'", 2, NS, FRAMES) is None


def test_series_asked_for_an_ndarray_method_is_converted():
    code = "import matplotlib.pyplot as plt\nplt.imshow(df['revenue'].reshape(1, -1))\n"
    fix = patched(code, "AttributeError", "'Series' object has no attribute 'reshape'", 2, NS, FRAMES)
    assert fix is not None and "df['revenue'].to_numpy().reshape(1, -1)" in fix.code


def test_style_one_step_from_a_real_one_is_replaced():
    code = "import matplotlib.pyplot as plt\nplt.style.use('seaborn-whitegrid')\n"
    message = "'seaborn-whitegrid' is not a valid package style, path of style file, URL of style file, or library style name"
    fix = patched(code, "OSError", message, 2, NS, FRAMES)
    assert fix is not None and "plt.style.use('seaborn-v0_8-whitegrid')" in fix.code
    seaborns_name = "import matplotlib.pyplot as plt\nplt.style.use('white')\n"
    fixed, _ = run_patched(seaborns_name, {}, FRAMES)
    assert "plt.style.use('seaborn-v0_8-white')" in fixed
    colours_too = seaborns_name + "fig, ax = plt.subplots()\nax.set_facecolor('white')\nax.plot([1, 2], color='white')\n"
    fixed, _ = run_patched(colours_too, {}, FRAMES)  # the colour 'white' is not the style 'white'
    assert "plt.style.use('seaborn-v0_8-white')" in fixed
    assert "ax.set_facecolor('white')" in fixed and "color='white'" in fixed
    by_name = "import matplotlib.pyplot as plt\nstyle = 'white'\nplt.style.use(style)\nplt.plot([1], color='white')\n"
    fixed, _ = run_patched(by_name, {}, FRAMES)
    assert "style = 'seaborn-v0_8-white'" in fixed and "color='white'" in fixed


def test_column_with_a_slip_is_renamed_and_a_far_one_is_not():
    code = "import matplotlib.pyplot as plt\nplt.bar(df['Region'], df['revenue'])\n"
    fix = patched(code, "KeyError", "'Region'", 2, NS, FRAMES)
    assert fix is not None and "df['region']" in fix.code
    far = code.replace("Region", "area")
    assert patched(far, "KeyError", "'area'", 2, NS, FRAMES) is None


def test_pandas_list_of_missing_labels():
    code = "df[['region', 'revenu']].plot()\n"
    message = "\"['revenu'] not in index\""
    fix = patched(code, "KeyError", message, 1, NS, FRAMES)
    assert fix is not None and fix.code == "df[['region', 'revenue']].plot()\n"
    message = "\"None of [Index(['revnue'], dtype='object')] are in the [columns]\""
    fix = patched("df[['revnue']].plot()\n", "KeyError", message, 1, NS, FRAMES)
    assert fix is not None and fix.code == "df[['revenue']].plot()\n"


def test_unparsable_or_unknown_errors_give_no_patch():
    assert patched("plt.plot(", "SyntaxError", "x", 1, NS, FRAMES) is None
    assert patched("plt.plot([1])\n", "ValueError", "x and y must have same first dimension", 1, NS, FRAMES) is None


def _ran(code: str) -> dict:
    """The namespace a program leaves behind (the live objects the rules read)."""
    namespace = {"df": FRAME}
    try:
        exec(code, namespace)
    except Exception:
        pass
    finally:
        plt.close("all")
    return namespace


def test_pyplot_verbs_asked_of_an_axes_use_its_setter_or_pyplot():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.xlabel('x')\n"
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'xlabel'", 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "ax.set_xlabel('x')"
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\nim = axs[0].imshow([[1, 2]])\n"
            "axs[0].colorbar(im)\n")
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'colorbar'", 4, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[3] == "plt.colorbar(im, ax=axs[0])"
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\naxs[0].imshow([[1, 2]])\n"
            "axs[1].plot([1])\ncb = axs[0].colorbar(df['revenue'], cmap='viridis', label='z')\n")
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'colorbar'", 5, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[4] == "cb = plt.colorbar(axs[0].images[-1], ax=axs[0], label='z')"
    assert "dropped cmap, positional data" in fix.note
    exec(fix.code, {"df": FRAME})  # plt.colorbar() alone fails here: the OO imshow sets no current image
    assert len(plt.gcf().axes) == 3
    plt.close("all")
    elsewhere = code.replace("cb = axs[0].colorbar", "cb = axs[1].colorbar")  # the bar's panel drew no image
    fix = patched(elsewhere, "AttributeError", "'Axes' object has no attribute 'colorbar'", 5, _ran(elsewhere), FRAMES)
    assert fix is not None and "plt.colorbar(axs[0].images[-1], ax=axs[1], label='z')" in fix.code


def test_calling_an_axes_title_artist_uses_set_title():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1])\nax.title('Sales')\n"
    fix = patched(code, "TypeError", "'Text' object is not callable", 4, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[3] == "ax.set_title('Sales')"
    assert fix.code.splitlines()[2] == "ax.plot([1])"


def test_a_function_of_another_imported_plotting_module():
    code = "import matplotlib.pyplot as plt\nimport seaborn as sns\nplt.lineplot(data=df, x='region', y='revenue')\n"
    fix = patched(code, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'lineplot'", 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "sns.lineplot(data=df, x='region', y='revenue')"
    alone = "import matplotlib.pyplot as plt\nplt.lineplot(df)\n"  # seaborn not imported: the model decides
    assert patched(alone, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'lineplot'", 2,
                   _ran(alone), FRAMES) is None


def test_a_program_cut_off_mid_statement_keeps_its_complete_statements():
    code = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(df['region'], df['revenue'])\n"
            "ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9, title_fontsize=9, title_fontsize=9, ti")
    fix = patched(code, "PrecheckError", "SyntaxError on line 5: '(' was never closed: 'ax.legend('", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9)\n")
    unclosable = code.replace("ax.legend(title='x',", "ax.legend(title='x' 9,")  # invalid even when closed
    fix = patched(unclosable, "PrecheckError", "SyntaxError on line 5: '(' was never closed", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("ax.set_title('Revenue')\n") and "after line 4" in fix.note
    early = "import matplotlib.pyplot as plt\nplt.bar(df['region'],\nx = 1\ny = 2\nz = 3\nplt.show()\n"
    assert patched(early, "PrecheckError", "SyntaxError on line 2: '(' was never closed", None, {}, FRAMES) is None
    other = "import matplotlib.pyplot as plt\nplt.plot([1]) +\nplt.title('t')\n"  # mid-program: not a cut reply
    assert patched(other, "PrecheckError", "SyntaxError on line 2: invalid syntax", None, {}, FRAMES) is None


def test_a_call_cut_off_in_a_repetition_loop_is_closed_with_its_arguments():
    loop = "    grid=False,\n    legend=False,\n" * 20
    code = ("import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\nplt.gca().set(\n"
            "    title='Revenue',\n    xlabel='Region',\n" + loop + "    leg")
    fix = patched(code, "PrecheckError", "SyntaxError on line 3: '(' was never closed: 'plt.gca().set('", None, {},
                  FRAMES)
    assert fix is not None and fix.code.endswith("    xlabel='Region',\n    grid=False,\n    legend=False)\n")
    assert "closed the unfinished `plt.gca().set(`" in fix.note and "dropping repeated arguments" in fix.note
    ast.parse(fix.code)
    inside = "import matplotlib.pyplot as plt\nplt.plot([1])\nplt.title('Reve"  # cut inside a string: dropped
    fix = patched(inside, "PrecheckError", "SyntaxError on line 3: unterminated string literal", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("plt.plot([1])\n") and "dropped the unfinished one" in fix.note


def test_a_keyword_the_same_named_function_of_another_imported_module_takes():
    code = ("import matplotlib.pyplot as plt\nimport seaborn as sns\n"
            "plt.violinplot(x='region', y='revenue', data=df)\n")
    fix = patched(code, "TypeError", "violinplot() got an unexpected keyword argument 'x'", 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "sns.violinplot(x='region', y='revenue', data=df)"
    assert "seaborn.violinplot" in fix.note


def test_a_grid_of_axes_used_as_one_axes_becomes_one_axes():
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2, 1, figsize=(6, 4))\n"
            "axs.bar(df['region'], df['revenue'])\naxs.set_title('Revenue')\n")
    fix = patched(code, "AttributeError", "'numpy.ndarray' object has no attribute 'bar'", 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[1] == "fig, axs = plt.subplots(figsize=(6, 4))"
    exec(fix.code, {"df": FRAME})  # the patched program runs
    plt.close("all")
    indexed = code + "axs[1].plot([1])\n"  # the program does use the grid: the model decides
    assert patched(indexed, "AttributeError", "'numpy.ndarray' object has no attribute 'bar'", 3,
                   _ran(indexed), FRAMES) is None


def test_the_librarys_own_suggestion_is_taken():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.gca().yaxis.set_label('Density')\n"
            "plt.gca().yaxis.set_label_position('left')\n")
    message = ("A legend label cannot be assigned to an Axis. Did you mean to set the axis label via "
               "set_label_text()?")
    fix = patched(code, "RuntimeError", message, 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "plt.gca().yaxis.set_label_text('Density')"
    assert fix.code.splitlines()[3] == "plt.gca().yaxis.set_label_position('left')"
    exec(fix.code, {})
    plt.close("all")


def test_plotlys_bad_property_path_is_removed():
    import plotly.graph_objects as go

    code = "import plotly.graph_objects as go\nfig = go.Figure()\nfig.update_layout(title='x', legend_position='top')\n"
    try:
        go.Figure().update_layout(legend_position="top")
    except ValueError as exc:
        message = str(exc)
    fix = patched(code, "ValueError", message, 3, {}, FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "fig.update_layout(title='x')"
    through_a_color = "import plotly.graph_objects as go\nfig = go.Figure()\nfig.update_layout(plot_bgcolor_gradient=1)\n"
    fixed, notes = run_patched(through_a_color, {}, FRAMES)  # "Property does not support subscripting"
    assert "plot_bgcolor_gradient" not in fixed and len(notes) == 1


def test_a_function_the_library_has_in_another_module_is_imported_from_there():
    code = "import plotly.express as px\nfig = px.subplots(rows=1, cols=2)\nfig.show()\n"
    fix = patched(code, "AttributeError", "module 'plotly.express' has no attribute 'subplots'", 2, _ran(code), FRAMES)
    assert fix is not None
    assert fix.code == ("from plotly.subplots import make_subplots\nimport plotly.express as px\n"
                        "fig = make_subplots(rows=1, cols=2)\nfig.show()\n")



def test_a_class_two_modules_share_is_one_answer_not_an_ambiguity():
    """``plotly.graph_objs`` re-exports ``graph_objects``: ``px.Figure`` has one home, not two."""
    import plotly.graph_objs  # noqa: F401 - loaded, as plotly's own modules load it

    code = "import plotly.express as px\nfig = px.Figure()\nfig.add_bar(x=[1], y=[2])\n"
    fix = patched(code, "AttributeError", "module 'plotly.express' has no attribute 'Figure'", 2, _ran(code), FRAMES)
    assert fix is not None
    assert fix.code.splitlines()[0] == "from plotly.graph_objects import Figure"
    ran: dict = {}
    exec(fix.code, ran)
    assert len(ran["fig"].data) == 1

def test_keywords_one_slip_from_the_callees_parameters_are_renamed_the_rest_removed():
    from plotly.subplots import make_subplots

    code = "from plotly.subplots import make_subplots\nfig = make_subplots(nrows=2, ncols=1, figsize=(8, 6))\n"
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

    code = ("import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))\n"
            "fig.add_annotation(x=1, y=1, text='a', arrow=dict(color='red'))\n")
    ran = {"go": go}
    try:
        exec(code, ran)
    except ValueError as exc:
        message = str(exc)
    fix = patched(code, "ValueError", message, 3, ran, FRAMES)
    assert fix is not None and "fig.add_annotation(x=1, y=1, text='a')" in fix.code  # not row=dict(...)
    assert "removed 'arrow'" in fix.note


def test_every_keyword_a_closed_signature_does_not_name_goes_in_one_patch():
    code = ("import plotly.express as px\n"
            "fig = px.scatter(df, x='region', y='revenue', yerr=df['revenue'], markers=True, line_style='--')\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig = px.scatter(df, x='region', y='revenue')" in fixed and len(notes) == 1, notes


def test_every_pandas_value_asked_for_the_ndarray_method_is_converted_at_once():
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\n"
            "axs[0].imshow(df['revenue'].reshape(1, -1))\naxs[1].imshow(df['revenue'].reshape(-1, 1))\n")
    fix = patched(code, "AttributeError", "'Series' object has no attribute 'reshape'", 3, NS, FRAMES)
    assert fix is not None and fix.code.count(".to_numpy().reshape") == 2


def test_several_columns_as_one_seaborn_axis_become_long_form_data():
    import seaborn as sns

    frame = pd.DataFrame({"Distance": [1, 2, 3], "Density": [4, 5, 6], "Temperature": [7, 8, 9]})
    code = ("import seaborn as sns\nimport matplotlib.pyplot as plt\n"
            "sns.lineplot(x='Distance', y=['Density', 'Temperature'], data=df, marker='o')\nplt.title('t')\n")
    message = "Length of list vectors must match length of `data` when both are used"
    fix = patched(code, "ValueError", message, 3, {"sns": sns, "plt": plt, "df": frame}, {"df": frame})
    assert fix is not None and fix.code.splitlines()[2] == (
        "sns.lineplot(x='Distance', y='value', data=df.melt(id_vars=['Distance'], value_vars=['Density', "
        "'Temperature']), marker='o', hue='variable')")
    assert "melted df to long form" in fix.note
    namespace = {"df": frame}
    exec(fix.code, namespace)
    assert len(plt.gca().get_lines()) >= 2  # one line per melted column
    plt.close("all")
    hued = code.replace("marker='o'", "hue='Distance'")  # hue already says something else: the model decides
    assert patched(hued, "ValueError", message, 3, {"sns": sns, "plt": plt, "df": frame}, {"df": frame}) is None


def test_a_plotly_trace_colour_goes_to_its_marker_in_every_call_of_that_trace():
    import plotly.graph_objects as go

    code = ("import plotly.graph_objects as go\nfig = go.Figure()\n"
            "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], color='blue', glow=2))\n"
            "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], color='red'))\n"
            "fig.update_layout(title='t')\n")
    message = ("Invalid property specified for object of type plotly.graph_objs.Scatter: 'color'\n\n"
               "Bad property path:\ncolor\n^^^^^\n")
    fix = patched(code, "ValueError", message, 3, {"go": go, "df": FRAME}, FRAMES)
    assert fix is not None and fix.code.count("marker_color=") == 2 and "color='red'" in fix.code
    assert "2 calls of go.Scatter" in fix.note and "removed 'glow'" in fix.note  # plotly named only 'color'
    assert "glow" not in fix.code
    namespace = {"df": FRAME}
    exec(fix.code, namespace)
    assert [t.marker.color for t in namespace["fig"].data] == ["blue", "red"]


def test_a_colour_given_to_a_figures_add_method_goes_to_the_marker_not_to_col():
    """``col`` is one slip from ``color`` but places the trace in a grid: the marker's colour is meant."""
    code = ("import plotly.graph_objects as go\nfig = go.Figure()\n"
            "fig.add_histogram(x=df['revenue'], color='teal')\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.add_histogram(x=df['revenue'], marker_color='teal')" in fixed, notes
    namespace = {"df": FRAME}
    exec(fixed, namespace)
    assert namespace["fig"].data[0].marker.color == "teal"


def _run_patched(code: str, namespace: dict) -> tuple[str, list[str]]:
    return run_patched(code, namespace, FRAMES)


def test_a_traces_row_and_col_move_to_add_trace_and_add_trace_keeps_its_own():
    code = ("import plotly.graph_objects as go\nfrom plotly.subplots import make_subplots\n"
            "fig = make_subplots(rows=2, cols=1)\n"
            "fig.add_trace(go.Scatter(x=df['region'], y=df['revenue'], row=1, col=1))\n"
            "fig.add_trace(go.Bar(x=df['region'], y=df['revenue'], row=2, col=1), row=2, col=1)\n")
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
    fix = drop_keyword(Failure(nested, ast.parse(nested), "ValueError", message + "\n\nBad property path:\nrow\n^^^\n",
                               1, {"go": go, "fig": go.Figure(), "df": FRAME}, FRAMES))
    assert fix is not None and fix.code == "fig.add_trace(go.Bar(x=df['region']), row=2, col=1)\n"


def test_a_keyword_given_twice_keeps_its_first_value():
    code = ("import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'], color='r', width=0.5, color='b')\n"
            "plt.title('t', loc='left', loc='right')\n")
    fix = patched(code, "SyntaxError", "keyword argument repeated: color", 2, {}, FRAMES)
    assert fix is not None and "color='r', width=0.5)" in fix.code and "plt.title('t', loc='left')" in fix.code
    assert "'color', 'loc'" in fix.note
    exec(fix.code, {"df": FRAME})
    plt.close("all")


def test_matplotlib_panel_selection_on_a_plotly_grid_becomes_row_and_col():
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    code = ("import plotly.graph_objects as go\nfrom plotly.subplots import make_subplots\n"
            "fig = make_subplots(rows=1, cols=2)\nfig.add_subplot(1, 2, 1, title='Bars')\n"
            "fig.add_trace(go.Bar(x=df['region'], y=df['revenue']))\nfig.add_subplot(122)\n"
            "fig.add_scatter(x=df['region'], y=df['revenue'])\nfig.update_layout(title='t')\n")
    namespace = {"go": go, "make_subplots": make_subplots, "df": FRAME, "fig": make_subplots(rows=1, cols=2)}
    fix = patched(code, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace, FRAMES)
    assert fix is not None and "fig.add_trace(go.Bar(x=df['region'], y=df['revenue']), row=1, col=1)" in fix.code
    assert "fig.add_scatter(x=df['region'], y=df['revenue'], row=1, col=2)" in fix.code
    assert "fig.update_layout(title='t')" in fix.code  # layout calls are not add_*: untouched
    assert "keywords title were dropped" in fix.note
    ran = {"df": FRAME}
    exec(fix.code, ran)
    assert [t.xaxis for t in ran["fig"].data] == ["x", "x2"]
    plain = code.replace("make_subplots(rows=1, cols=2)", "go.Figure()")  # a plain figure gets the grid
    fix = patched(plain, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace, FRAMES)
    assert fix is not None and "fig = make_subplots(rows=1, cols=2)\n" in fix.code
    exec(fix.code, ran)
    assert [t.xaxis for t in ran["fig"].data] == ["x", "x2"]
    mixed = code.replace("fig.add_subplot(122)", "fig.add_subplot(2, 2, 4)")  # two grids named: the model decides
    assert patched(mixed, "AttributeError", "'Figure' object has no attribute 'add_subplot'", 4, namespace,
                   FRAMES) is None


def test_a_reply_cut_after_a_repeated_line_keeps_one_copy():
    line = "plt.gca().set_title('Revenue')\n"
    code = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\n" + line * 3 + "axs[0, 0]."
    fix = patched(code, "PrecheckError", "SyntaxError on line 6: invalid syntax: 'axs[0, 0].'", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("df['revenue'])\n" + line) and "2 repeated lines" in fix.note
    middle = "import matplotlib.pyplot as plt\nplt.bar(df['region'] df['revenue'])\nplt.title('t')\n"
    assert patched(middle, "PrecheckError", "SyntaxError on line 2: invalid syntax", None, {}, FRAMES) is None


def test_a_frame_retyped_from_its_preview_that_does_not_parse_is_dropped():
    code = ("import matplotlib.pyplot as plt\nimport pandas as pd\ndf = pd.DataFrame({\n"
            "    'region': ['a', 'b' (+16 more)],\n    'revenue': [1, 2]\n})\n"
            "plt.bar(df['region'], df['revenue'])\n")
    message = "SyntaxError on line 4: invalid syntax. Perhaps you forgot a comma?"
    fix = patched(code, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "DataFrame" not in fix.code and "plt.bar(df['region'], df['revenue'])" in fix.code
    assert "uses the loaded df" in fix.note
    assert patched(code.replace("df = pd", "other = pd"), "PrecheckError", message, None, {}, FRAMES) is None
    unclosed = code.replace("'b' (+16 more)],", "'b' (+16 more),")  # the list is never closed: ends at ``})``
    message = "SyntaxError on line 6: closing parenthesis '}' does not match opening parenthesis '['"
    fix = patched(unclosed, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "DataFrame" not in fix.code and "lines 3-6 retyped df" in fix.note


def test_an_attribute_one_slip_away_on_the_live_object_is_used():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_xlable('x')\n"
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'set_xlable'", 4, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[3] == "ax.set_xlabel('x')" and "'set_xlabel'" in fix.note
    far = code.replace("set_xlable", "insset")  # nothing close: the model decides
    assert patched(far, "AttributeError", "'Axes' object has no attribute 'insset'", 4, _ran(far), FRAMES) is None


def test_a_value_given_to_a_name_the_object_only_has_a_setter_for_goes_to_the_setter():
    code = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nlines = ax.plot(df['revenue'])\n"
            "ax.yaxis.tick_params(labelsize=8, colors='red')\nlines[0].linewidth(3)\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "ax.yaxis.set_tick_params(labelsize=8, colors='red')" in fixed and "lines[0].set_linewidth(3)" in fixed
    assert notes == ["YAxis has no 'tick_params'; used 'set_tick_params'", "Line2D has no 'linewidth'; used 'set_linewidth'"]
    asked = code.split("ax.yaxis")[0] + "print(ax.yaxis.tick_params)\n"  # read, not given a value
    fix = patched(asked, "AttributeError", "'YAxis' object has no attribute 'tick_params'", 4, _ran(asked), FRAMES)
    assert fix is None or "set_tick_params" not in fix.code


def test_every_layout_keyword_plotly_rejects_goes_in_one_patch():
    import plotly.graph_objects as go

    code = ("import plotly.graph_objects as go\nfig = go.Figure(go.Bar(x=[1], y=[2]))\n"
            "fig.update_layout(title='t', grid_template='x', aspect_ratio=1, overwrite=True)\n"
            "fig.update_xaxes(showgrid=False, showshadow=False, row=1, col=1)\n")
    namespace = {"go": go, "fig": go.Figure(go.Bar(x=[1], y=[2]))}
    message = "Invalid property specified for object of type plotly.graph_objs.Layout: 'grid_template'\n\n" \
              "Bad property path:\ngrid_template\n^^^^^^^^^^^^^\n"
    fix = patched(code, "ValueError", message, 3, namespace, FRAMES)
    assert fix is not None and "fig.update_layout(title='t', overwrite=True)" in fix.code  # plotly named one of two
    message = message.replace("Layout", "layout.XAxis").replace("grid_template", "showshadow")
    fix = patched(fix.code, "ValueError", message, 4, namespace, FRAMES)
    assert fix is not None and "fig.update_xaxes(showgrid=False, row=1, col=1)" in fix.code


def test_a_call_cut_inside_a_string_is_closed_before_that_argument():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.gca().set(\n    title='Revenue',\n"
            "    xlabel='Reg")
    fix = patched(code, "PrecheckError", "SyntaxError on line 5: unterminated string literal", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("plt.gca().set(\n    title='Revenue')\n")


def test_plotly_cells_counted_from_zero_are_shifted_to_one():
    from plotly.subplots import make_subplots

    code = ("from plotly.subplots import make_subplots\nimport plotly.graph_objects as go\n"
            "fig = make_subplots(rows=2, cols=1)\nfor i, c in enumerate(['region', 'revenue']):\n"
            "    fig.add_trace(go.Bar(x=df.index, y=df[c]), row=i, col=0)\n")
    message = "Row value is out of range. Note: the starting cell is (1, 1)"
    fix = patched(code, "Exception", message, 5, {"make_subplots": make_subplots, "df": FRAME}, FRAMES)
    assert fix is not None and "row=i + 1, col=1)" in fix.code
    ran = {"df": FRAME}
    exec(fix.code, ran)
    assert [t.yaxis for t in ran["fig"].data] == ["y", "y2"]


@pytest.mark.parametrize("made", ["px.bar(df, x='region', y='revenue')", "go.Figure()",
                                  "make_subplots(rows=2, cols=1, shared_xaxes=True)"])
def test_cells_outside_a_plotly_figures_grid_get_a_grid_that_has_them(made: str):
    code = ("import plotly.express as px\nimport plotly.graph_objects as go\n"
            "from plotly.subplots import make_subplots\n"
            f"fig = {made}\nfor i in range(3):\n"
            "    fig.add_trace(go.Scatter(x=df.index, y=df['revenue']), row=i + 1, col=1)\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert len(notes) == 1 and "3x1" in notes[0] and fixed.count("import make_subplots") == 1
    ran = {"df": FRAME}
    exec(fixed, ran)
    figure = ran["fig"]
    assert len(figure._grid_ref) == 3 and [t.yaxis for t in figure.data][-3:] == ["y", "y2", "y3"]
    assert ("shared_xaxes=True" in fixed) == made.startswith("make_subplots")
    assert len(figure.data) == (4 if made.startswith("px") else 3)  # the Express figure's bars are kept


def test_a_cell_the_rule_cannot_bound_is_left_to_the_model():
    code = ("import plotly.graph_objects as go\nfig = go.Figure()\nn = len(df)\n"
            "fig.add_trace(go.Scatter(x=df.index, y=df['revenue']), row=n, col=1)\n")
    namespace = {"df": FRAME}
    with pytest.raises(Exception, match="make_subplots"):
        exec(code, namespace)
    assert patched(code, "Exception", "In order to reference traces by row and column, you must first use "
                   "plotly.tools.make_subplots", 4, namespace, FRAMES) is None

def test_a_value_plotly_refuses_drops_that_setting():
    import plotly.graph_objects as go

    code = "import plotly.graph_objects as go\nfig = go.Figure(go.Bar(x=[1], y=[2]))\nfig.update_layout(width=2, title='t')\n"
    message = ("Invalid value of type 'builtins.int' received for the 'width' property of layout\n"
               "        Received value: 2\n")
    fix = patched(code, "ValueError", message, 3, {"go": go, "fig": go.Figure()}, FRAMES)
    assert fix is not None and "fig.update_layout(title='t')" in fix.code


def test_quotes_inside_a_quoted_string_are_requoted():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
            "plt.title('Contour Plots with 'extend' Feature')\nplt.xlabel('x')\n")
    message = "SyntaxError on line 3: invalid syntax. Perhaps you forgot a comma?"
    fix = patched(code, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "plt.title(\"Contour Plots with 'extend' Feature\")" in fix.code
    assert fix.code.endswith("plt.xlabel('x')\n") and "double quotes" in fix.note


def test_a_colorbar_with_nothing_mapped_uses_what_an_axes_mapped_or_goes():
    code = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
            "ax.plot(df['revenue'])\nplt.colorbar(label='revenue')\nax.set_title('t')\n")
    fixed, notes = _run_patched(code, {"df": FRAME})
    assert "pass\nax.set_title('t')" in fixed and "nothing colour-mapped" in notes[0]
    mapped = code.replace("ax.plot(df['revenue'])", "plt.figure(); fig.sca(ax); ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])")
    fixed, notes = _run_patched(mapped, {"df": FRAME})
    assert "plt.colorbar(ax.collections[-1], ax=ax, label='revenue')" in fixed and "used what ax drew" in notes[0]
    kept = code.replace("plt.colorbar(label='revenue')", "cbar = plt.colorbar(label='revenue')")
    with pytest.raises(RuntimeError):  # the colorbar is used later: left to the model
        _run_patched(kept, {"df": FRAME})
    plt.close("all")


def test_column_numbers_on_a_frame_whose_columns_are_texts_become_the_texts():
    texts = pd.DataFrame({str(i): [1.0, 2.0, 3.0] for i in range(8)})
    code = ("import plotly.express as px\nimport plotly.graph_objects as go\n"
            "fig = px.histogram(df, x=0, color=1, nbins=5, hover_data=[2, 3])\n"
            "fig.add_trace(go.Scatter(x=df[0], y=df[[1, 2]].mean(axis=1)))\n")
    fixed, notes = run_patched(code, {"df": texts}, {"df": texts})
    assert "px.histogram(df, x='0', color='1', nbins=5, hover_data=['2', '3'])" in fixed  # nbins stays a number
    assert "go.Scatter(x=df['0'], y=df[['1', '2']].mean(axis=1))" in fixed
    assert len(notes) == 1 and "texts ('0')" in notes[0]
    numbered = pd.DataFrame({0: [1.0], 1: [2.0]})  # a number the frame does have: not this rule's business
    assert patched("df[5]", "KeyError", "5", 1, {"df": numbered}, {"df": numbered}) is None


def test_column_numbers_on_a_frame_with_named_columns_become_positions():
    frame = pd.DataFrame({"city": ["a", "b"], "sales": [1.0, 2.0], "cost": [0.5, 1.0]})
    code = ("import matplotlib.pyplot as plt\ndata = df\nplt.bar(data[0], data[1])\n"
            "plt.plot(data[[1, 2]].sum(axis=1))\ndata[3] = 1\n")
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert "plt.bar(data.iloc[:, 0], data.iloc[:, 1])" in fixed and "data.iloc[:, [1, 2]].sum(axis=1)" in fixed
    assert "data[3] = 1" in fixed  # an assignment makes a column: untouched
    assert len(notes) == 1 and "became positions" in notes[0]
    assert patched("df[7]", "KeyError", "7", 1, {"df": frame}, {"df": frame}) is None  # wider than the frame
    plt.close("all")


def test_cells_given_to_a_plotly_figure_itself_are_dropped_together():
    code = "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df.index, y=df['revenue']), row=1, col=1)\n"
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert fixed.endswith("fig = go.Figure(go.Scatter(x=df.index, y=df['revenue']))\n") and len(notes) == 1


def test_a_keyword_is_removed_from_the_same_method_on_every_cell_of_an_axes_grid():
    import numpy as np

    code = ("import matplotlib.pyplot as plt\nimport numpy as np\nfig, axs = plt.subplots(2, 2)\n"
            "axs[0, 1].imshow(np.eye(3), edgecolors='k', linewidths=0.5)\n"
            "axs[1, 0].imshow(np.eye(3), edgecolors='k', linewidths=0.5, origin='lower')\n")
    fixed, notes = run_patched(code, {"np": np}, FRAMES)
    assert "axs[1, 0].imshow(np.eye(3), origin='lower')" in fixed and len(notes) == 1  # not one per cell or keyword
    assert "2 calls of .imshow" in notes[0]
    line = "import matplotlib.pyplot as plt\nplt.plot([1, 2], lw=2, glow=1, shine=2, label='a')\n"
    fixed, notes = run_patched(line, {}, FRAMES)  # an alias the artist has a setter for stays
    assert fixed.endswith("plt.plot([1, 2], lw=2, label='a')\n") and len(notes) == 1
    label = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.xlabel('x', regoin=1, fontsize=9)\n"
    fixed, notes = run_patched(label, {}, FRAMES)  # "'Text' object has no property 'regoin'": the same rule
    assert fixed.endswith("plt.xlabel('x', fontsize=9)\n") and len(notes) == 1


def test_a_function_gone_from_a_submodule_reached_through_pyplot_is_taken_from_pyplot():
    code = ("import matplotlib.pyplot as plt\nimport matplotlib.cm as cm\ncmap = plt.cm.get_cmap('coolwarm')\n"
            "other = cm.get_cmap('viridis')\nplt.bar(df['region'], df['revenue'], color=cmap(0.5))\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)  # matplotlib 3.9 removed cm.get_cmap
    assert "cmap = plt.get_cmap('coolwarm')\nother = plt.get_cmap('viridis')\n" in fixed and len(notes) == 1


def test_a_keyword_in_the_wrong_case_is_renamed_to_the_parameter():
    code = "import matplotlib.pyplot as plt\nimport numpy as np\nplt.specgram(np.sin(np.arange(2048.0)), nfft=256, fs=8)\n"
    fixed, notes = run_patched(code, {}, FRAMES)
    assert fixed.endswith("plt.specgram(np.sin(np.arange(2048.0)), NFFT=256, Fs=8)\n"), notes


def test_traces_assigned_to_a_plotly_figures_data_are_added_instead():
    code = ("import plotly.express as px\nimport plotly.graph_objects as go\n"
            "fig = px.scatter(df, x='region', y='revenue')\n"
            "fig.data = [\n    go.Bar(x=df['region'], y=df['revenue'], name='a'),\n"
            "    go.Bar(x=df['region'], y=df['revenue'] * 2, name='b'),\n]\nfig.update_layout(title='t')\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.data = ()\nfig.add_traces([go.Bar(" in fixed and len(notes) == 1
    ran = {"df": FRAME}
    exec(fixed, ran)
    assert [t.name for t in ran["fig"].data] == ["a", "b"]
    nested = "import plotly.graph_objects as go\nfig = go.Figure()\nif True:\n    fig.data = [go.Bar(y=[1])]\n"
    fixed, _ = run_patched(nested, {}, FRAMES)
    assert "if True:\n    fig.data = ()\n    fig.add_traces([go.Bar(y=[1])])\n" in fixed


@pytest.mark.parametrize(("call", "fixed"), [
    ("sns.barplot(data=df, x='region', y='revenue', errorbar='std')", "errorbar='sd'"),
    ("plt.hist(df['revenue'], histtype='bars')", "histtype='bar'"),
    ("plt.plot(df['revenue'], linestyle='dotted_line')", "linestyle='dotted'"),
])
def test_a_setting_outside_the_listed_values_takes_the_closest(call: str, fixed: str):
    code = f"import matplotlib.pyplot as plt\nimport seaborn as sns\n{call}\n"
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert fixed in result and len(notes) == 1
    plt.close("all")


def test_a_plotly_enumeration_value_written_out_takes_its_listed_abbreviation():
    code = ("import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df['revenue']))\n"
            "fig.update_layout(legend_orientation='vertical', legend_title='Series')\n")
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "legend_orientation='v'" in result and "legend_title='Series'" in result and len(notes) == 1


def test_a_keyword_setting_with_no_close_listed_value_is_removed_and_a_positional_one_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'], align='middle')\n"
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "plt.bar(df['region'], df['revenue'])\n" in result and "removed align='middle'" in notes[0]
    plotly = ("import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df['revenue']))\n"
              "fig.add_annotation(x=0, y=1, text='a', xref='xdata', showarrow=True)\n")
    result, notes = run_patched(plotly, {"df": FRAME}, FRAMES)
    assert "fig.add_annotation(x=0, y=1, text='a', showarrow=True)" in result and len(notes) == 1
    positional = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'], 0.8, 0, 'middle')\n"
    message = "'middle' is not a valid value for align. Supported values are 'center', 'edge'"
    assert patched(positional, "ValueError", message, 2, {"df": FRAME}, FRAMES) is None


def test_grids_used_as_one_axes_become_one_axes_also_those_made_later_and_a_figure_gets_a_suptitle():
    code = ("import matplotlib.pyplot as plt\nfig1, ax1 = plt.subplots(3, 1)\nax1.set_title('a')\n"
            "ax1.plot(df['revenue'])\nfig2, ax2 = plt.subplots(2, 1)\nax2.plot(df['revenue'])\n"
            "fig2.set_title('b')\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig1, ax1 = plt.subplots()\n" in fixed and "fig2, ax2 = plt.subplots()\n" in fixed
    assert "fig2.suptitle('b')" in fixed and len(notes) == 2 and "ax2, made later" in notes[0]
    ran = {"df": FRAME}
    exec(fixed, ran)
    assert ran["fig2"].get_suptitle() == "b"
    plt.close("all")


def test_an_optional_setting_of_the_wrong_form_goes_where_that_value_is_given():
    code = ("import matplotlib.pyplot as plt\nimport numpy as np\n"
            "plt.contourf(np.eye(3), extent=[0, 1])\nplt.figure()\nplt.contourf(np.eye(3), extent=[0, 1], cmap='gray')\n")
    fixed, notes = run_patched(code, {}, FRAMES)
    assert "extent" not in fixed and "cmap='gray'" in fixed and len(notes) == 1
    plt.close("all")
    image = ("import matplotlib.pyplot as plt\nimport numpy as np\n"
             "plt.imshow(np.eye(3), extent=[4.0, -3.0], cmap='gray')\n")  # fails deep in matplotlib: IndexError
    fixed, notes = run_patched(image, {}, FRAMES)
    assert "plt.imshow(np.eye(3), cmap='gray')" in fixed and "extent=[4.0, -3.0]" in notes[0]
    plt.close("all")
    other = "import matplotlib.pyplot as plt\nimport numpy as np\nplt.imshow(np.eye(3), extent=[0, 1, 0, 1])\n"
    assert patched(other, "IndexError", "list index out of range", 3, {}, FRAMES) is None


def test_a_positional_value_landing_on_a_named_parameter_is_dropped():
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\n"
            "axs[0].scatter(df['revenue'], df['revenue'], df['revenue'], color='red', s=100)\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "axs[0].scatter(df['revenue'], df['revenue'], color='red', s=100)" in fixed and len(notes) == 1
    plt.close("all")


def test_two_settings_that_exclude_each_other_keep_the_explicit_one():
    code = ("import matplotlib.pyplot as plt\nimport numpy as np\n"
            "plt.contour(np.eye(3), colors='k', cmap='viridis')\nplt.contour(np.eye(3), colors='k', cmap='gray')\n"
            "plt.figure()\nplt.pie([1, 2], colors=['r', 'b'], cmap='gray')\n")  # another callee: its own error
    fixed, notes = run_patched(code, {}, FRAMES)
    assert "cmap='viridis'" not in fixed and "cmap='gray')\nplt.figure" not in fixed and len(notes) >= 1
    assert fixed.count("colors='k'") == 2 and "colors= and cmap=" in notes[0]
    plt.close("all")


def test_an_axes_colorbar_goes_when_the_figure_mapped_nothing():
    code = ("import matplotlib.pyplot as plt\nfig, (ax1, ax2) = plt.subplots(1, 2)\n"
            "ax1.plot(df['revenue'])\nax2.plot(df['revenue'])\n"
            "cbar1 = ax1.colorbar(label='a')\nax2.colorbar(label='b')\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "colorbar" not in fixed and "ax2.plot(df['revenue'])" in fixed
    assert "removed the colorbar of ax1, ax2: the figure drew nothing colour-mapped" in notes[0]
    plt.close("all")


@pytest.mark.parametrize("call, kept", [
    ("ax.plot(df['revenue'], df['revenue'], c=df['revenue'], marker='o', s=df['revenue'], label='b')",
     "ax.plot(df['revenue'], df['revenue'], marker='o', label='b')"),
    ("ax.plot(df['revenue'], df['revenue'], color='red', linewidth=df['revenue'])",
     "ax.plot(df['revenue'], df['revenue'], color='red')"),
    ("plt.plot(df['revenue'], df['revenue'], color=shades)", "plt.plot(df['revenue'], df['revenue'])"),
    ("axs = np.array([ax, ax])\nfor i in range(2):\n    axs[i].plot(df['revenue'], linewidth=df['revenue'])",
     "axs[i].plot(df['revenue'])"),  # a panel of a grid: not evaluated, its grid is
])
def test_per_point_settings_on_a_line_go_and_the_line_is_drawn(call: str, kept: str):
    code = (f"import matplotlib.pyplot as plt\nshades = ['red', 'blue']\nfig, ax = plt.subplots()\n"
            f"ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])\n{call}\n")
    fixed, notes = run_patched(code, {"df": FRAME, "np": np}, FRAMES)
    assert kept in fixed and "ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])" in fixed
    assert "one per point" in notes[0]
    plt.close("all")


def test_a_single_bad_colour_on_a_line_is_not_a_per_point_setting():
    code = "import matplotlib.pyplot as plt\nplt.plot(df['revenue'], color='notacolour')\n"
    message = "'notacolour' is not a valid value for color"
    assert patched(code, "ValueError", message, 2, {"df": FRAME, "plt": plt}, FRAMES) is None


@pytest.mark.parametrize("call, drawn", [
    ("ax.axvline(x=df['revenue'], color='red', linestyle='--')",
     "ax.vlines(df['revenue'], 0, 1, transform=ax.get_xaxis_transform(), color='red', linestyle='--')"),
    ("plt.axhline(df['revenue'], 0.2, xmax=0.8)",
     "plt.hlines(df['revenue'], 0.2, 0.8, transform=plt.gca().get_yaxis_transform())"),
    ("plt.axvline(df['revenue'][df['revenue'] > 0], color='red')",  # a filtered column: not evaluated
     "plt.vlines(df['revenue'][df['revenue'] > 0], 0, 1, transform=plt.gca().get_xaxis_transform(), color='red')"),
])
def test_a_reference_line_at_several_values_becomes_one_line_at_each(call: str, drawn: str):
    code = f"import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(df['revenue'])\n{call}\n"
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert drawn in fixed and "one line at each" in notes[0]
    exec(fixed, {"df": FRAME})
    assert len(plt.gca().collections) == 1 and len(plt.gca().collections[0].get_segments()) == 2
    plt.close("all")
    one = "import matplotlib.pyplot as plt\nplt.axvline(x=df['revenue'].mean())\n"
    message = "The truth value of a Series is ambiguous."
    assert patched(one, "ValueError", message, 2, {"df": FRAME, "plt": plt}, FRAMES) is None


def test_an_express_figure_added_as_a_trace_adds_its_traces():
    code = ("import plotly.express as px\nfrom plotly.subplots import make_subplots\n"
            "fig = make_subplots(rows=1, cols=2)\n"
            "fig.add_trace(px.scatter(df, x='region', y='revenue'), row=1, col=1)\n"
            "fig.add_trace(px.bar(df, x='region', y='revenue'), row=1, col=2)\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.add_traces(px.scatter(df, x='region', y='revenue').data, rows=1, cols=1)" in fixed
    assert "fig.add_traces(px.bar(df, x='region', y='revenue').data, rows=1, cols=2)" in fixed
    assert len(notes) == 1 and "(2 calls)" in notes[0]
    ran = {"df": FRAME}
    exec(fixed, ran)
    assert [t.type for t in ran["fig"].data] == ["scatter", "bar"] and ran["fig"].data[1].xaxis == "x2"
