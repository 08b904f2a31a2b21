import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pandas as pd
import pytest

from viscoder_magic import guard
from viscoder_magic.execute import interrupt_held, run_code


@pytest.fixture
def frame():
    return pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})


def test_matplotlib_figure_is_captured(frame):
    outcome = run_code(
        "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\nplt.show()", {}, {"df": frame}
    )
    assert outcome.ok
    assert outcome.figures[0].kind == "matplotlib" and outcome.figures[0].bundle["image/png"]


def test_an_indicator_s_single_value_is_content(frame):
    code = (
        "import plotly.graph_objects as go\nfig = go.Figure(go.Indicator(mode='number', value=5))\nfig.show()"
    )
    assert run_code(code, {}, {"df": frame}, lib="plotly").ok


def test_plotly_figure_is_captured(frame):
    code = "import plotly.express as px\nfig = px.bar(df, x='region', y='revenue')\nfig.show()"
    outcome = run_code(code, {}, {"df": frame}, lib="plotly")
    assert outcome.ok, outcome.error_text
    assert "application/vnd.plotly.v1+json" in outcome.figures[0].bundle


def test_a_figure_left_as_the_last_expression_is_shown_as_in_a_notebook(frame):
    code = (
        "import plotly.express as px\ndef draw(data):\n    return px.bar(data, x='region', y='revenue')\n"
        "draw(df)"
    )
    outcome = run_code(code, {}, {"df": frame}, lib="plotly")
    assert outcome.ok, outcome.error_text
    shown_twice = "import plotly.express as px\nfig = px.bar(df, x='region', y='revenue')\nfig.show()\nfig"
    assert len(run_code(shown_twice, {}, {"df": frame}, lib="plotly").figures) == 1
    failing = run_code("x = 1\nundefined_name", {}, {"df": frame}, lib="plotly")
    assert failing.error_type == "NameError" and failing.error_line == 2


def test_a_program_python_cannot_compile_shows_its_line_not_our_frames(frame):
    outcome = run_code("import matplotlib.pyplot as plt\nplt.plot([1], lw=1, lw=2)\n", {}, {"df": frame})
    assert outcome.error_type == "SyntaxError" and outcome.error_line == 2
    assert "keyword argument repeated: lw" in outcome.traceback and "execute.py" not in outcome.traceback


def test_a_main_guard_runs_as_it_does_in_a_notebook_cell(frame):
    code = (
        "import matplotlib.pyplot as plt\ndef draw(data):\n    plt.bar(data['region'], data['revenue'])\n"
        "if __name__ == '__main__':\n    draw(df)\n    plt.show()"
    )
    outcome = run_code(code, {}, {"df": frame})
    assert outcome.ok, outcome.error_text


def test_no_figure_is_a_failure(frame):
    outcome = run_code("x = 1", {}, {"df": frame})
    assert not outcome.ok and outcome.error_type == "NoFigure"


@pytest.mark.parametrize(
    "code, lib",
    [
        ("import matplotlib.pyplot as plt\nplt.figure()", "matplotlib"),
        (
            "import matplotlib.pyplot as plt\nplt.title('Revenue')",
            "matplotlib",
        ),  # a title alone draws nothing
        (
            "import plotly.graph_objects as go\nfig = go.Figure(go.Image())\nfig.show()",
            "plotly",
        ),  # a trace, no data
        (
            "import plotly.graph_objects as go\nfig = go.Figure(go.Bar(marker_color='red'))\nfig.show()",
            "plotly",
        ),
    ],
)
def test_empty_figure_is_a_failure(frame, code, lib):
    outcome = run_code(code, {}, {"df": frame}, lib=lib)
    assert not outcome.ok and outcome.error_type == "EmptyFigure"


def test_error_traceback_shows_generated_lines(frame):
    outcome = run_code("import matplotlib.pyplot as plt\n\nplt.plot(df['nope'])", {}, {"df": frame})
    assert outcome.error_type == "KeyError"
    assert 'File "<viscode>", line 3' in outcome.traceback
    assert "plt.plot(df['nope'])" in outcome.traceback
    assert outcome.error_line == 3


def test_user_objects_are_not_changed(frame):
    other = [1, 2, 3]
    before = frame.copy()
    code = (
        "import matplotlib.pyplot as plt\ndf.drop(columns=['region'], inplace=True)\n"
        "df['revenue'] *= 100\nother.append(4)\nplt.plot(df['revenue'])"
    )
    outcome = run_code(code, {"other": other}, {"df": frame})
    assert outcome.ok, outcome.error_text
    pd.testing.assert_frame_equal(frame, before)
    assert other == [1, 2, 3]


def test_the_users_open_figure_is_neither_drawn_on_nor_closed(frame):
    import matplotlib.pyplot as plt

    mine, ax = plt.subplots()
    ax.plot([3, 1, 2])
    try:
        outcome = run_code(
            "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])", {}, {"df": frame}
        )
        assert outcome.ok and len(outcome.figures) == 1, outcome.error_text
        assert plt.fignum_exists(mine.number) and plt.gcf() is mine
        assert len(ax.lines) == 1 and not ax.patches  # no bars drawn on the user's axes
        own = run_code(
            "import matplotlib.pyplot as plt\nfig, a = plt.subplots()\na.plot([1])", {}, {"df": frame}
        )
        assert own.ok and len(own.figures) == 1  # the unused blank figure is not shown
        assert plt.get_fignums() == [mine.number]
    finally:
        plt.close(mine)


def test_time_limit_stops_a_loop(frame):
    outcome = run_code("while True:\n    pass", {}, {"df": frame}, timeout=0.5)
    assert outcome.error_type == "ExecutionTimeout"


def test_system_exit_is_contained(frame):
    outcome = run_code("import sys\nsys.exit(3)", {}, {"df": frame})
    assert outcome.error_type == "SystemExit"


def test_guard_blocks_writing_files(frame, tmp_path):
    target = tmp_path / "x.txt"
    outcome = run_code(f"open({str(target)!r}, 'w').write('x')", {}, {"df": frame}, policy=guard.Policy())
    assert outcome.error_type == "BlockedAction"
    assert not target.exists()


def test_a_very_long_error_message_keeps_its_start_and_its_suggestion(frame):
    code = "import plotly.graph_objects as go\nfig = go.Figure()\nfig.update_layout(legend_position='top')"
    outcome = run_code(code, {}, {"df": frame}, lib="plotly")
    assert outcome.error_type == "ValueError"
    assert "Invalid property specified" in outcome.error_text and "Bad property path" in outcome.error_text
    assert "lines of the message cut" in outcome.error_text and len(outcome.error_text.splitlines()) < 40
    assert "Bad property path" in outcome.error_message  # rules read the whole message


def test_a_failure_inside_a_generated_function_exposes_its_locals(frame):
    code = (
        "import matplotlib.pyplot as plt\ndef plot(data):\n    fig, axs = plt.subplots(2, 1)\n"
        "    axs[0].colorbar()\nplot(df)\n"
    )
    outcome = run_code(code, {}, {"df": frame})
    assert outcome.error_type == "AttributeError" and outcome.error_line == 4
    assert (
        outcome.namespace["axs"].shape == (2,) and "plot" in outcome.namespace
    )  # the function's and the module's
    assert (
        "axs"
        not in run_code(
            "import matplotlib.pyplot as plt\nplt.bar(df['nope'], 1)", {}, {"df": frame}
        ).namespace
    )


def test_an_error_raised_while_drawing_is_the_programs_error(frame):
    code = (
        "import matplotlib.pyplot as plt\nfrom matplotlib.ticker import FuncFormatter\n"
        "fig, ax = plt.subplots()\nax.plot(df['revenue'])\n"
        "ax.yaxis.set_major_formatter(FuncFormatter(lambda v: f'{v:.0f}'))\n"
    )
    outcome = run_code(code, {}, {"df": frame}, policy=guard.Policy())
    assert not outcome.ok and outcome.error_type == "TypeError"
    assert "raised while drawing the figure" in outcome.traceback
    import matplotlib.pyplot as plt

    assert not plt.get_fignums()  # the figure that failed to draw is closed


def test_the_guard_covers_callbacks_run_while_drawing(frame, tmp_path):
    target = tmp_path / "x.txt"
    code = (
        "import matplotlib.pyplot as plt\nfrom matplotlib.ticker import FuncFormatter\n"
        "fig, ax = plt.subplots()\nax.plot(df['revenue'])\n"
        f"ax.yaxis.set_major_formatter(FuncFormatter(lambda v, p: open({str(target)!r}, 'w').write('x')))\n"
    )
    outcome = run_code(code, {}, {"df": frame}, policy=guard.Policy())
    assert not outcome.ok and outcome.error_type == "BlockedAction" and not target.exists()


@pytest.fixture
def sigint_handler() -> Iterator[None]:
    """Puts SIGINT's handler back after a test that sets it (pytest may run with SIGINT ignored)."""
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def ctrl_c_inside_a_hold(finished: list[bool]) -> None:
    """Ctrl-C arrives inside ``interrupt_held``; ``finished`` records that the block ran to its end."""
    with interrupt_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        finished.append(True)


def test_ctrl_c_held_through_a_block_is_raised_when_it_ends(sigint_handler: None) -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)
    finished: list[bool] = []
    with pytest.raises(KeyboardInterrupt):
        ctrl_c_inside_a_hold(finished)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_held_in_a_process_that_ignores_it_stays_ignored(sigint_handler: None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    finished: list[bool] = []
    try:
        ctrl_c_inside_a_hold(finished)
    except KeyboardInterrupt:
        pytest.fail("a Ctrl-C the process ignores was raised after the hold")
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


INTERRUPTED_IMPORT = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a kernel, even if started in the background
class Interrupter:  # Ctrl-C arrives just as matplotlib imports its colours
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib.colors":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
sys.meta_path.insert(0, Interrupter())
from viscoder_magic.execute import load_libraries
try:
    load_libraries("seaborn")
except KeyboardInterrupt:
    print("interrupted")
import matplotlib.pyplot as plt, seaborn as sns, io
plt.text(0.5, 0.5, "x"); sns.barplot(x=[1, 2], y=[3, 1]); plt.gcf().savefig(io.BytesIO())
print("drawn")
"""


def test_ctrl_c_during_the_first_import_leaves_the_libraries_whole() -> None:
    """A cut-short matplotlib import breaks every later plot in the kernel; ours is never cut short."""
    run = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_IMPORT],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=120,
    )
    assert run.stdout.split() == ["interrupted", "drawn"], run.stderr[-2000:]
