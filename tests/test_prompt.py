import pandas as pd

from viscoder_magic.describe import describe_frame
from viscoder_magic.prompt import first_messages, fix_messages, repair_messages


def _desc():
    return [describe_frame("sales", pd.DataFrame({"region": ["a"], "revenue": [1]}))]


def test_first_turn_has_system_and_five_part_user_prompt():
    messages = first_messages("revenue per region", "seaborn", _desc())
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[0]["content"].startswith(
        "You are a helpful programming assistant proficient in python, seaborn and pandas dataframes."
    )
    user = messages[1]["content"]
    assert "1. Setup." in user and "import seaborn as sns" in user
    assert "already loaded in memory as `sales`" in user and "also available as `df`" in user
    assert "DO NOT read any file" in user
    assert user.rstrip().endswith("3. Plot description: revenue per region")


def test_a_checklist_is_the_fourth_part_and_only_when_given():
    listed = first_messages(
        "revenue per region", "seaborn", _desc(), "4. Checklist for the figure: draw bars."
    )
    assert listed[1]["content"].endswith(
        "3. Plot description: revenue per region\n4. Checklist for the figure: draw bars."
    )
    plain = first_messages("revenue per region", "seaborn", _desc(), "")
    assert plain == first_messages("revenue per region", "seaborn", _desc())


def test_fix_turn_puts_user_code_as_the_answer():
    messages = fix_messages("plt.bar(x)", "matplotlib", _desc())
    assert messages[-1] == {"role": "assistant", "content": "```python\nplt.bar(x)\n```"}


def test_repair_turn_is_the_viscoder_self_debug_format():
    history = first_messages("x", "matplotlib", _desc())
    messages = repair_messages(history, "bad()", "NameError: bad", hint="use good()")
    assert messages[-2] == {"role": "assistant", "content": "```python\nbad()\n```"}
    assert messages[-1]["content"] == (
        "The above code failed with the following error:\nNameError: bad\nHint: use good()\n"
        "Please provide a corrected version enclosed in ```python ... ```."
    )


def test_fitted_drops_the_oldest_failed_exchanges_first():
    from viscoder_magic.prompt import fitted

    head = [{"role": "system", "content": "s"}, {"role": "user", "content": "request"}]
    turns = []
    for i in range(3):
        turns += [
            {"role": "assistant", "content": f"code{i} " + "x" * 3000},
            {"role": "user", "content": f"error{i}"},
        ]
    chat = head + turns
    assert fitted(chat, None, 1024) == chat  # no declared context: unchanged
    assert fitted(chat, 8192, 1024) == chat  # fits
    cut = fitted(chat, 3100, 1024)  # room for 6,228 characters: the last two exchanges (6,032)
    assert cut[:2] == head and [m["content"][:5] for m in cut[2:]] == ["code1", "error", "code2", "error"]
    assert fitted(chat, 1100, 1024)[2:] == turns[-2:]  # the latest failure always stays


def test_fitted_counts_with_the_backends_tokenizer_when_given_one():
    from viscoder_magic.prompt import fitted

    chat = [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "0.123 " * 900},
        {"role": "assistant", "content": "code"},
        {"role": "user", "content": "error " * 300},
    ]
    assert fitted(chat, 4096, 1024) == chat  # 7,204 characters: fits by the estimate
    per_word = fitted(chat, 4096, 1024, count=lambda text: 3 * len(text.split()))  # 3,626 tokens
    assert per_word[:3] == chat[:3] and per_word[-1]["content"].startswith("…")


def test_fitted_cuts_a_long_traceback_from_the_front():
    from viscoder_magic.prompt import fitted

    chat = [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "r"},
        {"role": "assistant", "content": "code"},
        {"role": "user", "content": "Traceback " + "frame\n" * 2000 + "KeyError: 'x'"},
    ]
    last = fitted(chat, 1500, 1024)[-1]["content"]
    assert last.startswith("…") and last.endswith("KeyError: 'x'") and len(last) < 1500
