"""Mechanical fixes: edits a failed program needs that no model call is required for.

Some errors name their own fix: a keyword the call does not take, ``plt.yaxis`` where
an Axes has ``yaxis``, a Series asked for an ndarray method, a style or column name one
letter off. The 0.5B reads such a hint and still resubmits the program (see
docs/BENCHMARKS.md), so the loop makes the edit itself, runs the result as a ``patch``
attempt the user sees, and asks the model only if that fails too. Every fix is chosen
by error class from the live objects; the edit touches only the offending node, so
the rest of the program keeps the model's own text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from .patch_edit import Failure, Patch
from .patch_precheck import undefined_names
from .patch_rules import RULES, closest_column

__all__ = ["MAX_PATCHES", "Patch", "patched"]

#: Patches tried one after another on one failing program before the model is asked again (each costs
#: one run, no tokens; plotly programs often need 4: module, grid keywords, a trace keyword, another).
MAX_PATCHES = 5


_UNKNOWN_COLUMN = re.compile(r"has no column '([^']+)'")  # check.column_hint's words
_UNFINISHED = re.compile(r"was never closed|unexpected EOF|unterminated (?:string|triple-quoted)")


_PAIRS = {"(": ")", "[": "]", "{": "}"}


def _closers(text: str) -> str | None:
    """The brackets that close what ``text`` leaves open, or None when it ends inside a string."""
    stack: list[str] = []
    i, quote = 0, ""
    while i < len(text):
        if quote:
            if text[i] == "\\":
                i += 2
                continue
            if text.startswith(quote, i):
                i, quote = i + len(quote), ""
                continue
        elif text[i] == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
            continue
        elif text[i] in "'\"":
            quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
            i += len(quote)
            continue
        elif text[i] in _PAIRS:
            stack.append(_PAIRS[text[i]])
        elif text[i] in ")]}" and stack:
            stack.pop()
        i += 1
    return None if quote else "".join(reversed(stack))


def _continues(line: str, after: str) -> bool:
    """Whether ``line`` reads as one argument line of a call that goes on (``x=1,`` or ``dict(``)."""
    hash_ = line.find("#")
    while hash_ >= 0 and _closers(line[:hash_]) is None:  # a '#' inside a string
        hash_ = line.find("#", hash_ + 1)
    code = (line if hash_ < 0 else line[:hash_]).rstrip()
    return not code.strip() or code[-1] in ",([{" or after.lstrip()[:1] in (")", "]", "}")


#: A run of keyword arguments repeated back to back on one line (``a=1, b=2, a=1, b=2, ...``).
_REPEATED_KEYWORDS = re.compile(r"(\b\w+=(?!=)[^,\n]*,(?:\s*\b\w+=(?!=)[^,\n]*,)*?)(?:\s*\1)+")


def _whole_arguments(line: str) -> str:
    """The cut line up to its last comma outside a string ("" when it has none)."""
    comma = line.rfind(",")
    while comma >= 0 and _closers(line[:comma]) is None:
        comma = line.rfind(",", 0, comma)
    return line[:comma + 1] if comma >= 0 else ""


def _closed_call(head: list[str], tail: list[str]) -> Patch | None:
    """The unfinished statement closed after its last whole argument, its repetitions dropped.

    A reply that loops (the same keyword lines, or keywords on one line, until the token
    limit) stops inside a call whose earlier arguments are the ones the user asked for
    (titles, ranges, colours); closing the call keeps them, where dropping the statement
    would lose them all.
    """
    seen: set[str] = set()
    kept = [_REPEATED_KEYWORDS.sub(r"\1", line) for line in tail
            if not line.strip() or line.strip() not in seen and not seen.add(line.strip())]
    if not all(_continues(line, after) for line, after in zip(kept[:-1], kept[1:], strict=True)):
        return None  # a line that ends a statement: the bracket was left open mid-program, not cut off
    kept[-1] = _whole_arguments(kept[-1])  # the reply was cut in this line
    for end in range(len(kept), 0, -1):
        text = "\n".join(head + kept[:end]).rstrip().rstrip(",")
        closers = _closers(text)
        if not closers:
            continue
        try:
            compile(text + closers, "<viscode>", "exec")  # the compiler, not the parser, rejects repeated keywords
        except SyntaxError:
            continue
        return Patch(text + closers + "\n",
                     f"the program stops mid-statement after line {len(head) + len(tail)}; closed the unfinished "
                     f"`{tail[0].strip()[:60]}` with `{closers}` after its last whole argument"
                     + (", dropping repeated arguments" if len(text) < len("\n".join(head + tail)) - 80 else ""))
    return None


def _complete_statements(code: str, message: str) -> Patch | None:
    """A reply that stops mid-statement (it hit the token limit, often in a repetition loop).

    The unfinished statement is closed when that parses (``_closed_call``); otherwise the
    complete statements before the cut are kept, unless they are under a quarter of the
    program (the note tells the user what went).
    """
    if not _UNFINISHED.search(message):
        return None
    lines = code.splitlines()
    for end in range(len(lines) - 1, 0, -1):
        try:
            ast.parse("\n".join(lines[:end]))
        except SyntaxError:
            continue
        closed = _closed_call(lines[:end], lines[end:])
        if closed is not None:
            return closed
        if end < len(set(lines)) / 4:
            return None
        return Patch("\n".join(lines[:end]).rstrip() + "\n",
                     f"the program stops mid-statement after line {end}; kept the complete statements before it "
                     f"and dropped the unfinished one ({len(lines) - end} lines)")
    return None


def patched(
    code: str, error_type: str | None, message: str, line: int | None,
    namespace: Mapping[str, Any], frames: Mapping[str, Any],
) -> Patch | None:
    """The failed program with its error fixed by rule, or None when no rule applies."""
    if not error_type:
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return _complete_statements(code, message) if error_type in ("SyntaxError", "PrecheckError") else None
    if error_type == "PrecheckError":  # nothing ran: only the pre-check's own findings can be patched
        unknown = _UNKNOWN_COLUMN.search(message)
        if unknown:
            return closest_column(Failure(code, tree, "KeyError", repr(unknown.group(1)), line, namespace, frames))
        return undefined_names(Failure(code, tree, error_type, message, line, namespace, frames))
    failure = Failure(code, tree, error_type, message, line, namespace, frames)
    for fixer in RULES:
        fix = fixer(failure)
        if fix is not None and fix.code != code:
            return fix
    return None
