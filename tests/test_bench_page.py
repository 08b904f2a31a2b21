"""The benchmarks page: generated from committed summaries, held-out and in-sample kept apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from viscoder_magic.bench import cli
from viscoder_magic.bench.page import id_ranges, load_index, render_page, write_page
from viscoder_magic.errors import VisCodeError

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "BENCHMARKS.md"


def test_the_committed_page_is_what_the_committed_summaries_give():
    rendered = render_page(load_index(ROOT / "benchmarks" / "index.json"), PAGE)
    assert rendered == PAGE.read_text(), "regenerate: viscoder-bench report --page docs/BENCHMARKS.md"
    assert len(rendered.splitlines()) < 260


def test_the_committed_page_links_its_log_and_every_report_it_cites():
    text = PAGE.read_text()
    assert "(benchmarks-log.md)" in text and (ROOT / "docs" / "benchmarks-log.md").is_file()
    for target in text.split("](")[1:]:
        link = target.split(")")[0]
        if link.endswith("report.md"):
            assert (PAGE.parent / link).resolve().is_file(), link


def summary(
    ids: list[int],
    passed: list[int],
    median: float = 10.0,
    within: int | None = None,
    revision: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ids": ids,
        "n": len(ids),
        "passed": passed,
        "latency_median_s": median,
        "latency_p90_s": 2 * median,
    }
    if within is not None:
        data.update(budget_s=120.0, passed_within_budget=within)
    if revision:
        data["revisions"] = {revision: len(ids)}
    return data


def row(split: str, runs: list[str], commit: str = "abc1234", lib: str = "matplotlib") -> dict[str, Any]:
    return {
        "split": split,
        "lib": lib,
        "prompt": "viscode",
        "label": f"{split} loop",
        "model": "0.5B",
        "commit": commit,
        "machine": "2 cores",
        "runs": runs,
    }


def make_index(tmp_path: Path, runs: dict[str, dict[str, Any]], headline: list[dict[str, Any]]) -> Path:
    for name, data in runs.items():
        folder = tmp_path / "bench" / "results" / name
        folder.mkdir(parents=True)
        (folder / "summary.json").write_text(json.dumps(data))
    index = tmp_path / "bench" / "index.json"
    index.write_text(json.dumps({"results": "results", "rounds": 1, "budget_s": 120, "headline": headline}))
    return index


def test_held_out_rows_come_first_and_a_row_sums_its_runs(tmp_path: Path):
    index = make_index(
        tmp_path,
        {
            "new": summary(list(range(10)), [8, 9], 5.0, within=9, revision="abc1234"),
            "old-a": summary([10, 11, 12], [1, 2], 30.0),
            "old-b": summary([13, 14], [1, 1], 40.0),
        },
        [row("in-sample", ["new"]), row("held-out", ["old-a", "old-b"], commit="0ld0001, 0ld0002")],
    )
    text = render_page(load_index(index), tmp_path / "docs" / "PAGE.md")
    table = [line for line in text.splitlines() if line.startswith(("| held-out", "| in-sample"))]
    assert [line.split(" | ")[0] for line in table] == ["| held-out", "| in-sample"]
    held_out, in_sample = table
    assert (
        "| 10-14 (5) | 2/5 (40.0%) | **3/5 (60.0%)** | not measured | 30.0 (60) / 40.0 (80) | n/a |"
        in held_out
    )
    assert "| 0-9 (10) | 8/10 (80.0%) | **9/10 (90.0%)** | not measured | 5.0 (10) | 9/10 |" in in_sample
    assert "[new](../bench/results/new/report.md)" in in_sample
    assert "## What each part of the loop adds" not in text  # no matrix in this index: no section


def test_a_commit_the_summary_contradicts_is_refused(tmp_path: Path):
    index = make_index(
        tmp_path, {"run": summary([0], [1, 1], revision="fff9999-dirty")}, [row("in-sample", ["run"])]
    )
    with pytest.raises(VisCodeError, match="ran at fff9999-dirty"):
        render_page(load_index(index), tmp_path / "PAGE.md")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (row("unseen", ["run"]), "split must be one of held-out, in-sample"),
        (row("held-out", ["missing"]), "names run 'missing'"),
        ({"split": "held-out", "lib": "plotly"}, "lacks prompt, label"),
    ],
)
def test_an_index_row_that_cannot_be_placed_is_named(tmp_path: Path, entry: dict[str, Any], message: str):
    index = make_index(tmp_path, {"run": summary([0], [1, 1])}, [entry])
    with pytest.raises(VisCodeError, match=message):
        render_page(load_index(index), tmp_path / "PAGE.md")


def test_runs_that_overlap_or_differ_in_rounds_are_not_summed(tmp_path: Path):
    index = make_index(
        tmp_path, {"a": summary([0, 1], [1, 1]), "b": summary([1, 2], [1, 2])}, [row("held-out", ["a", "b"])]
    )
    with pytest.raises(VisCodeError, match="distinct ids"):
        render_page(load_index(index), tmp_path / "PAGE.md")


def test_report_page_writes_then_check_passes_and_a_stale_page_fails(tmp_path: Path, capsys):
    index = make_index(tmp_path, {"run": summary([0, 2, 3], [2, 3])}, [row("in-sample", ["run"])])
    page = tmp_path / "docs" / "PAGE.md"
    assert cli.main(["report", "--page", str(page), "--index", str(index)]) == 0
    assert cli.main(["report", "--page", str(page), "--index", str(index), "--check"]) == 0
    page.write_text(page.read_text() + "edited by hand\n")
    assert cli.main(["report", "--page", str(page), "--index", str(index), "--check"]) == 1
    assert "differs from what" in capsys.readouterr().err
    assert page.read_text().endswith("edited by hand\n")  # --check writes nothing
    assert not write_page(page, index) and write_page(page, index)  # rewritten, then current


def test_report_needs_runs_or_a_page():
    with pytest.raises(SystemExit):
        cli.main(["report"])


def test_a_missing_index_names_the_option(tmp_path: Path):
    assert cli.main(["report", "--page", str(tmp_path / "p.md"), "--index", str(tmp_path / "none.json")]) == 2


def test_id_ranges_are_compact():
    assert id_ranges([0, 1, 2, 4, 6, 7]) == "0-2, 4, 6-7"
    assert id_ranges([]) == ""
