"""Every registered rule is watched while the case tables run: which cases it patched, which it declined.

``test_registry`` reads what was recorded, so its coverage check and its check that no
patch leaves a trace of its edit run after every other test of this folder
(``pytest_collection_modifyitems`` moves them last).
"""

from __future__ import annotations

import functools

import pytest

from viscoder_magic.patches import registry
from viscoder_magic.patches.edit import Failure, Patch

#: (stage, rule name) -> "fired" / "declined" -> the error types of the cases it patched / declined.
OUTCOMES: dict[tuple[str, str], dict[str, set[str]]] = {}

#: (rule name, failed program, patched program) of every patch the registry took while the tables ran.
OUTPUTS: list[tuple[str, str, str]] = []

#: The test that reads OUTCOMES; it runs after the tables that fill it.
COVERAGE_TEST = "test_every_rule_fires_in_a_case_and_declines_one_of_its_error_type"
#: The test that reads OUTPUTS; it too runs after the tables.
TRACES_TEST = "test_no_patch_of_the_tables_leaves_a_trace_of_its_edit"


def _recorded(rule: registry.Rule) -> registry.Rule:
    """``rule`` with each outcome recorded: fired when the registry takes its patch, else declined."""

    @functools.wraps(rule.fix)
    def fix(failure: Failure) -> Patch | None:
        patch = rule.fix(failure)
        taken = patch is not None and (rule.stage != registry.RUN or patch.code != failure.code)
        seen = OUTCOMES.setdefault((rule.stage, rule.name), {"fired": set(), "declined": set()})
        seen["fired" if taken else "declined"].add(failure.error_type)
        if taken:
            assert patch is not None
            OUTPUTS.append((rule.name, failure.code, patch.code))
        return patch

    return registry.Rule(rule.stage, fix)


@pytest.fixture(autouse=True)
def _rules_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this folder's cases count: the rules are watched while one of its tests runs."""
    monkeypatch.setattr(registry, "RULES", tuple(_recorded(rule) for rule in registry.RULES))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    last = [TRACES_TEST, COVERAGE_TEST]  # stable: everything else keeps its order
    items.sort(key=lambda item: last.index(item.name) + 1 if item.name in last else 0)
