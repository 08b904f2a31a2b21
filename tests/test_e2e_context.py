"""End to end: a chat longer than the llama.cpp context on the real default model.

The pipeline cuts its repair chat to the backend's declared context
(``prompt.fitted``); a request that still does not fit is one clear
``VisCodeError`` naming the fix, never llama-cpp-python's ValueError.
"""

import pytest

from viscoder_magic.backends.base import GenerationParams
from viscoder_magic.backends.llama import LlamaCppBackend
from viscoder_magic.errors import VisCodeError
from viscoder_magic.models import resolve
from viscoder_magic.prompt import fitted

pytestmark = pytest.mark.e2e


def test_overflowing_prompt_is_a_clear_error_and_fitted_chats_are_answered():
    backend = LlamaCppBackend(resolve("qwen2.5-coder-0.5b"), n_ctx=512)
    try:
        params = GenerationParams(max_tokens=16, temperature=0.0, seed=0)
        chat = [
            {"role": "system", "content": "You write Python."},
            {"role": "user", "content": "Plot a line chart of y against x."},
        ]
        for i in range(4):  # four failed repair rounds: ~2,000 tokens in all
            chat += [
                {
                    "role": "assistant",
                    "content": f"```python\nplt.plot(df['x{i}'])\n```\n" + "# note\n" * 120,
                },
                {"role": "user", "content": f"KeyError: 'x{i}'. Please provide a corrected version."},
            ]
        with pytest.raises(VisCodeError, match="does not fit the model's context.*n_ctx"):
            backend.generate(chat, params)
        reply = backend.generate(fitted(chat, backend.n_ctx, params.max_tokens), params)
        assert reply.tokens > 0
        # digits are a token each: 1,000 characters of numbers pass the character estimate
        # but not the context; the backend's own count cuts them
        numbers = chat[:2] + [
            {"role": "assistant", "content": "plt.plot(df['x'])"},
            {"role": "user", "content": "ValueError: " + "0.1234567 " * 100},
        ]
        assert fitted(numbers, backend.n_ctx, params.max_tokens) == numbers
        with pytest.raises(VisCodeError, match="does not fit"):
            backend.generate(numbers, params)
        counted = fitted(numbers, backend.n_ctx, params.max_tokens, backend.count_tokens)
        assert counted[-1]["content"].startswith("…")
        assert backend.generate(counted, params).tokens > 0
    finally:
        backend.close()
