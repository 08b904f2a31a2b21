"""Execution filter: run every candidate headless in worker processes, keep what draws.

Each program runs through the magic's own ``run_code`` (fresh namespace, copies of
the data, the safety guard, a SIGALRM time limit, figure capture), so "passes" means
exactly what it means in ``%%viscode``, and a failure yields the same trimmed
traceback and grounded hint the magic would send in its repair turn. Work runs in
a local ``ProcessPoolExecutor`` (``MPLBACKEND=Agg``, one interpreter per worker) or,
given ``ray_address``, as Ray tasks on a cluster: VisCode validated about a million
candidates, which is cluster work.
"""

from __future__ import annotations

import atexit
import base64
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

Job = dict[str, Any]  # key, schema, seed, lib, code, timeout
_POOLS: dict[int, ProcessPoolExecutor] = {}


def make_job(key: str, spec: Any, lib: str, code: str, timeout: float) -> Job:
    """One program to validate on the frame ``spec`` (a ``FrameSpec``) rebuilds in the worker.

    Here, beside ``validate``, so every source of programs (generator, faults, teacher) makes
    its jobs the same way without importing the stage that collects them.
    """
    return {
        "key": key,
        "schema": spec.schema,
        "seed": spec.seed,
        "lib": lib,
        "code": code,
        "timeout": timeout,
    }


def save_png(images: Path, key: str, png: str | None) -> str | None:
    """Write a validated program's figure (``validate_one``'s base64 ``png``) to ``images``; its record
    path."""
    if not png:
        return None
    (images / f"{key}.png").write_bytes(base64.b64decode(png))
    return f"images/{key}.png"


def validate_one(job: Job) -> dict[str, Any]:
    """Run one program on its rebuilt frame; never raises for errors in the program."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from viscoder_magic.execute import run_code
    from viscoder_magic.repair import grounded_hint

    from .frames import FrameSpec, build_frame

    frames = {"df": build_frame(FrameSpec(job["schema"], job["seed"]))}
    outcome = run_code(job["code"], {}, frames, lib=job["lib"], timeout=job.get("timeout", 20.0))
    png = next(
        (f.bundle["image/png"] for f in outcome.figures if "image/png" in f.bundle and f.has_content), None
    )
    hint = (
        ""
        if outcome.ok
        else grounded_hint(outcome.error_type, outcome.error_message, outcome.namespace, frames)
    )
    return {
        "key": job["key"],
        "ok": outcome.ok,
        "error_type": outcome.error_type,
        "error": "" if outcome.ok else outcome.error_text,
        "hint": hint,
        "png": png,
        "seconds": round(outcome.seconds, 3),
    }


def _init_worker() -> None:
    os.environ["MPLBACKEND"] = "Agg"  # before pyplot is imported in this process
    import matplotlib.pyplot  # noqa: F401 - warm the import once per worker
    import pandas  # noqa: F401


def _failed(job: Job, reason: str) -> dict[str, Any]:
    return {
        "key": job["key"],
        "ok": False,
        "error_type": "ValidatorError",
        "error": reason,
        "hint": "",
        "png": None,
        "seconds": 0.0,
    }


def _pool(workers: int) -> ProcessPoolExecutor:
    """A warm pool per size, kept for the process: programs, repairs and teacher share it."""
    import multiprocessing

    pool = _POOLS.get(workers)
    if pool is None:
        context = multiprocessing.get_context("spawn")  # no forked locks or half-imported state
        pool = _POOLS[workers] = ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=context, initializer=_init_worker
        )
        atexit.register(pool.shutdown, cancel_futures=True)
    return pool


def validate_local(
    jobs: Sequence[Job], workers: int, on_done: Callable[[], None] | None = None
) -> list[dict[str, Any]]:
    """Validate in a local process pool; a worker that hangs past twice the limit is written off."""
    results: list[dict[str, Any]] = []
    futures = [(job, _pool(workers).submit(validate_one, job)) for job in jobs]
    for job, future in futures:
        try:
            results.append(future.result(timeout=2 * job.get("timeout", 20.0) + 60))
        except TimeoutError:
            results.append(_failed(job, "the validator did not answer in time"))
        except Exception as exc:  # noqa: BLE001 - a crashed worker fails its program, not the run
            if isinstance(exc, BrokenProcessPool):
                _POOLS.pop(workers, None)  # the next batch starts a fresh pool
            results.append(_failed(job, f"{type(exc).__name__}: {exc}"))
        if on_done is not None:
            on_done()
    return results


def validate_ray(jobs: Sequence[Job], address: str) -> list[dict[str, Any]]:
    """Validate as Ray tasks on the cluster at ``address`` (one CPU each)."""
    try:
        import ray
    except ImportError:
        raise VisCodeError(
            "Validating on a cluster needs Ray: install it with `pip install 'ray[default]'` on this "
            "machine and the cluster, or drop --ray-address to validate in a local process pool."
        ) from None
    ray.init(address=address, ignore_reinit_error=True, runtime_env={"env_vars": {"MPLBACKEND": "Agg"}})
    task = ray.remote(num_cpus=1)(validate_one)
    return list(ray.get([task.remote(job) for job in jobs]))


def validate(
    jobs: Sequence[Job], *, workers: int = 2, ray_address: str | None = None, desc: str = "validating"
) -> list[dict[str, Any]]:
    """Validate ``jobs`` locally or on Ray, with a progress bar; results follow job order."""
    if not jobs:
        return []
    if ray_address:
        return validate_ray(jobs, ray_address)
    from tqdm.auto import tqdm

    with tqdm(total=len(jobs), desc=desc, unit="prog") as bar:
        return validate_local(jobs, workers, on_done=lambda: bar.update(1))
