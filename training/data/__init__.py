"""``data`` stage: see ``training.data.build`` (generator, validation, instructions, repairs, importers,
card)."""

from .build import build_data, main, make_parser

__all__ = ["build_data", "main", "make_parser"]
