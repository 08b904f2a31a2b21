"""The ``%%viscode`` cell magic and the ``%viscode`` line magic.

The magic only parses, runs the pipeline and displays; each stage lives in its own
module. Settings are traitlets on ``VisCode`` (so ``%config VisCode.model = …`` and
IPython profiles work); cell flags override them for one cell. Every problem the
user can fix arrives as one ``VisCodeError`` and leaves here as a plain
``UsageError``: one paragraph, no traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display
from traitlets import Bool, Float, Int, Unicode
from traitlets.config import Configurable

from . import guard
from .backends import BackendSpec, get_backend, unload_all
from .backends.registry import choose_kind, loaded_backends
from .catalogue import catalogue_text
from .describe import as_frame
from .display import LiveStatus, show_result
from .errors import VisCodeError
from .pipeline import run_request
from .request import LIBRARIES, VisCodeRequest

SUBCOMMANDS = ("status", "models", "unload")


class VisCode(Configurable):
    """Site and user defaults for ``%%viscode`` (``%config VisCode.<name> = value``)."""

    model = Unicode("default", help="Model name (see `%viscode models`), GGUF path, HF id or folder.").tag(
        config=True
    )
    backend = Unicode("auto", help="llama, transformers, http, fake, or auto (chosen from the model).").tag(
        config=True
    )
    endpoint = Unicode(
        "", help="OpenAI-compatible server URL (e.g. http://127.0.0.1:8000/v1); empty: local model."
    ).tag(config=True)
    api_key_env = Unicode("OPENAI_API_KEY", help="Environment variable holding the server's API key.").tag(
        config=True
    )
    quant = Unicode("auto", help="transformers quantization: 4bit, 8bit, none, or auto (4bit on CUDA).").tag(
        config=True
    )
    lib = Unicode("matplotlib", help="Default plotting library: matplotlib, seaborn or plotly.").tag(
        config=True
    )
    rounds = Int(3, help="Repair rounds after the first attempt (0 runs once).").tag(config=True)
    candidates = Int(1, help="Candidates drawn per attempt (the first that works wins).").tag(config=True)
    temperature = Float(0.0, help="Sampling temperature of the first attempt (0: greedy).").tag(config=True)
    timeout = Float(30.0, help="Seconds one program may run before it is stopped.").tag(config=True)
    budget = Float(
        120.0,
        help="Seconds one cell may spend on all attempts together; a reply still being "
        "written then is cut and run as far as it went (the first reply is never cut).",
    ).tag(config=True)
    max_tokens = Int(1024, help="Most tokens the model may write per attempt.").tag(config=True)
    n_ctx = Int(4096, help="Context length for local llama.cpp models.").tag(config=True)
    unsafe = Bool(False, help="Lift the file, process and network rules (shows a warning).").tag(config=True)
    models_dir = Unicode(
        "runs",
        help="Folder scanned by `%viscode models` for trained models "
        "(.gguf files, folders with config.json).",
    ).tag(config=True)


def _unquote(value: str | None) -> str | None:
    """magic_arguments keeps shell quotes (``--model "a b"``); drop one matching pair."""
    if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def find_frames(names: list[str], user_ns: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The frames a cell is about: the named ones, or the only DataFrame in scope."""
    if not names:
        candidates = [n for n, v in user_ns.items() if isinstance(v, pd.DataFrame) and not n.startswith("_")]
        if len(candidates) == 1:
            names = candidates
        elif not candidates:
            raise VisCodeError(
                "There is no DataFrame in this notebook's variables. Create or load one "
                "(for example `df = pd.read_csv('data.csv')`) and name it on the magic "
                "line: `%%viscode df`."
            )
        else:
            raise VisCodeError(
                f"Several DataFrames are in scope ({', '.join(sorted(candidates))}); name the "
                f"one to plot on the magic line, for example `%%viscode {sorted(candidates)[0]}`."
            )
    frames = {}
    for name in names:
        if name not in user_ns:
            available = sorted(
                n for n, v in user_ns.items() if isinstance(v, pd.DataFrame) and not n.startswith("_")
            )
            listed = f" DataFrames in scope: {', '.join(available)}." if available else ""
            raise VisCodeError(
                f"There is no variable named `{name}`. Check the spelling or run the cell "
                f"that defines it first.{listed}"
            )
        frames[name] = as_frame(name, user_ns[name])
    return frames


class _LazyBackend:
    """A backend loaded when the run first needs the model (``--fix`` code that works needs none).

    Anything the pipeline asks of the model (its context size, tokenizer, batching) loads
    it and comes from it. Loading does not spend the cell's time budget: ``load_seconds``
    moves the budget's end (``pipeline._Loop.budget_end``); the pipeline fits the chat to the
    model, which loads it, before it sets a reply's deadline.
    """

    def __init__(self, load: Callable[[], Any], description: str) -> None:
        self._load, self._backend, self._description = load, None, description
        self.load_seconds = 0.0

    @property
    def description(self) -> str:
        return self._backend.description if self._backend is not None else self._description

    def _loaded(self) -> Any:
        if self._backend is None:
            start = time.perf_counter()
            self._backend = self._load()
            self.load_seconds = time.perf_counter() - start
        return self._backend

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # our own fields, before __init__ set them (copy, pickle)
            raise AttributeError(name)
        return getattr(self._loaded(), name)

    def generate(self, messages: Any, params: Any, on_token: Any = None) -> Any:
        return self._loaded().generate(messages, params, on_token)

    def close(self) -> None:
        """Nothing of ours to release: a loaded model stays in the shared registry."""


@magics_class
class VisCodeMagics(Magics, VisCode):
    """``%%viscode``: plot a DataFrame from a sentence with a local code model."""

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        import os

        from .settings import apply_env

        apply_env(self, os.environ)

    @magic_arguments()
    @argument(
        "frames",
        nargs="*",
        help="DataFrame variable(s) to plot; default: the only one in scope. "
        "On the line magic: status, models or unload.",
    )
    @argument("-l", "--lib", help="matplotlib, seaborn or plotly (default: VisCode.lib).")
    @argument("-m", "--model", help="Model name, GGUF path, Hugging Face id or folder.")
    @argument("--endpoint", help="OpenAI-compatible server URL to use instead of a local model.")
    @argument("-k", "--rounds", type=int, help="Repair rounds after the first attempt (default 3).")
    @argument("-n", "--candidates", type=int, help="Candidates per attempt (default 1).")
    @argument(
        "--fix",
        action="store_true",
        help="The cell is your own plotting code: run it, repair it if it fails.",
    )
    @argument(
        "--goal",
        help="With --fix: what the figure should show, in words (quoted); a figure that "
        "shows something else is repaired like an error.",
    )
    @argument("--insert", action="store_true", help="Insert the working code into a new cell below.")
    @argument("-o", "--out", help="Bind the result (code, attempts, figure, timings) to this variable.")
    @argument("--timeout", type=float, help="Seconds one program may run (default 30).")
    @argument(
        "--budget",
        type=float,
        help="Seconds the whole cell may spend (default 120); the first reply is never cut.",
    )
    @argument("--seed", type=int, help="Sampling seed, for reproducible runs.")
    @argument("--temperature", type=float, help="Sampling temperature of the first attempt (default 0).")
    @argument("--max-tokens", type=int, help="Most tokens per attempt (default 1024).")
    @argument("--unsafe", action="store_true", help="Allow files, processes and network (shows a warning).")
    @line_cell_magic
    def viscode(self, line: str, cell: str | None = None) -> None:
        """Turn a sentence about a DataFrame into a working plot.

        Usage::

            %%viscode [DF ...] [--lib matplotlib|seaborn|plotly] [--model NAME|PATH]
                      [--rounds K] [--fix [--goal TEXT]] [--insert] [--out VAR] [--timeout S]
                      [--seed N] [--temperature T] [--max-tokens N]
            what to plot, in words (or, with --fix, your own plotting code)

            %viscode status | models | unload

        The model writes code, the code runs on a copy of your data, and when it
        fails the traceback goes back to the model for up to K repair rounds. The
        working code is kept in ``_viscode`` (and ``--out VAR``).

        Examples::

            %%viscode sales --lib seaborn
            monthly revenue per region as stacked bars

            %%viscode scores --fix --insert
            plt.bar(scores['name'], scores['grade'])

            %%viscode scores --fix --goal "pie chart of grade per name"
            plt.bar(scores['name'], scores['grade'])
        """
        try:
            if cell is None:
                return self._line(line)
            return self._cell(line, cell)
        except VisCodeError as exc:
            raise UsageError(str(exc)) from None

    def _line(self, line: str) -> None:
        words = line.split()
        handlers: dict[str, Callable[[], None]] = {
            "status": self._status,
            "models": self._models,
            "unload": self._unload,
        }
        if len(words) != 1 or words[0] not in handlers:
            raise VisCodeError(
                f"`%viscode {line.strip()}` is not a command. Use `%viscode status`, "
                "`%viscode models` or `%viscode unload`, or `%%viscode DF` as a cell magic "
                "with your request on the lines below (`%viscode?` shows every option)."
            )
        handlers[words[0]]()

    def _parse(self, line: str, cell: str) -> VisCodeRequest:
        args = parse_argstring(self.viscode, line)
        for name in ("model", "endpoint", "out", "lib", "goal"):
            setattr(args, name, _unquote(getattr(args, name)))
        lib = args.lib or self.lib
        if lib not in LIBRARIES:
            raise VisCodeError(
                f"Unknown plotting library '{lib}'. Use --lib with one of: {', '.join(LIBRARIES)}."
            )
        if not cell.strip():
            raise VisCodeError(
                "The cell has no request. Write what to plot on the lines below the magic, "
                "for example `%%viscode df` then `monthly revenue per region as stacked bars`."
            )
        for option, value in (("--rounds", args.rounds), ("--candidates", args.candidates)):
            if value is not None and value < (0 if option == "--rounds" else 1):
                raise VisCodeError(
                    f"{option} must be at least {0 if option == '--rounds' else 1}; got {value}."
                )
        if args.goal and not args.fix:
            raise VisCodeError(
                "--goal describes what your own code (--fix) should draw. Without --fix, write "
                "what to plot in the cell itself and drop --goal."
            )
        if args.out is not None and not args.out.isidentifier():
            raise VisCodeError(f"--out needs a valid variable name; '{args.out}' is not one.")

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return VisCodeRequest(
            text=cell.strip("\n") if args.fix else cell.strip(),
            frames=tuple(args.frames),
            lib=lib,
            model=pick(args.model, self.model),
            endpoint=pick(args.endpoint, self.endpoint) or None,
            rounds=pick(args.rounds, self.rounds),
            candidates=pick(args.candidates, self.candidates),
            fix=args.fix,
            goal=args.goal or "",
            insert=args.insert,
            out=args.out,
            timeout=pick(args.timeout, self.timeout),
            budget=pick(args.budget, self.budget),
            seed=args.seed,
            temperature=pick(args.temperature, self.temperature),
            max_tokens=pick(args.max_tokens, self.max_tokens),
            unsafe=args.unsafe or self.unsafe,
            cell=f"%%viscode {line}\n{cell}",
        )

    def _cell(self, line: str, cell: str) -> None:
        request = self._parse(line, cell)
        user_ns = self.shell.user_ns
        frames = find_frames(list(request.frames), user_ns)
        request = VisCodeRequest(**{**request.__dict__, "frames": tuple(frames)})
        if request.unsafe:
            display(
                {
                    "text/plain": "⚠ viscode --unsafe: the file, process and network rules are OFF "
                    "for this cell; the code can change files on this machine."
                },
                raw=True,
            )
        status = LiveStatus()
        backend = self._load_backend(request, status)
        result = run_request(
            request, frames, user_ns, backend, progress=status, policy=guard.Policy(unsafe=request.unsafe)
        )
        show_result(result, self._provenance(request), status)
        user_ns["_viscode"] = result
        if request.out:
            user_ns[request.out] = result
        if request.insert and result.code:
            self.shell.set_next_input(result.code, replace=False)

    def spec_for(self, request: VisCodeRequest) -> BackendSpec:
        """The backend a request runs on (endpoint > explicit backend > chosen from the model)."""
        kind = choose_kind(request.model, request.endpoint, self.backend)
        return BackendSpec(
            kind=kind,
            model=request.model,
            endpoint=request.endpoint,
            quant=self.quant,
            n_ctx=self.n_ctx,
            api_key_env=self.api_key_env,
        )

    def _load_backend(self, request: VisCodeRequest, status: LiveStatus) -> Any:
        spec = self.spec_for(request)
        if request.fix and spec not in loaded_backends():
            # --fix runs the user's code first; the model is loaded only if a repair is needed.
            return _LazyBackend(lambda: get_backend(spec), f"{spec.kind}: {spec.model} (not loaded)")
        if spec not in loaded_backends():
            status.replace({"text/plain": f"viscode: loading {spec.model} ({spec.kind})…"})
        return get_backend(spec)

    @staticmethod
    def _provenance(request: VisCodeRequest) -> dict[str, Any]:
        return {
            "text": request.text,
            "frames": list(request.frames),
            "lib": request.lib,
            "model": request.model,
            "endpoint": request.endpoint,
            "rounds": request.rounds,
            "seed": request.seed,
            "temperature": request.temperature,
            "fix": request.fix,
            "goal": request.goal,
            "cell": request.cell,
        }

    def _status(self) -> None:
        from .settings import settings_report

        loaded = [b.description for b in loaded_backends().values()] or ["none"]
        print(settings_report(self) + "\nloaded models: " + ", ".join(loaded))

    def _models(self) -> None:
        print(catalogue_text(self.models_dir))

    def _unload(self) -> None:
        print(f"viscode: unloaded {unload_all()} model(s)")
