"""Syntax patches: programs cut off mid-statement, repeated, requoted, or a retyped frame that does not parse."""

from __future__ import annotations

import ast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from viscoder_magic.patches import patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


def test_unparsable_or_unknown_errors_give_no_patch():
    assert patched("plt.plot(", "SyntaxError", "x", 1, NS, FRAMES) is None
    assert patched("plt.plot([1])\n", "ValueError", "x and y must have same first dimension", 1, NS, FRAMES) is None


def test_a_program_cut_off_mid_statement_keeps_its_complete_statements():
    code = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(df['region'], df['revenue'])\n"
            "ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9, title_fontsize=9, title_fontsize=9, ti")
    fix = patched(code, "PrecheckError", "SyntaxError on line 5: '(' was never closed: 'ax.legend('", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9)\n")
    unclosable = code.replace("ax.legend(title='x',", "ax.legend(title='x' 9,")  # invalid even when closed
    fix = patched(unclosable, "PrecheckError", "SyntaxError on line 5: '(' was never closed", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("ax.set_title('Revenue')\n") and "after line 4" in fix.note
    early = "import matplotlib.pyplot as plt\nplt.bar(df['region'],\nx = 1\ny = 2\nz = 3\nplt.show()\n"
    assert patched(early, "PrecheckError", "SyntaxError on line 2: '(' was never closed", None, {}, FRAMES) is None
    other = "import matplotlib.pyplot as plt\nplt.plot([1]) +\nplt.title('t')\n"  # mid-program: not a cut reply
    assert patched(other, "PrecheckError", "SyntaxError on line 2: invalid syntax", None, {}, FRAMES) is None


def test_a_call_cut_off_in_a_repetition_loop_is_closed_with_its_arguments():
    loop = "    grid=False,\n    legend=False,\n" * 20
    code = ("import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\nplt.gca().set(\n"
            "    title='Revenue',\n    xlabel='Region',\n" + loop + "    leg")
    fix = patched(code, "PrecheckError", "SyntaxError on line 3: '(' was never closed: 'plt.gca().set('", None, {},
                  FRAMES)
    assert fix is not None and fix.code.endswith("    xlabel='Region',\n    grid=False,\n    legend=False)\n")
    assert "closed the unfinished `plt.gca().set(`" in fix.note and "dropping repeated arguments" in fix.note
    ast.parse(fix.code)
    inside = "import matplotlib.pyplot as plt\nplt.plot([1])\nplt.title('Reve"  # cut inside a string: dropped
    fix = patched(inside, "PrecheckError", "SyntaxError on line 3: unterminated string literal", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("plt.plot([1])\n") and "dropped the unfinished one" in fix.note


def test_a_reply_cut_after_a_repeated_line_keeps_one_copy():
    line = "plt.gca().set_title('Revenue')\n"
    code = "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\n" + line * 3 + "axs[0, 0]."
    fix = patched(code, "PrecheckError", "SyntaxError on line 6: invalid syntax: 'axs[0, 0].'", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("df['revenue'])\n" + line) and "2 repeated lines" in fix.note
    middle = "import matplotlib.pyplot as plt\nplt.bar(df['region'] df['revenue'])\nplt.title('t')\n"
    assert patched(middle, "PrecheckError", "SyntaxError on line 2: invalid syntax", None, {}, FRAMES) is None


def test_a_frame_retyped_from_its_preview_that_does_not_parse_is_dropped():
    code = ("import matplotlib.pyplot as plt\nimport pandas as pd\ndf = pd.DataFrame({\n"
            "    'region': ['a', 'b' (+16 more)],\n    'revenue': [1, 2]\n})\n"
            "plt.bar(df['region'], df['revenue'])\n")
    message = "SyntaxError on line 4: invalid syntax. Perhaps you forgot a comma?"
    fix = patched(code, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "DataFrame" not in fix.code and "plt.bar(df['region'], df['revenue'])" in fix.code
    assert "uses the loaded df" in fix.note
    assert patched(code.replace("df = pd", "other = pd"), "PrecheckError", message, None, {}, FRAMES) is None
    unclosed = code.replace("'b' (+16 more)],", "'b' (+16 more),")  # the list is never closed: ends at ``})``
    message = "SyntaxError on line 6: closing parenthesis '}' does not match opening parenthesis '['"
    fix = patched(unclosed, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "DataFrame" not in fix.code and "lines 3-6 retyped df" in fix.note


def test_a_call_cut_inside_a_string_is_closed_before_that_argument():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.gca().set(\n    title='Revenue',\n"
            "    xlabel='Reg")
    fix = patched(code, "PrecheckError", "SyntaxError on line 5: unterminated string literal", None, {}, FRAMES)
    assert fix is not None and fix.code.endswith("plt.gca().set(\n    title='Revenue')\n")


def test_quotes_inside_a_quoted_string_are_requoted():
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
            "plt.title('Contour Plots with 'extend' Feature')\nplt.xlabel('x')\n")
    message = "SyntaxError on line 3: invalid syntax. Perhaps you forgot a comma?"
    fix = patched(code, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "plt.title(\"Contour Plots with 'extend' Feature\")" in fix.code
    assert fix.code.endswith("plt.xlabel('x')\n") and "double quotes" in fix.note

