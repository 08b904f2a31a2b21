"""N candidates decoded in one llama.cpp batch versus N separate runs (what ``--candidates`` costs).

Decoding on a CPU is bound by reading the weights, so one ``llama_decode`` that
advances N sequences by a token should cost far less than N decodes. This script
measures it on the default model with a realistic ``%%viscode`` prompt (~730
tokens): N separate runs of ``--tokens`` tokens each (each evaluating its prompt,
as separate calls do), then one batch of N for each ``--sizes`` value. Every
sequence decodes exactly ``--tokens`` tokens (end-of-turn ignored), so times compare.
Writes ``benchmarks/results/batch_decode.json``. Usage::

    .venv/bin/python -m benchmarks.batch_decode [--tokens 256] [--sizes 4,2,8] [--separate 4]

On a shared machine, pause other benchmarks only while it runs (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Arguments:
    """Options of the batch-decoding benchmark (each field is one ``--option``)."""

    model: str = field(default="qwen2.5-coder-0.5b", metadata={"help": "Model name or GGUF path."})
    tokens: int = field(default=256, metadata={"help": "Tokens decoded per sequence."})
    separate: int = field(default=4, metadata={"help": "Separate one-sequence runs timed as the baseline."})
    sizes: str = field(default="4,2,8", metadata={"help": "Batch sizes N, in the order timed."})
    deadline: float = field(
        default=100.0,
        metadata={
            "help": "Seconds from the start after which no further batch size starts (keeps a pause short)."
        },
    )
    paused_at: str = field(
        default="", metadata={"help": "When other benchmarks were paused (recorded as is)."}
    )
    out: str = field(default="benchmarks/results/batch_decode.json", metadata={"help": "JSON file written."})


def make_parser() -> argparse.ArgumentParser:
    """argparse parser built from ``Arguments`` (one option per field, help from metadata)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for item in dataclasses.fields(Arguments):
        kind = {"int": int, "float": float}.get(str(item.type), str)
        parser.add_argument(
            "--" + item.name.replace("_", "-"), type=kind, default=item.default, help=item.metadata["help"]
        )
    return parser


def magic_prompt() -> list[dict[str, str]]:
    """The chat ``%%viscode`` sends for a stacked-bar request on an 8-column sales frame."""
    import numpy as np
    import pandas as pd

    from viscoder_magic.describe import describe_frame
    from viscoder_magic.prompt import first_messages

    rng, n = np.random.default_rng(0), 48
    sales = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=n, freq="W"),
            "region": rng.choice(["North", "South", "East", "West"], n),
            "product": rng.choice(["Laptop", "Phone", "Tablet"], n),
            "channel": rng.choice(["online", "store"], n),
            "units": rng.integers(1, 40, n),
            "unit_price": rng.normal(400, 80, n).round(2),
            "revenue": rng.integers(200, 9000, n),
            "returned": rng.random(n) < 0.1,
        }
    )
    return first_messages(
        "monthly revenue per region as stacked bars, largest region at the bottom",
        "matplotlib",
        [describe_frame("sales", sales)],
    )


def timed(decoder: Any, messages: list[dict[str, str]], params: list[Any]) -> dict[str, Any]:
    """One generate_many call: wall time, prompt time, decode time and decode tokens/s."""
    start = time.perf_counter()
    replies = decoder.generate_many(messages, params, ignore_eos=True)
    seconds = time.perf_counter() - start
    tokens = sum(r.tokens for r in replies)
    decode = seconds - decoder.prompt_seconds
    return {
        "n": len(params),
        "seconds": round(seconds, 3),
        "prompt_seconds": round(decoder.prompt_seconds, 3),
        "decode_seconds": round(decode, 3),
        "tokens": tokens,
        "decode_tokens_per_second": round(tokens / decode, 2),
    }


def main(args: Arguments) -> dict[str, Any]:
    from viscoder_magic.backends.base import GenerationParams
    from viscoder_magic.backends.llama import LlamaCppBackend
    from viscoder_magic.models import resolve

    began = time.time()
    backend = LlamaCppBackend(resolve(args.model))
    decoder, messages = backend._decoder, magic_prompt()
    params = [GenerationParams(max_tokens=args.tokens, temperature=0.8, seed=1000 * i) for i in range(64)]
    sizes, prompt_tokens = [int(s) for s in args.sizes.split(",")], len(decoder.prompt(messages)[0])
    decoder.reserve(prompt_tokens + max(sizes) * args.tokens, max(sizes))
    decoder.generate_many(messages, [dataclasses.replace(p, max_tokens=8) for p in params[:2]])  # warm-up
    separate = [timed(decoder, messages, [p]) for p in params[: args.separate]]
    batches: list[dict[str, Any]] = []
    for n in sizes:
        if batches and time.time() - began > args.deadline:
            break
        batches.append(timed(decoder, messages, params[:n]))
    backend.close()
    one = separate[0]
    decode_one = sum(r["decode_seconds"] for r in separate) / len(separate)
    prompt = sum(r["prompt_seconds"] for r in separate) / len(separate)
    for b in batches:
        n = b["n"]
        measured = sum(r["seconds"] for r in separate[:n]) if n <= len(separate) else None
        # Separate runs evaluate the prompt each time; a sequential pipeline on one Llama reuses
        # its prompt cache, so "cached" charges the prompt once on both sides.
        b["ratio_separate_runs"] = round(measured / b["seconds"], 2) if measured else None
        b["ratio_decode_only"] = round(n * decode_one / b["decode_seconds"], 2)
        b["ratio_prompt_cached"] = round((prompt + n * decode_one) / (prompt + b["decode_seconds"]), 2)
    summary = {
        "prompt_tokens": prompt_tokens,
        "tokens_per_sequence": args.tokens,
        "one_sequence": one,
        "separate_runs": separate,
        "batches": batches,
        "model": backend.description,
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "paused_at": args.paused_at,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(began)),
        "seconds": round(time.time() - began, 1),
        "load_average_at_end": os.getloadavg(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    result = main(Arguments(**vars(make_parser().parse_args())))
    print(json.dumps({k: v for k, v in result.items() if k not in ("separate_runs",)}, indent=1))
