"""Run a program, patch its failure by rule, run again: what the loop's patch step does, without a model."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt

from viscoder_magic.patches import patched

#: A comment an edit would write about itself: "# removed: ...", "# was ...", "pass  # ...".
_TRACE_COMMENT = re.compile(r"\b(removed|was|dropped|placeholder)\b", re.I)


def _comments(code: str) -> set[str]:
    return {match.group().strip() for line in code.splitlines() if (match := re.search(r"#.*$", line))}


def traces(before: str, after: str) -> list[str]:
    """What an edit of ``before`` left in ``after`` that a person would not have written.

    A new comment about the edit (``# removed: ...``, ``# was ...``), a ``pass`` with a
    comment, and a new ``pass`` that Python does not need: beside other statements of its
    block, or as the whole body of a condition, loop or ``with`` that then does nothing.
    """
    found = [f"comment {c!r}" for c in _comments(after) - _comments(before) if _TRACE_COMMENT.search(c)]
    found += [
        f"line {line.strip()!r}"
        for line in after.splitlines()
        if re.search(r"\bpass\s*#", line) and line not in before.splitlines()
    ]
    try:
        old, new = ast.parse(before), ast.parse(after)
    except SyntaxError:
        return found
    if _passes(new) <= _passes(old):
        return found
    for owner in ast.walk(new):
        idle = isinstance(owner, ast.If | ast.For | ast.While | ast.With) and not getattr(owner, "orelse", [])
        for body in (getattr(owner, field, None) for field in ("body", "orelse", "finalbody")):
            if (
                isinstance(body, list)
                and any(isinstance(s, ast.Pass) for s in body)
                and (len(body) > 1 or idle)
            ):
                header = ast.unparse(owner).split("\n")[0]
                where = "the program" if isinstance(owner, ast.Module) else repr(header)
                found.append(f"a placeholder pass under {where}")
    return found


def _passes(tree: ast.AST) -> int:
    return sum(isinstance(n, ast.Pass) for n in ast.walk(tree))


def run_patched(
    code: str, namespace: Mapping[str, Any], frames: Mapping[str, Any], rounds: int = 3
) -> tuple[str, list[str]]:
    """``code`` once it runs, and the notes of the patches
    it took; raises the last error when no rule applies."""
    notes: list[str] = []
    for _ in range(rounds):
        ran = dict(namespace)
        try:
            exec(compile(code, "<viscode>", "exec"), ran)
            return code, notes
        except Exception as exc:  # noqa: BLE001 - the failure is the patch's input
            line = (
                exc.__traceback__.tb_next.tb_lineno
                if exc.__traceback__ and exc.__traceback__.tb_next
                else None
            )
            fix = patched(code, type(exc).__name__, str(exc), line, ran, frames)
            if fix is None:
                raise
            code, notes = fix.code, [*notes, fix.note]
        finally:
            plt.close("all")
    raise AssertionError(f"still failing after {rounds} patches: {notes}")


def ran(code: str, frame: Any) -> dict[str, Any]:
    """The namespace a program leaves behind with ``df``
    bound to ``frame`` (the live objects the rules read)."""
    namespace: dict[str, Any] = {"df": frame}
    try:
        exec(code, namespace)
    except Exception:  # noqa: BLE001 - a failing program's objects are what the rules read
        pass
    finally:
        plt.close("all")
    return namespace
