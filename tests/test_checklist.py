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
