"""The import layering, checked: no import runs upward, and no modules import each other in a circle.

The graph is read from the source with ``ast``, not from ``sys.modules``: every import
of ``viscoder_magic.*`` or ``training.*``, at module level or inside a function, is an
edge, since a lazy import is still a dependency (it only moves the failure to the first
call). A module is its own node; importing ``a.b.c`` is an edge to ``a.b.c`` only, not to
the packages above it (their ``__init__`` runs first, but what a package exports is its
own module's business), as import-linter's graph counts it.

Layers, highest first; a module may import its own layer or any below it:

==================  ================================================================
layer               modules
==================  ================================================================
training cli        ``training`` (the package), ``training.cli``
training stage      ``training.data`` (re-exports ``build``), ``training.data.build``,
                    ``training.sft``, ``training.export``, ``training.evaluate``
training helper     ``training.config``, the rest of ``training.data`` (frames,
                    charts, programs, render, records, faults, validate, teacher, ...)
magic               ``viscoder_magic`` (``load_ipython_extension``), ``magics``
pipeline            ``pipeline``, ``demo``, ``bench`` and everything under it
stage               each stage of the flow and its helpers: ``describe``, ``prompt``,
                    ``backends``, ``extract``, ``check``, ``safety_check``, ``execute``,
                    ``guard``, ``memory_limit``, ``repair``, ``hints_tables``, ``patches``
                    (its rules), ``facts*``, ``intent``, ``mismatch``, ``display``,
                    ``result``, ``request``, ``models``, ``catalogue``, ``settings``
primitive           ``errors``, ``failures``, ``library``, ``mime``, ``labels``, ``patches.edit``,
                    ``patches.ast_tools``
==================  ================================================================

``training`` sits above the whole product: it uses the product, the product never imports it.
``LAYER_OF`` below is the table the test reads; docs/ARCHITECTURE.md ("Layers") says the same.
"""

from __future__ import annotations

import ast
import fnmatch
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("viscoder_magic", "training")

#: Layer names, highest first.
LAYERS = ("training cli", "training stage", "training helper", "magic", "pipeline", "stage", "primitive")

_STAGES = (
    "describe",
    "long_form",
    "prompt",
    "checklist",
    "extract",
    "check",
    "safety_check",
    "execute",
    "guard",
    "memory_limit",
    "repair",
    "hints_tables",
    "facts",
    "facts_marks",
    "facts_columns",
    "facts_aggregates",
    "facts_matplotlib",
    "facts_matplotlib_collections",
    "facts_plotly",
    "intent",
    "mismatch",
    "display",
    "result",
    "request",
    "models",
    "catalogue",
    "settings",
)

#: Each module's layer. A row ending in ``.*`` covers a package's submodules; an exact row wins
#: over it, and a longer pattern over a shorter one.
LAYER_OF: dict[str, str] = {
    "training": "training cli",
    "training.cli": "training cli",
    "training.data": "training stage",  # the package re-exports the data stage's entry points
    "training.data.build": "training stage",
    "training.sft": "training stage",
    "training.export": "training stage",
    "training.evaluate": "training stage",
    "training.config": "training helper",
    "training.sft_*": "training helper",  # the sft stage's precision, callbacks and trainer
    "training.export_*": "training helper",  # the export stage's adapter converter
    "training.eval_*": "training helper",  # the eval stage's paired comparison
    "training.data.*": "training helper",
    "viscoder_magic": "magic",  # load_ipython_extension
    "viscoder_magic.magics": "magic",
    "viscoder_magic.pipeline": "pipeline",
    "viscoder_magic.demo": "pipeline",
    "viscoder_magic.bench": "pipeline",
    "viscoder_magic.bench.*": "pipeline",
    **{f"viscoder_magic.{name}": "stage" for name in _STAGES},
    "viscoder_magic.backends": "stage",
    "viscoder_magic.backends.*": "stage",
    "viscoder_magic.patches": "stage",  # ``patched``: the patch step's entry
    "viscoder_magic.patches.*": "stage",  # the rules and their registry
    "viscoder_magic.errors": "primitive",
    "viscoder_magic.failures": "primitive",  # the error classifier, read by hints, patches and the pipeline
    "viscoder_magic.failure_readers": "primitive",  # the messages only one patch rule reads
    "viscoder_magic.jsonl_lines": "primitive",  # whole lines of a results file a run appends to
    "viscoder_magic.library": "primitive",  # the libraries' own names, looked up by hints and patches
    "viscoder_magic.mime": "primitive",
    "viscoder_magic.labels": "primitive",
    "viscoder_magic.patches.edit": "primitive",
    "viscoder_magic.patches.ast_tools": "primitive",
}

Graph = dict[str, dict[str, int]]  # module -> {imported module: line of its first import}


def module_files(root: Path, packages: Sequence[str]) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of ``packages`` under ``root``."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _known(name: str, modules: Mapping[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is one of our modules (``a.b.Thing`` -> ``a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: Mapping[str, Path]
) -> Iterable[str | None]:
    """The modules of ours one import statement depends on."""
    if isinstance(node, ast.Import):
        return [_known(alias.name, modules) for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    # ``from pkg import sub`` depends on the submodule; ``from mod import name`` on the module.
    return [
        _known(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source, modules)
        for alias in node.names
    ]


def import_graph(root: Path, packages: Sequence[str]) -> tuple[Graph, dict[str, Path]]:
    """Every module's imports of ``packages``, module-level and function-level alike."""
    modules = module_files(root, packages)
    graph: Graph = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, module, path.name == "__init__.py", modules):
                    if target is not None and target != module:
                        edges[target] = min(edges.get(target, node.lineno), node.lineno)
    return graph, modules


def layer_of(module: str, table: Mapping[str, str]) -> str | None:
    """``module``'s layer: its own row, else the longest ``.*`` pattern that covers it."""
    if module in table:
        return table[module]
    patterns = [p for p in table if "*" in p and fnmatch.fnmatchcase(module, p)]
    return table[max(patterns, key=len)] if patterns else None


def unplaced(graph: Graph, table: Mapping[str, str], layers: Sequence[str]) -> list[str]:
    """Modules with no layer, rows that place nothing, and rows naming no layer."""
    problems = [f"{m} has no row in LAYER_OF: add one" for m in sorted(graph) if layer_of(m, table) is None]
    problems += [
        f"LAYER_OF row {row!r} matches no module: remove it"
        for row in table
        if not any(row == m or fnmatch.fnmatchcase(m, row) for m in graph)
    ]
    problems += [
        f"LAYER_OF row {row!r} names an unknown layer {layer!r}"
        for row, layer in table.items()
        if layer not in layers
    ]
    return problems


def upward_imports(
    graph: Graph, files: Mapping[str, Path], table: Mapping[str, str], layers: Sequence[str]
) -> list[str]:
    """Each import from a lower layer into a higher one, as ``file:line: a (layer) imports b (layer)``."""
    rank = {name: index for index, name in enumerate(layers)}  # 0 is the top
    found = []
    for module, edges in sorted(graph.items()):
        mine = layer_of(module, table)
        for target, line in sorted(edges.items()):
            theirs = layer_of(target, table)
            if mine in rank and theirs in rank and rank[theirs] < rank[mine]:
                found.append(f"{_where(files[module])}:{line}: {module} ({mine}) imports {target} ({theirs})")
    return found


def cycles(graph: Graph) -> list[tuple[list[str], list[str]]]:
    """Each set of modules that import each other, and one shortest loop through it (first module
    repeated)."""
    found = []
    for component in _strongly_connected(graph):
        if len(component) > 1:
            found.append((_shortest_loop(graph, component[0], set(component)), component))
    return sorted(found)


def _strongly_connected(graph: Graph) -> list[list[str]]:
    """The graph's strongly connected components, each sorted, in the order Tarjan's algorithm closes them."""
    return _Tarjan(graph).components()


class _Tarjan:
    """Tarjan's algorithm, iterative (a deep import chain must not hit the recursion limit)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[list[str]] = []

    def components(self) -> list[list[str]]:
        for root in sorted(self.graph):
            if root not in self.index:
                self._search(root)
        return self.found

    def _enter(self, node: str) -> Iterator[str]:
        """Number ``node`` and stack it; its children, in a fixed order so the report is stable."""
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return iter(sorted(self.graph.get(node, {})))

    def _search(self, root: str) -> None:
        """Depth first from ``root`` with an explicit stack of (node, children left to walk)."""
        work = [(root, self._enter(root))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                self._leave(node, work[-1][0] if work else None)
            elif child not in self.index:
                work.append((child, self._enter(child)))
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])

    def _leave(self, node: str, parent: str | None) -> None:
        """``node`` is done: its parent reaches what it reaches, and a root of a component closes it."""
        if parent is not None:
            self.low[parent] = min(self.low[parent], self.low[node])
        if self.low[node] != self.index[node]:
            return
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        self.found.append(sorted(component))


def _shortest_loop(graph: Graph, start: str, within: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself through ``within`` (breadth first)."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, {})):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child in within and child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"{start} is in a cycle but no loop was found")  # unreachable for an SCC


def describe_cycle(
    loop: Sequence[str], members: Sequence[str], graph: Graph, files: Mapping[str, Path]
) -> str:
    """``a -> b -> a``, where each of those imports is, and the other modules caught in the same circle."""
    steps = "; ".join(f"{_where(files[a])}:{graph[a][b]} imports {b}" for a, b in pairwise(loop))
    others = sorted(set(members) - set(loop))
    return f"{' -> '.join(loop)} ({steps})" + (
        f"; also in this circle: {', '.join(others)}" if others else ""
    )


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@pytest.fixture(scope="module")
def project() -> tuple[Graph, dict[str, Path]]:
    return import_graph(ROOT, PACKAGES)


def test_every_module_has_one_layer(project: tuple[Graph, dict[str, Path]]) -> None:
    graph, _ = project
    problems = unplaced(graph, LAYER_OF, LAYERS)
    assert not problems, "\n".join(problems)


def test_no_import_runs_upward(project: tuple[Graph, dict[str, Path]]) -> None:
    graph, files = project
    found = upward_imports(graph, files, LAYER_OF, LAYERS)
    assert not found, "imports from a lower layer into a higher one:\n" + "\n".join(found)


def test_no_import_cycle(project: tuple[Graph, dict[str, Path]]) -> None:
    graph, files = project
    found = [describe_cycle(loop, members, graph, files) for loop, members in cycles(graph)]
    assert not found, "modules that import each other (move what they share down a layer):\n" + "\n".join(
        found
    )


def test_the_graph_reads_lazy_and_absolute_imports(project: tuple[Graph, dict[str, Path]]) -> None:
    """Edges the checks rely on: a function-level import, an absolute one, ``from . import module``."""
    graph, _ = project
    assert "viscoder_magic.magics" in graph["viscoder_magic"]  # inside load_ipython_extension
    assert "viscoder_magic.bench.cli" in graph["training.evaluate"]  # absolute, inside a function
    assert {"viscoder_magic.facts_columns", "viscoder_magic.facts_plotly"} <= set(
        graph["viscoder_magic.facts"]
    )
    assert "viscoder_magic.backends.fake" not in graph["viscoder_magic.backends.registry"]  # found by name


def _write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_lazy_upward_import_and_its_cycle_are_caught(tmp_path: Path) -> None:
    """The checks on a small package: a function-level import from a low module to a high one."""
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/low.py": "def helper():\n    from . import high\n    return high\n",
            "pkg/high.py": "from pkg.low import helper\n",
            "pkg/sub/__init__.py": "from ..low import helper\n",
        },
    )
    graph, files = import_graph(tmp_path, ["pkg"])
    table = {"pkg": "top", "pkg.high": "top", "pkg.low": "bottom", "pkg.sub": "top", "pkg.gone": "top"}
    assert unplaced(graph, table, ("top", "bottom")) == [
        "LAYER_OF row 'pkg.gone' matches no module: remove it"
    ]
    assert upward_imports(graph, files, table, ("top", "bottom")) == [
        f"{files['pkg.low']}:2: pkg.low (bottom) imports pkg.high (top)"
    ]
    assert cycles(graph) == [(["pkg.high", "pkg.low", "pkg.high"], ["pkg.high", "pkg.low"])]
    assert graph["pkg.sub"] == {"pkg.low": 1}  # ``..`` from a package's ``__init__``
    message = describe_cycle(*cycles(graph)[0], graph, files)
    assert (
        message.startswith("pkg.high -> pkg.low -> pkg.high (") and "pkg/low.py:2 imports pkg.high" in message
    )
