"""The plotting libraries' own names, looked up live: a module if it loads, what a real Axes has,
where else a library keeps a name.

Both the repair hints (``repair``) and the patch rules (``patches/``) ask these
questions of the installed libraries; the answers live here, below both, so neither
imports the other.
"""

from __future__ import annotations

import functools
import importlib
import types


def loaded_module(name: str) -> types.ModuleType | None:
    """The module ``name``, or None when it cannot be imported (not installed, or failing on import)."""
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a module not installed (or broken) is simply not there
        return None


@functools.cache
def axes_attributes() -> frozenset[str]:
    """What a real Axes has, instance attributes (``xaxis``, ``yaxis``) included."""
    from matplotlib.figure import Figure

    return frozenset(n for n in dir(Figure().add_subplot()) if not n.startswith("_"))


@functools.cache
def axes_methods() -> frozenset[str]:
    """The attributes of a real Axes that can be called (``yaxis`` cannot: it is an axis object)."""
    from matplotlib.figure import Figure

    axes = Figure().add_subplot()
    return frozenset(n for n in axes_attributes() if callable(getattr(axes, n, None)))


def elsewhere_in_library(module: types.ModuleType, attribute: str) -> list[str]:
    """``plotly.express.subplots``: where else the same library has that name.

    Looks at the library's modules already imported, and at a public submodule named
    exactly ``attribute`` (``plotly.subplots``), which it imports to read.
    """
    import pkgutil
    import sys

    root = module.__name__.split(".")[0]
    package = sys.modules.get(root)
    if package is not None and attribute in {
        m.name for m in pkgutil.iter_modules(getattr(package, "__path__", []))
    }:
        try:
            importlib.import_module(f"{root}.{attribute}")
        except Exception:  # noqa: BLE001 - a hint is never worth an error
            pass
    found: dict[int, str] = {}  # by object: ``graph_objs`` re-exports ``graph_objects``, one answer not two
    for name, other in sorted(sys.modules.items()):
        if other is None or other is module or not name.startswith(root + ".") or "._" in name:
            continue
        if name.rsplit(".", 1)[-1] == attribute:
            named = [
                n
                for n in dir(other)
                if not n.startswith("_") and attribute in n and callable(getattr(other, n, None))
            ][:2]
            for n in named:
                found.setdefault(id(getattr(other, n)), f"{name}.{n}")
        elif callable(getattr(other, attribute, None)):
            found.setdefault(id(getattr(other, attribute)), f"{name}.{attribute}")
        if len(found) >= 3:
            break
    return list(found.values())[:3]
