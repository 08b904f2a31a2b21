"""End to end: a reply does not depend on what the model answered before (real default model).

llama.cpp's cache is reused only where a fresh run computes the same rows
(backends/llama_prefix.py), so a rerun of a cell, the same cell after another one,
and a repair turn all get exactly the reply a freshly loaded model gives. Before
that rule, the second greedy reply to the same chat differed from the first.
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

GREEDY = GenerationParams(max_tokens=32, temperature=0.0, seed=0)


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(0)
    sales = pd.DataFrame(
        {
            "region": ["North", "South", "West", "East"] * 3,
            "month": np.repeat([1, 2, 3], 4),
            "revenue": rng.integers(100, 900, 12),
        }
    )
    return [describe_frame("sales", sales)]


def fresh(messages, params) -> str:
    backend = LlamaCppBackend(resolve("qwen2.5-coder-0.5b"))
    try:
        return backend.generate(messages, params).text
    finally:
        backend.close()


def test_reply_is_the_fresh_one_whatever_ran_before(frames) -> None:
    params = GREEDY
    bars = first_messages("bar chart of total revenue per region", "matplotlib", frames)
    lines = first_messages("line chart of revenue per month, one line per region", "matplotlib", frames)
    expected = fresh(bars, params)
    backend = LlamaCppBackend(resolve("qwen2.5-coder-0.5b"))
    try:
        assert backend.generate(bars, params).text == expected
        assert backend.generate(bars, params).text == expected  # the rerun of a cell
        backend.generate(lines, params)  # another cell: the same system prompt and frame, another request
        assert backend.generate(bars, params).text == expected
        repair = bars + [
            {"role": "assistant", "content": expected},
            {"role": "user", "content": "KeyError: 'revenue_total'. Please provide a corrected version."},
        ]
        repaired = backend.generate(repair, params).text
    finally:
        backend.close()
    assert repaired == fresh(repair, params)
