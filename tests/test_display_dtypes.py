"""Every dtype an analyst's table holds goes through capture, display and description without an error
from our code, in all three libraries.

Each case plots a numeric column against one column of the dtype under test, runs the program
through ``run_code`` (the capture stage), then packs every captured bundle with the kernel's own
JSON packer (what ``display`` does in a kernel) and describes the frame (the inspect stage). A
program may fail to draw (matplotlib has no converter for some dtypes): that is the program's
failure, reported as an outcome. What must never happen is an exception from our code, or a figure
that drew but cannot be sent to the front end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from jupyter_client.session import json_packer

from viscoder_magic.describe import describe_frame
from viscoder_magic.display import _shown_safely
from viscoder_magic.execute import run_code

from .kernel import errors, mime_outputs, texts

N = 6


def dtype_columns() -> dict[str, pd.Series]:
    """One column per dtype an analyst meets (pandas 3 defaults included)."""
    dates = pd.date_range("2025-11-01", periods=N, freq="D")
    return {
        "string": pd.Series(list("abcdef"), dtype="string"),
        "pyarrow_string": pd.Series(list("abcdef"), dtype="str"),
        "category": pd.Series(pd.Categorical(list("xyzxyz"), categories=["z", "y", "x"], ordered=True)),
        "nullable_int": pd.Series([1, 2, None, 4, 5, 6], dtype="Int64"),
        "nullable_bool": pd.Series([True, False, None, True, False, True], dtype="boolean"),
        **{f"datetime_{unit}": pd.Series(dates.as_unit(unit)) for unit in ("s", "ms", "us", "ns")},
        "datetime_tz": pd.Series(dates.tz_localize("Europe/Oslo")),
        "period": pd.Series(pd.period_range("2025-01", periods=N, freq="M")),
        "timedelta": pd.Series(pd.to_timedelta(np.arange(N), unit="h")),
        "mixed_object": pd.Series(["a", 1, 2.5, None, "b", 3], dtype=object),
        "mostly_nan": pd.Series([np.nan, np.nan, 1.0, np.nan, np.nan, 2.0]),
    }


PROGRAMS = {
    "matplotlib": "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
    "ax.plot(df['x'], df['value'])\n",
    "seaborn": "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
    "sns.lineplot(data=df, x='x', y='value')\n",
    "plotly": "import plotly.express as px\nfig = px.line(df, x='x', y='value')\nfig.show()\n",
}


def frame_with(column: pd.Series, index: pd.Index | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"x": column.reset_index(drop=True), "value": np.linspace(1.0, 2.0, N)})
    return frame.set_axis(index) if index is not None else frame


CASES = [(lib, name) for lib in PROGRAMS for name in dtype_columns()]


@pytest.mark.parametrize(("lib", "dtype_name"), CASES, ids=[f"{lib}-{name}" for lib, name in CASES])
def test_capture_display_and_description(
    lib: str, dtype_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = frame_with(dtype_columns()[dtype_name])
    outcome = run_code(PROGRAMS[lib], {"df": frame}, {"df": frame}, lib=lib, timeout=60)
    for figure in outcome.figures:
        json_packer({"data": figure.bundle})  # raises where the kernel's packer would
    if not outcome.ok:  # the program's own failure, reported as an outcome with its reason
        assert outcome.error_type and outcome.traceback
    described = describe_frame("df", frame)
    assert "x" in described.columns and described.text


@pytest.mark.parametrize("lib", list(PROGRAMS))
def test_pandas3_dates_draw_in_every_library(lib: str) -> None:
    """The commonest plot there is, a line over pandas 3 dates (microseconds), must draw and pack."""
    frame = frame_with(dtype_columns()["datetime_us"])
    outcome = run_code(PROGRAMS[lib], {"df": frame}, {"df": frame}, lib=lib, timeout=60)
    assert outcome.ok, outcome.error_text
    for figure in outcome.figures:
        json_packer({"data": figure.bundle})


def test_a_named_datetime_index_and_multiindex_frames_are_described() -> None:
    dated = frame_with(
        dtype_columns()["nullable_int"],
        pd.date_range("2025-11-01", periods=N, name="timestamp").as_unit("us"),
    )
    assert "timestamp" in describe_frame("sensors", dated).text
    wide = pd.DataFrame(
        np.arange(12.0).reshape(3, 4), columns=pd.MultiIndex.from_product([["a", "b"], ["min", "max"]])
    )
    assert describe_frame("wide", wide).text


def test_a_refused_representation_costs_only_itself(capsys: pytest.CaptureFixture[str]) -> None:
    shown: list[dict] = []

    def packer_refuses_json(bundle: dict) -> None:
        if "application/vnd.plotly.v1+json" in bundle:
            raise ValueError("Can't clean for JSON: array([...], dtype='datetime64[us]')")
        shown.append(bundle)

    _shown_safely(
        {
            "application/vnd.plotly.v1+json": {"data": []},
            "text/html": "<div>fig</div>",
            "text/plain": "<plotly figure>",
        },
        packer_refuses_json,
    )
    assert shown == [{"text/html": "<div>fig</div>", "text/plain": "<plotly figure>"}]
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and "application/vnd.plotly.v1+json" in printed[0] and "ValueError" in printed[0]


@pytest.mark.e2e
def test_a_plotly_line_over_pandas3_dates_shows_in_a_kernel(kernel) -> None:
    """In a real kernel, through the magic (--fix runs the user's code; no model is needed when it draws)."""
    kernel.run(
        "import pandas as pd, numpy as np\n"
        "visits = pd.DataFrame({'day': pd.date_range('2025-11-01', periods=30).as_unit('us'),"
        " 'visits': np.arange(30)})"
    )
    outputs = kernel.run(
        "%%viscode visits --lib plotly --fix\n"
        "import plotly.express as px\nfig = px.line(visits, x='day', y='visits')\nfig.show()"
    )
    assert not errors(outputs), outputs
    assert mime_outputs(outputs, "application/vnd.plotly.v1+json"), texts(outputs)
    assert kernel.value("_viscode.ok") is True
