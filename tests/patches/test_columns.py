"""Column and choice patches: a column one slip away, by number, absent
or named without its frame; a setting outside the listed values."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.check import check_code
from viscoder_magic.patches import patched

from .patching import run_patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


@pytest.mark.parametrize(
    "code, message, line, expected",
    [
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['Region'], df['revenue'])\n",
            "'Region'",
            2,
            "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\n",
        ),
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['area'], df['revenue'])\n",
            "'area'",
            2,
            None,
        ),  # far: no patch
        (
            "df[['region', 'revenu']].plot()\n",
            "\"['revenu'] not in index\"",
            1,  # pandas' list of missing labels
            "df[['region', 'revenue']].plot()\n",
        ),
        (
            "df[['revnue']].plot()\n",
            "\"None of [Index(['revnue'], dtype='object')] are in the [columns]\"",
            1,
            "df[['revenue']].plot()\n",
        ),
    ],
)
def test_a_column_one_slip_away_is_renamed_and_a_far_one_is_not(
    code: str, message: str, line: int, expected: str | None
):
    fix = patched(code, "KeyError", message, line, NS, FRAMES)
    assert (fix.code if fix else None) == expected


SENSORS = pd.DataFrame(
    {"temp_a": [20.5, 21.0, 21.4], "temp_b": [19.0, 19.5, 20.1]},
    index=pd.date_range("2025-01-01", periods=3, freq="h", name="timestamp"),
)


@pytest.mark.parametrize(
    "code, key, expected",
    [
        (  # the index's name, not the near column 'temp_b'
            "import matplotlib.pyplot as plt\nplt.plot(sensors['timestamp'], sensors['temp_a'])\n",
            "timestamp",
            "import matplotlib.pyplot as plt\nplt.plot(sensors.index, sensors['temp_a'])\n",
        ),
        (  # a slip of a column's case
            "import matplotlib.pyplot as plt\nplt.plot(sensors.index, sensors['TEMP_A'])\n",
            "TEMP_A",
            "import matplotlib.pyplot as plt\nplt.plot(sensors.index, sensors['temp_a'])\n",
        ),
        (  # far from every label: left to the model, with the pre-check's list of columns
            "import matplotlib.pyplot as plt\nplt.plot(sensors.index, sensors['humidity'])\n",
            "humidity",
            None,
        ),
    ],
)
def test_an_index_name_becomes_the_index_and_a_slip_the_column(code: str, key: str, expected: str | None):
    frames = {"sensors": SENSORS}
    fix = patched(code, "KeyError", repr(key), 2, {"plt": plt, **frames}, frames)
    assert (fix.code if fix else None) == expected
    before_run = patched(code, "PrecheckError", f"line 2: sensors has no column {key!r}.", 2, {}, frames)
    assert (before_run.code if before_run else None) == expected  # the pre-check's finding, patched alike
    if expected is not None:
        ran, _ = run_patched(expected, {"plt": plt, **frames}, frames)
        assert ran == expected  # the patched program draws as it stands
    plt.close("all")


def test_column_numbers_on_a_frame_whose_columns_are_texts_become_the_texts():
    texts = pd.DataFrame({str(i): [1.0, 2.0, 3.0] for i in range(8)})
    code = (
        "import plotly.express as px\nimport plotly.graph_objects as go\n"
        "fig = px.histogram(df, x=0, color=1, nbins=5, hover_data=[2, 3])\n"
        "fig.add_trace(go.Scatter(x=df[0], y=df[[1, 2]].mean(axis=1)))\n"
    )
    fixed, notes = run_patched(code, {"df": texts}, {"df": texts})
    assert (
        "px.histogram(df, x='0', color='1', nbins=5, hover_data=['2', '3'])" in fixed
    )  # nbins stays a number
    assert "go.Scatter(x=df['0'], y=df[['1', '2']].mean(axis=1))" in fixed
    assert len(notes) == 1 and "texts ('0')" in notes[0]
    numbered = pd.DataFrame({0: [1.0], 1: [2.0]})  # a number the frame does have: not this rule's business
    assert patched("df[5]", "KeyError", "5", 1, {"df": numbered}, {"df": numbered}) is None


def test_column_numbers_on_a_frame_with_named_columns_become_positions():
    frame = pd.DataFrame({"city": ["a", "b"], "sales": [1.0, 2.0], "cost": [0.5, 1.0]})
    code = (
        "import matplotlib.pyplot as plt\ndata = df\nplt.bar(data[0], data[1])\n"
        "plt.plot(data[[1, 2]].sum(axis=1))\ndata[3] = 1\n"
    )
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert (
        "plt.bar(data.iloc[:, 0], data.iloc[:, 1])" in fixed and "data.iloc[:, [1, 2]].sum(axis=1)" in fixed
    )
    assert "data[3] = 1" in fixed  # an assignment makes a column: untouched
    assert len(notes) == 1 and "became positions" in notes[0]
    assert patched("df[7]", "KeyError", "7", 1, {"df": frame}, {"df": frame}) is None  # wider than the frame
    plt.close("all")


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("sns.barplot(data=df, x='region', y='revenue', errorbar='std')", "errorbar='sd'"),
        ("plt.hist(df['revenue'], histtype='bars')", "histtype='bar'"),
        ("plt.plot(df['revenue'], linestyle='dotted_line')", "linestyle='dotted'"),
    ],
)
def test_a_setting_outside_the_listed_values_takes_the_closest(call: str, fixed: str):
    code = f"import matplotlib.pyplot as plt\nimport seaborn as sns\n{call}\n"
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert fixed in result and len(notes) == 1
    plt.close("all")


def test_a_plotly_enumeration_value_written_out_takes_its_listed_abbreviation():
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df['revenue']))\n"
        "fig.update_layout(legend_orientation='vertical', legend_title='Series')\n"
    )
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "legend_orientation='v'" in result and "legend_title='Series'" in result and len(notes) == 1


def test_a_keyword_setting_with_no_close_listed_value_is_removed_and_a_positional_one_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'], align='middle')\n"
    result, notes = run_patched(code, {"df": FRAME}, FRAMES)
    assert "plt.bar(df['region'], df['revenue'])\n" in result and "removed align='middle'" in notes[0]
    plotly = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df['revenue']))\n"
        "fig.add_annotation(x=0, y=1, text='a', xref='xdata', showarrow=True)\n"
    )
    result, notes = run_patched(plotly, {"df": FRAME}, FRAMES)
    assert "fig.add_annotation(x=0, y=1, text='a', showarrow=True)" in result and len(notes) == 1
    positional = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'], 0.8, 0, 'middle')\n"
    message = "'middle' is not a valid value for align. Supported values are 'center', 'edge'"
    assert patched(positional, "ValueError", message, 2, {"df": FRAME}, FRAMES) is None


def test_column_names_given_to_a_plotly_trace_become_the_columns():
    import plotly.graph_objects as go

    code = (
        "import plotly.graph_objects as go\nfig = go.Figure()\n"
        "fig.add_histogram(x='revenue', name='revenue')\n"
        "fig.add_trace(go.Scatter(x='region', y='revenue', mode='markers'))\n"
    )
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


def test_a_styling_keyword_naming_a_column_the_data_lacks_is_removed():
    import plotly.express as px
    import seaborn as sns

    frame = pd.DataFrame({"Leprechauns": [1.0, 2.0, 3.0], "Gold": [4.0, 5.0, 6.0], "Luck": [7.0, 8.0, 9.0]})
    code = (
        "import plotly.express as px\n"
        "fig = px.scatter(df, x='Leprechauns', y='Gold', color='Luck', symbol='suit',\n"
        "                 hover_data=df[['Gold', 'suit']])\n"
    )
    # the pre-check's finding, before anything ran: both keywords that name 'suit' go, x and y stay
    fix = patched(
        code,
        "PrecheckError",
        "line 2: df has no column 'suit'. Its columns are: 'Leprechauns', 'Gold', 'Luck'.",
        2,
        {},
        {"df": frame},
    )
    assert fix is not None and "px.scatter(df, x='Leprechauns', y='Gold', color='Luck')" in fix.code
    assert "no column 'suit'" in fix.note and "symbol='suit'" in fix.note
    # plotly's own error at run time, and seaborn's
    fixed, notes = run_patched(
        code.replace(",\n                 hover_data=df[['Gold', 'suit']]", ""),
        {"px": px, "df": frame},
        {"df": frame},
    )
    assert "symbol" not in fixed and len(notes) == 1
    seaborn = "import seaborn as sns\nsns.scatterplot(data=df, x='Leprechauns', y='Gold', hue='suit')\n"
    fixed, _ = run_patched(seaborn, {"sns": sns, "df": frame}, {"df": frame})
    assert "hue" not in fixed
    # plotly adds advice after the value when it is 'index'; the column named is still 'index'
    fixed, notes = run_patched(
        code.replace(",\n                 hover_data=df[['Gold', 'suit']]", "").replace(
            "symbol='suit'", "symbol='index'"
        ),
        {"px": px, "df": frame},
        {"df": frame},
    )
    assert "symbol" not in fixed and "no column 'index'" in notes[0]
    # a column the plot is of is the model's to choose, and a real column is never removed
    assert (
        patched(
            "import plotly.express as px\npx.scatter(df, x='suit', y='Gold')\n",
            "PrecheckError",
            "line 2: df has no column 'suit'.",
            2,
            {},
            {"df": frame},
        )
        is None
    )
    assert patched(code, "PrecheckError", "line 2: df has no column 'Luck'.", 2, {}, {"df": frame}) is None


def test_column_names_without_their_frame_get_it():
    import seaborn as sns

    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1.0, 2.0]})
    code = "import seaborn as sns\nsns.barplot(x='region', y='revenue', color='red')\n"
    fixed, notes = run_patched(code, {"sns": sns, "df": frame}, {"df": frame})
    assert "sns.barplot(data=df, x='region', y='revenue', color='red')" in fixed and "data=df" in notes[0]
    other = pd.DataFrame(
        {"region": ["c"], "revenue": [3.0]}
    )  # two frames fit: which one is the model's to say
    with pytest.raises(ValueError, match="data` was not passed"):
        run_patched(code, {"sns": sns, "df": frame, "other": other}, {"df": frame, "other": other})


@pytest.mark.parametrize(
    "code, expected",
    [
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['Region'], df['revenue'])\n",
            "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\n",
        ),
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['area'], df['revenue'])\n",
            None,
        ),  # nothing close: the model's
    ],
)
def test_a_column_the_precheck_finds_missing_is_renamed_before_any_run(code: str, expected: str | None):
    report = check_code(code, "matplotlib", FRAMES)
    fix = patched(report.code, "PrecheckError", "\n".join(report.problems), None, {}, FRAMES)
    assert (fix.code if fix else None) == expected


def test_a_rule_reads_the_failure_it_is_handed():
    """``patched`` dispatches on the typed failure the caller classified, not on a second reading."""
    from viscoder_magic.failures import NoColumn, Unclassified

    code = "import pandas as pd\ndf['Revenue'].sum()\n"
    frames = {"df": pd.DataFrame({"revenue": [1, 2]})}
    assert patched(code, "KeyError", "'Revenue'", 2, frames, frames, error=Unclassified("x", "y")) is None
    fix = patched(code, "KeyError", "'x'", 2, frames, frames, error=NoColumn(("Revenue",), "Revenue"))
    assert fix is not None and "df['revenue']" in fix.code


PRICES = pd.DataFrame(
    {"Close": [10.0, 11.0, 12.5], "Volume": [100, 250, 175]},
    index=pd.DatetimeIndex(pd.date_range("2024-01-01", periods=3), name="date"),
)


@pytest.mark.parametrize(
    "call",
    [
        "fig = px.bar(prices, x='date', y='Volume', log_y=True)",
        "fig = px.line(data_frame=prices, x='date', y='Close')",
    ],
)
def test_an_index_named_as_a_plotly_column_is_given_by_reset_index(call: str):
    """Plotly Express reads columns only (seaborn also takes index names); the model names the
    index as one (realtables dev, stock_prices)."""
    code = f"import plotly.express as px\n{call}\n"
    frame = PRICES.copy()
    fixed, notes = run_patched(code, {"prices": frame}, {"prices": frame})
    assert "prices.reset_index()" in fixed and "'date' is the index of prices" in notes[0], fixed
    ran = {"prices": frame}
    exec(compile(fixed, "<viscode>", "exec"), ran)
    plt.close("all")
    pd.testing.assert_frame_equal(frame, PRICES)


def test_a_name_that_is_only_like_the_index_or_a_column_clash_is_left_to_the_model():
    code = "import plotly.express as px\nfig = px.bar(prices, x='Date', y='Volume')\n"
    message = (
        "Value of 'x' is not the name of a column in 'data_frame'. Expected one of ['Close', 'Volume'] "
        "but received: Date"
    )
    namespace = {"prices": PRICES}
    assert patched(code, "ValueError", message, 2, namespace, {"prices": PRICES}) is None
    clash = PRICES.assign(date=1)
    same = code.replace("'Date'", "'date'")
    message = message.replace("Date", "date")
    assert patched(same, "ValueError", message, 2, {"prices": clash}, {"prices": clash}) is None
