"""Measure the cutoff above which the pre-check offers a "closest" column for an unknown name.

On every realtables DEV frame (never the held-out half), each text column label is
slipped the ways programs slip it: other case, spaces and underscores swapped, a letter
dropped, two letters swapped, its unit left off. Against these stand names that are not
slips of any column: another dev frame's column label, an index name, a word of the
frame's dev requests. A name that shares a word with some column of the frame is left out
of the non-slips (``temperature`` for ``Température moyenne (°C)`` is a fair lead, not a
wrong one). For each cutoff the script counts the slips whose best match is their own
label at or above it and the non-slips whose best match is below it (the cutoff chosen is the
middle of those with the fewest wrong answers: a lost slip and a wrong lead each cost a
program one round), for the similarity
``viscoder_magic.labels.similarity`` and for plain ``difflib`` ratios (the old rule).
Writes ``benchmarks/results/closest_threshold.json``. Usage::

    .venv/bin/python -m benchmarks.closest_threshold
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viscoder_magic.bench.realtables.frames import build_frame
from viscoder_magic.bench.realtables.suite import load_requests
from viscoder_magic.labels import normal, similarity, unitless

CUTOFFS = [round(0.5 + 0.01 * step, 2) for step in range(46)]
WORD = re.compile(r"[^\W\d_][\w.]{3,}")


@dataclass
class ThresholdArguments:
    """Where the result goes."""

    out: str = "benchmarks/results/closest_threshold.json"


def slips(label: str) -> dict[str, str]:
    """The realistic slips of one label, by kind (a slip equal to the label itself is left out)."""
    middle = len(label) // 2
    found = {
        "lower case": label.lower(),
        "title case": label.title(),
        "underscores": label.replace(" ", "_"),
        "spaces": label.replace("_", " "),
        "dropped letter": label[:middle] + label[middle + 1 :],
        "swapped letters": label[: middle - 1] + label[middle] + label[middle - 1] + label[middle + 1 :],
    }
    bare = unitless(label)
    if bare != normal(label):
        found["unit left off"] = bare
    return {kind: slip for kind, slip in found.items() if slip != label and len(label) > 2}


def words(text: str) -> set[str]:
    """A request's words that a program could take for a column (four letters or more)."""
    return {w.strip(".").lower() for w in WORD.findall(text)}


def edits(a: str, b: str) -> int:
    """Levenshtein distance: how a slip is told from an ambiguous one without the similarity under test."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def attributable(slip: str, label: str, labels: list[str]) -> bool:
    """Whether ``slip`` is nearer ``label`` than every other label (``Q01`` is as near ``Q010`` as
    ``Q001``)."""
    own = edits(normal(slip), normal(label))
    return all(edits(normal(slip), normal(other)) > own for other in labels if other != label)


def related(name: str, tokens: set[str]) -> bool:
    """A fair lead: the name shares a word, or a word's stem, with a column (``sessions``,
    ``session_start``)."""
    for word in set(normal(name).split()) | set(unitless(name).split()):
        if any(
            word == t or (min(len(word), len(t)) >= 3 and (word.startswith(t) or t.startswith(word)))
            for t in tokens
        ):
            return True
    return False


def score_pairs(similar: Callable[[str, Any], float]) -> Callable[[str, list[Any]], tuple[Any, float]]:
    """The best label for a name under ``similar``, with its score."""

    def best(name: str, labels: list[Any]) -> tuple[Any, float]:
        scored = [(similar(name, label), i) for i, label in enumerate(labels)]
        score, i = max(scored)
        return labels[i], score

    return best


def cases(names: list[str]) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str]]]:
    """(frame, label, kind, slip) slips and (frame, kind, name) non-slips over the dev frames."""
    rows = load_requests("dev")
    frames = {name: build_frame(name) for name in names}
    all_labels = {str(c) for f in frames.values() for c in f.columns if isinstance(c, str)}
    all_index = {str(n) for f in frames.values() for n in f.index.names if n is not None}
    slipped, others = [], []
    for name, frame in frames.items():
        labels = [c for c in frame.columns if isinstance(c, str)]
        if not labels:
            continue
        tokens = {w for c in labels for w in unitless(c).split()} | {
            w for c in labels for w in normal(c).split()
        }
        for label in labels:
            for kind, slip in slips(label).items():
                if slip not in labels and attributable(slip, label, labels):
                    slipped.append((name, label, kind, slip))
        request_words = set().union(*(words(r["text"]) for r in rows if r["frame"] == name))
        for kind, pool in (
            ("other frame's column", all_labels),
            ("index name", all_index),
            ("request word", request_words),
        ):
            for other in sorted(pool):
                if other in labels or related(other, tokens):
                    continue  # a fair lead to a real column, not a wrong one
                others.append((name, kind, other))
    return slipped, others


def measure(
    similar: Callable[[str, Any], float], slipped: list, others: list, frames: dict
) -> list[dict[str, Any]]:
    """Kept slips and rejected non-slips at every cutoff."""
    best = score_pairs(similar)
    slip_scores = [
        (best(s, list(frames[f].columns))[0] == label, best(s, list(frames[f].columns))[1])
        for f, label, _, s in slipped
    ]
    other_scores = [best(o, list(frames[f].columns))[1] for f, _, o in others]
    table = []
    for cutoff in CUTOFFS:
        kept = sum(right and score >= cutoff for right, score in slip_scores)
        rejected = sum(score < cutoff for score in other_scores)
        table.append(
            {
                "cutoff": cutoff,
                "slips_kept": kept,
                "non_slips_rejected": rejected,
                "wrong": len(slipped) - kept + len(others) - rejected,
                "balanced_accuracy": round((kept / len(slipped) + rejected / len(others)) / 2, 4),
            }
        )
    return table


def misses(slipped: list, others: list, frames: dict, cutoff: float) -> dict[str, list[str]]:
    """The cases the chosen cutoff gets wrong, written out for the docs."""
    best = score_pairs(similarity)
    lost = [
        f"{f}: {s!r} for {label!r} ({kind})"
        for f, label, kind, s in slipped
        if not (
            best(s, list(frames[f].columns))[0] == label and best(s, list(frames[f].columns))[1] >= cutoff
        )
    ]
    led = [
        f"{f}: {o!r} ({kind}) -> {best(o, list(frames[f].columns))[0]!r}"
        for f, kind, o in others
        if best(o, list(frames[f].columns))[1] >= cutoff
    ]
    return {"slips_lost": lost, "non_slips_suggested": led}


def main(args: ThresholdArguments) -> dict[str, Any]:
    """Count, pick the middle of the best cutoffs, write the JSON."""
    names = sorted({r["frame"] for r in load_requests("dev")})
    frames = {name: build_frame(name) for name in names}
    slipped, others = cases(names)
    ours = measure(similarity, slipped, others, frames)
    plain = measure(lambda a, b: difflib.SequenceMatcher(None, a, str(b)).ratio(), slipped, others, frames)
    fewest = min(row["wrong"] for row in ours)  # a lost slip and a wrong lead each cost one program a round
    best_cutoffs = [row["cutoff"] for row in ours if row["wrong"] == fewest]
    chosen = best_cutoffs[len(best_cutoffs) // 2]
    result = {
        "split": "dev",
        "frames": len(names),
        "slips": len(slipped),
        "non_slips": len(others),
        "similarity": "viscoder_magic.labels.similarity",
        "chosen_cutoff": chosen,
        "best_cutoffs": best_cutoffs,
        "table": ours,
        "plain_difflib_table": plain,
        **misses(slipped, others, frames, chosen),
    }
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def make_parser() -> argparse.ArgumentParser:
    """The script's options (one: where to write)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=ThresholdArguments.out, help="where the JSON result goes")
    return parser


if __name__ == "__main__":
    result = main(ThresholdArguments(**vars(make_parser().parse_args())))
    print(json.dumps({k: result[k] for k in ("slips", "non_slips", "chosen_cutoff", "best_cutoffs")}))
    for row, plain in zip(result["table"], result["plain_difflib_table"], strict=True):
        if round(row["cutoff"] * 100) % 5 == 0:
            print(row, "| difflib:", plain["slips_kept"], plain["non_slips_rejected"])
