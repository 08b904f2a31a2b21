"""A run's JSON-lines file survives a stop mid-write: the cut line is skipped and the next record is whole."""

from __future__ import annotations

import json
from pathlib import Path

from viscoder_magic.jsonl_lines import append_line, whole_lines


def _has_id(record: dict) -> bool:
    return isinstance(record.get("id"), int)


def test_a_missing_file_has_no_lines(tmp_path: Path) -> None:
    assert whole_lines(tmp_path / "results.jsonl", _has_id) == []


def test_records_are_read_back_in_order_and_unicode_stays_as_written(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    append_line(path, {"id": 1, "text": "Température (°C)"})
    append_line(path, {"id": 2})
    assert whole_lines(path, _has_id) == [{"id": 1, "text": "Température (°C)"}, {"id": 2}]
    assert "Température" in path.read_text(encoding="utf-8")


def test_a_cut_last_line_is_skipped_and_does_not_swallow_the_next_record(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    append_line(path, {"id": 1})
    with open(path, "a", encoding="utf-8") as handle:  # a run killed while writing id 2
        handle.write(json.dumps({"id": 2, "passed": True})[:9])
    assert whole_lines(path, _has_id) == [{"id": 1}]
    append_line(path, {"id": 2, "passed": True})
    assert whole_lines(path, _has_id) == [{"id": 1}, {"id": 2, "passed": True}]


def test_lines_the_reader_does_not_keep_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text('[1, 2]\n{"name": "x"}\n{"id": 3}\n', encoding="utf-8")
    assert whole_lines(path, _has_id) == [{"id": 3}]
