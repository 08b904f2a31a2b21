"""Time from cell start to figure for ``%%viscode`` in a real kernel (the README's latency figure).

Needs the test extras (nbclient, ipykernel: ``pip install -e .[test]``).

Runs N different requests (default 5) on the default model in one real ipykernel,
after one warm-up cell that loads the model, and writes every timing to
``benchmarks/results/latency.json``. Usage::

    .venv/bin/python -m benchmarks.latency [--n 5] [--out benchmarks/results/latency.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from benchmarks.kernel import KernelSession, mime_outputs

FRAME = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
sales = pd.DataFrame({"month": np.repeat(pd.date_range("2024-01-01", periods=12, freq="MS"), 3),
                      "region": ["North", "South", "West"] * 12,
                      "revenue": rng.integers(200, 1200, 36)})
"""
REQUESTS = [
    "bar chart of total revenue per region",
    "monthly revenue per region as a line chart",
    "histogram of revenue",
    "box plot of revenue by region",
    "scatter plot of month against revenue colored by region",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--out", default="benchmarks/results/latency.json")
    args = parser.parse_args()
    session = KernelSession()
    session.run("%load_ext viscoder_magic")
    session.run(FRAME)
    start = time.perf_counter()
    session.run("%%viscode sales --rounds 0 --max-tokens 16\nwarm-up: load the model")
    load_seconds = time.perf_counter() - start
    rows = []
    for text in (REQUESTS * 2)[: args.n]:
        start = time.perf_counter()
        outputs = session.run(f"%%viscode sales --seed 0\n{text}")
        seconds = time.perf_counter() - start
        row = {
            "request": text,
            "seconds": round(seconds, 2),
            "figure": bool(mime_outputs(outputs, "image/png")),
            "attempts": session.value("len(_viscode.attempts)"),
            "tokens": session.value("_viscode.tokens"),
        }
        rows.append(row)
        print(row, flush=True)
    session.close()
    seconds = [r["seconds"] for r in rows]
    summary = {
        "median_seconds": statistics.median(seconds),
        "min_seconds": min(seconds),
        "max_seconds": max(seconds),
        "figures": sum(r["figure"] for r in rows),
        "n": len(rows),
        "model_load_and_warmup_seconds": round(load_seconds, 2),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "load_average_at_end": os.getloadavg(),
        "rows": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}))


if __name__ == "__main__":
    main()
