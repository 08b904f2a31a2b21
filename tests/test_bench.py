"""viscoder-bench on a three-task fixture with the scripted fake model (no weights)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from viscoder_magic.backends import Generation
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.bench import cli
from viscoder_magic.bench.ppb_prompt import ppb_messages, user_prompt
from viscoder_magic.bench.report import load_records, passed_within, resubmissions, summarize
from viscoder_magic.bench.runner import RunSettings, run_tasks
from viscoder_magic.bench.tasks import load_tasks, parse_ids

INSTRUCTS = {
    "system_prompt": "SYS",
    "setup_instruct": "Setup. Use [PLOTLIB].",
    "plot_instruct": "Write code.\nLoad df.",
    "data_instruct": "Data description. The metadata:\n",
}
GOOD = "```python\nimport matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'])\n```"
BAD = "```python\nimport matplotlib.pyplot as plt\nplt.plot(df.iloc[:, {n}])\n```"  # IndexError at run time


def fence(body: str) -> str:
    return f"```python\n{body}\n```"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A PandasPlotBench-shaped folder: tasks 0-2 with tables, task 3 without (like item 30)."""
    folder = tmp_path / "ppb"
    (folder / "data").mkdir(parents=True)
    rows = []
    for task_id in range(4):
        csv = f"data/data-{task_id}.csv" if task_id < 3 else None
        if csv:
            pd.DataFrame({"x": [1, 2, 3], "y": [task_id, 5, 6]}).to_csv(folder / csv, index=False)
        rows.append(
            {
                "id": task_id,
                "task__plot_description": f" Plot Description: line {task_id}.",
                "task__plot_style": " Plot Style Description: blue.\n",
                "data_csv_file": csv,
            }
        )
    (folder / "tasks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "instructs.json").write_text(json.dumps(INSTRUCTS))
    return folder


def run_cli(data_dir: Path, out: Path, backend, *extra: str) -> dict:
    args = cli.BenchArguments(
        **vars(
            cli.make_parser().parse_args(
                ["--data", str(data_dir), "--ids", "0-3", "--rounds", "2", "--out", str(out), *extra]
            )
        )
    )
    return cli.run(args, backend=backend, command="test")


def test_parse_ids():
    assert parse_ids("0-3,7, 5") == [0, 1, 2, 3, 5, 7]
    with pytest.raises(Exception, match="--ids"):
        parse_ids("a-b")


def test_pass_per_round_results_resume_and_report(data_dir: Path, tmp_path: Path, capsys):
    out = tmp_path / "run"
    replies = [
        GOOD,  # task 0: passes at round 0
        BAD.format(n=9),
        GOOD,  # task 1: fails, repaired in round 1
        BAD.format(n=7),
        BAD.format(n=8),
        BAD.format(n=9),  # task 2: fails every round
    ]
    backend = ScriptedBackend(replies)
    summary = run_cli(data_dir, out, backend)
    assert backend.replies == []
    records = {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert set(records) == {0, 1, 2, 3}
    assert records[3]["skipped"] == "no data table"
    assert records[0]["pass_at"] == [True, True, True]
    assert records[1]["pass_at"] == [False, True, True]
    assert records[2]["pass_at"] == [False, False, False]
    assert all(records[i]["revision"] not in ("", "unknown") for i in (0, 1, 2))  # which code ran each task
    first = records[1]["attempts"][0]
    assert first["error_type"] == "IndexError" and "iloc" in first["code"] and first["tokens"] > 0
    assert [a["kind"] for a in records[2]["attempts"]] == ["generate", "repair", "repair"]
    assert summary["n"] == 3 and summary["skipped"] == [3]
    assert summary["passed"] == [1, 2, 2]
    assert summary["pass_rate"] == [33.3, 66.7, 66.7]
    assert summary["errors_initial"] == {"ok": 1, "IndexError": 2}
    assert summary["errors_final"] == {"ok": 2, "IndexError": 1}
    report = (out / "report.md").read_text()
    assert "1/3 = 33.3%" in report and "counted out (no data table): 3" in report
    assert (
        summary["passed_within_budget"] == 2 and "budget (120 s per cell; this run had none): 2/3" in report
    )
    versions = json.loads((out / "run.json").read_text())["machine"]["versions"]
    assert (
        versions["pandas"] == pd.__version__ and f"pandas {pd.__version__}" in report
    )  # runs on other set-ups compare
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    log = (out / "progress.log").read_text().splitlines()
    assert len(log) == 6 and "task 1 attempt 0 generate: IndexError" in log[1]
    # The repair turn carries the traceback, as in VisCoder's self-debug protocol.
    assert "IndexError" in backend.calls[2][-1]["content"]

    assert cli.main(["report", str(out), "--out", str(tmp_path / "all.png")]) == 0
    assert (tmp_path / "all.png").exists()
    assert "| matplotlib | viscode | 3 | 1/3 = 33.3% | 2/3 = 66.7% | 2 |" in capsys.readouterr().out

    again = ScriptedBackend([])  # resuming must not call the model at all
    run_cli(data_dir, out, again)
    assert again.calls == []
    assert len((out / "results.jsonl").read_text().splitlines()) == 4
    assert (
        f"Commits that ran these tasks: {records[0]['revision']} (3 tasks)."
        in (out / "report.md").read_text()
    )


def test_resuming_at_another_commit_warns_and_the_report_says_the_rows_mix(
    data_dir: Path, tmp_path: Path, capsys
):
    out = tmp_path / "run"
    run_cli(data_dir, out, ScriptedBackend([GOOD, GOOD, GOOD]))
    assert "mix" not in capsys.readouterr().err
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    # An earlier run did tasks 0 and 3 at another commit; tasks 1 and 2 are still to run.
    kept = [{**r, "revision": "abc1234"} for r in lines if r["id"] in (0, 3)]
    (out / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in kept))
    summary = run_cli(data_dir, out, ScriptedBackend([GOOD, GOOD]))
    err = capsys.readouterr().err
    assert "ran at abc1234" in err and "check out abc1234" in err
    assert set(summary["revisions"]) == {"abc1234", lines[1]["revision"]}
    assert "The rows mix programs" in (out / "report.md").read_text()


def test_passes_under_the_notebook_budget_are_counted_from_the_recorded_seconds():
    def attempt(index: int, ok: bool, seconds: float) -> dict:
        return {"index": index, "ok": ok, "generation_seconds": seconds, "exec_seconds": 0.5}

    slow_first = {"attempts": [attempt(0, False, 200.0), {**attempt(0, True, 0.0), "kind": "patch"}]}
    late_repair = {"attempts": [attempt(0, False, 60.0), attempt(1, False, 50.0), attempt(2, True, 30.0)]}
    timely_repair = {"attempts": [attempt(0, False, 60.0), attempt(1, True, 50.0)]}
    failed = {"attempts": [attempt(0, False, 1.0)]}
    assert passed_within(slow_first, 120)  # the first reply is never cut, nor its patches
    assert not passed_within(late_repair, 120)  # its last reply would have been cut at 120 s
    assert passed_within(late_repair, 150)
    assert passed_within(timely_repair, 120) and not passed_within(failed, 120)


def test_a_resubmitted_program_is_counted_whether_the_loop_refused_it_or_ran_it_again():
    def attempt(code: str, ok: bool, error_type: str | None = None) -> dict:
        return {"code": code, "ok": ok, "error_type": error_type}

    plain = {"attempts": [attempt("a", False), attempt("a", False), attempt("a", False)]}  # run again
    refused = {"attempts": [attempt("a", False), attempt("a", False, "Repeated"), attempt("b", True)]}
    changed = {"attempts": [attempt("a", False), attempt("b", False), attempt("c", True), attempt("c", True)]}
    relaid = {"attempts": [attempt("x = 1", False), attempt("x=1  # again", False)]}  # layout only
    assert [resubmissions(r) for r in (plain, refused, changed, relaid)] == [2, 1, 0, 1]


def test_ppb_prompt_reaches_the_model(data_dir: Path, tmp_path: Path):
    backend = ScriptedBackend([GOOD, GOOD, GOOD])
    run_cli(data_dir, tmp_path / "ppb", backend, "--prompt", "ppb")
    system, user = backend.calls[0]
    assert system == {"role": "system", "content": "SYS"}
    assert user["content"].startswith("Write code.\nLoad df.\n1. Setup. Use matplotlib.DO NOT use seaborn")
    assert load_records(tmp_path / "ppb")[0]["prompt"] == "ppb"


def test_viscode_prompt_uses_the_magic_prompt(data_dir: Path, tmp_path: Path):
    backend = ScriptedBackend([GOOD, GOOD, GOOD])
    run_cli(data_dir, tmp_path / "vc", backend, "--ids", "0")
    user = backend.calls[0][1]["content"]
    assert "3. Plot description: Plot Description: line 0.\nPlot Style Description: blue." in user
    assert "already loaded in memory as `df`" in user


def test_ppb_user_prompt_matches_upstream_format():
    """Reference render of upstream's generate_plotting_request for a tiny frame."""
    frame = pd.DataFrame({"a": [1, 2], "b": ["u", "v"]})
    expected = (
        "Write code.\nLoad df.\n"
        "1. Setup. Use plotly.DO NOT use matplotlib for plotting. Only plotly library. \n"
        "2. Data description. The metadata:\n"
        "DataFrame with 2 columns and 2 rows\n"
        "Column names and types: a: int64, b: str\n"
        "Head:\n"
        '{"a":{"0":1,"1":2},"b":{"0":"u","1":"v"}}\n'
        "3. Plot Description: bars.\n"
        "4. Plot Style Description: red.\n"
    )
    got = user_prompt(
        INSTRUCTS, "plotly", frame, " Plot Description: bars.\n", " Plot Style Description: red."
    )
    assert got.replace("object", "str") == expected
    seaborn = ppb_messages(INSTRUCTS, "seaborn", frame, "d", "s")[1]["content"]
    assert "1. Setup. Use seaborn.\n2. Data" in seaborn  # no restriction sentence for seaborn


class _ByTaskBackend:
    """Thread-safe fake: answers from the task text, so concurrent order does not matter."""

    description = "by-task fake"

    def __init__(self) -> None:
        self.calls = 0

    def generate(self, messages, params, on_token=None):
        self.calls += 1
        ok = "line 1." not in messages[1]["content"]
        return Generation(text=GOOD if ok else BAD.format(n=5 + self.calls), tokens=3, seconds=0.0)

    def close(self) -> None:
        pass


def test_concurrent_tasks_all_finish_with_their_own_outcome(data_dir: Path, tmp_path: Path):
    tasks = load_tasks(str(data_dir), range(3))
    out = tmp_path / "conc"
    ran = run_tasks(tasks, RunSettings(rounds=1), _ByTaskBackend(), out, concurrency=3)
    assert ran == 3
    summary = summarize(load_records(out))
    assert summary["passed"] == [2, 2]
    assert {r["id"]: r["ok"] for r in load_records(out)} == {0: True, 1: False, 2: True}


def test_help_and_bad_lib(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "--prompt" in capsys.readouterr().out
    assert cli.main(["--out", "x", "--lib", "ggplot"]) == 2
    assert "Unknown --lib" in capsys.readouterr().err
    assert cli.main(["--out", "x", "--ablate", "hints,greedy"]) == 2
    assert "Unknown --ablate part(s) greedy" in capsys.readouterr().err


def test_a_task_the_model_cannot_answer_is_a_failed_task_and_the_run_goes_on(data_dir: Path, tmp_path: Path):
    from viscoder_magic.errors import VisCodeError

    class OverflowOnTask1(ScriptedBackend):
        def generate(self, messages, params, on_token=None):
            if "line 1." in messages[-1]["content"]:
                raise VisCodeError("The request does not fit the model's context.")
            return super().generate(messages, params, on_token)

    out = tmp_path / "run"
    run_cli(data_dir, out, OverflowOnTask1([GOOD, GOOD]))
    records = {r["id"]: r for r in load_records(out)}
    assert records[0]["ok"] and records[2]["ok"]
    failed = records[1]
    assert not failed["ok"] and failed["pass_at"] == [False, False, False] and failed["attempts"] == []
    assert "does not fit" in failed["error"] and failed["revision"] not in ("", "unknown")


def test_a_task_drawn_by_a_rule_based_patch_passes_at_its_round_and_is_counted(
    data_dir: Path, tmp_path: Path
):
    out = tmp_path / "run"
    slip = fence("import matplotlib.pyplot as plt\nplt.plot(df['x'], df['y'], colour='r')")
    summary = run_cli(data_dir, out, ScriptedBackend([slip, GOOD, GOOD]))
    records = {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert [a["kind"] for a in records[0]["attempts"]] == ["generate", "patch"]
    assert records[0]["pass_at"] == [True, True, True]  # a patch counts at the round it fixes
    assert "colour" in records[0]["attempts"][1]["note"]
    assert summary["passed_by_patch"] == 1 and summary["patch_attempts"] == 1
    assert "1 task(s) drew with one" in (out / "report.md").read_text()


def test_ablation_matrix_runs_each_loop_as_a_resumable_cell(data_dir: Path, tmp_path: Path):
    from benchmarks.ablation_matrix import LOOPS, MatrixArguments, run_matrix

    assert LOOPS["plain"] == ("hints", "resample", "precheck", "patch", "mismatch", "checklist")
    assert LOOPS["all"] == ()
    assert LOOPS["patch only"] == ("hints", "resample", "precheck", "mismatch", "checklist")
    args = MatrixArguments(
        root=str(tmp_path / "m"), libs="matplotlib", loops="plain,all", ids="0-3", data=str(data_dir)
    )
    backend = ScriptedBackend([GOOD] * 3)  # the second cell asks the same first questions: replayed
    rows = run_matrix(args, backend)
    assert backend.replies == [] and [(lib, loop) for lib, loop, _ in rows] == [
        ("matplotlib", "plain"),
        ("matplotlib", "all"),
    ]
    assert [s["replayed"] for _, _, s in rows] == [0, 3]
    plain = json.loads((tmp_path / "m" / "matplotlib-viscode-plain" / "run.json").read_text())
    assert plain["args"]["ablate"] == "hints,resample,precheck,patch,mismatch,checklist"
    assert plain["args"]["cache"] == str(tmp_path / "m" / "generations.sqlite")
    assert "| matplotlib | all | 3 | 3/3 (100.0%)" in (tmp_path / "m" / "matrix.md").read_text()
    run_matrix(args, ScriptedBackend([]))  # resumed: every task is done, no model call


def test_a_cached_reply_is_replayed_and_counted_at_the_seconds_it_cost(data_dir: Path, tmp_path: Path):
    class Slow(ScriptedBackend):
        def generate(self, messages, params, on_token=None):
            g = super().generate(messages, params, on_token)
            return Generation(text=g.text, tokens=g.tokens, seconds=7.0)

    cache = str(tmp_path / "cache.sqlite")
    first = run_cli(data_dir, tmp_path / "a", Slow([GOOD] * 3), "--cache", cache)
    assert first["replayed"] == 0
    again = Slow([])  # every chat is in the cache: no model call
    second = run_cli(data_dir, tmp_path / "b", again, "--cache", cache)
    assert again.calls == [] and second["replayed"] == 3 and second["passed"] == first["passed"]
    assert second["latency_median_s"] >= 7.0  # the replayed reply counts what it cost
    assert "replayed from the generation cache" in (tmp_path / "b" / "report.md").read_text()
    other = Slow([GOOD] * 3)  # another temperature is another question
    run_cli(data_dir, tmp_path / "c", other, "--cache", cache, "--temperature", "0.5")
    assert len(other.calls) == 3


def test_cache_refuses_concurrent_tasks(capsys):
    assert (
        cli.main(
            ["--out", "x", "--cache", "c.sqlite", "--endpoint", "http://127.0.0.1:1/v1", "--concurrency", "4"]
        )
        == 2
    )
    assert "--cache replays replies one task at a time" in capsys.readouterr().err


def test_lookup_estimate_drafts_from_the_latest_match_and_charges_each_verified_step():
    from benchmarks.lookup_estimate import draft_for, lookup_cost

    history = [1, 2, 3, 4, 9, 9, 1, 2, 3, 4, 7, 8, 1, 2, 3, 4]
    assert draft_for(history, 2) == [7, 8]  # the latest earlier occurrence of [1, 2, 3, 4]
    assert draft_for([5, 6, 7, 8], 2) == []
    flat = lookup_cost([], [1, 2, 3], 4, lambda rows: float(rows))  # nothing to copy: one step per token
    assert flat == 3.0
    copied = list(range(10, 30))  # a reply that copies a 20-token program in the context
    assert lookup_cost(copied, copied, 4, lambda rows: 1.0) < len(copied) / 2


def test_a_batch_of_candidates_is_cached_as_one_batch(tmp_path: Path):
    from viscoder_magic.backends import GenerationParams, generate_many
    from viscoder_magic.bench.generation_cache import GenerationCache

    inner = ScriptedBackend(["a", "b"])
    cache = GenerationCache(inner, tmp_path / "c.sqlite")
    asked = [GenerationParams(temperature=0.8, seed=1), GenerationParams(temperature=0.8, seed=2)]
    chat = [{"role": "user", "content": "plot"}]
    first = generate_many(cache, chat, asked)
    replay = GenerationCache(
        ScriptedBackend([]), tmp_path / "c.sqlite"
    )  # no replies left: any model call fails
    again = generate_many(replay, chat, asked)
    assert [g.text for g in again] == [g.text for g in first] == ["a", "b"] and replay.replayed == 2
    alone = GenerationCache(
        ScriptedBackend(["c"]), tmp_path / "c.sqlite"
    )  # one of them asked alone: not the batch
    assert alone.generate(chat, asked[0]).text == "c" and alone.replayed == 0


def test_programs_refused_for_their_library_are_rerun_with_it_and_counted_apart(
    data_dir: Path, tmp_path: Path
):
    from benchmarks.forbidden_library import main as forbidden_library

    plotly = fence("import plotly.express as px\nfig = px.line(df, x='x', y='y')\nfig.show()")
    backend = ScriptedBackend([GOOD, BAD.format(n=9), plotly])  # tasks 0, 1: matplotlib; task 2: plotly
    summary = run_cli(data_dir, tmp_path / "run", backend, "--lib", "plotly", "--rounds", "0")
    assert summary["passed"] == [1]
    counted = forbidden_library(["--run", str(tmp_path / "run"), "--data", str(data_dir)])
    assert counted["failed"] == 2
    assert counted["with_a_program_refused_for_its_library"] == [0, 1]
    assert counted["whose_refused_program_would_draw"] == [0]  # task 1's program raises IndexError anyway
    assert json.loads((tmp_path / "run" / "forbidden_library.json").read_text()) == json.loads(
        json.dumps(counted)
    )


def test_the_report_counts_task_pass_beside_exec_pass_and_lists_the_mismatches():
    from viscoder_magic.bench.report import report_markdown, summarize

    def record(task_id, attempts, rounds=1):
        drew = [a["drew"] for a in attempts]
        ok = [a["ok"] for a in attempts]
        return {
            "id": task_id,
            "lib": "matplotlib",
            "prompt": "viscode",
            "model": "fake",
            "ok": ok[-1],
            "pass_at": [any(drew[: r + 1]) for r in range(rounds + 1)],
            "task_pass_at": [any(ok[: r + 1]) for r in range(rounds + 1)],
            "attempts": attempts,
            "seconds": 1.0,
            "tokens": 10,
        }

    def attempt(index, ok, error_type=None, error=""):
        return {
            "index": index,
            "kind": "generate",
            "code": f"c{index}{ok}{error_type}",
            "ok": ok,
            "drew": ok or error_type == "Mismatch",
            "error_type": error_type,
            "error": error,
            "generation_seconds": 0.5,
            "exec_seconds": 0.1,
        }

    asked_pie = "The program ran, but its figure does not show what was asked. A pie chart was asked for."
    records = [
        record(0, [attempt(0, True), attempt(1, True)]),
        record(1, [attempt(0, False, "Mismatch", asked_pie), attempt(1, True)]),
        record(2, [attempt(0, False, "Mismatch", asked_pie), attempt(1, False, "Mismatch", asked_pie)]),
        record(3, [attempt(0, False, "KeyError", "x"), attempt(1, False, "KeyError", "x")]),
    ]
    summary = summarize(records)
    assert summary["passed"] == [3, 3] and summary["task_passed"] == [1, 2]
    assert [m["id"] for m in summary["mismatches"]] == [2]
    text = report_markdown(summary, {})
    assert "| task pass | 1/4 = 25.0% | 2/4 = 50.0% |" in text
    assert "Drew, but not what was asked (1 task(s))" in text and "- 2: The program ran" in text


def test_a_reply_that_repeats_a_failure_is_counted_though_resampled(data_dir: Path, tmp_path: Path) -> None:
    backend = ScriptedBackend([BAD.format(n=7), BAD.format(n=7), GOOD])
    summary = run_cli(data_dir, tmp_path / "run", backend, "--ids", "0")
    record = json.loads((tmp_path / "run" / "results.jsonl").read_text().splitlines()[0])
    assert [(a["kind"], a["resubmitted"]) for a in record["attempts"]] == [("generate", 0), ("repair", 1)]
    assert summary["resampled_replies"] == 1 and summary["repeated_attempts"] == 0
    assert "1 replies that repeated one were resampled" in (tmp_path / "run" / "report.md").read_text()
