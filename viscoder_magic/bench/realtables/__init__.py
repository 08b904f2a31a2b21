"""realtables: a second benchmark suite of analyst-style tables and requests, with a frozen held-out half.

Frames are built by seeded code (``frames``), requests are data files split by frame
(``suite``). See docs/REALTABLES.md.
"""

from .frames import FRAMES, build_frame
from .suite import SPLITS, RealTableTask, load_realtables_tasks, load_requests, split_of

__all__ = ["FRAMES", "SPLITS", "RealTableTask", "build_frame", "load_realtables_tasks", "load_requests", "split_of"]
