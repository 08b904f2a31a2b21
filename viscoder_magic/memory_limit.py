"""Memory cap for generated code: a runaway allocation fails with ``MemoryError``.

The cap is the soft address-space limit (Linux), set to what the process maps now
plus a headroom, so the kernel's own arrays stay usable and the OOM killer, which
would take the whole kernel and the user's data with it, is never woken.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path


def _memory_cap(memory_mb: int | None) -> int | None:
    """Address-space cap in bytes: what the kernel maps now plus the allowed headroom."""
    if memory_mb == 0 or not sys.platform.startswith("linux"):
        return None
    try:
        status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
        meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        mapped = int(status["VmSize"].split()[0]) * 1024
        available = int(meminfo["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return None
    headroom = memory_mb * 2**20 if memory_mb else max(2**30, available * 3 // 4)
    return mapped + headroom


@contextlib.contextmanager
def memory_limit(memory_mb: int | None) -> Iterator[None]:
    """Lower the soft RLIMIT_AS for the block (whole process: see docs/SAFETY.md).

    ``memory_mb``: headroom above what is mapped now; None: three quarters of the
    available memory (at least 1 GiB); 0: no cap.
    """
    cap = _memory_cap(memory_mb)
    if cap is None:
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
