"""Eval stage: the comparison table and the choice of base (the bench itself is tested in test_bench*)."""

from __future__ import annotations

import pytest

from training.config import load_config
from training.eval_compare import compare, first_attempt_drew, markdown, resubmissions, sign_test, wins
from training.evaluate import base_model, suites
from viscoder_magic.errors import VisCodeError


def _record(
    task: int, first: bool, final: bool, seconds: float, repeats: int = 0, task_pass: bool | None = None
):
    attempts = [{"index": 0, "kind": "generate", "drew": first, "error_type": None if first else "TypeError"}]
    if not first:
        attempts.append({"index": 0, "kind": "patch", "drew": final, "error_type": None})
    attempts += [
        {"index": 1, "kind": "repair", "drew": False, "error_type": "TypeError", "resubmitted": 2}
    ] * repeats
    task_pass = final if task_pass is None else task_pass
    return {"id": task, "attempts": attempts, "pass_at": [first, final], "task_pass_at": [first, task_pass],
            "seconds": seconds}  # fmt: skip


def test_a_repair_turn_counts_once_whether_its_repeat_was_resampled_or_run() -> None:
    labelled = {"id": 1, "attempts": [{"kind": "repair", "error_type": "Repeated"}]}
    resampled = {"id": 2, "attempts": [{"kind": "repair", "error_type": None, "resubmitted": 3}]}
    fresh = {
        "id": 3,
        "attempts": [{"kind": "generate", "resubmitted": 0}, {"kind": "repair", "resubmitted": 0}],
    }
    assert resubmissions([labelled, resampled, fresh]) == (2, 3)


def test_first_attempt_counts_only_the_models_own_program() -> None:
    patched = _record(1, first=False, final=True, seconds=5)
    assert not first_attempt_drew(patched) and first_attempt_drew(_record(2, True, True, 5))
    assert not first_attempt_drew({"id": 3, "attempts": []})


def test_a_clear_win_on_every_count() -> None:
    trained = [_record(i, first=i < 60, final=i < 90, seconds=10) for i in range(99)]
    base = [_record(i, first=i < 40, final=i < 88, seconds=20, repeats=i % 2) for i in range(99)]
    result = compare("matplotlib", trained, base)
    assert (result.first.trained, result.first.base, result.first.only_trained, result.first.n) == (
        60,
        40,
        20,
        99,
    )
    assert result.first.gain_points == pytest.approx(100 * 20 / 99) and result.first.p_value < 1e-5
    assert result.resubmitted == ((0, 0), (49, 49)) and result.median_seconds == (10.0, 20.0)
    assert result.verdicts() == {"a": True, "b": True, "c": True, "d": True}
    assert wins([result])
    text = markdown([result], ("mine (trained)", "default (base)"))
    assert "| matplotlib | 60/99 vs 40/99 (+20.2 pts; 20 only trained, 0 only base, p = 0.00)" in text
    assert "yes yes yes yes" in text and "wins on every count" in text


def test_each_count_can_fail_on_its_own() -> None:
    base = [_record(i, first=i < 40, final=i < 90, seconds=20) for i in range(99)]
    small_gain = [_record(i, first=i < 45, final=i < 90, seconds=10) for i in range(99)]
    fewer_final = [_record(i, first=i < 60, final=i < 89, seconds=10) for i in range(99)]
    repeats = [_record(i, first=i < 60, final=i < 90, seconds=10, repeats=1) for i in range(99)]
    slower = [_record(i, first=i < 60, final=i < 90, seconds=20) for i in range(99)]
    failing = {"a": small_gain, "b": fewer_final, "c": repeats, "d": slower}
    for count, trained in failing.items():
        marks = compare("seaborn", trained, base).verdicts()
        assert [k for k, ok in marks.items() if not ok] == [count]
    # a held-out suite is not held to the first-attempt gain, only to the other three
    assert compare("realtables-fresh", small_gain, base, gated=False).verdicts()["a"]
    assert not wins([compare("seaborn", small_gain, base)])
    assert "not a win" in markdown([compare("seaborn", small_gain, base)], ("t", "b"))


def test_only_tasks_both_ran_are_compared_and_the_sign_test_is_exact() -> None:
    trained = [_record(i, True, True, 1) for i in range(10)]
    base = [_record(i, False, False, 1) for i in range(5, 20)]
    result = compare("plotly", trained, base)
    assert result.final.n == 5 and result.final.only_trained == 5
    assert sign_test(5, 0) == pytest.approx(2 / 32) and sign_test(0, 0) == 1.0 and sign_test(3, 3) == 1.0
    counted_out = {"id": 30, "skipped": "no data table"}  # no seconds, no passes: in no count at all
    timed = [_record(0, True, True, 4), _record(1, True, True, 9)]
    assert compare("plotly", [*timed, counted_out], [*timed, counted_out]).median_seconds == (6.5, 6.5)
    assert compare("plotly", [*timed, counted_out], timed).final.n == 2


def test_suites_are_the_libraries_and_the_held_out_split_and_bad_names_are_clear() -> None:
    config = load_config(None, [])
    assert [s.name for s in suites(config.eval)] == ["matplotlib", "seaborn", "plotly", "realtables-fresh"]
    assert [s.name for s in suites(load_config(None, ["eval.lib=plotly", "eval.held_out=none"]).eval)] == [
        "plotly"
    ]
    with pytest.raises(VisCodeError, match="eval.lib is 'matplotlb'"):
        suites(load_config(None, ["eval.lib=matplotlb"]).eval)
    with pytest.raises(VisCodeError, match="eval.held_out is 'test'"):
        suites(load_config(None, ["eval.held_out=test"]).eval)


def test_base_model_choice() -> None:
    assert (
        base_model(load_config(None, ["sft.base=Qwen/Qwen2.5-Coder-1.5B-Instruct"]))
        == "Qwen/Qwen2.5-Coder-1.5B-Instruct"
    )
    assert base_model(load_config(None, ["sft.base=tiny", "eval.base_model=default"])) == "default"
    with pytest.raises(VisCodeError, match="eval.base_model"):
        base_model(load_config(None, ["sft.base=tiny"]))


def test_each_suite_is_asked_of_the_benchmark_as_its_own_run(tmp_path, monkeypatch) -> None:
    import viscoder_magic.bench.cli as bench_cli
    from training.evaluate import bench

    asked = []

    def recorded(args, backend=None, command=None):  # noqa: ANN001, ANN202 - viscoder-bench's run
        args = bench_cli.resolved(args)
        bench_cli.validate(args)
        asked.append((args.suite, args.split, args.lib, args.ids, len(bench_cli.load_suite(args))))
        return {}

    monkeypatch.setattr(bench_cli, "run", recorded)
    config = load_config(None, ["eval.rounds=0"])
    for suite in suites(config.eval):
        if suite.split:  # PandasPlotBench's tasks need ../shared; the realtables suite ships with us
            assert bench(config.eval, suite, "default", tmp_path / suite.name) == []
    assert asked == [("realtables", "fresh", None, None, 69)]
