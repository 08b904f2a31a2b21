"""The data stage's ``loop`` source: tables, then requests, then the model's kept answers.

Kept apart from ``loop.py`` (running and filtering one request) because this is the
part that touches the outside: which tables are allowed, which requests survive the
decontamination check against PandasPlotBench's texts, and which model answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

from .dedup import decontaminate
from .loop import LoopSettings, loop_records, loop_statistics, run_loop
from .requests import LoopRequest, write_requests
from .tables import load_tables


def check_loop_args(args: Any) -> None:
    """Raise VisCodeError for loop settings that could only fail after hours of other work."""
    unknown = [lib for lib in args.libs if lib not in ("matplotlib", "seaborn", "plotly")]
    if unknown or args.keep < 1 or args.seeds < 1:
        raise VisCodeError(
            f"loop.libs must name matplotlib, seaborn or plotly (got {unknown}) and loop.keep and loop.seeds "
            "must be at least 1. Fix them in the YAML config or on --set."
        )


def clean_requests(
    requests: list[LoopRequest], benchmark: str | Path, ngram: int, max_overlap: float
) -> tuple[list[LoopRequest], int]:
    """(requests whose text shares no benchmark task's n-grams, how many were dropped), before any run."""
    as_records = [{"id": r.id, "messages": [{"role": "user", "content": r.text}]} for r in requests]
    kept, _ = decontaminate(as_records, benchmark, ngram, max_overlap)
    ids = {record["id"] for record in kept}
    return [r for r in requests if r.id in ids], len(requests) - len(ids)


def load_backend(model: str, endpoint: str | None) -> Any:
    """The backend the magic would load for this model or endpoint."""
    from viscoder_magic.backends import BackendSpec, get_backend
    from viscoder_magic.backends.registry import choose_kind

    return get_backend(BackendSpec(kind=choose_kind(model, endpoint), model=model, endpoint=endpoint))


def loop_source(
    config: Any, folder: Path, backend: Any = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(records, statistics) of the loop source for a RunConfig, resuming from ``folder/loop.jsonl``."""
    args, data = config.loop, config.data
    check_loop_args(args)
    tables, refused = load_tables(args.tables, data.benchmark)
    requests = write_requests(tables, args.libs, args.requests, args.seed)
    requests, contaminated = clean_requests(requests, data.benchmark, data.ngram, data.max_overlap)
    settings = LoopSettings(
        candidates=args.candidates,
        temperature=args.temperature,
        rounds=args.rounds,
        seeds=args.seeds,
        keep=args.keep,
        timeout=args.timeout,
        budget=args.budget,
        max_tokens=args.max_tokens,
    )
    frames = {t.name: t.frame for t in tables}
    backend = backend or load_backend(args.model, args.endpoint)
    lines = run_loop(requests, frames, backend, settings, folder, args.seed)
    stats = loop_statistics(lines)
    stats.update(tables=len(tables), refused_tables=refused, requests_contaminated=contaminated)
    stats["tables_by_source"] = {s: sum(t.source == s for t in tables) for s in args.tables}
    return loop_records(lines), stats
