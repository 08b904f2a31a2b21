"""The edit primitive: a removed statement leaves no trace, and an import only it used goes with it."""

from __future__ import annotations

import ast

import pandas as pd

from viscoder_magic.check import check_code
from viscoder_magic.patches import patched
from viscoder_magic.patches.edit import replaced, without_unused_imports

from .patching import traces

FRAME = pd.DataFrame({"region": ["a", "b"], "revenue": [1, 2]})
SAVE = "plt.savefig('a.png')"


def _without(code: str, text: str) -> str:
    """``code`` with every statement whose source is ``text`` removed (and checked for traces)."""
    tree = ast.parse(code)
    found = [s for s in ast.walk(tree) if isinstance(s, ast.stmt) and ast.get_source_segment(code, s) == text]
    assert found, text
    fixed = replaced(code, [], found)
    ast.parse(fixed)
    assert not traces(code, fixed), traces(code, fixed)
    return fixed


def test_a_removed_statement_takes_its_line_and_the_comment_that_was_only_about_it():
    code = (
        "import matplotlib.pyplot as plt\n\n# Save the figure\nplt.savefig('a.png')\n\n"
        "# Plot\nplt.bar([1], [2])  # bars\nplt.show()\n"
    )
    assert _without(code, SAVE) == (
        "import matplotlib.pyplot as plt\n\n# Plot\nplt.bar([1], [2])  # bars\nplt.show()\n"
    )
    kept = "# Save and show\nplt.savefig('a.png')\nplt.show()\n"  # about the next line too: it stays
    assert _without(kept, SAVE) == "# Save and show\nplt.show()\n"
    shared = "plt.bar([1], [2]); plt.savefig('a.png')\nplt.savefig('a.png'); plt.show()\n"
    assert _without(shared, SAVE) == "plt.bar([1], [2])\nplt.show()\n"


def test_a_block_left_doing_nothing_goes_with_the_statement():
    code = (
        "import matplotlib.pyplot as plt\nplt.plot([1])\nif save:\n    # write it\n"
        "    plt.savefig('a.png')\nfor name in ('a.png', 'b.png'):\n    plt.savefig(name)\n"
        "with plt.style.context('ggplot'):\n    plt.savefig('c.png')\nplt.show()\n"
    )
    tree = ast.parse(code)
    saves = [s for s in ast.walk(tree) if isinstance(s, ast.Expr) and "savefig" in ast.unparse(s)]
    fixed = replaced(code, [], saves)
    assert fixed == "import matplotlib.pyplot as plt\nplt.plot([1])\nplt.show()\n" and not traces(code, fixed)


def test_a_bare_pass_stays_only_where_python_needs_a_statement():
    code = "if save:\n    plt.savefig('a.png')\nelse:\n    plt.show()\n"
    assert _without(code, SAVE) == "if save:\n    pass\nelse:\n    plt.show()\n"
    chain = (
        "if a:\n    plt.show()\nelif b:\n    plt.savefig('a.png')\nelse:\n    plt.savefig('a.png')\n"
        "plt.close()\n"
    )
    assert _without(chain, SAVE) == "if a:\n    plt.show()\nplt.close()\n"
    called = "def save():\n    plt.savefig('a.png')\n\nsave()\n"  # the function is called: it keeps a body
    assert _without(called, SAVE) == "def save():\n    pass\n\nsave()\n"
    unused = "def save():\n    plt.savefig('a.png')\n\nplt.show()\n"  # nothing calls it: it goes
    assert _without(unused, SAVE) == "plt.show()\n"


def test_an_import_only_the_removed_code_used_goes_and_the_others_stay():
    code = (
        "import os\nimport matplotlib.pyplot as plt\nfrom mpl_toolkits.mplot3d import Axes3D\n"
        "from os.path import join, exists\nos.makedirs('out')\nplt.savefig(join('out', 'a.png'))\n"
        "plt.show()\n"
    )
    tree = ast.parse(code)
    gone = [s for s in tree.body if isinstance(s, ast.Expr) and "out" in ast.unparse(s)]
    # only the names the edit stopped using go: mplot3d's import may be there for its effect (the 3-D Axes)
    assert replaced(code, [], gone) == (
        "import matplotlib.pyplot as plt\n"
        "from mpl_toolkits.mplot3d import Axes3D\n"
        "from os.path import exists\nplt.show()\n"
    )
    renamed = "import numpy as np\nimport pandas as pd\nx = np.asarray(df['x'])\n"
    call = next(n for n in ast.walk(ast.parse(renamed)) if isinstance(n, ast.Call))
    fixed = replaced(renamed, [(call, "df['x'].to_numpy()")])
    assert fixed == "import pandas as pd\nx = df['x'].to_numpy()\n"
    partly = "from os.path import join, exists\nexists('a')\n"
    assert without_unused_imports(partly, {"join", "exists"}) == "from os.path import exists\nexists('a')\n"


def test_the_guards_refused_calls_go_with_their_block_and_their_import():
    code = (
        "import os\nimport matplotlib.pyplot as plt\n\nplt.bar(df['region'], df['revenue'])\n\n"
        "# Save the chart\nif not os.path.exists('plots'):\n    os.makedirs('plots')\n"
        "plt.savefig('plots/a.png')\n"
    )
    report = check_code(code, "matplotlib", {"df": FRAME})
    fix = patched(report.code, "PrecheckError", "\n".join(report.problems), None, {}, {"df": FRAME})
    assert fix is not None
    assert fix.code == "import matplotlib.pyplot as plt\n\nplt.bar(df['region'], df['revenue'])\n"
    assert "os.makedirs()" in fix.note and "plt.savefig()" in fix.note
    assert fix.note.endswith("; removed the import of os, no longer used")
    assert check_code(fix.code, "matplotlib", {"df": FRAME}).code == fix.code  # what runs is what is kept
