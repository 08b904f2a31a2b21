"""The SFT trainer with answer-only logits, the held-out split, the fp16 adapter and metrics.json.

On CUDA, TRL's fused LM head already projects only the positions whose label is
kept. Without Triton (every CPU) it projects every position through the 150k-word
vocabulary in tiles, prompt included, and masks the result afterwards; on a chat
whose prompt is most of the sequence that is most of the LM-head work thrown away.
:class:`AnswerLossTrainer` there runs the backbone, keeps the hidden states of the
answer positions, and projects only those.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from trl import SFTTrainer


def answer_loss(model: Any, inputs: dict[str, Any], num_items_in_batch: Any = None) -> tuple[Any, Any, Any]:
    """Cross-entropy over the answer tokens, computing vocabulary logits only there.

    Returns the loss (summed over kept tokens, divided by ``num_items_in_batch`` when the
    Trainer counts tokens across gradient accumulation, else by the kept count), the
    logits of the kept positions and their targets (for token accuracy).
    """
    core = model.get_base_model() if hasattr(model, "get_base_model") else model
    features = {k: v for k, v in inputs.items() if k not in ("labels", "completion_mask")}
    hidden = core.base_model(**features, use_cache=False).last_hidden_state
    labels = inputs["labels"][:, 1:]
    keep = labels != -100
    logits = core.get_output_embeddings()(hidden[:, :-1][keep]).float()
    targets = labels[keep]
    total = F.cross_entropy(logits, targets, reduction="sum")
    count = num_items_in_batch if num_items_in_batch is not None else keep.sum().clamp(min=1)
    return total / torch.as_tensor(count, device=total.device), logits, targets


class AnswerLossTrainer(SFTTrainer):
    """``SFTTrainer`` whose loss projects only answer positions when ``answer_logits_only`` is set.

    Only for one process without Triton; elsewhere TRL's own fused head is used unchanged.
    """

    answer_logits_only = False

    def compute_loss(
        self, model: Any, inputs: dict[str, Any], return_outputs: bool = False, num_items_in_batch: Any = None
    ) -> Any:
        if return_outputs or not self.answer_logits_only or self.accelerator.num_processes > 1:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        loss, logits, targets = answer_loss(model, inputs, num_items_in_batch)
        mode = "train" if self.model.training else "eval"
        if targets.numel():
            accuracy = (logits.detach().argmax(-1) == targets).float().mean().item()
            self._metrics[mode]["mean_token_accuracy"].append(accuracy)
        return loss


def split_examples(rows: Any, fraction: float, seed: int) -> tuple[Any, Any]:
    """(train, held-out) rows; the held-out part is ``fraction`` of them (at least one), none below 2 rows.

    The split is seeded and shuffles the training rows, which the trainer then reads in order
    (``train_sampling_strategy="sequential"``): a resumed run holds out the same examples, and a
    run continued from an adapter alone can put the unseen examples first.
    """
    if fraction <= 0 or len(rows) < 2:
        return rows.shuffle(seed=seed), None
    size = min(len(rows) - 1, max(1, round(len(rows) * fraction)))
    parts = rows.train_test_split(test_size=size, seed=seed, shuffle=True)
    return parts["train"], parts["test"]


def save_fp16_adapter(model: Any, target: Path) -> Path:
    """The LoRA adapter as fp16 safetensors (half the size; PEFT upcasts on load)."""
    from safetensors.torch import load_file, save_file

    model.save_pretrained(str(target))
    weights = target / "adapter_model.safetensors"
    tensors = {k: v.to(torch.float16) if v.is_floating_point() else v for k, v in load_file(weights).items()}
    save_file(tensors, weights, metadata={"format": "pt"})
    return target


def examples_per_hour(steps: int, examples_per_step: int, seconds: float) -> float:
    """Training throughput of this run (evaluation and checkpoint time included: it is what a user waits)."""
    return round(steps * examples_per_step * 3600.0 / seconds, 1) if seconds > 0 and steps > 0 else 0.0


def write_metrics(run_dir: Path, values: dict[str, Any]) -> Path:
    """Merge ``values`` under the ``sft`` key of RUN_DIR/metrics.json (other stages keep theirs)."""
    target = run_dir / "metrics.json"
    metrics = json.loads(target.read_text()) if target.is_file() else {}
    metrics["sft"] = values
    target.write_text(json.dumps(metrics, indent=2) + "\n")
    return target
