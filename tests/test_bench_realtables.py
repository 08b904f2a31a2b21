"""The realtables suite: frames have what they claim, requests are well-formed, the splits stay frozen."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.bench import cli
from viscoder_magic.bench.realtables import (
    FRAMES,
    HALVES,
    SPLITS,
    build_frame,
    load_realtables_tasks,
    load_requests,
    split_of,
)
from viscoder_magic.bench.realtables.registry import COVERAGE
from viscoder_magic.bench.realtables.suite import FLAGS, KINDS, requests_path, write_halves
from viscoder_magic.request import LIBRARIES


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    """Every frame built once (the two million-row ones included)."""
    return {name: build_frame(name) for name in FRAMES}


@pytest.fixture(scope="session")
def rows() -> dict[str, list[dict]]:
    return {split: load_requests(split) for split in SPLITS}


def axes_of(frame: pd.DataFrame) -> list[pd.Series | pd.Index]:
    """Every column and every index level, so a dtype may sit in either."""
    levels = [frame.index.get_level_values(i) for i in range(frame.index.nlevels)]
    return [frame[c] for c in frame.columns] + levels


def column_labels(frame: pd.DataFrame) -> list[object]:
    """Column labels, a MultiIndex's level values one by one."""
    if isinstance(frame.columns, pd.MultiIndex):
        return [value for label in frame.columns for value in label]
    return list(frame.columns)


def labels(frame: pd.DataFrame) -> set[object]:
    """Names a request may refer to: column labels and level values, column level names, index names."""
    return set(column_labels(frame)) | set(frame.columns.names) | set(frame.index.names) - {None}


def datetime_units(frame: pd.DataFrame) -> set[str]:
    return {
        pd.Series(axis).dt.unit for axis in axes_of(frame) if pd.api.types.is_datetime64_any_dtype(axis.dtype)
    }


def has_non_ascii(frame: pd.DataFrame) -> bool:
    texts = [str(label) for label in column_labels(frame)] + [str(v) for v in frame.index[:200]]
    for axis in axes_of(frame):
        if isinstance(axis.dtype, (pd.StringDtype, pd.CategoricalDtype)) or axis.dtype == object:
            texts += [str(v) for v in pd.Series(axis).drop_duplicates()[:200]]
    return any(not t.isascii() for t in texts)


def lookalikes(frame: pd.DataFrame) -> bool:
    keys = Counter(re.sub(r"[^a-z]", "", str(label).lower()) for label in frame.columns)
    return any(count > 1 for count in keys.values())


def mixed_object(frame: pd.DataFrame) -> bool:
    return any(
        len({type(v) for v in frame[c].dropna()}) > 1 for c in frame.columns if frame[c].dtype == object
    )


CHECKS = {
    "string": lambda f: any(isinstance(a.dtype, pd.StringDtype) for a in axes_of(f)),
    "category": lambda f: any(isinstance(a.dtype, pd.CategoricalDtype) for a in axes_of(f)),
    "Int64": lambda f: any(a.dtype == pd.Int64Dtype() and pd.Series(a).isna().any() for a in axes_of(f)),
    "boolean": lambda f: any(a.dtype == pd.BooleanDtype() for a in axes_of(f)),
    "datetime_s": lambda f: "s" in datetime_units(f),
    "datetime_ms": lambda f: "ms" in datetime_units(f),
    "datetime_us": lambda f: "us" in datetime_units(f),
    "datetime_ns": lambda f: "ns" in datetime_units(f),
    "tz": lambda f: any(isinstance(a.dtype, pd.DatetimeTZDtype) for a in axes_of(f)),
    "period": lambda f: any(isinstance(a.dtype, pd.PeriodDtype) for a in axes_of(f)),
    "timedelta": lambda f: any(pd.api.types.is_timedelta64_dtype(a.dtype) for a in axes_of(f)),
    "named_index": lambda f: None not in f.index.names,
    "datetime_index": lambda f: isinstance(f.index, pd.DatetimeIndex),
    "multiindex_rows": lambda f: isinstance(f.index, pd.MultiIndex),
    "multiindex_columns": lambda f: isinstance(f.columns, pd.MultiIndex),
    "spaces": lambda f: any(" " in str(label).strip() for label in column_labels(f)),
    "units": lambda f: any(re.search(r"\(.+\)|°|%|/", str(label)) for label in column_labels(f)),
    "unicode": has_non_ascii,
    "numeric_labels": lambda f: any(isinstance(label, int) for label in column_labels(f)),
    "lookalike_labels": lookalikes,
    "wide": lambda f: f.shape[1] >= 100,
    "long": lambda f: len(f) >= 10**6,
    "nan_heavy": lambda f: any(f[c].isna().mean() >= 0.5 for c in f.columns),
    "mixed_object": mixed_object,
}


def test_every_coverage_name_has_a_check_and_a_frame():
    assert set(CHECKS) == set(COVERAGE)
    claimed = {name for spec in FRAMES.values() for name in spec.covers}
    assert claimed == set(COVERAGE)
    assert len(FRAMES) >= 30


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frame_builds_and_has_what_it_claims(name: str, frames: dict[str, pd.DataFrame]):
    frame = frames[name]
    assert name.isidentifier() and len(frame) > 0 and frame.shape[1] > 0
    assert FRAMES[name].covers, "a frame says what it is there for"
    missing = [claim for claim in FRAMES[name].covers if not CHECKS[claim](frame)]
    assert missing == []


def test_the_claims_are_not_vacuous(frames: dict[str, pd.DataFrame]):
    """Each check fails on some frame, so a frame that lost its feature would be caught."""
    for claim, check in CHECKS.items():
        assert not all(check(f) for f in frames.values()), claim
    assert len(frames["clickstream"]) == 10**6 and len(frames["smart_meter_log"]) == 10**6
    assert (
        frames["earthquakes"]["time"].dt.tz is not None and frames["energy_load_hourly"].index.tz is not None
    )
    nullable = [f[c] for f in frames.values() for c in f.columns if str(f[c].dtype) in ("Int64", "boolean")]
    assert {str(s.dtype) for s in nullable if s.isna().any()} == {"Int64", "boolean"}


@pytest.mark.parametrize("name", sorted(n for n in FRAMES if "long" not in FRAMES[n].covers))
def test_frames_are_the_same_every_time(name: str, frames: dict[str, pd.DataFrame]):
    pd.testing.assert_frame_equal(build_frame(name), frames[name])


def test_an_unknown_frame_lists_the_known_ones():
    with pytest.raises(Exception, match="sales_orders"):
        build_frame("no_such_frame")


def test_requests_are_well_formed_and_name_real_columns(
    rows: dict[str, list[dict]], frames: dict[str, pd.DataFrame]
):
    every = [row for split in SPLITS for row in rows[split]]
    assert len(every) >= 150
    assert len({row["id"] for row in every}) == len(every), "ids are unique across every split"
    for row in every:
        assert set(row) == {"id", "frame", "lib", "text", "truth"} and isinstance(row["id"], int)
        assert row["frame"] in FRAMES and row["lib"] in LIBRARIES
        assert 0 < len(row["text"]) <= 120, row["id"]
        truth = row["truth"]
        assert set(truth) == {"kinds", "columns", *FLAGS} and all(isinstance(truth[f], bool) for f in FLAGS)
        assert truth["kinds"] and set(truth["kinds"]) <= set(KINDS), row["id"]
        unknown = [c for c in truth["columns"] if c not in labels(frames[row["frame"]])]
        assert unknown == [], f"request {row['id']} names {unknown}, not in {row['frame']}"
    per_lib = Counter(row["lib"] for row in every)
    assert set(per_lib) == set(LIBRARIES) and min(per_lib.values()) >= 45
    assert {row["frame"] for row in every} == set(FRAMES), "every frame is asked about"


def test_the_halves_split_by_frame_and_each_has_every_library(rows: dict[str, list[dict]]):
    dev, heldout = rows["dev"], rows["heldout"]
    assert {r["frame"] for r in dev}.isdisjoint({r["frame"] for r in heldout})
    assert {r["id"] for r in dev}.isdisjoint({r["id"] for r in heldout})
    for half in (dev, heldout):
        assert {r["lib"] for r in half} == set(LIBRARIES)
        assert all(count >= 20 for count in Counter(r["lib"] for r in half).values())
    assert 0.4 <= len(dev) / (len(dev) + len(heldout)) <= 0.6


def test_the_split_is_the_frame_hash_and_rewriting_it_changes_nothing(
    rows: dict[str, list[dict]], tmp_path: Path
):
    for split in SPLITS:
        assert {split_of(r["frame"]) for r in rows[split]} == {split}
    assert (
        split_of("sales_orders") == "dev" and split_of("clickstream") == "heldout"
    )  # the rule itself is pinned
    every = sorted((r for split in HALVES for r in rows[split]), key=lambda r: r["id"])
    write_halves(every, tmp_path)
    for split in HALVES:
        assert (tmp_path / f"requests_{split}.jsonl").read_bytes() == requests_path(split).read_bytes()
    with pytest.raises(Exception, match="dev and heldout halves only"):
        write_halves(rows["fresh"][:1], tmp_path)


FRESH_FRAMES = sorted(name for name, spec in FRAMES.items() if spec.split == "fresh")


def test_the_fresh_split_has_new_frames_covering_every_shape(frames: dict[str, pd.DataFrame]):
    """The fresh split re-covers the suite's features on tables of its own, defined beside no old frame."""
    assert len(FRESH_FRAMES) >= 12
    assert {FRAMES[name].build.__module__.rsplit(".", 1)[-1] for name in FRESH_FRAMES} == {
        "frames_fresh",
        "frames_fresh_shapes",
    }
    old = [spec for spec in FRAMES.values() if spec.split is None]
    assert all(
        spec.build.__module__.rsplit(".", 1)[-1] not in ("frames_fresh", "frames_fresh_shapes")
        for spec in old
    )
    assert {FRAMES[name].domain for name in FRESH_FRAMES}.isdisjoint({spec.domain for spec in old})
    claimed = {claim for name in FRESH_FRAMES for claim in FRAMES[name].covers}
    wanted = {
        "string",
        "category",
        "Int64",
        "boolean",
        "tz",
        "named_index",
        "datetime_index",
        "multiindex_rows",
        "multiindex_columns",
        "spaces",
        "units",
        "unicode",
        "wide",
        "long",
        "nan_heavy",
    }
    assert wanted <= claimed, sorted(wanted - claimed)
    assert len({unit for name in FRESH_FRAMES for unit in datetime_units(frames[name])}) >= 3, "mixed units"
    nullable = [
        frames[n][c]
        for n in FRESH_FRAMES
        for c in frames[n].columns
        if str(frames[n][c].dtype) in ("Int64", "boolean")
    ]
    assert {str(s.dtype) for s in nullable if s.isna().any()} == {"Int64", "boolean"}
    assert {split_of(name) for name in FRESH_FRAMES} == {"fresh"}
    empty = [(n, c) for n in FRESH_FRAMES for c in frames[n].columns if frames[n][c].isna().all()]
    assert empty == [], "a column lost to index alignment would make its requests unanswerable"


def test_the_long_fresh_frame_builds_fast():
    started = time.perf_counter()
    frame = build_frame("call_records")
    assert len(frame) == 10**6 and time.perf_counter() - started < 5.0


def test_the_fresh_split_asks_about_its_own_frames_only(rows: dict[str, list[dict]]):
    fresh = rows["fresh"]
    assert len(fresh) >= 60
    assert {r["frame"] for r in fresh} == set(FRESH_FRAMES), (
        "every fresh frame is asked about, and only those"
    )
    older = [r for split in HALVES for r in rows[split]]
    assert {r["frame"] for r in older}.isdisjoint(FRESH_FRAMES)
    assert {r["id"] for r in fresh}.isdisjoint({r["id"] for r in older})
    per_lib = Counter(r["lib"] for r in fresh)
    assert set(per_lib) == set(LIBRARIES) and min(per_lib.values()) >= 20
    assert all(3 <= count <= 6 for count in Counter(r["frame"] for r in fresh).values())
    assert [r["id"] for r in fresh] == sorted(r["id"] for r in fresh)
    flags = {flag for r in fresh for flag in FLAGS if r["truth"][flag]}
    assert flags == set(FLAGS), "the fresh requests ask for log axes, panels and sorting"


def test_the_fresh_split_runs_from_the_command_line():
    args = cli.resolved(cli.BenchArguments(out="x", suite="realtables", split="fresh"))
    cli.validate(args)
    tasks = cli.load_suite(args)
    assert len(tasks) == len(load_requests("fresh")) and {t.split for t in tasks} == {"fresh"}
    assert {t.frame_name for t in tasks} == set(FRESH_FRAMES)
    plotly = load_realtables_tasks("fresh", lib="plotly")
    assert plotly and {t.lib for t in plotly} == {"plotly"}
    assert plotly[0].record_fields()["split"] == "fresh"


def test_tasks_carry_their_frame_library_and_annotation():
    tasks = load_realtables_tasks("dev", lib="plotly")
    assert tasks and {t.lib for t in tasks} == {"plotly"} and {t.split for t in tasks} == {"dev"}
    first = load_realtables_tasks("dev", ids=[1])[0]
    assert first.frame_name == "sales_orders" and first.frame().shape == (600, 7)
    assert first.record_fields()["truth"]["kinds"] == ["bar"] and first.record_fields()["split"] == "dev"


def fence(body: str) -> str:
    return f"```python\n{body}\n```"


def test_the_harness_runs_realtables_requests_in_their_own_library_and_keeps_the_annotation(tmp_path: Path):
    bars = fence(
        "import matplotlib.pyplot as plt\n"
        "sales_orders.groupby('region')['Revenue (USD)'].sum().sort_values(ascending=False).plot.bar()"
    )
    line = fence(
        "import plotly.express as px\n"
        "fig = px.line(sales_orders, x='order_date', y='Revenue (USD)')\nfig.show()"
    )
    backend = ScriptedBackend([bars, line])
    out = tmp_path / "rt"
    args = cli.BenchArguments(
        **vars(
            cli.make_parser().parse_args(
                [
                    "--suite",
                    "realtables",
                    "--split",
                    "dev",
                    "--ids",
                    "1,3",
                    "--rounds",
                    "0",
                    "--out",
                    str(out),
                ]
            )
        )
    )
    summary = cli.run(args, backend=backend, command="test")
    records = {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert [records[i]["lib"] for i in (1, 3)] == ["matplotlib", "plotly"]
    assert all(records[i]["ok"] for i in (1, 3)) and summary["lib"] == "matplotlib+plotly"
    assert records[3]["truth"] == {
        "kinds": ["line", "area"],
        "columns": ["order_date", "Revenue (USD)"],
        "log_x": False,
        "log_y": False,
        "panels": False,
        "sorted": False,
    }
    assert records[1]["suite"] == "realtables" and records[1]["split"] == "dev"
    assert records[1]["frame"] == "sales_orders" and records[1]["text"].startswith("total revenue by region")
    prompt = backend.calls[0][-1]["content"]
    assert "`sales_orders`" in prompt and "total revenue by region as a bar chart, biggest first" in prompt
    assert json.loads((out / "run.json").read_text())["args"]["suite"] == "realtables"


def test_bad_suite_split_and_prompt_are_refused(capsys):
    assert cli.main(["--out", "x", "--suite", "kaggle"]) == 2
    assert "Unknown --suite 'kaggle'" in capsys.readouterr().err
    assert cli.main(["--out", "x", "--suite", "realtables", "--split", "test"]) == 2
    assert "Unknown --split 'test'" in capsys.readouterr().err
    assert cli.main(["--out", "x", "--suite", "realtables", "--prompt", "ppb"]) == 2
    assert "magic's prompt only" in capsys.readouterr().err


def test_pandasplotbench_defaults_are_unchanged():
    args = cli.resolved(cli.BenchArguments(out="x"))
    assert (args.suite, args.lib, args.ids) == ("pandasplotbench", "matplotlib", "0-99")
