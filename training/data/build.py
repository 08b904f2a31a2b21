"""``viscoder-train data``: build a VisCode-style training set into RUN_DIR/data.

Generate frames and programs, validate every program headless, write instructions
in the magic's prompt format, build repair dialogues from injected faults and
their real tracebacks, optionally add teacher answers, the loop's kept answers
(requests on offline tables run through the magic's whole loop, ``loop`` section)
and imported corpora, then
dedup, decontaminate against PandasPlotBench and write a ``datasets`` folder with
a data card.

Run::

    viscoder-train data --config training/configs/tiny.yaml --out runs/tiny
    viscoder-train data --config training/configs/loop-0.5b.yaml --out runs/loop
    viscoder-train data --config training/configs/qwen0.5b-lora.yaml --out runs/q05 \\
        --n-programs 20000 --ray-address ray://head:10001

From a notebook::

    from training.config import load_config
    from training.data import build_data
    folder = build_data(load_config("training/configs/tiny.yaml"), "runs/tiny")
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import RunConfig, from_args, save_config, stage_parser


def make_parser():  # noqa: ANN201 - argparse.ArgumentParser, imported lazily by config
    return stage_parser("viscoder-train data", __doc__.split("\n\n")[0], "data")


def _candidates(config: RunConfig) -> list[tuple[str, Any, Any]]:
    """(key, FrameSpec, Program) for every generated candidate."""
    from .frames import BUILDERS, FrameSpec, build_frame, roles
    from .programs import generate_program

    args = config.data
    rng = random.Random(args.seed)
    found = []
    for index in range(args.n_programs):
        spec = FrameSpec(rng.choice(sorted(BUILDERS)), args.seed * 1_000_003 + index)
        program = generate_program(roles(spec, build_frame(spec)), args.libs[index % len(args.libs)], rng)
        if program is not None:
            found.append((f"g{index:06d}", spec, program))
    return found


def _programs(config: RunConfig, images: Path, stats: dict[str, Any]) -> list[tuple[dict, Any, Any]]:
    """Validated single-turn records, each with its spec and program (for repairs)."""
    from .frames import build_frame
    from .records import program_record
    from .validate import make_job, save_png, validate

    args = config.data
    candidates = _candidates(config)
    jobs = [make_job(k, s, p.lib, p.code, args.timeout) for k, s, p in candidates]
    results = validate(jobs, workers=args.workers, ray_address=args.ray_address, desc="programs")
    kept = []
    for (key, spec, program), result in zip(candidates, results, strict=True):
        if result["ok"]:
            record = program_record(key, program, build_frame(spec), save_png(images, key, result["png"]))
            kept.append((record, spec, program))
    stats["pass"]["programs"] = (len(jobs), len(kept))
    return kept


def _repairs(
    config: RunConfig, programs: list[tuple[dict, Any, Any]], images: Path, stats: dict[str, Any]
) -> list[dict[str, Any]]:
    """Dialogues broken code -> real traceback -> working code, from injected faults."""
    from .faults import inject
    from .frames import build_frame
    from .records import repair_record
    from .validate import make_job, validate

    args = config.data
    rng = random.Random(args.seed + 1)
    pool = [p for p in programs for _ in range(3)]  # a program may carry up to 3 different faults
    rng.shuffle(pool)
    planned = []
    for index, (record, spec, program) in enumerate(pool[: int(args.n_repairs * 1.5) + 1]):
        columns = [str(c) for c in build_frame(spec).columns]
        injected = inject(program.code, columns, rng)
        if injected is not None:
            planned.append((f"r{index:06d}", record, spec, program, *injected))
    jobs = [make_job(k, s, p.lib, broken, args.timeout) for k, _, s, p, _, broken in planned]
    results = validate(jobs, workers=args.workers, ray_address=args.ray_address, desc="repairs")
    dialogues = []
    for (key, record, spec, program, fault, broken), result in zip(planned, results, strict=True):
        if result["ok"] or result["error_type"] == "ValidatorError" or len(dialogues) >= args.n_repairs:
            stats["faults_that_ran"] += int(result["ok"])
            continue
        dialogues.append(
            repair_record(
                key,
                program,
                build_frame(spec),
                broken,
                fault,
                result["error"],
                result["hint"],
                record["image"],
            )
        )
    stats["pass"]["repairs (broken program fails)"] = (len(jobs), len(jobs) - stats["faults_that_ran"])
    return dialogues


def _mix(records: list[dict[str, Any]], mix: dict[str, float], seed: int) -> list[dict[str, Any]]:
    """Keep each source's fraction ``mix[source]`` (sampled, reproducible)."""
    rng = random.Random(seed + 2)
    return [r for r in records if rng.random() < mix.get(r["source"], 1.0)]


def _loop(config: RunConfig, folder: Path, filters: dict[str, Any], backend: Any) -> list[dict[str, Any]]:
    """The loop source's records (resumed from ``folder/loop.jsonl``); none when ``loop.requests`` is 0."""
    if config.loop.requests <= 0:
        return []
    from .loop_source import loop_source

    records, filters["loop"] = loop_source(config, folder, backend)
    stats = filters["loop"]
    filters["pass"]["loop requests (a program kept)"] = (stats["requests"], stats["requests_with_a_program"])
    return records


def build_data(config: RunConfig, out: str | Path, loop_backend: Any = None) -> Path:
    """Build RUN_DIR/data (train.jsonl, images/, DATA_CARD.md, README.md, stats.json).

    ``loop_backend`` answers the loop source's requests instead of ``loop.model`` (tests pass a
    scripted one).
    """
    from .card import statistics, write_card
    from .dedup import decontaminate, dedup
    from .importers import import_records
    from .teacher import teacher_records

    if config.loop.requests > 0:  # bad loop settings fail now, not after the programs are validated
        from .loop_source import check_loop_args

        check_loop_args(config.loop)
    folder = Path(out) / "data"
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    filters: dict[str, Any] = {"pass": {}, "faults_that_ran": 0}
    programs = _programs(config, images, filters)
    records = [r for r, _, _ in programs] + _repairs(config, programs, images, filters)
    records += teacher_records(config, programs, images, filters)
    records += _loop(config, folder, filters, loop_backend)
    for name in ("viscode200k", "code_feedback"):
        source = getattr(config.data, name)
        if source:
            imported, skipped = import_records(source, name, config.data.import_limit)
            filters["pass"][f"import {name} (well-formed)"] = (len(imported) + skipped, len(imported))
            records += imported
    records = _mix(records, config.data.mix, config.data.seed)
    records, filters["duplicates"] = dedup(records)
    records, report = decontaminate(
        records, config.data.benchmark, config.data.ngram, config.data.max_overlap
    )
    filters["decontamination"] = report
    (folder / "decontamination.json").write_text(json.dumps(report, indent=1) + "\n")
    with open(folder / "train.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    write_card(folder, statistics(records, filters), dataclasses.asdict(config.data))
    save_config(config, folder)
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point of the data stage."""
    parsed = make_parser().parse_args(argv)
    folder = build_data(from_args(parsed), parsed.out)
    print(f"data: {folder / 'train.jsonl'} ({folder / 'DATA_CARD.md'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
