"""How much prompt-lookup decoding would save on the repair replies of finished runs (an estimate,
no model run).

A repair reply copies much of the program it repairs. Prompt-lookup decoding drafts
the next ``--draft`` tokens from the latest earlier occurrence of the last 3-4 tokens
(in the repaired program and its error, or the reply so far) and verifies them in
one decode; the model keeps the prefix it agrees with, plus one token of its own.
Replaying each recorded reply token by token through that rule gives the decode
steps it would take; a step that verifies N rows is charged what
``benchmarks/draft_cost.py`` measured for N rows (``cost_in_single_steps``). Greedy
replies are assumed unchanged by drafting (batched rows can round differently; that
is not modelled). Usage::

    .venv/bin/python -m benchmarks.lookup_estimate benchmarks/runs/seaborn-viscode-0.5b-v17 [--draft 4]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

#: n-gram lengths tried for a draft, longest first; shorter matches draft wrong tokens too often to pay.
NGRAMS = (4, 3)


def draft_for(history: Sequence[int], size: int) -> list[int]:
    """The ``size`` tokens that followed the latest earlier occurrence of the history's last n-gram."""
    for n in NGRAMS:
        if len(history) <= n:
            continue
        key = list(history[-n:])
        for start in range(len(history) - n - 1, -1, -1):
            if list(history[start : start + n]) == key:
                return list(history[start + n : start + n + size])
    return []


def lookup_cost(
    context: Sequence[int], reply: Sequence[int], size: int, cost: Callable[[int], float]
) -> float:
    """Decode cost of ``reply`` in single-step units when drafts come from ``context`` and the reply so
    far."""
    done, total = 0, 0.0
    while done < len(reply):
        draft = draft_for([*context, *reply[:done]], size)
        agreed = 0
        while agreed < len(draft) and done + agreed < len(reply) and draft[agreed] == reply[done + agreed]:
            agreed += 1
        total += cost(len(draft) + 1)
        done += agreed + 1
    return total


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="+", help="Run folders with results.jsonl.")
    parser.add_argument("--draft", type=int, default=4, help="Tokens drafted per step.")
    parser.add_argument(
        "--cost", default="benchmarks/results/draft_cost.json", help="benchmarks/draft_cost.py's output."
    )
    parser.add_argument(
        "--model", default="qwen2.5-coder-0.5b", help="Model whose tokenizer counts the tokens."
    )
    args = parser.parse_args(argv)

    from llama_cpp import Llama

    from viscoder_magic.models import resolve

    steps = {int(k): v for k, v in json.loads(Path(args.cost).read_text())["cost_in_single_steps"].items()}

    def cost(rows: int) -> float:  # between measured sizes: linear
        below = max(k for k in steps if k <= rows)
        above = min((k for k in steps if k >= rows), default=below)
        return (
            steps[below]
            if above == below
            else steps[below] + (steps[above] - steps[below]) * (rows - below) / (above - below)
        )

    vocab = Llama(str(resolve(args.model)), vocab_only=True, verbose=False)

    def tokens(text: str) -> list[int]:
        return vocab.tokenize(text.encode(), add_bos=False)

    for run in args.runs:
        single = drafted = 0.0
        for line in (Path(run) / "results.jsonl").read_text().splitlines():
            record = json.loads(line)
            previous = None  # the program a repair turn shows the model, with its error
            for attempt in record.get("attempts", []):
                if attempt["kind"] == "repair" and previous is not None and attempt["reply"]:
                    reply = tokens(attempt["reply"])
                    single += len(reply)
                    drafted += lookup_cost(tokens(previous), reply, args.draft, cost)
                previous = attempt["code"] + "\n" + (attempt.get("error") or "")[-1500:]
        ratio = single / drafted if drafted else 0.0
        print(
            f"{run}: repair replies {int(single)} tokens; with drafts of {args.draft}: "
            f"{drafted:.0f} single-step "
            f"units, {ratio:.2f}x faster decoding"
        )


if __name__ == "__main__":
    main()
