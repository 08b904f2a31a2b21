"""The libraries' error messages, as patterns: what failed, read from the words of its message.

The repair hints (``repair``, ``hints_tables``) and the patch rules (``patches/``) match
the same messages, so the patterns live here, below all of them, rather than in one
module the others would have to import back.
"""

from __future__ import annotations

import re

NO_ATTR = re.compile(r"(?:module )?'([\w.]+)' (?:object )?has no attribute '(\w+)'")
BAD_KWARG = re.compile(r"([\w.]+)\(\) got an unexpected keyword argument '(\w+)'")
# "hist() missing 1 required positional argument: 'x'": the message names the function, not its owner
MISSING_ARG = re.compile(r"(\w+)\(\) missing \d+ required (?:positional |keyword-only )?arguments?: (.+)")
# "Line2D.set() got an unexpected keyword argument 'k'", or (Text, via xlabel) "'Text' object has no property 'k'"
BAD_PROPERTY = re.compile(
    r"'?(\w+)'?(?:\.set\(\) got an unexpected keyword argument| object has no property) '(\w+)'"
)
# matplotlib's rc KeyError: "'xticklabels.size' is not a valid value for rcParam. Did you mean one of: ..."
BAD_RC = re.compile(r"'([^']+)' is not a valid value for rcParam")
# Plotly Express given a value that names no column; the value is the rest of its line (for
# 'index' plotly adds a line of advice after it).
PLOTLY_NO_COLUMN = re.compile(
    r"Value of '\w+' is not the name of a column in 'data_frame'\..*?but received: ([^\n]*)", re.S
)
# seaborn's words for a missing column: "Could not interpret value `Loss` for `y`. An entry with this name ..."
SEABORN_NO_ENTRY = re.compile(r"Could not interpret value `([^`]+)` for `?\w+`?\. An entry with this name")
STYLE = re.compile(r"'([^']+)' (?:is )?not (?:found in the style library|a valid package style)")


#: An ImportError of a real module that lacks the name (the hint and the import patch read it).
CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")


def missing_keys(message: str) -> list[str]:
    """The key(s) a KeyError names; pandas lists several in one message."""
    bare = message.strip("'\"")
    listed = re.search(
        r"labels are not columns of the DataFrame: \[(.*)\]|None of \[Index\(\[(.*?)\]"
        r"|^\[(.*)\] not in index",
        bare,
    )
    return re.findall(r"'([^']*)'", next(filter(None, listed.groups()))) if listed else [bare]
