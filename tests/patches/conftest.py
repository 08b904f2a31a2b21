"""Every registered rule is watched while the case tables run: which cases it patched, which it declined.

``test_registry`` reads what was recorded, so its coverage check runs after every other
test of this folder (``pytest_collection_modifyitems`` moves it last).
"""

from __future__ import annotations

import functools

import pytest

from viscoder_magic.patches import registry
from viscoder_magic.patches.edit import Failure, Patch

#: (stage, rule name) -> "fired" / "declined" -> the error types of the cases it patched / declined.
OUTCOMES: dict[tuple[str, str], dict[str, set[str]]] = {}

#: The test that reads OUTCOMES; it runs after the tables that fill it.
COVERAGE_TEST = "test_every_rule_fires_in_a_case_and_declines_one_of_its_error_type"


def _recorded(rule: registry.Rule) -> registry.Rule:
    """``rule`` with each outcome recorded: fired when the registry takes its patch, else declined."""
    @functools.wraps(rule.fix)
    def fix(failure: Failure) -> Patch | None:
        patch = rule.fix(failure)
        taken = patch is not None and (rule.stage != registry.RUN or patch.code != failure.code)
        seen = OUTCOMES.setdefault((rule.stage, rule.name), {"fired": set(), "declined": set()})
        seen["fired" if taken else "declined"].add(failure.error_type)
        return patch

    return registry.Rule(rule.stage, fix)


@pytest.fixture(autouse=True)
def _rules_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this folder's cases count: the rules are watched while one of its tests runs."""
    monkeypatch.setattr(registry, "RULES", tuple(_recorded(rule) for rule in registry.RULES))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.name == COVERAGE_TEST)  # stable: everything else keeps its order
