"""Execute stage: run one program against the real data and capture its figures.

The program runs in the kernel (it needs the live objects) but never on them: it
gets a fresh namespace in which every user variable it mentions is a copy, so a
``df.drop(..., inplace=True)`` changes the copy, not the user's frame. Figures are
captured without an interactive backend (``show`` is a no-op while we run), so
nothing pops up twice and the pipeline decides what to display. A time limit and
the safety guard wrap the run; an error becomes data for the repair stage.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import copy
import importlib
import io
import json
import linecache
import re
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import pandas as pd

from . import guard

SOURCE_NAME = guard.SOURCE_NAME
#: Shell helpers that would reach (or end) the kernel; the program gets refusing stand-ins.
SHELL_HELPERS = ("get_ipython", "exit", "quit")
#: What a program for each library imports first; loaded before it runs, with Ctrl-C held.
LIBRARY_MODULES = {
    "matplotlib": ("matplotlib.pyplot",),
    "seaborn": ("matplotlib.pyplot", "seaborn"),
    "plotly": ("matplotlib.pyplot", "plotly.express", "plotly.graph_objects"),
}


class ExecutionTimeout(Exception):
    """The program ran past its time limit."""


@dataclass(frozen=True)
class CapturedFigure:
    """One figure the program drew, as a MIME bundle ready for display."""

    kind: str  # "matplotlib" or "plotly"
    bundle: dict[str, Any]
    has_content: bool
    #: The drawn figure object, until the loop has read its facts (then dropped: it can hold all the data).
    source: Any = field(default=None, repr=False, compare=False)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return dict(self.bundle)


@dataclass(frozen=True)
class ExecutionOutcome:
    """What running a program did."""

    ok: bool
    figures: tuple[CapturedFigure, ...] = ()
    error_type: str | None = None
    error_message: str = ""
    traceback: str = ""
    stdout: str = ""
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    error_line: int | None = None
    namespace: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def error_text(self) -> str:
        """The error as the repair turn shows it: trimmed traceback, or the reason."""
        return self.traceback or f"{self.error_type}: {self.error_message}"


def referenced_names(code: str) -> set[str]:
    """Every plain name the program mentions (cheap, and tolerant of syntax errors)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def build_namespace(
    code: str, user_ns: Mapping[str, Any], frames: Mapping[str, pd.DataFrame]
) -> dict[str, Any]:
    """A namespace that sees the user's variables, with everything it touches copied.

    ``__name__`` is ``"__main__"`` as in a notebook cell or a script: generated code often
    draws under ``if __name__ == "__main__":``, and the kept code, inserted as a cell, runs
    that block, so our run must run it too or it fails here with NoFigure and works there.
    """
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    for name in referenced_names(code):
        if name in SHELL_HELPERS:
            namespace[name] = guard.blocked_stub(name)
            continue
        if name in frames or name not in user_ns or name.startswith("_"):
            continue
        value = user_ns[name]
        if isinstance(value, type(contextlib)):  # modules are shared, not copied
            namespace[name] = value
            continue
        try:
            namespace[name] = copy.deepcopy(value)
        except Exception:  # an uncopyable object is left out rather than exposed
            continue
    for name, frame in frames.items():
        namespace[name] = frame.copy(deep=True)
    return namespace


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``ExecutionTimeout`` in the running code after ``seconds`` (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum: int, frame: Any) -> None:
        # Only inside the program (never in our own clean-up); the timer repeats, so a
        # program that catches the first timeout gets another one half a second later.
        while frame is not None and frame.f_code.co_filename != SOURCE_NAME:
            frame = frame.f_back
        if frame is not None:
            message = f"the code ran for more than {seconds:g} s and was stopped"
            guard.keep_raising(frame, lambda: ExecutionTimeout(message))
            raise ExecutionTimeout(message)

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def interrupt_held() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, then raise it.

    An import cut short leaves half-built modules and classes behind: matplotlib then
    finds two ``Text`` artists when it fills a docstring (``KeyError: 'Text:kwdoc'``),
    or a package without its attributes, and every later plot in the kernel fails. An
    import takes a second or two, so the wait is short. The held Ctrl-C goes to whatever
    handled it before, so a process that ignores Ctrl-C (started in the background) still
    does. Main thread only (signals).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if pending:
        signal.raise_signal(signal.SIGINT)


def load_libraries(lib: str) -> None:
    """Import the plotting library before the program does, so Ctrl-C cannot cut it short.

    One that is not installed is left for the program's own import to report.
    """
    missing = [
        name for name in LIBRARY_MODULES.get(lib, LIBRARY_MODULES["matplotlib"]) if name not in sys.modules
    ]
    if not missing:
        return
    with interrupt_held():
        for name in missing:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)


def compile_cell(code: str) -> tuple[Any, Any]:
    """The program, and its last bare expression on its own, as IPython runs a cell.

    In a notebook a cell that ends in ``fig`` (or in a call that returns a figure,
    ``plot_scatter(df)``) shows that figure, so the program counts as drawing it, here
    and when the user runs the kept code as a cell. Line numbers stay the program's own.
    """
    tree = ast.parse(code, SOURCE_NAME)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), SOURCE_NAME, "eval")
    return compile(tree, SOURCE_NAME, "exec"), last


def _is_plotly_figure(value: Any) -> bool:
    module = type(value).__module__
    if not module.startswith("plotly"):
        return False
    import plotly.basedatatypes as pbt

    return isinstance(value, pbt.BaseFigure)


@contextlib.contextmanager
def _captured_show(lib: str) -> Iterator[list[Any]]:
    """Make ``show`` a no-op that records plotly figures; matplotlib stays non-interactive."""
    import matplotlib.pyplot as plt

    shown: list[Any] = []
    originals: list[tuple[Any, str, Any]] = [(plt, "show", plt.show)]
    plt.show = lambda *a, **k: None  # type: ignore[assignment]
    if lib == "plotly":
        import plotly.basedatatypes as pbt
        import plotly.io as pio

        originals += [(pbt.BaseFigure, "show", pbt.BaseFigure.show), (pio, "show", pio.show)]
        pbt.BaseFigure.show = lambda self, *a, **k: shown.append(self)  # type: ignore[assignment]
        pio.show = lambda fig, *a, **k: shown.append(fig)  # type: ignore[assignment]
    was_interactive = plt.isinteractive()
    plt.ioff()
    try:
        yield shown
    finally:
        for owner, name, value in originals:
            setattr(owner, name, value)
        if was_interactive:
            plt.ion()


def _matplotlib_figures(before: set[int]) -> tuple[list[CapturedFigure], BaseException | None]:
    """The program's new figures as PNGs, every one closed; and the first error drawing raised.

    Drawing runs the program's own callbacks (a tick formatter, say) and validates what
    was only stored until then, so it fails as the program does: the error is the
    program's, to be repaired, not ours.
    """
    import matplotlib.pyplot as plt

    figures, failure = [], None
    for number in plt.get_fignums():
        if number in before:
            continue
        fig = plt.figure(number)
        has_content = any(
            ax.has_data() or ax.images or ax.texts or ax.tables for ax in fig.axes
        )  # a title is not
        buffer = io.BytesIO()
        try:
            fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
            figures.append(CapturedFigure("matplotlib", {"image/png": png}, has_content, source=fig))
        except Exception as exc:  # noqa: BLE001 - see above
            failure = failure or exc
        finally:
            plt.close(fig)
    return figures, failure


def _plotly_figures(shown: list[Any], namespace: Mapping[str, Any]) -> list[CapturedFigure]:
    try:
        import plotly.basedatatypes as pbt
    except ImportError:
        return []
    candidates = list(shown) or [v for v in namespace.values() if isinstance(v, pbt.BaseFigure)][-1:]
    return [
        CapturedFigure(
            "plotly",
            plotly_bundle(fig),
            has_content=any(_holds_data(t.to_plotly_json()) for t in fig.data),
            source=fig,
        )
        for fig in candidates
    ]


def plotly_bundle(fig: Any) -> dict[str, Any]:
    """A plotly figure's MIME bundle, encoded by plotly itself.

    ``to_plotly_json`` keeps NumPy arrays, and the kernel's JSON packer refuses the ones it does
    not know, such as ``datetime64[us]`` (pandas 3's default unit for dates). Plotly's own encoder
    writes dates of every unit and zone, NaN and typed arrays the way plotly.js reads them.
    """
    return {
        "application/vnd.plotly.v1+json": json.loads(fig.to_json()),
        "text/html": fig.to_html(include_plotlyjs="cdn", full_html=False),
    }


def _holds_data(trace: Mapping[str, Any], depth: int = 0) -> bool:
    """Whether a plotly trace holds data (an array, an image source, an indicator's value), not just styling.

    A trace whose data keywords were all rejected (``go.Image()``) is drawn as nothing.
    """
    for key, value in trace.items():
        if key == "colorscale":
            continue
        if (
            key == "source"
            and value
            or key == "value"
            and isinstance(value, int | float)
            or hasattr(value, "__len__")
            and not isinstance(value, str | dict)
            and len(value)
        ):
            return True
        if isinstance(value, Mapping) and depth < 2 and _holds_data(value, depth + 1):
            return True
    return False


_SITE_PACKAGES = re.compile(r"^.*[\\/](?:site|dist)-packages[\\/]")


def trim_traceback(
    exc: BaseException, tb: TracebackType | None, library_frames: int = 2
) -> tuple[str, int | None]:
    """The frames of the generated code plus the last few library frames, and the failing line."""
    frames = traceback.extract_tb(tb)
    ours = [i for i, f in enumerate(frames) if f.filename == SOURCE_NAME]
    if (
        not ours and isinstance(exc, SyntaxError) and exc.filename == SOURCE_NAME
    ):  # compiling it: no frame is its
        return _shortened("".join(traceback.format_exception_only(type(exc), exc))).rstrip(), exc.lineno
    error_line = frames[ours[-1]].lineno if ours else None
    if ours:
        keep = frames[ours[0] : ours[-1] + 1] + frames[ours[-1] + 1 :][-library_frames:]
    else:
        keep = frames[-library_frames:]
    for frame in keep:  # library paths as module paths: shorter for students and the model
        frame.filename = _SITE_PACKAGES.sub("", frame.filename)
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(keep)]
    lines.append(_shortened("".join(traceback.format_exception_only(type(exc), exc))))
    return "".join(lines).rstrip(), error_line


def _failing_locals(tb: TracebackType | None) -> dict[str, Any]:
    """The local variables of the generated function that failed (``{}`` when it failed at top level).

    Models often wrap the program in ``def plot(df): ...``; the hints and patches read
    the live objects of the failing line (``axs``, ``ax``), which then live in that frame.
    """
    innermost = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SOURCE_NAME:
            innermost = tb.tb_frame
        tb = tb.tb_next
    if innermost is None or innermost.f_code.co_name == "<module>":
        return {}
    return dict(innermost.f_locals)


def _shortened(message: str, head: int = 6, tail: int = 8) -> str:
    """A very long exception message (plotly lists every valid property) cut to its start and end.

    The start names the error and the end the suggestion ("Did you mean ...", "Bad property
    path"); a hundred lines of reference between them would fill a small model's context.
    """
    lines = message.splitlines(keepends=True)
    if len(lines) <= head + tail + 5:
        return message
    cut = len(lines) - head - tail
    return "".join([*lines[:head], f"    ... ({cut} lines of the message cut) ...\n", *lines[-tail:]])


#: A failure of the program: its type name, message, trimmed traceback and failing line.
_Failure = tuple[str, str, str, int | None]


def _run_program(
    code: str,
    namespace: dict[str, Any],
    shown: list[Any],
    before: set[int],
    *,
    stdout: io.StringIO,
    timeout: float,
    policy: guard.Policy | None,
) -> tuple[dict[str, Any], _Failure | None]:
    """Run the program as a cell, and the namespace the hints and patches will read.

    A failing program's namespace adds the locals of the generated function that failed. Ctrl-C
    closes the figures the program opened and reaches the user: it is theirs, not the program's.
    """
    import matplotlib.pyplot as plt

    try:
        body, last = compile_cell(code)
        with contextlib.redirect_stdout(stdout), time_limit(timeout), guard.guarded(policy):
            exec(body, namespace)  # noqa: S102 - running generated code is the product
            value = eval(last, namespace) if last is not None else None  # noqa: S307 - the same program
        if _is_plotly_figure(value) and not any(value is f for f in shown):
            shown.append(value)
    except KeyboardInterrupt:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit too: the kernel must survive
        text, line = trim_traceback(exc, exc.__traceback__)
        return {**namespace, **_failing_locals(exc.__traceback__)}, (type(exc).__name__, str(exc), text, line)
    return namespace, None


def _drawn_figures(
    before: set[int], *, stdout: io.StringIO, timeout: float, policy: guard.Policy | None
) -> tuple[list[CapturedFigure], BaseException | None]:
    """The program's matplotlib figures, drawn under the same guard and clock as the program.

    Drawing runs the program's callbacks, so a refusal or the clock can meet it there too.
    """
    try:
        with contextlib.redirect_stdout(stdout), time_limit(timeout), guard.guarded(policy):
            return _matplotlib_figures(before)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a refusal (or the clock) met while drawing
        return [], exc


def _drawing_failure(drawing: BaseException | None) -> _Failure | None:
    """An error raised while drawing, said to be one: the program ran, its figure did not draw."""
    if drawing is None:
        return None
    text, line = trim_traceback(drawing, drawing.__traceback__)
    return (
        type(drawing).__name__,
        f"{drawing} (raised while drawing the figure)",
        text + "\n(raised while drawing the figure)",
        line,
    )


def _encoded_plotly(
    shown: list[Any], namespace: Mapping[str, Any]
) -> tuple[list[CapturedFigure], _Failure | None]:
    """The plotly figures, or the failure to encode data the program put in them."""
    try:
        return _plotly_figures(shown, namespace), None
    except Exception as exc:  # noqa: BLE001 - data the program put in the figure that plotly cannot encode
        return [], (type(exc).__name__, f"{exc} (raised while encoding the plotly figure)", "", None)


def _missing_figure(figures: list[CapturedFigure]) -> _Failure | None:
    """A program that ran but drew nothing fails: the pipeline's job is a figure."""
    if any(f.has_content for f in figures):
        return None
    if figures:
        return ("EmptyFigure", "the code created a figure but drew nothing on it", "", None)
    return ("NoFigure", "the code ran but drew no figure with content", "", None)


def run_code(
    code: str,
    user_ns: Mapping[str, Any],
    frames: Mapping[str, pd.DataFrame],
    *,
    lib: str = "matplotlib",
    timeout: float = 30.0,
    policy: guard.Policy | None = None,
) -> ExecutionOutcome:
    """Run ``code`` on copies of the data; never raises for errors in ``code`` itself."""
    load_libraries(lib)
    import matplotlib.pyplot as plt

    namespace = build_namespace(code, user_ns, frames)
    linecache.cache[SOURCE_NAME] = (len(code), None, code.splitlines(True), SOURCE_NAME)
    before = set(plt.get_fignums())
    # The user's open figures stay theirs: pyplot calls ("plt.bar(...)") draw on a new current figure.
    users_current = plt.gcf().number if before else None
    scratch = plt.figure().number if before else None
    stdout = io.StringIO()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, _captured_show(lib) as shown:
        warnings.simplefilter("always")
        namespace, error = _run_program(
            code, namespace, shown, before, stdout=stdout, timeout=timeout, policy=policy
        )
        if scratch is not None and plt.fignum_exists(scratch) and not plt.figure(scratch).axes:
            plt.close(scratch)  # the code made its own figure
        figures, drawing = _drawn_figures(before, stdout=stdout, timeout=timeout, policy=policy)
        error = error or _drawing_failure(drawing)
        if users_current is not None and plt.fignum_exists(users_current):
            plt.figure(users_current)
        if lib == "plotly" or "plotly" in code:
            plotly_figures, plotly_error = _encoded_plotly(shown, namespace)
            figures += plotly_figures
            error = error or plotly_error
    seconds = time.perf_counter() - start
    messages = tuple(dict.fromkeys(str(w.message) for w in caught))[:5]
    error = error or _missing_figure(figures)
    if error is not None:
        kind, message, text, line = error
        if not text:
            text = f"{kind}: {message}. Draw the plot with {lib} (and call show())."
        return ExecutionOutcome(
            ok=False,
            figures=tuple(figures),
            error_type=kind,
            error_message=message,
            traceback=text,
            stdout=stdout.getvalue(),
            warnings=messages,
            seconds=seconds,
            error_line=line,
            namespace=namespace,
        )
    return ExecutionOutcome(
        ok=True,
        figures=tuple(figures),
        stdout=stdout.getvalue(),
        warnings=messages,
        seconds=seconds,
        namespace=namespace,
    )
