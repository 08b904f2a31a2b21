"""The benchmark's own prompt, built exactly as PandasPlotBench builds it.

Upstream (JetBrains-Research/PandasPlotBench, ``benchmark.py`` and
``code_plot_generator.generate_plotting_request``): the user turn is the
``plot_instruct`` followed by numbered task parts (setup, data description, plot
description, plot style), each left-stripped, and every ``"\\n\\n"`` collapsed once
into ``"\\n"``. The data description is the "head" descriptor, cut to 4000
characters. With ``--prompt ppb`` these messages open the chat; everything after
(extraction, checks, execution, repair turns) is the magic's own pipeline.
"""

from __future__ import annotations

import pandas as pd

from ..describe import head_description

Message = dict[str, str]
MAX_DESCRIPTION_CHARS = 4000


def setup_part(instructs: dict[str, str], lib: str) -> str:
    """``setup_instruct`` for ``lib``, with upstream's library restriction appended verbatim."""
    setup = instructs["setup_instruct"].replace("[PLOTLIB]", lib)
    if "matplotlib" not in lib and "seaborn" not in lib:
        setup += f"DO NOT use matplotlib for plotting. Only {lib} library. "
    if "matplotlib" in lib:
        setup += "DO NOT use seaborn for plotting. Only pure matplotlib. "
    return setup


def data_part(instructs: dict[str, str], frame: pd.DataFrame) -> str:
    """``data_instruct`` plus the "head" descriptor of the table."""
    return instructs["data_instruct"] + "\n" + head_description(frame)[:MAX_DESCRIPTION_CHARS]


def user_prompt(
    instructs: dict[str, str], lib: str, frame: pd.DataFrame, description: str, style: str
) -> str:
    """The user turn, as ``generate_plotting_request`` renders it."""
    task = instructs["plot_instruct"] + "\n"
    parts = [setup_part(instructs, lib), data_part(instructs, frame), description, style]
    number = 1
    for part in parts:
        part = part.lstrip()
        if part:
            task += f"{number}. {part}\n"
            number += 1
    return task.replace("\n\n", "\n")


def ppb_messages(
    instructs: dict[str, str], lib: str, frame: pd.DataFrame, description: str, style: str
) -> list[Message]:
    """System and user turns of the benchmark's own protocol."""
    return [
        {"role": "system", "content": instructs["system_prompt"]},
        {"role": "user", "content": user_prompt(instructs, lib, frame, description, style)},
    ]
