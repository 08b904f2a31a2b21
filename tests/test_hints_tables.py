"""Hints for analysts' tables: each failure is produced by
running a real program, then hinted from its objects."""

from __future__ import annotations

import pandas as pd
import pytest

from viscoder_magic.execute import run_code
from viscoder_magic.hints_tables import one_dimensional_hint
from viscoder_magic.repair import grounded_hint


def _sales() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": pd.Series(["North", "South", "East", "North"], dtype="str"),
            "tier": pd.Categorical(["gold", "basic", "gold", "basic"]),
            "units": [3.0, 1.0, 2.0, 5.0],
            "revenue": [30.0, 10.0, 25.0, 55.0],
        }
    )


def _sensors() -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=3, name="timestamp")
    return pd.DataFrame({"temp_a": [1.0, 2.0, 3.0], "temp_b": [2.0, 3.0, 4.0]}, index=index)


def _quarterly() -> pd.DataFrame:
    index = pd.MultiIndex.from_product([["North", "South"], ["Q1", "Q2"]], names=["region", "quarter"])
    return pd.DataFrame({"deals": [1, 2, 3, 4]}, index=index)


def _hint(code: str, name: str, frame: pd.DataFrame, lib: str = "matplotlib") -> tuple[str, str]:
    """Run ``code`` on ``frame`` (named ``name`` and ``df``, as
    the pipeline names a lone frame); its error type and hint."""
    frames = {name: frame, "df": frame}
    outcome = run_code(code, dict(frames), frames, lib=lib)
    assert not outcome.ok, "the program was meant to fail"
    line = code.splitlines()[outcome.error_line - 1] if outcome.error_line else ""
    return outcome.error_type or "", grounded_hint(
        outcome.error_type, outcome.error_message, outcome.namespace, frames, line
    )


@pytest.mark.parametrize(
    "code",
    [
        "import matplotlib.pyplot as plt\nplt.plot(sensors['timestamp'], sensors['temp_a'])",
        "import matplotlib.pyplot as plt\nplt.plot(sensors['Time stamp'], sensors['temp_a'])",
    ],
)
def test_a_named_index_used_as_a_column_is_named_with_its_fix(code: str):
    error, hint = _hint(code, "sensors", _sensors())
    assert error == "KeyError"
    assert "'timestamp' is the name of the index of sensors, not a column: use sensors.index" in hint
    assert "sensors.reset_index()" in hint and "closest" not in hint


def test_plotly_given_the_index_name_gets_the_same_hint():
    code = "import plotly.express as px\nfig = px.line(sensors, x='timestamp', y='temp_a')\nfig.show()"
    _, hint = _hint(code, "sensors", _sensors(), lib="plotly")
    assert "'timestamp' is the name of the index of sensors" in hint


def test_a_level_of_a_row_multiindex_used_as_a_column():
    code = "import matplotlib.pyplot as plt\nplt.bar(quarterly['region'], quarterly['deals'])"
    _, hint = _hint(code, "quarterly", _quarterly())
    assert "quarterly.index.get_level_values('region')" in hint and "quarterly.reset_index()" in hint


def test_an_index_found_on_a_frame_the_program_made():
    code = (
        "import matplotlib.pyplot as plt\ndaily = sensors.resample('D').mean()\n"
        "plt.plot(daily['timestamp'], daily['temp_a'])"
    )
    _, hint = _hint(code, "sensors", _sensors())
    assert "use daily.index" in hint


def test_sorting_the_array_unique_returns_for_a_text_column():
    code = (
        "import matplotlib.pyplot as plt\n"
        "regions = sales['region'].unique().sort_values()\nplt.bar(regions, [1, 2, 3])"
    )
    error, hint = _hint(code, "sales", _sales())
    assert error == "AttributeError"
    assert "sales['region'].unique() (and .array) is a pandas ArrowStringArray" in hint
    assert "sorted(...)" in hint and "sales['region'].drop_duplicates().sort_values()" in hint


def test_an_accessor_asked_of_a_categorical_names_the_categories():
    code = (
        "import matplotlib.pyplot as plt\n"
        "tiers = sales['tier'].unique().cat.categories\nplt.bar(tiers, [1, 2])"
    )
    _, hint = _hint(code, "sales", _sales())
    assert "is a pandas Categorical" in hint and "before .unique() (sales['tier'].cat…)" in hint
    assert "sales['tier'].cat.categories ('basic', 'gold')" in hint


def test_a_date_array_without_series_methods():
    code = "import matplotlib.pyplot as plt\ndays = sensors.reset_index()['timestamp'].unique().sort_values()"
    _, hint = _hint(code, "sensors", _sensors())
    assert "pandas DatetimeArray of date values" in hint and "sorted(...)" in hint


@pytest.mark.parametrize(
    "call, keyword, column",
    [
        ("plt.scatter(sales['units'], sales['revenue'], c=sales['region'])", "c", "region"),
        ("plt.scatter(sales['units'], sales['revenue'], c=sales['tier'])", "c", "tier"),
        ("plt.bar(sales['units'], sales['revenue'], color=sales['region'])", "color", "region"),
    ],
)
def test_text_labels_given_as_colours_are_mapped(call: str, keyword: str, column: str):
    error, hint = _hint("import matplotlib.pyplot as plt\n" + call, "sales", _sales())
    assert error == "ValueError"
    assert f"sales['{column}'] holds text labels" in hint
    assert f"{keyword}=sales['{column}'].map(palette)" in hint and f"hue='{column}'" in hint
    assert ("cat.codes" in hint) == (keyword == "c")  # numbers colour-map only through c=


def test_the_mapped_colours_the_hint_suggests_draw():
    frame = _sales()
    code = (
        "import matplotlib.pyplot as plt\n"
        "palette = dict(zip(sales['region'].unique(), plt.cm.tab10.colors))\n"
        "plt.bar(sales['units'], sales['revenue'], color=sales['region'].map(palette))"
    )
    assert run_code(code, {"sales": frame}, {"sales": frame}).ok


@pytest.mark.parametrize(
    "code, lib, recipe",
    [
        (
            "import seaborn as sns\nsns.heatmap(sales['region'].value_counts())",
            "seaborn",
            "pd.crosstab(sales['region'], sales['tier']) (counts)",
        ),
        (
            "import matplotlib.pyplot as plt\nplt.imshow(sales['revenue'].values)",
            "matplotlib",
            "sales.pivot_table(index='region', columns='tier', values='revenue', aggfunc='mean')",
        ),
        (
            "import plotly.express as px\nfig = px.imshow(sales['units'])\nfig.show()",
            "plotly",
            "sales.pivot_table(index='region', columns='tier', values='units', aggfunc='mean')",
        ),
    ],
)
def test_one_dimensional_data_given_to_a_heatmap(code: str, lib: str, recipe: str):
    _, hint = _hint(code, "sales", _sales(), lib=lib)
    assert "is 1-D" in hint and "2-D grid" in hint and recipe in hint
    assert (
        "Then draw the heatmap of that table." in hint and "bars" not in hint
    )  # the request asked for a heatmap


def test_one_dimensional_data_with_no_table_to_make_one_from_may_draw_bars():
    hint = one_dimensional_hint(4, {}, {}, "plt.imshow(values)")
    assert hint.startswith("values is 1-D (4 values)") and "draw bars" in hint


def test_a_heatmap_of_one_column_of_a_two_level_table_unstacks_it():
    frame = _quarterly().assign(revenue=[1.0, 2.0, 3.0, 4.0])[["revenue", "deals"]]
    code = "import seaborn as sns\ndf = quarterly\nsns.heatmap(df['deals'])"
    _, hint = _hint(code, "quarterly", frame, "seaborn")
    assert (
        "df['deals'] is 1-D (4 values)" in hint and "df['deals'].unstack()" in hint
    )  # the column given, as named


def test_a_plotting_function_asked_of_a_frame():
    _, hint = _hint("import seaborn as sns\nsales.heatmap()", "sales", _sales(), "seaborn")
    assert "sns.heatmap(table)" in hint and "pivot_table" in hint
    _, hint = _hint(
        "import seaborn as sns\nsales.barplot(x='region', y='revenue')", "sales", _sales(), "seaborn"
    )
    assert "sns.barplot(data=sales" in hint


def test_a_failure_of_another_kind_is_left_to_the_general_hints():
    _, hint = _hint(
        "import matplotlib.pyplot as plt\nplt.bar(sales['regoin'], sales['revenue'])", "sales", _sales()
    )
    assert "The closest is 'region'" in hint
