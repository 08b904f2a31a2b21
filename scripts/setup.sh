#!/usr/bin/env bash
# Set up .venv on a fresh machine and run the main job on the default model.
# Idempotent: a second run reuses the venv, pip's wheel cache and the assembled model.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null 2>&1; then
  # Debian's Chromium drives the JupyterLab browser test (never a browser download).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The JupyterLab extension is built by pip (hatch-jupyter-builder runs jlpm; Node.js >= 18 on PATH).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
# torch is pinned to the CPU build (an unpinned torch pulls a multi-GB CUDA build).
.venv/bin/pip install -q torch==2.13.0
# llama-cpp-python compiles from source the first time (~10 min on 2 cores); pip caches the wheel.
# On x86-64 it is built for AVX2 rather than -march=native: a native build on a recent Xeon uses
# AMX, whose Q4_K kernels crash the first decode (llama.cpp#20824). A CMAKE_ARGS of your own wins.
if [ "$(uname -m)" = x86_64 ] && [ -z "${CMAKE_ARGS:-}" ]; then
  export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
fi
.venv/bin/pip install -q -e ".[hf,train,bench,server,test]"

# The main job: assemble the default model (first run only), then plot a DataFrame with it.
.venv/bin/viscoder-demo "${@}"
