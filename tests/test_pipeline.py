import pandas as pd
import pytest

from viscoder_magic import guard
from viscoder_magic.backends.fake import ScriptedBackend
from viscoder_magic.patches import MAX_PATCHES
from viscoder_magic.pipeline import ABLATIONS, run_request
from viscoder_magic.request import VisCodeRequest

GOOD = "```python\nimport matplotlib.pyplot as plt\nplt.bar(sales['region'], sales['revenue'])\n```"
RUNTIME_BAD = "```python\nimport matplotlib.pyplot as plt\nplt.bars(sales['region'], sales['revenue'])\n```"
PRECHECK_BAD = "```python\nimport matplotlib.pyplot as plt\nplt.bar(df['Regions'], df['revenue'])\n```"


def _run(replies, ablate=(), text="revenue per region", **kw):
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    backend = ScriptedBackend(replies)
    request = VisCodeRequest(text=text, frames=("sales",), **kw)
    result = run_request(
        request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy(), ablate=ablate
    )
    return result, backend


def test_first_attempt_success():
    result, backend = _run([GOOD])
    assert result.ok and len(result.attempts) == 1 and len(backend.calls) == 1
    assert result.code.endswith("plt.bar(sales['region'], sales['revenue'])")


def test_repair_feeds_back_the_error_and_a_hint():
    result, backend = _run([RUNTIME_BAD, GOOD])
    assert result.ok and [a.kind for a in result.attempts] == ["generate", "repair"]
    repair_turn = backend.calls[1][-1]["content"]
    assert repair_turn.startswith("The above code failed with the following error:")
    assert "bars" in repair_turn
    assert backend.params[1].temperature > 0


def test_precheck_failure_repairs_without_running():
    result, backend = _run([PRECHECK_BAD, GOOD])
    assert result.attempts[0].error_type == "PrecheckError"
    assert result.attempts[0].seconds == 0.0
    assert "closest is 'region'" in backend.calls[1][-1]["content"]


def test_rounds_zero_calls_the_model_once():
    result, backend = _run([RUNTIME_BAD, GOOD], rounds=0)
    assert not result.ok and len(backend.calls) == 1 and len(result.attempts) == 1


def test_resubmitted_program_is_resampled_not_rerun():
    result, backend = _run([RUNTIME_BAD, RUNTIME_BAD, GOOD], rounds=1)
    assert result.ok
    assert len(backend.calls) == 3 and len(result.attempts) == 2
    assert [a.resubmitted for a in result.attempts] == [0, 1]  # the model's habit is counted, not hidden
    assert backend.params[2].temperature >= backend.params[1].temperature


def test_fix_runs_user_code_first_then_repairs():
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    backend = ScriptedBackend([GOOD])
    request = VisCodeRequest(text="plt.bar(sales['area'], sales['revenue'])", frames=("sales",), fix=True)
    result = run_request(request, {"sales": frame}, {}, backend)
    assert [a.kind for a in result.attempts] == ["user", "repair"]
    assert result.attempts[0].error_type == "KeyError"
    assert result.ok


def test_interrupt_returns_partial_result():
    class Interrupting(ScriptedBackend):
        def generate(self, *a, **k):
            raise KeyboardInterrupt

    frame = pd.DataFrame({"a": [1]})
    result = run_request(VisCodeRequest(text="x", frames=("df",)), {"df": frame}, {}, Interrupting([]))
    assert result.interrupted and not result.ok


def test_budget_stop_is_explained():
    result, backend = _run([RUNTIME_BAD, GOOD], rounds=2, budget=0.0)
    assert len(result.attempts) == 1 and len(backend.calls) == 1
    assert "time budget of 0 s was spent, so 2 repair round(s) were skipped" in result.stopped
    assert (
        backend.params[0].deadline is None
    )  # the first reply is never cut: without it there is nothing to show


def test_a_repair_reply_that_outlasts_the_budget_is_cut_and_run_as_far_as_it_went():
    long_fix = GOOD.replace("```python\n", "```python\n# " + "more " * 500 + "\n")
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    backend = ScriptedBackend([RUNTIME_BAD, long_fix], seconds_per_word=0.01)
    request = VisCodeRequest(text="revenue per region", frames=("sales",), rounds=3, budget=1.0)
    result = run_request(request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy())
    first, repair = backend.params
    assert first.deadline is None and repair.deadline is not None
    assert [a.kind for a in result.attempts] == ["generate", "repair"] and len(backend.calls) == 2
    assert (
        not result.ok and "plt.bar" not in result.attempts[1].code
    )  # cut inside the comment, before the fix
    assert (
        "time budget of 1 s was spent while the model was writing (its reply was run as far as it "
        "went), so 2 repair round(s) were skipped"
    ) in result.stopped


def test_a_repair_reply_that_ends_in_time_is_kept_whole():
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    backend = ScriptedBackend([RUNTIME_BAD, GOOD], seconds_per_word=0.01)
    request = VisCodeRequest(text="revenue per region", frames=("sales",), rounds=3, budget=60.0)
    result = run_request(request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy())
    assert result.ok and not result.stopped and backend.params[1].deadline is not None


def test_user_code_only_names_no_model():
    frame = pd.DataFrame({"region": ["a"], "revenue": [1]})
    request = VisCodeRequest(
        text="import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])", frames=("df",), fix=True
    )
    result = run_request(request, {"df": frame}, {}, ScriptedBackend([]))
    assert result.ok and result.model == "no model call"


def test_resample_after_a_repeat_uses_a_narrowed_chat_then_starts_over():
    result, backend = _run([RUNTIME_BAD, RUNTIME_BAD, RUNTIME_BAD, GOOD], rounds=1)
    assert len(backend.calls[2]) == 4
    assert "repeated this failing program" in backend.calls[2][-1]["content"]
    assert backend.calls[3] == backend.calls[0]  # the request alone: no failing program to copy
    assert (
        result.ok and backend.params[3].temperature > 0 and backend.params[3].seed != backend.params[0].seed
    )


def test_candidates_first_passing_wins_within_one_round():
    result, backend = _run([RUNTIME_BAD, RUNTIME_BAD, GOOD], rounds=0, candidates=3)
    assert result.ok and len(result.attempts) == 1
    assert len(backend.calls) == 3
    assert backend.params[1].temperature > 0 and backend.params[1].seed != backend.params[2].seed
    assert result.attempts[0].candidates == 3


def test_candidates_stop_at_the_first_success():
    result, backend = _run([GOOD, RUNTIME_BAD], rounds=0, candidates=2)
    assert result.ok and len(backend.calls) == 1


def test_failed_candidates_feed_the_first_failure_to_repair():
    result, backend = _run([RUNTIME_BAD, PRECHECK_BAD, GOOD], rounds=1, candidates=2)
    assert result.ok and [a.kind for a in result.attempts] == ["generate", "repair"]
    assert "bars" in backend.calls[2][-1]["content"]


def test_resubmission_differing_only_in_added_imports_is_resampled():
    # The check adds `import matplotlib.pyplot as plt`; the raw texts differ, the programs do not.
    bare = RUNTIME_BAD.replace("import matplotlib.pyplot as plt\n", "")
    result, backend = _run([RUNTIME_BAD, bare, GOOD], rounds=1)
    assert result.ok and len(backend.calls) == 3
    assert "repeated this failing program" in backend.calls[2][-1]["content"]
    assert [a.error_type for a in result.attempts] == ["AttributeError", None]


def test_plain_loop_ablation_is_the_papers_self_debug():
    plain = ABLATIONS
    result, backend = _run([PRECHECK_BAD, PRECHECK_BAD, GOOD], rounds=2, ablate=plain)
    assert [a.error_type for a in result.attempts] == ["KeyError", "KeyError", None]  # run, not refused
    assert all(p.temperature == 0 for p in backend.params)
    assert "Hint:" not in backend.calls[1][-1]["content"] and len(backend.calls) == 3


def test_the_first_prompt_lists_what_the_request_asks_unless_ablated():
    _, backend = _run([GOOD], text="revenue per region as a bar chart")
    assert "4. Checklist for the figure: draw a bar chart (`plt.bar`)" in backend.calls[0][-1]["content"]
    _, ablated = _run([GOOD], text="revenue per region as a bar chart", ablate=("checklist",))
    assert "Checklist" not in ablated.calls[0][-1]["content"]


def test_each_ablation_switches_off_only_its_part():
    _, with_hints = _run([RUNTIME_BAD, GOOD], rounds=1, ablate=("resample", "precheck"))
    assert "Hint:" in with_hints.calls[1][-1]["content"]
    result, _ = _run([PRECHECK_BAD, GOOD], rounds=1, ablate=("hints", "resample"))
    assert result.attempts[0].error_type == "PrecheckError"


def test_a_model_that_stops_answering_after_the_first_attempt_keeps_that_attempt():
    from viscoder_magic.errors import VisCodeError

    class Overflowing(ScriptedBackend):
        def generate(self, messages, params, on_token=None):
            if len(messages) > 2 or not self.replies:
                raise VisCodeError("The request does not fit the model's context.")
            return super().generate(messages, params, on_token)

    frame = pd.DataFrame({"region": ["a"], "revenue": [1]})
    request = VisCodeRequest(text="x", frames=("sales",), rounds=2)
    result = run_request(request, {"sales": frame}, {"sales": frame}, Overflowing([RUNTIME_BAD]))
    assert len(result.attempts) == 1 and not result.ok
    assert "could not be asked again" in result.stopped and "context" in result.stopped
    with pytest.raises(VisCodeError):  # nothing ran: the magic shows the error itself
        run_request(request, {"sales": frame}, {"sales": frame}, Overflowing([]))


PATCHABLE = (
    "```python\nimport matplotlib.pyplot as plt\nplt.bar(sales['region'], sales['revenue'], colour='r')\n```"
)


def test_a_rule_fixable_error_is_patched_without_asking_the_model():
    result, backend = _run([PATCHABLE, GOOD], rounds=1)
    assert [a.kind for a in result.attempts] == ["generate", "patch"] and result.ok
    assert len(backend.calls) == 1  # the fix cost no model call
    patch = result.attempts[1]
    assert patch.index == 0 and "colour" in patch.note and "colour" not in patch.code
    assert "plt.bar(sales['region'], sales['revenue'])" in patch.code


def test_patches_chain_and_a_failing_patch_is_what_the_repair_turn_discusses():
    slips = "".join(
        f"plt.{f}('t', {k}=1)\n"
        for f, k in [
            ("title", "shade"),
            ("xlabel", "regoin"),
            ("ylabel", "glow"),
            ("suptitle", "hue"),
            ("figtext", "tint"),
        ]
    )
    two_bad = PATCHABLE.replace("\n```", f"\n{slips}```").replace("figtext('t'", "figtext(0.5, 0.5, 't'")
    result, backend = _run([two_bad, GOOD], rounds=1)
    kinds = [a.kind for a in result.attempts]
    assert kinds == ["generate"] + ["patch"] * MAX_PATCHES + ["repair"], kinds  # then the model
    last_patch = result.attempts[MAX_PATCHES]
    assert not last_patch.ok and "hue" not in last_patch.code and "tint" in last_patch.code
    answer_discussed = backend.calls[1][-2]["content"]
    assert answer_discussed == f"```python\n{last_patch.code}\n```"


def test_user_code_is_patched_before_the_model_is_asked():
    frame = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
    backend = ScriptedBackend([GOOD])
    request = VisCodeRequest(text="plt.bar(sales['Region'], sales['revenue'])", frames=("sales",), fix=True)
    result = run_request(request, {"sales": frame}, {}, backend)
    assert [a.kind for a in result.attempts] == ["user", "patch"] and result.ok
    assert "sales['region']" in result.code and not backend.calls and result.model == "no model call"


def test_patch_ablation_leaves_the_fix_to_the_model():
    result, backend = _run([PATCHABLE, GOOD], rounds=1, ablate=("patch",))
    assert [a.kind for a in result.attempts] == ["generate", "repair"] and len(backend.calls) == 2


def test_a_reply_cut_off_by_the_token_limit_runs_its_complete_statements():
    cut = (
        "```python\nimport matplotlib.pyplot as plt\nplt.bar(sales['region'], sales['revenue'])\n"
        "plt.title('Revenue')\nplt.legend(title='a', title='a', title='a',"
    )
    result, backend = _run([cut, GOOD], rounds=1)
    assert [(a.kind, a.error_type) for a in result.attempts] == [
        ("generate", "PrecheckError"),
        ("patch", None),
    ]
    assert result.code.endswith("plt.title('Revenue')\nplt.legend(title='a')\n") and len(backend.calls) == 1


def test_an_unknown_column_one_slip_away_is_renamed_without_a_run_or_a_model_call():
    slip = "```python\nimport matplotlib.pyplot as plt\nplt.bar(sales['Region'], sales['revenue'])\n```"
    result, backend = _run([slip, GOOD], rounds=1)
    assert [(a.kind, a.error_type) for a in result.attempts] == [
        ("generate", "PrecheckError"),
        ("patch", None),
    ]
    assert "sales['region']" in result.code and len(backend.calls) == 1


def test_a_hint_or_patch_that_fails_does_not_end_the_run(monkeypatch, caplog):
    import viscoder_magic.pipeline as pipeline

    def broken(*args, **kwargs):
        raise ValueError("Empty module name")

    monkeypatch.setattr(pipeline, "grounded_hint", broken)
    monkeypatch.setattr(pipeline, "patched", broken)
    result, _ = _run([RUNTIME_BAD, GOOD])
    assert result.ok and [a.kind for a in result.attempts] == ["generate", "repair"]
    assert result.attempts[0].hint == ""
    assert "the hint for AttributeError failed" in caplog.text and "a patch rule failed" in caplog.text


def test_a_program_in_a_forbidden_library_is_answered_with_how_the_asked_one_draws():
    plotly = (
        "```python\nimport plotly.express as px\nfig = px.bar(sales, x='region', y='revenue')\n"
        "fig.show()\n```"
    )
    result, backend = _run([GOOD, plotly], lib="plotly")
    assert result.ok and result.attempts[0].error_type == "PrecheckError"
    repair_turn = backend.calls[1][-1]["content"]
    assert "but the code imports matplotlib; use only plotly" in repair_turn
    assert "Hint: Use plotly (import plotly.express as px" in repair_turn
    _, unhinted = _run([GOOD, plotly], lib="plotly", ablate=("hints",))
    assert "Hint:" not in unhinted.calls[1][-1]["content"]


PIE = "```python\nimport matplotlib.pyplot as plt\nplt.pie(sales['revenue'], labels=sales['region'])\n```"


def _asked(text: str, replies: list[str], ablate=(), **kw):
    frame = pd.DataFrame({"region": ["north", "south", "east"], "revenue": [5, 2, 9]})
    backend = ScriptedBackend(replies)
    request = VisCodeRequest(text=text, frames=("sales",), **kw)
    return (
        run_request(
            request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy(), ablate=ablate
        ),
        backend,
    )


def test_a_figure_of_another_kind_is_a_mismatch_the_loop_repairs():
    result, backend = _asked("pie chart of revenue per region", [GOOD, PIE])
    assert [a.error_type for a in result.attempts] == ["Mismatch", None]
    assert result.attempts[0].drew and not result.attempts[0].ok
    repair_turn = backend.calls[1][-1]["content"]
    assert "pie chart was asked" in repair_turn and "bars" in repair_turn
    assert "what the request asks: pie chart of revenue per region." in repair_turn  # the request again
    assert result.ok and result.facts is not None and result.facts.kinds == ("pie",)


def test_a_figure_that_answers_the_request_passes_with_its_facts():
    result, backend = _asked("bar chart of revenue per region", [GOOD])
    assert result.ok and len(backend.calls) == 1
    assert result.facts.kinds == ("bar",) and "revenue" in result.facts.columns
    assert result.attempts[0].to_json()["facts"]["line"]


def test_a_mismatch_left_at_the_end_keeps_its_figure_unpassed():
    result, _ = _asked("pie chart of revenue per region", [GOOD], rounds=0)
    assert not result.ok and result.code is None
    assert result.drawn is result.attempts[0] and result.facts.kinds == ("bar",)


def test_the_mismatch_check_can_be_switched_off_for_a_benchmark():
    result, _ = _asked("pie chart of revenue per region", [GOOD], ablate=("mismatch",))
    assert result.ok and result.attempts[0].error_type is None


def test_fix_with_a_goal_repairs_user_code_that_draws_something_else():
    frame = pd.DataFrame({"region": ["north", "south", "east"], "revenue": [5, 2, 9]})
    backend = ScriptedBackend([PIE])
    request = VisCodeRequest(
        text="import matplotlib.pyplot as plt\nplt.bar(sales['region'], sales['revenue'])",
        frames=("sales",),
        fix=True,
        goal="pie chart of revenue per region",
    )
    result = run_request(request, {"sales": frame}, {"sales": frame}, backend, policy=guard.Policy())
    assert [(a.kind, a.error_type) for a in result.attempts] == [("user", "Mismatch"), ("repair", None)]
    assert "The figure should show: pie chart of revenue per region" in backend.calls[0][1]["content"]
    assert result.ok and result.facts.kinds == ("pie",)


def test_a_program_that_replaces_the_users_frame_runs_on_the_real_one_and_says_so():
    rebuilt = (
        "```python\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
        "sales = pd.DataFrame({'region': ['x'], 'revenue': [9]})\n"
        "plt.bar(sales['region'], sales['revenue'])\n```"
    )
    result, _ = _run([rebuilt])
    attempt = result.attempts[0]
    assert result.ok and attempt.kind == "generate" and "pd.DataFrame" not in result.code
    assert attempt.note.startswith("removed `sales = pd.DataFrame(") and "plots your `sales`" in attempt.note
    panel = attempt.facts.panels[0]  # two bars read from the real frame, not the one made-up row
    assert panel.marks == 2 and panel.columns == ("region", "revenue")
