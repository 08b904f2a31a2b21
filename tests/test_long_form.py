import numpy as np
import pandas as pd

from viscoder_magic.describe import describe_frame
from viscoder_magic.long_form import long_form_line


def _returns() -> pd.DataFrame:
    columns = pd.MultiIndex.from_product([["ACME", "GLOBEX", "INITECH"], ["price", "return"]])
    columns = columns.set_names(["ticker", "metric"])
    index = pd.date_range("2024-01-05", periods=4, freq="W-FRI", name="week")
    return pd.DataFrame(np.arange(24.0).reshape(4, 6), index=index, columns=columns)


def test_a_column_multiindex_is_stacked_by_its_entity_level_and_the_columns_are_read_from_the_result():
    (line,) = long_form_line("returns", _returns())
    assert "`returns.stack(level='ticker').reset_index()`" in line
    assert line.endswith("has the columns 'week', 'ticker', 'price', 'return'.")
    assert "one row per week and ticker" in line


def test_a_wide_numeric_frame_over_a_named_index_is_melted():
    index = pd.PeriodIndex(["2024Q1", "2024Q2"], freq="Q", name="quarter")
    gdp = pd.DataFrame({"Japan": [0.1, 0.2], "Euro area": [0.3, 0.1], "Canada": [0.0, 0.5]}, index=index)
    (line,) = long_form_line("gdp", gdp)
    assert "gdp.reset_index().melt(id_vars='quarter', var_name='column', value_name='value')" in line
    assert line.endswith("has the columns 'quarter', 'column', 'value'.")


def test_a_tidy_frame_gets_no_recipe():
    tidy = pd.DataFrame({"region": ["a", "b"], "x": [1.0, 2.0], "y": [3.0, 4.0], "z": [5.0, 6.0]})
    assert long_form_line("tidy", tidy) == []
    assert long_form_line("numbers", tidy.drop(columns="region")) == []  # no named index: rows are rows
    clash = tidy.drop(columns="region").rename_axis("x")  # reset_index would clash with column 'x'
    assert long_form_line("clash", clash) == []


def test_the_description_carries_the_line_and_reads_only_the_head():
    frame = _returns()
    text = describe_frame("returns", frame).text
    assert "Long form (one row per week and ticker" in text
    before = frame.copy()
    long_form_line("returns", frame)
    pd.testing.assert_frame_equal(frame, before)
