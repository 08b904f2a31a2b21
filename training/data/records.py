"""Training records in the magic's own chat format, so the model learns what ``%%viscode`` sends.

Instructions are built by ``viscoder_magic.prompt.first_messages`` from the plot and
style descriptions, with the frame described by ``describe_frame`` (setup, data
description, data preview, plot description, style description: VisCode's five
parts). Repair dialogues continue that chat with ``repair_messages`` and the
executed program's real trimmed traceback and grounded hint, exactly as the loop
in ``viscoder_magic.pipeline`` does.

Record schema (one JSON object per line of ``train.jsonl``)::

    {"id": str, "source": "generated|repair|teacher|viscode200k|code_feedback",
     "lib": str, "kind": str, "fault": str, "messages": [{"role", "content"}, ...],
     "image": "images/<id>.png" | null}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from viscoder_magic.describe import describe_frame
from viscoder_magic.prompt import Message, first_messages, repair_messages


def answer(code: str) -> Message:
    """An assistant turn holding ``code`` the way the magic's extractor expects it."""
    return {"role": "assistant", "content": f"```python\n{code.strip()}\n```"}


def instruction(
    plot_description: str, style_description: str, lib: str, frame: pd.DataFrame
) -> list[Message]:
    """System + user turns of the first request, as the magic writes them for a frame named ``df``."""
    text = f"{plot_description}\n{style_description}"
    return first_messages(text, lib, [describe_frame("df", frame)])


def program_record(key: str, program: Any, frame: pd.DataFrame, image: str | None) -> dict[str, Any]:
    """A single-turn example: instruction, then the validated program."""
    messages = instruction(program.plot_description, program.style_description, program.lib, frame)
    return {
        "id": key,
        "source": "generated",
        "lib": program.lib,
        "kind": program.kind,
        "fault": "",
        "messages": [*messages, answer(program.code)],
        "image": image,
    }


def repair_record(
    key: str,
    program: Any,
    frame: pd.DataFrame,
    broken: str,
    fault: str,
    error: str,
    hint: str,
    image: str | None,
) -> dict[str, Any]:
    """A self-debug example: instruction, broken code, its real traceback, the working code."""
    first = instruction(program.plot_description, program.style_description, program.lib, frame)
    messages = repair_messages([*first, answer(broken)], broken, error, hint)
    return {
        "id": key,
        "source": "repair",
        "lib": program.lib,
        "kind": program.kind,
        "fault": fault,
        "messages": [*messages, answer(program.code)],
        "image": image,
    }


def final_code(record: dict[str, Any]) -> str:
    """The code of the last assistant turn (what dedup compares)."""
    from viscoder_magic.extract import extract_code

    last = next((m["content"] for m in reversed(record["messages"]) if m["role"] == "assistant"), "")
    return extract_code(last) or last
