"""Pre-check patches: figure objects and dtype names the
program used but never made; calls the guard refuses."""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go

from viscoder_magic.patches import patched

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})


def _precheck(code: str, names: str):
    return patched(
        code, "PrecheckError", f"names used but never defined or imported: {names}", None, {}, {"df": FRAME}
    )


def test_pyplot_figure_and_axes_the_program_never_made_are_the_current_ones():
    code = (
        "import matplotlib.pyplot as plt\n# Plot\n"
        "for i in range(2):\n    ax.bar(df['region'], df['revenue'])\n"
        "fig.suptitle('Revenue')\n"
    )
    fix = _precheck(code, "ax, fig")
    assert fix is not None and fix.code.splitlines()[2] == "ax = plt.gca()"  # before the loop that uses it
    assert "    ax.bar(df['region'], df['revenue'])\nfig = plt.gcf()\nfig.suptitle(" in fix.code
    assert "`ax = plt.gca()`" in fix.note and "`fig = plt.gcf()`" in fix.note
    namespace = {"df": FRAME}
    exec(fix.code, namespace)
    assert namespace["fig"].axes[0].patches and namespace["fig"]._suptitle.get_text() == "Revenue"
    plt.close("all")


def test_a_plotly_figure_the_program_never_made_is_a_new_figure():
    code = "import plotly.express as px\n\nfig.add_bar(x=df['region'], y=df['revenue'])\n"
    fix = _precheck(code, "fig")
    assert (
        fix is not None and "import plotly.graph_objects as go\nfig = go.Figure()\nfig.add_bar(" in fix.code
    )
    namespace = {"df": FRAME}
    exec(fix.code, namespace)
    assert isinstance(namespace["fig"], go.Figure) and len(namespace["fig"].data) == 1


def test_a_bare_dtype_name_is_quoted():
    code = "import pandas as pd\ntypes = {'revenue': int64}\nd = df.astype(types)\n"
    fix = _precheck(code, "int64")
    assert fix is not None and "types = {'revenue': 'int64'}" in fix.code and "'int64'" in fix.note


def test_other_missing_names_are_left_to_the_model():
    code = "import matplotlib.pyplot as plt\nax.bar(df['region'], colors)\n"
    assert _precheck(code, "ax, colors") is None
    assert (
        _precheck("import numpy as np\nx = f + 1\n", "f") is None
    )  # 'f' is a dtype code, but not meant as one
    mixed = "import matplotlib.pyplot as plt\nimport plotly.express as px\nfig.show()\n"
    assert _precheck(mixed, "fig") is None  # which library's figure is unclear


def test_a_definition_the_rewrite_dropped_is_restored_from_the_previous_attempt():
    earlier = (
        "import matplotlib.pyplot as plt\ncolors = ['red', 'blue']\ndef draw(data):\n"
        "    plt.bar(data['region'], data['revenue'], color=colors)\ndraw(df)\n"
    )
    rewrite = "import matplotlib.pyplot as plt\nplt.title('Revenue')\ndraw(df)\n"
    fix = patched(
        rewrite,
        "PrecheckError",
        "names used but never defined or imported: draw",
        None,
        {},
        {"df": FRAME},
        earlier=[earlier],
    )
    assert (
        fix is not None
        and "def draw(data):\n    plt.bar(" in fix.code
        and fix.code.index("def draw") < fix.code.index("draw(df)")
    )
    assert "restored the definition of draw" in fix.note
    assert _precheck(rewrite, "draw") is None  # no earlier program: the model decides


def test_a_plotting_class_never_imported_is_imported_from_where_it_is_defined():
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        "ax.add_patch(Rectangle((0, 0), 1, 1, color='r'))\nax.bar(df['region'], df['revenue'])\n"
    )
    fix = _precheck(code, "Rectangle")
    assert fix is not None and "from matplotlib.patches import Rectangle\nax.add_patch(" in fix.code
    assert fix.note == "Rectangle never defined; imported Rectangle from matplotlib.patches"
    namespace = {"df": FRAME}
    exec(fix.code, namespace)
    assert namespace["ax"].patches
    plt.close("all")
    assert (
        _precheck("x = Frobnicator(1)\n", "Frobnicator") is None
    )  # nowhere in the libraries: the model decides


def test_calls_the_guard_refuses_and_the_figure_does_not_need_are_removed():
    from viscoder_magic.check import check_code

    code = (
        "import os\nimport matplotlib.pyplot as plt\n\ndef draw(df):\n    fig, ax = plt.subplots()\n"
        "    ax.bar(df['region'], df['revenue'])\n    folder = os.path.join(os.getcwd(), 'plots')\n"
        "    if not os.path.exists(folder):\n        os.makedirs(folder)\n"
        "    plt.savefig(os.path.join(folder, 'plot.png'))\n    return fig\n\nfig = draw(df)\n"
    )
    report = check_code(code, "matplotlib", {"df": FRAME})
    fix = patched(report.code, "PrecheckError", "\n".join(report.problems), None, {}, {"df": FRAME})
    assert fix is not None and "os.makedirs(folder)" not in fix.code and "savefig" not in fix.code
    assert "line 9: os.makedirs()" in fix.note and "plt.savefig()" in fix.note
    assert check_code(fix.code, "matplotlib", {"df": FRAME}).problems == ()
    namespace = {"df": FRAME}
    exec(fix.code, namespace)  # the if keeps a body; nothing was written
    assert namespace["fig"].axes[0].patches and not os.path.exists(os.path.join(os.getcwd(), "plots"))
    plt.close("all")
    used = "import matplotlib.pyplot as plt\nf = open('out.txt', 'w')\nf.write('x')\n"  # its result is used
    report = check_code(used, "matplotlib", {"df": FRAME})
    assert patched(report.code, "PrecheckError", "\n".join(report.problems), None, {}, {"df": FRAME}) is None
