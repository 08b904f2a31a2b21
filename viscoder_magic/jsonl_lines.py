"""Whole lines of a JSON-lines file that a run appends to as it goes.

A run stopped mid-write leaves its last line cut; reading skips such a line (and any
line that is not the record its reader expects), so a resumed run redoes that item
instead of failing on it, and the next append starts on a fresh line so the cut line
does not swallow the next record.
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


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one record, after a newline when a stopped run left the last line cut off.

    Without that newline the new record would join the cut line and both would be lost
    to ``whole_lines``, so an item would be redone on every resume.
    """
    cut = False
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as handle:
            handle.seek(-1, 2)
            cut = handle.read(1) != b"\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(("\n" if cut else "") + json.dumps(record, ensure_ascii=False) + "\n")
        handle.flush()
