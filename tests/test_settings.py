"""``%viscode status``: effective settings and their origins, through a real IPython shell.

Precedence under test: default < profile config < ``VISCODER_*`` < ``%config``; cell
flags last one cell.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython
from traitlets.config import Config

from viscoder_magic.magics import VisCodeMagics
from viscoder_magic.settings import apply_env, env_name, origin_of, settings_report

GOOD = "```python\\nimport matplotlib.pyplot as plt\\nplt.bar(t['a'], t['b'])\\n```"


@pytest.fixture
def ip() -> Iterator:
    """The shared test shell with the extension loaded and no VisCode config (before and after)."""
    start_ipython()
    shell = get_ipython()
    shell.run_line_magic("load_ext", "viscoder_magic")
    before = len(shell.configurables)
    reset(shell)
    yield shell
    reset(shell)
    del shell.configurables[before:]


def reset(shell) -> None:
    """Forget %config settings left by any test, and put the registered magics back to defaults."""
    for config in [shell.config] + [c.config for c in shell.configurables if isinstance(c, VisCodeMagics)]:
        for section in ("VisCode", "VisCodeMagics"):
            if config._has_section(section):
                config[section].clear()
    registered = shell.magics_manager.registry["VisCodeMagics"]
    for name, trait in registered.traits(config=True).items():
        if name not in ("config", "parent", "log"):
            trait.set(registered, trait.default())


def line(report: str, name: str) -> str:
    return next(row for row in report.splitlines() if row.startswith(f"{name} "))


def test_env_names() -> None:
    assert env_name("max_tokens") == "VISCODER_MAX_TOKENS"


def test_status_shows_defaults_and_percent_config(ip, capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_line_magic("viscode", "status")
    assert line(capsys.readouterr().out, "rounds").endswith("(default)")
    ip.run_line_magic("config", "VisCode.rounds = 5")
    ip.run_line_magic("viscode", "status")
    rounds = line(capsys.readouterr().out, "rounds")
    assert "= 5 " in rounds and rounds.endswith("(config)")


def test_environment_variables_apply_and_are_named(ip, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISCODER_TEMPERATURE", "0.4")
    monkeypatch.setenv("VISCODER_ENDPOINT", "http://gpu-box:8000/v1")
    monkeypatch.setenv("VISCODER_UNSAFE", "false")
    magics = VisCodeMagics(shell=ip)
    assert magics.temperature == 0.4 and magics.endpoint == "http://gpu-box:8000/v1"
    report = settings_report(magics)
    assert line(report, "temperature").endswith("(env VISCODER_TEMPERATURE)")
    assert line(report, "endpoint").endswith("(env VISCODER_ENDPOINT)")
    assert line(report, "rounds").endswith("(default)")
    ip.run_line_magic("config", "VisCode.temperature = 0.1")  # the session wins over the launch
    assert magics.temperature == 0.1
    assert origin_of(magics, "temperature") == "config"


def test_environment_overrides_the_profile(ip, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISCODER_ROUNDS", "2")
    profile = Config({"VisCode": {"rounds": 7, "lib": "seaborn"}})
    magics = VisCodeMagics(shell=ip, config=profile)
    assert (magics.rounds, magics.lib) == (2, "seaborn")
    assert origin_of(magics, "rounds") == "env VISCODER_ROUNDS"
    assert origin_of(magics, "lib") == "config"


def test_bad_environment_value_is_ignored_and_reported(ip, monkeypatch, caplog) -> None:
    monkeypatch.setenv("VISCODER_ROUNDS", "many")
    with caplog.at_level(logging.WARNING, logger="viscoder_magic"):
        magics = VisCodeMagics(shell=ip)
    assert magics.rounds == 3
    assert "VISCODER_ROUNDS" in caplog.text
    assert "ignored env VISCODER_ROUNDS" in line(settings_report(magics), "rounds")


def test_value_set_in_code_is_not_called_default(ip) -> None:
    magics = VisCodeMagics(shell=ip)
    assert apply_env(magics, {}) == {}
    magics.max_tokens = 64
    assert origin_of(magics, "max_tokens") == "set in code"


def test_cell_flags_do_not_persist(ip, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    ip.user_ns["t"] = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    try:
        ip.run_cell_magic("viscode", f't -k 0 --temperature 0.9 -m "fake:{GOOD}"', "b by a")
        assert ip.user_ns["_viscode"].ok
    finally:
        ip.user_ns.pop("t")
    capsys.readouterr()
    ip.run_line_magic("viscode", "status")
    report = capsys.readouterr().out
    assert line(report, "rounds").endswith("(default)") and "= 3 " in line(report, "rounds")
    assert "= 0.0 " in line(report, "temperature")
    assert "cell flags apply to one cell only" in report
