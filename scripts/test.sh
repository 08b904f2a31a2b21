#!/usr/bin/env bash
# Run the checks: lint, then every test except those marked slow (unit + end-to-end on the real model).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check viscoder_magic training tests benchmarks
.venv/bin/ruff format --check viscoder_magic training tests benchmarks   # one layout, so diffs show changes
(cd labextension && PATH="$PWD/../.venv/bin:$PATH" jlpm test)   # TypeScript unit tests of the renderer
.venv/bin/pytest -m "not slow" -q -rs "${@}"
