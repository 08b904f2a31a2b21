"""Safety guard: what code run by ``%%viscode`` may not do (see docs/SAFETY.md).

PEP 578 audit hooks see every ``open`` mode, process start, socket and native-code
load whatever its spelling, so they are the enforcement. A hook can never be
removed once added, so we add one per process and switch it on only while our
code runs (a flag checked first, so the kernel pays nothing otherwise).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass


class BlockedAction(PermissionError):
    """The guard stopped an action; the message says which and why."""


@dataclass(frozen=True)
class Policy:
    """Which rules are on. ``unsafe`` lifts the file, process and network rules."""

    unsafe: bool = False


_STATE = threading.local()
_INSTALLED = False
_INSTALL_LOCK = threading.Lock()

_WRITE_MODES = set("wax+")
_PROCESS_EVENTS = {
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
    "os.forkpty", "pty.spawn", "os.startfile",
}
_FILE_EVENTS = {
    "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link",
    "os.symlink", "os.truncate", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
    "shutil.copytree", "os.removexattr", "os.setxattr",
}
_NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"}
_NATIVE_EVENTS = {"ctypes.dlopen", "ctypes.cdata", "ctypes.call_function", "ctypes.addressof"}
_KERNEL_EVENTS = {"os.kill", "os.killpg", "signal.pthread_kill"}


def _active_policy() -> Policy | None:
    return getattr(_STATE, "policy", None)


def _check(event: str, args: tuple) -> None:
    policy = _active_policy()
    if policy is None:
        return
    reason = _reason(event, args, policy)
    if reason:
        raise BlockedAction(f"blocked by viscoder's guard: {reason}")


def _reason(event: str, args: tuple, policy: Policy) -> str | None:
    if event in _KERNEL_EVENTS:
        return "signalling or killing processes could end the kernel"
    if event in _NATIVE_EVENTS:
        return "loading or calling native code (ctypes) is not allowed"
    if policy.unsafe:
        return None
    if event == "open":
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        import os

        writes = bool(_WRITE_MODES & set(mode)) or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writes:
            return f"writing files is not allowed ({args[0]!r}); return the figure instead of saving it"
        return None
    if event in _FILE_EVENTS:
        return f"changing files is not allowed ({event})"
    if event in _PROCESS_EVENTS or event.startswith("os.exec") or event.startswith("os.spawn"):
        return f"starting processes is not allowed ({event})"
    if event in _NETWORK_EVENTS:
        return f"network access is not allowed ({event})"
    return None


def install() -> None:
    """Add the process-wide audit hook once; it does nothing until ``guarded`` is entered."""
    global _INSTALLED
    with _INSTALL_LOCK:
        if not _INSTALLED:
            sys.addaudithook(_check)
            _INSTALLED = True


@contextlib.contextmanager
def guarded(policy: Policy | None) -> Iterator[None]:
    """Enforce ``policy`` on this thread for the duration of the block (None: no guard)."""
    if policy is None:
        yield
        return
    install()
    previous = _active_policy()
    _STATE.policy = policy
    try:
        yield
    finally:
        _STATE.policy = previous
