"""The batched candidate path of the pipeline, on a scripted backend that batches."""

from collections.abc import Sequence

import pandas as pd

from viscoder_magic import guard
from viscoder_magic.backends.base import Generation, GenerationParams, Message, TokenCallback
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.pipeline import CANDIDATE_TEMPERATURE, run_request
from viscoder_magic.request import VisCodeRequest

from .test_pipeline import GOOD, PRECHECK_BAD, RUNTIME_BAD


class BatchingBackend(ScriptedBackend):
    """Answers each ``generate_many`` with the next scripted batch of
    (reply, mean log-probability[, finish])."""

    batches = True

    def __init__(self, batches: Sequence[Sequence[tuple[str, float]]], replies: Sequence[str] = ()) -> None:
        super().__init__(replies)
        self.scripted = [list(b) for b in batches]
        self.batch_params: list[list[GenerationParams]] = []

    def generate_many(
        self,
        messages: Sequence[Message],
        params_list: Sequence[GenerationParams],
        on_token: TokenCallback | None = None,
    ) -> list[Generation]:
        self.calls.append([dict(m) for m in messages])
        self.batch_params.append(list(params_list))
        batch = self.scripted.pop(0)
        assert len(batch) == len(params_list)
        return [
            Generation(text=t, tokens=3, seconds=1.0, mean_logprob=lp, finish_reason=f)
            for t, lp, f in (item if len(item) == 3 else (*item, "stop") for item in batch)
        ]


def _run(backend, **kw):
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    request = VisCodeRequest(text="revenue per region", frames=("sales",), **kw)
    return run_request(request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy())


def test_candidates_are_drawn_in_one_batch_with_the_sequential_seeds():
    backend = BatchingBackend([[(RUNTIME_BAD, -0.1), (PRECHECK_BAD, -0.2), (GOOD, -0.3)]])
    result = _run(backend, rounds=0, candidates=3, seed=5)
    assert result.ok and len(backend.batch_params) == 1 and not backend.params
    first, *others = backend.batch_params[0]
    assert first.temperature == 0 and first.seed == 5
    assert [p.temperature for p in others] == [CANDIDATE_TEMPERATURE] * 2
    assert [p.seed for p in others] == [1005, 2005]
    assert result.attempts[0].candidates == 3
    assert result.attempts[0].generation_seconds == 1.0  # decoded together: the batch's time, not the sum
    # The budget bounds the extra candidates, never the first reply.
    assert first.deadline is None and all(p.deadline is not None for p in others)


def test_the_most_likely_candidate_is_tried_first():
    backend = BatchingBackend([[(RUNTIME_BAD, -0.9), (GOOD, -0.1)]])
    result = _run(backend, rounds=0, candidates=2)
    assert result.ok and result.attempts[0].candidates == 1
    assert result.attempts[0].temperature == CANDIDATE_TEMPERATURE


def test_duplicates_are_tried_once():
    backend = BatchingBackend([[(RUNTIME_BAD, -0.1), (RUNTIME_BAD, -0.2), (PRECHECK_BAD, -0.3)]])
    result = _run(backend, rounds=0, candidates=3)
    assert not result.ok and result.attempts[0].candidates == 2


def test_the_most_likely_failure_feeds_the_repair_turn():
    backend = BatchingBackend([[(RUNTIME_BAD, -0.9), (PRECHECK_BAD, -0.1)], [(GOOD, -0.1), (GOOD, -0.2)]])
    result = _run(backend, rounds=1, candidates=2)
    assert result.ok and [a.kind for a in result.attempts] == ["generate", "repair"]
    repair_chat = backend.calls[1]
    assert "Regions" in repair_chat[-2]["content"] and "closest is 'region'" in repair_chat[-1]["content"]


def test_a_batch_of_known_failures_falls_back_to_the_narrowed_resample():
    bare = RUNTIME_BAD.replace("import matplotlib.pyplot as plt\n", "")
    repeats = [[(RUNTIME_BAD, -0.1), (RUNTIME_BAD, -0.2)], [(RUNTIME_BAD, -0.1), (bare, -0.2)]]
    backend = BatchingBackend(repeats, replies=[GOOD])
    result = _run(backend, rounds=1, candidates=2)
    assert result.ok and len(backend.batch_params) == 2 and len(backend.params) == 1
    assert "repeated this failing program" in backend.calls[-1][-1]["content"]
    assert backend.params[0].temperature >= backend.batch_params[1][0].temperature
    assert [a.resubmitted for a in result.attempts if a.kind == "repair"] == [2]  # both candidates, once each


def test_one_candidate_or_a_backend_that_does_not_batch_stays_sequential():
    backend = BatchingBackend([], replies=[GOOD])
    assert _run(backend, rounds=0, candidates=1).ok and not backend.batch_params
    plain = ScriptedBackend([RUNTIME_BAD, GOOD])
    assert _run(plain, rounds=0, candidates=2).ok and len(plain.calls) == 2


def test_a_candidate_cut_by_the_budget_is_tried_after_every_finished_one():
    cut = GOOD.replace("plt.bar(", "plt.bar(sales['reg")[:-20]  # stopped mid-call
    backend = BatchingBackend([[(RUNTIME_BAD, -0.5), (cut, -0.01, "budget"), (GOOD, -0.3)]])
    result = _run(backend, rounds=0, candidates=3, budget=0.0)
    # the likeliest finished reply is tried first; before the change the cut one was, and the spent budget
    # then stopped the round before any finished reply ran
    assert result.ok and result.attempts[0].candidates == 1
