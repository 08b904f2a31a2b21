from collections.abc import Iterator

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from viscoder_magic import check
from viscoder_magic.check import add_missing_imports, check_code

from .patches.patching import traces

FRAMES = {"df": pd.DataFrame({"region": ["a"], "revenue": [1]})}


@pytest.fixture(autouse=True)
def _edits_leave_no_trace(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each program the pre-check completes in a test reads as if written by hand (no "# removed" line)."""
    seen: list[tuple[str, str]] = []

    def recorded(code: str, frames: dict) -> tuple[str, tuple[str, ...]]:
        result = completion(code, frames)
        seen.append((code, result[0]))
        return result

    completion = check.completion
    monkeypatch.setattr(check, "completion", recorded)
    yield
    left = [(after, found) for before, after in seen if (found := traces(before, after))]
    assert not left, f"the pre-check left traces of its edits: {left}"


def test_missing_standard_imports_are_added():
    code = add_missing_imports("plt.plot(np.arange(3))")
    assert code.splitlines()[:2] == ["import numpy as np", "import matplotlib.pyplot as plt"]


def test_a_name_taken_only_as_a_parameter_is_not_defined_for_the_module():
    # A seaborn program where plt was only a helper's parameter and never imported.
    code = "def save(plt):\n    plt.close()\nplt.plot(df['revenue'])\nsave(plt)"
    assert add_missing_imports(code).splitlines()[0] == "import matplotlib.pyplot as plt"
    report = check_code("def draw(ax):\n    ax.plot([1])\ndraw(ax)", "matplotlib", FRAMES)
    assert report.problems == ("names used but never defined or imported: ax",)
    # Reads inside a function, a comprehension or under a global are still let off.
    lenient = (
        "import matplotlib.pyplot as plt\ndef draw(ax):\n    global fig\n    fig = ax.figure\n"
        "    return [v for v in df['revenue']]\ndraw(plt.gca())\nfig.savefig"
    )
    assert check_code(lenient, "matplotlib", FRAMES).ok


def test_clean_code_passes():
    report = check_code(
        "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])", "matplotlib", FRAMES
    )
    assert report.ok, report.problems


def test_unknown_column_names_the_closest_real_one():
    report = check_code("plt.bar(df['regoin'], df['revenue'])", "matplotlib", FRAMES)
    assert any("no column 'regoin'" in p and "closest is 'region'" in p for p in report.problems)


def test_the_recipes_placeholders_copied_verbatim_are_named_with_the_real_columns():
    # A plotly program that copied the recipe's `go.Scatter(x=df[...], y=df[...])` verbatim.
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Scatter(x=df[...], y=df['revenue']))\n"
        "fig.update_layout(title=...)"
    )
    problems = check_code(code, "plotly", FRAMES).problems
    assert problems == (
        "line 2: df[...] is the example's placeholder, not code: put a real column name there "
        "(columns of df: 'region', 'revenue')",
        "line 3: title=... is the example's placeholder, not code: give title a real value "
        "(columns of df: 'region', 'revenue')",
    )
    # An array's Ellipsis index is numpy, and `...` as a body is Python: both pass.
    fine = "import numpy as np\ndef later():\n    ...\na = np.zeros((2, 3))\nplt.plot(a[..., 0])"
    assert check_code(fine, "matplotlib", FRAMES).ok


def test_columns_created_by_the_code_are_allowed():
    report = check_code("df['x'] = 1\nplt.plot(df['x'])", "matplotlib", FRAMES)
    assert report.ok, report.problems


def test_syntax_error_reports_the_line():
    report = check_code("plt.plot(\n", "matplotlib", FRAMES)
    assert report.problems and report.problems[0].startswith("SyntaxError on line")


def test_undefined_names_and_file_reads_and_wrong_library():
    report = check_code(
        "import plotly.express as px\nx = open('data.csv')\nplt.plot(undefined_thing)", "matplotlib", FRAMES
    )
    text = "\n".join(report.problems)
    assert "imports plotly" in text
    assert "reads a file with open()" in text
    assert "undefined_thing" in text


def test_seaborn_may_use_matplotlib_and_user_names_are_known():
    report = check_code(
        "import matplotlib.pyplot as plt\nplt.plot(mine)", "seaborn", FRAMES, available=["mine"]
    )
    assert report.ok, report.problems


def test_empty_code_is_a_problem():
    assert not check_code("  ", "matplotlib", FRAMES).ok


def test_rebuilding_the_loaded_frame_from_literals_is_dropped():
    code = "df = pd.DataFrame({\n    'revenue': [1, 2],\n})\nplt.plot(df['revenue'])"
    report = check_code(code, "matplotlib", FRAMES)
    assert report.ok and "DataFrame(" not in report.code and "plt.plot(df['revenue'])" in report.code
    sample = check_code(
        "df = sns.load_dataset('your_dataset_name')\nsns.barplot(data=df, y='revenue')", "seaborn", FRAMES
    )
    assert "load_dataset" not in sample.code and "sns.barplot(data=df, y='revenue')" in sample.code
    invented = check_code(
        "df = px.data.frame({'revenue': [1, 2]})\npx.bar(df, y='revenue')", "plotly", FRAMES
    )
    assert "px.data.frame" not in invented.code
    renamed = check_code("df = df.rename(columns={'revenue': 'r'})\nplt.plot(df['r'])", "matplotlib", FRAMES)
    assert "df = df.rename(columns={'revenue': 'r'})" in renamed.code
    kept = check_code("df = df[df['revenue'] > 0]\nplt.plot(df['revenue'])", "matplotlib", FRAMES)
    assert "df = df[df['revenue'] > 0]" in kept.code


def test_a_dict_retyping_the_frames_columns_becomes_the_real_columns():
    frame = pd.DataFrame({"X": range(7), "Y": range(7, 14), "Mask": [True] * 7})
    code = (
        "import matplotlib.pyplot as plt\ndata = {\n    'X': range(0, 7),\n    'Y': [7, 8, 9],\n}\n"
        "plt.plot(data['X'], data['Y'])\nstyle = {'color': 'red', 'lw': 2}\n"
    )
    report = check_code(code, "matplotlib", {"df": frame})
    assert "data = df[['X', 'Y']]\n" in report.code and "style = {'color': 'red', 'lw': 2}" in report.code
    namespace = {"df": frame}
    exec(report.code, namespace)
    assert list(namespace["data"]["Y"]) == list(range(7, 14)) and namespace["data"] is not frame
    plt.close("all")
    built = "data = {'X': df['X'], 'Y': df['Y'] * 2}\n"  # made from the frame itself: kept
    assert check_code(built, "matplotlib", {"df": frame}).code.endswith(built)


def test_code_that_retypes_the_data_description_is_told_to_use_the_frame():
    report = check_code(
        "data = {'bins': ['(0, 1]', '(1, 2]' (+16 more)]}\n", "seaborn", {"df": pd.DataFrame({"bins": [1]})}
    )
    assert "SyntaxError" in report.problems[0] and "do not retype data" in report.problems[0]
    plain = check_code("plt.plot(df['bins']\n", "seaborn", {"df": pd.DataFrame({"bins": [1]})})
    assert "retype" not in plain.problems[0]


def test_a_file_read_into_the_frames_name_goes_and_into_another_name_takes_the_loaded_frame():
    frames = {"sales": pd.DataFrame({"x": [1, 2]})}
    code = (
        "import pandas as pd\nif True:\n    sales = pd.read_csv('sales.csv')\n"
        "data = pd.read_csv(\n    'your_data_file.csv',\n)  # Replace with your file\n"
        "text = open('notes.txt').read()\nplt.plot(data['x'])\n"
    )
    report = check_code(code, "matplotlib", frames)
    # the if did nothing but the read, so it goes; pandas was only read with, so its import goes too
    assert report.code == (
        "import matplotlib.pyplot as plt\ndata = sales  # Replace with your file\n"
        "text = open('notes.txt').read()\nplt.plot(data['x'])\n"
    )
    assert any("open()" in p for p in report.problems)  # other reads are still the model's to remove
    two = {"a": frames["sales"], "b": frames["sales"]}  # which frame is meant is not known: left to the check
    assert any(
        "read_csv" in p
        for p in check_code("import pandas as pd\ndata = pd.read_csv('f.csv')\n", "matplotlib", two).problems
    )


def test_a_dropped_load_leaves_the_program_as_a_person_would_write_it():
    code = (
        "import matplotlib.pyplot as plt\nimport pandas as pd\n\n# Load the data\n"
        "df = pd.read_csv('sales.csv')\n\n# Plot the bar chart of sales per region\n"
        "plt.bar(df['region'], df['revenue'])\nplt.show()\n"
    )
    assert check_code(code, "matplotlib", FRAMES).code == (
        "import matplotlib.pyplot as plt\n\n# Plot the bar chart of sales per region\n"
        "plt.bar(df['region'], df['revenue'])\nplt.show()\n"
    )
    inside = (
        "import pandas as pd\nimport matplotlib.pyplot as plt\ntry:\n    df = pd.read_csv('sales.csv')\n"
        "except FileNotFoundError:\n    df = pd.DataFrame({'region': ['a'], 'revenue': [1]})\n"
        "for name in ['sales']:\n    df = pd.read_csv(name + '.csv')\n"
        "    plt.bar(df['region'], df['revenue'])\n"
    )
    assert check_code(inside, "matplotlib", FRAMES).code == (
        "import matplotlib.pyplot as plt\nfor name in ['sales']:\n    plt.bar(df['region'], df['revenue'])\n"
    )


def _sensors() -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=3, name="timestamp")
    return pd.DataFrame({"temp_a": [1.0, 2.0, 3.0], "temp_b": [2.0, 3.0, 4.0]}, index=index)


def test_an_index_name_used_as_a_column_is_said_to_be_the_index_not_a_close_column():
    report = check_code(
        "plt.plot(sensors['timestamp'], sensors['temp_b'])", "matplotlib", {"sensors": _sensors()}
    )
    assert report.problems == (
        "line 2: sensors has no column 'timestamp'. 'timestamp' is the name of the index of "
        "sensors, not a column: use sensors.index (or sensors.reset_index() to make it a "
        "column).",
    )


def test_a_level_name_of_a_row_multiindex_names_the_level():
    index = pd.MultiIndex.from_product([["N", "S"], ["Q1", "Q2"]], names=["region", "quarter"])
    frames = {"q": pd.DataFrame({"deals": [1, 2, 3, 4]}, index=index)}
    (problem,) = check_code("plt.bar(q['Quarter'], q['deals'])", "matplotlib", frames).problems
    assert (
        "'quarter' is a level of the row MultiIndex of q" in problem
        and "q.index.get_level_values('quarter')" in problem
    )


def test_a_far_name_gets_no_closest_but_the_columns_and_the_index():
    (problem,) = check_code("plt.plot(sensors['humidity'])", "matplotlib", {"sensors": _sensors()}).problems
    assert "closest" not in problem
    assert problem == (
        "line 2: sensors has no column 'humidity'. No column is close. Its columns are: 'temp_a', "
        "'temp_b'. Its index is 'timestamp' (not a column)."
    )


def test_a_slip_still_gets_its_column():
    (problem,) = check_code("plt.plot(df['Revenue_'])", "matplotlib", FRAMES).problems
    assert "The closest is 'revenue'." in problem


def test_a_first_level_label_of_multiindex_columns_is_a_column():
    columns = pd.MultiIndex.from_product(
        [["ACME", "GLOBEX"], ["price", "return"]], names=["ticker", "metric"]
    )
    frames = {"p": pd.DataFrame([[1.0, 0.1, 2.0, 0.2]], columns=columns)}
    assert check_code(
        "plt.plot(p['ACME']['price'])\nplt.plot(p[('GLOBEX', 'price')])", "matplotlib", frames
    ).ok
    (problem,) = check_code("plt.plot(p['ticker'])", "matplotlib", frames).problems
    assert "'ticker' names a level of the column labels of p" in problem and "p.xs(" in problem


def test_each_edit_to_the_data_plotted_is_noted_and_added_imports_are_not():
    plain = check_code("plt.bar(df['region'], df['revenue'])\n", "matplotlib", FRAMES)
    assert plain.code.startswith("import matplotlib.pyplot as plt") and plain.notes == ()
    rebuilt = check_code(
        "import pandas as pd\ndf = pd.DataFrame({'region': ['x', 'y'], 'revenue': [3, 4]})\n"
        "plt.bar(df['region'], df['revenue'])\n",
        "matplotlib",
        FRAMES,
    )
    assert "pd.DataFrame" not in rebuilt.code and len(rebuilt.notes) == 1
    assert rebuilt.notes[0].startswith("removed `df = pd.DataFrame({'region': ['x', 'y'], 'revenue'")
    assert rebuilt.notes[0].endswith("the program plots your `df`")
    read = check_code(
        "import pandas as pd\ndata = pd.read_csv('f.csv')\nplt.plot(data['revenue'])\n", "matplotlib", FRAMES
    )
    assert read.notes == ("`pd.read_csv('f.csv')` became `df`: your data is already loaded",)
    retyped = check_code(
        "data = {'region': ['a', 'b'], 'revenue': [1, 2]}\nplt.bar(data['region'], data['revenue'])\n",
        "matplotlib",
        FRAMES,
    )
    assert "df[['region', 'revenue']]" in retyped.code
    assert retyped.notes == ("the typed-in values of 'region', 'revenue' became `df`'s real columns",)
