"""Whether a trained model beats its base, read from two benchmark runs of the same tasks.

A trained adapter ships as the default only when it wins on four counts, each on the
same tasks, settings and seeds as the base (``viscoder-train eval`` runs both):

(a) its first attempt, as the model wrote it (before any patch or repair), draws at
    least ``FIRST_ATTEMPT_GAIN`` points more often: the training should move the model,
    not lean on the loop's rules;
(b) after all repair rounds it draws no less often;
(c) it resubmits a program that already failed no more often per repair turn (the
    earlier GPU adapter's repairs collapsed into resubmissions);
(d) its median seconds per task are lower.

With N = 99 one task is one point, so the comparison is paired: the tasks only one
model passes are counted both ways, with the exact two-sided sign test on them
(McNemar's test), so a gain of a few tasks is not read as a win when it is noise.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: (a): how many points the first attempt must gain, per library.
FIRST_ATTEMPT_GAIN = 10.0


def first_attempt_drew(record: dict[str, Any]) -> bool:
    """Whether the model's own first program drew (a pre-check finding is a failure; patches do not count)."""
    attempts = record.get("attempts") or []
    return bool(attempts) and attempts[0].get("kind") == "generate" and bool(attempts[0].get("drew"))


def final_pass(record: dict[str, Any], key: str = "pass_at") -> bool:
    """Exec pass (``pass_at``) or task pass (``task_pass_at``) after the last round."""
    passes = record.get(key) or [False]
    return bool(passes[-1])


def resubmissions(records: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """(repair turns whose reply resubmitted a program that had failed, repair turns) over a run.

    The loop resamples such a reply instead of running it, so the attempt records how many
    replies it set aside (``resubmitted``); a reply that still repeats is a ``Repeated`` attempt.
    """
    repeated = turns = 0
    for record in records:
        for attempt in record.get("attempts") or []:
            if attempt.get("kind") == "repair":
                turns += 1
                repeated += attempt.get("error_type") == "Repeated" or attempt.get("resubmitted", 0) > 0
    return repeated, turns


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact p-value that ``wins`` against ``losses`` discordant pairs is a coin's doing."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(wins, losses) + 1)) / 2**n
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class Paired:
    """One yes/no measure over the tasks both runs have."""

    trained: int
    base: int
    only_trained: int
    only_base: int
    n: int

    @property
    def gain_points(self) -> float:
        return 100.0 * (self.trained - self.base) / self.n if self.n else 0.0

    @property
    def p_value(self) -> float:
        return sign_test(self.only_trained, self.only_base)


def paired(trained: dict[int, bool], base: dict[int, bool]) -> Paired:
    """The measure on the shared task ids, with the tasks each model alone passes."""
    ids = sorted(trained.keys() & base.keys())
    return Paired(
        trained=sum(trained[i] for i in ids),
        base=sum(base[i] for i in ids),
        only_trained=sum(trained[i] and not base[i] for i in ids),
        only_base=sum(base[i] and not trained[i] for i in ids),
        n=len(ids),
    )


@dataclass(frozen=True)
class Comparison:
    """Trained against base on one suite (a library of PandasPlotBench, or a held-out request set)."""

    name: str
    first: Paired
    final: Paired
    task: Paired
    resubmitted: tuple[tuple[int, int], tuple[int, int]]  # (repeated, turns) for trained, base
    median_seconds: tuple[float, float]
    #: Whether (a) holds this suite to the first-attempt gain (PandasPlotBench libraries, not a held-out set).
    gated: bool = True

    def rate(self, which: int) -> float:
        repeated, turns = self.resubmitted[which]
        return repeated / turns if turns else 0.0

    def verdicts(self) -> dict[str, bool]:
        """(a)-(d) for this suite; (a) is held to the gain only where the suite is ``gated``."""
        return {
            "a": self.first.gain_points >= FIRST_ATTEMPT_GAIN if self.gated else True,
            "b": self.final.trained >= self.final.base,
            "c": self.rate(0) <= self.rate(1),
            "d": self.median_seconds[0] < self.median_seconds[1],
        }


def _by_id(records: Sequence[dict[str, Any]], measure: Any) -> dict[int, bool]:
    return {r["id"]: measure(r) for r in records}


def _median_seconds(records: Sequence[dict[str, Any]], ids: set[int]) -> float:
    values = [float(r.get("seconds", 0.0)) for r in records if r["id"] in ids]
    return round(statistics.median(values), 1) if values else 0.0


def compare(
    name: str, trained: Sequence[dict[str, Any]], base: Sequence[dict[str, Any]], gated: bool = True
) -> Comparison:
    """Trained against base from their results.jsonl records, on the task ids both ran.

    A task counted out (no data table) is left out of every count, the median included.
    """
    trained = [r for r in trained if not r.get("skipped")]
    base = [r for r in base if not r.get("skipped")]
    shared = {r["id"] for r in trained} & {r["id"] for r in base}
    trained = [r for r in trained if r["id"] in shared]
    base = [r for r in base if r["id"] in shared]
    return Comparison(
        name=name,
        first=paired(_by_id(trained, first_attempt_drew), _by_id(base, first_attempt_drew)),
        final=paired(_by_id(trained, final_pass), _by_id(base, final_pass)),
        task=paired(
            _by_id(trained, lambda r: final_pass(r, "task_pass_at")),
            _by_id(base, lambda r: final_pass(r, "task_pass_at")),
        ),
        resubmitted=(resubmissions(trained), resubmissions(base)),
        median_seconds=(_median_seconds(trained, shared), _median_seconds(base, shared)),
        gated=gated,
    )


def _cell(measure: Paired) -> str:
    return (
        f"{measure.trained}/{measure.n} vs {measure.base}/{measure.n} ({measure.gain_points:+.1f} pts; "
        f"{measure.only_trained} only trained, {measure.only_base} only base, p = {measure.p_value:.2f})"
    )


def markdown(comparisons: Sequence[Comparison], names: tuple[str, str]) -> str:
    """The comparison table and the verdict on (a)-(d)."""
    lines = [
        f"Trained: {names[0]}. Base: {names[1]}. Same loop, settings and seeds; paired on the tasks "
        "both ran.",
        "",
        "| suite | (a) first attempt drew | (b) drew after all rounds | task pass after all rounds "
        "| (c) resubmitted per repair turn | (d) median s/task | (a) (b) (c) (d) |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in comparisons:
        marks = item.verdicts()
        (r0, t0), (r1, t1) = item.resubmitted
        lines.append(
            f"| {item.name} | {_cell(item.first)} | {_cell(item.final)} | {_cell(item.task)} "
            f"| {r0}/{t0} vs {r1}/{t1} | {item.median_seconds[0]} vs {item.median_seconds[1]} "
            f"| {' '.join('yes' if marks[k] else 'NO' for k in 'abcd')} |"
        )
    lines += [
        "",
        f"(a) needs at least {FIRST_ATTEMPT_GAIN:.0f} points per PandasPlotBench library; (b) no fewer "
        "passes; (c) no higher resubmission rate; (d) a lower median.",
        "",
        "**Verdict: the trained model wins on every count.**"
        if wins(comparisons)
        else "**Verdict: not a win; the base stays the default.**",
    ]
    return "\n".join(lines) + "\n"


def wins(comparisons: Sequence[Comparison]) -> bool:
    """(a)-(d) hold on every suite."""
    return bool(comparisons) and all(all(c.verdicts().values()) for c in comparisons)
