"""Fault injection: realistic ways generated plotting code breaks, applied to working code.

Each fault is one small, typical mistake (a misspelled column, a removed or wrong
API, a wrong keyword, a missing import, a dtype mismatch, reading a file, mismatched
lengths). The broken program is then *executed*, so the traceback in the dialogue
is the real one; a fault that happens to run is discarded by the caller.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Fault = Callable[[str, list[str], random.Random], str | None]


def _typo(name: str, rng: random.Random) -> str:
    options = [name.capitalize() if name.islower() else name.lower(), name[:-1], name.replace("_", " ")]
    if len(name) > 3:
        i = rng.randrange(1, len(name) - 1)
        options.append(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    options = [o for o in options if o and o != name]
    return rng.choice(options)


def misspelled_column(code: str, columns: list[str], rng: random.Random) -> str | None:
    used = [c for c in columns if f'"{c}"' in code]
    if not used:
        return None
    column = rng.choice(used)
    return code.replace(f'"{column}"', f'"{_typo(column, rng)}"', 1)


_DEPRECATED = [
    ("plt.get_cmap(", "plt.cm.get_cmap("),  # removed in matplotlib 3.9
    ("sns.histplot(", "sns.distplot("),  # old API, no data= keyword
    ("tick_labels=", "labels="),  # renamed in matplotlib 3.9
    (
        "ax.set_xticks(range(len(corr.columns)), corr.columns, rotation=45)",
        "ax.set_xticklabels(corr.columns, rotation=45, minor=None, labels=None)",
    ),
    (".reset_index()", ".reset_index(inplace=False, drop_level=True)"),
]


def deprecated_api(code: str, columns: list[str], rng: random.Random) -> str | None:
    options = [(old, new) for old, new in _DEPRECATED if old in code]
    if "fig.show()" in code:
        options.append(("fig.show()", "fig.update_layout(titlefont=dict(size=18))\nfig.show()"))
    if "plt.show()" in code:
        options.append(("fig, ax = plt.subplots(", 'plt.style.use("seaborn")\nfig, ax = plt.subplots('))
    if not options:
        return None
    old, new = rng.choice(options)
    return code.replace(old, new, 1)


_KEYWORDS = {
    "color=": "colour=",
    "alpha=": "transparency=",
    "marker=": "markers=",
    "bins=": "bin=",
    "figsize=": "size=",
    "autopct=": "auto_pct=",
    "nbins=": "bins=",
    "opacity=": "alpha=",
    "title=": "titel=",
    "annot=": "annotate=",
    "orientation=": "orient=",
}


def wrong_keyword(code: str, columns: list[str], rng: random.Random) -> str | None:
    present = [k for k in _KEYWORDS if re.search(rf"[\s(,]{re.escape(k)}", code)]
    if not present:
        return None
    keyword = rng.choice(present)
    return re.sub(rf"([\s(,]){re.escape(keyword)}", rf"\g<1>{_KEYWORDS[keyword]}", code, count=1)


def missing_import(code: str, columns: list[str], rng: random.Random) -> str | None:
    used = [
        line
        for line in code.splitlines()
        if line.startswith("import ") and f"{line.split()[-1]}." in code.replace(line, "")
    ]
    if not used:
        return None
    line = rng.choice(used)
    return code.replace(line + "\n", "", 1)


def dtype_mismatch(code: str, columns: list[str], rng: random.Random) -> str | None:
    match = re.search(r'\.groupby\(([^)]*)\)\["([^"]+)"\]\.(sum|mean)\(\)', code)
    if match:  # aggregating every column, text ones included, then selecting
        return code.replace(
            match.group(0), f'.groupby({match.group(1)}).{match.group(3)}()["{match.group(2)}"]', 1
        )
    match = re.search(r'data\["([^"]+)"\] = pd\.to_datetime\(data\["[^"]+"\]\)\n', code)
    if match:  # forgetting to parse dates stored as text, then doing date arithmetic
        return code.replace(
            match.group(0), f'data["{match.group(1)}"] = data["{match.group(1)}"] + pd.Timedelta(days=0)\n', 1
        )
    return None


def reading_file(code: str, columns: list[str], rng: random.Random) -> str | None:
    if "data = df.copy()" not in code:
        return None
    name = rng.choice(["data.csv", "df.csv", "dataset.csv"])
    return code.replace("data = df.copy()", f'data = pd.read_csv("{name}")', 1)


def wrong_shape(code: str, columns: list[str], rng: random.Random) -> str | None:
    match = re.search(r"(ax\.(?:plot|bar|barh|scatter)\([^,]+, )([^,)]+)", code)
    if match:
        return code.replace(match.group(0), f"{match.group(1)}{match.group(2)}[:-1]", 1)
    match = re.search(r"(ax\.pie\([^,]+, labels=)([^,)]+)", code)
    if match:
        return code.replace(match.group(0), f"{match.group(1)}{match.group(2)}[:-1]", 1)
    return None


FAULTS: dict[str, Fault] = {
    "misspelled_column": misspelled_column,
    "deprecated_api": deprecated_api,
    "wrong_keyword": wrong_keyword,
    "missing_import": missing_import,
    "dtype_mismatch": dtype_mismatch,
    "reading_file": reading_file,
    "wrong_shape": wrong_shape,
}


def inject(code: str, columns: list[str], rng: random.Random) -> tuple[str, str] | None:
    """(fault name, broken code) for one applicable fault chosen at random, or None."""
    names = list(FAULTS)
    rng.shuffle(names)
    for name in names:
        broken = FAULTS[name](code, columns, rng)
        if broken is not None and broken != code:
            return name, broken
    return None
