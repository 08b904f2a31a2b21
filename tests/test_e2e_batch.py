"""End to end: the llama.cpp batch decoder on the real default model.

One sequence goes through exactly what ``generate`` does (chat template, tokens,
prompt chunks, sampler chain, seed, stop rules), so its reply is token-identical.
Three or more sequences in one step go through ggml's multi-row kernels (such as
the 4-row GEMM of repacked Q4_K weights), which sum in another order than the
one-row kernels: logits move by ~0.1 and a near-tie can flip a token
(docs/BENCHMARKS.md), so a batch is checked for what it returns, not for identity.
"""

import numpy as np
import pandas as pd
import pytest

from viscoder_magic.backends.base import GenerationParams
from viscoder_magic.backends.llama import LlamaCppBackend
from viscoder_magic.describe import describe_frame
from viscoder_magic.models import resolve
from viscoder_magic.prompt import first_messages

pytestmark = pytest.mark.e2e

TOKENS = 48
GREEDY = GenerationParams(max_tokens=TOKENS, temperature=0.0, seed=0)
SAMPLED = [GenerationParams(max_tokens=TOKENS, temperature=0.8, seed=1000 * i) for i in (1, 2, 3)]


@pytest.fixture(scope="module")
def backend():
    loaded = LlamaCppBackend(resolve("qwen2.5-coder-0.5b"))
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def messages():
    rng = np.random.default_rng(0)
    sales = pd.DataFrame(
        {
            "region": ["North", "South", "West", "East"] * 3,
            "month": np.repeat([1, 2, 3], 4),
            "revenue": rng.integers(100, 900, 12),
        }
    )
    return first_messages(
        "bar chart of total revenue per region", "matplotlib", [describe_frame("sales", sales)]
    )


@pytest.mark.parametrize("params", [GREEDY, SAMPLED[0]], ids=["greedy", "sampled"])
def test_one_sequence_is_token_identical_to_generate(backend, messages, params):
    assert backend.batches
    streamed: list[str] = []
    (reply,) = backend.generate_many(messages, [params], streamed.append)
    assert "".join(streamed) == reply.text
    assert reply.text == backend.generate(messages, params).text


def test_a_batch_returns_one_distinct_reply_per_sequence(backend, messages):
    streamed: list[str] = []
    replies = backend.generate_many(messages, [GREEDY, *SAMPLED], streamed.append)
    assert len(replies) == 4 and "".join(streamed) == replies[0].text
    assert len({r.text for r in replies}) == 4
    assert all(r.text.startswith("```python") and r.tokens > 0 for r in replies)
    assert all(r.mean_logprob is not None and r.mean_logprob < 0 for r in replies)
    assert replies[0].mean_logprob > min(r.mean_logprob for r in replies[1:])  # greedy: among the likeliest


def test_a_sequence_past_its_deadline_stops_and_the_others_go_on(backend, messages):
    late = GenerationParams(max_tokens=TOKENS, temperature=0.8, seed=1000, deadline=0.0)  # long past
    on_time, cut = backend.generate_many(messages, [GREEDY, late])
    assert cut.finish_reason == "budget" and cut.tokens == 1
    assert on_time.finish_reason != "budget" and on_time.tokens > 1
    alone = backend.generate(messages, late)  # the streaming path stops the same way
    assert alone.finish_reason == "budget" and alone.tokens == 1
