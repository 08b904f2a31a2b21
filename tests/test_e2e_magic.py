"""End to end: %%viscode in a real ipykernel with the real default model (llama.cpp, CPU)."""

import pytest

from .kernel import errors, mime_outputs, texts

pytestmark = pytest.mark.e2e

FRAME = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
sales = pd.DataFrame({"region": ["North", "South", "West", "East"] * 3,
                      "month": np.repeat([1, 2, 3], 4),
                      "revenue": rng.integers(100, 900, 12)})
_saved = sales.copy(deep=True)
"""


@pytest.fixture(scope="module")
def k(kernel):
    kernel.run(FRAME)
    return kernel


def test_request_draws_a_figure_and_keeps_the_frame(k):
    outputs = k.run("%%viscode sales --seed 0 --rounds 3\nbar chart of total revenue per region")
    assert not errors(outputs), texts(outputs)
    assert mime_outputs(outputs, "image/png"), texts(outputs)
    assert "viscode: attempt" not in texts(outputs)  # the status line was replaced by the figure
    assert k.value("_viscode.ok") is True
    assert k.value("sales.equals(_saved)") is True
    assert k.value("_viscode.code is not None and 'sales' in _viscode.code or 'df' in _viscode.code")
    bundle = mime_outputs(outputs, "application/vnd.viscoder.run+json")[0]
    assert bundle["ok"] and bundle["final_code"] == k.value("_viscode.code")


def test_fix_patches_a_misspelled_column_without_the_model_and_shows_the_failed_attempt(k):
    outputs = k.run(
        "%%viscode sales --fix --seed 0 -o fixed\n"
        "import matplotlib.pyplot as plt\n"
        "plt.bar(sales['regoin'], sales['revenue'])\n"
    )
    assert not errors(outputs), texts(outputs)
    attempts = k.value("[(a.kind, a.error_type, a.ok) for a in fixed.attempts]")
    assert attempts == [["user", "KeyError", False], ["patch", None, True]]
    assert k.value("fixed.model") == "no model call"
    shown = texts(outputs) + "".join(mime_outputs(outputs, "text/html"))
    assert (
        "KeyError" in shown and "regoin" in shown and "column 'regoin' does not exist; used 'region'" in shown
    )
    assert mime_outputs(outputs, "image/png")
    assert k.value("sales.equals(_saved)") is True


def test_a_patch_that_fixes_one_error_hands_the_next_to_the_model(k):
    outputs = k.run(
        "%%viscode sales --fix --seed 0 -o both\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot(sales['month'], sales['revenue'], colour='red')\n"
        "plt.titel('Revenue per month')\n"
    )
    assert not errors(outputs), texts(outputs)
    attempts = k.value("[(a.kind, a.error_type) for a in both.attempts]")
    assert attempts[:2] == [["user", "AttributeError"], ["patch", "AttributeError"]], attempts
    assert attempts[2][0] == "repair" and attempts[-1] == ["repair", None], (attempts, k.value("both.code"))
    assert k.value("'colour' not in both.attempts[1].code and 'titel' in both.attempts[1].code") is True
    assert k.value("both.ok and both.model.startswith('llama.cpp')") is True  # the model repaired the rest
    assert mime_outputs(outputs, "image/png")


def test_rounds_zero_calls_the_model_exactly_once(k):
    k.run(
        "import viscoder_magic.backends.llama as _L\n"
        "_calls = []\n"
        "_orig = _L.LlamaCppBackend.generate\n"
        "def _counting(self, *a, **kw):\n"
        "    _calls.append(1)\n"
        "    return _orig(self, *a, **kw)\n"
        "_L.LlamaCppBackend.generate = _counting\n"
    )
    try:
        outputs = k.run(
            "%%viscode sales --rounds 0 --seed 1 --max-tokens 200\n"
            "a violin plot of revenue by region with a regression line per month"
        )
        assert not errors(outputs), texts(outputs)
        assert k.value("len(_calls)") == 1
        kinds = k.value("[a.kind for a in _viscode.attempts]")  # patches of the same round call no model
        assert kinds[0] == "generate" and all(kind == "patch" for kind in kinds[1:]), kinds
    finally:
        k.run("_L.LlamaCppBackend.generate = _orig")


def test_a_repair_reply_still_being_written_when_the_budget_ends_is_cut(k):
    # Round 0 is the user's program (no model, well under a second); a repair reply takes the model
    # several seconds on a CPU (its prompt, then some 50 tokens or more), so the budget ends mid-reply.
    outputs = k.run(
        "%%viscode sales --fix --seed 0 --budget 1.5 -o cut\n"
        "import matplotlib.pyplot as plt\n"
        "raise RuntimeError('draw revenue per region as bars')\n"
    )
    assert not errors(outputs), texts(outputs)
    kinds = k.value("[a.kind for a in cut.attempts]")
    assert kinds[:2] == ["user", "repair"] and "repair" not in kinds[2:], kinds
    assert "spent while the model was writing" in k.value("cut.stopped")
    assert "--budget" in texts(outputs) + "".join(mime_outputs(outputs, "text/html"))
    assert k.value("sales.equals(_saved)") is True


def test_model_is_loaded_once_per_kernel(k):
    # other modules' tests may load other backends into this shared kernel; the default model loads once
    specs = k.value(
        "[(s.kind, s.model) for s in __import__('viscoder_magic.backends.registry', "
        "fromlist=['x']).loaded_backends()]"
    )
    assert specs.count(["llama", "default"]) == 1


def test_a_figure_that_is_not_the_goal_is_repaired_through_a_mismatch_turn(k):
    """The user's code draws bars; the goal asks for a pie; the real model repairs the mismatch."""
    k.run(
        "shares = pd.DataFrame({'region': ['North', 'South', 'East', 'West'], 'revenue': [40, 25, 20, 15]})"
    )
    outputs = k.run(
        '%%viscode shares --fix --goal "pie chart of revenue per region" --seed 0\n'
        "import matplotlib.pyplot as plt\nplt.bar(shares['region'], shares['revenue'])"
    )
    assert not errors(outputs), outputs
    attempts = k.value("[(a.kind, a.error_type) for a in _viscode.attempts]")
    assert attempts[0] == ["user", "Mismatch"], attempts
    assert "pie chart was asked" in k.value("_viscode.attempts[0].error")
    assert attempts[1][0] in ("repair", "patch"), attempts
    assert k.value("_viscode.ok") is True, texts(outputs)
    assert k.value("list(_viscode.facts.kinds)") == ["pie"]
    assert "figure: pie chart" in texts(outputs)


def test_code_that_replaces_the_frame_with_made_up_rows_plots_the_real_one_and_says_so(k):
    outputs = k.run(
        "%%viscode sales --fix --seed 0 -o rebuilt\n"
        "import pandas as pd\nimport matplotlib.pyplot as plt\n"
        "sales = pd.DataFrame({'region': ['A', 'B'], 'revenue': [1, 2]})\n"
        "plt.bar(sales['region'], sales['revenue'])\n"
    )
    assert not errors(outputs), texts(outputs)
    assert k.value("[(a.kind, a.ok) for a in rebuilt.attempts]") == [["user", True]]
    assert k.value("rebuilt.attempts[0].note").startswith("removed `sales = pd.DataFrame(")
    assert "pd.DataFrame" not in k.value("rebuilt.code")
    shown = texts(outputs) + "".join(mime_outputs(outputs, "text/html"))
    assert "changed by rule, without the model" in shown.lower() and "plots your `sales`" in shown
    assert k.value("rebuilt.facts.panels[0].marks") == 12  # one bar per real row, not the two made up
    assert k.value("sales.equals(_saved)") is True


def test_a_call_naming_a_wide_frames_long_columns_is_given_its_long_form(k):
    k.run(
        "columns = pd.MultiIndex.from_product([['ACME', 'GLOBEX'], ['price', 'return']],\n"
        "                                     names=['ticker', 'metric'])\n"
        "returns = pd.DataFrame(rng.normal(size=(8, 4)), columns=columns,\n"
        "                       index=pd.date_range('2024-01-05', periods=8, freq='W-FRI', name='week'))\n"
        "_returns_saved = returns.copy(deep=True)"
    )
    outputs = k.run(
        "%%viscode returns --fix --lib seaborn --seed 0 -o wide\n"
        "import seaborn as sns\nimport matplotlib.pyplot as plt\n"
        "sns.boxplot(data=returns, x='ticker', y='return')\n"
    )
    assert not errors(outputs), texts(outputs)
    assert k.value("[(a.kind, a.ok) for a in wide.attempts]") == [["user", False], ["patch", True]]
    assert "returns.stack(level='ticker').reset_index()" in k.value("wide.code")
    assert k.value("wide.model") == "no model call"
    assert k.value("list(wide.facts.kinds)") == ["box"]
    assert k.value("wide.facts.panels[0].marks") == 2  # one box per ticker
    assert k.value("returns.equals(_returns_saved)") is True


def test_a_figure_left_unsorted_is_never_passed_as_the_sorted_bars_asked(k):
    """The checklist asks for sorted bars; whatever the model draws, an unsorted figure is not a pass.

    Before bars drawn twice over each other were read as one series, this request passed with
    two overlapping unsorted bar series (an order the check could not read).
    """
    outputs = k.run(
        "%%viscode sales --seed 0 --rounds 3 -o ranked\ntotal revenue per region as bars, largest first"
    )
    assert not errors(outputs), texts(outputs)
    assert k.value("list(ranked.facts.kinds)") == ["bar"]
    if k.value("ranked.ok"):
        assert k.value("ranked.facts.panels[0].order") == "descending", k.value("ranked.code")
    else:
        assert "bars are not sorted" in texts(outputs) and "not what was asked" in texts(outputs)
    assert k.value("sales.equals(_saved)") is True


def test_a_line_per_group_of_a_wide_frame_is_drawn_from_its_columns(k):
    """One column per economy over a named index: the checklist tells matplotlib to draw each column.

    Told only the long form, the model plotted a 'value' column the wide frame does not have.
    """
    k.run(
        "growth = pd.DataFrame(rng.normal(0.5, 0.3, size=(12, 4)),\n"
        "                      columns=['United States', 'Euro area', 'Japan', 'Canada'],\n"
        "                      index=pd.period_range('2022Q1', periods=12, freq='Q').astype(str))\n"
        "growth.index.name = 'quarter'\n"
        "_growth_saved = growth.copy(deep=True)"
    )
    outputs = k.run(
        "%%viscode growth --seed 0 --rounds 3 -o per_economy\nGDP growth over time for each economy"
    )
    assert not errors(outputs), texts(outputs)
    assert k.value("per_economy.ok") is True, texts(outputs)
    assert k.value("list(per_economy.facts.kinds)") == ["line"], k.value("per_economy.code")
    assert k.value("per_economy.facts.panels[0].series") == 4, k.value("per_economy.code")  # one per economy
    assert k.value("growth.equals(_growth_saved)") is True
