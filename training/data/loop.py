"""Expert iteration: run requests through the magic's whole loop and keep the programs that drew what was
asked.

Each request goes through ``viscoder_magic.pipeline.run_request`` exactly as the
benchmark runs a task (frame as ``df``, no kernel, the default guard policy), with
several candidates sampled at a temperature above zero, the rule-based patches,
hints and repair rounds. A request runs once per seed until it has ``keep`` distinct
working programs. A program is kept only when its figure passes ``figure_problem``:
marks drawn, the requested library, every named column plotted, and no mismatch
between the request and the figure. Failures on the way become repair dialogues
(the failed program, its real traceback and hint, then the kept program).

One JSON line per finished request is appended to ``loop.jsonl``, so a run can be
stopped at any time and resumes after the requests already there.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from viscoder_magic import guard
from viscoder_magic.describe import describe_frame
from viscoder_magic.errors import VisCodeError
from viscoder_magic.intent import read_intent
from viscoder_magic.jsonl_lines import append_line, whole_lines
from viscoder_magic.mismatch import mismatches
from viscoder_magic.pipeline import run_request
from viscoder_magic.prompt import first_messages, repair_messages
from viscoder_magic.request import VisCodeRequest
from viscoder_magic.result import Attempt, RunResult

from .dedup import code_key
from .records import answer
from .requests import LoopRequest

LINES_FILE = "loop.jsonl"


@dataclass(frozen=True)
class LoopSettings:
    """How each request is run (mirrors the ``loop`` config section)."""

    candidates: int = 2
    temperature: float = 0.7
    rounds: int = 3
    seeds: int = 3
    keep: int = 3
    timeout: float = 30.0
    budget: float = 180.0
    max_tokens: int = 768


def run_once(
    request: LoopRequest, frame: pd.DataFrame, backend: Any, settings: LoopSettings, seed: int
) -> RunResult:
    """One pass of the magic's loop over ``request``, as the benchmark runs a task."""
    asked = VisCodeRequest(
        text=request.text,
        frames=("df",),
        lib=request.lib,
        rounds=settings.rounds,
        candidates=settings.candidates,
        timeout=settings.timeout,
        budget=settings.budget,
        seed=seed,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )
    return run_request(asked, {"df": frame}, {}, backend, policy=guard.Policy())


def _library_problem(code: str, facts_library: str, lib: str) -> str:
    expected = "plotly" if lib == "plotly" else "matplotlib"
    if facts_library != expected:
        return f"drawn with {facts_library or 'nothing'}, not {lib}"
    if lib == "seaborn" and not _draws_with_seaborn(code):
        return "seaborn was asked but not used"
    return ""


#: seaborn calls that only style a figure another library draws.
SEABORN_STYLING = {"set", "set_style", "set_theme", "set_palette", "set_context", "despine", "color_palette"}


def _draws_with_seaborn(code: str) -> bool:
    """True when the program calls a seaborn function that draws (``sns.set_style`` before a pandas
    ``.plot`` is not a seaborn figure)."""
    aliases = set(re.findall(r"^\s*import seaborn as (\w+)", code, re.M))
    aliases |= {"seaborn"} if re.search(r"^\s*import seaborn\s*$", code, re.M) else set()
    calls = {name for alias in aliases for name in re.findall(rf"\b{re.escape(alias)}\.(\w+)\(", code)}
    imported = re.findall(r"^\s*from seaborn import (.+)$", code, re.M)
    names = {n.strip().split(" as ")[-1] for line in imported for n in line.split(",")}
    calls |= {n for n in names if re.search(rf"\b{re.escape(n)}\(", code)}
    return bool(calls - SEABORN_STYLING)


def figure_problem(attempt: Attempt, request: LoopRequest, frame: pd.DataFrame) -> str:
    """Why the attempt's figure does not hold what was asked ("" when it does)."""
    if not attempt.ok:
        return f"failed ({attempt.error_type})"
    facts = attempt.facts
    if facts is None or not any(panel.marks for panel in facts.panels):
        return "empty figure"
    problem = _library_problem(attempt.code, facts.library, request.lib)
    if problem:
        return problem
    missing = [c for c in request.columns if c not in facts.columns]
    if missing:
        return f"columns not plotted: {', '.join(missing)}"
    found = mismatches(read_intent(request.text, {"df": frame}), facts)
    return f"mismatch: {found[0]}" if found else ""


def _instruction(request: LoopRequest, frame: pd.DataFrame) -> list[dict[str, str]]:
    return first_messages(request.text, request.lib, [describe_frame("df", frame)])


def _record(request: LoopRequest, key: str, messages: list[Any], fault: str) -> dict[str, Any]:
    return {
        "id": key,
        "source": "loop",
        "lib": request.lib,
        "kind": request.kind,
        "fault": fault,
        "messages": messages,
        "image": None,
    }


def _failures(result: RunResult | None) -> list[Attempt]:
    """The model's own programs in ``result`` that failed with real feedback (patches are not the model's)."""
    if result is None:
        return []
    return [a for a in result.attempts if not a.ok and a.error and a.kind in ("generate", "repair")]


def _repairs(
    request: LoopRequest, frame: pd.DataFrame, failures: list[tuple[Attempt, str]], fallback: str
) -> list[dict[str, Any]]:
    """Dialogues from distinct real failures, each ending in the program its own run kept or, when that run
    kept none, the request's first kept program."""
    found, seen = [], set()
    for attempt, fixed in failures:
        key = code_key(attempt.code)
        if key in seen:
            continue
        seen.add(key)
        first = _instruction(request, frame)
        messages = repair_messages([*first, answer(attempt.code)], attempt.code, attempt.error, attempt.hint)
        record_key = f"loop-{request.id}-r{len(seen)}"
        messages.append(answer(fixed or fallback))
        found.append(_record(request, record_key, messages, attempt.error_type or "Error"))
    return found


def _one_run(
    request: LoopRequest, frame: pd.DataFrame, backend: Any, settings: LoopSettings, seed: int
) -> tuple[RunResult | None, str]:
    """(the run's result, why its final program is not kept: "" when it is)."""
    try:
        result = run_once(request, frame, backend, settings, seed)
    except VisCodeError as exc:  # the model could not be asked at all: nothing to keep from this run
        return None, f"no run: {str(exc)[:60]}"
    if not result.attempts:
        return result, "no attempt"
    return result, figure_problem(result.attempts[-1], request, frame)


def run_request_lines(
    request: LoopRequest, frame: pd.DataFrame, backend: Any, settings: LoopSettings, seed: int
) -> dict[str, Any]:
    """The JSON line of one request: kept programs and repair dialogues as records (in the schema of
    ``records.py``, source ``loop``), and why other answers were dropped."""
    start = time.perf_counter()
    programs: dict[str, str] = {}
    failures: list[tuple[Attempt, str]] = []
    dropped: Counter[str] = Counter()
    runs = 0
    for offset in range(settings.seeds):
        if len(programs) >= settings.keep:
            break
        runs += 1
        result, problem = _one_run(request, frame, backend, settings, seed + offset)
        kept = "" if problem or result is None else result.attempts[-1].code
        if kept and code_key(kept) in programs:
            problem = "duplicate program"
        if problem:
            dropped[problem.split(":")[0]] += 1
        else:
            programs[code_key(kept)] = kept
        failures += [(attempt, kept) for attempt in _failures(result)]
    records = [
        _record(request, f"loop-{request.id}-p{i}", [*_instruction(request, frame), answer(code)], "")
        for i, code in enumerate(programs.values(), 1)
    ]
    if programs:
        records += _repairs(request, frame, failures, next(iter(programs.values())))
    return {
        "request": request.as_dict(),
        "runs": runs,
        "kept": len(programs),
        "dropped": dict(dropped),
        "seconds": round(time.perf_counter() - start, 2),
        "records": records,
    }


def read_lines(folder: Path) -> list[dict[str, Any]]:
    """The whole lines of ``loop.jsonl`` (a line cut by a crash is left out, so its request reruns)."""
    return whole_lines(folder / LINES_FILE, lambda line: isinstance(line.get("request"), dict))


def run_loop(
    requests: Sequence[LoopRequest],
    frames: Mapping[str, pd.DataFrame],
    backend: Any,
    settings: LoopSettings,
    folder: Path,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Run the requests not yet in ``folder/loop.jsonl``, appending a line after each; returns all lines."""
    folder.mkdir(parents=True, exist_ok=True)
    done = {line["request"]["id"] for line in read_lines(folder)}
    for request in requests:
        if request.id in done:
            continue
        line = run_request_lines(request, frames[request.table], backend, settings, seed)
        append_line(folder / LINES_FILE, line)
    wanted = {r.id for r in requests}
    return [line for line in read_lines(folder) if line["request"]["id"] in wanted]


def loop_records(lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [record for line in lines for record in line["records"]]


def loop_statistics(lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the card reports: keep rate, per library / table source / error class, and diversity."""
    records = loop_records(lines)
    programs = [r for r in records if not r["fault"]]
    sources: Counter[str] = Counter()
    for line in lines:
        sources[line["request"]["source"]] += line["kept"]
    kept = [line["kept"] for line in lines]
    seconds = [line["seconds"] for line in lines]
    return {
        "requests": len(lines),
        "requests_with_a_program": sum(1 for k in kept if k),
        "programs": len(programs),
        "repairs": len(records) - len(programs),
        "seconds_per_request": round(sum(seconds) / max(1, len(seconds)), 1),
        "by_lib": dict(Counter(r["lib"] for r in programs)),
        "by_table_source": dict(sources),
        "by_error_repaired": dict(Counter(r["fault"] for r in records if r["fault"])),
        "dropped": dict(sum((Counter(line["dropped"]) for line in lines), Counter())),
        "distinct_programs_per_request": {
            "mean": round(sum(kept) / max(1, len(kept)), 2),
            "histogram": {str(k): v for k, v in sorted(Counter(kept).items())},
        },
    }
