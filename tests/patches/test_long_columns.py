"""A call naming a wide frame's long-form columns is given the long form, read from the live frame."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from .patching import run_patched


def _returns() -> pd.DataFrame:
    columns = pd.MultiIndex.from_product(
        [["ACME", "GLOBEX"], ["price", "return"]], names=["ticker", "metric"]
    )
    index = pd.date_range("2024-01-05", periods=5, freq="W-FRI", name="week")
    return pd.DataFrame(np.arange(20.0).reshape(5, 4), index=index, columns=columns)


def test_seaborn_box_per_ticker_gets_the_stacked_frame():
    import seaborn as sns

    returns = _returns()
    code = (
        "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "sns.boxplot(x='ticker', y='return', data=returns)\nplt.title('weekly returns')\n"
    )
    fixed, notes = run_patched(code, {"sns": sns, "plt": plt, "returns": returns}, {"returns": returns})
    assert "sns.boxplot(x='ticker', y='return', data=returns.stack(level='ticker').reset_index())" in fixed
    assert "long form" in notes[0]


def test_plotly_lines_per_column_of_a_wide_frame_get_the_melted_frame():
    import plotly.express as px

    index = pd.PeriodIndex(["2024Q1", "2024Q2", "2024Q3"], freq="Q", name="quarter").to_timestamp()
    gdp = pd.DataFrame(
        {"Japan": [0.1, 0.2, 0.0], "Canada": [0.3, 0.1, 0.2], "Chile": [0.0, 0.5, 0.1]}, index=index
    )
    gdp.index.name = "quarter"
    code = "import plotly.express as px\nfig = px.line(gdp, x='quarter', y='value', color='column')\n"
    fixed, _ = run_patched(code, {"px": px, "gdp": gdp}, {"gdp": gdp})
    namespace = {"gdp": gdp}
    exec(fixed, namespace)
    assert {trace.name for trace in namespace["fig"].data} == {"Japan", "Canada", "Chile"}


def test_a_name_the_long_form_lacks_is_left_to_other_rules():
    import seaborn as sns

    returns = _returns()
    code = "import seaborn as sns\nsns.boxplot(x='ticker', y='volume', data=returns)\n"
    with pytest.raises(ValueError, match="ticker"):
        run_patched(code, {"sns": sns, "returns": returns}, {"returns": returns})


def test_a_call_naming_only_the_index_gets_reset_index_not_the_long_form():
    import plotly.express as px

    gdp = pd.DataFrame(
        {"Japan": [0.1, 0.2], "Canada": [0.3, 0.1], "Chile": [0.0, 0.5]},
        index=pd.Index([2023, 2024], name="year"),
    )
    code = "import plotly.express as px\nfig = px.line(gdp, x='year', y='Japan')\n"
    fixed, _ = run_patched(code, {"px": px, "gdp": gdp}, {"gdp": gdp})
    assert "px.line(gdp.reset_index(), x='year', y='Japan')" in fixed
