"""viscoder-bench end to end: two real PandasPlotBench tasks with the real default model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viscoder_magic.bench import cli

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "pandasplotbench"


@pytest.mark.e2e
@pytest.mark.skipif(
    not (DATA / "tasks.jsonl").exists(), reason="PandasPlotBench folder ../shared/pandasplotbench is absent"
)
def test_two_real_tasks_through_the_cli(tmp_path: Path):
    out = tmp_path / "run"
    args = [
        "--data",
        str(DATA),
        "--lib",
        "matplotlib",
        "--ids",
        "1-2",
        "--rounds",
        "1",
        "--max-tokens",
        "512",
        "--cache",
        str(tmp_path / "generations.sqlite"),
    ]
    code = cli.main([*args, "--out", str(out)])
    assert code == 0
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == [1, 2]
    for record in records:
        assert record["model"].startswith("llama.cpp")
        asked = [a for a in record["attempts"] if a["kind"] != "patch"]  # patches run in their round, unasked
        assert (
            len(record["pass_at"]) == 2
            and 1 <= len(asked) <= 2
            and all(a["index"] <= 1 for a in record["attempts"])
        )
        first = record["attempts"][0]
        assert first["tokens"] > 0 and first["code"].strip()
        assert first["ok"] or first["error_type"]
    report = (out / "report.md").read_text()
    assert "Exec pass (ran and drew) and task pass" in report and "| task pass |" in report
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 2 and summary["run"]["machine"]["nproc"]

    # the same run again from the generation cache: every reply replayed, the same programs, no decoding
    again = tmp_path / "again"
    assert cli.main([*args, "--out", str(again)]) == 0
    replayed = [json.loads(line) for line in (again / "results.jsonl").read_text().splitlines()]
    assert [a["code"] for r in replayed for a in r["attempts"]] == [
        a["code"] for r in records for a in r["attempts"]
    ]
    asked = sum(1 for r in records for a in r["attempts"] if a["kind"] != "patch")
    assert json.loads((again / "summary.json").read_text())["replayed"] == asked
    assert [r["seconds"] >= sum(a["generation_seconds"] for a in r["attempts"]) for r in replayed] == [
        True,
        True,
    ]
