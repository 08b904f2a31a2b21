"""Clear differences between what a request asks (``intent.py``) and what a figure holds (``facts.py``).

Each message names one difference in a sentence the model can act on. Only clear
differences count: a false alarm sends a right figure back for repair, so every rule
stays silent when a fact is unknown (an untraced array, a figure with no readable
marks), kinds count as the same when the request's word allows both (a "distribution"
drawn as a violin, a "trend" drawn as an area), and a column counts as plotted when
any data, label, title or legend entry of the figure carries it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .facts import FigureFacts, PanelFacts
from .intent import Intent

#: Request kind -> the figure kinds that satisfy it.
ACCEPTS: dict[str, frozenset[str]] = {
    "bar": frozenset({"bar", "histogram"}),
    "histogram": frozenset({"histogram", "bar"}),
    "distribution": frozenset(
        {
            "histogram",
            "bar",
            "line",
            "area",
            "box",
            "violin",
            "scatter",
            "hexbin",
            "density2d",
            "contour",
            "heatmap",
        }
    ),
    "line": frozenset({"line", "area"}),
    "trend": frozenset({"line", "area", "scatter", "bar"}),
    "scatter": frozenset({"scatter", "hexbin", "density2d"}),
    "relationship": frozenset({"scatter", "line", "hexbin", "density2d", "contour", "heatmap", "3d"}),
    "pie": frozenset({"pie"}),
    "share": frozenset({"pie", "bar", "area", "histogram", "heatmap"}),
    "box": frozenset({"box"}),
    "violin": frozenset({"violin"}),
    "heatmap": frozenset({"heatmap", "density2d", "hexbin", "contour"}),
    "area": frozenset({"area"}),
    "hexbin": frozenset({"hexbin", "density2d", "heatmap", "contour"}),
    "contour": frozenset({"contour"}),
    "3d": frozenset({"3d"}),
}
#: Request words that are a broad wish, never checked kind by kind.
_BROAD = {"distribution", "trend", "relationship", "share"}
_ASKED = {
    "bar": "A bar chart",
    "histogram": "A histogram",
    "distribution": "A distribution plot",
    "line": "A line chart",
    "trend": "A trend over time",
    "scatter": "A scatter plot",
    "relationship": "A relationship plot",
    "pie": "A pie chart",
    "share": "A chart of shares",
    "box": "A box plot",
    "violin": "A violin plot",
    "heatmap": "A heatmap",
    "area": "An area chart",
    "hexbin": "A hexbin (2-D density) plot",
    "contour": "A contour plot",
    "3d": "A 3-D plot",
}
_DRAWN = {
    "bar": "bars",
    "histogram": "a histogram",
    "line": "lines",
    "scatter": "scattered points",
    "area": "filled areas",
    "box": "box plots",
    "violin": "violins",
    "pie": "a pie",
    "heatmap": "a heatmap",
    "hexbin": "hexagonal bins",
    "density2d": "a 2-D density",
    "contour": "contours",
    "3d": "a 3-D plot",
}


def mismatches(intent: Intent, facts: FigureFacts) -> list[str]:
    """The clear differences, one sentence each; empty when the figure may well be right."""
    if not facts.panels:
        return []
    found = _kind_mismatch(intent, facts)
    found += _column_mismatches(intent, facts)
    found += _log_mismatches(intent, facts)
    found += _panel_mismatch(intent, facts)
    found += _sort_mismatch(intent, facts)
    return found


def _kind_mismatch(intent: Intent, facts: FigureFacts) -> list[str]:
    """No kind the request's words allow is drawn (each kind when several are asked on several panels)."""
    drawn = set(facts.kinds)
    if not intent.kinds or not drawn:
        return []
    if "3d" in intent.kinds:  # a 3-D bar chart, scatter or line is a 3-D plot first
        return (
            [] if "3d" in drawn else [f"{_ASKED['3d']} was asked for, but the figure draws {_drawn(drawn)}."]
        )
    # a line beside other kinds is often a reference line (a mean, a threshold), not a mark we read
    precise = [k for k in intent.kinds if k not in _BROAD and k != "line"]
    if intent.panels and len(precise) >= 2:  # "a histogram and a box plot side by side": each one
        missing = [k for k in precise if not ACCEPTS[k] & drawn]
        return [f"{_ASKED[k]} was asked for, but the figure draws {_drawn(drawn)}." for k in missing[:1]]
    accepted = frozenset().union(*(ACCEPTS[k] for k in intent.kinds))
    if accepted & drawn:
        return []
    return [f"{_ASKED[intent.kinds[0]]} was asked for, but the figure draws {_drawn(drawn)}."]


def _drawn(kinds: Iterable[str]) -> str:
    words = [_DRAWN[k] for k in kinds if k in _DRAWN]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _norm(text: str) -> str:
    return re.sub(r"[\s_]+", "", str(text).lower())


def _visible_texts(facts: FigureFacts) -> list[str]:
    texts = [facts.title, *facts.legend]
    for panel in facts.panels:
        texts += [panel.x_label, panel.y_label, panel.z_label, panel.title, *panel.legend, *panel.texts]
    return [_norm(t) for t in texts if t]


def _named_in(column: str, texts: list[str]) -> bool:
    key = _norm(column)
    if len(key) < 3:
        return any(re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", t) for t in texts)
    return any(key in t for t in texts)


def _column_mismatches(intent: Intent, facts: FigureFacts) -> list[str]:
    """A named column nothing in the figure comes from, when every plotted array was traced."""
    if any(panel.unresolved for panel in facts.panels) or not any(panel.columns for panel in facts.panels):
        return []
    plotted = {_norm(c) for c in facts.columns}
    texts = _visible_texts(facts)
    found = []
    for column in intent.plotted:
        if _norm(column) in plotted or _named_in(column, texts):
            continue
        found.append(f"The request names column '{column}', but no plotted data comes from it.")
    return found


def _log_mismatches(intent: Intent, facts: FigureFacts) -> list[str]:
    """A log axis asked for and every axis linear; a horizontal chart's value axis is x."""
    panels = [p for p in facts.panels if "3d" not in p.kinds and p.kinds != ("pie",)]
    if not intent.log_axes or not panels or all(p.unresolved for p in panels):
        return []  # no axes to read, or values we could not trace (maybe logged by hand)
    found = []
    for axis in intent.log_axes:
        if axis == "any":
            if not any(_is_log(p, "x") or _is_log(p, "y") for p in panels):
                found.append("A log scale was asked for, but every axis is linear.")
        elif not any(
            _is_log(p, axis) or (p.horizontal and _is_log(p, "xy".replace(axis, ""))) for p in panels
        ):
            found.append(f"A log {axis} axis was asked for, but the {axis} axis is linear.")
    return found


def _is_log(panel: PanelFacts, axis: str) -> bool:
    return (panel.x_scale if axis == "x" else panel.y_scale) not in ("linear", "")


def _panel_mismatch(intent: Intent, facts: FigureFacts) -> list[str]:
    if intent.panels and len(facts.panels) == 1:
        return ["Several panels were asked for, but the figure has one panel."]
    return []


def _sort_mismatch(intent: Intent, facts: FigureFacts) -> list[str]:
    """One panel of one series of bars, asked sorted, drawn unsorted or the other way round."""
    bars = [p for p in facts.panels if "bar" in p.kinds and p.order]
    if not intent.sort or len(bars) != 1 or len(facts.panels) != 1:
        return []
    order = bars[0].order
    if order == "unsorted":
        wanted = "sorted" if intent.sort == "sorted" else f"sorted in {intent.sort} order"
        return [f"Bars {wanted} were asked for, but the bars are not sorted."]
    # Horizontal bars read top to bottom but are drawn bottom to top, so which end "largest first"
    # means is the reader's call: a sorted horizontal chart is never sent back for its direction.
    if intent.sort in ("ascending", "descending") and order != intent.sort and not bars[0].horizontal:
        return [f"Bars sorted in {intent.sort} order were asked for, but they are sorted in {order} order."]
    return []
