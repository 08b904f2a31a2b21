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
