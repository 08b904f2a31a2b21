import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.repair import grounded_hint, next_temperature, normalized

FRAMES = {"df": pd.DataFrame({"region": ["a"], "revenue": [1]})}
NS = {"plt": plt, "np": np}


def test_key_error_hint_names_closest_column():
    hint = grounded_hint("KeyError", "'Revenue'", NS, FRAMES)
    assert "closest is 'revenue'" in hint


def test_module_attribute_hint_lists_real_names():
    hint = grounded_hint(
        "AttributeError", "module 'matplotlib.pyplot' has no attribute 'barh_chart'", NS, FRAMES
    )
    assert "barh" in hint


def test_ndarray_of_axes_hint():
    hint = grounded_hint("AttributeError", "'numpy.ndarray' object has no attribute 'set_title'", NS, FRAMES)
    assert "array of Axes" in hint


def test_unexpected_keyword_hint_gives_real_signature():
    hint = grounded_hint("TypeError", "Axes.bar() got an unexpected keyword argument 'colour'", NS, FRAMES)
    assert "Its real signature is Axes.bar(" in hint and "width" in hint


def test_signature_hint_resolves_pandas_base_class_methods():
    hint = grounded_hint("TypeError", "NDFrame.astype() got an unexpected keyword argument 'foo'", NS, FRAMES)
    assert "Its real signature is NDFrame.astype(" in hint and "dtype" in hint


def test_style_hint_lists_existing_styles():
    hint = grounded_hint(
        "OSError", "'seaborn-whitegrid' is not a valid package style, path of style file, URL", NS, FRAMES
    )
    assert "seaborn-v0_8-whitegrid" in hint


def test_resubmission_is_detected_through_formatting():
    assert normalized("x=1  # c\n\n") == normalized("x = 1")


def test_sampling_changes_after_failure():
    assert next_temperature(0.0, 0, False) == 0.0
    assert next_temperature(0.0, 1, False) > 0
    assert next_temperature(0.0, 1, True) > next_temperature(0.0, 1, False)


def test_unknown_artist_property_hint_explains_where_the_keyword_went():
    hint = grounded_hint(
        "AttributeError", "Rectangle.set() got an unexpected keyword argument 'stacked'", NS, FRAMES
    )
    assert "not an argument of the plotting call" in hint and "bottom=" in hint
    hint = grounded_hint(
        "AttributeError", "Line2D.set() got an unexpected keyword argument 'colr'", NS, FRAMES
    )
    assert "color" in hint


def test_aggregating_dates_hint():
    hint = grounded_hint("TypeError", "datetime64 type does not support operation 'sum'", NS, FRAMES)
    assert "numeric_only=True" in hint


def test_series_used_as_array_hint():
    hint = grounded_hint("AttributeError", "'Series' object has no attribute 'reshape'", NS, FRAMES)
    assert ".to_numpy().reshape" in hint


def test_text_on_a_numeric_axis_hint_names_numeric_columns():
    hint = grounded_hint(
        "ConversionError", "Failed to convert value(s) to axis units: array(['a'])", NS, FRAMES
    )
    assert "numeric columns: df: revenue" in hint


def test_shape_errors_show_the_live_shapes_of_the_names_on_the_failing_line():

    ns = {**NS, **FRAMES, "grid": np.zeros((4, 4)), "labels": ["a", "b"]}
    line = "plt.imshow(df['revenue'], extent=grid.shape, label=labels)"
    hint = grounded_hint("TypeError", "Invalid shape (4,) for image data", ns, FRAMES, line)
    assert "2-D grid" in hint
    assert "df['revenue'] is a Series of" in hint and "dtype" in hint
    assert "grid is a NumPy array of shape (4, 4), dtype float64" in hint
    assert "labels is a list of 2 items (first: str)" in hint
    assert "plt is" not in hint  # modules and functions are not values


def test_values_hint_only_for_type_value_and_index_errors():
    assert "On the failing line" not in grounded_hint("KeyError", "'x'", NS, FRAMES, "df['x']")


def test_key_error_listing_several_labels_names_the_missing_one():
    message = "\"The following 'columns' labels are not columns of the DataFrame: ['col_key']\""
    hint = grounded_hint("KeyError", message, NS, FRAMES)
    assert hint.startswith("df has no column 'col_key'.") and "'region'" in hint


def test_axes_attribute_asked_of_pyplot_points_to_the_axes():
    hint = grounded_hint("AttributeError", "module 'matplotlib.pyplot' has no attribute 'yaxis'", NS, FRAMES)
    assert "ax = plt.gca()" in hint and "ax.yaxis" in hint


def test_image_shape_hint_uses_the_frames_own_columns():
    frames = {"df": pd.DataFrame({"x": [1], "y": [2], "z": [3.0]})}
    hint = grounded_hint("TypeError", "Invalid shape (4,) for image data", NS, frames)
    assert "df.pivot(index='x', columns='y', values='z')" in hint


def test_a_name_the_library_has_in_another_module():
    import plotly.express as px

    hint = grounded_hint(
        "AttributeError", "module 'plotly.express' has no attribute 'subplots'", {"px": px}, FRAMES
    )
    assert "plotly.subplots.make_subplots" in hint


def test_a_module_that_is_not_installed():
    hint = grounded_hint("ModuleNotFoundError", "No module named 'statsmodels'", NS, FRAMES)
    assert hint.startswith("statsmodels is not installed in this kernel")


@pytest.mark.parametrize("owner", ["list", "Frobnicator", "antigravity"])
def test_an_attribute_error_on_a_type_no_library_names_gives_no_hint_and_imports_nothing(owner):
    import sys

    from viscoder_magic.repair import grounded_hint

    assert grounded_hint("AttributeError", f"'{owner}' object has no attribute 'foo'", {}, {}) == ""
    assert "antigravity" not in sys.modules  # the name in the message is never imported


def test_missing_argument_hint_reads_the_callee_from_the_failing_line():
    frames = {"df": pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]})}
    message = "hist() missing 1 required positional argument: 'x'"
    hint = grounded_hint("TypeError", message, NS, frames, "plt.hist(y='y', bins=24, color='red')")
    assert "Its real signature is plt.hist(x, bins=None" in hint
    assert "y= is not one of its parameters" in hint and "plt.hist(df['y'], ...)" in hint


def test_missing_argument_hint_without_a_readable_line_still_says_what_is_missing():
    hint = grounded_hint(
        "TypeError",
        "scatter() missing 2 required positional arguments: 'x' and 'y'",
        NS,
        FRAMES,
        "    color='red',",
    )
    assert hint.startswith("scatter() needs 'x' and 'y'")


def test_an_axes_object_asked_of_pyplot_is_not_offered_as_a_function():
    hint = grounded_hint("AttributeError", "module 'matplotlib.pyplot' has no attribute 'yaxis'", NS, FRAMES)
    assert "ax = plt.gca()" in hint and "object, not a function" in hint and "plt.ylabel" in hint
    hint = grounded_hint(
        "AttributeError", "module 'matplotlib.pyplot' has no attribute 'set_ylim'", NS, FRAMES
    )
    assert "ax.set_ylim" in hint and "not a function" not in hint


def test_an_empty_figure_hint_names_the_loaded_frame_and_its_columns():
    hint = grounded_hint("EmptyFigure", "the code created a figure but drew nothing on it.", NS, FRAMES)
    assert "already loaded as df (columns: region, revenue)" in hint and "do not retype" in hint


def test_seaborns_could_not_interpret_value_gets_the_column_hint():
    message = "Could not interpret value `Revenu` for `y`. An entry with this name does not appear in `data`."
    hint = grounded_hint("ValueError", message, NS, FRAMES, "sns.barplot(data=df, x='region', y='Revenu')")
    assert "df has no column 'Revenu'. The closest is 'revenue'" in hint and "melt(" in hint


def test_an_unexpected_keyword_of_an_unowned_function_reads_the_callee_from_the_line():
    import plotly.express as px

    hint = grounded_hint(
        "TypeError",
        "scatter() got an unexpected keyword argument 'x_bins'",
        {"px": px},
        FRAMES,
        "fig = px.scatter(df, x='x', y='y', x_bins='x_bins')",
    )
    assert (
        "px.scatter() has no keyword argument 'x_bins'. Its real signature is px.scatter(data_frame=None"
        in hint
    )


def test_a_failure_already_classified_is_not_read_again():
    """The pipeline reads an error once and hands the typed failure on; the hint follows it."""
    from viscoder_magic.failures import NoModule

    hint = grounded_hint("KeyError", "'Revenue'", NS, FRAMES, failure=NoModule("statsmodels"))
    assert hint.startswith("statsmodels is not installed in this kernel")
