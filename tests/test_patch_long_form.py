"""Long-form tables handed to calls that want wide data: one line per category."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

MONTHS = pd.date_range("2024-01-01", periods=4, freq="MS")
SALES = pd.DataFrame({"month": np.repeat(MONTHS, 3), "region": ["North", "South", "West"] * 4,
                      "revenue": np.arange(12) * 10})


@pytest.mark.parametrize("selection", ["sales[columns]", "sales", "sales[['month', 'region', 'revenue']]"])
def test_a_line_plot_of_a_long_form_table_draws_one_line_per_category(selection: str):
    code = ("import matplotlib.pyplot as plt\ncolumns = ['month', 'region', 'revenue']\n"
            f"plt.figure()\nplt.plot({selection}, marker='o', color='blue')\nplt.legend()\n")
    frame = SALES.copy()
    fixed, notes = run_patched(code, {"sales": frame}, {"sales": frame})
    assert "sales.pivot_table(index='month', columns='region', values='revenue').plot(ax=plt.gca(), marker='o')" \
        in fixed
    assert "one line per 'region'" in notes[0]
    ran = {"sales": frame}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    lines = plt.gca().get_lines()
    assert [line.get_label() for line in lines] == ["North", "South", "West"]
    assert list(lines[1].get_ydata()) == [10, 40, 70, 100]
    plt.close("all")
    pd.testing.assert_frame_equal(frame, SALES)  # the user's table is read, never changed


def test_an_axes_plot_keeps_its_axes():
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(sales)\n"
    fixed, _ = run_patched(code, {"sales": SALES.copy()}, {"sales": SALES})
    assert "sales.pivot_table(index='month', columns='region', values='revenue').plot(ax=ax)" in fixed
    plt.close("all")


def test_tables_without_plain_roles_are_left_to_the_model():
    two_texts = SALES.assign(channel=["web", "shop", "web"] * 4)
    code = "import matplotlib.pyplot as plt\nplt.plot(sales)\n"
    ran = {"sales": two_texts}
    with pytest.raises(Exception, match="Failed to convert value") as raised:
        exec(compile(code, "<viscode>", "exec"), ran)
    plt.close("all")
    assert raised.type.__name__ == "ConversionError"
    assert patched(code, "ConversionError", str(raised.value), 2, ran, {"sales": two_texts}) is None
    repeated = pd.concat([SALES, SALES])  # two rows per (month, region): not one line per category
    assert patched(code, "ConversionError", "Failed to convert value(s) to axis units", 2,
                   {"sales": repeated, "plt": plt}, {"sales": repeated}) is None
    assert patched(code, "ValueError", "Failed to convert value(s) to axis units", 2,
                   {"sales": SALES, "plt": plt}, {"sales": SALES}) is None
