"""The text surgery of a patch: replace a node's text or remove a statement, keep the rest as written.

The model's comments and layout stay, so the user reading a ``patch`` attempt sees only
the edit (and the front end's diff marks only the changed lines). The user keeps the
program and may insert it as a cell, so an edit leaves nothing a person would not write:
a removed statement takes no placeholder or comment with it, only a ``pass`` Python
needs, and an import only the edited text used goes too (the patch's note says what was
removed). ``live_object`` is how rules read what a name held when the program failed,
without running any of its code. This module and ``ast_tools`` are the bottom of the
package: they import nothing of the project but the classifier (``failures``), so the
stages (``check``, ``extract``, ``safety_check``) can use them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import failures


@dataclass(frozen=True)
class Patch:
    """A program edited by rule, and a sentence saying what changed (shown to the user)."""

    code: str
    note: str


@dataclass(frozen=True)
class Failure:
    """What a rule reads: the program, its error, the objects the run left behind, and the run's
    earlier programs.

    ``tree`` is empty for a program that does not parse (only the syntax rule reads such
    a failure); ``earlier`` holds the run's previous programs, oldest first (a rewrite may
    drop a definition they had). ``error`` is the error read once (``failures.classify``),
    so a rule dispatches on its type (``isinstance(failure.error, NoAttribute)``) rather
    than matching the message again; left out, it is read from ``error_type`` and ``message``.
    """

    code: str
    tree: ast.Module
    error_type: str
    message: str
    line: int | None
    namespace: Mapping[str, Any]
    frames: Mapping[str, Any]
    earlier: Sequence[str] = ()
    error: failures.Failure | None = None

    def __post_init__(self) -> None:
        if self.error is None:  # frozen: set once, as the constructor would
            object.__setattr__(self, "error", failures.classify(self.error_type, self.message))

    def covers(self, node: ast.AST) -> bool:
        """Whether ``node``'s span holds the failing line (False when the line is unknown)."""
        return self.line is not None and node.lineno <= self.line <= (node.end_lineno or node.lineno)

    def on_line(self, nodes: Sequence[ast.AST]) -> list[ast.AST]:
        """The nodes whose span covers the failing line, or
        all of them when the line is unknown or none does."""
        return [n for n in nodes if self.covers(n)] or list(nodes)


def live_object(node: ast.AST, namespace: Mapping[str, Any]) -> Any:
    """The object ``name``, ``name[constant]`` or
    ``name.attribute`` holds after the run; None for anything else.

    Nothing is evaluated: no user code (a property, a ``__getitem__``) runs to answer.
    """
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Subscript):
        import numpy as np

        base = live_object(node.value, namespace)
        if not isinstance(
            base, (np.ndarray, list, tuple, dict)
        ):  # plain containers: indexing runs no user code
            return None
        try:
            return base[ast.literal_eval(node.slice)]
        except (ValueError, TypeError, KeyError, IndexError, SyntaxError):
            return None
    if isinstance(
        node, ast.Attribute
    ):  # ``ax.yaxis``: read from the instance's own dict, so no property runs
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


def _spliced(code: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """``code`` with each byte span replaced by its text; of overlapping spans the first, widest one wins."""
    raw, kept = code.encode(), []
    for start, end, text in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, text))
    for start, end, text in reversed(kept):
        raw = raw[:start] + text.encode() + raw[end:]
    return raw.decode()


def replaced(code: str, edits: Sequence[tuple[ast.AST, str]], removed: Sequence[ast.stmt] = ()) -> str:
    """``code`` with each node's source text replaced and each statement of ``removed`` gone; nested
    edits keep the outer one.

    A removed statement leaves no trace: its lines go (with the comment above it when
    that comment was about it alone), a block it emptied goes when it then does nothing,
    and a bare ``pass`` stays only where Python needs a statement. An import that only
    the edited text used goes too, so the program the loop runs next is the one the user
    keeps, with nothing in it a person would not have written.
    """
    starts = _offsets(code)
    spans = [
        (starts[n.lineno - 1] + n.col_offset, starts[n.end_lineno - 1] + n.end_col_offset, text)
        for n, text in edits
        if n.end_lineno is not None and n.end_col_offset is not None
    ]
    if removed:
        spans += _removal_spans(code, removed)
    result = _spliced(code, spans)
    return without_unused_imports(result, _names(code) - _names(result))


def _names(code: str) -> set[str]:
    """Every name the program reads or writes outside its imports (none for a program that does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def without_unused_imports(code: str, names: set[str]) -> str:
    """``code`` without the imports of ``names`` that it no longer uses (an edit removed their last use).

    Only names an edit stopped using are candidates: an import the program never used
    may be there for its side effect (``mpl_toolkits.mplot3d`` registers the 3-D Axes).
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    unused = names - _names(code)
    edits: list[tuple[ast.AST, str]] = []
    removed: list[ast.stmt] = []
    for statement in ast.walk(tree):
        if (
            not isinstance(statement, ast.Import | ast.ImportFrom)
            or statement.names[0].name == "*"
            or isinstance(statement, ast.ImportFrom)
            and statement.module == "__future__"
        ):
            continue
        kept = [a for a in statement.names if (a.asname or a.name.partition(".")[0]) not in unused]
        if not kept:
            removed.append(statement)
        elif len(kept) < len(statement.names):
            edits.append((statement, ast.unparse(type(statement)(**{**vars(statement), "names": kept}))))
    return replaced(code, edits, removed) if edits or removed else code


_DECORATED = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
#: ``try`` statements (``try ... except*`` is its own node from Python 3.11).
_TRY = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))


def _statement_lists(node: ast.AST) -> list[tuple[str, list[ast.stmt]]]:
    """The statement lists a node holds, by field (``handler``, ``case``: an except's or a case's body)."""
    found = [
        (field, body)
        for field in ("body", "orelse", "finalbody")
        if isinstance(body := getattr(node, field, None), list) and body
    ]
    found += [("handler", h.body) for h in getattr(node, "handlers", [])]
    found += [("case", c.body) for c in getattr(node, "cases", [])]
    return found


def _idle(node: ast.stmt, gone: set[int], tree: ast.Module) -> bool:
    """Whether a compound statement does nothing once the statements in ``gone`` are removed.

    A loop or a condition over nothing does nothing (its header only reads values); a
    ``try`` does nothing when neither its body, ``else`` nor ``finally`` is left; a
    function or class does nothing when its body is gone and nothing else names it.
    """

    def left(body: list[ast.stmt]) -> bool:
        return any(id(s) not in gone for s in body)

    if isinstance(node, ast.If | ast.While | ast.For | ast.AsyncFor):
        return not left(node.body) and not left(node.orelse)
    if isinstance(node, ast.With | ast.AsyncWith):
        return not left(node.body)
    if isinstance(node, _TRY):
        return not left(node.body) and not left(node.orelse) and not left(node.finalbody)
    if isinstance(node, _DECORATED):
        inside = {id(n) for n in ast.walk(node)}
        named = (n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == node.name)
        return not left(node.body) and all(id(n) in inside for n in named)
    return False


class _Removal:
    """The byte spans that remove statements from a program cleanly (see ``replaced``)."""

    def __init__(self, code: str, tree: ast.Module, gone: set[int]) -> None:
        self.lines = code.encode().splitlines(keepends=True)
        self.starts = _offsets(code)
        self.tree, self.gone = tree, gone
        self.deleted: set[int] = set()  # whole lines (1-based) that go
        self.spans: list[tuple[int, int, str]] = []  # parts of lines that go or become ``pass``

    def _text(self, number: int) -> bytes:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else b""

    def _first_line(self, statement: ast.stmt) -> tuple[int, int]:
        """(line, column) where the statement's text starts, its decorators included."""
        decorators = getattr(statement, "decorator_list", [])
        return (
            (decorators[0].lineno, decorators[0].col_offset - 1)
            if decorators
            else (statement.lineno, statement.col_offset)
        )

    def _owns_lines(self, statement: ast.stmt) -> bool:
        """Whether nothing but the statement (and a comment after it) is on its lines."""
        line, column = self._first_line(statement)
        after = self._text(statement.end_lineno or line)[statement.end_col_offset :].strip()
        return not self._text(line)[:column].strip() and (not after or after.startswith(b"#"))

    def visit(self, owner: ast.AST) -> None:
        """Remove the gone statements under ``owner`` whose own block stays."""
        for field, body in _statement_lists(owner):
            if isinstance(owner, ast.Module) or not all(id(s) in self.gone for s in body):
                for statement in body:
                    if id(statement) in self.gone:
                        self.drop(statement)
                    else:
                        self.visit(statement)
            elif field == "orelse" or field == "finalbody" and getattr(owner, "handlers", None):
                self.drop_clause(body, "finally" if field == "finalbody" else "else")
            else:  # Python needs a statement here, and nothing of the block is left
                self.placeholder(body[0])
                for statement in body[1:]:
                    self.drop(statement)

    def drop(self, statement: ast.stmt) -> None:
        line, column = self._first_line(statement)
        if self._owns_lines(statement):
            self.deleted.update(range(line, (statement.end_lineno or line) + 1))
            return
        start = self.starts[line - 1] + column
        end = self.starts[(statement.end_lineno or line) - 1] + (statement.end_col_offset or 0)
        raw = b"".join(self.lines)
        if following := re.match(rb"[ \t]*;[ \t]*", raw[end:]):  # ``a(); b()``: one of two on a line
            end += following.end()
        elif preceding := re.search(rb"[ \t]*;[ \t]*$", raw[:start]):
            start -= len(preceding.group())
        self.spans.append((start, end, ""))

    def drop_clause(self, body: list[ast.stmt], keyword: str) -> None:
        """Remove an ``else``/``elif``/``finally`` clause whose statements all go."""
        header = next(
            (
                n
                for n in range(body[0].lineno, 0, -1)
                if re.match(rb"\s*(elif\b|%s\s*:)" % keyword.encode(), self._text(n))
            ),
            None,
        )
        if header is None:
            self.placeholder(body[0])
            for statement in body[1:]:
                self.drop(statement)
            return
        self.deleted.update(range(header, (body[-1].end_lineno or header) + 1))

    def placeholder(self, statement: ast.stmt) -> None:
        """``pass`` in the statement's place: the one statement a block needs."""
        line, column = self._first_line(statement)
        end_line = statement.end_lineno or line
        if self._owns_lines(statement):
            indent = self._text(line)[:column].decode()
            last = self._text(end_line)
            end = self.starts[end_line] - len(last) + len(last.rstrip(b"\r\n"))  # the line's own end kept
            self.spans.append((self.starts[line - 1], end, indent + "pass"))
        else:
            self.spans.append(
                (
                    self.starts[line - 1] + column,
                    self.starts[end_line - 1] + (statement.end_col_offset or 0),
                    "pass",
                )
            )

    def tidied(self) -> list[tuple[int, int, str]]:
        """The spans, with the comment that was only about removed lines and one blank line of a gap."""
        blank = {n for n in range(1, len(self.lines) + 1) if not self._text(n).strip()}
        comment = {n for n in range(1, len(self.lines) + 1) if self._text(n).lstrip().startswith(b"#")}

        def indent(n: int) -> int:
            return len(self._text(n)) - len(self._text(n).lstrip())

        for first, last in self._runs():
            after = next((n for n in range(last + 1, len(self.lines) + 1) if n not in self.deleted), None)
            if after is None or after in blank | comment or indent(after) < indent(first):  # section ended
                above = first - 1
                while above in comment and indent(above) == indent(first):
                    self.deleted.add(above)
                    above -= 1
        for first, last in self._runs():
            edges = [n for n in (first - 1, last + 1) if 0 < n <= len(self.lines)]
            if all(n in blank for n in edges) and edges:  # a paragraph went: one of its two gaps goes too
                self.deleted.add(edges[-1])
        return self.spans + [(self.starts[first - 1], self.starts[last], "") for first, last in self._runs()]

    def _runs(self) -> list[tuple[int, int]]:
        """The deleted lines as (first, last) runs."""
        runs: list[tuple[int, int]] = []
        for n in sorted(self.deleted):
            if runs and runs[-1][1] == n - 1:
                runs[-1] = (runs[-1][0], n)
            else:
                runs.append((n, n))
        return runs


def _removal_spans(code: str, removed: Sequence[ast.stmt]) -> list[tuple[int, int, str]]:
    """The byte spans that take ``removed`` (statements of a parse of ``code``) out of ``code`` cleanly."""
    tree = ast.parse(code)
    where = {(type(s).__name__, s.lineno, s.col_offset, s.end_lineno, s.end_col_offset) for s in removed}
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    gone = {
        id(s)
        for s in statements
        if (type(s).__name__, s.lineno, s.col_offset, s.end_lineno, s.end_col_offset) in where
    }
    compound = [s for s in statements if _statement_lists(s)]
    while grown := [s for s in compound if id(s) not in gone and _idle(s, gone, tree)]:
        gone.update(map(id, grown))
    removal = _Removal(code, tree, gone)
    removal.visit(tree)
    return removal.tidied()
