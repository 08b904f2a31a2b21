#!/usr/bin/env bash
# Re-resolve the locks to the newest releases that pyproject.toml allows, install them into .venv and
# run the tests. Run it on purpose, not on every change: when a dependency ships a release you need,
# when pyproject.toml's ranges change, or monthly to learn early what a new release breaks. Commit the
# lock files when the tests pass; CI and every fresh set-up then install exactly that.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "No .venv: run 'bash scripts/setup.sh' first." >&2; exit 2; }
.venv/bin/pip install -q --upgrade uv
compile() { .venv/bin/uv pip compile --quiet --upgrade --universal --python-version 3.11 \
  --custom-compile-command "bash scripts/lock.sh" "$@"; }
# The whole tested environment: every extra the set-up installs, plus pins.in (the CPU torch).
compile pyproject.toml requirements/pins.in --extra hf --extra train --extra bench --extra server \
  --extra test -o requirements/lock.txt
# The HTTP backend's oldest supported client, which tests/test_backend_http.py runs beside the locked one.
compile requirements/openai-oldest.in -o requirements/openai-oldest.txt
bash scripts/setup.sh
bash scripts/test.sh "$@"
