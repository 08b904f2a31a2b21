"""Optional teacher: re-answer instructions with a larger model, keep answers that pass.

The teacher is any backend the magic can load (a GGUF, a transformers model, or a
model behind an OpenAI-compatible server such as vLLM via ``teacher_endpoint``),
so sampling at scale is a matter of pointing at a server. Answers go through the
same execution filter as generated programs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import RunConfig


def teacher_records(
    config: RunConfig, programs: list[tuple[dict, Any, Any]], images: Path, stats: dict[str, Any]
) -> list[dict[str, Any]]:
    """Teacher answers to the first ``teacher_samples`` instructions that execute and draw."""
    args = config.data
    if not args.teacher_model or args.teacher_samples <= 0 or not programs:
        return []
    from viscoder_magic.backends import BackendSpec, get_backend
    from viscoder_magic.backends.base import GenerationParams
    from viscoder_magic.backends.registry import choose_kind
    from viscoder_magic.extract import extract_code

    from .records import answer
    from .validate import make_job, save_png, validate

    backend = get_backend(
        BackendSpec(
            kind=choose_kind(args.teacher_model, args.teacher_endpoint),
            model=args.teacher_model,
            endpoint=args.teacher_endpoint,
        )
    )
    params = GenerationParams(max_tokens=1024, temperature=0.7, seed=args.seed)
    chosen = programs[: args.teacher_samples]
    replies = [extract_code(backend.generate(r["messages"][:-1], params).text) for r, _, _ in chosen]
    jobs = [
        make_job(f"t{i:06d}", spec, p.lib, code, args.timeout)
        for i, ((_, spec, p), code) in enumerate(zip(chosen, replies, strict=True))
    ]
    results = validate(jobs, workers=args.workers, ray_address=args.ray_address, desc="teacher")
    kept = []
    for job, (record, _, _), result in zip(jobs, chosen, results, strict=True):
        if result["ok"]:
            kept.append(
                {
                    **record,
                    "id": job["key"],
                    "source": "teacher",
                    "messages": [*record["messages"][:-1], answer(job["code"])],
                    "image": save_png(images, job["key"], result["png"]),
                }
            )
    stats["pass"]["teacher"] = (len(jobs), len(kept))
    return kept
