import pandas as pd
import pytest
from IPython.core.error import UsageError

GOOD = "```python\\nimport matplotlib.pyplot as plt\\nplt.bar(sales['region'], sales['revenue'])\\n```"
BAD = "```python\\nimport matplotlib.pyplot as plt\\nplt.bars(sales['region'], sales['revenue'])\\n```"


@pytest.fixture
def ip(shell):
    shell.user_ns["sales"] = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    return shell


def test_success_binds_out_and_last_result(ip):
    ip.run_cell_magic("viscode", f'sales -m "fake:{GOOD}" -o res', "revenue per region")
    assert ip.user_ns["res"] is ip.user_ns["_viscode"]
    assert ip.user_ns["res"].ok


def test_only_frame_in_scope_is_used(ip):
    ip.run_cell_magic("viscode", f'-m "fake:{GOOD}"', "revenue per region")
    assert ip.user_ns["_viscode"].ok


def test_repair_attempts_are_kept(ip):
    ip.run_cell_magic("viscode", f'sales -m "fake:{BAD}||{GOOD}" -k 1', "revenue per region")
    result = ip.user_ns["_viscode"]
    assert [a.ok for a in result.attempts] == [False, True]


def test_a_scripted_cell_run_again_replays_its_script(ip):
    line = f'sales -m "fake:{BAD}||{GOOD}" -k 1'  # the backend stays loaded between the two runs
    runs = []
    for _ in range(2):
        ip.run_cell_magic("viscode", line, "revenue per region")
        runs.append([a.ok for a in ip.user_ns["_viscode"].attempts])
    assert runs == [[False, True], [False, True]], runs


def test_insert_puts_working_code_in_next_cell(ip):
    ip.rl_next_input = None
    ip.run_cell_magic("viscode", f'sales -m "fake:{GOOD}" --insert', "revenue per region")
    assert "plt.bar(sales['region']" in ip.rl_next_input


def test_config_sets_defaults(ip):
    ip.run_line_magic("config", "VisCode.rounds = 0")
    try:
        ip.run_cell_magic("viscode", f'sales -m "fake:{BAD}||{GOOD}"', "x")
        assert len(ip.user_ns["_viscode"].attempts) == 1
    finally:
        ip.run_line_magic("config", "VisCode.rounds = 3")


@pytest.mark.parametrize(
    "line, cell, words",
    [
        ("nope", "x", "no variable named `nope`"),
        ("sales --lib ggplot", "x", "Unknown plotting library 'ggplot'"),
        ("sales", "   ", "The cell has no request"),
        ("sales -k -1", "x", "--rounds must be at least 0"),
        ("sales -o 1x", "x", "valid variable name"),
        ('sales --goal "a pie chart"', "x", "--goal describes what your own code"),
    ],
)
def test_bad_input_is_one_paragraph_usage_error(ip, line, cell, words):
    with pytest.raises(UsageError, match=words) as info:
        ip.run_cell_magic("viscode", line, cell)
    assert "\n" not in str(info.value)
    assert type(info.value) is UsageError


def test_several_frames_need_a_name(ip):
    ip.user_ns["other"] = pd.DataFrame({"a": [1]})
    with pytest.raises(UsageError, match="Several DataFrames are in scope"):
        ip.run_cell_magic("viscode", "", "x")


def test_non_frame_variable_is_rejected(ip):
    ip.user_ns["text"] = "hello"
    with pytest.raises(UsageError, match="is a str, not a pandas DataFrame"):
        ip.run_cell_magic("viscode", "text", "x")


def test_line_magic_commands(ip, capsys):
    ip.run_line_magic("viscode", "status")
    assert "rounds" in capsys.readouterr().out
    ip.run_line_magic("viscode", "models")
    assert "qwen2.5-coder-0.5b (default)" in capsys.readouterr().out
    with pytest.raises(UsageError, match="is not a command"):
        ip.run_line_magic("viscode", "dance")


def test_help_comes_from_docstring_and_arguments(ip):
    doc = ip.find_line_magic("viscode").__doc__
    assert "Usage::" in doc and "--rounds" in doc and "--fix" in doc


def test_a_model_loaded_for_a_fix_run_brings_its_own_settings_and_does_not_spend_the_budget():
    import time

    from viscoder_magic import guard
    from viscoder_magic.backends.fake import ScriptedBackend
    from viscoder_magic.magics import _LazyBackend
    from viscoder_magic.pipeline import run_request
    from viscoder_magic.request import VisCodeRequest

    good = GOOD.replace("\\n", "\n")
    loaded = ScriptedBackend([good], "the loaded model", seconds_per_word=0.001)
    loaded.n_ctx = 4096

    def load():
        time.sleep(3.0)  # longer than the whole budget below, which leaves round 0 ample time
        return loaded

    lazy = _LazyBackend(load, "fake (not loaded)")
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    request = VisCodeRequest(
        text="import matplotlib.pyplot as plt\nplt.bars(sales['region'], sales['revenue'])",
        frames=("sales",),
        fix=True,
        budget=2.5,
    )
    result = run_request(request, {"sales": frame}, {}, lazy, policy=guard.Policy())
    assert [a.kind for a in result.attempts][-1] == "repair" and result.ok, result.stopped
    assert lazy.n_ctx == 4096 and lazy.description == "the loaded model" and lazy.load_seconds >= 3.0
    assert loaded.params[0].deadline is not None and not result.stopped
