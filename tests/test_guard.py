"""The guard: real plots still work under it, refused actions fail clearly, and the
kernel's state (stubs, limits, builtins, other threads) is back to normal afterwards."""

from __future__ import annotations

import os
import resource
import sys
import threading

import numpy as np
import pandas as pd
import pytest

from viscoder_magic import guard
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.execute import run_code
from viscoder_magic.pipeline import run_request
from viscoder_magic.request import VisCodeRequest
from viscoder_magic.safety_check import safety_problems

SAFE = guard.Policy()
UNSAFE = guard.Policy(unsafe=True)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"city": ["a", "b", "c"], "sales": [3.0, 1.0, 2.0]})


def _run(
    code: str,
    frame: pd.DataFrame,
    policy: guard.Policy | None = SAFE,
    lib: str = "matplotlib",
    **user: object,
):
    return run_code(code, {"df": frame, **user}, {"df": frame}, lib=lib, timeout=5, policy=policy)


@pytest.mark.parametrize(
    ("lib", "code"),
    [
        (
            "matplotlib",
            "import matplotlib.pyplot as plt\nplt.style.use('ggplot')\nfig, ax = plt.subplots()\n"
            "ax.bar(df['city'], df['sales'])\nax.set_title('Sales')\nplt.show()",
        ),
        (
            "seaborn",
            "import seaborn as sns\nsns.set_theme(style='whitegrid')\n"
            "sns.barplot(data=df, x='city', y='sales')",
        ),
        (
            "plotly",
            "import plotly.express as px\nfig = px.bar(df, x='city', y='sales', title='Sales')\nfig.show()",
        ),
        (
            "plotly",
            "import plotly.graph_objects as go\ngo.Figure(go.Scatter(x=df['city'], y=df['sales'])).show()",
        ),
    ],
)
def test_real_plots_work_under_the_guard(frame: pd.DataFrame, lib: str, code: str) -> None:
    outcome = _run(code, frame, lib=lib)
    assert outcome.ok, outcome.error_text
    assert outcome.figures and outcome.figures[0].has_content


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("open('x.txt', 'w')", "writing files is not allowed"),
        ("import subprocess\nsubprocess.run(['true'])", "starting processes"),
        ("import socket\nsocket.socket()", "network access"),
        ("import os\nos._exit(0)", "would end or hang the kernel"),
        ("import threading\nthreading.Thread(target=print).start()", "starting threads"),
        ("import signal\nsignal.alarm(0)", "signal handling"),
    ],
)
def test_refusals_are_clear_failures(
    frame: pd.DataFrame, code: str, reason: str, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = _run(code, frame)
    assert not outcome.ok and outcome.error_type == "BlockedAction"
    assert reason in outcome.error_message and "blocked by viscoder's guard" in outcome.error_message
    assert list(tmp_path.iterdir()) == []


def test_a_swallowed_refusal_still_fails_the_attempt(frame: pd.DataFrame, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = (
        "try:\n    open('x.txt', 'w')\nexcept OSError:\n    pass\n"
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])"
    )
    outcome = _run(code, frame)
    assert outcome.error_type == "BlockedAction" and "caught the refusal" in outcome.error_message


def test_unsafe_lifts_file_and_process_rules_but_not_kernel_ending(
    frame: pd.DataFrame, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = (
        "import subprocess\nopen('note.txt', 'w').write('hi')\nsubprocess.run(['true'])\n"
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])"
    )
    assert _run(code, frame, policy=UNSAFE).ok
    assert (tmp_path / "note.txt").read_text() == "hi"
    for code in (
        "import os\nos._exit(0)",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        "import ctypes\nctypes.string_at(0)",
    ):
        assert _run(code, frame, policy=UNSAFE).error_type == "BlockedAction"


def test_timeouts_stop_loops_even_when_caught(frame: pd.DataFrame) -> None:
    code = (
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except BaseException:\n        pass"
    )
    outcome = run_code(code, {}, {"df": frame}, timeout=1, policy=SAFE)
    assert outcome.error_type == "ExecutionTimeout"
    assert sys.gettrace() is None


def test_runaway_memory_is_a_memory_error(frame: pd.DataFrame) -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    outcome = _run("x = bytearray(10**13)", frame)
    assert outcome.error_type == "MemoryError"
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_user_objects_are_never_changed(frame: pd.DataFrame) -> None:
    saved = frame.copy(deep=True)
    lst, dct, arr = [1, 2], {"k": [1]}, np.arange(3.0)
    code = (
        "df.drop(columns=['sales'], inplace=True)\ndf.index.name = 'x'\nlst.append(3)\n"
        "dct['k'].append(2)\narr[:] = 0\nimport builtins\nbuiltins.len = None"
    )
    _run(code, frame, lst=lst, dct=dct, arr=arr)
    pd.testing.assert_frame_equal(frame, saved)
    assert lst == [1, 2] and dct == {"k": [1]} and arr.tolist() == [0.0, 1.0, 2.0]
    assert len([1]) == 1


def test_everything_is_put_back_and_other_threads_are_free(frame: pd.DataFrame) -> None:
    originals = (os._exit, threading._start_new_thread, sys.setrecursionlimit, sys.modules["__main__"])
    seen: list[str] = []

    def other_thread() -> None:  # starts while the guarded code runs on the main thread
        with open(os.devnull, "w") as handle:
            handle.write("not guarded")
        seen.append("wrote")

    code = "import time\ntime.sleep(0.3)\nimport matplotlib.pyplot as plt\nplt.plot([1])"
    worker = threading.Timer(0.1, other_thread)
    worker.start()
    assert _run(code, frame).ok
    worker.join()
    assert seen == ["wrote"]
    assert (
        os._exit,
        threading._start_new_thread,
        sys.setrecursionlimit,
        sys.modules["__main__"],
    ) == originals


def test_blocked_action_reaches_the_repair_turn(frame: pd.DataFrame, tmp_path, monkeypatch) -> None:
    """rounds > 0: the refusal is a failed attempt and the repair prompt says why."""
    bad = (
        "```python\nimport matplotlib.pyplot as plt\nplt.bar(df['city'], df['sales'])\n"
        "with open('out.csv', 'w') as out:\n    out.write(df.to_string())\n```"
    )  # no patch removes it
    sneaky = (
        "```python\nimport os\nimport matplotlib.pyplot as plt\nplt.bar(df['city'], df['sales'])\n"
        "os.utime('o.txt')\n```"
    )
    good = "```python\nimport matplotlib.pyplot as plt\nplt.bar(df['city'], df['sales'])\n```"
    monkeypatch.chdir(tmp_path)
    backend = ScriptedBackend([bad, sneaky, good])
    request = VisCodeRequest(text="sales per city", frames=("df",), rounds=2)
    result = run_request(request, {"df": frame}, {"df": frame}, backend, policy=SAFE)
    assert result.ok and [a.ok for a in result.attempts] == [False, False, True]
    assert result.attempts[0].error_type == "PrecheckError"  # static reason, no run
    assert "open() for writing is not allowed" in backend.calls[1][-1]["content"]
    assert result.attempts[1].error_type == "BlockedAction"  # only the guard saw this one
    assert "changing files" in backend.calls[2][-1]["content"]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("import os as o\no.remove('x')", "os.remove() deletes a file"),
        ("from os import system\nsystem('ls')", "os.system() starts a process"),
        ("import subprocess", "`import subprocess` starts processes"),
        ("getattr(__import__('os'), 'sys' + 'tem')('ls')", "computed name"),
        ("open('f.txt', mode='a')", "open() for writing"),
        ("while True:\n    x = 1", "never ends"),
        ("df.to_csv('out.csv')", ".to_csv() writes a file"),
        ("import sys\nsys._getframe(1).f_locals", "sys._getframe()"),
    ],
)
def test_static_rules_name_the_problem_and_line(code: str, fragment: str) -> None:
    import ast

    problems = safety_problems(ast.parse(code))
    assert any(fragment in p and p.startswith("line ") for p in problems), problems


@pytest.mark.parametrize(
    "code",
    [
        "import matplotlib.pyplot as plt\nplt.plot(df['a'])\nplt.show()",
        "import os\nname = os.path.join('a', 'b')\ntext = df.to_csv()\nitems = [1]\nitems.remove(1)",
        "df = df.rename(columns={'a': 'b'}).replace(0, 1)\nwhile True:\n    break",
    ],
)
def test_static_rules_leave_ordinary_plotting_code_alone(code: str) -> None:
    import ast

    assert safety_problems(ast.parse(code)) == []
