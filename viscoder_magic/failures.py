"""One failure classifier: an error message read once into a typed failure.

The repair hints (``repair``, ``hints_tables``) and the patch rules (``patches/``) act on
the same errors; each dispatches on the type ``classify`` returns instead of matching the
message again, so the wording the hints read, and any wording more than one rule reads
(matplotlib, seaborn, plotly, pandas), is matched here alone. A message is given the first
reading that fits, in the order the repair hints have always tried them; a message no
reading fits is ``Unclassified``. The wording only one patch rule reads (plotly's list of
refused keywords, an enumeration's allowed values) is parsed in ``failure_readers``, the
readers' one home, which the rule calls on ``Failure.message``; so every library wording
sits in these two modules. This module imports nothing of the project: the hints, the
rules and the pipeline all sit above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: "'numpy.ndarray' object has no attribute 'set_title'",
#: "module 'matplotlib.pyplot' has no attribute 'yaxis'"
_NO_ATTR = re.compile(r"(?:module )?'([\w.]+)' (?:object )?has no attribute '(\w+)'")
_BAD_KWARG = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")
# "hist() missing 1 required positional argument: 'x'": the message names the function, not its owner
_MISSING_ARG = re.compile(r"(\w+)\(\) missing (\d+) required (positional |keyword-only )?arguments?: (.+)")
# "Line2D.set() got an unexpected keyword argument 'k'", or (Text, via xlabel)
# "'Text' object has no property 'k'"
_BAD_PROPERTY = re.compile(
    r"'?(\w+)'?(?:\.set\(\) got an unexpected keyword argument| object has no property) '(\w+)'"
)
# matplotlib's rc KeyError: "'xticklabels.size' is not a valid value for rcParam. Did you mean one of: ..."
_BAD_RC = re.compile(r"'([^']+)' is not a valid value for rcParam")
# Plotly Express given a value that names no column; the value is the rest of its line (for
# 'index' plotly adds a line of advice after it).
_PLOTLY_NO_COLUMN = re.compile(
    r"Value of '\w+' is not the name of a column in 'data_frame'\..*?but received: ([^\n]*)", re.S
)
# seaborn's words for a missing column:
# "Could not interpret value `Loss` for `y`. An entry with this name ..."
_SEABORN_NO_ENTRY = re.compile(r"Could not interpret value `([^`]+)` for `?\w+`?\. An entry with this name")
_STYLE = re.compile(r"'([^']+)' (?:is )?not (?:found in the style library|a valid package style)")
#: An ImportError of a real module that lacks the name.
_CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")
#: Text labels given where matplotlib wants colours.
_LABEL_COLOURS = re.compile(
    r"argument must be a (?:valid )?colou?r|kwarg must be a colou?r|Invalid RGBA argument"
    r"|is not a valid value for colou?r"
)
#: The Series a colour error prints: "Name: region, dtype: object".
_SERIES_NAME = re.compile(r"Name: (.+?), dtype: (\w+)")
#: 1-D data where a heatmap or image needs rows and columns.
_ONE_D = re.compile(
    r"Invalid shape \((\d+),\) for image data|got \((\d+), 1\) and \(\d+,\)|Must pass 2-d input"
    r"|only accepts 2D .*? shape \((\d+),\)",
    re.S,
)
#: ``check.column_hint``'s words: the pre-check found a column the data lacks.
_UNKNOWN_COLUMN = re.compile(r"has no column '([^']+)'")
#: The key(s) a pandas KeyError lists, several in one message.
_LISTED_KEYS = re.compile(
    r"labels are not columns of the DataFrame: \[(.*)\]|None of \[Index\(\[(.*?)\]|^\[(.*)\] not in index"
)


class Failure:
    """A failure read from its error message; the subclasses say which, with what the message names."""


@dataclass(frozen=True)
class NoAttribute(Failure):
    """``'Axes' object has no attribute 'xlabel'``; ``of_module``: the owner is a module (``plt.yaxis``)."""

    owner: str
    attribute: str
    of_module: bool = False


@dataclass(frozen=True)
class BadKeyword(Failure):
    """``scatter() got an unexpected keyword argument 'colour'``: ``callee`` as the message names it."""

    callee: str
    keyword: str


@dataclass(frozen=True)
class BadProperty(Failure):
    """A keyword passed on to the artists a call draws, which lack that property.

    ``Line2D.set() got an unexpected keyword argument 'k'`` (``callee`` ``Line2D.set``, as a
    bad keyword's message names it) or ``'Text' object has no property 'k'`` (``callee`` '').
    """

    artist: str
    keyword: str
    callee: str = ""


@dataclass(frozen=True)
class MissingArgument(Failure):
    """``hist() missing 1 required positional argument: 'x'``; ``missing`` is the message's list of names."""

    function: str
    count: int
    positional: bool
    missing: str


@dataclass(frozen=True)
class NoColumn(Failure):
    """A column the data lacks: a pandas ``KeyError``, Plotly Express's or seaborn's words for it.

    ``names``: the column names the message gives (a pandas message may list several);
    ``key``: the name as one string, as printed (a ``KeyError``'s message without its
    quotes, plotly's or seaborn's value unstripped); ``source``: ``pandas``, ``plotly`` or
    ``seaborn``. ``also``: what the rest of plotly's message reads as (it lists every
    column, whose names may read as a shape or style failure), for a hint that finds
    nothing about the column.
    """

    names: tuple[str, ...]
    key: str
    source: str = "pandas"
    also: Failure | None = None


@dataclass(frozen=True)
class BadRcKey(Failure):
    """``'xticklabels.size' is not a valid value for rcParam``, with matplotlib's own guesses."""

    key: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnknownStyle(Failure):
    """``'seaborn-whitegrid' not found in the style library`` (or seaborn's "not a valid package style")."""

    name: str


@dataclass(frozen=True)
class CannotImport(Failure):
    """``cannot import name 'go' from 'plotly.graph_objects'``."""

    name: str
    module: str


@dataclass(frozen=True)
class NoModule(Failure):
    """``No module named 'statsmodels'``: a package this kernel does not have."""

    module: str


@dataclass(frozen=True)
class LabelsAsColours(Failure):
    """Text labels given as colours; ``series``: the column a printed Series names, if the message prints one.

    ``also``: what the rest of the message reads as, for a hint that finds no labels.
    """

    series: str | None = None
    also: Failure | None = None


@dataclass(frozen=True)
class OneDimensional(Failure):
    """1-D data given to a heatmap or image; ``size``: its length, when the message says it."""

    size: int | None = None


@dataclass(frozen=True)
class UnsupportedOperation(Failure):
    """``datetime64 type does not support operation 'sum'``: dates or text aggregated as numbers."""


@dataclass(frozen=True)
class TextOnNumericAxis(Failure):
    """matplotlib's ``ConversionError``: text values where an axis needs numbers."""


@dataclass(frozen=True)
class LengthMismatch(Failure):
    """A ``ValueError`` about shapes, dimensions or lengths of the arrays given together."""


@dataclass(frozen=True)
class NotImageData(Failure):
    """A ``TypeError`` "... for image data": an image given what is not a 2-D grid."""


@dataclass(frozen=True)
class NothingDrawn(Failure):
    """The program ran but drew nothing (``NoFigure``) or left its figure empty (``EmptyFigure``)."""


@dataclass(frozen=True)
class Blocked(Failure):
    """The guard refused an action (files, processes, network)."""


@dataclass(frozen=True)
class TimedOut(Failure):
    """The program ran past its time limit."""


@dataclass(frozen=True)
class PrecheckColumn(Failure):
    """A pre-check finding (``PrecheckError``) of a column the data lacks, before anything ran."""

    name: str


@dataclass(frozen=True)
class Unclassified(Failure):
    """An error no reading above fits: its type and message, as raised."""

    exc_type: str
    message: str


def missing_keys(message: str) -> list[str]:
    """The key(s) a KeyError names; pandas lists several in one message."""
    bare = message.strip("'\"")
    listed = _LISTED_KEYS.search(bare)
    return re.findall(r"'([^']*)'", next(filter(None, listed.groups()))) if listed else [bare]


def _key_error(message: str) -> Failure:
    if rc := _BAD_RC.search(message):
        suggestions = re.findall(r"'([^']+)'", message.partition("Did you mean one of:")[2])
        return BadRcKey(rc.group(1), tuple(suggestions))
    return NoColumn(tuple(missing_keys(message)), message.strip("'\""))


def _loose_value_error(message: str) -> Failure | None:
    """A ``ValueError``'s reading from its words alone: a style name, else shapes and lengths.

    A message that mentions a style without naming one reads as nothing (not as a shape).
    """
    if "style" in message:
        return UnknownStyle(style.group(1)) if (style := _STYLE.search(message)) else None
    if "shape" in message or "dimension" in message or "length" in message:
        return LengthMismatch()
    return None


def _value_error(message: str) -> Failure | None:
    if plotly := _PLOTLY_NO_COLUMN.search(message):
        named = plotly.group(1)
        return NoColumn((named.strip(),), named, "plotly", _loose_value_error(message))
    if seaborn := _SEABORN_NO_ENTRY.search(message):
        named = seaborn.group(1)
        return NoColumn((named.strip(),), named, "seaborn")
    if _LABEL_COLOURS.search(message):
        series = _SERIES_NAME.search(message)
        return LabelsAsColours(series.group(1) if series else None, _loose_value_error(message))
    return _one_dimensional(message) or _loose_value_error(message)


def _one_dimensional(message: str) -> Failure | None:
    if shape := _ONE_D.search(message):
        return OneDimensional(next((int(g) for g in shape.groups() if g), None))
    return None


def _property(message: str) -> Failure | None:
    """A keyword the artists a call draws do not take (``TypeError`` or ``AttributeError``)."""
    if prop := _BAD_PROPERTY.search(message):
        kwarg = _BAD_KWARG.search(message)
        return BadProperty(prop.group(1), prop.group(2), kwarg.group(1) if kwarg else "")
    return None


def _keyword(message: str) -> Failure | None:
    kwarg = _BAD_KWARG.search(message)
    return BadKeyword(kwarg.group(1), kwarg.group(2)) if kwarg else None


def _type_error(message: str) -> Failure | None:
    if found := _one_dimensional(message) or _property(message):
        return found
    if "does not support operation" in message:
        return UnsupportedOperation()
    if found := _keyword(message):
        return found
    if "for image data" in message:
        return NotImageData()
    if missing := _MISSING_ARG.search(message):
        function, count, kind, names = missing.groups()
        return MissingArgument(function, int(count), kind == "positional ", names)
    return None


def _attribute_error(message: str) -> Failure | None:
    if missing := _NO_ATTR.search(message):
        return NoAttribute(missing.group(1), missing.group(2), message.startswith("module "))
    return _property(message) or _keyword(message)


def _import_error(message: str) -> Failure | None:
    wrong = _CANNOT_IMPORT.search(message)
    return CannotImport(*wrong.groups()) if wrong else None


def _style_error(message: str) -> Failure | None:
    style = _STYLE.search(message) if "style" in message else None
    return UnknownStyle(style.group(1)) if style else None


def precheck_column(message: str) -> str | None:
    """The column a message says the data lacks in the pre-check's words (``df has no column 'x'``).

    ``classify`` reads a ``PrecheckError`` so; ``patches.columns`` also reads these words in
    a run's message, whatever its type (a program may raise them itself).
    """
    unknown = _UNKNOWN_COLUMN.search(message)
    return unknown.group(1) if unknown else None


def _precheck(message: str) -> Failure | None:
    name = precheck_column(message)
    return PrecheckColumn(name) if name is not None else None


def _no_module(message: str) -> Failure | None:
    missing = _NO_MODULE.search(message)
    return NoModule(missing.group(1)) if missing else None


#: Each error type's reader: the typed failure its message gives, or None.
_READERS = {
    "KeyError": _key_error,
    "ValueError": _value_error,
    "TypeError": _type_error,
    "AttributeError": _attribute_error,
    "IndexError": _one_dimensional,
    "ImportError": _import_error,
    "OSError": _style_error,
    "ModuleNotFoundError": _no_module,
    "PrecheckError": _precheck,
    "ConversionError": lambda _: TextOnNumericAxis(),
    "NoFigure": lambda _: NothingDrawn(),
    "EmptyFigure": lambda _: NothingDrawn(),
    "BlockedAction": lambda _: Blocked(),
    "ExecutionTimeout": lambda _: TimedOut(),
}


def classify(error_type: str | None, message: str) -> Failure:
    """The typed failure an error's type and message read as; ``Unclassified`` when none fits."""
    reader = _READERS.get(error_type or "")
    return (reader(message) if reader else None) or Unclassified(error_type or "", message)
