"""Image and grid data patches: stacked reshapes, 1-D images,
colour planes first, interval labels as bins, grids."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


def test_a_reshape_into_one_matrix_of_several_stacks_them():
    import numpy as np

    code = (
        "import matplotlib.pyplot as plt\nm = df[['region', 'revenue']].values.reshape((2, 1))\n"
        "plt.plot(m[0])\n"
    )
    message = "cannot reshape array of size 4 into shape (2,1)"
    fix = patched(code, "ValueError", message, 2, {"np": np}, FRAMES)
    assert fix is not None and "m = df[['region', 'revenue']].values.reshape(-1, 2, 1)" in fix.code
    assert "2 arrays of shape (2, 1)" in fix.note
    assert (
        patched(code, "ValueError", "cannot reshape array of size 5 into shape (2,1)", 2, {"np": np}, FRAMES)
        is None
    )  # not a whole number of matrices: the model decides
    whole = code.replace(
        "plt.plot(m[0])", "plt.plot(m)"
    )  # used as one array: which matrix was meant is unclear
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
    frame = pd.DataFrame(
        {"x": [0.1, 0.4, 0.7, 0.2], "x_bins": ["(0, 0.25]", "(0.25, 0.5]", "(0.5, 0.75]", "(0, 0.25]"]}
    )
    code = "import matplotlib.pyplot as plt\nplt.hist(df['x'], bins=df['x_bins'], alpha=0.5)\n"
    fix = patched(
        code,
        "ValueError",
        "`bins` must increase monotonically, when an array",
        2,
        {"plt": plt},
        {"df": frame},
    )
    assert (
        fix is not None and "plt.hist(df['x'], bins=3, alpha=0.5)" in fix.code and "3 text labels" in fix.note
    )
    numeric = frame.assign(x_bins=[0.0, 0.5, 1.0, 1.5])  # numeric edges: not this rule's case
    assert (
        patched(
            code,
            "ValueError",
            "`bins` must increase monotonically, when an array",
            2,
            {"plt": plt},
            {"df": numeric},
        )
        is None
    )


def test_a_contour_of_three_columns_triangulates_the_points():
    import numpy as np

    frame = pd.DataFrame({"X": np.random.default_rng(0).random(30), "Y": np.random.default_rng(1).random(30)})
    frame["Z"] = frame.X * frame.Y
    code = (
        "import matplotlib.pyplot as plt\nX = df['X']\nplt.contourf(X, df['Y'], df['Z'], cmap='viridis')\n"
        "plt.contour(X, df['Y'], df['Z'], colors='k')\n"
    )
    fix = patched(
        code,
        "TypeError",
        "Input z must be 2D, not 1D",
        3,
        {"plt": plt, "df": frame, "X": frame.X},
        {"df": frame},
    )
    assert fix is not None and "plt.tricontourf(X, df['Y'], df['Z'], cmap='viridis')" in fix.code
    assert "plt.tricontour(X, df['Y'], df['Z'], colors='k')" in fix.code
    exec(fix.code, {"df": frame})
    assert plt.gca().collections
    plt.close("all")


def test_values_of_a_table_that_fills_a_grid_are_pivoted_onto_it():
    import numpy as np

    x, y = np.meshgrid(np.arange(5.0), np.arange(4.0))
    grid = pd.DataFrame({"Y": y.ravel(), "X": x.ravel(), "Z": (x * y).ravel()})  # Y first: the names decide
    grid.loc[3, "Z"] = np.nan  # a hole triangulation cannot draw
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(1, 3)\n"
        "axs[0].contourf(df['X'], df['Y'], df['Z'], cmap='viridis')\naxs[1].contour(df['Z'], colors='k')\n"
        "axs[2].imshow(df['Z'])\n"
    )
    fixed, notes = run_patched(code, {"df": grid}, {"df": grid})
    pivot = "df.pivot(index='Y', columns='X', values='Z')"
    assert f"axs[0].contourf({pivot}.columns, {pivot}.index, {pivot}.to_numpy(), cmap='viridis')" in fixed
    assert f"axs[2].imshow({pivot})" in fixed and len(notes) == 1 and "'Z' over 'X' x 'Y'" in notes[0]
    ran = {"df": grid}
    exec(fixed, ran)
    assert ran["axs"][2].images[0].get_array().shape == (4, 5)
    plt.close("all")
    named = (
        "import matplotlib.pyplot as plt\nX = df['X']\nY = df['Y']\nZ = df['Z']\n"
        "plt.tricontourf(X, Y, Z, levels=10)\n"
    )  # columns through names, a hole in the triangulation
    fixed, notes = run_patched(named, {"df": grid}, {"df": grid})
    assert f"plt.contourf({pivot}.columns, {pivot}.index, {pivot}.to_numpy(), levels=10)" in fixed, fixed
    plt.close("all")
    scattered = grid.iloc[:-1]  # one (x, y) pair short of a grid: not this rule's business
    fix = patched(code, "TypeError", "Input z must be 2D, not 1D", 3, {"df": scattered}, {"df": scattered})
    assert fix is not None and "tricontourf" in fix.code


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


def test_a_surface_of_three_columns_triangulates_the_points():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.random(20), "y": rng.random(20)})
    frame["z"] = frame.x * frame.y
    code = (
        "import matplotlib.pyplot as plt\nfig = plt.figure()\nax = fig.add_subplot(projection='3d')\n"
        "ax.plot_surface(df['x'], df['y'], df['z'], cmap='viridis')\n"
    )
    namespace: dict = {"df": frame}
    with pytest.raises(ValueError, match="Z must be 2-dimensional") as raised:
        exec(code, namespace)
    fix = patched(code, "ValueError", str(raised.value), 4, namespace, {"df": frame})
    assert fix is not None and "ax.plot_trisurf(df['x'], df['y'], df['z'], cmap='viridis')" in fix.code
    assert "plot_surface -> plot_trisurf" in fix.note
    exec(fix.code, {"df": frame})
    plt.close("all")
