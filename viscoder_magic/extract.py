"""Extract stage: the program inside a model's reply.

Small models do not always follow the fence protocol: they forget the language
tag, never close the fence when they run out of tokens, or answer with bare code.
We take the first fenced block, tolerate a missing or unclosed fence, and drop the
lines that write the figure to disk (figures are returned, not saved). Lines that
reload the data from a file stay: the check stage knows the loaded frames and gives
the program the real one (``check.drop_rebuilt_frames``).
"""

from __future__ import annotations

import ast
import re

from .patches.edit import replaced

_FENCE = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL | re.IGNORECASE)
_STOP_TOKENS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<EOS>")
_WRITES_FIGURE = re.compile(r"^\s*[\w.\[\]()]*\.(?:savefig|write_image|write_html|to_image)\(.*\)\s*$")


def _first_block(reply: str) -> str:
    for token in _STOP_TOKENS:
        reply = reply.replace(token, "")
    match = _FENCE.search(reply)
    if match:
        return match.group(1)
    if "```" in reply:  # an opening fence with code on the same line, e.g. "```python import x"
        return reply.split("```", 2)[1].removeprefix("python")
    return reply


def _code_line(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _without_io(lines: list[str]) -> str:
    """The lines without figure writes, for a program that does not parse (blocks read from the indentation).

    ``pass`` takes a write's place only where the write was the one statement of its
    block, so the parser's next error is the program's own (the syntax patch reads it).
    """
    kept: list[str] = []
    for number, line in enumerate(lines):
        if not _WRITES_FIGURE.match(line):
            kept.append(line)
            continue
        indent = len(line) - len(line.lstrip())
        before = next((k for k in reversed(kept) if _code_line(k)), "")
        after = next((k for k in lines[number + 1 :] if _code_line(k) and not _WRITES_FIGURE.match(k)), None)
        if before.rstrip().endswith(":") and (after is None or len(after) - len(after.lstrip()) < indent):
            kept.append(line[:indent] + "pass")
    return "\n".join(kept).strip("\n")


def extract_code(reply: str) -> str:
    """Return the runnable program in ``reply`` (possibly empty).

    A program that parses loses its figure writes as a patch removes a statement (a block
    they alone filled goes too, no placeholder is left); one cut off mid-statement loses
    their lines, with ``pass`` where a block would otherwise be empty.
    """
    lines = _first_block(reply).strip("\n").splitlines()
    whole = "\n".join(lines)
    try:
        tree = ast.parse(whole)
    except SyntaxError:
        tree = None
    if tree is not None:
        writes = [
            s
            for s in ast.walk(tree)
            if isinstance(s, ast.Expr)
            and s.lineno == s.end_lineno
            and _WRITES_FIGURE.match(lines[s.lineno - 1])
        ]
        return replaced(whole, [], writes).strip("\n") if writes else whole
    return _without_io(lines)
