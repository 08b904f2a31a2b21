"""Attribute patches: pyplot asked for an Axes' attribute,
an Axes for pyplot's verbs, a slip on the live object."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from viscoder_magic.patches import patched

from .patching import ran, run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


def _ran(code: str) -> dict:
    return ran(code, FRAME)


def test_an_axes_object_called_through_pyplot_like_a_function_is_removed_not_reached():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.yaxis(label='Density', color='red')\n"
        "plt.yaxis(label='Velocity')\nplt.yaxis.set_visible(True)\n"
    )
    fix = patched(
        code, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'yaxis'", 3, NS, FRAMES
    )
    assert fix is not None and "removed 2 calls" in fix.note
    assert (
        fix.code == "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.gca().yaxis.set_visible(True)\n"
    )
    exec(compile(fix.code, "<viscode>", "exec"), {})
    plt.close("all")


def test_pyplot_attribute_no_axes_has_is_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nplt.barh_chart(1)\n"
    assert (
        patched(
            code, "AttributeError", "module 'matplotlib.pyplot' has no attribute 'barh_chart'", 2, NS, FRAMES
        )
        is None
    )


def test_series_asked_for_an_ndarray_method_is_converted():
    code = "import matplotlib.pyplot as plt\nplt.imshow(df['revenue'].reshape(1, -1))\n"
    fix = patched(code, "AttributeError", "'Series' object has no attribute 'reshape'", 2, NS, FRAMES)
    assert fix is not None and "df['revenue'].to_numpy().reshape(1, -1)" in fix.code


def test_pyplot_verbs_asked_of_an_axes_use_its_setter_or_pyplot():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.xlabel('x')\n"
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'xlabel'", 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "ax.set_xlabel('x')"
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\nim = axs[0].imshow([[1, 2]])\n"
        "axs[0].colorbar(im)\n"
    )
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'colorbar'", 4, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[3] == "plt.colorbar(im, ax=axs[0])"
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\naxs[0].imshow([[1, 2]])\n"
        "axs[1].plot([1])\ncb = axs[0].colorbar(df['revenue'], cmap='viridis', label='z')\n"
    )
    fix = patched(code, "AttributeError", "'Axes' object has no attribute 'colorbar'", 5, _ran(code), FRAMES)
    assert (
        fix is not None
        and fix.code.splitlines()[4] == "cb = plt.colorbar(axs[0].images[-1], ax=axs[0], label='z')"
    )
    assert "dropped cmap, positional data" in fix.note
    exec(fix.code, {"df": FRAME})  # plt.colorbar() alone fails here: the OO imshow sets no current image
    assert len(plt.gcf().axes) == 3
    plt.close("all")
    elsewhere = code.replace("cb = axs[0].colorbar", "cb = axs[1].colorbar")  # the bar's panel drew no image
    fix = patched(
        elsewhere, "AttributeError", "'Axes' object has no attribute 'colorbar'", 5, _ran(elsewhere), FRAMES
    )
    assert fix is not None and "plt.colorbar(axs[0].images[-1], ax=axs[1], label='z')" in fix.code


def test_calling_an_axes_title_artist_uses_set_title():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1])\nax.title('Sales')\n"
    fix = patched(code, "TypeError", "'Text' object is not callable", 4, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[3] == "ax.set_title('Sales')"
    assert fix.code.splitlines()[2] == "ax.plot([1])"


def test_a_function_of_another_imported_plotting_module():
    code = (
        "import matplotlib.pyplot as plt\nimport seaborn as sns\n"
        "plt.lineplot(data=df, x='region', y='revenue')\n"
    )
    fix = patched(
        code,
        "AttributeError",
        "module 'matplotlib.pyplot' has no attribute 'lineplot'",
        3,
        _ran(code),
        FRAMES,
    )
    # pyplot's only use was the slip, so its import goes with it
    assert (
        fix is not None
        and fix.code == "import seaborn as sns\nsns.lineplot(data=df, x='region', y='revenue')\n"
    )
    assert fix.note.endswith("; removed the import of plt, no longer used")
    alone = "import matplotlib.pyplot as plt\nplt.lineplot(df)\n"  # seaborn not imported: the model decides
    assert (
        patched(
            alone,
            "AttributeError",
            "module 'matplotlib.pyplot' has no attribute 'lineplot'",
            2,
            _ran(alone),
            FRAMES,
        )
        is None
    )


def test_the_librarys_own_suggestion_is_taken():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.gca().yaxis.set_label('Density')\n"
        "plt.gca().yaxis.set_label_position('left')\n"
    )
    message = (
        "A legend label cannot be assigned to an Axis. Did you mean to set the axis label via "
        "set_label_text()?"
    )
    fix = patched(code, "RuntimeError", message, 3, _ran(code), FRAMES)
    assert fix is not None and fix.code.splitlines()[2] == "plt.gca().yaxis.set_label_text('Density')"
    assert fix.code.splitlines()[3] == "plt.gca().yaxis.set_label_position('left')"
    exec(fix.code, {})
    plt.close("all")


def test_a_function_the_library_has_in_another_module_is_imported_from_there():
    code = "import plotly.express as px\nfig = px.subplots(rows=1, cols=2)\nfig.show()\n"
    fix = patched(
        code, "AttributeError", "module 'plotly.express' has no attribute 'subplots'", 2, _ran(code), FRAMES
    )
    assert fix is not None
    assert (
        fix.code
        == "from plotly.subplots import make_subplots\nfig = make_subplots(rows=1, cols=2)\nfig.show()\n"
    )


def test_a_class_two_modules_share_is_one_answer_not_an_ambiguity():
    """``plotly.graph_objs`` re-exports ``graph_objects``: ``px.Figure`` has one home, not two."""
    import plotly.graph_objs  # noqa: F401 - loaded, as plotly's own modules load it

    code = "import plotly.express as px\nfig = px.Figure()\nfig.add_bar(x=[1], y=[2])\n"
    fix = patched(
        code, "AttributeError", "module 'plotly.express' has no attribute 'Figure'", 2, _ran(code), FRAMES
    )
    assert fix is not None
    assert fix.code.splitlines()[0] == "from plotly.graph_objects import Figure"
    ran: dict = {}
    exec(fix.code, ran)
    assert len(ran["fig"].data) == 1


def test_every_pandas_value_asked_for_the_ndarray_method_is_converted_at_once():
    code = (
        "import matplotlib.pyplot as plt\nfig, axs = plt.subplots(2)\n"
        "axs[0].imshow(df['revenue'].reshape(1, -1))\naxs[1].imshow(df['revenue'].reshape(-1, 1))\n"
    )
    fix = patched(code, "AttributeError", "'Series' object has no attribute 'reshape'", 3, NS, FRAMES)
    assert fix is not None and fix.code.count(".to_numpy().reshape") == 2


def test_an_attribute_one_slip_away_on_the_live_object_is_used():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_xlable('x')\n"
    fix = patched(
        code, "AttributeError", "'Axes' object has no attribute 'set_xlable'", 4, _ran(code), FRAMES
    )
    assert fix is not None and fix.code.splitlines()[3] == "ax.set_xlabel('x')" and "'set_xlabel'" in fix.note
    far = code.replace("set_xlable", "insset")  # nothing close: the model decides
    assert (
        patched(far, "AttributeError", "'Axes' object has no attribute 'insset'", 4, _ran(far), FRAMES)
        is None
    )


def test_a_value_given_to_a_name_the_object_only_has_a_setter_for_goes_to_the_setter():
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nlines = ax.plot(df['revenue'])\n"
        "ax.yaxis.tick_params(labelsize=8, colors='red')\nlines[0].linewidth(3)\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert (
        "ax.yaxis.set_tick_params(labelsize=8, colors='red')" in fixed
        and "lines[0].set_linewidth(3)" in fixed
    )
    assert notes == [
        "YAxis has no 'tick_params'; used 'set_tick_params'",
        "Line2D has no 'linewidth'; used 'set_linewidth'",
    ]
    asked = code.split("ax.yaxis")[0] + "print(ax.yaxis.tick_params)\n"  # read, not given a value
    fix = patched(
        asked, "AttributeError", "'YAxis' object has no attribute 'tick_params'", 4, _ran(asked), FRAMES
    )
    assert fix is None or "set_tick_params" not in fix.code


def test_a_function_gone_from_a_submodule_reached_through_pyplot_is_taken_from_pyplot():
    code = (
        "import matplotlib.pyplot as plt\nimport matplotlib.cm as cm\ncmap = plt.cm.get_cmap('coolwarm')\n"
        "other = cm.get_cmap('viridis')\nplt.bar(df['region'], df['revenue'], color=cmap(0.5))\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)  # matplotlib 3.9 removed cm.get_cmap
    assert "cmap = plt.get_cmap('coolwarm')\nother = plt.get_cmap('viridis')\n" in fixed and len(notes) == 1


def test_an_axes_colorbar_goes_when_the_figure_mapped_nothing():
    code = (
        "import matplotlib.pyplot as plt\nfig, (ax1, ax2) = plt.subplots(1, 2)\n"
        "ax1.plot(df['revenue'])\nax2.plot(df['revenue'])\n"
        "cbar1 = ax1.colorbar(label='a')\nax2.colorbar(label='b')\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "colorbar" not in fixed and "ax2.plot(df['revenue'])" in fixed
    assert "removed the colorbar of ax1, ax2: the figure drew nothing colour-mapped" in notes[0]
    plt.close("all")
