"""Dedup by normalised code, and decontamination against PandasPlotBench task texts.

Dedup hashes the final program with comments, blank lines and spacing removed, so
programs that differ only in layout count once. Decontamination indexes the word
n-grams of every benchmark plot/style description and drops any training item that
contains a large share of some task's n-grams; the report lists what was dropped
so the benchmark numbers in docs can be trusted. Nothing from the benchmark is
trained on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from .records import final_code


def code_key(code: str) -> str:
    """Hash of the program without comments and whitespace differences."""
    lines = [re.sub(r"\s+", "", line.split("#", 1)[0]) for line in code.splitlines()]
    return hashlib.sha1("\n".join(line for line in lines if line).encode()).hexdigest()


def dedup(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Records with the first of each (fault repaired, final program) kept, and how many were dropped.

    A repair dialogue is told apart by the fault it repairs, so the same program may teach
    several repairs but is taught as a plain answer once.
    """
    seen: set[tuple[str, str]] = set()
    kept = []
    for record in records:
        key = (record.get("fault") or "", code_key(final_code(record)))
        if key in seen:
            continue
        seen.add(key)
        kept.append(record)
    return kept, len(records) - len(kept)


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def benchmark_texts(folder: str | Path) -> dict[str, str]:
    """Task id -> plot + style description, from ``tasks.jsonl``; empty when the folder is absent."""
    path = Path(folder) / "tasks.jsonl"
    if not path.is_file():
        return {}
    texts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            task = json.loads(line)
            texts[str(task["id"])] = (
                f"{task.get('task__plot_description', '')} {task.get('task__plot_style', '')}"
            )
    return texts


def decontaminate(
    records: list[dict[str, Any]], folder: str | Path, n: int = 8, max_overlap: float = 0.2
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(kept records, report): drop items sharing ``max_overlap`` of some task's n-grams."""
    tasks = {tid: ngrams(text, n) for tid, text in benchmark_texts(folder).items()}
    index: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for tid, grams in tasks.items():
        for gram in grams:
            index[gram].add(tid)
    kept, dropped, worst = [], [], 0.0
    for record in records:
        text = " ".join(m["content"] for m in record["messages"] if m["role"] != "system")
        hits: dict[str, int] = defaultdict(int)
        for gram in ngrams(text, n):
            for tid in index.get(gram, ()):
                hits[tid] += 1
        overlap, task = max(
            ((count / max(1, len(tasks[t])), t) for t, count in hits.items()), default=(0.0, "")
        )
        worst = max(worst, overlap)
        if overlap >= max_overlap:
            dropped.append({"id": record["id"], "task": task, "overlap": round(overlap, 3)})
        else:
            kept.append(record)
    report = {
        "benchmark": str(folder),
        "tasks": len(tasks),
        "ngram": n,
        "max_overlap": max_overlap,
        "checked": len(records),
        "dropped": dropped,
        "largest_overlap_kept_or_dropped": round(worst, 3),
    }
    return kept, report
