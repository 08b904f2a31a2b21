"""What a request clearly says about its figure, read conservatively: precision over recall.

The comparison (``mismatch.py``) sends a right figure back for repair whenever this
module reads too much into a sentence, so it only takes what a sentence states in
plain words: the chart kind (with common synonyms), the frame's column labels it names
(exactly, or ignoring case, spaces and underscores), log axes, several panels, a sort
order, and ``per X`` / ``by X`` groupings. A column named only to filter rows ("where
Year is 2020") or to style them ("coloured by Region", "sorted by Sales") is named but
not asked to be plotted, and a kind word that is a column's name ("Area") is a kind only
when a chart noun follows it ("area chart").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

_CHART = r"(?:chart|plot|graph|diagram|figure|visuali[sz]ation)s?"
#: Kind -> patterns; the first group of kinds needs no chart noun, the words are unambiguous.
KIND_PATTERNS: dict[str, tuple[str, ...]] = {
    "histogram": (r"\bhistograms?\b", r"\bhist\b"),
    "distribution": (r"\bdistributions?\b", r"\bdensity (?:plot|curve)s?\b", r"\bkdes?\b", r"\bspread of\b"),
    "bar": (
        rf"\bbar ?{_CHART}",
        r"(?<!error )(?<!color )(?<!colour )\bbars?\b(?! ?(?:plot )?(?:label|width))",
        rf"\bcolumn {_CHART}",
        r"\bbarh\b",
    ),
    "line": (
        rf"(?<!contour )\bline ?{_CHART}",
        r"\bas (?:a )?lines?\b",
        r"\b(?:a|one) line (?:for|per) each\b",
        r"\blines? (?:per|for each|for every)\b",
        r"\b(?:moving|rolling) (?:average|mean)\b",
    ),
    "trend": (r"\btrends?\b", r"\bover time\b", r"\btime ?series\b", r"\bcontrol chart\b"),
    "scatter": (r"\bscatter", r"\bbubble ?(?:chart|plot)s?\b"),
    "relationship": (
        r"\brelationship between\b",
        r"\bcorrelat\w* between\b",
        r"\b(?:plotted |plot )?against\b",
    ),
    "pie": (r"\bpie\b", r"\bdonut\b", r"\bdoughnut\b"),
    "share": (
        r"\bshares? of\b",
        r"\bproportions? of\b",
        r"\bpercentage of (?:the )?total\b",
        r"\bpart of the whole\b",
    ),
    "box": (
        r"\bbox ?plots?\b",
        r"\bbox[- ]and[- ]whiskers?\b",
        r"\bbox ?charts?\b",
        r"(?:,|\bas an?)\s*box(?:es)?\s*$",
    ),
    "violin": (r"\bviolins?\b",),
    "heatmap": (r"\bheat ?maps?\b", r"\b(?:correlation|count|confusion|co-?occurrence) matri(?:x|ces)\b"),
    "area": (rf"\barea ?{_CHART}", r"\bstacked areas?\b", r"\bfilled area\b", r"\bas an area\b"),
    "hexbin": (r"\bhex ?bins?\b", r"\bhexagonal\b", r"\b2-?d density\b", r"\bdensity heat ?map\b"),
    "contour": (r"\bcontours?\b",),
    "3d": (r"\b3-?d\b", r"\bthree[- ]dimensional\b", r"\bsurface ?(?:plot|chart)s?\b", r"\bwire ?frame\b"),
}
#: Kinds a broader request word gives way to when a precise one is also present.
_BROADER = {
    "distribution": ("histogram", "box", "violin", "hexbin", "contour"),
    "trend": ("line", "area", "bar"),
    "relationship": ("scatter", "heatmap", "hexbin", "line", "contour", "3d"),
    "share": ("pie", "bar", "area"),
}
_LOG = (
    (r"\blog[- ]?log\b", "xy"),
    (r"\b(?:log(?:arithmic)?|log-scaled?)\s*(?:scale\s*)?(?:on\s*(?:the\s*)?)?([xy])\b", ""),
    (
        r"\b([xy])[- ]?(?:axis|axes)?\s*(?:on|in|with|using|as)?\s*"
        r"(?:a\s*)?log(?:arithmic)?(?:[- ]scaled?)?\b",
        "",
    ),
    (r"\blog(?:arithmic)?[- ]scaled?\b|\blog(?:arithmic)? (?:scale|axis|axes)\b", "any"),
)
_PANELS = (
    r"\b(?:one|a|a separate) (?:panel|subplot|plot|chart) (?:per|for each|for every)\b",
    r"\bsubplots\b",
    r"\bfacet(?:s|ed|ted)?\b",
    r"\bsmall multiples\b",
    r"\bbelow it\b",
    r"\babove it\b",
    r"\b(?:two|three|four|five|six|2|3|4|5|6) (?:separate |different |individual )?(?:3-?d )?"
    r"(?:panels|subplots|charts|plots|graphs)\b",
    r"\bseparate (?:panels|subplots|axes)\b",
    r"\bgrid of (?:\w+ )?(?:plots|charts|panels|subplots)\b",
    r"\bpanels\b",
)
_SIDE_BY_SIDE = r"\bside[- ]by[- ]side\b|\bnext to each other\b"
_DESCENDING = (
    r"\bdescending\b|\b(?:largest|biggest|highest|most) first\b"
    r"|\b(?:from )?(?:highest|largest|biggest|most) to (?:lowest|smallest|least)\b"
)
_ASCENDING = (
    r"\bascending\b|\bsmallest first\b|\blowest first\b"
    r"|\b(?:from )?(?:lowest|smallest|least) to (?:highest|largest|biggest|most)\b"
)
_FILTER_BEFORE = re.compile(
    r"\b(?:where|excluding|except|only|filter(?:ed)?|whose|when|if|without|which|unless|for rows|"
    r"colou?r(?:ed|s)?|"
    r"hue|sized?|label(?:l?ed)?|annotated?|sort(?:ed)?|order(?:ed)?|rank(?:ed)?|highlight(?:ed)?|shaded?)"
    r"(?: by| on| with| as)?(?: the| a)?\W*$"
)
_FILTER_AFTER = re.compile(
    r"^\W*(?:\d|is|are|was|equals?|==|=|!=|>|<|>=|<=|above|below|greater|less|more than|"
    r"over \d|under \d|between \d|not\b|in \d{4}|at least|at most)"
)
#: Words near a mention that make it a styling column (a colour, a size, a label), not plotted data.
_STYLE_NEAR = re.compile(
    r"\b(?:colou?rs?|thickness|widths?|sizes?|sized|alpha|transparency|styles?|markers?|labels?|"
    r"rotation|fonts?|alignment|explode|offsets?|annotat\w*|texts?|titles?)\b[^.;:]*$"
)
#: Column labels that hold styling values themselves.
_STYLE_LABELS = re.compile(
    r"^(?:colou?rs?|sizes?|font_?size|rotation|alpha|markers?|widths?|lw\w*|labels?|texts?|"
    r"explode|ha|va|style|linestyle|edgecolou?r)$",
    re.I,
)
_POINT_PER = re.compile(
    r"\b(?:points?|dots?|markers?|bubbles?|lines?)\s+(?:per|for each|for every)\b[^.;:]*$"
)
_GROUP_BEFORE = re.compile(
    r"\b(?:per|by|for each|for every|across|each|grouped by|broken down by|split by)(?: the)?\s*$"
)
#: Everyday words that are column labels in many frames; named only when written exactly as the label.
_GENERIC = {
    "count",
    "total",
    "number",
    "value",
    "values",
    "size",
    "date",
    "time",
    "year",
    "month",
    "day",
    "type",
    "name",
    "area",
    "index",
    "id",
    "mean",
    "average",
    "sum",
    "share",
    "rate",
    "level",
    "group",
    "label",
    "category",
    "x",
    "y",
    "z",
    "line",
    "bar",
    "color",
    "colour",
    "score",
    "data",
}


@dataclass(frozen=True)
class Intent:
    """What a request clearly asks of its figure."""

    text: str
    kinds: tuple[str, ...] = ()  # keys of ``KIND_PATTERNS``, in the order the request names them
    columns: tuple[str, ...] = ()  # every frame column (or index name) the request names
    plotted: tuple[str, ...] = ()  # those named as data, not as a filter or a style
    groupings: tuple[str, ...] = ()  # columns after "per" / "by" / "for each"
    log_axes: tuple[str, ...] = ()  # "x", "y", or "any" (a log scale, axis not said)
    panels: bool = False  # several panels asked for
    sort: str = ""  # "descending", "ascending", "sorted" (either), or ""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def read_intent(text: str, frames: Mapping[str, pd.DataFrame] | None = None) -> Intent:
    """The intent of ``text`` about ``frames`` (name -> DataFrame). Never raises: an unreadable request
    asks nothing."""
    try:
        return _read(text, frames or {})
    except Exception:  # noqa: BLE001 - a request we cannot read asks nothing we can check
        return Intent(text=text)


def _read(text: str, frames: Mapping[str, pd.DataFrame]) -> Intent:
    lowered = " ".join(text.lower().split())
    mentions = column_mentions(text, frames)
    masked = _masked(lowered, mentions)
    kinds = _kinds(lowered, masked)
    plotted, groupings = [], []
    for name, start, end in mentions:
        if _GROUP_BEFORE.search(lowered[max(0, start - 40) : start]):
            groupings.append(name)
        if _as_data(name, start, end, text, masked, frames):
            plotted.append(name)
    return Intent(
        text=text,
        kinds=kinds,
        columns=tuple(dict.fromkeys(n for n, _, _ in mentions)),
        plotted=tuple(dict.fromkeys(plotted)),
        groupings=tuple(dict.fromkeys(groupings)),
        log_axes=_log_axes(lowered),
        panels=_panels(masked, kinds),
        sort=_sort(masked),
    )


def _as_data(
    name: str, start: int, end: int, text: str, masked: str, frames: Mapping[str, pd.DataFrame]
) -> bool:
    """Whether a mention asks for the column's data to be drawn (not a filter, a style, or a guess).

    A yes/no column ("converted users") is mostly a filter; a label that another one
    contains ("Deal size" inside "Deal Size (old)") is a guess unless written exactly;
    the grouping of "one point per X" is not visible in the figure.
    """
    squeezed = " ".join(text.split())
    lowered = squeezed.lower()
    before, after = lowered[max(0, start - 40) : start], lowered[end : end + 30]
    if _FILTER_BEFORE.search(before) or _FILTER_AFTER.search(after) or _POINT_PER.search(before):
        return False
    if _STYLE_LABELS.match(name) or _STYLE_NEAR.search(
        masked[max(0, start - 60) : start]
    ):  # "Deal size" is no size
        return False
    if squeezed[start:end] != name and any(
        squashed(name) in squashed(other) for other in _labels(frames) if other != name
    ):
        return False
    return not any(_is_boolean(frame, name) for frame in frames.values())


def _is_boolean(frame: Any, name: str) -> bool:
    try:
        column = frame[name] if name in frame.columns else None
    except Exception:  # noqa: BLE001 - a label pandas cannot look up is no column
        return False
    return isinstance(column, pd.Series) and pd.api.types.is_bool_dtype(column.dtype)


def squashed(text: str) -> str:
    """A label or phrase compared as a reader sees it: case, spaces and underscores do not count."""
    return re.sub(r"[\s_]+", "", str(text).lower())


def column_mentions(text: str, frames: Mapping[str, pd.DataFrame]) -> list[tuple[str, int, int]]:
    """(label, start, end) of each column label or index name the text names, longest labels first.

    Positions are in the whitespace-normalised lower-case text. Case, spaces and
    underscores are ignored; a one-letter or everyday-word label must be written exactly.
    """
    squeezed = " ".join(text.split())
    lowered = squeezed.lower()
    labels = _labels(frames)
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(lowered)
    for label in sorted(labels, key=len, reverse=True):
        key = squashed(label)
        if not key:
            continue
        exact_only = len(key) == 1 or key in _GENERIC
        chars = [re.escape(c) for c in key]
        pattern = r"(?<![\w])" + r"[\s_]*".join(chars) + r"(?![\w])"
        for match in re.finditer(pattern, lowered):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            if exact_only and not _exact_mention(squeezed, start, end, label):
                continue
            found.append((label, start, end))
            taken[start:end] = [True] * (end - start)
    return sorted(found, key=lambda item: item[1])


def _exact_mention(text: str, start: int, end: int, label: str) -> bool:
    """A one-letter or everyday-word label counts only as written, and not as an axis ("y axis")."""
    quoted = start > 0 and end < len(text) and text[start - 1] in "'\"`" and text[end] in "'\"`"
    if quoted:
        return True
    if text[start:end] != label or label.lower() in ("a", "i") or re.match(r"[- ]?ax[ie]s\b", text[end:]):
        return False
    if len(label) == 1:
        return not re.search(r"\blog(?:arithmic)?[- ]?$", text[:start].lower())
    return any(c.isupper() for c in label)


def _labels(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    labels: list[str] = []
    for frame in frames.values():
        if not isinstance(frame, pd.DataFrame):
            continue
        labels += [str(c) for c in frame.columns if isinstance(c, str | int) and not isinstance(c, bool)]
        labels += [str(n) for n in frame.index.names if n is not None]
    return list(dict.fromkeys(label for label in labels if label.strip()))


def _masked(lowered: str, mentions: list[tuple[str, int, int]]) -> str:
    """The text with each column mention blanked, so a column called "Area" is not an area chart."""
    chars = list(lowered)
    for _, start, end in mentions:
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


def _kinds(lowered: str, masked: str) -> tuple[str, ...]:
    hits: list[tuple[int, str]] = []
    for kind, patterns in KIND_PATTERNS.items():
        for pattern in patterns:
            match = re.search(pattern, masked) or _with_noun(pattern, lowered)
            if match:
                hits.append((match.start(), kind))
                break
    kinds = [kind for _, kind in sorted(hits)]
    return tuple(k for k in kinds if not any(p in kinds for p in _BROADER.get(k, ())))


def _with_noun(pattern: str, lowered: str) -> re.Match[str] | None:
    """A kind word inside a column mention still counts when a chart noun follows it ("area chart")."""
    match = re.search(pattern, lowered)
    if match and (re.search(_CHART, match.group(0)) or re.match(rf"\s*{_CHART}", lowered[match.end() :])):
        return match
    return None


def _log_axes(masked: str) -> tuple[str, ...]:
    axes: list[str] = []
    for pattern, fixed in _LOG:
        for match in re.finditer(pattern, masked):
            if fixed == "any":
                if not axes:
                    axes.append("any")
            else:
                axes += list(fixed or match.group(1))
    specific = [a for a in axes if a != "any"]
    return tuple(dict.fromkeys(specific)) if specific else tuple(dict.fromkeys(axes))


def _panels(masked: str, kinds: tuple[str, ...]) -> bool:
    if any(re.search(p, masked) for p in _PANELS):
        return True
    side = re.search(_SIDE_BY_SIDE, masked)
    if side is None:
        return False
    before = masked[max(0, side.start() - 25) : side.start()]
    if re.search(r"\b(?:bars?|grouped|columns)\b", before):
        return False  # "bars side by side" are grouped bars in one panel
    # "box plots of a, b and c side by side" are boxes in one panel; two kinds or charts are panels
    panels_noun = r"\b(?:histograms|charts|panels|subplots|figures|graphs)\b|(?<!box )(?<!violin )\bplots\b"
    return len(kinds) >= 2 or bool(re.search(panels_noun, masked))


def _sort(masked: str) -> str:
    if re.search(_DESCENDING, masked):
        return "descending"
    if re.search(_ASCENDING, masked):
        return "ascending"
    if re.search(r"\bsorted\b|\bin order\b|\branked\b", masked):
        return "sorted"
    return ""
