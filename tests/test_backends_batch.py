"""``generate_many`` for every backend, and the arithmetic of the llama.cpp batch decoder."""

import math

import numpy as np

from viscoder_magic.backends import batches, generate_many
from viscoder_magic.backends.base import GenerationParams
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.backends.llama_batch import _log_partition, _template_key


def test_a_backend_without_its_own_generate_many_answers_one_after_another():
    backend = ScriptedBackend(["one", "two"])
    streamed: list[str] = []
    params = [GenerationParams(seed=1), GenerationParams(seed=2, temperature=0.8)]
    replies = generate_many(backend, [{"role": "user", "content": "hi"}], params, streamed.append)
    assert [g.text for g in replies] == ["one", "two"] and backend.params == params
    assert "".join(streamed).strip() == "one"  # only the first reply streams
    assert not batches(backend) and replies[0].mean_logprob is None


def test_log_partition_is_the_stable_logsumexp():
    logits = np.array([1000.0, 999.0, -5.0], dtype=np.float32)
    expected = 1000.0 + math.log(1 + math.exp(-1) + math.exp(-1005))
    assert math.isclose(_log_partition(logits), expected, rel_tol=1e-6)


def test_template_keys_follow_llama_cpp_python():
    assert _template_key("chat_template.default") == "tokenizer.chat_template"
    assert _template_key("chat_template.tool_use") == "tokenizer.chat_template.tool_use"
    assert _template_key("chatml") == ""
