"""realtables: a second benchmark suite of analyst-style tables and requests, with frozen held-out splits.

Frames are built by seeded code (``frames``), requests are data files split by frame
(``suite``): dev, heldout, and fresh (the held-out set written blind). See docs/REALTABLES.md.
"""

from .frames import FRAMES, build_frame
from .suite import HALVES, SPLITS, RealTableTask, load_realtables_tasks, load_requests, split_of

__all__ = [
    "FRAMES",
    "HALVES",
    "SPLITS",
    "RealTableTask",
    "build_frame",
    "load_realtables_tasks",
    "load_requests",
    "split_of",
]
