#!/usr/bin/env bash
# Installs what guidegen needs, only what is missing: Debian's Chromium (the
# browser, and its headless shell, which captures use), Noto CJK fonts, Node and
# npm, a virtual environment in .venv with the package, and ESLint in
# node_modules (exactly package-lock.json's versions, from the npm registry). Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
if [ -z "${GUIDEGEN_CHROMIUM:-}" ]; then
  if [ ! -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then
    need_apt+=(chromium)
  fi
  if [ ! -x /usr/lib/chromium/chromium-headless-shell ] \
     && ! command -v chromium-headless-shell >/dev/null 2>&1; then
    need_apt+=(chromium-headless-shell)
  fi
fi
# grep reads all of fc-list's output (no -q): an early exit would kill fc-list
# with SIGPIPE, which pipefail reports as a failure.
if ! fc-list 2>/dev/null | grep "Noto Sans CJK JP" >/dev/null; then
  need_apt+=(fonts-noto-cjk)
fi
# Node and npm for ESLint (scripts/test.sh lints the package's and the shop's JavaScript).
if ! command -v npm >/dev/null 2>&1; then
  need_apt+=(nodejs npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
    "${need_apt[@]}" fontconfig
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
# Reinstall only when the dependencies changed.
stamp=.venv/.guidegen-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$wanted" > "$stamp"
fi

# ESLint: reinstalled only when the lock file changed, so a machine without a
# network runs the checks with what it has; npm's cache is tried first.
stamp=node_modules/.guidegen-installed
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "setup: installing ESLint into node_modules (npm ci)"
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error \
    --registry=https://registry.npmjs.org/
  echo "$wanted" > "$stamp"
fi
