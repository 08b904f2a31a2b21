"""Safety guard: what code run by ``%%viscode`` may not do (see docs/SAFETY.md).

PEP 578 audit hooks see every ``open`` mode, process start, socket and native-code
load whatever its spelling (``__import__('o'+'s').system``, ``getattr(os, …)``), so
they are the enforcement. A hook can never be removed once added, so we add one per
process and switch it on per thread only while our code runs (a thread-local checked
first, so the kernel pays nothing otherwise).

A few kernel-ending calls raise no audit event (``os._exit``, ``os.abort``,
``signal.setitimer`` cancelling our time limit, starting a thread that would outlive
it, ``faulthandler._sigsegv`` …). For the duration of the block those module
attributes are replaced by stubs that refuse on the guarded thread and pass through
on every other thread, then put back. The address space is capped meanwhile
(``memory_limit``) so a runaway allocation fails with ``MemoryError``.

This is a guard against mistakes and steered models, not a sandbox: native code and
deliberate introspection can get around it. docs/SAFETY.md says what to do instead.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .memory_limit import memory_limit

#: File name the executed program is compiled under (execute.py uses the same).
SOURCE_NAME = "<viscode>"


class BlockedAction(PermissionError):
    """The guard stopped an action; the message says which and why.

    A ``PermissionError`` (an ``OSError``), so libraries that try an optional write
    (bytecode caches, font caches) treat it as an unwritable disk and carry on.
    """


@dataclass(frozen=True)
class Policy:
    """Which rules are on.

    ``unsafe`` lifts the file, process and network rules; kernel-ending actions,
    native code and reaching into the notebook stay blocked. ``memory_mb`` caps how
    much address space the code may add to the kernel: ``None`` picks three quarters
    of the memory available now (at least 1 GiB), ``0`` sets no cap.
    """

    unsafe: bool = False
    memory_mb: int | None = None


_STATE = threading.local()
_INSTALLED = False
_LOCK = threading.Lock()
_DEPTH = 0
_PATCHED: list[tuple[Any, str, Any]] = []

_WRITE_MODES = set("wax+")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PROCESS_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.posix_spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "os.startfile",
    "webbrowser.open",
}
_FILE_EVENTS = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.chflags",
    "os.lchflags",
    "os.link",
    "os.symlink",
    "os.truncate",
    "os.utime",
    "os.removexattr",
    "os.setxattr",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
    "sqlite3.connect",
    "os.chdir",
    "os.fchdir",
    "os.putenv",
    "os.unsetenv",
}
_NETWORK_EVENTS = {
    "socket.__new__",
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
    "poplib.connect",
    "imaplib.open",
    "nntplib.connect",
    "telnetlib.Telnet.open",
}
_ALWAYS = {
    "os.kill": "signalling or killing processes could end the kernel",
    "os.killpg": "signalling or killing processes could end the kernel",
    "signal.pthread_kill": "signalling the kernel's threads could end it",
    "resource.setrlimit": "changing resource limits would lift the memory limit",
    "resource.prlimit": "changing resource limits would lift the memory limit",
    "sys.settrace": "tracing hooks would see (and could change) the notebook's objects",
    "sys.setprofile": "profiling hooks would see (and could change) the notebook's objects",
    "sys._current_frames": "reading other threads' frames reaches the notebook's variables",
    "gc.get_objects": "walking the garbage collector reaches the notebook's variables",
    "gc.get_referrers": "walking the garbage collector reaches the notebook's variables",
    "gc.get_referents": "walking the garbage collector reaches the notebook's variables",
    "builtins.input": "the code may not wait for keyboard input",
    "builtins.breakpoint": "the code may not start a debugger",
    "os.add_dll_directory": "loading native code is not allowed",
}
_NATIVE_MODULES = {"ctypes", "_ctypes", "cffi", "_cffi_backend"}
_FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame"}
_KERNEL = "would end or hang the kernel"


def _active_policy() -> Policy | None:
    return getattr(_STATE, "policy", None)


def _deny(reason: str, *, record: bool = True) -> None:
    if record:
        _STATE.violations.append(reason)
    raise BlockedAction(f"blocked by viscoder's guard: {reason}")


def _check(event: str, args: tuple) -> None:
    """The audit hook: silent unless this thread is running guarded code."""
    policy = _active_policy()
    if policy is None or getattr(_STATE, "busy", False):
        return
    _STATE.busy = True  # our own introspection below raises events too
    try:
        reason = _reason(event, args, policy)
    finally:
        _STATE.busy = False
    if reason == "bytecode cache":
        _deny("writing a bytecode cache", record=False)
    if reason:
        _deny(reason)


def _reason(event: str, args: tuple, policy: Policy) -> str | None:
    """Why the guard refuses an event, or ``None``.

    The kernel, native-code and frame rules come before ``policy.unsafe``, which lifts only the
    side-effect rules. ``_frame_reason`` is called from here directly: it counts the frames above it.
    """
    if event == "sys.settrace" and getattr(_STATE, "unwinding", False):
        return None  # CPython switching off keep_raising's trace function
    reason = _kernel_or_native_reason(event, args)
    if reason is not None:
        return reason
    if event in ("sys._getframe", "object.__getattr__"):
        return _frame_reason(event, args)
    if policy.unsafe:
        return None
    return _side_effect_reason(event, args)


def _kernel_or_native_reason(event: str, args: tuple) -> str | None:
    """Refusals no policy lifts: calls that could end the kernel or see the notebook, native code."""
    if event in _ALWAYS:
        return _ALWAYS[event]
    if event.startswith("ctypes."):
        return "loading or calling native code (ctypes) is not allowed"
    if event == "import" and args and str(args[0]).split(".")[0] in _NATIVE_MODULES:
        return f"importing {args[0]} (native code) is not allowed"
    return None


def _side_effect_reason(event: str, args: tuple) -> str | None:
    """Refusals ``unsafe`` lifts: writing files, changing the environment, processes, the network."""
    if event == "open":
        return _open_reason(args)
    if event in _FILE_EVENTS or event.startswith("shutil."):
        if any("__pycache__" in str(a) for a in args[:1]):
            return "bytecode cache"
        return f"changing files or the kernel's environment is not allowed ({event})"
    if event in _PROCESS_EVENTS or event.startswith(("os.exec", "os.spawn")):
        return f"starting processes is not allowed ({event})"
    if event in _NETWORK_EVENTS:
        return f"network access is not allowed ({event})"
    return None


def _open_reason(args: tuple) -> str | None:
    mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
    if not (_WRITE_MODES & set(mode) or flags & _WRITE_FLAGS):
        return None
    if "__pycache__" in str(args[0]):
        return "bytecode cache"
    return f"writing files is not allowed ({args[0]!r}); the figure is returned, do not save it"


def _frame_reason(event: str, args: tuple) -> str | None:
    """Refuse frames that lead back to the notebook: our callers, or the program's own
    frame asked for directly (its ``f_back`` is the caller holding the user's namespace)."""
    if event == "object.__getattr__":
        if len(args) < 2 or args[1] not in _FRAME_ATTRIBUTES:
            return None
        frame = getattr(args[0], args[1], None)
    else:
        frame = args[0] if args else None
    if frame is None:
        return None
    reason = "reading the caller's frames reaches the notebook's variables"
    if id(frame) in getattr(_STATE, "ancestors", ()):
        return reason
    caller = sys._getframe(3)  # _check <- hook <- the code that asked for the frame
    if caller.f_code.co_name == "currentframe" and caller.f_back is not None:
        caller = caller.f_back
    return reason if caller.f_code.co_filename == SOURCE_NAME else None


def keep_raising(frame: types.FrameType | None, make_error: Callable[[], BaseException]) -> None:
    """Raise ``make_error()`` again on the program's next line, its handlers' lines included.

    Called from the time limit's signal handler, which re-fires every half second:
    a program that catches the timeout (``while True: try: … except: pass``) meets
    it again on the handler's first line, outside the ``try`` that swallowed it.
    CPython switches a trace function off once it raises, so each alarm installs it
    anew; ``guarded`` removes it on exit. Handlers nested two deep can still outlast
    it (docs/SAFETY.md).
    """

    def trace(traced: types.FrameType, event: str, arg: Any) -> Any:
        if traced.f_code.co_filename != SOURCE_NAME:
            return None
        if event == "line":
            raise make_error()
        return trace

    if _active_policy() is None:
        return
    _STATE.busy = True  # sys.settrace is refused to the program, not to us
    try:
        if not getattr(_STATE, "unwinding", False):
            _STATE.unwinding, _STATE.previous_trace = True, sys.gettrace()
        while frame is not None:
            if frame.f_code.co_filename == SOURCE_NAME:
                frame.f_trace, frame.f_trace_lines = trace, True
            frame = frame.f_back
        sys.settrace(trace)
    finally:
        _STATE.busy = False


def _stop_raising() -> None:
    if getattr(_STATE, "unwinding", False):
        _STATE.unwinding = False
        sys.settrace(_STATE.previous_trace)


def install() -> None:
    """Add the process-wide audit hook once; it does nothing until ``guarded`` is entered."""
    global _INSTALLED
    with _LOCK:
        if not _INSTALLED:
            sys.addaudithook(_check)
            _INSTALLED = True


def _stub(original: Callable[..., Any], reason: str, unsafe_ok: bool) -> Callable[..., Any]:
    """Refuse on a guarded thread (``reason``), pass through on every other thread."""

    def guarded_call(*args: Any, **kwargs: Any) -> Any:
        policy = _active_policy()
        if policy is not None and not (unsafe_ok and policy.unsafe):
            _deny(reason)
        return original(*args, **kwargs)

    guarded_call.__name__ = getattr(original, "__name__", "guarded_call")
    guarded_call.__doc__ = getattr(original, "__doc__", None)
    return guarded_call


def _caller_stub(original: Callable[..., Any], reason: str) -> Callable[..., Any]:
    """Refuse when called straight from the program; pass through for library code."""

    def guarded_call(*args: Any, **kwargs: Any) -> Any:
        if _active_policy() is not None and sys._getframe(1).f_code.co_filename == SOURCE_NAME:
            _deny(reason)
        return original(*args, **kwargs)

    guarded_call.__name__ = getattr(original, "__name__", "guarded_call")
    return guarded_call


_SIGNALS = "changing signal handling could stop the time limit or end the kernel"
_THREADS = "starting threads is not allowed: a thread would outlive the time limit and the guard"
#: (module, attributes, reason, lifted by --unsafe) for actions no audit event covers.
_STUBS: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("os", ("_exit", "abort"), f"os._exit and os.abort {_KERNEL}", False),
    ("posix", ("_exit", "abort"), f"os._exit and os.abort {_KERNEL}", False),
    ("os", ("close", "closerange", "dup2"), "closing file descriptors could cut the kernel off", True),
    (
        "signal",
        (
            "signal",
            "setitimer",
            "alarm",
            "pthread_sigmask",
            "siginterrupt",
            "set_wakeup_fd",
            "raise_signal",
            "sigwait",
            "sigwaitinfo",
            "sigtimedwait",
            "pidfd_send_signal",
        ),
        _SIGNALS,
        False,
    ),
    ("_signal", ("signal", "setitimer", "alarm", "pthread_sigmask", "raise_signal"), _SIGNALS, False),
    (
        "faulthandler",
        (
            "_sigsegv",
            "_sigabrt",
            "_sigfpe",
            "_read_null",
            "_stack_overflow",
            "_fatal_error_c_thread",
            "dump_traceback_later",
            "register",
            "enable",
            "disable",
        ),
        f"faulthandler calls {_KERNEL}",
        False,
    ),
    ("sys", ("setrecursionlimit",), f"changing the recursion limit {_KERNEL}", False),
    ("_thread", ("start_new_thread", "start_joinable_thread"), _THREADS, False),
    ("threading", ("_start_new_thread", "_start_joinable_thread"), _THREADS, False),
)
_SHELL = "the code may not reach the IPython shell"
#: Refused only when the program itself calls them; libraries ask for the shell legitimately.
_CALLER_STUBS = (
    ("builtins", "get_ipython"),
    ("IPython", "get_ipython"),
    ("IPython.core.getipython", "get_ipython"),
)


def _apply_stubs() -> None:
    for module_name, names, reason, unsafe_ok in _STUBS:
        module = importlib.import_module(module_name)
        for name in names:
            original = getattr(module, name, None)
            if callable(original):
                _PATCHED.append((module, name, original))
                setattr(module, name, _stub(original, reason, unsafe_ok))
    for module_name, name in _CALLER_STUBS:
        module = sys.modules.get(module_name)
        original = getattr(module, name, None)
        if callable(original):
            _PATCHED.append((module, name, original))
            setattr(module, name, _caller_stub(original, _SHELL))
    main = sys.modules.get("__main__")
    _PATCHED.append((sys.modules, "__main__", main))
    sys.modules["__main__"] = types.ModuleType("__main__", "stand-in while viscode code runs")


def _remove_stubs() -> None:
    while _PATCHED:
        owner, name, original = _PATCHED.pop()
        if owner is sys.modules:
            sys.modules[name] = original
        else:
            setattr(owner, name, original)


def blocked_stub(name: str) -> Callable[..., Any]:
    """A stand-in for ``get_ipython``/``exit``/``quit`` in the program's namespace."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise BlockedAction(f"blocked by viscoder's guard: the code may not call {name}()")

    refuse.__name__ = name
    return refuse


@contextlib.contextmanager
def _stubs_applied() -> Iterator[None]:
    global _DEPTH
    with _LOCK:
        if _DEPTH == 0:
            _apply_stubs()
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                _remove_stubs()


@contextlib.contextmanager
def _kernel_state_restored() -> Iterator[None]:
    """Put back builtins and the standard streams and hooks if the code replaced them."""
    saved_builtins = dict(vars(builtins))
    saved_sys = {n: getattr(sys, n) for n in ("stdin", "stderr", "displayhook", "excepthook")}
    try:
        yield
    finally:
        current = vars(builtins)
        for name in [n for n in current if n not in saved_builtins]:
            del current[name]
        for name, value in saved_builtins.items():
            if current.get(name, value) is not value or name not in current:
                current[name] = value
        for name, value in saved_sys.items():
            setattr(sys, name, value)


@contextlib.contextmanager
def guarded(policy: Policy | None) -> Iterator[None]:
    """Enforce ``policy`` on this thread for the duration of the block (None: no guard).

    An action refused inside the block fails the block even when the code caught the
    ``BlockedAction`` and carried on, so a swallowed refusal still counts as a failure.
    """
    if policy is None:
        yield
        return
    install()
    ancestors = set()
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == contextlib.__file__:
        frame = frame.f_back  # contextlib's frames end before the block runs; their ids get reused
    while frame is not None:
        ancestors.add(id(frame))
        frame = frame.f_back
    saved = {n: getattr(_STATE, n, None) for n in ("policy", "violations", "ancestors")}
    with _kernel_state_restored(), memory_limit(policy.memory_mb), _stubs_applied():
        _STATE.violations, _STATE.ancestors, _STATE.policy = [], ancestors, policy
        try:
            yield
        except (BlockedAction, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if _STATE.violations:
                raise _swallowed(_STATE.violations) from exc
            raise
        finally:
            violations = _STATE.violations
            for name, value in saved.items():
                setattr(_STATE, name, value)
            _stop_raising()
        if violations:
            raise _swallowed(violations)


def _swallowed(violations: list[str]) -> BlockedAction:
    return BlockedAction(
        f"blocked by viscoder's guard: {violations[0]} (the code caught the refusal and went on; "
        "remove that action instead)"
    )
