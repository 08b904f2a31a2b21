import pandas as pd
import pytest

from viscoder_magic.checklist import checklist, checklist_text
from viscoder_magic.intent import Intent, read_intent

SALES = pd.DataFrame({"region": ["a", "b"], "Revenue (€)": [1.0, 2.0], "month": ["Jan", "Feb"]})


def _items(text: str, lib: str = "matplotlib", frames=None) -> list[str]:
    frames = {"sales": SALES} if frames is None else frames
    return checklist(read_intent(text, frames), lib, frames)


@pytest.mark.parametrize(
    ("lib", "call"), [("matplotlib", "`plt.pie`"), ("seaborn", "`plt.pie`"), ("plotly", "`px.pie`")]
)
def test_a_precise_kind_is_named_with_the_librarys_call(lib: str, call: str):
    assert _items("share of revenue (€) per region as a pie", lib)[0] == f"draw a pie chart ({call})"


def test_columns_are_given_as_their_exact_labels():
    items = _items("revenue (€) per region as bars")
    assert "plot the data of 'Revenue (€)', 'region' (labels exactly as written here)" in items


def test_an_index_name_is_said_to_be_the_index():
    frame = SALES.rename(columns={"month": "store"}).set_index("store")
    items = _items("revenue (€) per store as a line chart", frames={"sales": frame})
    assert any("'store' (the index of `sales`)" in item for item in items)


def test_panels_log_axes_and_sorting_are_listed_in_the_librarys_words():
    items = _items("revenue (€) per region, bars sorted descending, log y, one panel per month", "plotly")
    text = checklist_text(items)
    assert "`log_y=True`" in text and "sort the bars by value in descending order" in text
    assert "`make_subplots(rows=R, cols=C)`" in text
    assert text.startswith("4. Checklist for the figure: ") and text.endswith(".")


def test_a_request_it_cannot_read_adds_nothing():
    assert _items("make it look nice") == [] and checklist_text([]) == ""
    assert checklist(None, "seaborn", {}) == []
    assert checklist(Intent(text="x", kinds=("relationship",)), "seaborn", {}) == []  # a broad word alone


def test_a_heatmap_is_told_which_2d_table_it_draws():
    people = pd.DataFrame(
        {"team": ["a", "b", "a"], "site": ["x", "x", "y"], "Score": [1.0, 2.0, 3.0], "Age": [30, 40, 50]}
    )
    frames = {"people": people}
    corr = _items("correlation heatmap of the scores", "seaborn", frames)
    assert (
        "draw the correlation matrix (`people.corr(numeric_only=True)`, or `.corr()` of the columns asked)"
        in corr
    )
    pivot = _items("heatmap of Score by team and site", "plotly", frames)
    assert (
        "draw a 2-D table, not the raw rows "
        "(`people.pivot_table(index='team', columns='site', values='Score', aggfunc='mean')`)"
    ) in pivot
    counts = _items("heatmap of team by site", "matplotlib", frames)
    assert "draw a 2-D table, not the raw rows (`pd.crosstab(people['team'], people['site'])`)" in counts


GDP = pd.DataFrame(
    {"United States": [2.1, 2.3], "Euro area": [1.0, 0.9], "Japan": [0.4, 0.6]},
    index=pd.Index(["2024Q1", "2024Q2"], name="quarter"),
).rename_axis(columns="economy")
PRICES = pd.DataFrame(
    [[10.0, 0.1, 20.0, 0.2, 30.0, 0.3]],
    columns=pd.MultiIndex.from_product(
        [["ACME", "GLOBEX", "INITECH"], ["price", "return"]], names=["ticker", "metric"]
    ),
    index=pd.Index([1], name="week"),
)


def test_matplotlib_is_told_to_draw_each_column_of_a_wide_frame():
    items = _items("GDP growth over time for each economy", "matplotlib", {"gdp": GDP})
    assert any("`gdp` has one column per economy" in i and "`gdp.plot(ax=ax)`" in i for i in items)


def test_seaborn_and_plotly_are_told_the_long_form_and_the_group_argument():
    seaborn = _items("GDP growth per economy as lines", "seaborn", {"gdp": GDP})
    assert any(
        "`gdp.reset_index().melt(id_vars='quarter', var_name='economy', value_name='value')`" in i
        and "`hue='economy'`" in i
        for i in seaborn
    )
    assert any("`color='economy'`" in i for i in _items("GDP growth per economy", "plotly", {"gdp": GDP}))


def test_a_column_multiindex_is_read_by_the_metric_asked():
    items = _items("price of each ticker over time", "matplotlib", {"prices": PRICES})
    assert any("`prices.xs('price', axis=1, level='metric')` has one column per ticker" in i for i in items)


def test_a_request_naming_some_groups_or_a_table_kind_gets_no_wide_frame_item():
    frames = {"prices": PRICES}
    assert not any("ticker" in i for i in _items("scatter ACME return vs GLOBEX return", "seaborn", frames))
    gdp = {"gdp": GDP}
    assert not any("column per" in i for i in _items("heatmap of the correlations", "matplotlib", gdp))
    assert not any("column per" in i for i in _items("Japan over time", "matplotlib", gdp))


def test_measurements_over_an_index_or_a_time_step_are_not_groups():
    weather = pd.DataFrame(
        {"temp_max °C": [9.0, 11.0], "temp_min °C": [1.0, 2.0], "precip (mm)": [0.0, 3.5]},
        index=pd.Index(pd.to_datetime(["2024-01-01", "2024-01-02"]), name="date"),
    )
    frames = {"weather": weather}
    temperatures = _items("max and min temperature over the two years", frames=frames)
    assert not any("column per" in i for i in temperatures)
    assert not any("long form" in i for i in _items("precipitation per month as bars", "plotly", frames))
    assert any("one column per site" in i for i in _items("rain at each site over time", frames=frames))


def test_an_unnamed_metric_level_is_given_to_xs_by_its_position():
    prices = PRICES.copy()
    prices.columns = prices.columns.set_names(["ticker", None])
    items = _items("return of each ticker over time", "matplotlib", {"prices": prices})
    assert any("`prices.xs('return', axis=1, level=1)` has one column per ticker" in i for i in items)
