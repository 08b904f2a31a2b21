"""Long-form tables handed to calls that want wide data: one line per category, melted columns."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

from .patching import run_patched

MONTHS = pd.date_range("2024-01-01", periods=4, freq="MS")
SALES = pd.DataFrame(
    {"month": np.repeat(MONTHS, 3), "region": ["North", "South", "West"] * 4, "revenue": np.arange(12) * 10}
)


def test_several_columns_as_one_seaborn_axis_become_long_form_data():
    import seaborn as sns

    frame = pd.DataFrame({"Distance": [1, 2, 3], "Density": [4, 5, 6], "Temperature": [7, 8, 9]})
    code = (
        "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "sns.lineplot(x='Distance', y=['Density', 'Temperature'], data=df, marker='o')\nplt.title('t')\n"
    )
    message = "Length of list vectors must match length of `data` when both are used"
    fix = patched(code, "ValueError", message, 3, {"sns": sns, "plt": plt, "df": frame}, {"df": frame})
    assert fix is not None and fix.code.splitlines()[2] == (
        "sns.lineplot(x='Distance', y='value', data=df.melt(id_vars=['Distance'], value_vars=['Density', "
        "'Temperature']), marker='o', hue='variable')"
    )
    assert "melted df to long form" in fix.note
    namespace = {"df": frame}
    exec(fix.code, namespace)
    assert len(plt.gca().get_lines()) >= 2  # one line per melted column
    plt.close("all")
    hued = code.replace("marker='o'", "hue='Distance'")  # hue already says something else: the model decides
    assert (
        patched(hued, "ValueError", message, 3, {"sns": sns, "plt": plt, "df": frame}, {"df": frame}) is None
    )


def test_plotly_express_given_column_lists_on_both_axes_draws_the_y_columns_against_the_index():
    frame = pd.DataFrame({"0": [0.1, 0.2, 0.3], "1": [1.0, 0.5, 0.2]})
    code = "import plotly.express as px\nfig = px.scatter(df, x=df.columns, y=df.columns)\n"
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert "px.scatter(df, y=df.columns)" in fixed and len(notes) == 1


@pytest.mark.parametrize("selection", ["sales[columns]", "sales", "sales[['month', 'region', 'revenue']]"])
def test_a_line_plot_of_a_long_form_table_draws_one_line_per_category(selection: str):
    code = (
        "import matplotlib.pyplot as plt\ncolumns = ['month', 'region', 'revenue']\n"
        f"plt.figure()\nplt.plot({selection}, marker='o', color='blue')\nplt.legend()\n"
    )
    frame = SALES.copy()
    fixed, notes = run_patched(code, {"sales": frame}, {"sales": frame})
    assert (
        "sales.pivot_table(index='month', columns='region', values='revenue').plot(ax=plt.gca(), marker='o')"
        in fixed
    )
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
    assert (
        patched(
            code,
            "ConversionError",
            "Failed to convert value(s) to axis units",
            2,
            {"sales": repeated, "plt": plt},
            {"sales": repeated},
        )
        is None
    )
    assert (
        patched(
            code,
            "ValueError",
            "Failed to convert value(s) to axis units",
            2,
            {"sales": SALES, "plt": plt},
            {"sales": SALES},
        )
        is None
    )


@pytest.mark.parametrize(
    ("grouping", "call", "drawn"),
    [
        ("['month', 'region']", "plt.plot(monthly.index, monthly.values, marker='o', color='C0')", "plot"),
        ("['region', 'month']", "plt.plot(monthly.index, monthly, linestyle='-')", "plot"),
        ("['month', 'region']", "ax.bar(monthly.index, monthly.to_numpy())", "plot.bar"),
    ],
)
def test_a_grouped_result_given_as_x_draws_one_line_per_group(grouping: str, call: str, drawn: str):
    """The README's own request: a sum over (month, region) plotted against its index of pairs."""
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        f"monthly = sales.groupby({grouping})['revenue'].sum()\n{call}\nplt.title('Monthly revenue')\n"
    )
    frame = SALES.copy()
    fixed, notes = run_patched(code, {"sales": frame}, {"sales": frame})
    axes = "ax" if call.startswith("ax.") else "plt.gca()"
    assert f"monthly.unstack('region').{drawn}(ax={axes}" in fixed and "color=" not in fixed, fixed
    assert "one " in notes[0] and "per group" in notes[0] and "(" in notes[0]
    ran = {"sales": frame}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    if drawn == "plot":
        assert sorted(line.get_label() for line in plt.gca().get_lines()) == ["North", "South", "West"]
    else:
        assert len(plt.gca().patches) == 12
    plt.close("all")
    pd.testing.assert_frame_equal(frame, SALES)


def test_a_frame_column_of_a_grouped_frame_is_unstacked_by_its_column():
    code = (
        "import matplotlib.pyplot as plt\ntotals = sales.groupby(['month', 'region']).sum()\n"
        "plt.plot(totals.index, totals['revenue'])\n"
    )
    fixed, _ = run_patched(code, {"sales": SALES.copy()}, {"sales": SALES})
    assert "totals['revenue'].unstack('region').plot(ax=plt.gca())" in fixed, fixed
    plt.close("all")


def test_an_index_of_another_object_or_of_one_level_is_left_alone():
    """Only a value drawn against its own two-level index is unstacked; the rest is the model's to fix."""
    monthly = SALES.groupby(["month", "region"])["revenue"].sum()
    code = "import matplotlib.pyplot as plt\nplt.plot(monthly.index, other.values)\n"
    namespace = {"plt": plt, "monthly": monthly, "other": monthly.copy()}
    message = "Failed to convert value(s) to axis units: array([(Timestamp('2024-01-01'), 'North')])"
    assert patched(code, "ConversionError", message, 2, namespace, {"sales": SALES}) is None
    flat = monthly.reset_index(level=1)
    namespace = {"plt": plt, "monthly": flat["revenue"], "other": flat}
    same = "import matplotlib.pyplot as plt\nplt.plot(monthly.index, monthly.values)\n"
    assert patched(same, "ConversionError", message, 2, namespace, {"sales": SALES}) is None
