"""The realtables requests: loading the frozen splits and turning them into benchmark tasks.

The requests live in ``requests_dev.jsonl``, ``requests_heldout.jsonl`` and
``requests_fresh.jsonl`` beside this module. A dev or held-out frame's half is fixed by a
hash of its name (``split_of``), so every request about one table sits in the same half, and
adding a frame never moves another one. The fresh split has frames of its own, pinned to it
in the registry: it was written blind after the held-out half had been read once, and is the
held-out set for reported numbers. Rules are written from the dev half alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import VisCodeError
from ..tasks import BenchTask
from .frames import FRAMES, build_frame
from .frames_fresh import FRESH

#: The two halves a frame's name hash chooses between.
HALVES = ("dev", "heldout")
#: Every split ``--split`` accepts: the hashed halves and the fresh split, whose frames are its own.
SPLITS = (*HALVES, FRESH)
#: Chart kinds an annotation may accept; a later figure-facts checker reads the same names.
KINDS = (
    "bar",
    "line",
    "scatter",
    "histogram",
    "box",
    "violin",
    "heatmap",
    "pie",
    "area",
    "hexbin",
    "contour",
    "3d",
)
#: Yes/no properties of the asked-for figure, always all four in an annotation.
FLAGS = ("log_x", "log_y", "panels", "sorted")
HERE = Path(__file__).resolve().parent


def split_of(frame: str) -> str:
    """The split a frame's requests belong to.

    A frame registered for a split of its own (``fresh``) stays there; any other goes to the
    half given by the parity of a salted sha256 of its name, which never depends on other frames.
    """
    spec = FRAMES.get(frame)
    if spec is not None and spec.split is not None:
        return spec.split
    digest = hashlib.sha256(f"realtables:{frame}".encode()).digest()
    return HALVES[digest[-1] % 2]


def requests_path(split: str) -> Path:
    """The data file of one split."""
    if split not in SPLITS:
        raise VisCodeError(f"Unknown --split '{split}'. Use one of: {', '.join(SPLITS)}.")
    return HERE / f"requests_{split}.jsonl"


def load_requests(split: str) -> list[dict[str, Any]]:
    """The request rows of one split, in file order."""
    with open(requests_path(split), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass(frozen=True)
class RealTableTask(BenchTask):
    """A realtables request: the sentence, its library, the frame's builder name and what a right
    figure shows."""

    split: str = "dev"
    truth: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def has_data(self) -> bool:
        return True

    def frame(self) -> pd.DataFrame:
        """The table, built afresh from its seeded builder (no file to read)."""
        return build_frame(self.frame_name)

    def record_fields(self) -> dict[str, Any]:
        """What results.jsonl needs to judge the figure later without the request files."""
        return {
            "suite": "realtables",
            "split": self.split,
            "frame": self.frame_name,
            "text": self.plot_description,
            "truth": self.truth,
        }


def task_from_row(row: dict[str, Any], split: str) -> RealTableTask:
    """One request row as a task; the frame's name in the kernel is its builder's name."""
    return RealTableTask(
        id=int(row["id"]),
        plot_description=row["text"],
        plot_style="",
        frame_name=row["frame"],
        lib=row["lib"],
        split=split,
        truth=row["truth"],
    )


def load_realtables_tasks(
    split: str, ids: Iterable[int] | None = None, lib: str | None = None
) -> list[RealTableTask]:
    """The tasks of one split, optionally only some ids or one library's requests."""
    tasks = [task_from_row(row, split) for row in load_requests(split)]
    if ids is not None:
        wanted = set(ids)
        tasks = [t for t in tasks if t.id in wanted]
    if lib is not None:
        tasks = [t for t in tasks if t.lib == lib]
    return sorted(tasks, key=lambda t: t.id)


def write_halves(rows: Iterable[dict[str, Any]], folder: Path = HERE) -> dict[str, int]:
    """Write each request row to its frame's half; returns rows per half. Used once, when the suite
    was frozen.

    Only the hashed halves are written this way; the fresh split's file was written on its own.
    """
    halves: dict[str, list[str]] = {split: [] for split in HALVES}
    for row in rows:
        split = split_of(row["frame"])
        if split not in halves:
            raise VisCodeError(
                f"Request {row['id']} is about '{row['frame']}', a {split} frame; "
                f"write_halves writes the dev and heldout halves only."
            )
        halves[split].append(json.dumps(row, ensure_ascii=False))
    for split, lines in halves.items():
        (folder / f"requests_{split}.jsonl").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8"
        )
    return {split: len(lines) for split, lines in halves.items()}
