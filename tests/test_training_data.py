"""Data stage: generated programs run, faults break them for real, records use the magic's prompt."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from training.config import load_config
from training.data.dedup import code_key, decontaminate, dedup
from training.data.faults import FAULTS, inject
from training.data.frames import BUILDERS, FrameSpec, build_frame, roles
from training.data.importers import import_records
from training.data.programs import generate_program
from training.data.records import final_code, program_record, repair_record
from training.data.validate import validate_one
from viscoder_magic.describe import describe_frame
from viscoder_magic.prompt import first_messages, repair_messages

FIXTURES = Path(__file__).parent / "fixtures" / "training"
BENCH = Path(__file__).resolve().parents[2] / "shared" / "pandasplotbench"


def _program(schema: str, lib: str, seed: int = 3):
    spec = FrameSpec(schema, seed)
    return spec, generate_program(roles(spec, build_frame(spec)), lib, random.Random(seed))


def _job(spec: FrameSpec, lib: str, code: str) -> dict:
    return {"key": "k", "schema": spec.schema, "seed": spec.seed, "lib": lib, "code": code, "timeout": 20}


@pytest.mark.parametrize("schema", sorted(BUILDERS))
def test_frames_are_deterministic_and_roles_name_real_columns(schema: str) -> None:
    spec = FrameSpec(schema, 5)
    frame = build_frame(spec)
    assert frame.equals(build_frame(spec))
    for columns in roles(spec, frame).values():
        assert set(columns) <= set(frame.columns)


@pytest.mark.parametrize("lib", ["matplotlib", "seaborn", "plotly"])
def test_generated_programs_execute_and_draw(lib: str) -> None:
    for index, schema in enumerate(sorted(BUILDERS)):
        spec, program = _program(schema, lib, seed=index)
        result = validate_one(_job(spec, lib, program.code))
        assert result["ok"], (program.code, result["error"])
        assert (result["png"] is not None) == (lib != "plotly")  # PNG needs kaleido for plotly


def test_a_broken_program_fails_with_the_magics_trimmed_traceback() -> None:
    spec, program = _program("sales", "matplotlib")
    result = validate_one(
        _job(
            spec,
            "matplotlib",
            program.code.replace('"revenue"', '"revenu"')
            .replace('"units"', '"unitz"')
            .replace('"unit_price"', '"unit_prise"'),
        )
    )
    assert not result["ok"]
    assert (
        result["error"].startswith("Traceback (most recent call last):")
        and 'File "<viscode>"' in result["error"]
    )
    assert "KeyError" in result["error"] and result["error_type"] == "KeyError"
    assert "has no column" in result["hint"] and "revenue" in result["hint"], result[
        "hint"
    ]  # the magic's grounded hint


def test_each_fault_kind_breaks_some_program() -> None:
    broken_by: dict[str, int] = {}
    rng = random.Random(0)
    for seed in range(14):
        for lib in ("matplotlib", "seaborn", "plotly"):
            spec, program = _program(sorted(BUILDERS)[seed % len(BUILDERS)], lib, seed)
            columns = [str(c) for c in build_frame(spec).columns]
            for name, fault in FAULTS.items():
                if broken_by.get(name):
                    continue
                broken = fault(program.code, columns, rng)
                if broken and not validate_one(_job(spec, lib, broken))["ok"]:
                    broken_by[name] = 1
    assert set(broken_by) == set(FAULTS)


def test_records_are_exactly_the_magics_messages() -> None:
    spec, program = _program("measurements", "seaborn")
    frame = build_frame(spec)
    record = program_record("g1", program, frame, None)
    text = f"{program.plot_description}\n{program.style_description}"
    assert record["messages"][:2] == first_messages(text, "seaborn", [describe_frame("df", frame)])
    assert record["messages"][-1]["content"] == f"```python\n{program.code.strip()}\n```"
    assert final_code(record).strip() == program.code.strip()
    repair = repair_record(
        "r1", program, frame, "broken()", "wrong_keyword", "Traceback ...\nTypeError: x", "Hint!", None
    )
    expected = repair_messages(
        [*record["messages"][:2], {"role": "assistant", "content": "```python\nbroken()\n```"}],
        "broken()",
        "Traceback ...\nTypeError: x",
        "Hint!",
    )
    assert repair["messages"][:-1] == expected and repair["messages"][-1] == record["messages"][-1]


def test_inject_changes_the_code() -> None:
    spec, program = _program("survey", "matplotlib")
    name, broken = inject(program.code, list(build_frame(spec).columns), random.Random(1))
    assert name in FAULTS and broken != program.code


def test_importers_normalise_shapes_and_skip_unknown_rows() -> None:
    records, skipped = import_records(str(FIXTURES / "viscode200k_sample.jsonl"), "viscode200k")
    assert (len(records), skipped) == (3, 1)
    assert records[0]["messages"][-1]["role"] == "assistant" and records[0]["lib"] == "matplotlib"
    feedback, _ = import_records(str(FIXTURES), "code_feedback", limit=0)  # a folder of JSONL files
    multi = [r for r in feedback if r["id"] == "code_feedback-7"][0]
    assert [m["role"] for m in multi["messages"]] == ["user", "assistant", "user", "assistant"]


def test_dedup_ignores_layout_and_comments() -> None:
    records, _ = import_records(str(FIXTURES / "viscode200k_sample.jsonl"), "viscode200k")
    kept, dropped = dedup(records)
    assert (len(kept), dropped) == (2, 1)
    assert code_key("a=1  # x\n\nb = 2") == code_key("a = 1\nb=2")


@pytest.mark.skipif(not (BENCH / "tasks.jsonl").is_file(), reason="PandasPlotBench not present")
def test_decontamination_drops_benchmark_text_and_keeps_ours() -> None:
    task = json.loads((BENCH / "tasks.jsonl").read_text().splitlines()[3])
    leaked = {
        "id": "x",
        "source": "generated",
        "lib": "",
        "kind": "",
        "fault": "",
        "image": None,
        "messages": [
            {"role": "user", "content": "Please: " + task["task__plot_description"]},
            {"role": "assistant", "content": "```python\nplt.plot()\n```"},
        ],
    }
    spec, program = _program("sales", "plotly")
    ours = program_record("g", program, build_frame(spec), None)
    kept, report = decontaminate([leaked, ours], BENCH)
    assert [r["id"] for r in kept] == ["g"]
    assert report["dropped"][0]["task"] == str(task["id"]) and report["tasks"] >= 100


def test_build_data_writes_a_datasets_folder_with_card(tmp_path: Path) -> None:
    from datasets import load_dataset

    from training.data import build_data

    config = load_config(
        None,
        [
            "data.n_programs=6",
            "data.n_repairs=3",
            "data.workers=1",
            f"data.viscode200k={FIXTURES / 'viscode200k_sample.jsonl'}",
            f"data.benchmark={BENCH}",
        ],
    )
    folder = build_data(config, tmp_path)
    rows = load_dataset(str(folder), split="train")
    stats = json.loads((folder / "stats.json").read_text())
    assert len(rows) == stats["records"] and stats["by_source"]["generated"] == 6
    assert stats["by_source"]["viscode200k"] == 2 and stats["by_source"].get("repair", 0) >= 1
    card = (folder / "DATA_CARD.md").read_text()
    assert "| programs | 6 | 6 | 100% |" in card and "By fault type" in card
    assert all((folder / r["image"]).is_file() for r in rows if r["image"])
    assert (folder / "config.yaml").is_file()
