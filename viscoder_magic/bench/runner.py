"""Run benchmark tasks through the magic's own pipeline and append one JSON line each.

Every task goes through ``viscoder_magic.pipeline.run_request`` with the frame as
``df``, an empty user namespace and the default guard policy: the same inspect →
prompt → generate → check → execute → repair code the magic runs. ``--prompt ppb``
only swaps the opening messages for the benchmark's own; the rest is unchanged.
A realtables task brings its frame under its own name and its own library, and its
judging annotation is copied into its line.
"""

from __future__ import annotations

import dataclasses
import functools
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import guard
from ..backends import Backend, Generation, GenerationParams, Message
from ..backends.base import TokenCallback
from ..errors import VisCodeError
from ..jsonl_lines import append_line, whole_lines
from ..pipeline import run_request
from ..request import VisCodeRequest
from ..result import Attempt, RunResult
from .ppb_prompt import ppb_messages
from .tasks import BenchTask

MAX_ERROR_CHARS = 2000
MAX_REPLY_CHARS = 4000
RESULTS_FILE = "results.jsonl"


@dataclass(frozen=True)
class RunSettings:
    """What every task of one run shares."""

    lib: str = "matplotlib"
    prompt: str = "viscode"
    rounds: int = 3
    candidates: int = 1
    model: str = "default"
    endpoint: str | None = None
    timeout: float = 30.0
    budget: float = float("inf")
    seed: int | None = 0
    temperature: float = 0.0
    max_tokens: int = 1024
    ablate: tuple[str, ...] = ()


def request_text(task: BenchTask) -> str:
    """The sentence the magic gets for ``--prompt viscode``: plot description, then style (when there
    is one)."""
    return "\n".join(part for part in (task.plot_description.strip(), task.plot_style.strip()) if part)


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    """One attempt as stored in results.jsonl (long texts cut, figures left out)."""
    return {
        "index": attempt.index,
        "kind": attempt.kind,
        "code": attempt.code,
        "ok": attempt.ok,
        "error_type": attempt.error_type,
        "error": attempt.error[-MAX_ERROR_CHARS:],
        "hint": attempt.hint,
        "note": attempt.note,
        "generation_seconds": round(attempt.generation_seconds, 3),
        "exec_seconds": round(attempt.seconds, 3),
        "tokens": attempt.tokens,
        "temperature": attempt.temperature,
        "resubmitted": attempt.resubmitted,
        "reply": attempt.reply[:MAX_REPLY_CHARS],
        "drew": attempt.drew,
        # The whole facts (panels with labels, scales, columns), so a run can be judged again later
        # against an annotation of what the figure must show, without running it again.
        "facts": {
            **attempt.facts.as_dict(),
            "kinds": list(attempt.facts.kinds),
            "columns": list(attempt.facts.columns),
        }
        if attempt.facts is not None
        else None,
    }


def pass_at_rounds(attempts: Sequence[Attempt], rounds: int) -> list[bool]:
    """Exec pass: ``[r]``, some attempt with index ≤ r ran and drew a figure, whatever it shows."""
    return [any(a.drew and a.index <= r for a in attempts) for r in range(rounds + 1)]


def task_pass_at_rounds(attempts: Sequence[Attempt], rounds: int) -> list[bool]:
    """Task pass: ``[r]``, some attempt with index ≤ r drew a figure with no mismatch against the request."""
    return [any(a.ok and a.index <= r for a in attempts) for r in range(rounds + 1)]


@functools.cache
def code_revision() -> str:
    """The checkout's commit (``-dirty`` when edited), so resumed runs say which code ran each task."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--", ".."],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


def task_record(task: BenchTask, settings: RunSettings, result: RunResult) -> dict[str, Any]:
    """The results.jsonl line for a finished task."""
    return {
        "id": task.id,
        "lib": settings.lib,
        "prompt": settings.prompt,
        "model": result.model,
        "ok": result.ok,
        "pass_at": pass_at_rounds(result.attempts, settings.rounds),
        "task_pass_at": task_pass_at_rounds(result.attempts, settings.rounds),
        "attempts": [attempt_record(a) for a in result.attempts],
        "seconds": round(result.seconds, 3),
        "tokens": result.tokens,
        "generation_seconds": result.timings["generate"],
        "exec_seconds": result.timings["execute"],
        "interrupted": result.interrupted,
        "stopped": result.stopped,
        "revision": code_revision(),
        **task.record_fields(),
    }


def skipped_record(task: BenchTask, settings: RunSettings) -> dict[str, Any]:
    """A task with no data table: counted out, never a failure."""
    return {
        "id": task.id,
        "lib": settings.lib,
        "prompt": settings.prompt,
        "skipped": "no data table",
        **task.record_fields(),
    }


class SerialExecution:
    """Lets generations overlap (server batching) while generated code runs one at a time.

    pyplot's figure registry is process-wide, so two programs running at once would
    see (and close) each other's figures. The wrapper takes the lock when a reply
    arrives and the progress hook gives it back when the attempt has run.
    """

    def __init__(self, backend: Backend) -> None:
        self.inner = backend
        self.description = backend.description
        self._lock = threading.Lock()
        self._held = threading.local()

    def generate(
        self, messages: Sequence[Message], params: GenerationParams, on_token: TokenCallback | None = None
    ) -> Generation:
        self.release()
        generation = self.inner.generate(messages, params, on_token)
        self._lock.acquire()
        self._held.value = True
        return generation

    def release(self) -> None:
        """Give the execution slot back if this thread holds it."""
        if getattr(self._held, "value", False):
            self._held.value = False
            self._lock.release()

    def close(self) -> None:
        self.inner.close()

    # Progress hooks (run_request calls them); only attempt_finished matters here.
    def attempt_started(self, index: int, total: int, kind: str) -> None:
        pass

    def token(self, piece: str) -> None:
        pass

    def attempt_finished(self, attempt: Attempt) -> None:
        self.release()


class AttemptLog:
    """Writes one line per finished attempt to ``progress.log``, so a slow run can be watched."""

    def __init__(self, path: Path, task_id: int) -> None:
        self.path = path
        self.task_id = task_id

    def attempt_started(self, index: int, total: int, kind: str) -> None:
        pass

    def token(self, piece: str) -> None:
        pass

    def attempt_finished(self, attempt: Attempt) -> None:
        line = (
            f"{time.strftime('%H:%M:%S')} task {self.task_id} attempt {attempt.index} {attempt.kind}: "
            f"{'ok' if attempt.ok else attempt.error_type} ({attempt.tokens} tokens, "
            f"{attempt.generation_seconds:.1f} s generating, T={attempt.temperature})\n"
        )
        with open(self.path, "a") as handle:
            handle.write(line)


def run_task(
    task: BenchTask,
    settings: RunSettings,
    backend: Backend,
    instructs: dict[str, str] | None,
    progress: Any = None,
) -> dict[str, Any]:
    """Run one task through ``run_request`` and return its results line."""
    if task.lib is not None:  # a suite whose requests each name their library
        settings = dataclasses.replace(settings, lib=task.lib)
    if not task.has_data:
        return skipped_record(task, settings)
    frame = task.frame()
    request = VisCodeRequest(
        text=request_text(task),
        frames=(task.frame_name,),
        lib=settings.lib,
        model=settings.model,
        endpoint=settings.endpoint,
        rounds=settings.rounds,
        candidates=settings.candidates,
        timeout=settings.timeout,
        budget=settings.budget,
        seed=settings.seed,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )
    initial = None
    if settings.prompt == "ppb":
        initial = ppb_messages(instructs or {}, settings.lib, frame, task.plot_description, task.plot_style)
    replayed = getattr(backend, "replayed", 0), getattr(backend, "replayed_seconds", 0.0)
    try:
        result = run_request(
            request,
            {task.frame_name: frame},
            {},
            backend,
            progress=progress,
            policy=guard.Policy(),
            initial_messages=initial,
            ablate=settings.ablate,
        )
    except VisCodeError as exc:  # no attempt could be asked for: a failed task, not a failed run
        result = RunResult(
            request_text=request.text,
            lib=settings.lib,
            attempts=(),
            stopped=str(exc),
            model=getattr(backend, "description", settings.model),
        )
        return {**task_record(task, settings, result), "error": str(exc)}
    record = task_record(task, settings, result)
    if hasattr(backend, "replayed"):  # a generation cache: count the replayed replies at what they cost
        record["replayed"] = backend.replayed - replayed[0]
        record["seconds"] = round(record["seconds"] + backend.replayed_seconds - replayed[1], 3)
    return record


def read_records(out: Path) -> list[dict[str, Any]]:
    """The whole lines of results.jsonl (a line cut by a crash is left out, so it is redone)."""
    return whole_lines(out / RESULTS_FILE, lambda record: isinstance(record.get("id"), int))


def done_revisions(out: Path) -> set[str]:
    """The commits that ran the tasks already in results.jsonl."""
    return {r.get("revision") or "unknown" for r in read_records(out) if not r.get("skipped")}


def done_ids(out: Path) -> set[int]:
    """Ids already in results.jsonl (a run resumes after them)."""
    return {r["id"] for r in read_records(out)}


def _append(out: Path, record: dict[str, Any], lock: threading.Lock) -> None:
    with lock:
        append_line(out / RESULTS_FILE, record)


def run_tasks(
    tasks: Iterable[BenchTask],
    settings: RunSettings,
    backend: Backend,
    out: Path,
    instructs: dict[str, str] | None = None,
    concurrency: int = 1,
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> int:
    """Run the tasks not yet in ``out/results.jsonl``; returns how many ran."""
    out.mkdir(parents=True, exist_ok=True)
    code_revision()  # read now: the checkout may move on while the run goes
    done = done_ids(out)
    todo = [t for t in tasks if t.id not in done]
    lock = threading.Lock()

    def finish(record: dict[str, Any]) -> None:
        _append(out, record, lock)
        if on_done is not None:
            on_done(record)

    if concurrency <= 1:
        for task in todo:
            finish(run_task(task, settings, backend, instructs, AttemptLog(out / "progress.log", task.id)))
        return len(todo)
    serial = SerialExecution(backend)

    def one(task: BenchTask) -> dict[str, Any]:
        try:
            return run_task(task, settings, serial, instructs, progress=serial)  # type: ignore[arg-type]
        finally:
            serial.release()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in as_completed([pool.submit(one, t) for t in todo]):
            finish(future.result())
    return len(todo)
