"""Store notebooks without outputs, so they diff cleanly and carry no stale figures.

Usage::

    python scripts/strip_notebooks.py            # strip notebooks/*.ipynb in place
    python scripts/strip_notebooks.py --check    # exit 1 if any notebook still has outputs
    python scripts/strip_notebooks.py path/to/a.ipynb ...

Outputs, execution counts and per-cell metadata other than ``tags`` are dropped (the
tests find cells by tag); the kernelspec is set to the plain ``python3`` kernel, so
the notebooks run in whatever environment opens them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def stripped(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without outputs, counts or run metadata."""
    nb = nbformat.from_dict(nb)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for cell in nb.cells:
        tags = cell.metadata.get("tags")
        cell.metadata = nbformat.from_dict({"tags": tags} if tags else {})
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="Notebooks (default: notebooks/*.ipynb).")
    parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if any would change.")
    args = parser.parse_args(argv)
    dirty = []
    for path in args.paths or sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        clean = stripped(nb)
        if clean == nb:
            continue
        dirty.append(path)
        if not args.check:
            nbformat.validate(clean)
            nbformat.write(clean, path)
    verb = "has outputs or run metadata" if args.check else "stripped"
    for path in dirty:
        print(f"{path}: {verb}")
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
