"""Static safety rules: name what the guard would refuse, before the code runs.

The runtime audit hook (``guard``) is the enforcement; this pass only reads the
program (``ast``) so the model gets a precise, line-numbered reason to repair
against without spending a run. It resolves import aliases (``import os as o``,
``from os import system``) but cannot see through computed names; those are left
to the guard, except that computing names to call is itself reported.
"""

from __future__ import annotations

import ast

from .patches.ast_tools import imported_names

_FORBIDDEN_MODULES = {
    "subprocess": "starts processes",
    "pty": "starts processes",
    "multiprocessing": "starts processes",
    "socket": "opens network connections",
    "urllib": "opens network connections",
    "http": "opens network connections",
    "requests": "opens network connections",
    "ftplib": "opens network connections",
    "smtplib": "opens network connections",
    "webbrowser": "starts a browser",
    "ctypes": "loads native code",
    "cffi": "loads native code",
    "shutil": "changes files",
    "tempfile": "creates files",
    "threading": "starts threads",
    "_thread": "starts threads",
    "signal": "changes signal handling",
    "faulthandler": "can crash the kernel",
    "resource": "changes resource limits",
    "gc": "reaches the notebook's objects",
    "importlib": "imports modules by computed names",
    "__main__": "reaches the notebook's variables",
    "IPython": "reaches the IPython shell",
}
_FORBIDDEN_CALLS = {
    "os.system": "starts a process",
    "os.popen": "starts a process",
    "os.fork": "starts a process",
    "os.remove": "deletes a file",
    "os.unlink": "deletes a file",
    "os.rmdir": "deletes a folder",
    "os.removedirs": "deletes folders",
    "os.rename": "moves a file",
    "os.replace": "moves a file",
    "os.mkdir": "creates a folder",
    "os.makedirs": "creates folders",
    "os.truncate": "changes a file",
    "os.chmod": "changes a file",
    "os.kill": "signals a process",
    "os.killpg": "signals processes",
    "os._exit": "ends the kernel",
    "os.abort": "ends the kernel",
    "os.closerange": "closes the kernel's files",
    "os.chdir": "changes the kernel's folder",
    "os.putenv": "changes the kernel's environment",
    "sys.exit": "ends the program",
    "sys.setrecursionlimit": "can crash the kernel",
    "sys.settrace": "reaches the notebook's objects",
    "sys._getframe": "reaches the notebook's variables",
}
_FORBIDDEN_BUILTINS = {
    "exec": "runs code from a string",
    "eval": "runs code from a string",
    "compile": "compiles code from a string",
    "__import__": "imports modules by computed names",
    "exit": "ends the program",
    "quit": "ends the program",
    "input": "waits for keyboard input",
    "breakpoint": "starts a debugger",
    "get_ipython": "reaches the IPython shell",
}
#: Method names that write or delete files whatever object they are called on.
_WRITING_METHODS = {
    "unlink",
    "rmdir",
    "touch",
    "write_text",
    "write_bytes",
    "mkdir",
    "savefig",
    "to_csv",
    "to_excel",
    "to_parquet",
    "to_pickle",
    "to_feather",
    "to_sql",
    "to_hdf",
    "write_html",
    "write_image",
    "write_json",
    "to_file",
}
#: pathlib methods that write whatever their arguments.
_PATH_WRITERS = {"unlink", "rmdir", "touch", "write_text", "write_bytes", "mkdir"}
_INTROSPECTION = {
    "__subclasses__",
    "__globals__",
    "__builtins__",
    "f_back",
    "f_locals",
    "f_globals",
    "tb_frame",
    "gi_frame",
    "__code__",
}
_WRITE_MODES = set("wax+")


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    """``o.path.join`` -> ``os.path.join`` after resolving the first name; '' if not a plain chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def _import_problems(tree: ast.AST) -> list[str]:
    problems = []
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        for module in modules:
            why = _FORBIDDEN_MODULES.get(module.split(".")[0])
            if why:
                problems.append(
                    f"line {node.lineno}: `import {module}` {why}, which code run by "
                    "%%viscode may not do; build the figure from the data only"
                )
    return problems


def call_problem(node: ast.Call, aliases: dict[str, str]) -> str | None:
    name = _dotted(node.func, aliases)
    if name.startswith("posix."):
        name = "os." + name[len("posix.") :]
    line = f"line {node.lineno}: "
    if name in _FORBIDDEN_CALLS:
        return f"{line}{name}() {_FORBIDDEN_CALLS[name]}, which code run by %%viscode may not do; remove it"
    if name.startswith(("os.exec", "os.spawn", "os.posix_spawn")) or name == "os.open":
        what = "opens a file descriptor" if name == "os.open" else "starts a process"
        return f"{line}{name}() {what}, which code run by %%viscode may not do; remove it"
    if (
        isinstance(node.func, ast.Name)
        and node.func.id in _FORBIDDEN_BUILTINS
        and node.func.id not in aliases
    ):
        return f"{line}{node.func.id}() {_FORBIDDEN_BUILTINS[node.func.id]}; write the plotting code directly"
    if (
        isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "setattr")
        and len(node.args) > 1
        and not isinstance(node.args[1], ast.Constant)
    ):
        return f"{line}{node.func.id}() with a computed name hides what is called; name the attribute"
    if name.endswith("open") and _writes(node):
        return (
            f"{line}open() for writing is not allowed; the figure is returned to the notebook, "
            "so do not write files"
        )
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    if (
        method in _PATH_WRITERS
        or method in _WRITING_METHODS
        and (node.args or any(k.arg in ("path", "fname", "file") for k in node.keywords))
    ):
        fix = "the figure is returned to the notebook automatically, so remove this call"
        return f"{line}.{method}() writes a file, which code run by %%viscode may not do; {fix}"
    return None


def _writes(node: ast.Call) -> bool:
    modes = [node.args[1]] if len(node.args) > 1 else [k.value for k in node.keywords if k.arg == "mode"]
    return any(
        isinstance(m, ast.Constant) and isinstance(m.value, str) and _WRITE_MODES & set(m.value)
        for m in modes
    )


def _endless(node: ast.While) -> bool:
    """``while True`` with no ``break``/``return`` in its own body (nested loops aside)."""
    if not (isinstance(node.test, ast.Constant) and node.test.value):
        return False
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, (ast.Break, ast.Return, ast.Raise)):
            return False
        if not isinstance(child, (ast.While, ast.For, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(child))
    return True


def safety_problems(tree: ast.AST) -> list[str]:
    """What the guard would refuse (or what would hang), one line-numbered reason each."""
    aliases = imported_names(tree)
    problems = _import_problems(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (problem := call_problem(node, aliases)):
            problems.append(problem)
        elif isinstance(node, ast.Attribute) and node.attr in _INTROSPECTION:
            problems.append(
                f"line {node.lineno}: `.{node.attr}` reaches interpreter internals; "
                "use only the data and the plotting library"
            )
        elif isinstance(node, ast.Name) and node.id == "__builtins__":
            problems.append(
                f"line {node.lineno}: `__builtins__` reaches interpreter internals; "
                "call the builtin functions directly"
            )
        elif isinstance(node, ast.While) and _endless(node):
            problems.append(
                f"line {node.lineno}: `while True` never ends (no break); loop over the data instead"
            )
    return list(dict.fromkeys(problems))
