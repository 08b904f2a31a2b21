import json
from pathlib import Path

import pandas as pd
import pytest

from viscoder_magic.labels import CLOSEST_CUTOFF, closest_label, index_role, similarity, unitless

COLUMNS = ["Revenue (USD)", "temp °C", "Page views", "rainfall_mm", "Deal size", "Deal Size (old)", "region"]


@pytest.mark.parametrize(
    "slip, meant",
    [
        ("revenue (usd)", "Revenue (USD)"),
        ("revenue", "Revenue (USD)"),
        ("temp", "temp °C"),
        ("page_views", "Page views"),
        ("rainfall", "rainfall_mm"),
        ("deal size", "Deal size"),
        ("regoin", "region"),
        ("Regions", "region"),
    ],
)
def test_realistic_slips_find_their_label(slip: str, meant: str):
    assert closest_label(slip, COLUMNS) == meant


@pytest.mark.parametrize("name", ["timestamp", "date", "count", "humidity", "team"])
def test_other_names_find_none(name: str):
    assert closest_label(name, COLUMNS) is None


def test_units_and_accents_are_left_out_of_the_comparison():
    assert unitless("precip (mm)") == "precip" and unitless("wind km/h") == "wind"
    assert unitless("battery_V") == "battery" and unitless("mm") == "mm"  # a label that is only a unit stays
    assert similarity("temperature moyenne", "Température moyenne (°C)") > 0.98


def test_the_cutoff_is_the_one_measured_on_the_dev_frames():
    measured = json.loads(
        (Path(__file__).resolve().parents[1] / "benchmarks/results/closest_threshold.json").read_text(
            encoding="utf-8"
        )
    )
    assert measured["split"] == "dev" and measured["chosen_cutoff"] == CLOSEST_CUTOFF


def test_index_names_and_levels_are_recognised_ignoring_case_and_spaces():
    dated = pd.DataFrame({"v": [1]}, index=pd.DatetimeIndex(["2024-01-01"], name="Time stamp"))
    assert index_role("timestamp", dated) == ("index", "Time stamp")
    levels = pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([("a", 1)], names=["region", "year"]))
    assert index_role("Year", levels) == ("level", "year")
    assert index_role("v", levels) is None and index_role("x", pd.DataFrame({"v": [1]})) is None
