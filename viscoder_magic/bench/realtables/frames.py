"""Every realtables frame, by name: import the domain modules once so their builders register."""

from __future__ import annotations

import pandas as pd

from ...errors import VisCodeError
from . import (  # noqa: F401  (importing a domain module registers its builders)
    frames_business,
    frames_fresh,
    frames_fresh_shapes,
    frames_people,
    frames_science,
    frames_shapes,
    frames_tables,
)
from .registry import FRAMES, FrameSpec

__all__ = ["FRAMES", "FrameSpec", "build_frame"]


def build_frame(name: str) -> pd.DataFrame:
    """A fresh copy of the named frame (builders are seeded, so every call gives the same table)."""
    if name not in FRAMES:
        raise VisCodeError(f"No realtables frame named '{name}'. Use one of: {', '.join(sorted(FRAMES))}.")
    return FRAMES[name].build()
