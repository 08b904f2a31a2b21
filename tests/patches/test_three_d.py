"""3-D Axes patches: each run on the real library, before and after."""

from __future__ import annotations

import pandas as pd
import pytest

from .patching import run_patched

FRAME = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [1.0, 2.0, 0.5]})
FRAMES = {"df": FRAME}


def _patched_until_it_runs(code: str) -> tuple[str, list[str]]:
    return run_patched(code, {"df": FRAME}, FRAMES)


def test_a_surface_on_a_2d_axes_makes_the_axes_3d_and_keeps_the_third_axis():
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\nX, Y = np.meshgrid(df['x'], df['y'])\n"
        "fig, ax = plt.subplots(1, 1, figsize=(5, 5))\nax.wireframe(X, Y, X * Y)\nax.set_zlim(0, 4)\n"
    )
    fixed, notes = _patched_until_it_runs(code)
    assert "plt.subplots(1, 1, figsize=(5, 5), subplot_kw={'projection': '3d'})" in fixed
    assert "ax.plot_wireframe(X, Y, X * Y)" in fixed and "ax.set_zlim(0, 4)" in fixed  # not set_ylim
    assert notes == [
        "wireframe is a 3-D Axes method; the Axes is made with projection='3d' and wireframe is "
        "called plot_wireframe"
    ]


@pytest.mark.parametrize(
    "maker, made",
    [
        ("ax = fig.add_subplot(111)", "ax = fig.add_subplot(111, projection='3d')"),
        ("ax = plt.subplots(projection='3d')[1]", "ax = plt.subplots(subplot_kw={'projection': '3d'})[1]"),
    ],
)
def test_every_way_of_making_the_axes(maker: str, made: str):
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\nfig = plt.figure()\n"
        f"{maker}\nax.plot_surface(*np.meshgrid([0, 1], [0, 1]), np.ones((2, 2)))\n"
    )
    fixed, _ = _patched_until_it_runs(code)
    assert made in fixed
