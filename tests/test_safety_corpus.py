"""Every hostile program is contained in a real kernel.

All cases share one kernel (as a notebook would) whose working folder holds a
sentinel file; each runs through ``%%viscode df --fix --rounds 0 --timeout 5``, so
the model is never called. After each case: the kernel answers, no file changed or
appeared, the user's frame and variables equal their saved copies, builtins work,
and the attempt failed with a contained error naming the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from viscoder_magic.check import check_code

from .hostile_corpus import CASES, CONTAINED_ERRORS, Case
from .kernel import KernelSession, errors

SETUP = """
import json, os
import numpy as np, pandas as pd
df = pd.DataFrame({'city': ['a', 'b', 'c'], 'sales': [1.0, 2.0, 3.0]})
_saved_df = df.copy(deep=True)
lst, dct, arr = [1, 2, 3], {'a': 1}, np.arange(5.0)
"""
STATE = """dict(
    ok=_viscode.ok if _viscode is not None else None,
    types=[a.error_type for a in _viscode.attempts] if _viscode is not None else [],
    errors=[a.error for a in _viscode.attempts] if _viscode is not None else [],
    interrupted=_viscode.interrupted if _viscode is not None else None,
    df_same=bool(df.equals(_saved_df)) and df.index.name is None and list(df.columns) == ['city', 'sales'],
    others=[lst, dct, arr.tolist()],
    files=sorted(os.listdir('.')),
    sentinel=open('sentinel.txt').read(),
    builtins_ok=len([1]) == 1 and print is not None,
)"""


@pytest.fixture(scope="module")
def hostile_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KernelSession, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "sentinel.txt").write_text("keep me")
    session = KernelSession(cwd=str(folder))
    session.run("%load_ext viscoder_magic")
    assert not errors(session.run(SETUP))
    yield session, folder
    session.close()


def test_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 40
    assert {c.category for c in CASES} >= {"files", "process", "network", "native", "kernel", "mutation"}
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_program_is_contained(hostile_kernel: tuple[KernelSession, Path], case: Case) -> None:
    kernel, folder = hostile_kernel
    kernel.run("_viscode = None")
    outputs = kernel.run(f"%%viscode df --fix --rounds 0 --timeout 5\n{case.code}")
    assert not [e for e in errors(outputs) if e["ename"] != "UsageError"], outputs
    state = kernel.value(STATE)
    assert state["files"] == ["sentinel.txt"], f"{case.name} changed the folder: {state['files']}"
    assert state["sentinel"] == "keep me"
    assert state["df_same"], f"{case.name} changed the user's frame"
    assert state["others"] == [[1, 2, 3], {"a": 1}, [0.0, 1.0, 2.0, 3.0, 4.0]]
    assert state["builtins_ok"]
    if case.expect == "blocked":
        assert state["ok"] is False and state["types"][0] in CONTAINED_ERRORS, state
        if state["types"][0] == "BlockedAction":
            assert "blocked by viscoder's guard" in state["errors"][0]
    elif case.expect == "interrupted":
        assert state["interrupted"] is True
    assert kernel.value("sum(range(4))") == 6, f"{case.name} left the kernel unusable"


def test_kernel_still_plots_after_the_corpus(hostile_kernel: tuple[KernelSession, Path]) -> None:
    kernel, folder = hostile_kernel
    kernel.run("_viscode = None")
    kernel.run(
        "%%viscode df --fix --rounds 0 --timeout 5\nimport matplotlib.pyplot as plt\n"
        "plt.bar(df['city'], df['sales'])"
    )
    assert kernel.value("_viscode.ok") is True
    assert kernel.value("sorted(os.listdir('.'))") == ["sentinel.txt"]


def test_static_check_names_most_hostile_programs() -> None:
    """The pre-check gives the model a precise reason for most cases before any run."""
    import pandas as pd

    frames = {"df": pd.DataFrame({"city": ["a"], "sales": [1.0]})}
    flagged = [c.name for c in CASES if check_code(c.code, "plotly", frames, ["lst", "dct", "arr"]).problems]
    unflagged = {c.name for c in CASES} - set(flagged)
    assert len(flagged) >= 0.8 * len(CASES), sorted(unflagged)
