"""What verifying a draft costs: one llama_decode of N tokens of one reply, with logits for every row.

Prompt-lookup (speculative) decoding would speed up repair rounds, whose replies copy
much of the previous program: draft the next tokens from an earlier occurrence of the
last n-gram, verify them in one decode, keep the prefix the model agrees with. It pays
only if verifying N rows costs far less than N single-token steps. On a GPU it does;
on 2 CPU cores the rows are multiplied, not just read, and each row also needs the
151,936-wide output layer. This script measures the ratio on the default model after
an ~800-token prompt and writes ``benchmarks/results/draft_cost.json``. Usage::

    .venv/bin/python -m benchmarks.draft_cost [--sizes 1,2,4,8,11,16] [--repeats 6]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass
class Arguments:
    """Options of the draft-cost benchmark (each field is one ``--option``)."""

    model: str = field(default="qwen2.5-coder-0.5b", metadata={"help": "Model name or GGUF path."})
    sizes: str = field(default="1,2,4,8,11,16", metadata={"help": "Rows N decoded together, one reply."})
    repeats: int = field(default=6, metadata={"help": "Timings per size (the median is kept)."})
    prompt_tokens: int = field(
        default=800, metadata={"help": "Tokens in the KV cache before the timed decodes."}
    )
    out: str = field(default="benchmarks/results/draft_cost.json", metadata={"help": "Where the JSON goes."})


def main(args: Arguments) -> dict[str, Any]:
    from viscoder_magic.backends.llama import LlamaCppBackend
    from viscoder_magic.models import resolve

    backend = LlamaCppBackend(resolve(args.model))
    llama = backend._llama
    text = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot(df['x'], df['y'])\n" * 40
    prompt = llama.tokenize(text.encode())[: args.prompt_tokens]
    llama.reset()
    llama.eval(prompt)
    base = llama.n_tokens
    medians: dict[int, float] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        times = []
        for _ in range(args.repeats):
            llama._ctx.kv_cache_seq_rm(-1, base, -1)  # the last decode's rows go: every timing starts alike
            llama._batch.set_batch(batch=prompt[:n], n_past=base, logits_all=True)
            start = time.perf_counter()
            llama._ctx.decode(llama._batch)
            times.append(time.perf_counter() - start)
        medians[n] = statistics.median(times)
    backend.close()
    one = medians[min(medians)]
    summary = {
        "model": backend.description,
        "prompt_tokens": base,
        "milliseconds": {n: round(1000 * s, 1) for n, s in medians.items()},
        "cost_in_single_steps": {n: round(s / one, 2) for n, s in medians.items()},
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "load_average_at_end": os.getloadavg(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for f in fields(Arguments):
        parser.add_argument(
            f"--{f.name.replace('_', '-')}",
            type=int if f.type == "int" else str,
            default=f.default,
            help=f.metadata["help"],
        )
    print(json.dumps(main(Arguments(**vars(parser.parse_args()))), indent=2))
