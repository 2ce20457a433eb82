#!/usr/bin/env bash
# Installs what guidegen needs, only what is missing: Debian's Chromium (the
# browser, and its headless shell, which captures use), Noto CJK fonts, and a
# virtual environment in .venv with the package. Safe to run again and again.
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
