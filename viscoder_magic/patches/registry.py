"""Every patch rule, in the order tried, and the stage of a failure each one reads.

A failure belongs to exactly one stage: a program that does not parse (``syntax``), a
pre-check finding of a column the data lacks (``precheck-column``, read as the
``KeyError`` that running the program would raise), any other pre-check finding
(``precheck``: nothing ran, so no live objects), or an error raised by the run
(``run``). Within a stage the first rule that returns a patch wins; a run rule's patch
must change the program. Where two rules can both patch one failure, the comment on the
earlier one says why it goes first; "order free" marks a rule for which no test case (and
no common slip tried by hand) is patched by another rule of its stage as well.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..failures import Failure as Classified
from ..failures import PrecheckColumn, classify
from . import (
    attributes,
    axes_grid,
    colours,
    columns,
    images,
    imports,
    keywords,
    long_columns,
    long_form,
    pandas_arrays,
    panels,
    precheck,
    styling,
    syntax,
    three_d,
    values,
)
from .edit import Failure, Patch

SYNTAX, PRECHECK_COLUMN, PRECHECK, RUN = "syntax", "precheck-column", "precheck", "run"


@dataclass(frozen=True)
class Rule:
    """One rule: the stage whose failures it reads, and the function that returns its patch or None."""

    stage: str
    fix: Callable[[Failure], Patch | None]

    @property
    def name(self) -> str:
        return self.fix.__name__


RULES: tuple[Rule, ...] = (
    Rule(SYNTAX, syntax.unparsable),  # the only syntax rule
    # an index's name read as a column: the index, before closest_column renames to a near column
    Rule(PRECHECK_COLUMN, columns.index_for_column),
    Rule(
        PRECHECK_COLUMN, columns.closest_column
    ),  # before absent_style_column: a slip is renamed, not dropped
    Rule(PRECHECK_COLUMN, columns.absent_style_column),
    # a message may hold both findings: removing a refused
    # call first may remove the only use of an undefined name
    Rule(PRECHECK, precheck.dropped_side_effects),
    Rule(PRECHECK, precheck.undefined_names),
    # plotly's "Invalid property ...: 'row'" also reads as a bad
    # keyword: moved to add_trace before drop_keyword drops it
    Rule(RUN, panels.trace_cells),
    Rule(RUN, panels.figure_as_trace),  # order free
    # subplots(projection='3d') is an unexpected keyword too:
    # moved into subplot_kw before drop_keyword drops it
    Rule(RUN, three_d.projection_of_subplots),
    # a plotly colour naming a column is a bad 'color' value
    # too: the column is used before drop_keyword drops it
    Rule(RUN, colours.colour_from_data),
    Rule(RUN, styling.unknown_rc_key),  # order free
    Rule(RUN, columns.closest_choice),  # order free
    Rule(
        RUN, keywords.drop_keyword
    ),  # after trace_cells, projection_of_subplots, colour_from_data (see there)
    Rule(RUN, keywords.repeated_keyword),  # order free
    # the Axes has the attribute: reached through gca() before missing_styling_call removes the statement
    Rule(RUN, attributes.axes_from_pyplot),
    # ax.set_zlim on a 2-D Axes: made 3-D before misspelt_attribute
    # takes set_ylim or missing_styling_call removes it
    Rule(RUN, three_d.three_d_axes),
    # ax.xlabel: the setter (set_xlabel), before misspelt_attribute
    # takes a near name or missing_styling_call removes it
    Rule(RUN, attributes.axes_method),
    Rule(RUN, axes_grid.single_axes),  # order free
    # a function of a module the program imported (plt.get_cmap)
    # before elsewhere_in_the_library adds an import
    Rule(RUN, attributes.sibling_module),
    Rule(RUN, attributes.pandas_to_numpy),  # order free
    Rule(RUN, pandas_arrays.unique_then_sorted),  # order free
    Rule(RUN, styling.closest_style),  # order free
    Rule(RUN, styling.closest_marker),  # order free
    Rule(RUN, columns.index_for_column),  # before closest_column, as in the pre-check stage
    # set_index('month') on a frame indexed by month: dropped, before the column rules read 'month'
    Rule(RUN, pandas_arrays.index_set_again),
    # x='quarter', y='value' names the melted frame's columns: before index_as_data_column
    Rule(RUN, long_columns.long_columns),
    Rule(RUN, columns.index_as_data_column),  # before closest_column: an index name is not a slip
    Rule(RUN, columns.closest_column),  # before absent_style_column: a slip is renamed, not dropped
    Rule(RUN, columns.absent_style_column),
    Rule(RUN, attributes.suggested_name),  # order free
    # found elsewhere in the library: before missing_styling_call removes the call
    Rule(RUN, attributes.elsewhere_in_the_library),
    Rule(RUN, long_form.long_form),  # order free
    Rule(RUN, long_form.columns_on_both_axes),  # order free
    Rule(RUN, long_form.lines_per_category),  # order free
    Rule(RUN, long_form.lines_per_level),  # order free
    Rule(RUN, panels.plotly_panels),  # order free
    Rule(RUN, panels.one_based_cells),  # order free
    Rule(RUN, axes_grid.flat_loop),  # order free
    Rule(RUN, axes_grid.row_indexed_by_two),  # order free
    Rule(RUN, axes_grid.grown_grid),  # order free
    Rule(RUN, images.stacked_reshape),  # order free
    # a table that fills an x-y grid is pivoted (real coordinates,
    # gaps kept) before scattered_contour triangulates
    Rule(RUN, images.gridded_column),
    Rule(RUN, images.image_of_a_vector),  # order free
    Rule(RUN, images.channels_first_image),  # order free
    Rule(RUN, images.text_bins),  # order free
    Rule(RUN, images.scattered_contour),
    # a near name on the live object: before missing_styling_call removes the statement
    Rule(RUN, attributes.misspelt_attribute),
    Rule(RUN, imports.wrong_import),  # order free
    Rule(RUN, colours.unmapped_colorbar),  # order free
    Rule(RUN, values.scalar_x),  # order free
    Rule(RUN, values.scalar_y),  # order free
    Rule(RUN, columns.column_names_as_data),  # order free
    Rule(RUN, panels.grid_for_cells),  # order free
    Rule(
        RUN, columns.numbered_columns
    ),  # order free: positional_columns leaves a number that is a column's text to it
    Rule(RUN, columns.positional_columns),
    Rule(RUN, panels.traces_assigned),  # order free
    # fig.set_title: the Figure's suptitle, before missing_styling_call removes the statement
    Rule(RUN, attributes.figure_text),
    # after every rule that finds the styling call a real home (see above): removing it is the last resort
    Rule(RUN, styling.missing_styling_call),
    Rule(RUN, styling.unknown_patch_style),  # order free
    Rule(RUN, values.negative_sizes),  # order free
    Rule(RUN, keywords.malformed_optional),  # order free
    Rule(RUN, keywords.positional_collision),  # order free
    Rule(RUN, keywords.conflicting_keywords),  # order free
    Rule(RUN, images.image_of_a_labelled_table),  # order free
    Rule(RUN, values.per_point_line_settings),  # order free
    Rule(RUN, values.reference_lines_at_many),  # order free
    Rule(RUN, values.one_item_per_row),  # order free
    Rule(RUN, columns.seaborn_without_data),  # order free
    Rule(RUN, keywords.data_given_as_a_stray_keyword),  # order free
)


def stage_of(
    code: str,
    error_type: str,
    message: str,
    line: int | None,
    namespace: Mapping[str, Any],
    frames: Mapping[str, Any],
    earlier: Sequence[str] = (),
    error: Classified | None = None,
) -> tuple[str, Failure] | None:
    """The stage a failure belongs to and the ``Failure`` its rules read; None when no stage takes it.

    ``error``: the error already classified (``failures.classify``), else it is classified here.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        if error_type not in ("SyntaxError", "PrecheckError"):
            return None
        empty = ast.Module(body=[], type_ignores=[])
        return SYNTAX, Failure(code, empty, error_type, message, line, namespace, frames, earlier, error)
    error = error or classify(error_type, message)
    if error_type == "PrecheckError":  # nothing ran: only the pre-check's own findings can be patched
        if isinstance(error, PrecheckColumn):
            key = repr(error.name)  # read as the KeyError running the program would raise
            return PRECHECK_COLUMN, Failure(code, tree, "KeyError", key, line, namespace, frames, earlier)
        return PRECHECK, Failure(code, tree, error_type, message, line, namespace, frames, earlier, error)
    return RUN, Failure(code, tree, error_type, message, line, namespace, frames, earlier, error)


def first_patch(stage: str, failure: Failure) -> Patch | None:
    """The patch of the first rule of ``stage`` that has one (a run rule's must change the program)."""
    for rule in RULES:
        if rule.stage != stage:
            continue
        fix = rule.fix(failure)
        if fix is not None and (stage != RUN or fix.code != failure.code):
            return _imports_noted(failure.code, fix)
    return None


def _imported(code: str) -> dict[str, set[str]]:
    """The names the program's one-line imports bind, by module (read line by line: a syntax rule's program
    does not parse)."""
    bound: dict[str, set[str]] = {}
    for line in code.splitlines():
        if not line.lstrip().startswith(("import ", "from ")):
            continue
        try:
            statement = ast.parse(line.strip()).body[0]
        except SyntaxError:
            continue
        for alias in getattr(statement, "names", []):
            module = getattr(statement, "module", None) or alias.name
            bound.setdefault(module, set()).add(alias.asname or alias.name.partition(".")[0])
    return bound


def _imports_noted(code: str, fix: Patch) -> Patch:
    """``fix`` with its note naming the imports its edit left unused and removed (see ``edit.replaced``).

    A module whose import also gained a name was rewritten by the rule itself (a name's
    nearest spelling), which its note already says.
    """
    before, after = _imported(code), _imported(fix.code)
    still = set().union(*after.values())
    gone = sorted(
        name
        for module, names in before.items()
        if not after.get(module, set()) - names
        for name in names - after.get(module, set()) - still
    )
    return (
        Patch(fix.code, f"{fix.note}; removed the import of {', '.join(gone)}, no longer used")
        if gone
        else fix
    )
