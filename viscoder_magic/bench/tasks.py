"""Benchmark tasks: PandasPlotBench items from a local folder or from Hugging Face.

The local folder (``tasks.jsonl``, ``data/data-<id>.csv``, ``instructs.json``) is
read in place and never copied. Item 30 has no data table upstream's local copy;
it is counted out and reported as skipped, never as a failure.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import VisCodeError

HF_DATASET = "JetBrains-Research/PandasPlotBench"


@dataclass(frozen=True)
class BenchTask:
    """One benchmark item: what to plot, and the table to plot it from.

    ``frame_name`` is the table's name in the kernel and ``lib`` the item's own
    library (None: the run's ``--lib``); PandasPlotBench items keep ``df`` and None.
    """

    id: int
    plot_description: str
    plot_style: str
    csv_path: Path | None = None
    csv_text: str | None = None
    frame_name: str = "df"
    lib: str | None = None

    @property
    def has_data(self) -> bool:
        return self.csv_path is not None or self.csv_text is not None

    def frame(self) -> pd.DataFrame:
        """The item's table, read the way PandasPlotBench reads it (``pd.read_csv``)."""
        if self.csv_text is not None:
            return pd.read_csv(io.StringIO(self.csv_text))
        if self.csv_path is None:
            raise VisCodeError(f"Task {self.id} has no data table; it cannot be run.")
        return pd.read_csv(self.csv_path)

    def record_fields(self) -> dict[str, Any]:
        """Extra fields of the item's results.jsonl line (a suite's judging annotation); none here."""
        return {}


def parse_ids(spec: str) -> list[int]:
    """``"0-99"``, ``"3,5,10-12"`` → sorted ids."""
    ids: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part:
                start, end = (int(x) for x in part.split("-", 1))
                ids.update(range(start, end + 1))
            else:
                ids.add(int(part))
        except ValueError:
            raise VisCodeError(
                f"--ids '{spec}' is not a list of ids or ranges, e.g. 0-99 or 1,4,10-20."
            ) from None
    return sorted(ids)


def load_instructs(data: str | Path) -> dict[str, str]:
    """The benchmark's own prompt templates (``instructs.json``)."""
    path = Path(data) / "instructs.json"
    if not path.exists():
        raise VisCodeError(
            f"{path} is missing: point --data at a PandasPlotBench folder that has instructs.json."
        )
    return json.loads(path.read_text())


def _local_tasks(folder: Path) -> list[BenchTask]:
    tasks = []
    with open(folder / "tasks.jsonl") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            csv = row.get("data_csv_file")
            tasks.append(
                BenchTask(
                    id=int(row["id"]),
                    plot_description=row["task__plot_description"],
                    plot_style=row["task__plot_style"],
                    csv_path=(folder / csv) if csv and (folder / csv).exists() else None,
                )
            )
    return tasks


def _hf_tasks() -> list[BenchTask]:
    try:
        from datasets import load_dataset
    except ImportError:
        raise VisCodeError(
            "Reading PandasPlotBench from Hugging Face needs the `datasets` library: "
            "`pip install 'viscoder-magic[bench]'`, or pass --data with a local folder."
        ) from None
    rows = load_dataset(HF_DATASET, split="test")
    return [
        BenchTask(
            id=int(r["id"]),
            plot_description=r["task__plot_description"],
            plot_style=r["task__plot_style"],
            csv_text=r.get("data_csv") or None,
        )
        for r in rows
    ]


def load_tasks(data: str, ids: Iterable[int] | None = None) -> list[BenchTask]:
    """Tasks from a local folder, or from the Hugging Face dataset when ``data`` is ``hf``."""
    if data in ("hf", HF_DATASET):
        tasks = _hf_tasks()
    else:
        folder = Path(data)
        if not (folder / "tasks.jsonl").exists():
            raise VisCodeError(
                f"No tasks.jsonl in '{data}'. Pass --data with the PandasPlotBench folder "
                f"(e.g. ../shared/pandasplotbench), or --data hf to read {HF_DATASET}."
            )
        tasks = _local_tasks(folder)
    if ids is not None:
        wanted = set(ids)
        tasks = [t for t in tasks if t.id in wanted]
    return sorted(tasks, key=lambda t: t.id)
