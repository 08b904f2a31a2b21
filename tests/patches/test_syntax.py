"""Syntax patches: programs cut off mid-statement, repeated,
requoted, or a retyped frame that does not parse."""

from __future__ import annotations

import ast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from viscoder_magic.patches import patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
FRAMES = {"df": FRAME}
NS = {"plt": plt, "np": np, "df": FRAME}


#: A reply cut off by the token limit in the middle of its last statement.
CUT = (
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(df['region'], df['revenue'])\n"
    "ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9, title_fontsize=9, title_fontsize=9, ti"
)
#: A call cut off while the model repeated its arguments.
LOOP = (
    "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\nplt.gca().set(\n"
    "    title='Revenue',\n    xlabel='Region',\n" + "    grid=False,\n    legend=False,\n" * 20 + "    leg"
)
#: A repeated line, then a cut.
REPEATED = (
    "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['revenue'])\n"
    + "plt.gca().set_title('Revenue')\n" * 3
    + "axs[0, 0]."
)
#: The frame retyped from the preview the prompt showed, which does not parse.
RETYPED = (
    "import matplotlib.pyplot as plt\nimport pandas as pd\ndf = pd.DataFrame({\n"
    "    'region': ['a', 'b' (+16 more)],\n    'revenue': [1, 2]\n})\n"
    "plt.bar(df['region'], df['revenue'])\n"
)
PERHAPS_A_COMMA = "SyntaxError on line 4: invalid syntax. Perhaps you forgot a comma?"


@pytest.mark.parametrize(
    "code, message, ending, notes",
    [
        (
            CUT,
            "SyntaxError on line 5: '(' was never closed: 'ax.legend('",
            "ax.set_title('Revenue')\nax.legend(title='x', title_fontsize=9)\n",
            (),
        ),
        (
            CUT.replace("ax.legend(title='x',", "ax.legend(title='x' 9,"),  # invalid even when closed
            "SyntaxError on line 5: '(' was never closed",
            "ax.set_title('Revenue')\n",
            ("after line 4",),
        ),
        (
            LOOP,
            "SyntaxError on line 3: '(' was never closed: 'plt.gca().set('",
            "    xlabel='Region',\n    grid=False,\n    legend=False)\n",
            ("closed the unfinished `plt.gca().set(`", "dropping repeated arguments"),
        ),
        (
            "import matplotlib.pyplot as plt\nplt.plot([1])\nplt.title('Reve",  # cut inside a string: dropped
            "SyntaxError on line 3: unterminated string literal",
            "plt.plot([1])\n",
            ("dropped the unfinished one",),
        ),
        (
            REPEATED,
            "SyntaxError on line 6: invalid syntax: 'axs[0, 0].'",
            "df['revenue'])\nplt.gca().set_title('Revenue')\n",
            ("2 repeated lines",),
        ),
        (
            "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
            "plt.gca().set(\n    title='Revenue',\n    xlabel='Reg",
            "SyntaxError on line 5: unterminated string literal",
            "plt.gca().set(\n    title='Revenue')\n",
            (),
        ),
        (
            "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
            "plt.title('Contour Plots with 'extend' Feature')\nplt.xlabel('x')\n",
            "SyntaxError on line 3: invalid syntax. Perhaps you forgot a comma?",
            "plt.title(\"Contour Plots with 'extend' Feature\")\nplt.xlabel('x')\n",
            ("double quotes",),
        ),
    ],
)
def test_a_reply_that_does_not_parse_is_patched(code: str, message: str, ending: str, notes: tuple[str, ...]):
    fix = patched(code, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and fix.code.endswith(ending) and all(note in fix.note for note in notes)
    ast.parse(fix.code)


@pytest.mark.parametrize(
    "code, error_type, message, line, namespace",
    [
        ("plt.plot(", "SyntaxError", "x", 1, NS),
        ("plt.plot([1])\n", "ValueError", "x and y must have same first dimension", 1, NS),
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['region'],\nx = 1\ny = 2\nz = 3\nplt.show()\n",
            "PrecheckError",
            "SyntaxError on line 2: '(' was never closed",
            None,
            {},
        ),
        (
            # mid-program: not a cut reply
            "import matplotlib.pyplot as plt\nplt.plot([1]) +\nplt.title('t')\n",
            "PrecheckError",
            "SyntaxError on line 2: invalid syntax",
            None,
            {},
        ),
        (
            "import matplotlib.pyplot as plt\nplt.bar(df['region'] df['revenue'])\nplt.title('t')\n",
            "PrecheckError",
            "SyntaxError on line 2: invalid syntax",
            None,
            {},
        ),
        (
            RETYPED.replace("df = pd", "other = pd"),
            "PrecheckError",
            PERHAPS_A_COMMA,
            None,
            {},
        ),  # no loaded frame's name
    ],
)
def test_a_program_no_syntax_rule_can_mend_is_left_to_the_model(
    code: str, error_type: str, message: str, line: int | None, namespace: dict
):
    assert patched(code, error_type, message, line, namespace, FRAMES) is None


def test_a_frame_retyped_from_its_preview_that_does_not_parse_is_dropped():
    fix = patched(RETYPED, "PrecheckError", PERHAPS_A_COMMA, None, {}, FRAMES)
    assert (
        fix is not None and "DataFrame" not in fix.code and "plt.bar(df['region'], df['revenue'])" in fix.code
    )
    assert "uses the loaded df" in fix.note
    unclosed = RETYPED.replace(
        "'b' (+16 more)],", "'b' (+16 more),"
    )  # the list is never closed: ends at ``})``
    message = "SyntaxError on line 6: closing parenthesis '}' does not match opening parenthesis '['"
    fix = patched(unclosed, "PrecheckError", message, None, {}, FRAMES)
    assert fix is not None and "DataFrame" not in fix.code and "lines 3-6 retyped df" in fix.note
