"""The text surgery of a patch: replace a node's source text, keep everything else as written.

The model's comments and layout stay, so the user reading a ``patch`` attempt sees only
the edit (and the front end's diff marks only the changed lines). ``live_object`` is how
rules read what a name held when the program failed, without running any of its code.
This module and ``ast_tools`` are the bottom of the package: they import nothing of the
project, so the stages (``check``, ``safety_check``) can use them.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Patch:
    """A program edited by rule, and a sentence saying what changed (shown to the user)."""

    code: str
    note: str


@dataclass(frozen=True)
class Failure:
    """What a rule reads: the program, its error, the objects the run left behind, and the run's earlier programs.

    ``tree`` is empty for a program that does not parse (only the syntax rule reads such
    a failure); ``earlier`` holds the run's previous programs, oldest first (a rewrite may
    drop a definition they had).
    """

    code: str
    tree: ast.Module
    error_type: str
    message: str
    line: int | None
    namespace: Mapping[str, Any]
    frames: Mapping[str, Any]
    earlier: Sequence[str] = ()

    def covers(self, node: ast.AST) -> bool:
        """Whether ``node``'s span holds the failing line (False when the line is unknown)."""
        return self.line is not None and node.lineno <= self.line <= (node.end_lineno or node.lineno)

    def on_line(self, nodes: Sequence[ast.AST]) -> list[ast.AST]:
        """The nodes whose span covers the failing line, or all of them when the line is unknown or none does."""
        return [n for n in nodes if self.covers(n)] or list(nodes)


def live_object(node: ast.AST, namespace: Mapping[str, Any]) -> Any:
    """The object ``name``, ``name[constant]`` or ``name.attribute`` holds after the run; None for anything else.

    Nothing is evaluated: no user code (a property, a ``__getitem__``) runs to answer.
    """
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Subscript):
        import numpy as np

        base = live_object(node.value, namespace)
        if not isinstance(base, (np.ndarray, list, tuple, dict)):  # plain containers: indexing runs no user code
            return None
        try:
            return base[ast.literal_eval(node.slice)]
        except (ValueError, TypeError, KeyError, IndexError, SyntaxError):
            return None
    if isinstance(node, ast.Attribute):  # ``ax.yaxis``: read from the instance's own dict, so no property runs
        base = live_object(node.value, namespace)
        return getattr(base, "__dict__", {}).get(node.attr) if base is not None else None
    return None


def _offsets(code: str) -> list[int]:
    """Byte offset of each line's start (``ast`` columns count UTF-8 bytes)."""
    starts, total = [0], 0
    for line in code.encode().splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def replaced(code: str, edits: Sequence[tuple[ast.AST, str]]) -> str:
    """``code`` with each node's source text replaced; nested edits keep the outer one."""
    starts, raw = _offsets(code), code.encode()
    spans = sorted(
        ((starts[n.lineno - 1] + n.col_offset, starts[n.end_lineno - 1] + n.end_col_offset, text)
         for n, text in edits if n.end_lineno is not None and n.end_col_offset is not None),
        key=lambda span: (span[0], -span[1]),
    )
    kept: list[tuple[int, int, str]] = []
    for start, end, text in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, text))
    for start, end, text in reversed(kept):
        raw = raw[:start] + text.encode() + raw[end:]
    return raw.decode()
