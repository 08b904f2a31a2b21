"""``viscoder-bench``: PandasPlotBench through the magic's own pipeline.

The harness calls ``viscoder_magic.pipeline.run_request`` for every task, so its
numbers measure the product, not a copy of its logic.
"""
