"""Whole lines of a JSON-lines file that a run appends to as it goes.

A run stopped mid-write leaves its last line cut; reading skips such a line (and any
line that is not the record its reader expects), so a resumed run redoes that item
instead of failing on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def whole_lines(path: Path, keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """The JSON objects of ``path`` for which ``keep`` holds; none when the file does not exist."""
    if not path.is_file():
        return []
    lines = []
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if isinstance(line, dict) and keep(line):
            lines.append(line)
    return lines
