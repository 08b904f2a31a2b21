"""docs/BENCHMARKS.md, generated from the committed run summaries and a small index.

A hand-written results page drifts from the summaries it quotes and grows into a work log.
Here ``benchmarks/index.json`` names the run folders that feed each row and says what a
summary cannot: whether the row's task ids were held out from the reading that wrote the
repair rules, the model's short name, the commit and the machine. Every number on the page
is read from a ``summary.json``, and rendering depends on nothing else, so regenerating the
page from a checkout gives the committed file (a test holds it to that). Usage::

    viscoder-bench report --page docs/BENCHMARKS.md [--index benchmarks/index.json] [--check]
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import VisCodeError
from . import page_text

DEFAULT_INDEX = "benchmarks/index.json"
#: held-out: the ids' failures were not read before the run; in-sample: they were, while rules were written.
SPLITS = ("held-out", "in-sample")
LIBRARIES = ("matplotlib", "seaborn", "plotly")
#: a row's library: one of them, or "all three" for a realtables run, whose requests each name their own
ROW_LIBRARIES = (*LIBRARIES, "all three")
ROW_KEYS = ("split", "lib", "prompt", "label", "model", "commit", "machine", "runs")


@dataclass(frozen=True)
class Row:
    """One table row: the run folders that feed it and what their summaries cannot say."""

    split: str
    lib: str
    prompt: str
    label: str
    model: str
    commit: str
    machine: str
    runs: tuple[str, ...]


@dataclass(frozen=True)
class Measured:
    """A row's numbers, summed over its runs (each task id in exactly one of them)."""

    ids: tuple[int, ...]
    passed: tuple[int, ...]
    latency: tuple[tuple[float, float], ...]  # (median, p90) seconds per task, one pair per run
    within: int | None  # None: a run's summary predates the within-budget count
    task_passed: int | None = None  # after the last round; None: a run's summary predates the task check

    @property
    def n(self) -> int:
        """Tasks in the row (a task without a data table is in no run's ids)."""
        return len(self.ids)


@dataclass(frozen=True)
class Index:
    """The parsed index file; ``results`` is the folder the run names are looked up in."""

    path: Path
    results: Path
    rounds: int
    budget_s: float
    data: dict[str, Any]


def load_index(path: str | Path = DEFAULT_INDEX) -> Index:
    """Read the index; its ``results`` folder is relative to the index file."""
    path = Path(path)
    if not path.is_file():
        raise VisCodeError(
            f"No benchmark index at {path}. Pass --index with the file that lists the page's runs "
            f"(the repository's is {DEFAULT_INDEX})."
        )
    data = json.loads(path.read_text())
    return Index(
        path=path,
        results=path.parent / data.get("results", "results"),
        rounds=int(data["rounds"]),
        budget_s=float(data["budget_s"]),
        data=data,
    )


def parse_row(entry: dict[str, Any], where: str) -> Row:
    """A row of the index, checked: a wrong split or library would put numbers in the wrong place."""
    missing = [key for key in ROW_KEYS if key not in entry]
    if missing:
        raise VisCodeError(
            f"Benchmark index row {where} lacks {', '.join(missing)}; every row names {', '.join(ROW_KEYS)}."
        )
    if entry["split"] not in SPLITS or entry["lib"] not in ROW_LIBRARIES:
        raise VisCodeError(
            f"Benchmark index row {where}: split must be one of {', '.join(SPLITS)} and lib one of "
            f"{', '.join(ROW_LIBRARIES)} (got {entry['split']!r}, {entry['lib']!r})."
        )
    return Row(**{**{key: entry[key] for key in ROW_KEYS}, "runs": tuple(entry["runs"])})


def read_summary(index: Index, run: str) -> dict[str, Any]:
    """One run's summary.json (a missing one is named, with where it was looked for)."""
    path = index.results / run / "summary.json"
    if not path.is_file():
        raise VisCodeError(
            f"The benchmark index names run '{run}', but {path} does not exist. Commit the run's "
            f"summary.json there or drop the run from {index.path}."
        )
    return json.loads(path.read_text())


def check_commit(commit: str, run: str, summary: dict[str, Any]) -> None:
    """Refuse an index commit that disagrees with the commits the run's summary recorded.

    Older summaries record none, so the index is the only source there; where both exist, a
    disagreement means the index points at the wrong run or the wrong commit.
    """
    named = [c.strip() for c in commit.replace("+", ",").split(",") if c.strip()]
    for revision in summary.get("revisions", {}):
        bare = revision.removesuffix("-dirty")
        if bare != "unknown" and not any(bare.startswith(c) or c.startswith(bare) for c in named):
            raise VisCodeError(
                f"Run '{run}' ran at {revision}, but the benchmark index gives its row the commit "
                f"'{commit}'. Correct the index."
            )


def measure(index: Index, row: Row) -> Measured:
    """Sum a row's runs; they must cover disjoint ids with the index's number of rounds."""
    ids: list[int] = []
    passed = [0] * (index.rounds + 1)
    latency: list[tuple[float, float]] = []
    within: int | None = 0
    task: int | None = 0
    for run in row.runs:
        summary = read_summary(index, run)
        check_commit(row.commit, run, summary)
        if len(summary["passed"]) != index.rounds + 1 or set(ids) & set(summary["ids"]):
            raise VisCodeError(
                f"Run '{run}' has {len(summary['passed']) - 1} repair rounds or repeats ids of "
                f"its row's other runs; a row sums runs of {index.rounds} rounds over distinct ids."
            )
        ids += summary["ids"]
        passed = [a + b for a, b in zip(passed, summary["passed"], strict=True)]
        latency.append((summary["latency_median_s"], summary["latency_p90_s"]))
        counted = summary.get("passed_within_budget") if summary.get("budget_s") == index.budget_s else None
        within = None if within is None or counted is None else within + counted
        judged = summary.get("task_passed")
        task = None if task is None or not judged else task + judged[-1]
    return Measured(
        ids=tuple(sorted(ids)), passed=tuple(passed), latency=tuple(latency), within=within, task_passed=task
    )


def id_ranges(ids: Sequence[int]) -> str:
    """``0-29, 31-99``: the ids a row covers, as ranges."""
    spans: list[list[int]] = []
    for i in sorted(ids):
        if spans and i == spans[-1][1] + 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in spans)


def fraction(passed: int, n: int) -> str:
    """``79/99 (79.8%)``: counts first, since N differs between rows."""
    return f"{passed}/{n} ({100 * passed / n:.1f}%)" if n else "-"


def latency_text(measured: Measured) -> str:
    """Median (p90) per run: medians of different runs cannot be combined from their summaries."""
    return " / ".join(f"{median:.1f} ({p90:.0f})" for median, p90 in measured.latency)


def run_links(index: Index, runs: Sequence[str], page: Path) -> str:
    """Each run's report.md, linked relative to the page."""
    links = []
    for run in runs:
        target = os.path.relpath(index.results / run / "report.md", page.parent).replace(os.sep, "/")
        links.append(f"[{run}]({target})")
    return ", ".join(links)


def row_table(index: Index, rows: Sequence[Row], page: Path) -> list[str]:
    """Held-out rows first, then in-sample: the two never share a sum or a line."""
    budget = f"{index.budget_s:g}"
    lines = [
        "| split | library | prompt, loop | model | ids (N) | exec pass, round 0 "
        f"| exec pass, round {index.rounds} | task pass | median s/task (p90) | drawn within {budget} s "
        "| commit | machine | runs |",
        "|" + "---|" * 13,
    ]
    for row in sorted(rows, key=lambda r: SPLITS.index(r.split)):
        m = measure(index, row)
        within = f"{m.within}/{m.n}" if m.within is not None else "n/a"
        lines.append(
            f"| {row.split} | {row.lib} | {row.label} | {row.model} | {id_ranges(m.ids)} ({m.n}) "
            f"| {fraction(m.passed[0], m.n)} | **{fraction(m.passed[-1], m.n)}** "
            f"| {fraction(m.task_passed, m.n) if m.task_passed is not None else 'not measured'} "
            f"| {latency_text(m)} | {within} | {row.commit} | {row.machine} "
            f"| {run_links(index, row.runs, page)} |"
        )
    return lines


def rows_of(index: Index, key: str) -> list[Row]:
    """The checked rows of one table of the index (none when the index has no such table)."""
    return [parse_row(entry, f"{key}[{i}]") for i, entry in enumerate(index.data.get(key, []))]


def notes(index: Index, key: str) -> list[str]:
    """The index's remarks on a table, as a list: what its summaries cannot say about a row."""
    return [f"- {note}" for note in index.data.get(key, [])]


def matrix_table(index: Index) -> list[str]:
    """One row per library, one column per loop: round 0 -> last round of N, and the median seconds."""
    matrix = index.data["matrix"]
    loops = matrix["loops"]
    lines = [
        "| library | " + " | ".join(loop["label"] for loop in loops) + " | commit | machine |",
        "|" + "---|" * (len(loops) + 3),
    ]
    for entry in matrix["rows"]:
        cells = []
        for loop in loops:
            run = entry["prefix"] + loop["suffix"]
            summary = read_summary(index, run)
            check_commit(entry["commit"], run, summary)
            passed, n = summary["passed"], summary["n"]
            cells.append(f"{passed[0]} → {passed[-1]} of {n}, {summary['latency_median_s']:.0f} s")
        lines.append(
            f"| {entry['lib']} | " + " | ".join(cells) + f" | {entry['commit']} | {entry['machine']} |"
        )
    return lines


def paper_rate(entry: dict[str, Any], lib: str) -> str:
    """The paper's normal -> self-debug pair for one library, in percent as published."""
    before, after = entry[lib]
    return f"{before:.1f}% → {after:.1f}%"


def first_row(rows: Sequence[Row], lib: str, split: str) -> Row | None:
    """The row the comparison with the paper quotes: the index lists the current one first."""
    return next((r for r in rows if r.lib == lib and r.split == split), None)


def ours(index: Index, row: Row | None, both: bool) -> str:
    """A row's pass rate in percent (round 0 -> last with ``both``), for the comparison with the paper."""
    if row is None:
        return "not run"
    m = measure(index, row)
    last = f"{100 * m.passed[-1] / m.n:.1f}%"
    return f"{100 * m.passed[0] / m.n:.1f}% → {last}" if both else last


def paper_tables(index: Index) -> list[str]:
    """Ours beside the paper's chosen models per library, then the paper's whole table."""
    paper = index.data["paper"]
    models = {entry["model"]: entry for entry in paper["models"]}
    headline, ppb = rows_of(index, "headline"), rows_of(index, "ppb")
    compared = [models[name] for name in paper["compare"]]
    lines = [
        "| library | ours, in-sample (magic's prompt) | ours, held-out | ours, benchmark's prompt | "
        + " | ".join(f"paper: {entry['model']}" for entry in compared)
        + " |",
        "|" + "---|" * (4 + len(compared)),
    ]
    for lib in LIBRARIES:
        lines.append(
            f"| {lib} | {ours(index, first_row(headline, lib, 'in-sample'), True)} "
            f"| {ours(index, first_row(headline, lib, 'held-out'), False)} "
            f"| {ours(index, first_row(ppb, lib, 'in-sample'), False)} | "
            + " | ".join(paper_rate(entry, lib) for entry in compared)
            + " |"
        )
    lines += [
        "",
        "The paper's table, normal → self-debug:",
        "",
        "| model | " + " | ".join(LIBRARIES) + " |",
        "|" + "---|" * (1 + len(LIBRARIES)),
    ]
    lines += [
        f"| {e['model']} | " + " | ".join(paper_rate(e, lib) for lib in LIBRARIES) + " |"
        for e in paper["models"]
    ]
    return lines


def latency_line(index: Index) -> list[str]:
    """The notebook latency measurement, if its file is committed beside the runs."""
    path = index.results / "latency.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text())
    return [
        f"- Cell start to figure in a real kernel (`benchmarks/latency.py`, {data['machine']}): median "
        f"{data['median_seconds']:.1f} s over {data['n']} requests, {data['figures']} drew a figure, "
        f"{data['min_seconds']:.1f}-{data['max_seconds']:.1f} s; model load and warm-up "
        f"{data['model_load_and_warmup_seconds']:.1f} s (`latency.json`)."
    ]


def section(title: str, *parts: list[str]) -> list[str]:
    """A ``##`` section of non-empty parts, blank lines between; nothing when every part is empty."""
    body = [part for part in parts if part]
    if not body:
        return []
    lines = [f"## {title}", ""]
    for part in body:
        lines += [*part, ""]
    return lines


def render_page(index: Index, page: str | Path) -> str:
    """The whole page; ``page`` is where it will live, for relative links. Sections without rows are
    left out."""
    page = Path(page)
    text = page_text.TEXT
    headline, ppb, other = rows_of(index, "headline"), rows_of(index, "ppb"), rows_of(index, "other")
    paper = index.data.get("paper")
    lines = [text["head"]]
    lines += section(
        "Where it stands",
        row_table(index, headline, page) if headline else [],
        text["headline"].format(budget=f"{index.budget_s:g}", rounds=index.rounds).splitlines(),
        notes(index, "headline_notes"),
    )
    if "matrix" in index.data:
        lines += section(
            "What each part of the loop adds",
            text["matrix"].format(rounds=index.rounds).splitlines(),
            matrix_table(index),
        )
    if ppb:
        lines += section(
            "The benchmark's own prompt",
            text["ppb"].splitlines(),
            row_table(index, ppb, page),
            notes(index, "ppb_notes"),
        )
    if paper:
        lines += section(
            "Against the VisCoder paper", [paper["source"]], paper_tables(index), text["paper"].splitlines()
        )
    if other:
        lines += section("Other runs", row_table(index, other, page))
    lines += section("Other measurements", latency_line(index) + text["measurements"].splitlines())
    lines += [text["reproduce"]]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_page(page: str | Path, index_path: str | Path = DEFAULT_INDEX, check: bool = False) -> bool:
    """Write the page (or with ``check`` only compare); returns whether the file already matched."""
    page = Path(page)
    rendered = render_page(load_index(index_path), page)
    current = page.read_text() if page.is_file() else None
    if not check and current != rendered:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(rendered)
    return current == rendered
