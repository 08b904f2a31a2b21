"""Importers for VisCode-200K and Code-Feedback style JSONL, local or through ``datasets``.

Both corpora are chat records; field names vary between releases and mirrors
(``messages`` with role/content, ShareGPT ``conversations`` with from/value, or
``instruction``/``output`` pairs), so every shape is normalised to our record
schema here, and anything else is skipped and counted rather than guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "system": "system",
    "model": "assistant",
}


def _rows(source: str, limit: int) -> Iterator[dict[str, Any]]:
    if source.startswith("hf:"):
        import datasets

        name = source[3:]
        try:
            stream = datasets.load_dataset(name, split="train", streaming=True)
        except Exception as exc:  # noqa: BLE001 - network or name problems, reported as one paragraph
            raise VisCodeError(
                f"Could not load '{name}' with datasets ({exc}). Download it and pass the JSONL path instead."
            ) from None
        for index, row in enumerate(stream):
            if limit and index >= limit:
                return
            yield dict(row)
        return
    path = Path(source).expanduser()
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise VisCodeError(
            f"No JSONL data at '{source}'. Pass a .jsonl file, a folder of them, or hf:ORG/NAME."
        )
    count = 0
    for file in files:
        with open(file, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
                    count += 1
                    if limit and count >= limit:
                        return


def normalise(row: dict[str, Any]) -> list[dict[str, str]] | None:
    """Messages in role/content form ending with an assistant turn, or None if unusable."""
    if isinstance(row.get("messages"), list):
        raw = [(m.get("role"), m.get("content")) for m in row["messages"]]
    elif isinstance(row.get("conversations"), list):
        raw = [(m.get("from"), m.get("value")) for m in row["conversations"]]
    elif "instruction" in row and "output" in row:
        raw = [("user", row["instruction"]), ("assistant", row["output"])]
    else:
        return None
    messages = [{"role": ROLES.get(str(r).lower(), ""), "content": c} for r, c in raw]
    if not messages or any(not m["role"] or not isinstance(m["content"], str) for m in messages):
        return None
    if messages[-1]["role"] != "assistant" or not any(m["role"] == "user" for m in messages):
        return None
    return messages


def import_records(source: str, name: str, limit: int = 0) -> tuple[list[dict[str, Any]], int]:
    """(records, skipped) from one corpus, tagged with ``source=name``."""
    records, skipped = [], 0
    for index, row in enumerate(_rows(source, limit)):
        messages = normalise(row)
        if messages is None:
            skipped += 1
            continue
        lib = next((lib for lib in ("plotly", "seaborn", "matplotlib") if lib in messages[-1]["content"]), "")
        records.append(
            {
                "id": f"{name}-{row.get('id', row.get('uuid', index))}",
                "source": name,
                "lib": lib,
                "kind": "",
                "fault": "",
                "messages": messages,
                "image": None,
            }
        )
    return records, skipped
