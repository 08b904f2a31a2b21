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
# Every package comes from the lock (requirements/lock.txt, made by scripts/lock.sh), so a fresh machine
# gets the versions CI tested, not whatever the registry holds today.
LOCK=(-c requirements/lock.txt)
# torch is pinned to the CPU build (an unpinned torch pulls a multi-GB CUDA build).
.venv/bin/pip install -q "${LOCK[@]}" torch==2.13.0
# llama-cpp-python compiles from source the first time (~10 min on 2 cores); pip caches the wheel.
# On x86-64 it is built for AVX2 rather than -march=native: a native build on a recent Xeon uses
# AMX, whose Q4_K kernels crash the first decode (llama.cpp#20824). A CMAKE_ARGS of your own wins.
if [ "$(uname -m)" = x86_64 ] && [ -z "${CMAKE_ARGS:-}" ]; then
  AVX2_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
  export CMAKE_ARGS="$AVX2_ARGS"
fi
.venv/bin/pip install -q "${LOCK[@]}" -e ".[hf,train,bench,server,test]"
# pip keys its wheel cache by the source archive alone, not by CMAKE_ARGS: a wheel that an earlier
# native build left there is reused as is. Such a wheel, built on an AMX Xeon, crashes its first
# decode (llama_cpp.server included), so when the library reports (or dies on) CPU-specific code,
# the cached wheel is dropped and rebuilt for AVX2.
if [ -n "${AVX2_ARGS:-}" ]; then
  portable=0; .venv/bin/python -m viscoder_magic.backends.llama_build --native || portable=$?
  if [ "$portable" != 1 ]; then
    echo "pip's cache held a llama-cpp-python wheel built natively by an earlier set-up: rebuilding it for AVX2 (~10 min)."
    .venv/bin/pip cache remove llama_cpp_python >/dev/null 2>&1 || true  # no cache (PIP_NO_CACHE_DIR): nothing to drop
    .venv/bin/pip install -q "${LOCK[@]}" --force-reinstall --no-deps --no-binary llama-cpp-python \
      "llama-cpp-python==$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')"
  fi
fi

# The main job: assemble the default model (first run only), then plot a DataFrame with it.
.venv/bin/viscoder-demo "${@}"
