#!/usr/bin/env bash
# Installs what is missing (seconds when already installed): PaperChat with its test tools and the optional backends
# the tests run, the embeddings server the openai-embedder test starts, Chromium. Then lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
bash scripts/install-embed-server.sh
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> Installing Debian's chromium for the browser tests"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "==> ruff check (lint, settings in pyproject.toml)"
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"
