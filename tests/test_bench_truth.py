"""The outside judge: a recorded figure's facts against the suite's annotation of what it must show."""

from __future__ import annotations

import pytest

from viscoder_magic.bench.truth import differences, judged

BARS = {
    "kinds": ["bar"],
    "columns": ["region", "Revenue (USD)"],
    "panels": [
        {
            "x_label": "region",
            "y_label": "Revenue (USD)",
            "x_scale": "linear",
            "y_scale": "linear",
            "order": "descending",
            "columns": ["Revenue (USD)"],
            "legend": [],
        }
    ],
}


def truth(**kw):
    return {
        "kinds": ["bar"],
        "columns": ["region", "Revenue (USD)"],
        "log_x": False,
        "log_y": False,
        "panels": False,
        "sorted": False,
        **kw,
    }


@pytest.mark.parametrize(
    ("asked", "facts", "missing"),
    [
        (truth(), BARS, []),
        (truth(sorted=True), BARS, []),
        (truth(kinds=["histogram"]), BARS, []),  # touching bars read as either
        (truth(kinds=["pie"]), BARS, ["kind: asked pie, drawn bar"]),
        (truth(columns=["region", "revenue_usd"]), BARS, ["not shown: revenue_usd"]),
        (truth(log_y=True), BARS, ["y axis not log"]),
        (truth(panels=True), BARS, ["one panel, several asked"]),
        (
            truth(sorted=True),
            {**BARS, "panels": [{**BARS["panels"][0], "order": "unsorted"}]},
            ["not sorted"],
        ),
        (truth(columns=["Region"]), BARS, []),  # an axis label, ignoring case
    ],
)
def test_differences(asked, facts, missing):
    assert differences(asked, facts) == missing


def record(ok: bool, facts, error_type=None):
    attempt = {"ok": ok, "drew": facts is not None, "error_type": error_type, "facts": facts}
    return {"id": 1, "ok": ok, "truth": truth(), "attempts": [attempt]}


def test_a_task_passes_only_when_the_product_passed_it_and_the_annotation_agrees():
    assert judged(record(True, BARS)) == (True, [])
    assert judged(record(False, BARS, "Mismatch")) == (False, ["the product itself did not pass it"])
    assert judged(record(False, None, "KeyError")) == (False, ["no figure"])
    assert judged({"id": 2, "ok": True, "attempts": []}) is None  # not annotated: not judged
