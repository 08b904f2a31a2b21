"""``viscoder-demo``: the main job in one command, on the default model.

It does what an analyst does in a notebook (load the extension, make a DataFrame,
run a ``%%viscode`` cell) in an IPython shell, then writes the figure and the
working code to ``--out`` so a newcomer can look at both.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from pathlib import Path

DEMO_FRAME = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
months = pd.date_range("2024-01-01", periods=12, freq="MS")
sales = pd.DataFrame({
    "month": np.repeat(months, 3),
    "region": ["North", "South", "West"] * 12,
    "revenue": rng.integers(200, 1200, 36),
})
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="viscoder-demo", description=__doc__)
    parser.add_argument("--request", default="monthly revenue per region as a line chart")
    parser.add_argument("--lib", default="matplotlib")
    parser.add_argument("--model", default="default")
    parser.add_argument("--out", default="runs/demo", help="Folder for demo.png and demo.py.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("%load_ext viscoder_magic")
    shell.run_cell(DEMO_FRAME)
    cell = f"%%viscode sales --lib {args.lib} --model {args.model} --seed 0\n{args.request}\n"
    print(cell)
    shell.run_cell(cell)
    result = shell.user_ns.get("_viscode")
    if result is None:
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if result.ok:
        (out / "demo.py").write_text(result.code + "\n")
        png = result.figure.bundle.get("image/png") if result.figure else None
        if png:
            (out / "demo.png").write_bytes(base64.b64decode(png))
        print(f"\nworking code: {out / 'demo.py'}; figure: {out / 'demo.png'}; timings: {result.timings}")
    else:
        # A small model can fail a request; the set-up itself worked, so this is not an error exit.
        print(
            f"\nThe model found no working code this time ({len(result.attempts)} attempts, "
            f"{result.timings}); try another --request or --model qwen2.5-coder-1.5b."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
