"""Continue training from an adapter alone: the checkpoint's optimizer state stays behind.

A CPU run lasts under three hours and only the small fp16 adapter is committed, so the
next run may be on another machine with no ``RUN_DIR/sft/checkpoint-*``. ``sft.init_adapter``
starts from that adapter instead of fresh LoRA weights; the optimizer restarts with the
run's warm-up (``warmup_ratio``), which is what a fresh Adam state needs before full steps.
The data order continues too: each saved adapter records in ``progress.json`` how many
training examples it has seen and of which data, and the next run puts the unseen ones
first. New data (the next round of expert iteration) starts its order over.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from viscoder_magic.errors import VisCodeError

logger = logging.getLogger(__name__)

PROGRESS_FILE = "progress.json"


def data_fingerprint(source: Path) -> str:
    """The training file's hash: an example count means something only for the same data."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def write_progress(adapter: Path, examples_seen: int, fingerprint: str, seed: int) -> Path:
    """Record beside a saved adapter how far into which data order it has trained."""
    target = adapter / PROGRESS_FILE
    values = {"examples_seen": examples_seen, "data": fingerprint, "seed": seed}
    target.write_text(json.dumps(values, indent=2) + "\n")
    return target


def examples_seen(adapter: Path, fingerprint: str, seed: int) -> int:
    """How many examples of this data order the adapter has seen (0 for other data or another seed)."""
    source = adapter / PROGRESS_FILE
    if not source.is_file():
        logger.warning("sft: %s has no %s; the data order starts over", adapter, PROGRESS_FILE)
        return 0
    progress = json.loads(source.read_text())
    if progress.get("data") != fingerprint or progress.get("seed") != seed:
        logger.warning("sft: %s was trained on other data or another seed; the order starts over", adapter)
        return 0
    return int(progress.get("examples_seen", 0))


def unseen_first(rows: Any, seen: int) -> Any:
    """The same order, rotated so that the examples after the first ``seen`` come first."""
    if not len(rows) or not seen % len(rows):
        return rows
    start = seen % len(rows)
    return rows.select([*range(start, len(rows)), *range(start)])


def adapter_folder(path: str) -> Path:
    """The PEFT adapter folder to start from, or a clear error naming what is expected there."""
    folder = Path(path).expanduser()
    if not (folder / "adapter_config.json").is_file():
        raise VisCodeError(
            f"sft.init_adapter is {path!r}, which is not a PEFT adapter folder (no adapter_config.json). "
            "Point it at RUN_DIR/adapter of an earlier run (the fp16 adapter `viscoder-train sft` saves), "
            "or leave it empty to start from fresh LoRA weights."
        )
    return folder


def with_adapter(model: Any, folder: Path) -> Any:
    """``model`` with the trainable adapter of ``folder``; a misfit adapter is a clear error."""
    from peft import PeftModel

    try:
        return PeftModel.from_pretrained(model, str(folder), is_trainable=True)
    except (RuntimeError, ValueError, KeyError) as error:
        raise VisCodeError(
            f"The adapter in {folder} does not fit this base model ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:200]}). Train from the base it was made for (sft.base), "
            "or leave sft.init_adapter empty."
        ) from None
