"""The classifier: each library's wording of an error
read into its typed failure, and the rest left unread."""

from __future__ import annotations

import pytest

from viscoder_magic import failure_readers as fr
from viscoder_magic.failures import (
    BadKeyword,
    BadProperty,
    BadRcKey,
    Blocked,
    CannotImport,
    LabelsAsColours,
    LengthMismatch,
    MissingArgument,
    NoAttribute,
    NoColumn,
    NoModule,
    NothingDrawn,
    NotImageData,
    OneDimensional,
    PrecheckColumn,
    TextOnNumericAxis,
    TimedOut,
    Unclassified,
    UnknownStyle,
    UnsupportedOperation,
    classify,
    missing_keys,
    precheck_column,
)

PLOTLY_MISSING = (
    "Value of 'x' is not the name of a column in 'data_frame'. Expected one of ['region', 'revenue'] "
    "but received: Region"
)
PLOTLY_INDEX = (
    "Value of 'x' is not the name of a column in 'data_frame'. Expected one of ['revenue'] but received: "
    "index\n To use the index, pass it in directly as `df.index`."
)
SEABORN_MISSING = (
    "Could not interpret value `Loss` for `y`. An entry with this name does not appear in `data`."
)
COLOURS_OF_LABELS = (
    "'c' argument must be a color, a sequence of colors, or a sequence of numbers, not 0    north\n"
    "1    south\nName: region, dtype: str"
)
RC = (
    "'xticklabels.size' is not a valid value for rcParam. "
    "Did you mean one of: 'xtick.labelsize', 'ytick.labelsize'?"
)

#: (error type, message as raised) -> the failure it reads as.
CLASSIFIED = [
    ("AttributeError", "'Axes' object has no attribute 'xlabel'", NoAttribute("Axes", "xlabel")),
    (
        "AttributeError",
        "module 'matplotlib.pyplot' has no attribute 'yaxis'",
        NoAttribute("matplotlib.pyplot", "yaxis", of_module=True),
    ),
    (
        "AttributeError",
        "'numpy.ndarray' object has no attribute 'set_title'",
        NoAttribute("numpy.ndarray", "set_title"),
    ),
    (
        "TypeError",
        "Axes.bar() got an unexpected keyword argument 'colour'",
        BadKeyword("Axes.bar", "colour"),
    ),
    ("TypeError", "scatter() got an unexpected keyword argument 'size'", BadKeyword("scatter", "size")),
    (
        "AttributeError",
        "Line2D.set() got an unexpected keyword argument 'colour'",
        BadProperty("Line2D", "colour", "Line2D.set"),
    ),
    ("TypeError", "'Text' object has no property 'regoin'", BadProperty("Text", "regoin")),
    (
        "TypeError",
        "hist() missing 1 required positional argument: 'x'",
        MissingArgument("hist", 1, True, "'x'"),
    ),
    (
        "TypeError",
        "bar() missing 2 required positional arguments: 'x' and 'height'",
        MissingArgument("bar", 2, True, "'x' and 'height'"),
    ),
    ("KeyError", "'Revenue'", NoColumn(("Revenue",), "Revenue")),
    (
        "KeyError",
        "\"None of [Index(['a', 'b'], dtype='object')] are in the [columns]\"",
        NoColumn(("a", "b"), "None of [Index(['a', 'b'], dtype='object')] are in the [columns]"),
    ),
    ("KeyError", "0", NoColumn(("0",), "0")),
    ("ValueError", PLOTLY_MISSING, NoColumn(("Region",), "Region", "plotly")),
    ("ValueError", PLOTLY_INDEX, NoColumn(("index",), "index", "plotly")),
    ("ValueError", SEABORN_MISSING, NoColumn(("Loss",), "Loss", "seaborn")),
    ("KeyError", RC, BadRcKey("xticklabels.size", ("xtick.labelsize", "ytick.labelsize"))),
    (
        "OSError",
        "'seaborn-whitegrid' not found in the style library and input is not a valid URL or path; "
        "see `style.available` for list of available styles",
        UnknownStyle("seaborn-whitegrid"),
    ),
    (
        "ValueError",
        "'whiteg' is not a valid package style, path of style file, URL of style file, or library style "
        "name (library styles are listed in `style.available`)",
        UnknownStyle("whiteg"),
    ),
    (
        "ImportError",
        "cannot import name 'go' from 'plotly.graph_objects' "
        "(/site-packages/plotly/graph_objects/__init__.py)",
        CannotImport("go", "plotly.graph_objects"),
    ),
    ("ModuleNotFoundError", "No module named 'statsmodels'", NoModule("statsmodels")),
    ("ValueError", COLOURS_OF_LABELS, LabelsAsColours("region")),
    ("ValueError", "Invalid RGBA argument: 'north'", LabelsAsColours()),
    ("TypeError", "Invalid shape (4,) for image data", OneDimensional(4)),
    ("ValueError", "Must pass 2-d input. shape=(5,)", OneDimensional()),
    ("TypeError", "datetime64 type does not support operation 'sum'", UnsupportedOperation()),
    ("ConversionError", "Failed to convert value(s) to axis units: array(['a', 'b'])", TextOnNumericAxis()),
    (
        "ValueError",
        "x and y must have same first dimension, but have shapes (3,) and (4,)",
        LengthMismatch(),
    ),
    ("TypeError", "Invalid shape (2, 5, 5) for image data", NotImageData()),
    ("EmptyFigure", "the code created a figure but drew nothing on it.", NothingDrawn()),
    ("NoFigure", "the code ran but drew no figure.", NothingDrawn()),
    ("BlockedAction", "open() of 'sales.csv' is not allowed", Blocked()),
    ("ExecutionTimeout", "the code ran longer than 30 s", TimedOut()),
    ("PrecheckError", "line 2: df has no column 'Luck'.", PrecheckColumn("Luck")),
]

#: Messages no reading fits, or fits only under another error type.
UNREAD = [
    ("NameError", "name 'sns' is not defined"),
    ("ValueError", "Unrecognized marker style 'triangle'"),  # names a style, but not a style sheet
    ("OSError", "[Errno 2] No such file or directory: 'sales.csv'"),
    ("TypeError", "'Text' object is not callable"),
    ("IndexError", "index 3 is out of bounds for axis 0 with size 2"),
    ("RuntimeError", "No mappable was found to use for colorbar creation."),
    ("ValueError", "'Axes' object has no attribute 'xlabel'"),  # the wording of another error type
    ("KeyError", ""),
    ("PrecheckError", "line 3: names used but never defined: fig"),
    (None, "x"),
]


@pytest.mark.parametrize(("error_type", "message", "expected"), CLASSIFIED)
def test_a_message_reads_as_its_failure(error_type: str, message: str, expected: object):
    assert classify(error_type, message) == expected


@pytest.mark.parametrize(("error_type", "message"), UNREAD)
def test_a_message_no_reading_fits_is_unclassified(error_type: str | None, message: str):
    failure = classify(error_type, message)
    if error_type == "KeyError":  # every KeyError names a key, even an empty one
        assert failure == NoColumn(("",), "")
        return
    assert failure == Unclassified(error_type or "", message)


def test_every_failure_type_has_a_row():
    import viscoder_magic.failures as failures

    types = {
        cls
        for cls in vars(failures).values()
        if isinstance(cls, type) and issubclass(cls, failures.Failure) and cls is not failures.Failure
    }
    assert types - {Unclassified} == {type(expected) for _, _, expected in CLASSIFIED}


def test_plotly_and_colour_messages_keep_what_the_rest_of_their_words_read_as():
    """Plotly's message lists every column; a column named ``sepal_length`` reads as a length failure too."""
    listed = PLOTLY_MISSING.replace("'revenue'", "'sepal_length'")
    assert classify("ValueError", listed).also == LengthMismatch()
    assert classify("ValueError", PLOTLY_MISSING).also is None
    assert classify("ValueError", "Invalid RGBA argument: 'whitegrid style'").also is None
    assert classify("ValueError", "Invalid RGBA argument: 'shape'").also == LengthMismatch()


def test_the_first_reading_that_fits_wins():
    # matplotlib's property error is a bad keyword too: read as the property, naming the call
    assert classify("TypeError", "Line2D.set() got an unexpected keyword argument 'k'") == BadProperty(
        "Line2D", "k", "Line2D.set"
    )
    # a seaborn column named like a style is a missing column, not a style
    assert classify("ValueError", SEABORN_MISSING.replace("Loss", "style")).source == "seaborn"
    # a shape word with a style word is neither (the style reading finds no style name)
    assert classify("ValueError", "bad linestyle shape") == Unclassified("ValueError", "bad linestyle shape")


def test_keys_and_precheck_words():
    assert missing_keys("\"['x', 'y'] not in index\"") == ["x", "y"]
    assert missing_keys("'Revenue'") == ["Revenue"]
    assert precheck_column("line 2: df has no column 'suit'.") == "suit"
    assert precheck_column("KeyError: 'suit'") is None


#: Each reader of ``failure_readers``: a real message and the parts it reads from it.
READ = [
    ("suggested_name", "Did you mean to set the axis label via set_label_text()?", "set_label_text"),
    (
        "suggested_name",
        "module 'plotly.express' has no attribute 'scater'. Did you mean: 'scatter'?",
        "scatter",
    ),
    ("out_of_bounds", "index 2 is out of bounds for axis 1 with size 2", fr.OutOfBounds(2, 1, 2)),
    (
        "plotly_refused_colour",
        "Invalid value of type 'builtins.str' received for the 'color' property of scatter.marker\n"
        "        Received value: 'mid'",
        "'mid'",
    ),
    (
        "plotly_refused_colours",
        "Invalid element(s) received for the 'color' property of scatter.marker\n"
        "        Invalid elements include: ['G1', 'G2']",
        "['G1', 'G2']",
    ),
    ("matplotlib_refused_colour", "Invalid RGBA argument: 'Frogs'", "'Frogs'"),
    ("matplotlib_refused_colour", "'Frogs' is not a valid color value.", "'Frogs'"),
    (
        "listed_choices",
        "'std' is not a valid value for errorbar. Supported values are 'ci', 'pi', 'se', 'sd'",
        fr.Choice("std", ("ci", "pi", "se", "sd")),
    ),
    (
        "listed_choices",
        "'bars' is not a valid value for drawstyle. Did you mean: 'bar'?",
        fr.Choice("bars", ("bar",)),
    ),
    (
        "listed_choices",
        "histtype must be one of ['bar', 'barstacked', 'step'], but 'bars' was passed",
        fr.Choice("bars", ("bar", "barstacked", "step")),
    ),
    (
        "listed_choices",
        "Invalid value of type 'builtins.str' received for the 'orientation' property of bar\n"
        "        Received value: 'vertical'\n\n    The 'orientation' property is an enumeration that may be"
        " specified as:\n      - One of the following enumeration values:\n            ['v', 'h']",
        fr.Choice("vertical", ("v", "h")),
    ),
    (
        "data_not_passed",
        "Could not interpret value `region` for `x`. Value is a string, but `data` was not passed.",
        True,
    ),
    (
        "name_for_array",
        "Invalid value of type 'builtins.str' received for the 'x' property of histogram\n"
        "        Received value: 'price'",
        fr.NameForArray("x", "histogram", "price"),
    ),
    ("refused_reshape", "cannot reshape array of size 16 into shape (2, 2)", fr.Reshape(16, (2, 2))),
    ("flat_image_size", "Invalid shape (64,) for image data", 64),
    ("channels_first", "Invalid shape (3, 8, 9) for image data", fr.ChannelsFirst(3, 8, 9)),
    (
        "plotly_refused_keywords",
        "__init__() got unexpected keyword argument(s): ['colour', 'size_max']",
        ["colour", "size_max"],
    ),
    ("plotly_bad_path", "Bad property path:\ntitle_colour\n^^^^^^\n", "title_colour"),
    (
        "plotly_refused_property",
        "Invalid value of type 'builtins.int' received for the 'width' property of layout",
        "width",
    ),
    ("optional_setting", "'bins' must be None or an int", "bins"),
    ("repeated_argument", "scatter() got multiple values for argument 's'", "s"),
    ("either_none", "Either norm or cmap must be None", ("norm", "cmap")),
    ("sole_missing", " 'x' ", "x"),
    ("cell_out_of_range", "Row value is out of range. Note: the starting cell is (1, 1)", True),
    ("cell_as_property", "Invalid property specified for object of type plotly.graph_objs.Bar: 'row'", True),
    ("figure_as_trace", "Invalid elements include: [Figure({\n    'data': []})]", True),
    ("undefined_names", "names used but never defined or imported: fig, int64", ("fig", "int64")),
    ("unknown_patch_style", "Unknown style: 'rounded,pad=0.30'", "rounded,pad=0.30"),
    ("unfinished_source", "'(' was never closed", True),
    ("syntax_error_line", "SyntaxError on line 7: invalid syntax", 7),
    ("scalar_x_length", "x and y must have same first dimension, but have shapes (1,) and (40,)", 40),
    ("scalar_y_length", "x and y must have same first dimension, but have shapes (40,) and (1,)", 40),
    (
        "negative_sizes",
        "Invalid element(s) received for the 'size' property of scatter.marker\n"
        "        Invalid elements include: [-0.5, -1.2]",
        True,
    ),
    ("setting_held_once", "'region' is not a valid value for color", True),
]


@pytest.mark.parametrize(("reader", "message", "expected"), READ)
def test_a_reader_parses_its_message(reader: str, message: str, expected: object):
    assert getattr(fr, reader)(message) == expected


@pytest.mark.parametrize("reader", sorted({row[0] for row in READ}))
def test_a_reader_reads_nothing_in_another_message(reader: str):
    assert not getattr(fr, reader)("'Axes' object has no attribute 'xlabel'")


def test_every_reader_has_a_row():
    readers = {
        name
        for name, value in vars(fr).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", "") == fr.__name__
        and not isinstance(value, type)
    }
    assert readers == {row[0] for row in READ}


def test_a_plotly_list_of_no_keywords_is_read_as_empty_not_absent():
    assert fr.plotly_refused_keywords("got unexpected keyword argument(s): []") == []
