"""The reuse rule: only tiled, shared rows, cut to an aligned start, the last prompt token never."""

from viscoder_magic.backends.llama_prefix import ALIGN, TILE, reusable, tiled_rows


def test_only_rows_the_tile_kernel_computed_count_as_reusable() -> None:
    assert tiled_rows(403) == 400 and tiled_rows(404) == 404 and TILE == 4


def test_a_rerun_keeps_the_aligned_part_and_evaluates_the_tail_as_a_fresh_run_does() -> None:
    prompt = list(range(404))
    cached = prompt + [9000, 9001, 9002]  # the previous reply's tokens follow the prompt
    keep = reusable(cached, tiled_rows(404), prompt)
    assert keep == 400 and keep % ALIGN == 0  # the last prompt token is evaluated again


def test_reuse_stops_at_the_first_difference_rounded_down() -> None:
    cached = list(range(300))
    prompt = list(range(37)) + [-1] * 100
    assert reusable(cached, 300, prompt) == 32


def test_rows_past_the_tiled_part_are_never_kept() -> None:
    prompt = list(range(500))
    cached = list(range(500))
    assert reusable(cached, 100, prompt) == 96  # rows 100.. were generated or multiplied one by one
    assert reusable(cached, 0, prompt) == 0
    assert reusable([], 0, prompt) == 0


def test_a_prompt_shorter_than_the_alignment_is_evaluated_whole() -> None:
    assert reusable(list(range(20)), 20, list(range(10))) == 0
