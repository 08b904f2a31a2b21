"""Summaries of a run: pass rate per repair round, error types, latency, tokens.

Metrics follow the VisCoder paper's self-debug protocol: a task passes at round r
when some attempt with index ≤ r ran without exception and drew a figure. Tasks
without a data table (item 30) are counted out of N and listed as skipped.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..repair import normalized
from ..request import VisCodeRequest
from .runner import read_records
from .truth import judged

#: The notebook's default time budget per cell; benchmarks run without one (``--budget 0``).
NOTEBOOK_BUDGET = VisCodeRequest(text="", frames=()).budget


def load_records(run_dir: str | Path) -> list[dict[str, Any]]:
    """The results.jsonl lines of a run (the last line per id wins; cut lines ignored)."""
    records = {record["id"]: record for record in read_records(Path(run_dir))}
    return [records[k] for k in sorted(records)]


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def passed_within(record: dict[str, Any], budget: float) -> bool:
    """Whether a task run without a budget would also have drawn under ``budget`` seconds.

    The notebook never cuts the first reply, so a task drawn in round 0 counts; a later
    attempt counts when the recorded seconds (generation and run) up to its end fit the
    budget, since a reply still being written when the budget ends is cut.
    """
    elapsed = 0.0
    for attempt in record.get("attempts", []):
        elapsed += attempt.get("generation_seconds", 0.0) + attempt.get("exec_seconds", 0.0)
        if attempt.get("drew", attempt.get("ok")):  # records before the task check had no "drew"
            return attempt.get("index", 0) == 0 or elapsed <= budget
    return False


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The numbers report.md and the chart show."""
    ran = [r for r in records if not r.get("skipped")]
    skipped = sorted(r["id"] for r in records if r.get("skipped"))
    rounds = max((len(r["pass_at"]) for r in ran), default=1)
    n = len(ran)
    passed = [sum(1 for r in ran if r["pass_at"][min(k, len(r["pass_at"]) - 1)]) for k in range(rounds)]
    judged = [r for r in ran if "task_pass_at" in r]  # runs from before the task check have none
    task_passed = (
        [
            sum(1 for r in judged if r["task_pass_at"][min(k, len(r["task_pass_at"]) - 1)])
            for k in range(rounds)
        ]
        if judged and len(judged) == n
        else None
    )
    first = Counter(r["attempts"][0]["error_type"] or "ok" for r in ran if r["attempts"])
    final = Counter(r["attempts"][-1]["error_type"] or "ok" for r in ran if r["attempts"])
    seconds = [r["seconds"] for r in ran]
    tokens = [r["tokens"] for r in ran]
    attempts = [a for r in ran for a in r["attempts"]]
    first_record = ran[0] if ran else {}
    libs = sorted({str(r.get("lib")) for r in ran})  # a realtables run mixes libraries, one per request
    return {
        "lib": "+".join(libs) if len(libs) > 1 else first_record.get("lib"),
        "prompt": first_record.get("prompt"),
        "model": first_record.get("model"),
        "n": n,
        "skipped": skipped,
        "ids": [r["id"] for r in ran],
        "passed": passed,
        "pass_rate": [round(100 * p / n, 1) if n else 0.0 for p in passed],
        "task_passed": task_passed,
        "task_pass_rate": [round(100 * p / n, 1) if n else 0.0 for p in task_passed] if task_passed else None,
        "mismatches": mismatch_list(ran),
        **annotation_summary(ran),
        "errors_initial": dict(first.most_common()),
        "errors_final": dict(final.most_common()),
        "latency_median_s": round(statistics.median(seconds), 2) if seconds else 0.0,
        "latency_p90_s": round(_percentile(seconds, 0.9), 2),
        "tokens_mean": round(statistics.mean(tokens), 1) if tokens else 0.0,
        "tokens_median": statistics.median(tokens) if tokens else 0,
        "attempts_total": len(attempts),
        "generation_seconds_per_attempt": round(statistics.mean(a["generation_seconds"] for a in attempts), 2)
        if attempts
        else 0.0,
        "repeated_attempts": sum(resubmissions(r) for r in ran),
        # replies that repeated a failure and were resampled instead of run (the model's habit)
        "resampled_replies": sum(a.get("resubmitted", 0) for a in attempts),
        "patch_attempts": sum(1 for a in attempts if a["kind"] == "patch"),
        "passed_by_patch": sum(1 for r in ran if r["ok"] and r["attempts"][-1]["kind"] == "patch"),
        "replayed": sum(r.get("replayed", 0) for r in ran),
        "revisions": dict(Counter(r.get("revision") or "unknown" for r in ran).most_common()),
        "budget_s": NOTEBOOK_BUDGET,
        "passed_within_budget": sum(1 for r in ran if passed_within(r, NOTEBOOK_BUDGET)),
    }


def annotation_summary(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Tasks whose shown figure holds what the suite's annotation says it must (``truth.py``), when
    annotated."""
    verdicts = [(r["id"], judged(r)) for r in records]
    verdicts = [(i, v) for i, v in verdicts if v is not None]
    if not verdicts:
        return {}
    return {
        "annotated": len(verdicts),
        "annotation_passed": sum(1 for _, v in verdicts if v[0]),
        "annotation_failures": [{"id": i, "missing": v[1]} for i, v in verdicts if not v[0]],
    }


def mismatch_list(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each task whose last figure drawn does not show what was asked: its id and the difference found."""
    found = []
    for record in records:
        if record.get("ok"):
            continue
        last = next(
            (a for a in reversed(record.get("attempts", [])) if a.get("error_type") == "Mismatch"), None
        )
        if last is not None:
            found.append({"id": record["id"], "difference": last.get("error", "")[:400]})
    return found


def resubmissions(record: dict[str, Any]) -> int:
    """Attempts whose program is one that already failed in the same task.

    Counted from the code, not from the loop's ``Repeated`` label: with resampling off (the
    plain loop) a resubmission is run again and fails the same way without being labelled,
    and it is exactly what the plain loop's numbers need to show. Programs are compared as
    the loop compares them (``repair.normalized``: comments and layout do not count); the
    recorded code is already the completed form the loop keyed.
    """
    failed: set[str] = set()
    count = 0
    for attempt in record["attempts"]:
        code = attempt.get("code")
        if code is None:
            continue
        key = normalized(code)
        if key in failed:
            count += 1
        if not attempt["ok"]:
            failed.add(key)
    return count


def _task_rates(summary: dict[str, Any]) -> str:
    """Task pass per round, or why it is missing (a run from before the figure-facts check)."""
    task = summary.get("task_passed")
    if not task:
        return " | ".join("not measured" for _ in summary["passed"])
    n = summary["n"]
    return " | ".join(f"{p}/{n} = {r}%" for p, r in zip(task, summary["task_pass_rate"], strict=True))


def _mismatch_lines(summary: dict[str, Any]) -> list[str]:
    """The tasks that ended on a figure that does not show what was asked (exec pass, task fail)."""
    found = summary.get("mismatches") or []
    if not found:
        return []
    lines = [f"## Drew, but not what was asked ({len(found)} task(s))", ""]
    lines += [f"- {m['id']}: {' '.join(m['difference'].split())}" for m in found]
    return [*lines, ""]


def _annotation_lines(summary: dict[str, Any]) -> list[str]:
    """The judgement from outside the product: the suite's annotation against the shown figure's facts."""
    if not summary.get("annotated"):
        return []
    lines = [
        "## Judged against the suite's annotation",
        "",
        f"{summary['annotation_passed']}/{summary['annotated']} tasks passed by the product show what the "
        "annotation says a right figure must (kind, columns, log axes, panels, sorting).",
        "",
    ]
    lines += [f"- {f['id']}: {'; '.join(f['missing'])}" for f in summary.get("annotation_failures", [])]
    return [*lines, ""]


def _error_table(summary: dict[str, Any]) -> list[str]:
    kinds = sorted(
        set(summary["errors_initial"]) | set(summary["errors_final"]),
        key=lambda k: (k == "ok", -summary["errors_initial"].get(k, 0)),
    )
    lines = ["| outcome | first attempt | last attempt (after repair) |", "|---|---|---|"]
    lines += [
        f"| {k} | {summary['errors_initial'].get(k, 0)} | {summary['errors_final'].get(k, 0)} |"
        for k in kinds
    ]
    return lines


def report_markdown(summary: dict[str, Any], run_info: dict[str, Any]) -> str:
    """report.md for one run."""
    n = summary["n"]
    rounds = " | ".join(f"round {k}" for k in range(len(summary["passed"])))
    rates = " | ".join(
        f"{p}/{n} = {r}%" for p, r in zip(summary["passed"], summary["pass_rate"], strict=True)
    )
    skipped = ", ".join(map(str, summary["skipped"])) or "none"
    machine = run_info.get("machine", {})
    lines = [
        f"# viscoder-bench: {summary['lib']}, prompt {summary['prompt']}",
        "",
        f"Model: {summary['model']}. Tasks run: N = {n}; counted out (no data table): {skipped}.",
        "",
        "## Exec pass (ran and drew) and task pass (drew what was asked) after each repair round",
        "",
        f"| | {rounds} |",
        "|---|" + "---|" * len(summary["passed"]),
        f"| exec pass | {rates} |",
        f"| task pass | {_task_rates(summary)} |",
        "",
        *_mismatch_lines(summary),
        *_annotation_lines(summary),
        "## Error types before and after repair",
        "",
        *_error_table(summary),
        "",
        "## Cost per task",
        "",
        f"- latency: median {summary['latency_median_s']} s, p90 {summary['latency_p90_s']} s",
        f"- tokens generated: mean {summary['tokens_mean']}, median {summary['tokens_median']}",
        f"- attempts: {summary['attempts_total']} in all, {summary['generation_seconds_per_attempt']} s "
        f"generation per attempt, {summary['repeated_attempts']} resubmitted an already-failed program"
        + (
            f" (and {summary['resampled_replies']} replies that repeated one were resampled instead of run)"
            if summary.get("resampled_replies")
            else ""
        ),
        f"- rule-based patches (no model call): {summary.get('patch_attempts', 0)} tried, "
        f"{summary.get('passed_by_patch', 0)} task(s) drew with one",
        f"- under the notebook's default budget ({summary['budget_s']:g} s per cell; this run had none): "
        f"{summary['passed_within_budget']}/{n} would draw, counted from the recorded seconds",
        *(
            [
                "- replies replayed from the generation cache (same chat and settings, "
                f"counted at the seconds they cost when decoded): {summary['replayed']}"
            ]
            if summary.get("replayed")
            else []
        ),
        "",
        "## Run",
        "",
        f"Command: `{run_info.get('command', '?')}`",
        "",
        f"Machine: {machine.get('cpu', '?')}, {machine.get('nproc', '?')} cores, "
        f"{machine.get('ram_gb', '?')} GB RAM, {machine.get('platform', '?')}, "
        f"Python {machine.get('python', '?')}, "
        f"load average {machine.get('load_avg_at_start', '?')} at start.",
        *(
            [f"Libraries: {', '.join(f'{k} {v}' for k, v in machine['versions'].items())}."]
            if machine.get("versions")
            else []
        ),
        *_revision_lines(summary.get("revisions", {})),
        "",
    ]
    return "\n".join(lines)


def _revision_lines(revisions: dict[str, int]) -> list[str]:
    """Which commits ran the tasks; a run resumed at another commit mixes two programs."""
    if not revisions:
        return []
    listed = ", ".join(f"{rev} ({count} tasks)" for rev, count in revisions.items())
    mixed = " **The rows mix programs: compare with care.**" if len(revisions) > 1 else ""
    return ["", f"Commits that ran these tasks: {listed}.{mixed}"]


def combined_table(summaries: Sequence[dict[str, Any]]) -> str:
    """One markdown row per run: pass at round 0 and at the last round, cost per task."""
    lines = [
        "| library | prompt | N | exec pass, round 0 | exec pass, last round | rounds "
        "| median s/task | p90 s/task | tokens/task |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        last = len(s["passed"]) - 1
        lines.append(
            f"| {s['lib']} | {s['prompt']} | {s['n']} | {s['passed'][0]}/{s['n']} = {s['pass_rate'][0]}% "
            f"| {s['passed'][-1]}/{s['n']} = {s['pass_rate'][-1]}% | {last} | {s['latency_median_s']} "
            f"| {s['latency_p90_s']} | {s['tokens_mean']} |"
        )
    return "\n".join(lines)


def write_chart(summaries: Sequence[dict[str, Any]], path: str | Path) -> Path:
    """PNG: exec pass rate against repair round, one line per library and prompt."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for summary in summaries:
        rates = summary["pass_rate"]
        label = f"{summary['lib']} / {summary['prompt']} (N={summary['n']})"
        ax.plot(range(len(rates)), rates, marker="o", label=label)
    ax.set_xlabel("repair round (0 = first attempt)")
    ax.set_ylabel("exec pass rate (%)")
    ax.set_ylim(0, 100)
    ax.set_xticks(range(max((len(s["pass_rate"]) for s in summaries), default=1)))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("PandasPlotBench exec pass, viscoder-magic pipeline")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def write_report(run_dir: str | Path) -> dict[str, Any]:
    """report.md, summary.json and chart.png in ``run_dir``; returns the summary."""
    run_dir = Path(run_dir)
    info_path = run_dir / "run.json"
    run_info = json.loads(info_path.read_text()) if info_path.exists() else {}
    summary = summarize(load_records(run_dir))
    (run_dir / "summary.json").write_text(json.dumps({**summary, "run": run_info}, indent=1) + "\n")
    (run_dir / "report.md").write_text(report_markdown(summary, run_info))
    write_chart([summary], run_dir / "chart.png")
    return summary
