"""The model catalogue shown by ``%viscode models``: what exists, where from, whether present."""

from __future__ import annotations

from .models import ALIASES, REGISTRY_MODELS, cache_dir, is_present


def catalogue_rows() -> list[dict[str, str]]:
    """One row per known model."""
    rows = []
    aliases = {target: alias for alias, target in ALIASES.items()}
    for entry in REGISTRY_MODELS.values():
        name = entry.name + (f" ({aliases[entry.name]})" if entry.name in aliases else "")
        rows.append({
            "name": name,
            "source": f"registry: {entry.package}1..{entry.parts}=={entry.version}",
            "size": f"{entry.size / 1e6:,.0f} MB",
            "present": "yes" if is_present(entry) else "no (assembled on first use)",
            "description": entry.description,
        })
    return rows


def catalogue_text() -> str:
    """The catalogue as an aligned text table."""
    rows = catalogue_rows()
    keys = ["name", "source", "size", "present"]
    widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in keys}
    lines = ["  ".join(k.ljust(widths[k]) for k in keys)]
    lines += ["  ".join(r[k].ljust(widths[k]) for k in keys) for r in rows]
    return "\n".join(lines) + f"\n(cache: {cache_dir()})"
