"""The loop that turns a request into a working figure.

inspect → prompt → generate → check → execute → repair, until an attempt draws a
figure, the rounds run out, or the time budget is spent. The magic and the
benchmark both call ``run_request``, so the benchmark measures the product.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import pandas as pd

from . import guard
from .backends import Backend, Generation, GenerationParams, Message, batches, generate_many
from .check import add_missing_imports, check_code, completed
from .checklist import checklist, checklist_text
from .describe import FrameDescription, describe_frame
from .errors import VisCodeError
from .execute import ExecutionOutcome, run_code
from .extract import extract_code
from .facts import FigureFacts, facts_line, read_facts
from .failures import Failure, classify
from .intent import Intent, read_intent
from .mismatch import mismatches
from .patches import MAX_PATCHES, Patch, patched
from .prompt import LIB_SETUP, first_messages, fitted, fix_messages, repair_messages
from .repair import grounded_hint, next_temperature, normalized
from .request import VisCodeRequest
from .result import MISMATCH, Attempt, RunResult
from .settings import log

#: Parts of the search a benchmark can switch off to measure what each adds (all off: the
#: VisCoder paper's plain self-debug loop: greedy, traceback only, resubmissions re-run, and any
#: figure that draws accepted, whatever it shows). A benchmark's option, never a cell's.
ABLATIONS = ("hints", "resample", "precheck", "patch", "mismatch", "checklist")
#: Extra samples drawn in one round when the model resubmits a failed program
#: (narrowed chat, then a fresh start).
RESAMPLES_ON_REPEAT = 2
#: Temperature of the extra candidates of one round (the first is greedy by default).
CANDIDATE_TEMPERATURE = 0.8


class Progress(Protocol):
    """Receives live events; the magic shows them, the benchmark ignores them."""

    def attempt_started(self, index: int, total: int, kind: str) -> None: ...
    def token(self, piece: str) -> None: ...
    def attempt_finished(self, attempt: Attempt) -> None: ...


class _Silent:
    def attempt_started(self, index: int, total: int, kind: str) -> None:
        pass

    def token(self, piece: str) -> None:
        pass

    def attempt_finished(self, attempt: Attempt) -> None:
        pass


@dataclass
class _Loop:
    """State of one run: the chat so far, the attempts, the programs already seen failing."""

    request: VisCodeRequest
    frames: Mapping[str, pd.DataFrame]
    user_ns: Mapping[str, Any]
    backend: Backend
    progress: Progress
    policy: guard.Policy | None
    messages: list[Message] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    fixes: dict[str, Patch] = field(default_factory=dict)  # a failed attempt's code -> its rule-based fix
    started: float = field(default_factory=time.perf_counter)
    cut: bool = False  # a reply was stopped at the time budget
    intent: Intent | None = None  # what the request clearly asks of its figure (None: nothing to check)
    ablate: frozenset[str] = frozenset()  # parts of the search switched off (``ABLATIONS``)
    #: Replies of the current round that resubmitted a program already seen failing (resampled
    #: or, when they still repeat, a ``Repeated`` attempt): the model's habit a trained model must not worsen.
    resubmitted: int = 0

    def budget_end(self) -> float:
        """When the time budget ends; a model loaded during the run (``--fix``) does not spend it."""
        return self.started + self.request.budget + getattr(self.backend, "load_seconds", 0.0)

    def spent(self) -> bool:
        """Whether the cell's time budget is used up."""
        return time.perf_counter() > self.budget_end()

    def key(self, code: str) -> str:
        """What identifies a program: its completed form without comments or layout."""
        return normalized(completed(code, self.frames)) if code.strip() else ""

    def params(self, temperature: float, seed_offset: int, bounded: bool = True) -> GenerationParams:
        """Sampling settings; seeds derive from the request's seed so runs reproduce.

        A ``bounded`` reply stops when the budget is spent. The first reply is not bounded:
        the budget limits the search for a working program, and without a first program
        there is nothing to show.
        """
        deadline = self.budget_end() if bounded and math.isfinite(self.request.budget) else None
        return GenerationParams(
            max_tokens=self.request.max_tokens,
            temperature=temperature,
            seed=(self.request.seed or 0) + seed_offset,
            deadline=deadline,
        )

    def noted(self, generation: Generation) -> Generation:
        """``generation``, remembering whether the budget stopped it (the run's stop message says so)."""
        self.cut = self.cut or generation.finish_reason == "budget"
        return generation

    def fit(self, messages: list[Message]) -> list[Message]:
        """``messages`` cut to the backend's context, if it declares one, with room for a reply."""
        return fitted(
            messages,
            getattr(self.backend, "n_ctx", None),
            self.request.max_tokens,
            getattr(self.backend, "count_tokens", None),
        )

    def ask(
        self, messages: list[Message], temperature: float, seed_offset: int, bounded: bool = True
    ) -> Generation:
        """One reply to ``messages``."""
        fitted_messages = self.fit(messages)  # first: it may load a lazy model, which moves budget_end
        return self.noted(
            self.backend.generate(
                fitted_messages, self.params(temperature, seed_offset, bounded), self.progress.token
            )
        )

    def temperature(self, round_index: int, extra: int = 0) -> float:
        """The round's temperature (``extra`` > 0: a resample after a resubmission)."""
        if "resample" in self.ablate:
            return self.request.temperature
        return next_temperature(self.request.temperature, round_index, repeated=extra > 0)

    def generate(
        self, round_index: int, drawn: Generation | None = None
    ) -> tuple[str, str, float, int, float]:
        """Ask the model (or take ``drawn``, already asked); resample when it resubmits a failure.

        The first resample narrows the chat to the last failure and forbids repeating it;
        the second starts over from the request alone, since a chat that shows the failing
        program keeps pulling a small model back to it.
        """
        code, reply, seconds, tokens, temperature = "", "", 0.0, 0, self.request.temperature
        resample = "resample" not in self.ablate
        for extra in range(RESAMPLES_ON_REPEAT + 1 if resample else 1):
            if extra and self.spent():
                break  # the resubmission stands; the run stops for the budget after this round
            temperature = self.temperature(round_index, extra)
            messages = (
                self.messages if extra == 0 else narrowed(self.messages) if extra == 1 else self.messages[:2]
            )
            if extra == 0 and drawn is not None:
                generation = drawn  # its cost is counted by whoever drew it
            else:
                generation = self.ask(
                    messages, temperature, 101 * round_index + extra, bounded=bool(round_index or extra)
                )
                seconds, tokens = seconds + generation.seconds, tokens + generation.tokens
            reply = generation.text
            code = extract_code(reply)
            if self.key(code) not in self.failed:
                break
            self.resubmitted += extra > 0 or drawn is None  # a drawn reply was counted where it was drawn
        return code, reply, seconds, tokens, temperature

    def sample(self, round_index: int, candidate: int) -> tuple[str, str, float, int, float]:
        """An extra candidate for this round: the same chat, sampled with its own seed."""
        temperature = max(self.request.temperature, CANDIDATE_TEMPERATURE)
        generation = self.ask(self.messages, temperature, 101 * round_index + 1000 * candidate)
        return (
            extract_code(generation.text),
            generation.text,
            generation.seconds,
            generation.tokens,
            temperature,
        )

    def attempt(self, round_index: int, total: int) -> Attempt:
        """One round: up to N candidate programs, each checked and run until one draws a figure."""
        request = self.request
        user_code = request.fix and round_index == 0
        kind = "user" if user_code else ("generate" if round_index == 0 else "repair")
        self.progress.attempt_started(round_index + 1, total, kind)
        self.resubmitted = 0
        if user_code:
            return self.evaluate(request.text, dict(index=round_index, kind=kind, reply=""), user_code=True)
        if request.candidates > 1 and batches(self.backend):
            return self.attempt_batched(round_index, kind)
        first: Attempt | None = None
        tried: set[str] = set()
        spent_seconds, spent_tokens = 0.0, 0
        for candidate in range(max(1, request.candidates)):
            if candidate and self.spent():
                break
            code, reply, seconds, tokens, temperature = (
                self.generate(round_index) if candidate == 0 else self.sample(round_index, candidate)
            )
            spent_seconds, spent_tokens = spent_seconds + seconds, spent_tokens + tokens
            key = self.key(code)
            if candidate and key in tried:
                continue
            tried.add(key)
            result = self.try_candidate(code, reply, temperature, round_index, kind, candidate)
            first = first or result
            if result.ok:
                return self.counted(result, generation_seconds=spent_seconds, tokens=spent_tokens)
        assert first is not None
        spent = dict(generation_seconds=spent_seconds, tokens=spent_tokens)
        return self.counted(first, candidates=len(tried), **spent)

    def counted(self, attempt: Attempt, **spent: Any) -> Attempt:
        """The round's attempt with what the round spent and how many replies resubmitted a failure."""
        return replace(attempt, resubmitted=self.resubmitted, **spent)

    def attempt_batched(self, round_index: int, kind: str) -> Attempt:
        """One round whose N candidates are decoded together, tried in order of the model's likelihood.

        Candidate 0 is asked as ``generate`` asks, the others as ``sample`` does (same
        temperatures and seeds). The prompt is evaluated once and a batch costs less than
        N replies one by one (1.4x less for 4 on 2 cores, docs/benchmarks-log.md), but all N
        are paid for even when the first would have drawn: worth it when candidates rarely work.
        """
        n = self.request.candidates
        sampled = max(self.request.temperature, CANDIDATE_TEMPERATURE)
        temperatures = [self.temperature(round_index)] + [sampled] * (n - 1)
        offsets = [101 * round_index] + [101 * round_index + 1000 * c for c in range(1, n)]
        asked = [
            self.params(t, o, bounded=bool(round_index or c))
            for c, (t, o) in enumerate(zip(temperatures, offsets, strict=True))
        ]
        generations = [
            self.noted(g)
            for g in generate_many(self.backend, self.fit(self.messages), asked, self.progress.token)
        ]
        seconds, tokens = max(g.seconds for g in generations), sum(g.tokens for g in generations)
        programs: dict[str, tuple[str, str, float]] = {}  # key -> code, reply, temperature; best first
        # A reply the budget cut is incomplete: it goes after every finished one, however likely.
        likeliest_first = sorted(
            zip(generations, temperatures, strict=True),
            key=lambda pair: (pair[0].finish_reason == "budget", -(pair[0].mean_logprob or 0.0)),
        )
        for g, t in likeliest_first:
            code = extract_code(g.text)
            if self.key(code) not in self.failed:
                programs.setdefault(self.key(code), (code, g.text, t))
            else:
                self.resubmitted += 1
        if not programs:  # every candidate resubmits a failure: resample from the narrowed chat
            code, reply, more_seconds, more_tokens, t = self.generate(round_index, drawn=generations[0])
            programs[self.key(code)] = (code, reply, t)
            seconds, tokens = seconds + more_seconds, tokens + more_tokens
        first: Attempt | None = None
        for i, (code, reply, temperature) in enumerate(programs.values()):
            if i and self.spent():
                break
            result = self.try_candidate(code, reply, temperature, round_index, kind, i)
            first = first or result
            if result.ok:
                return self.counted(result, generation_seconds=seconds, tokens=tokens)
        assert first is not None
        return self.counted(first, generation_seconds=seconds, tokens=tokens, candidates=len(programs))

    def try_candidate(
        self, code: str, reply: str, temperature: float, round_index: int, kind: str, position: int
    ) -> Attempt:
        """Evaluate one candidate of a round; the first one's failure is what the repair turn discusses."""
        if position == 0:
            self.messages.append({"role": "assistant", "content": f"```python\n{code}\n```"})
        common = dict(
            index=round_index, kind=kind, temperature=temperature, reply=reply, candidates=position + 1
        )
        return self.evaluate(code, common, user_code=False)

    def patch(self, failed: Attempt, round_index: int, total: int) -> Attempt | None:
        """Run the rule-based fix of ``failed``, if it has one not yet tried; no model call.

        The chat's last answer becomes the patched program, so a repair turn that follows
        discusses the program closest to working.
        """
        fix = self.fixes.get(failed.code)
        if fix is None or self.key(fix.code) in self.failed:
            return None
        self.progress.attempt_started(round_index + 1, total, "patch")
        attempt = self.evaluate(
            fix.code,
            dict(index=round_index, kind="patch", reply="", note=fix.note, temperature=failed.temperature),
            user_code=failed.kind == "user",
        )
        if self.messages and self.messages[-1]["role"] == "assistant":
            self.messages[-1] = {"role": "assistant", "content": f"```python\n{attempt.code}\n```"}
        return attempt

    def remember_fix(
        self,
        code: str,
        error_type: str | None,
        message: str,
        line: int | None,
        namespace: Mapping[str, Any],
        failure: Failure | None = None,
    ) -> None:
        """Keep the rule-based fix of a failed program for ``patch`` (computed while its objects are live).

        ``failure``: the error as ``classify`` read it, when the caller has read it already.
        """
        if "patch" in self.ablate:
            return
        try:
            earlier = [a.code for a in self.attempts]
            fix = patched(code, error_type, message, line, namespace, self.frames, earlier, failure)
        except Exception:  # noqa: BLE001 - a rule reads arbitrary live objects; its failure must not end the run
            log.warning("a patch rule failed on %s; the model is asked instead", error_type, exc_info=True)
            return
        if fix is not None:
            self.fixes[code] = fix

    def evaluate(self, code: str, common: dict[str, Any], user_code: bool) -> Attempt:
        """Check one program, run it if the check allows, and record what happened."""
        request = self.request
        report = check_code(code, request.lib, self.frames, available=self.user_ns.keys())
        if "precheck" in self.ablate:
            report = replace(report, code=add_missing_imports(code), problems=(), notes=())
        if report.notes:  # the user reads what changed in the data the program plots
            common = {**common, "note": "; ".join(filter(None, (common.get("note", ""), *report.notes)))}
        if self.key(report.code) in self.failed and "resample" not in self.ablate:
            return Attempt(
                code=report.code,
                ok=False,
                error_type="Repeated",
                error="the model resubmitted a program that already failed",
                **common,
            )
        if not report.ok and not user_code:
            problems = "\n".join(report.problems)
            self.remember_fix(report.code, "PrecheckError", problems, None, {})
            # "use only plotly" alone brings back the same matplotlib program from a small model
            # (a prompt that names matplotlib, as PandasPlotBench's does, keeps pulling it there);
            # the library's own recipe, as our first prompt gives it, moves it.
            hint = LIB_SETUP.get(request.lib, "") if report.forbidden and "hints" not in self.ablate else ""
            return Attempt(
                code=report.code, ok=False, error_type="PrecheckError", error=problems, hint=hint, **common
            )
        outcome: ExecutionOutcome = run_code(
            report.code,
            self.user_ns,
            self.frames,
            lib=request.lib,
            timeout=request.timeout,
            policy=self.policy,
        )
        lines = report.code.splitlines()
        line = (
            lines[outcome.error_line - 1] if outcome.error_line and outcome.error_line <= len(lines) else ""
        )
        # the error is read once: the hint and the patch rules dispatch on the same typed failure
        failure = None if outcome.ok else classify(outcome.error_type, outcome.error_message)
        hint = (
            ""
            if outcome.ok or "hints" in self.ablate
            else _safe_hint(
                outcome.error_type, outcome.error_message, outcome.namespace, self.frames, line, failure
            )
        )
        if not outcome.ok:
            self.remember_fix(
                report.code,
                outcome.error_type,
                outcome.error_message,
                outcome.error_line,
                outcome.namespace,
                failure,
            )
        figures = tuple(replace(f, source=None) for f in outcome.figures)  # the live objects are let go
        if not outcome.ok:
            return Attempt(
                code=report.code,
                ok=False,
                error_type=outcome.error_type,
                error=outcome.error_text,
                hint=hint,
                seconds=outcome.seconds,
                figures=figures,
                **common,
            )
        facts = _safe_facts(outcome, self.frames)
        differences = mismatches(self.intent, facts) if self.intent is not None and facts is not None else []
        if differences:
            return Attempt(
                code=report.code,
                ok=False,
                error_type=MISMATCH,
                error=mismatch_text(differences, facts, self.intent.text),
                seconds=outcome.seconds,
                figures=figures,
                facts=facts,
                **common,
            )
        return Attempt(
            code=report.code, ok=True, seconds=outcome.seconds, figures=figures, facts=facts, **common
        )


def mismatch_text(differences: Sequence[str], facts: FigureFacts | None, asked: str = "") -> str:
    """The repair turn's error for a figure that answers another question.

    Each difference, then what the figure shows, so the model sees both sides, then the
    request itself: a small model repairing a mismatch several turns after the request
    drifts to another chart (a scatter of two columns for "count per category") unless
    the request is in front of it again.
    """
    shows = f" The figure shows: {facts_line(facts)}." if facts is not None and facts.panels else ""
    asked = " ".join(asked.split())
    request = f": {asked}" + ("" if asked.endswith((".", "!", "?")) else ".") if asked else "."
    return (
        "The program ran, but its figure does not show what was asked. "
        + " ".join(differences)
        + shows
        + f" Change the program so the figure shows what the request asks{request}"
    )


def _safe_facts(outcome: ExecutionOutcome, frames: Mapping[str, pd.DataFrame]) -> FigureFacts | None:
    """The drawn figures' facts, or None when reading them fails: a reader's slip must not fail a figure."""
    try:
        return read_facts([f.source for f in outcome.figures if f.source is not None], frames)
    except Exception:  # noqa: BLE001 - see above
        log.warning("reading the figure's facts failed; the figure is kept unchecked", exc_info=True)
        return None


def budget_spent(budget: float, skipped: int, cut: bool) -> str:
    """Why the run stopped early, and how to give it more time."""
    while_writing = " while the model was writing (its reply was run as far as it went)" if cut else ""
    rounds = f", so {skipped} repair round(s) were skipped" if skipped else ""
    return (
        f"the time budget of {budget:g} s was spent{while_writing}{rounds} "
        "(raise it with --budget or %config VisCode.budget)"
    )


def _safe_hint(
    error_type: str | None,
    message: str,
    namespace: Mapping[str, Any],
    frames: Mapping[str, Any],
    line: str,
    failure: Failure | None = None,
) -> str:
    """``grounded_hint``, or no hint when reading the live objects fails: advice must not end the run."""
    try:
        return grounded_hint(error_type, message, namespace, frames, line, failure)
    except Exception:  # noqa: BLE001 - see above
        log.warning("the hint for %s failed; the repair turn goes without one", error_type, exc_info=True)
        return ""


def narrowed(messages: list[Message]) -> list[Message]:
    """After a resubmission: only the request and the last failure, with an explicit demand.

    A long chat of near-identical failures pulls a small model back to the same
    program; a short chat that names the failure and forbids repeating it does not.
    """
    head, last = messages[:2], messages[-2:]  # system + request; failing answer + its error
    demand = {
        "role": "user",
        "content": last[-1]["content"] + "\nYour last answer repeated this failing "
        "program. Write a different program that avoids the error.",
    }
    return [*head, last[0], demand]


def frames_for_code(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The names the program may use: each frame's own, plus ``df`` for a lone frame."""
    names = dict(frames)
    if len(frames) == 1:
        names.setdefault("df", next(iter(frames.values())))
    return names


def _patched_in_turn(loop: _Loop, attempt: Attempt, round_index: int, total: int) -> Attempt:
    """The round's last attempt after its rule-based fixes, each run as its own attempt.

    A fix that fails again may name its own fix in turn, up to ``MAX_PATCHES`` in a row,
    before the model is asked again.
    """
    for _ in range(MAX_PATCHES):
        fixed = None if attempt.ok else loop.patch(attempt, round_index, total)
        if fixed is None:
            break
        loop.failed.add(loop.key(attempt.code))
        attempt = fixed
        loop.attempts.append(attempt)
        loop.progress.attempt_finished(attempt)
    return attempt


def run_request(
    request: VisCodeRequest,
    frames: Mapping[str, pd.DataFrame],
    user_ns: Mapping[str, Any],
    backend: Backend,
    *,
    progress: Progress | None = None,
    policy: guard.Policy | None = None,
    descriptions: Sequence[FrameDescription] | None = None,
    initial_messages: Sequence[Message] | None = None,
    ablate: Collection[str] = (),
) -> RunResult:
    """Run the whole loop; never raises for errors in generated code.

    ``initial_messages`` and ``ablate`` are the benchmark's: another prompt format (PandasPlotBench's
    own), and parts of the search switched off to measure what each adds.
    """
    start = time.perf_counter()
    descriptions = descriptions or [describe_frame(n, f) for n, f in frames.items()]
    # A --fix cell's text is a program, not a request: only its --goal asks something that can be checked.
    asked = request.goal if request.fix else request.text
    read = read_intent(asked, frames) if asked else None
    if initial_messages is not None:
        messages = list(initial_messages)
    elif request.fix:
        messages = fix_messages(request.text, request.lib, descriptions, request.goal)
    else:
        items = checklist(read, request.lib, frames) if "checklist" not in ablate else []
        messages = first_messages(request.text, request.lib, descriptions, checklist_text(items))
    intent = read if "mismatch" not in ablate else None
    loop = _Loop(
        request,
        frames_for_code(frames),
        user_ns,
        backend,
        progress or _Silent(),
        policy,
        messages,
        started=start,
        intent=intent,
        ablate=frozenset(ablate),
    )
    total = 1 + request.rounds
    interrupted = False
    stopped = ""
    try:
        for round_index in range(total):
            attempt = loop.attempt(round_index, total)
            loop.attempts.append(attempt)
            loop.progress.attempt_finished(attempt)
            attempt = _patched_in_turn(loop, attempt, round_index, total)
            if attempt.ok:
                break
            if loop.spent() and (round_index + 1 < total or loop.cut):
                stopped = budget_spent(request.budget, total - round_index - 1, loop.cut)
                break
            loop.failed.add(loop.key(attempt.code))
            loop.messages = repair_messages(loop.messages, attempt.code, attempt.error, attempt.hint)
    except KeyboardInterrupt:
        interrupted = True
    except VisCodeError as exc:  # the model stopped answering (context, server): keep what ran
        if not loop.attempts:
            raise
        stopped = f"the model could not be asked again: {exc}"
    return RunResult(
        request_text=request.text,
        lib=request.lib,
        model=backend.description
        if any(a.kind in ("generate", "repair") for a in loop.attempts)
        else "no model call",
        attempts=tuple(loop.attempts),
        stopped=stopped,
        frames=tuple(
            {"name": d.name, "rows": d.n_rows, "columns": d.n_columns, "description": d.text}
            for d in descriptions
        ),
        seconds=time.perf_counter() - start,
        interrupted=interrupted,
        seed=request.seed,
        rounds=request.rounds,
    )
