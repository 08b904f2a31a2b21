"""The message readers of the patch rules: the wording only one rule reads, parsed in one place.

``failures.classify`` gives every error its typed reading; a rule that fixes a message no
other rule or hint reads (plotly's list of refused keywords, an enumeration's allowed
values, numpy's reshape sizes) asks one of these readers for the parts it needs instead of
matching ``Failure.message`` itself, so every library wording sits in ``failures`` or here.
Each reader returns the parsed parts, or None (False) when the message is not that one.
Like ``failures``, this module imports nothing of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DID_YOU_MEAN = re.compile(r"[Dd]id you mean[^?]*?\b([A-Za-z_]\w*)\(\)|[Dd]id you mean:? '([A-Za-z_]\w*)'")
_OUT_OF_BOUNDS = re.compile(r"index (\d+) is out of bounds for axis (\d+) with size (\d+)")
#: plotly: ``Invalid value of type 'builtins.str' received for the 'color' property of scatter.marker
#: Received value: 'mid'`` and ``Invalid element(s) received
#: for the 'color' property ... include: ['G1', ...]``
_PLOTLY_VALUE = re.compile(
    r"Invalid value of type '[\w.]+' received for the '(\w*colou?rs?)' property of [\w.]+"
    r"\s+Received value: (.+)"
)
_PLOTLY_ELEMENTS = re.compile(
    r"Invalid element\(s\) received for the '(\w*colou?rs?)' property of [\w.]+"
    r"\s+Invalid elements include: (\[.*?\])"
)
#: matplotlib: ``Invalid RGBA argument: 'Frogs'`` / ``'Frogs' is not a valid color value.``
_MPL_VALUE = re.compile(r"Invalid RGBA argument: (.+)$|^(.+) is not a valid color value", re.M)
_CHOICES = (
    re.compile(
        r"'(?P<got>[^']*)' is not a valid value for \w+\.(?: Supported values are (?P<list>.*)"
        r"| Did you mean: '(?P<mean>[^']*)'\?)?"
    ),
    re.compile(r"must be one of \[(?P<list>[^\]]*)\], but '(?P<got>[^']*)' was passed"),
    re.compile(
        r"Received value: '(?P<got>[^']*)'\s+The '\w+' property is an enumeration that may be specified as:"
        r"\s+- One of the following enumeration values:\s+\[(?P<list>[^\]]*)\]"
    ),  # plotly
)
_QUOTED = re.compile(r"'([^']*)'")
_NO_DATA = re.compile(
    r"Could not interpret value `[^`]+` for `?\w+`?\. Value is a string, but `data` was not passed"
)
_NAME_FOR_ARRAY = re.compile(
    r"Invalid value of type 'builtins\.str' received for the '(\w+)' property of (\w+)\s+"
    r"Received value: '([^']*)'"
)
_RESHAPE = re.compile(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)")
_IMAGE_SHAPE = re.compile(r"Invalid shape \((\d+),\) for image data")
_CHANNELS_FIRST = re.compile(r"Invalid shape \(([34]), (\d+), (\d+)\) for image data")
#: "Bad property path: k", or (``plot_bgcolor_gradient``: a path through a property that has no parts)
#: "Property does not support subscripting: k"
_BAD_PLOTLY_PATH = re.compile(
    r"(?:Bad property path|Property does not support subscripting):\s*\n\s*(\w+)\s*\n"
)
_PLOTLY_BAD_VALUE = re.compile(r"Invalid value of type '[\w.]+' received for the '(\w+)' property of")
_PLOTLY_BAD_KWARGS = re.compile(r"got unexpected keyword argument\(s\): \[(.*?)\]")
_OPTIONAL = re.compile(r"'(\w+)' must be None or ")
_MULTIPLE = re.compile(r"got multiple values for argument '(\w+)'")
_EITHER = re.compile(r"Either (\w+) or (\w+) must be None")
_SOLE_NAME = re.compile(r"'(\w+)'")
_OUT_OF_RANGE = re.compile(r"(Row|Column) value is out of range. Note: the starting cell is \(1, 1\)")
_BAD_CELL = re.compile(r"Invalid property specified for object of type [\w.]+: '(row|col|secondary_y)'")
_FIGURE_AS_TRACE = re.compile(r"Invalid elements include: \[Figure\(")
_UNDEFINED = re.compile(r"names used but never defined or imported: ([\w, ]+)")
_UNKNOWN_STYLE = re.compile(r"Unknown style: '([^']*)'")
_UNFINISHED = re.compile(r"was never closed|unexpected EOF|unterminated (?:string|triple-quoted)")
_ERROR_LINE = re.compile(r"SyntaxError on line (\d+)")
_FIRST_DIMENSION = re.compile(
    r"x and y must have same first dimension, but have shapes \(1,\) and \((\d+),\)"
)
_SCALAR_Y = re.compile(r"x and y must have same first dimension, but have shapes \((\d+),\) and \(1,\)")
_NEGATIVE_SIZES = re.compile(
    r"Invalid element\(s\) received for the 'size' property of [\w.]+\s+"
    r"Invalid elements include: \[-"
)
_HELD_ONCE = re.compile(
    r"valid value for (color|linewidth|alpha)|not 'Series'|not 'ndarray'|not 'list'|size-1 arrays"
)


@dataclass(frozen=True)
class OutOfBounds:
    """``index 2 is out of bounds for axis 1 with size 2``."""

    index: int
    axis: int
    size: int


@dataclass(frozen=True)
class Choice:
    """A value outside the ones a library lists: ``got``, and the listed (or suggested) ``choices``."""

    got: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class NameForArray:
    """plotly's refusal of a string where a trace property (``x`` of ``histogram``) wants values."""

    prop: str
    trace_type: str
    value: str


@dataclass(frozen=True)
class Reshape:
    """``cannot reshape array of size 16 into shape (2,2)``: the size and the shape asked for."""

    size: int
    shape: tuple[int, ...]


@dataclass(frozen=True)
class ChannelsFirst:
    """``Invalid shape (3, 8, 8) for image data``: colour planes first, where matplotlib wants them last."""

    channels: int
    height: int
    width: int


def suggested_name(message: str) -> str | None:
    """The name a library suggests: "Did you mean ... set_label_text()?" or "Did you mean: 'x'"."""
    match = _DID_YOU_MEAN.search(message)
    return (match.group(1) or match.group(2)) if match else None


def out_of_bounds(message: str) -> OutOfBounds | None:
    """numpy's index past an axis's end."""
    match = _OUT_OF_BOUNDS.search(message)
    return OutOfBounds(*map(int, match.groups())) if match else None


def plotly_refused_colour(message: str) -> str | None:
    """The value (as printed) plotly refused for a colour property."""
    match = _PLOTLY_VALUE.search(message)
    return match.group(2) if match else None


def plotly_refused_colours(message: str) -> str | None:
    """The list (as printed, ``['G1', ...]``) of elements plotly refused for a colour property."""
    match = _PLOTLY_ELEMENTS.search(message)
    return match.group(2) if match else None


def matplotlib_refused_colour(message: str) -> str | None:
    """The value (as printed) matplotlib says is not a colour."""
    match = _MPL_VALUE.search(message)
    return next(g for g in match.groups() if g) if match else None


def listed_choices(message: str) -> Choice | None:
    """A setting outside the values listed (matplotlib, seaborn, plotly's enumeration)."""
    match = next((m for pattern in _CHOICES if (m := pattern.search(message))), None)
    if not match:
        return None
    listed = match.groupdict().get("list") or ""
    choices = _QUOTED.findall(listed) or [c for c in [match.groupdict().get("mean")] if c]
    return Choice(match.group("got"), tuple(choices))


def data_not_passed(message: str) -> bool:
    """seaborn given column names without the frame they belong to."""
    return bool(_NO_DATA.search(message))


def name_for_array(message: str) -> NameForArray | None:
    """plotly given a string (a column's name) where a trace wants data."""
    match = _NAME_FOR_ARRAY.search(message)
    return NameForArray(*match.groups()) if match else None


def refused_reshape(message: str) -> Reshape | None:
    """numpy's reshape to a shape the data's size does not fill exactly."""
    match = _RESHAPE.search(message)
    if not match:
        return None
    shape = tuple(int(d) for d in match.group(2).replace(" ", "").split(",") if d)
    return Reshape(int(match.group(1)), shape)


def flat_image_size(message: str) -> int | None:
    """The length of 1-D data given as an image (``Invalid shape (64,) for image data``)."""
    match = _IMAGE_SHAPE.search(message)
    return int(match.group(1)) if match else None


def channels_first(message: str) -> ChannelsFirst | None:
    """An image whose 3 or 4 colour planes come first."""
    match = _CHANNELS_FIRST.search(message)
    return ChannelsFirst(*map(int, match.groups())) if match else None


def plotly_refused_keywords(message: str) -> list[str] | None:
    """The keywords plotly lists as unexpected (``[...]`` may be empty); None when it lists none."""
    match = _PLOTLY_BAD_KWARGS.search(message)
    return re.findall(r"'(\w+)'", match.group(1)) if match else None


def plotly_bad_path(message: str) -> str | None:
    """The property path plotly could not follow (``Bad property path``)."""
    match = _BAD_PLOTLY_PATH.search(message)
    return match.group(1) if match else None


def plotly_refused_property(message: str) -> str | None:
    """The property whose value plotly's validator refused (any property, not only colours)."""
    match = _PLOTLY_BAD_VALUE.search(message)
    return match.group(1) if match else None


def optional_setting(message: str) -> str | None:
    """The keyword matplotlib says ``must be None or`` something else."""
    match = _OPTIONAL.search(message)
    return match.group(1) if match else None


def repeated_argument(message: str) -> str | None:
    """The parameter given both by position and by keyword (``got multiple values for argument``)."""
    match = _MULTIPLE.search(message)
    return match.group(1) if match else None


def either_none(message: str) -> tuple[str, str] | None:
    """The two settings of which one must be None (``Either norm or cmap must be None``)."""
    match = _EITHER.search(message)
    return (match.group(1), match.group(2)) if match else None


def sole_missing(missing: str) -> str | None:
    """The one name of a missing-argument list (``MissingArgument.missing``), else None."""
    match = _SOLE_NAME.fullmatch(missing.strip())
    return match.group(1) if match else None


def cell_out_of_range(message: str) -> bool:
    """plotly's subplot row or column outside the grid (it counts from 1)."""
    return bool(_OUT_OF_RANGE.search(message))


def cell_as_property(message: str) -> bool:
    """plotly given ``row``, ``col`` or ``secondary_y`` as a trace's property."""
    return bool(_BAD_CELL.search(message))


def figure_as_trace(message: str) -> bool:
    """plotly given a Figure where a trace goes."""
    return bool(_FIGURE_AS_TRACE.search(message))


def undefined_names(message: str) -> tuple[str, ...] | None:
    """The names the pre-check found used but never made (the tuple may be empty)."""
    match = _UNDEFINED.search(message)
    return tuple(n.strip() for n in match.group(1).split(",") if n.strip()) if match else None


def unknown_patch_style(message: str) -> str | None:
    """The name matplotlib's patch-style families refused, as printed (boxstyle's adds its settings)."""
    match = _UNKNOWN_STYLE.search(message)
    return match.group(1) if match else None


def unfinished_source(message: str) -> bool:
    """A syntax error that says the program stops mid-statement (an unclosed bracket or string)."""
    return bool(_UNFINISHED.search(message))


def syntax_error_line(message: str) -> int | None:
    """The line a ``SyntaxError on line N`` message names."""
    match = _ERROR_LINE.search(message)
    return int(match.group(1)) if match else None


def scalar_x_length(message: str) -> int | None:
    """``shapes (1,) and (N,)``: one x value against N y values; N."""
    match = _FIRST_DIMENSION.search(message)
    return int(match.group(1)) if match else None


def scalar_y_length(message: str) -> int | None:
    """``shapes (N,) and (1,)``: N x values against one y value; N."""
    match = _SCALAR_Y.search(message)
    return int(match.group(1)) if match else None


def negative_sizes(message: str) -> bool:
    """plotly refused marker sizes, the first listed negative."""
    return bool(_NEGATIVE_SIZES.search(message))


def setting_held_once(message: str) -> bool:
    """A per-point column given to a setting a line holds once (colour, width, alpha)."""
    return bool(_HELD_ONCE.search(message))
