"""The data card: counts per source, library, chart kind and fault, and filter pass rates.

Written twice: ``DATA_CARD.md`` for people and ``README.md`` whose YAML header tells
``datasets.load_dataset(folder)`` that ``train.jsonl`` is the train split (so the
PNG folder next to it is not mistaken for an image dataset).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

README_HEADER = """---
configs:
- config_name: default
  data_files:
  - split: train
    path: train.jsonl
---
"""


def _table(title: str, counts: Counter) -> list[str]:
    lines = [f"### {title}", "", "| value | count |", "|---|---|"]
    lines += [f"| {key or '-'} | {count} |" for key, count in counts.most_common()]
    return lines + [""]


def statistics(records: list[dict[str, Any]], filters: dict[str, Any]) -> dict[str, Any]:
    """Counts and pass rates, as stored in ``stats.json``."""
    return {
        "records": len(records),
        "by_source": dict(Counter(r["source"] for r in records)),
        "by_lib": dict(Counter(r["lib"] for r in records)),
        "by_kind": dict(Counter(r["kind"] for r in records)),
        "by_fault": dict(Counter(r["fault"] for r in records if r["fault"])),
        "filters": filters,
    }


def _loop_section(loop: dict[str, Any] | None) -> list[str]:
    """The loop source's counts: keep rate, libraries, table sources, errors repaired, diversity."""
    if not loop:
        return []
    diversity = loop["distinct_programs_per_request"]
    lines = [
        "## Loop source (model answers kept by the figure check)",
        "",
        f"Tables: {loop['tables']} ({', '.join(f'{k}: {v}' for k, v in loop['tables_by_source'].items())}); "
        f"refused as evaluation tables: {len(loop['refused_tables'])}. Requests: {loop['requests']} "
        f"(dropped before running for overlap with PandasPlotBench texts: {loop['requests_contaminated']}), "
        f"{loop['requests_with_a_program']} with a kept program; {loop['programs']} programs, "
        f"{loop['repairs']} repair dialogues; {loop['seconds_per_request']} s per request.",
        f"Distinct programs per request: mean {diversity['mean']}.",
        "",
    ]
    lines += _table("Loop: distinct programs per request", Counter(diversity["histogram"]))
    for title, key in (
        ("Loop: programs by library", "by_lib"),
        ("Loop: programs by table source", "by_table_source"),
        ("Loop: error classes repaired", "by_error_repaired"),
        ("Loop: answers dropped, by reason", "dropped"),
    ):
        lines += _table(title, Counter(loop[key]))
    return lines


def write_card(folder: Path, stats: dict[str, Any], config: dict[str, Any]) -> Path:
    """Write ``stats.json``, ``DATA_CARD.md`` and ``README.md`` into ``folder``."""
    (folder / "stats.json").write_text(json.dumps(stats, indent=1) + "\n")
    f = stats["filters"]
    lines = [
        "# VisCode-style training data",
        "",
        "Plotting programs executed headless and kept only when they drew a non-empty figure, with "
        "instructions in the `%%viscode` prompt format, plus repair dialogues built from real tracebacks.",
        "",
        f"Records: **{stats['records']}** (`train.jsonl`; load with "
        f"`datasets.load_dataset('{folder.name}')`).",
        "",
        "## Execution filter",
        "",
        "| stage | candidates | passed | pass rate |",
        "|---|---|---|---|",
    ]
    for stage, (tried, passed) in f["pass"].items():
        lines.append(f"| {stage} | {tried} | {passed} | {passed / max(1, tried):.0%} |")
    lines += [
        "",
        f"Repair candidates whose broken program unexpectedly ran (discarded): "
        f"{f.get('faults_that_ran', 0)}.",
        f"Duplicates removed: {f['duplicates']}. Decontamination against {f['decontamination']['tasks']} "
        f"PandasPlotBench tasks ({f['decontamination']['ngram']}-gram overlap >= "
        f"{f['decontamination']['max_overlap']:.0%}): {len(f['decontamination']['dropped'])} dropped "
        "(details in `decontamination.json`).",
        "",
    ]
    for title, key in (
        ("By source", "by_source"),
        ("By library", "by_lib"),
        ("By chart kind", "by_kind"),
        ("By fault type (repair dialogues)", "by_fault"),
    ):
        lines += _table(title, Counter(stats[key]))
    lines += _loop_section(f.get("loop"))
    lines += ["## Settings", "", "```json", json.dumps(config, indent=1), "```", ""]
    text = "\n".join(lines)
    (folder / "DATA_CARD.md").write_text(text)
    (folder / "README.md").write_text(README_HEADER + text)
    return folder / "DATA_CARD.md"
