"""Axes grids used with the wrong shape: loops over a 2-D grid, panels outside it, a grid used as one Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import ran, run_patched

FRAME = pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [5, 6], "d": [7, 8], "e": [9, 10]})
#: The two-row sales table the cases that use a grid as one Axes run against.
SALES = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
SALES_FRAMES = {"df": SALES}


def _failed(code: str) -> tuple[str, str, int, dict]:
    """Run ``code`` as the executor would and return (error type, message, line, namespace)."""
    namespace = {"df": FRAME}
    try:
        exec(compile(code, "<viscode>", "exec"), namespace)
    except Exception as exc:  # noqa: BLE001 - the failure is what the test feeds the patch step
        tb = exc.__traceback__
        while tb.tb_next is not None and tb.tb_next.tb_frame.f_code.co_filename == "<viscode>":
            tb = tb.tb_next
        return type(exc).__name__, str(exc), tb.tb_lineno, namespace
    finally:
        plt.close("all")
    raise AssertionError("the program ran")


def _ran(code: str) -> dict:
    return ran(code, SALES)


def test_a_grid_of_axes_used_as_one_axes_becomes_one_axes():
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2, 1, figsize=(6, 4))\n"
        "axs.bar(df['region'], df['revenue'])\naxs.set_title('Revenue')\n"
    )
    fix = patched(
        code, "AttributeError", "'numpy.ndarray' object has no attribute 'bar'", 3, _ran(code), SALES_FRAMES
    )
    assert fix is not None and fix.code.splitlines()[1] == "fig, axs = plt.subplots(figsize=(6, 4))"
    exec(fix.code, {"df": SALES})  # the patched program runs
    plt.close("all")
    indexed = code + "axs[1].plot([1])\n"  # the program does use the grid: the model decides
    assert (
        patched(
            indexed,
            "AttributeError",
            "'numpy.ndarray' object has no attribute 'bar'",
            3,
            _ran(indexed),
            SALES_FRAMES,
        )
        is None
    )


def test_grids_used_as_one_axes_become_one_axes_also_those_made_later_and_a_figure_gets_a_suptitle():
    code = (
        "import matplotlib.pyplot as plt\nfig1, ax1 = plt.subplots(3, 1)\nax1.set_title('a')\n"
        "ax1.plot(df['revenue'])\nfig2, ax2 = plt.subplots(2, 1)\nax2.plot(df['revenue'])\n"
        "fig2.set_title('b')\n"
    )
    fixed, notes = run_patched(code, {"df": SALES}, SALES_FRAMES)
    assert "fig1, ax1 = plt.subplots()\n" in fixed and "fig2, ax2 = plt.subplots()\n" in fixed
    assert "fig2.suptitle('b')" in fixed and len(notes) == 2 and "ax2, made later" in notes[0]
    ran = {"df": SALES}
    exec(fixed, ran)
    assert ran["fig2"].get_suptitle() == "b"
    plt.close("all")


def test_a_loop_over_a_two_dimensional_grid_iterates_it_flat():
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2, 2)\n"
        "for i, ax in enumerate(axs):\n    ax.plot(df['a'])\nfor ax in axs:\n    ax.set_xlabel('x')\n"
    )
    error, message, line, namespace = _failed(code)
    fix = patched(code, error, message, line, namespace, {"df": FRAME})
    assert fix is not None and "enumerate(axs.flat)" in fix.code and "for ax in axs.flat:" in fix.code
    exec(fix.code, {"df": FRAME})
    assert all(ax.get_xlabel() == "x" for ax in plt.gcf().axes)
    plt.close("all")


@pytest.mark.parametrize(
    "code, grown",
    [
        (
            "import matplotlib.pyplot as plt\nmarkers = ['o', 's', 'x']\n"
            "fig, axs = plt.subplots(2, 2, figsize=(6, 6))\n"
            "for i, m in enumerate(markers):\n"
            "    axs[i, 0].plot(df['a'], marker=m)\n    axs[i, 2].plot(df['b'])\n",
            "plt.subplots(3, 3, figsize=(6, 6))",
        ),  # constants and an enumerate() bound
        (
            "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2, 2)\n"
            "for i, column in enumerate(df.columns):\n    axs[i // 3, i % 3].plot(df[column])\n",
            "plt.subplots(2, 3)",
        ),  # 5 columns: i // 3 <= 1, i % 3 <= 2
    ],
)
def test_panels_outside_the_grid_grow_it_to_every_index_the_program_uses(code, grown):
    error, message, line, namespace = _failed(code)
    assert error == "IndexError"
    fix = patched(code, error, message, line, namespace, {"df": FRAME})
    assert fix is not None and grown in fix.code and "subplots now makes" in fix.note
    exec(fix.code, {"df": FRAME})
    plt.close("all")


def test_an_index_error_on_another_array_leaves_the_grid_alone():
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\nfig, axs = plt.subplots(2, 2)\n"
        "rows = np.zeros((2, 4))\nfor i, ax in enumerate(axs.flat):\n    ax.plot(rows[i])\n"
    )
    error, message, line, namespace = _failed(code)
    assert error == "IndexError" and "size 2" in message
    assert patched(code, error, message, line, namespace, {"df": FRAME}) is None


def test_row_and_column_indices_on_a_squeezed_grid_keep_it_two_dimensional():
    code = (
        "import matplotlib.pyplot as plt\nfig, axes = plt.subplots(nrows=3, ncols=1, figsize=(4, 6))\n"
        "for i, column in enumerate(['a', 'b', 'c']):\n    axes[i, 0].plot(df[column])\n"
        "axes[0, 0].set_title('a')\n"
    )
    error, message, line, namespace = _failed(code)
    assert error == "IndexError"
    fix = patched(code, error, message, line, namespace, {"df": FRAME})
    assert fix is not None and "plt.subplots(nrows=3, ncols=1, figsize=(4, 6), squeeze=False)" in fix.code
    exec(fix.code, {"df": FRAME})
    assert [len(ax.get_lines()) for ax in plt.gcf().axes] == [1, 1, 1]
    plt.close("all")
    mixed = code + "axes[1].set_xlabel('x')\n"  # also indexed by one number: which shape was meant is unclear
    error, message, line, namespace = _failed(mixed)
    assert patched(mixed, error, message, line, namespace, {"df": FRAME}) is None
