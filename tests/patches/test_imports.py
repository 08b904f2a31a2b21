"""ImportError patches: a name imported from the wrong module is imported from where it lives."""

from __future__ import annotations

import pytest

from viscoder_magic.patches import patched

FRAMES: dict = {}


def _import_failure(code: str) -> str:
    with pytest.raises(ImportError) as raised:
        exec(compile(code, "<viscode>", "exec"), {})
    return str(raised.value)


def _fixed(code: str) -> str:
    fix = patched(code, "ImportError", _import_failure(code), 1, {}, FRAMES)
    assert fix is not None
    exec(compile(fix.code, "<viscode>", "exec"), {})  # the patched program imports
    return fix.code


def test_a_module_imported_from_a_sibling_package_is_imported_from_its_home():
    code = "from mpl_toolkits.axes_grid1 import gridspec, make_axes_locatable\ngs = gridspec.GridSpec(2, 2)\n"
    assert _fixed(code) == (
        "from mpl_toolkits.axes_grid1 import make_axes_locatable\n"
        "from matplotlib import gridspec\ngs = gridspec.GridSpec(2, 2)\n"
    )


def test_a_standard_alias_imported_as_a_name_becomes_the_standard_import():
    code = "from plotly.graph_objects import go\nfig = go.Figure()\n"
    assert _fixed(code) == "import plotly.graph_objects as go\nfig = go.Figure()\n"


def test_a_name_one_slip_away_in_the_same_module_is_used_everywhere():
    code = "from matplotlib.ticker import StrMethodFormater\nf = StrMethodFormater('{x}')\n"
    assert _fixed(code) == "from matplotlib.ticker import StrMethodFormatter\nf = StrMethodFormatter('{x}')\n"
    fix = patched(code, "ImportError", _import_failure(code), 1, {}, FRAMES)
    assert fix is not None and "removed the import" not in fix.note  # renamed by the rule, not left unused


def test_a_name_that_lives_nowhere_is_left_to_the_model():
    code = "from matplotlib.ticker import StrMethodLocator\n"
    assert patched(code, "ImportError", _import_failure(code), 1, {}, FRAMES) is None


def test_the_hint_offers_the_modules_nearest_real_names():
    from viscoder_magic.repair import grounded_hint

    message = _import_failure("from matplotlib.ticker import StrMethodLocator\n")
    hint = grounded_hint("ImportError", message, {}, {})
    assert "matplotlib.ticker has no StrMethodLocator" in hint and "StrMethodFormatter" in hint
