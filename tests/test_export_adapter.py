"""PEFT LoRA folder -> llama.cpp adapter GGUF: names, shapes, metadata, and the export stage's choice."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

gguf = pytest.importorskip("gguf")
torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from training.config import RunConfig  # noqa: E402
from training.export import adapter_base, export, make_parser  # noqa: E402
from training.export_adapter import main, peft_to_gguf  # noqa: E402
from viscoder_magic.errors import VisCodeError  # noqa: E402

HIDDEN, KV, INTER, RANK = 16, 8, 32, 2
#: PEFT module -> (out, in) of the matrix it adapts, in a tiny Qwen2.
SHAPES = {
    "self_attn.q_proj": (HIDDEN, HIDDEN),
    "self_attn.k_proj": (KV, HIDDEN),
    "mlp.down_proj": (HIDDEN, INTER),
}


def write_peft(folder: Path, *, layers: int = 2, extra: dict | None = None, **config: object) -> dict:
    """A PEFT adapter folder as ``save_pretrained`` writes it; returns its tensors."""
    from safetensors.torch import save_file

    torch.manual_seed(0)
    tensors = {}
    for layer in range(layers):
        for module, (out, inp) in SHAPES.items():
            key = f"base_model.model.model.layers.{layer}.{module}"
            tensors[f"{key}.lora_A.weight"] = torch.randn(RANK, inp)
            tensors[f"{key}.lora_B.weight"] = torch.randn(out, RANK)
    tensors.update(extra or {})
    folder.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    settings = {"peft_type": "LORA", "r": RANK, "lora_alpha": 8, "target_modules": ["q_proj"], **config}
    (folder / "adapter_config.json").write_text(json.dumps(settings))
    return tensors


def read(path: Path) -> tuple[dict, dict]:
    """(metadata key -> value, tensor name -> ReaderTensor) of a GGUF file."""
    reader = gguf.GGUFReader(str(path))
    fields = {name: field.contents() for name, field in reader.fields.items()}
    return fields, {t.name: t for t in reader.tensors}


def test_adapter_has_llama_cpp_metadata_names_and_orientation(tmp_path: Path) -> None:
    tensors = write_peft(tmp_path / "peft")
    target = peft_to_gguf(tmp_path / "peft", tmp_path / "a.lora.gguf", name="tiny")
    fields, found = read(target)
    assert fields["general.type"] == "adapter"
    assert fields["adapter.type"] == "lora"
    assert fields["adapter.lora.alpha"] == pytest.approx(8.0)
    assert fields["general.architecture"] == "qwen2"
    assert fields["general.name"] == "tiny"
    expected = {
        f"blk.{i}.{name}.weight.lora_{half}"
        for i in range(2)
        for name in ("attn_q", "attn_k", "ffn_down")
        for half in "ab"
    }
    assert set(found) == expected
    q_a, q_b = found["blk.1.attn_q.weight.lora_a"], found["blk.1.attn_q.weight.lora_b"]
    down_a, down_b = found["blk.0.ffn_down.weight.lora_a"], found["blk.0.ffn_down.weight.lora_b"]
    # ggml order (ne): A's ne[0] is the base matrix's input size, B's ne[1] its output size.
    assert list(down_a.shape) == [INTER, RANK] and list(down_b.shape) == [RANK, HIDDEN]
    assert list(found["blk.0.attn_k.weight.lora_b"].shape) == [RANK, KV]
    assert q_a.tensor_type == gguf.GGMLQuantizationType.F16
    source = tensors["base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight"].numpy()
    assert q_b.data.shape == source.shape
    assert abs(q_b.data.astype("float32") - source).max() < 1e-2  # F16 rounding only


def test_f32_adapter_keeps_the_exact_values(tmp_path: Path) -> None:
    tensors = write_peft(tmp_path / "peft", layers=1)
    target = peft_to_gguf(tmp_path / "peft", tmp_path / "a.lora.gguf", dtype="f32")
    _, found = read(target)
    source = tensors["base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"].numpy()
    assert (found["blk.0.ffn_down.weight.lora_a"].data == source).all()


def test_rslora_alpha_is_rescaled_for_llama_cpp(tmp_path: Path) -> None:
    write_peft(tmp_path / "peft", layers=1, use_rslora=True)
    fields, _ = read(peft_to_gguf(tmp_path / "peft", tmp_path / "a.lora.gguf"))
    # PEFT scales by alpha / sqrt(r); llama.cpp by alpha / r.
    assert fields["adapter.lora.alpha"] == pytest.approx(8 * math.sqrt(RANK))


@pytest.mark.parametrize(
    ("extra", "config", "phrase"),
    [
        ({"base_model.model.model.embed_tokens.weight": torch.zeros(4, HIDDEN)}, {}, "not a LoRA A or B"),
        ({}, {"use_dora": True}, "use_dora"),
        ({}, {"modules_to_save": ["lm_head"]}, "modules_to_save"),
        ({"base_model.model.lm_head.lora_A.weight": torch.zeros(RANK, HIDDEN)}, {}, "lacks the A or B"),
    ],
)
def test_what_an_adapter_cannot_carry_is_refused(
    tmp_path: Path, extra: dict, config: dict, phrase: str
) -> None:
    write_peft(tmp_path / "peft", layers=1, extra=extra, **config)
    with pytest.raises(VisCodeError, match=phrase):
        peft_to_gguf(tmp_path / "peft", tmp_path / "a.lora.gguf")


def test_lm_head_lora_is_refused_with_the_fix(tmp_path: Path) -> None:
    extra = {
        "base_model.model.lm_head.lora_A.weight": torch.zeros(RANK, HIDDEN),
        "base_model.model.lm_head.lora_B.weight": torch.zeros(64, RANK),
    }
    write_peft(tmp_path / "peft", layers=1, extra=extra)
    with pytest.raises(VisCodeError, match="lora_targets: all-linear"):
        peft_to_gguf(tmp_path / "peft", tmp_path / "a.lora.gguf")


def test_command_line_reports_a_bad_folder_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(tmp_path), str(tmp_path / "a.lora.gguf")]) == 2
    assert "not a PEFT adapter folder" in capsys.readouterr().err
    write_peft(tmp_path / "peft", layers=1)
    assert main([str(tmp_path / "peft"), str(tmp_path / "b.lora.gguf")]) == 0
    assert "MB)" in capsys.readouterr().out


def trained_run(run_dir: Path, base: str, method: str = "lora") -> Path:
    write_peft(run_dir / "sft" / "final", layers=1)
    (run_dir / "sft" / "final" / "base.json").write_text(json.dumps({"base": base, "method": method}))
    return run_dir


def test_adapter_is_written_over_a_gguf_base(tmp_path: Path) -> None:
    run_dir = trained_run(tmp_path / "run", "/cache/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
    (run_dir / "old.gguf").write_bytes(b"stale")
    config = RunConfig(name="mine")
    target = export(config, run_dir)
    assert target == run_dir / "mine.lora.gguf"
    assert [p.name for p in run_dir.glob("*.gguf")] == ["mine.lora.gguf"]
    info = json.loads((run_dir / "export.json").read_text())
    assert info["format"] == "adapter" and info["base"] == "qwen2.5-coder-0.5b"
    assert "export.json" in (run_dir / "MODEL_CARD.md").read_text()


def test_no_gguf_base_or_full_weights_mean_merged(tmp_path: Path) -> None:
    config = RunConfig()
    assert adapter_base(config, {"base": "runs/tiny/sft/base", "method": "lora"}) is None
    assert adapter_base(config, {"base": "/c/x.gguf", "method": "full"}) is None
    config.sft.base = "/models/my.gguf"
    assert adapter_base(config, {"base": "/models/my.gguf", "method": "lora"}) == "/models/my.gguf"
    run_dir = trained_run(tmp_path / "run", "runs/tiny/sft/base")
    with pytest.raises(VisCodeError, match="--merged"):
        export(config, run_dir, "adapter")


def test_export_options_choose_the_form() -> None:
    parser = make_parser()
    assert parser.parse_args(["--out", "r"]).form is None
    assert parser.parse_args(["--out", "r", "--merged"]).form == "merged"
    assert parser.parse_args(["--out", "r", "--adapter"]).form == "adapter"
    with pytest.raises(SystemExit):
        parser.parse_args(["--out", "r", "--adapter", "--merged"])


def test_the_config_can_choose_the_form_and_the_command_line_wins(tmp_path: Path, monkeypatch) -> None:
    import training.export as export_module

    chosen: list[str] = []
    monkeypatch.setattr(export_module, "export_merged", lambda config, run_dir: chosen.append("merged"))
    monkeypatch.setattr(export_module, "export_adapter", lambda config, run, base: chosen.append("adapter"))
    run_dir = trained_run(tmp_path / "run", "/cache/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
    config = RunConfig(name="mine")
    config.export.format = "merged"
    export(config, run_dir)
    export(config, run_dir, "adapter")
    config.export.format = "auto"
    export(config, run_dir)
    assert chosen == ["merged", "adapter", "adapter"]
    config.export.format = "gguf"
    with pytest.raises(VisCodeError, match="export.format is 'gguf'; use auto, adapter or merged"):
        export(config, run_dir)
