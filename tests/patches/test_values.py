"""Value patches: one value where many are given, or many where one is taken."""

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


@pytest.mark.parametrize(
    "call, kept",
    [
        (
            "ax.plot(df['revenue'], df['revenue'], c=df['revenue'], marker='o', s=df['revenue'], label='b')",
            "ax.plot(df['revenue'], df['revenue'], marker='o', label='b')",
        ),
        (
            "ax.plot(df['revenue'], df['revenue'], color='red', linewidth=df['revenue'])",
            "ax.plot(df['revenue'], df['revenue'], color='red')",
        ),
        ("plt.plot(df['revenue'], df['revenue'], color=shades)", "plt.plot(df['revenue'], df['revenue'])"),
        (
            "axs = np.array([ax, ax])\nfor i in range(2):\n"
            "    axs[i].plot(df['revenue'], linewidth=df['revenue'])",
            "axs[i].plot(df['revenue'])",
        ),  # a panel of a grid: not evaluated, its grid is
    ],
)
def test_per_point_settings_on_a_line_go_and_the_line_is_drawn(call: str, kept: str):
    code = (
        f"import matplotlib.pyplot as plt\nshades = ['red', 'blue']\nfig, ax = plt.subplots()\n"
        f"ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])\n{call}\n"
    )
    fixed, notes = run_patched(code, {"df": FRAME, "np": np}, FRAMES)
    assert kept in fixed and "ax.scatter(df['revenue'], df['revenue'], c=df['revenue'])" in fixed
    assert "one per point" in notes[0]
    plt.close("all")


def test_a_single_bad_colour_on_a_line_is_not_a_per_point_setting():
    code = "import matplotlib.pyplot as plt\nplt.plot(df['revenue'], color='notacolour')\n"
    message = "'notacolour' is not a valid value for color"
    assert patched(code, "ValueError", message, 2, {"df": FRAME, "plt": plt}, FRAMES) is None


@pytest.mark.parametrize(
    "call, drawn",
    [
        (
            "ax.axvline(x=df['revenue'], color='red', linestyle='--')",
            "ax.vlines(df['revenue'], 0, 1, transform=ax.get_xaxis_transform(), color='red', linestyle='--')",
        ),
        (
            "plt.axhline(df['revenue'], 0.2, xmax=0.8)",
            "plt.hlines(df['revenue'], 0.2, 0.8, transform=plt.gca().get_yaxis_transform())",
        ),
        (
            "plt.axvline(df['revenue'][df['revenue'] > 0], color='red')",  # a filtered column: not evaluated
            "plt.vlines(df['revenue'][df['revenue'] > 0], 0, 1, "
            "transform=plt.gca().get_xaxis_transform(), color='red')",
        ),
    ],
)
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


def test_one_number_as_the_x_of_many_values_is_dropped():
    import numpy as np

    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n"
        "rate = 100\npsd = np.abs(np.fft.fft(df['revenue']))\n"
        "fig, ax = plt.subplots()\nax.plot(rate, psd, label=f'PSD at {rate} Hz')\n"
    )
    namespace: dict = {"df": FRAME}
    with pytest.raises(ValueError) as raised:
        exec(code, namespace)
    fix = patched(code, "ValueError", str(raised.value), 6, namespace, FRAMES)
    assert fix is not None and fix.code.endswith("ax.plot(psd, label=f'PSD at {rate} Hz')\n")
    exec(fix.code, {"df": FRAME})
    assert np.array_equal(plt.gca().lines[0].get_ydata(), np.abs(np.fft.fft(FRAME["revenue"])))
    plt.close("all")
    same_length = code.replace("rate = 100", "rate = df['revenue']")  # a real x: not this rule's business
    assert (
        patched(
            same_length, "ValueError", str(raised.value), 6, {**namespace, "rate": FRAME["revenue"]}, FRAMES
        )
        is None
    )


def test_marker_sizes_from_a_signed_column_are_its_magnitudes():
    frame = pd.DataFrame({"X": range(-3, 3), "U": range(-3, 3)})
    code = "import plotly.express as px\nfig = px.scatter(df, x='X', y='U', size='U')\n"
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert "size=df['U'].abs()" in fixed and "magnitude" in notes[0]
    namespace = {"df": frame}
    exec(fixed, namespace)
    assert min(namespace["fig"].data[0].marker.size) == 0


def test_a_one_item_call_given_whole_columns_is_called_once_per_row():
    frame = pd.DataFrame(
        {"x": [0.1, 0.5], "y": [0.2, 0.6], "text": ["a", "b"], "color": ["black", "red"], "size": [10, 14]}
    )
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nif True:\n"
        "    ax.text(df['x'], df['y'], df.text, color=df['color'], fontsize=df['size'], ha='center')\n"
    )
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert (
        "    for _, _row in df.iterrows():\n        ax.text(_row['x'], _row['y'], _row['text'], "
        "color=_row['color'], fontsize=_row['size'], ha='center')"
    ) in fixed
    assert len(notes) == 1 and "once per row" in notes[0]
    ran: dict = {"df": frame}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    assert [t.get_text() for t in ran["ax"].texts] == ["a", "b"] and ran["ax"].texts[1].get_color() == "red"
    plt.close("all")


def test_one_number_against_a_column_is_a_position_plot_as_x_and_a_level_line_as_y():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "level": [5.0, 6.0, 7.0, 8.0]})
    as_x = "import matplotlib.pyplot as plt\nrate = 10\nplt.plot(rate, df['level'])\n"
    fixed, notes = run_patched(as_x, {"df": frame}, {"df": frame})
    assert "plt.plot(df['level'])" in fixed and "against their position" in notes[0]
    as_y = (
        "import matplotlib.pyplot as plt\nfor i in range(2):\n"
        "    plt.plot(df['x'], df['level'][i], color='k')\n"
    )
    fixed, notes = run_patched(as_y, {"df": frame}, {"df": frame})
    assert (
        "plt.plot(df['x'], [df['level'][i]] * len(df['x']), color='k')" in fixed and "level line" in notes[0]
    )
    ran = {"df": frame}
    exec(fixed, ran)
    assert [list(line.get_ydata()) for line in plt.gca().lines] == [[5.0] * 4, [6.0] * 4]
    plt.close("all")
