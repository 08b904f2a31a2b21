"""Judging a recorded run against the suite's own annotation of what each figure must show.

Task pass in the loop is judged by the product's own reader of the request (``intent.py``),
which the loop also repairs towards: a circle, if it were the only measure. The realtables
requests carry an annotation written with the request (acceptable chart kinds, the columns a
right figure must show, log axes, panels, sorting), so a run can also be judged from outside
the product. The judge reads the facts recorded for the figure the user was shown; it needs no
rerun. A column counts as shown when the figure's data was traced to it or its name is on an
axis, in the title or in the legend (ignoring case, spaces and underscores), as a reader of
the figure would see it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..intent import squashed

#: Kinds a reader cannot tell apart on the figure (touching bars are a histogram or a bar chart of bins).
_SAME_LOOK = ({"bar", "histogram"},)


def shown_attempt(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The attempt whose figure the user was shown: the working one, else the last that drew."""
    attempts = record.get("attempts", [])
    if record.get("ok") and attempts:
        return attempts[-1]
    return next((a for a in reversed(attempts) if a.get("drew")), None)


def _kinds_ok(asked: Sequence[str], drawn: Sequence[str]) -> bool:
    accepted = set(asked)
    for group in _SAME_LOOK:
        if accepted & group:
            accepted |= group
    return bool(accepted & set(drawn))


def _visible_text(facts: Mapping[str, Any]) -> list[str]:
    panels = facts.get("panels", [])
    texts = [facts.get("title", ""), *facts.get("legend", [])]
    for panel in panels:
        texts += [
            panel.get("x_label", ""),
            panel.get("y_label", ""),
            panel.get("z_label", ""),
            panel.get("title", ""),
            *panel.get("legend", []),
            *panel.get("columns", []),
        ]
    return [squashed(t) for t in texts if t]


def _column_shown(column: str, facts: Mapping[str, Any], visible: Sequence[str]) -> bool:
    if column in facts.get("columns", []):
        return True
    wanted = squashed(column)
    return bool(wanted) and any(wanted in text for text in visible)


def differences(truth: Mapping[str, Any], facts: Mapping[str, Any]) -> list[str]:
    """What the shown figure lacks against the annotation; empty when it shows all of it."""
    found = []
    kinds = facts.get("kinds", [])
    if truth.get("kinds") and not _kinds_ok(truth["kinds"], kinds):
        found.append(f"kind: asked {'/'.join(truth['kinds'])}, drawn {'/'.join(kinds) or 'nothing readable'}")
    visible = _visible_text(facts)
    missing = [c for c in truth.get("columns", []) if not _column_shown(c, facts, visible)]
    if missing:
        found.append(f"not shown: {', '.join(map(str, missing))}")
    panels = facts.get("panels", [])
    for axis in ("x", "y"):
        if truth.get(f"log_{axis}") and not any(p.get(f"{axis}_scale") == "log" for p in panels):
            found.append(f"{axis} axis not log")
    if truth.get("panels") and len(panels) < 2:
        found.append("one panel, several asked")
    orders = [p.get("order", "") for p in panels if p.get("order")]
    if truth.get("sorted") and orders and not any(o in ("ascending", "descending") for o in orders):
        found.append("not sorted")
    return found


def judged(record: Mapping[str, Any]) -> tuple[bool, list[str]] | None:
    """(passes, what is missing) for a record with an annotation; None for one without."""
    truth = record.get("truth")
    if not truth:
        return None
    shown = shown_attempt(record)
    if shown is None:
        return False, ["no figure"]
    facts = shown.get("facts")
    if not facts:
        return False, ["no facts recorded for the figure"]
    missing = differences(truth, facts)
    if not record.get("ok"):
        missing = ["the product itself did not pass it", *missing]
    return not missing, missing
