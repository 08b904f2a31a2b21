"""How much of llama.cpp's KV cache a new prompt may reuse and still get a fresh run's reply.

llama-cpp-python reuses the longest cached prefix of a prompt and evaluates only the
rest. That is fast, but the reply then depends on what ran before: llama.cpp multiplies
prompt rows in tiles of 4 (repacked Q4_K weights, ``gemm``) and the rows left over,
and every generated token, one at a time (``gemv``), which sums in another order. A
rerun of the same cell re-evaluated its last prompt token alone and could pick another
token at a near-tie (seen: the second greedy reply differed from the first), so
``--seed`` did not reproduce a run, and a benchmark task's reply depended on the task
before it.

A cached row matches what a fresh evaluation of the new prompt computes when it was
computed by the tile kernel in a chunk starting at a multiple of 4, and the new prompt's
fresh run would also compute it by the tile kernel (every row but its last ``L % 4``).
So the reuse is cut to rows that were tiled (``tiled_rows`` after each prompt), to the
common prefix, and to a multiple of ``ALIGN``; the rest is evaluated in chunks that
start aligned, and its last ``L % 4`` rows fall to ``gemv`` exactly as in a fresh run.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Tile height of llama.cpp's CPU GEMM kernels (4) times a margin: reuse starts at multiples of it.
ALIGN = 16
#: Rows llama.cpp multiplies together in one tile; the rows left over are multiplied one by one.
TILE = 4


def tiled_rows(prompt_length: int) -> int:
    """Prompt rows computed by the tile kernel when a prompt was evaluated from an aligned start."""
    return prompt_length - prompt_length % TILE


def reusable(cached: Sequence[int], tiled: int, prompt: Sequence[int]) -> int:
    """How many leading cached tokens ``prompt`` may keep: tiled, shared, aligned, one short of it."""
    shared = 0
    for old, new in zip(cached[:tiled], prompt, strict=False):
        if old != new:
            break
        shared += 1
    keep = min(shared, len(prompt) - 1)  # the last prompt token is always evaluated: its logits are sampled
    return max(0, keep - keep % ALIGN)
