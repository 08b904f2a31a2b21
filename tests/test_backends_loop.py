"""A streamed reply stuck in a loop is stopped, and what came before is kept."""

from __future__ import annotations

from viscoder_magic.backends.base import GenerationParams, looping
from viscoder_magic.backends.llama import LlamaCppBackend

LOOP = ["fig.update_layout(", "title='Sales'"] + [", title_font_color='black'"] * 200


def test_looping_spots_a_repeated_unit_at_any_phase_and_leaves_code_alone():
    pieces = list("".join(LOOP)[:900])  # one character per piece, cut mid-unit
    assert looping(pieces[:896])
    code = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n" + "".join(
        f"ax.plot(df['c{i}'], label='c{i}')\n" for i in range(30)
    )
    assert not any(looping(list(code)[:n]) for n in range(16, len(code), 16))
    numbers = list(", ".join(str(i) for i in range(400)))  # a long data list that changes is no loop
    assert not any(looping(numbers[:n]) for n in range(16, len(numbers), 16))


class _StubLlama:
    """Streams scripted chunks as llama-cpp-python's create_chat_completion(stream=True) does."""

    def __init__(self, pieces):
        self.pieces, self.sent, self.closed = pieces, 0, False

    def create_chat_completion(self, **kwargs):
        def stream():
            try:
                for piece in self.pieces:
                    self.sent += 1
                    yield {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
                yield {"choices": [{"delta": {}, "finish_reason": "length"}]}
            finally:
                self.closed = True

        return stream()


def test_llama_backend_stops_a_looping_reply_early():
    backend = LlamaCppBackend.__new__(LlamaCppBackend)  # no model file: only the streaming loop is under test
    backend._llama = _StubLlama(LOOP)
    backend._decoder, backend._tiled = None, 0
    generation = backend.generate([{"role": "user", "content": "x"}], GenerationParams(max_tokens=1024))
    assert generation.finish_reason == "repetition"
    assert backend._llama.sent < 40 and backend._llama.closed
    assert generation.text.startswith("fig.update_layout(title='Sales', title_font_color='black'")


def test_a_repeated_block_of_lines_is_a_loop():
    block = "".join(
        f"    {axis}axis_show{part}=False,\n"
        for part in ("grid", "line", "shadow", "ticklabels")
        for axis in "xy"
    )
    pieces = list("fig.update_layout(\n" + block * 4)
    assert any(looping(pieces[:n]) for n in range(16, len(pieces) + 1, 16))
    assert not any(looping(pieces[:n]) for n in range(16, len("fig.update_layout(\n" + block) + 1, 16))


def test_llama_backend_stops_at_the_deadline_and_keeps_the_reply_so_far():
    backend = LlamaCppBackend.__new__(LlamaCppBackend)
    backend._llama = _StubLlama(["import ", "matplotlib"] + ["# more\n"] * 200)
    backend._decoder, backend._tiled = None, 0
    generation = backend.generate(
        [{"role": "user", "content": "x"}], GenerationParams(max_tokens=1024, deadline=0.0)
    )  # long past
    assert generation.finish_reason == "budget" and generation.text == "import "
    assert backend._llama.sent == 1 and backend._llama.closed
