"""Check stage: read the program before running it.

A static pass (``ast``) catches what would certainly fail, so the model gets a
precise reason to repair against without spending a run: syntax errors, names
never defined, columns the frame does not have, reading files, and plotting
libraries the request rules out. Missing imports of the conventional aliases
(``np``, ``pd``, ``plt`` …) are simply added, as PandasPlotBench's own harness does.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .labels import CLOSEST_CUTOFF as CLOSEST_CUTOFF  # the patches' cutoff too
from .labels import closest_label, index_advice, index_names, index_role
from .patches.ast_tools import imported_names
from .patches.edit import replaced
from .safety_check import safety_problems

STANDARD_IMPORTS = {
    "np": "import numpy as np",
    "pd": "import pandas as pd",
    "plt": "import matplotlib.pyplot as plt",
    "sns": "import seaborn as sns",
    "px": "import plotly.express as px",
    "go": "import plotly.graph_objects as go",
    "mpl": "import matplotlib as mpl",
    "matplotlib": "import matplotlib",
    "mdates": "import matplotlib.dates as mdates",
    "make_subplots": "from plotly.subplots import make_subplots",
}
FORBIDDEN_BY_LIB = {
    "matplotlib": ("seaborn", "plotly"),
    "seaborn": ("plotly",),
    "plotly": ("matplotlib", "seaborn"),
}
#: The pre-check's finding for a library the request forbids,
#: and its reader (benchmarks/forbidden_library.py).
FORBIDDEN_IMPORT = "the request is for {lib}, but the code imports {module}; use only {lib}"
_FORBIDDEN_IMPORT = re.compile(r"the request is for \w+, but the code imports (\w+); use only \w+")
_COPIED_SUMMARY = re.compile(r"\(\+\d+ more\)")
_FILE_READERS = {
    "open",
    "read_csv",
    "read_excel",
    "read_json",
    "read_parquet",
    "read_table",
    "loadtxt",
    "genfromtxt",
}


@dataclass(frozen=True)
class CheckReport:
    """The (possibly completed) program and the problems that would make it fail."""

    code: str
    problems: tuple[str, ...]
    #: Libraries the code imports that the request forbids (the repair then says how the asked one draws).
    forbidden: tuple[str, ...] = ()
    #: What the completion changed in which data the program plots, for the attempt's note.
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def forbidden_imports(problems: str) -> list[str]:
    """The forbidden libraries a recorded pre-check finding names (``FORBIDDEN_IMPORT``)."""
    return _FORBIDDEN_IMPORT.findall(problems)


def _binds(node: ast.AST) -> set[str]:
    """The names this one node binds in the scope it sits in."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return {node.id}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.arg):
        return {node.arg}
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs)) and node.name:
        return {node.name}
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    return set()


def _bound_names(tree: ast.AST) -> set[str]:
    return {name for node in ast.walk(tree) for name in _binds(node)}


#: Bodies that have their own scope: a name bound inside one is not bound at module level.
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _module_scope(tree: ast.AST) -> list[ast.AST]:
    """The nodes that run in the module's own scope (a def or class itself, not its body)."""
    found, stack = [], list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, _SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _unbound_names(tree: ast.AST, known: Iterable[str] = ()) -> set[str]:
    """Names read where nothing binds them.

    A read at module level needs a module-level binding: ``plt`` taken as a function's
    parameter does not define it for the module (a run fails with NameError). Reads inside
    functions and comprehensions are let off when anything binds the name, as before.
    """
    known = set(known)
    module = _module_scope(tree)
    module_bound = (
        known
        | {n for node in module for n in _binds(node)}
        | {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    )
    anywhere = known | _bound_names(tree)
    top = {n.id for n in module if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return (top - module_bound) | {n.id for n in _loaded_names(tree)} - anywhere


def _loaded_names(tree: ast.AST) -> list[ast.Name]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]


def add_missing_imports(code: str) -> str:
    """Prepend the conventional import for each standard alias used but never bound."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    unbound = _unbound_names(tree)
    missing = [STANDARD_IMPORTS[a] for a in STANDARD_IMPORTS if a in unbound]
    return "\n".join([*missing, code]) if missing else code


def _imported_modules(tree: ast.AST) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _column_problems(tree: ast.AST, frames: Mapping[str, Any]) -> list[str]:
    """String subscripts of a frame that name no column (and are not created by the code)."""
    created = {
        node.slice.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.slice, ast.Constant)
    }
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)):
            continue
        if not (isinstance(node.value, ast.Name) and node.value.id in frames):
            continue
        frame = frames[node.value.id]
        if isinstance(node.slice, ast.Tuple) and getattr(frame.columns, "nlevels", 1) > 1:
            continue  # one label of a MultiIndex on the columns, not several columns
        keys = node.slice.elts if isinstance(node.slice, (ast.List, ast.Tuple)) else [node.slice]
        for key in keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                # ``in`` on the labels, not on a list of them: a MultiIndex on the columns takes its top level
                if not _has_label(frame.columns, key.value) and key.value not in created:
                    problems.append(column_hint(node.value.id, key.value, frame.columns, key.lineno, frame))
    return problems


def _has_label(columns: Any, key: str) -> bool:
    """Whether ``frame[key]`` finds a column (a top-level label of a MultiIndex does)."""
    try:
        return key in columns
    except TypeError:  # labels that cannot be compared with a text
        return key in list(columns)


def _placeholder_problems(tree: ast.AST, frames: Mapping[str, Any]) -> list[str]:
    """``...`` left where a column or value belongs, as a recipe in our own prompt writes it.

    The plotly recipe says ``go.Scatter(x=df[...], y=df[...])``, and a small model copies it
    verbatim (about one plotly request in ten had such a program at some attempt); it fails
    as ``KeyError: Ellipsis`` or deep inside the library. ``a[..., 0]`` on an array is real
    numpy, so only a frame subscripted by ``...`` alone and a keyword given ``...`` count.
    """
    shown = "; ".join(
        f"{name}: {listed_columns(frame.columns)}"
        for name, frame in frames.items()
        if hasattr(frame, "columns")
    )
    columns = f" (columns of {shown})" if shown else ""
    problems: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in frames
            and isinstance(node.slice, ast.Constant)
            and node.slice.value is Ellipsis
        ):
            problems.append(
                (
                    node.lineno,
                    node.col_offset,
                    f"line {node.lineno}: {node.value.id}[...] is the "
                    f"example's placeholder, not code: put a real column name there{columns}",
                )
            )
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and isinstance(node.value, ast.Constant)
            and node.value.value is Ellipsis
        ):
            problems.append(
                (
                    node.lineno,
                    node.col_offset,
                    f"line {node.lineno}: {node.arg}=... is the "
                    f"example's placeholder, not code: give {node.arg} a real value{columns}",
                )
            )
    return [problem for *_, problem in sorted(problems)]


_CONSTRUCTORS = {"DataFrame", "Series", "dict", "array", "load_dataset"}


def _rebuilds(name: str) -> bool:
    """A call that makes a frame from somewhere other than
    the user's data (literals, a file, a sample dataset)."""
    return name in _CONSTRUCTORS or name.startswith("read_")


def _copies_columns(call: ast.Call, frame: Any, frames: Mapping[str, Any]) -> bool:
    """Whether a call is given a dict literal keyed by the frame's own columns
    (``px.data.frame({'x1': [...]})``): a rebuild through a constructor the model invented. A call that reads
    a frame (``df.rename(columns={...})``, ``df.astype({...})``) transforms it instead."""
    if any(isinstance(n, ast.Name) and n.id in frames for n in ast.walk(call.func)):
        return False
    columns = set(map(str, getattr(frame, "columns", ())))
    for given in [*call.args, *(k.value for k in call.keywords)]:
        keys = [k.value for k in getattr(given, "keys", []) if isinstance(k, ast.Constant)]
        if isinstance(given, ast.Dict) and keys and sum(str(k) in columns for k in keys) * 2 > len(keys):
            return True
    return False


def _short(node: ast.AST) -> str:
    """A statement or expression as a note quotes it: one line, at most 60 characters."""
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def drop_rebuilt_frames(code: str, frames: Mapping[str, Any], notes: list[str] | None = None) -> str:
    """Remove assignments that rebuild a loaded frame
    (``df = pd.DataFrame({...})``, ``df = sns.load_dataset(...)``).

    Small models copy the preview rows into a new frame, or load a placeholder file or
    sample dataset in its place; the plot would then show invented rows (or fail on a
    download the guard refuses) instead of the data. Dropping the assignment makes the
    program use the real frame; a file read into another name (``data = pd.read_csv(...)``)
    is given the loaded frame instead, when there is only one. Each edit changes which data
    is plotted, so each adds a line to ``notes`` for the user.
    """
    notes = [] if notes is None else notes
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    rebuilt: list[ast.stmt] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        func = node.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        targets = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id in frames]
        if targets and (_rebuilds(name) or _copies_columns(node.value, frames[targets[0]], frames)):
            rebuilt.append(node)
            notes.append(
                f"removed `{_short(node)}`, which replaced your `{targets[0]}` with made-up or sample "
                f"data; the program plots your `{targets[0]}`"
            )
    if rebuilt:  # removed without a trace: the edit leaves no placeholder, nor an import only they used
        code = replaced(code, [], rebuilt)
        tree = ast.parse(code)
    return _frame_for_reads(code, tree, frames, notes)


def _frame_for_reads(code: str, tree: ast.Module, frames: Mapping[str, Any], notes: list[str]) -> str:
    """``data = pd.read_csv('your_file.csv')``: the one loaded
    frame instead of a file (the guard refuses reads)."""
    if len(frames) != 1:
        return code
    pandas = {"pd", "pandas"} | {
        alias for alias, origin in imported_names(tree).items() if origin == "pandas"
    }
    reads = [
        (node.value, next(iter(frames)))
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr.startswith("read_")
        and ast.unparse(node.value.func.value) in pandas
        and all(isinstance(t, ast.Name) for t in node.targets)
    ]
    notes += [f"`{_short(call)}` became `{frame}`: your data is already loaded" for call, frame in reads]
    return replaced(code, reads) if reads else code


def _retyped_columns(node: ast.AST, frames: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """(frame, columns) when ``node`` is a dict literal of a frame's columns filled with typed-in values."""
    if not (
        isinstance(node, ast.Dict)
        and len(node.keys) >= 2
        and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys)
    ):
        return None
    if any(isinstance(n, ast.Name) and n.id in frames for v in node.values for n in ast.walk(v)):
        return None  # built from the real frame: not a copy of the preview
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
    owners = [
        name for name, frame in frames.items() if set(keys) <= set(map(str, getattr(frame, "columns", ())))
    ]
    return (owners[0], keys) if len(owners) == 1 else None


def real_columns_for_retyped_dicts(
    code: str, frames: Mapping[str, Any], notes: list[str] | None = None
) -> str:
    """``data = {'X': range(0, 7), 'Y': [...]}`` copies a frame's preview: use that frame's columns instead.

    The same slip as a rebuilt frame, written as a dict: the plot would show the few
    values of the preview (or fail on their lengths). The dict becomes a selection of
    the real frame's columns (a new frame: the program's edits never reach the user's),
    and ``notes`` says so.
    """
    notes = [] if notes is None else notes
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    from .patches.edit import replaced

    edits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and (found := _retyped_columns(node.value, frames))
        ):
            edits.append((node.value, f"{found[0]}[{found[1]!r}]"))
            notes.append(
                f"the typed-in values of {', '.join(map(repr, found[1]))} became `{found[0]}`'s real columns"
            )
    return replaced(code, edits) if edits else code


#: column_hint's words, read back by the patches that fix an unknown column. A patch renaming an unknown
#: column should rename only to ``closest_label(key, columns)`` (``CLOSEST_CUTOFF``), and never a name
#: ``index_role`` says is the frame's index or a level.
UNKNOWN_COLUMN = re.compile(r"has no column '([^']+)'")


def column_hint(
    frame: str, key: str, columns: Iterable[Any], line: int | None = None, data: Any = None
) -> str:
    """Say that ``key`` is not a column of ``frame``: what it is instead (the index, a level), the label it is
    a slip of (only when close: ``CLOSEST_CUTOFF``), else the real labels and the index's name."""
    columns = list(columns)
    where = f"line {line}: " if line else ""
    head = f"{where}{frame!s} has no column {key!r}."
    if data is not None and (role := index_role(str(key), data)):
        return f"{head} {index_advice(frame, *role)}"
    close = closest_label(str(key), columns)
    if close is not None:
        return f"{head} The closest is {close!r}. Its columns are: {listed_columns(columns)}."
    named = index_names(data) if data is not None else []
    index = (
        (
            f" Its index {'is' if len(named) == 1 else 'levels are'} {', '.join(map(repr, named))} (not "
            f"{'a column' if len(named) == 1 else 'columns'})."
        )
        if named
        else ""
    )
    return f"{head} No column is close. Its columns are: {listed_columns(columns)}.{index}"


def listed_columns(columns: Iterable[Any]) -> str:
    """A frame's labels as the findings show them: quoted, the first 40 (a hint, not a dump)."""
    return ", ".join(repr(c) for c in list(columns)[:40])


def completion(code: str, frames: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The program as it will run, and a note for each edit that changed which data it plots.

    Standard imports are added (no note: the program means them), rebuilt frames dropped
    and retyped columns made real (a note each: the user should know the model's program
    did not plot their data as written).
    """
    notes: list[str] = []
    code = drop_rebuilt_frames(add_missing_imports(code), frames, notes)
    return real_columns_for_retyped_dicts(code, frames, notes), tuple(notes)


def completed(code: str, frames: Mapping[str, Any]) -> str:
    """The program as it will run (``completion`` without its notes).

    The repair loop compares programs in this form, so a resubmission is caught
    even when the model's raw text differs only in what this step rewrites.
    """
    return completion(code, frames)[0]


def check_code(code: str, lib: str, frames: Mapping[str, Any], available: Iterable[str] = ()) -> CheckReport:
    """Complete standard imports, then list what would certainly fail."""
    if not code.strip():
        return CheckReport(code, ("the reply contained no code: answer with one ```python block",))
    code, notes = completion(code, frames)
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        line = (exc.text or "").strip()
        problem = f"SyntaxError on line {exc.lineno}: {exc.msg}: {line!r}"
        if _COPIED_SUMMARY.search(line):
            problem += (
                " (this line copies the data description, whose '(+N more)' marks values left out; "
                "do not retype data: use the columns of the frame already loaded)"
            )
        return CheckReport(code, (problem,))
    forbidden = [
        module
        for module in sorted(_imported_modules(tree) & set(FORBIDDEN_BY_LIB.get(lib, ())))
        if not (lib == "seaborn" and module == "matplotlib")
    ]
    problems = [FORBIDDEN_IMPORT.format(lib=lib, module=module) for module in forbidden]
    undefined = sorted(_unbound_names(tree, set(dir(builtins)) | set(frames) | set(available)))
    if undefined:
        problems.append(f"names used but never defined or imported: {', '.join(undefined)}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _FILE_READERS:
                problems.append(
                    f"line {node.lineno}: the code reads a file with {name}(); the data is already "
                    f"in memory as {', '.join(frames) or 'the given variables'}"
                )
    problems += _column_problems(tree, frames)
    problems += _placeholder_problems(tree, frames)
    problems += safety_problems(tree)
    return CheckReport(code, tuple(dict.fromkeys(problems)), tuple(forbidden), notes)
