"""Effective settings and where each came from, for ``%viscode status``."""

from __future__ import annotations

from typing import Any


def settings_report(magics: Any) -> str:
    """``name = value   (default | config)`` for every configurable trait."""
    configured: set[str] = set()
    for section in ("VisCode", "VisCodeMagics"):
        if magics.config._has_section(section):
            configured.update(magics.config[section].keys())
    lines = []
    for name in sorted(magics.class_trait_names(config=True)):
        if name in ("config", "parent", "log"):
            continue
        origin = "config" if name in configured else "default"
        lines.append(f"{name:12} = {getattr(magics, name)!r:40} ({origin})")
    return "\n".join(lines)
