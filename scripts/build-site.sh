#!/usr/bin/env bash
# One command from a fresh clone to a built help site in site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/guidegen lint
.venv/bin/guidegen capture
.venv/bin/guidegen build
echo
echo "The site is in $(pwd)/site/ (Japanese: site/index.html, English: site/en/index.html)."
echo "To browse it: .venv/bin/python -m http.server -d site -b 127.0.0.1 8000, then open http://127.0.0.1:8000/"
