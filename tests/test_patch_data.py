"""Data-shape patches: stacked reshapes, 1-D images, interval labels as bins."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}


def test_a_reshape_into_one_matrix_of_several_stacks_them():
    import numpy as np

    code = ("import matplotlib.pyplot as plt\nm = df[['region', 'revenue']].values.reshape((2, 1))\n"
            "plt.plot(m[0])\n")
    message = "cannot reshape array of size 4 into shape (2,1)"
    fix = patched(code, "ValueError", message, 2, {"np": np}, FRAMES)
    assert fix is not None and "m = df[['region', 'revenue']].values.reshape(-1, 2, 1)" in fix.code
    assert "2 arrays of shape (2, 1)" in fix.note
    assert patched(code, "ValueError", "cannot reshape array of size 5 into shape (2,1)", 2, {"np": np},
                   FRAMES) is None  # not a whole number of matrices: the model decides
    whole = code.replace("plt.plot(m[0])", "plt.plot(m)")  # used as one array: which matrix was meant is unclear
    assert patched(whole, "ValueError", message, 2, {"np": np}, FRAMES) is None


def test_an_image_of_a_vector_is_square_when_its_length_is():
    import numpy as np

    frame = pd.DataFrame({"v": np.arange(9.0), "w": np.arange(9.0) + 1})
    code = "import matplotlib.pyplot as plt\nplt.imshow(df['v'], cmap='gray')\n"
    fix = patched(code, "TypeError", "Invalid shape (9,) for image data", 2, {"plt": plt}, {"df": frame})
    assert fix is not None and "plt.imshow(np.reshape(np.asarray(df['v']), (3, 3)), cmap='gray')" in fix.code
    assert "3x3 image" in fix.note
    exec("import numpy as np\n" + fix.code, {"df": frame})
    assert plt.gca().images[0].get_array().shape == (3, 3)
    plt.close("all")
    fix = patched(code, "TypeError", "Invalid shape (8,) for image data", 2, {"plt": plt}, {"df": frame})
    assert fix is not None and "np.atleast_2d(np.asarray(df['v']))" in fix.code and "one row of 8" in fix.note


def test_interval_labels_given_as_bins_become_their_count():
    frame = pd.DataFrame({"x": [0.1, 0.4, 0.7, 0.2], "x_bins": ["(0, 0.25]", "(0.25, 0.5]", "(0.5, 0.75]", "(0, 0.25]"]})
    code = "import matplotlib.pyplot as plt\nplt.hist(df['x'], bins=df['x_bins'], alpha=0.5)\n"
    fix = patched(code, "ValueError", "`bins` must increase monotonically, when an array", 2, {"plt": plt},
                  {"df": frame})
    assert fix is not None and "plt.hist(df['x'], bins=3, alpha=0.5)" in fix.code and "3 text labels" in fix.note
    numeric = frame.assign(x_bins=[0.0, 0.5, 1.0, 1.5])  # numeric edges: not this rule's case
    assert patched(code, "ValueError", "`bins` must increase monotonically, when an array", 2, {"plt": plt},
                   {"df": numeric}) is None


def test_a_contour_of_three_columns_triangulates_the_points():
    import numpy as np

    frame = pd.DataFrame({"X": np.random.default_rng(0).random(30), "Y": np.random.default_rng(1).random(30)})
    frame["Z"] = frame.X * frame.Y
    code = ("import matplotlib.pyplot as plt\nX = df['X']\nplt.contourf(X, df['Y'], df['Z'], cmap='viridis')\n"
            "plt.contour(X, df['Y'], df['Z'], colors='k')\n")
    fix = patched(code, "TypeError", "Input z must be 2D, not 1D", 3, {"plt": plt, "df": frame, "X": frame.X},
                  {"df": frame})
    assert fix is not None and "plt.tricontourf(X, df['Y'], df['Z'], cmap='viridis')" in fix.code
    assert "plt.tricontour(X, df['Y'], df['Z'], colors='k')" in fix.code
    exec(fix.code, {"df": frame})
    assert plt.gca().collections
    plt.close("all")


def test_one_number_as_the_x_of_many_values_is_dropped():
    import numpy as np

    code = ("import matplotlib.pyplot as plt\nimport numpy as np\nrate = 100\npsd = np.abs(np.fft.fft(df['revenue']))\n"
            "fig, ax = plt.subplots()\nax.plot(rate, psd, label=f'PSD at {rate} Hz')\n")
    namespace: dict = {"df": FRAME}
    with pytest.raises(ValueError) as raised:
        exec(code, namespace)
    fix = patched(code, "ValueError", str(raised.value), 6, namespace, FRAMES)
    assert fix is not None and fix.code.endswith("ax.plot(psd, label=f'PSD at {rate} Hz')\n")
    exec(fix.code, {"df": FRAME})
    assert np.array_equal(plt.gca().lines[0].get_ydata(), np.abs(np.fft.fft(FRAME["revenue"])))
    plt.close("all")
    same_length = code.replace("rate = 100", "rate = df['revenue']")  # a real x: not this rule's business
    assert patched(same_length, "ValueError", str(raised.value), 6, {**namespace, "rate": FRAME["revenue"]},
                   FRAMES) is None


def test_column_names_given_to_a_plotly_trace_become_the_columns():
    import plotly.graph_objects as go


    code = ("import plotly.graph_objects as go\nfig = go.Figure()\n"
            "fig.add_histogram(x='revenue', name='revenue')\n"
            "fig.add_trace(go.Scatter(x='region', y='revenue', mode='markers'))\n")
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "fig.add_histogram(x=df['revenue'], name='revenue')" in fixed  # a name stays a name
    assert "go.Scatter(x=df['region'], y=df['revenue'], mode='markers')" in fixed
    assert len(notes) == 2 and "values, not column names" in notes[0]
    ran: dict = {"df": FRAME}
    exec(fixed, ran)
    assert list(ran["fig"].data[1].y) == [1, 2] and isinstance(ran["fig"].data[0], go.Histogram)
    unknown = "import plotly.graph_objects as go\nfig = go.Figure(go.Bar(x='price', y=[1]))\n"
    with pytest.raises(ValueError):  # not a column of any frame: no rule, the model is asked
        run_patched(unknown, {"df": FRAME}, FRAMES)


def test_values_of_a_table_that_fills_a_grid_are_pivoted_onto_it():
    import numpy as np

    x, y = np.meshgrid(np.arange(5.0), np.arange(4.0))
    grid = pd.DataFrame({"Y": y.ravel(), "X": x.ravel(), "Z": (x * y).ravel()})  # Y first: the names decide
    grid.loc[3, "Z"] = np.nan  # a hole triangulation cannot draw
    code = ("import matplotlib.pyplot as plt\nfig, axs = plt.subplots(1, 3)\n"
            "axs[0].contourf(df['X'], df['Y'], df['Z'], cmap='viridis')\naxs[1].contour(df['Z'], colors='k')\n"
            "axs[2].imshow(df['Z'])\n")
    fixed, notes = run_patched(code, {"df": grid}, {"df": grid})
    pivot = "df.pivot(index='Y', columns='X', values='Z')"
    assert f"axs[0].contourf({pivot}.columns, {pivot}.index, {pivot}.to_numpy(), cmap='viridis')" in fixed
    assert f"axs[2].imshow({pivot})" in fixed and len(notes) == 1 and "'Z' over 'X' x 'Y'" in notes[0]
    ran = {"df": grid}
    exec(fixed, ran)
    assert ran["axs"][2].images[0].get_array().shape == (4, 5)
    plt.close("all")
    named = ("import matplotlib.pyplot as plt\nX = df['X']\nY = df['Y']\nZ = df['Z']\n"
             "plt.tricontourf(X, Y, Z, levels=10)\n")  # columns through names, a hole in the triangulation
    fixed, notes = run_patched(named, {"df": grid}, {"df": grid})
    assert f"plt.contourf({pivot}.columns, {pivot}.index, {pivot}.to_numpy(), levels=10)" in fixed, fixed
    plt.close("all")
    scattered = grid.iloc[:-1]  # one (x, y) pair short of a grid: not this rule's business
    fix = patched(code, "TypeError", "Input z must be 2D, not 1D", 3, {"df": scattered}, {"df": scattered})
    assert fix is not None and "tricontourf" in fix.code


def test_plotly_express_given_column_lists_on_both_axes_draws_the_y_columns_against_the_index():
    frame = pd.DataFrame({"0": [0.1, 0.2, 0.3], "1": [1.0, 0.5, 0.2]})
    code = "import plotly.express as px\nfig = px.scatter(df, x=df.columns, y=df.columns)\n"
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert "px.scatter(df, y=df.columns)" in fixed and len(notes) == 1


def test_marker_sizes_from_a_signed_column_are_its_magnitudes():
    frame = pd.DataFrame({"X": range(-3, 3), "U": range(-3, 3)})
    code = "import plotly.express as px\nfig = px.scatter(df, x='X', y='U', size='U')\n"
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert "size=df['U'].abs()" in fixed and "magnitude" in notes[0]
    namespace = {"df": frame}
    exec(fixed, namespace)
    assert min(namespace["fig"].data[0].marker.size) == 0


def test_an_image_of_a_table_with_a_label_column_uses_it_as_the_row_names():
    table = pd.DataFrame({"vegetables": ["cucumber", "tomato"], "Joe": [0.8, 2.4], "Bros": [1.0, 0.0]})
    code = "import matplotlib.pyplot as plt\nplt.imshow(df, cmap='viridis')\nplt.colorbar()\n"
    fixed, notes = run_patched(code, {"df": table}, {"df": table})
    assert "plt.imshow(df.set_index('vegetables'), cmap='viridis')" in fixed and len(notes) == 1
    exec(fixed, {"df": table})
    assert plt.gca().images[0].get_array().shape == (2, 2)
    plt.close("all")


def test_an_image_of_colour_planes_stacked_first_moves_them_last():
    import numpy as np

    rgb = pd.DataFrame({"R": np.linspace(0, 1, 25), "G": np.linspace(1, 0, 25), "B": np.full(25, 0.5)})
    code = "import matplotlib.pyplot as plt\nimage = rgb.to_numpy().T.reshape(-1, 5, 5)\nplt.imshow(image)\n"
    fixed, notes = run_patched(code, {"rgb": rgb, "np": np}, {"rgb": rgb})
    assert "plt.imshow(np.moveaxis(np.asarray(image), 0, -1))" in fixed
    assert "(5, 5, 3)" in notes[0]
    ran = {"rgb": rgb, "np": np}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    assert plt.gca().get_images()[0].get_array().shape == (5, 5, 3)
    plt.close("all")
    planes = "Invalid shape (2, 5, 5) for image data"  # two planes are not a colour image: the model decides
    assert patched(code, "TypeError", planes, 3, {"image": np.zeros((2, 5, 5))}, {"rgb": rgb}) is None


def test_a_one_item_call_given_whole_columns_is_called_once_per_row():
    frame = pd.DataFrame({"x": [0.1, 0.5], "y": [0.2, 0.6], "text": ["a", "b"], "color": ["black", "red"],
                          "size": [10, 14]})
    code = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nif True:\n"
            "    ax.text(df['x'], df['y'], df.text, color=df['color'], fontsize=df['size'], ha='center')\n")
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert ("    for _, _row in df.iterrows():\n        ax.text(_row['x'], _row['y'], _row['text'], "
            "color=_row['color'], fontsize=_row['size'], ha='center')") in fixed
    assert len(notes) == 1 and "once per row" in notes[0]
    ran: dict = {"df": frame}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    assert [t.get_text() for t in ran["ax"].texts] == ["a", "b"] and ran["ax"].texts[1].get_color() == "red"
    plt.close("all")


def test_a_styling_keyword_naming_a_column_the_data_lacks_is_removed():
    import plotly.express as px
    import seaborn as sns

    frame = pd.DataFrame({"Leprechauns": [1.0, 2.0, 3.0], "Gold": [4.0, 5.0, 6.0], "Luck": [7.0, 8.0, 9.0]})
    code = ("import plotly.express as px\n"
            "fig = px.scatter(df, x='Leprechauns', y='Gold', color='Luck', symbol='suit',\n"
            "                 hover_data=df[['Gold', 'suit']])\n")
    # the pre-check's finding, before anything ran: both keywords that name 'suit' go, x and y stay
    fix = patched(code, "PrecheckError", "line 2: df has no column 'suit'. Its columns are: 'Leprechauns', "
                  "'Gold', 'Luck'.", 2, {}, {"df": frame})
    assert fix is not None and "px.scatter(df, x='Leprechauns', y='Gold', color='Luck')" in fix.code
    assert "no column 'suit'" in fix.note and "symbol='suit'" in fix.note
    # plotly's own error at run time, and seaborn's
    fixed, notes = run_patched(code.replace(",\n                 hover_data=df[['Gold', 'suit']]", ""),
                               {"px": px, "df": frame}, {"df": frame})
    assert "symbol" not in fixed and len(notes) == 1
    seaborn = "import seaborn as sns\nsns.scatterplot(data=df, x='Leprechauns', y='Gold', hue='suit')\n"
    fixed, _ = run_patched(seaborn, {"sns": sns, "df": frame}, {"df": frame})
    assert "hue" not in fixed
    # plotly adds advice after the value when it is 'index'; the column named is still 'index'
    fixed, notes = run_patched(code.replace(",\n                 hover_data=df[['Gold', 'suit']]", "")
                               .replace("symbol='suit'", "symbol='index'"), {"px": px, "df": frame}, {"df": frame})
    assert "symbol" not in fixed and "no column 'index'" in notes[0]
    # a column the plot is of is the model's to choose, and a real column is never removed
    assert patched("import plotly.express as px\npx.scatter(df, x='suit', y='Gold')\n", "PrecheckError",
                   "line 2: df has no column 'suit'.", 2, {}, {"df": frame}) is None
    assert patched(code, "PrecheckError", "line 2: df has no column 'Luck'.", 2, {}, {"df": frame}) is None


def test_one_number_against_a_column_is_a_position_plot_as_x_and_a_level_line_as_y():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "level": [5.0, 6.0, 7.0, 8.0]})
    as_x = "import matplotlib.pyplot as plt\nrate = 10\nplt.plot(rate, df['level'])\n"
    fixed, notes = run_patched(as_x, {"df": frame}, {"df": frame})
    assert "plt.plot(df['level'])" in fixed and "against their position" in notes[0]
    as_y = ("import matplotlib.pyplot as plt\nfor i in range(2):\n"
            "    plt.plot(df['x'], df['level'][i], color='k')\n")
    fixed, notes = run_patched(as_y, {"df": frame}, {"df": frame})
    assert "plt.plot(df['x'], [df['level'][i]] * len(df['x']), color='k')" in fixed and "level line" in notes[0]
    ran = {"df": frame}
    exec(fixed, ran)
    assert [list(line.get_ydata()) for line in plt.gca().lines] == [[5.0] * 4, [6.0] * 4]
    plt.close("all")


def test_column_names_without_their_frame_get_it():
    import seaborn as sns

    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1.0, 2.0]})
    code = "import seaborn as sns\nsns.barplot(x='region', y='revenue', color='red')\n"
    fixed, notes = run_patched(code, {"sns": sns, "df": frame}, {"df": frame})
    assert "sns.barplot(data=df, x='region', y='revenue', color='red')" in fixed and "data=df" in notes[0]
    other = pd.DataFrame({"region": ["c"], "revenue": [3.0]})  # two frames fit: which one is the model's to say
    with pytest.raises(ValueError, match="data` was not passed"):
        run_patched(code, {"sns": sns, "df": frame, "other": other}, {"df": frame, "other": other})


def test_matplotlib_data_given_as_a_column_keyword_becomes_the_values():
    frame = pd.DataFrame({"x": [1.0, 2.0, 2.5], "y": [3.0, 4.0, 4.5]})
    code = "import matplotlib.pyplot as plt\nplt.hist(y='y', bins=3, color='red')\n"
    fixed, notes = run_patched(code, {"plt": plt, "df": frame}, {"df": frame})
    assert "plt.hist(df['y'], bins=3, color='red')" in fixed and "takes its data as 'x'" in notes[0]
    unknown = "import matplotlib.pyplot as plt\nplt.hist(y='z', bins=3)\n"  # no such column: not guessed
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        run_patched(unknown, {"plt": plt, "df": frame}, {"df": frame})
