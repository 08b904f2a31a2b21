"""The registry: the order rules are tried in is pinned, and
every rule has a case that fires it and one it declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from viscoder_magic.patches import MAX_PATCHES, Patch, patched, registry

from .conftest import COVERAGE_TEST, OUTCOMES, OUTPUTS, TRACES_TEST
from .patching import traces

#: Every rule in the order tried, by stage (changing the order changes which patch a failure gets).
ORDER = [
    ("syntax", "unparsable"),
    ("precheck-column", "index_for_column"),
    ("precheck-column", "closest_column"),
    ("precheck-column", "absent_style_column"),
    ("precheck", "dropped_side_effects"),
    ("precheck", "undefined_names"),
    *(
        ("run", name)
        for name in """
        trace_cells figure_as_trace projection_of_subplots colour_from_data unknown_rc_key closest_choice
        drop_keyword repeated_keyword axes_from_pyplot three_d_axes axes_method single_axes sibling_module
        pandas_to_numpy unique_then_sorted closest_style closest_marker index_for_column index_set_again
        long_columns index_as_data_column
        closest_column absent_style_column
        suggested_name
        elsewhere_in_the_library long_form columns_on_both_axes lines_per_category lines_per_level
        plotly_panels
        one_based_cells flat_loop row_indexed_by_two grown_grid stacked_reshape gridded_column
        image_of_a_vector channels_first_image text_bins scattered_contour misspelt_attribute wrong_import
        unmapped_colorbar
        scalar_x scalar_y column_names_as_data grid_for_cells numbered_columns positional_columns
        traces_assigned figure_text missing_styling_call unknown_patch_style negative_sizes malformed_optional
        positional_collision conflicting_keywords image_of_a_labelled_table per_point_line_settings
        reference_lines_at_many one_item_per_row seaborn_without_data data_given_as_a_stray_keyword
    """.split()
    ),
]


def test_the_registry_order_is_pinned():
    assert [(rule.stage, rule.name) for rule in registry.RULES] == ORDER


def test_the_package_offers_the_patch_step():
    assert MAX_PATCHES == 5 and Patch("x = 1\n", "note").code == "x = 1\n"
    assert (
        patched("x = 1\n", None, "", None, {}, {}) is None
    )  # a program that did not fail has nothing to patch
    assert patched("plt.plot(", "NameError", "x", 1, {}, {}) is None  # unparsable, and not a syntax finding


def _skip_without_every_table(request: pytest.FixtureRequest) -> None:
    """Skip a test that reads what the tables recorded unless every table of this folder ran."""
    tables = {p.stem for p in Path(__file__).parent.glob("test_*.py")} - {Path(__file__).stem}
    ran = {item.module.__name__.rpartition(".")[2] for item in request.session.items}
    if not tables <= ran:
        pytest.skip(
            f"run with every table of {Path(__file__).parent.name}/ (missing: {sorted(tables - ran)})"
        )


def test_no_patch_of_the_tables_leaves_a_trace_of_its_edit(request: pytest.FixtureRequest):
    """Every patch the tables produced reads as if written by hand: no "# removed" comment, no placeholder.

    The patches are recorded while the tables run (conftest.py); the user keeps them.
    """
    _skip_without_every_table(request)
    assert request.session.items[-2].name == TRACES_TEST
    assert len(OUTPUTS) > 50, "the tables' patches were not recorded"
    left = {(rule, after): found for rule, before, after in OUTPUTS if (found := traces(before, after))}
    assert not left, "\n\n".join(f"{rule}: {found}\n{after}" for (rule, after), found in left.items())


def test_every_rule_fires_in_a_case_and_declines_one_of_its_error_type(request: pytest.FixtureRequest):
    """Each rule patches at least one case of the tables, and
    declines at least one case of an error type it patches.

    The tables are this folder's test modules; the outcomes are recorded while they run (conftest.py).
    """
    _skip_without_every_table(request)
    assert request.session.items[-1].name == COVERAGE_TEST
    never_fired = [key for key in ORDER if not OUTCOMES.get(key, {}).get("fired")]
    never_declined = [
        key
        for key in ORDER
        if not OUTCOMES.get(key, {}).get("fired", set()) & OUTCOMES.get(key, {}).get("declined", set())
    ]
    assert not never_fired, f"rules no case fires: {never_fired}"
    assert not never_declined, f"rules with no case of their error type that they decline: {never_declined}"
