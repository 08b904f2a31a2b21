"""pandas 3's arrays asked for Series methods, and an index set again: fixed from the live objects."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from .patching import run_patched

CITIES = pd.DataFrame({"city": pd.array(["Bern", "Basel", "Bern"], dtype="str"), "rain": [3, 1, 2]})
MONTHLY = pd.DataFrame(
    {"North": [1.0, 2.0, 3.0], "South": [2.0, 1.0, 0.5]},
    index=pd.date_range("2024-01-01", periods=3, freq="MS", name="month"),
)


@pytest.mark.parametrize("values", [CITIES["city"], pd.Series(pd.array([3, 1, 3], dtype="Int64"), name="n")])
def test_unique_then_sort_values_becomes_drop_duplicates(values: pd.Series):
    frame = values.to_frame()
    name = values.name
    code = f"order = df[{name!r}].unique().sort_values(ascending=False)\nprint(list(order))\n"
    fixed, notes = run_patched(code, {"df": frame}, {"df": frame})
    assert f"df[{name!r}].drop_duplicates().sort_values(ascending=False)" in fixed
    assert "has no sort_values" in notes[0]


def test_another_array_attribute_is_left_alone():
    code = "import numpy as np\nx = np.array([2, 1]).sort_values()\n"
    with pytest.raises(AttributeError):
        run_patched(code, {"np": np}, {})


def test_set_index_of_the_index_name_is_dropped_in_a_chain_and_in_place():
    code = (
        "import matplotlib.pyplot as plt\n"
        "data = df.set_index('month')\n"
        "df.set_index('month', inplace=True)\n"
        "plt.plot(data.index, data['North'])\n"
    )
    fixed, notes = run_patched(code, {"plt": plt, "df": MONTHLY.copy()}, {"df": MONTHLY})
    assert fixed == "import matplotlib.pyplot as plt\ndata = df\nplt.plot(data.index, data['North'])\n"
    assert all("already is the index of df" in note for note in notes)


def test_set_index_of_a_name_that_is_nowhere_is_left_to_other_rules():
    code = "data = df.set_index('quarter')\n"
    with pytest.raises(KeyError):
        run_patched(code, {"df": MONTHLY.copy()}, {"df": MONTHLY})
