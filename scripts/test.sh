#!/usr/bin/env bash
# One command that installs what is missing and runs every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
node_modules/.bin/eslint
set +e
# A test file stays on one worker, so its fixtures are made once, and files are
# handed out in the order tests/conftest.py gives them. One worker more than the
# cores: many tests wait (a failing step's timeout, a server, a child process),
# and with one worker per core both cores were idle 16 % of a run, 3 % with one more.
workers=$(( $(nproc) + 1 ))
.venv/bin/python -m pytest -n "$workers" --dist loadfile --no-loadscope-reorder "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$code"
