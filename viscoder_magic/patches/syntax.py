"""Patches for programs that do not parse: a reply cut off mid-statement, a frame retyped from its preview.

A reply stops mid-statement when it hits the token limit or the loop stop (a keyword
or block repeated until the limit); the statements before the cut, or the cut call
closed after its last whole argument, usually draw the figure already. A program
that retypes the data preview as ``df = pd.DataFrame({...})`` often breaks on the
preview's own markers (``(+16 more)``); the real frame is loaded, so the block goes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from .. import failure_readers
from .edit import Failure, Patch, without_unused_imports

_REBUILT = re.compile(r"^(\w+)\s*=\s*(?:\w+\.)?DataFrame\(")


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
    return line[: comma + 1] if comma >= 0 else ""


def _closed_call(head: list[str], tail: list[str]) -> Patch | None:
    """The unfinished statement closed after its last whole argument, its repetitions dropped.

    A reply that loops (the same keyword lines, or keywords on one line, until the token
    limit) stops inside a call whose earlier arguments are the ones the user asked for
    (titles, ranges, colours); closing the call keeps them, where dropping the statement
    would lose them all.
    """
    if _closers("\n".join(head + tail)) == "":
        return None  # no bracket left open (``axs[0].`` cut mid-name): nothing to close
    seen: set[str] = set()
    kept = [
        _REPEATED_KEYWORDS.sub(r"\1", line)
        for line in tail
        if not line.strip() or line.strip() not in seen and not seen.add(line.strip())
    ]
    repeats = ", dropping repeated arguments" if kept != tail else ""
    if not all(_continues(line, after) for line, after in zip(kept[:-1], kept[1:], strict=True)):
        return None  # a line that ends a statement: the bracket was left open mid-program, not cut off
    kept[-1] = _whole_arguments(kept[-1])  # the reply was cut in this line
    for end in range(len(kept), 0, -1):
        text = "\n".join(head + kept[:end]).rstrip().rstrip(",")
        closers = _closers(text)
        if not closers:
            continue
        try:
            compile(
                text + closers, "<viscode>", "exec"
            )  # the compiler, not the parser, rejects repeated keywords
        except SyntaxError:
            continue
        return Patch(
            text + closers + "\n",
            f"the program stops mid-statement after line {len(head) + len(tail)}; closed the unfinished "
            f"`{tail[0].strip()[:60]}` with `{closers}` after its last whole argument{repeats}",
        )
    return None


def _without_repeats(head: list[str]) -> list[str]:
    """``head`` without the copies of its last line that run up to the cut (the loop the reply was in)."""
    kept = list(head)
    while len(kept) >= 2 and kept[-1].strip() and kept[-1] == kept[-2]:
        kept.pop()
    try:
        ast.parse("\n".join(kept))
    except SyntaxError:
        return head
    return kept


def _complete_statements(code: str) -> Patch | None:
    """A reply that stops mid-statement (it hit the token limit, often in a repetition loop).

    The unfinished statement is closed when that parses (``_closed_call``); otherwise the
    complete statements before the cut are kept, unless they are under a quarter of the
    program (the note tells the user what went).
    """
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
        head = _without_repeats(lines[:end])
        repeats = f"; {end - len(head)} repeated lines before it dropped" if len(head) < end else ""
        return Patch(
            "\n".join(head).rstrip() + "\n",
            f"the program stops mid-statement after line {end}; kept the complete statements before it "
            f"and dropped the unfinished one ({len(lines) - end} lines){repeats}",
        )
    return None


def _without_rebuilt_frame(code: str, frames: Mapping[str, Any]) -> Patch | None:
    """Drop a ``df = pd.DataFrame(...)`` block that retypes a loaded frame, if the rest then parses.

    The block ends where its brackets balance, or, when the model left one unclosed
    (``['a', 'b' (+2 more),``), at its closing ``})`` line.
    """
    lines = code.splitlines()
    for start, line in enumerate(lines):
        match = _REBUILT.match(line)
        if not match or match.group(1) not in frames:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        for end in range(start + 1, len(lines) + 1):
            # balanced, or (the model left a list unclosed) a
            # closing line at the block's own indentation: ``})``
            closing = end > start + 1 and lines[end - 1].rstrip() in (f"{indent}}})", f"{indent})")
            if _closers("\n".join(lines[start:end])) == "" or closing:
                rest = lines[:start] + lines[end:]
                try:
                    ast.parse("\n".join(rest))
                except SyntaxError:
                    break
                # the block did not parse, so the names it used are read from its text
                used = set(re.findall(r"[A-Za-z_]\w*", "\n".join(lines[start:end])))
                return Patch(
                    without_unused_imports("\n".join(rest).rstrip() + "\n", used),
                    f"lines {start + 1}-{end} retyped {match.group(1)} from its preview and did not parse; "
                    f"dropped them, so the program uses the loaded {match.group(1)}",
                )
    return None


_QUOTED = re.compile(r"(?P<head>\()'(?P<text>[^'\"\n]*'[^\"\n]*)'(?P<tail>[,)])")


def _requoted(code: str, number: int) -> Patch | None:
    """``plt.title('Plots with 'extend' Feature')``: quotes inside a string; the string takes double quotes.

    Every line the parser stops on in turn, from line ``number``, is requoted (a model that does
    it once does it again).
    """
    lines, fixed = code.splitlines(), []
    while 0 < number <= len(lines) and number not in fixed and _QUOTED.search(lines[number - 1]):
        lines[number - 1] = _QUOTED.sub(
            lambda m: f'{m["head"]}"{m["text"]}"{m["tail"]}', lines[number - 1], count=1
        )
        fixed.append(number)
        try:
            ast.parse("\n".join(lines))
        except SyntaxError as exc:
            number = exc.lineno or 0
            continue
        return Patch(
            "\n".join(lines) + "\n",
            f"line(s) {', '.join(map(str, fixed))} had quotes inside a quoted "
            "string; those strings now use double quotes",
        )
    return None


def unparsable(failure: Failure) -> Patch | None:
    """A fix for a program that does not parse, or None."""
    code, message, frames = failure.code, failure.message, failure.frames
    number = failure_readers.syntax_error_line(message) or 0
    cut = failure_readers.unfinished_source(message) or 0 < number == len(code.rstrip().splitlines())
    return (
        (_complete_statements(code) if cut else None)
        or _requoted(code, number)
        or _without_rebuilt_frame(code, frames)
    )
