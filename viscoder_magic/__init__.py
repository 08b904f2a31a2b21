"""viscoder-magic: ``%%viscode`` turns a sentence about a DataFrame into a working plot.

``%load_ext viscoder_magic`` only registers the magics: no model is loaded and no
global hooks are installed until a cell asks for them.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%viscode`` / ``%viscode``."""
    from .magics import VisCodeMagics

    ipython.register_magics(VisCodeMagics)


def unload_ipython_extension(ipython: Any) -> None:
    """Release loaded models when the extension is unloaded."""
    from .backends import unload_all

    unload_all()


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt front end shipped inside this package."""
    return [{"src": "labextension", "dest": "viscoder-magic"}]
