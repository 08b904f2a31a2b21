"""What a generated program draws (``Chart``) and how it styles it (``Style``).

A module of their own, below both readers: ``programs`` chooses a chart and a style and
states them in the instruction, ``render`` writes them as a program; ``programs`` calls
``render``, and ``render`` needs the types without importing ``programs`` back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """Styling the style description names and the program applies."""

    title: str
    color: str
    palette: str
    figsize: tuple[int, int]
    grid: bool
    rotate: int


@dataclass(frozen=True)
class Chart:
    """What to draw: kind, encodings, aggregation, and whether dates need parsing."""

    kind: str
    x: str = ""
    y: str = ""
    hue: str = ""
    agg: str = "sum"
    parse_dates: str = ""
    columns: tuple[str, ...] = field(default_factory=tuple)
