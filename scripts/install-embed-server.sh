#!/usr/bin/env bash
# An OpenAI-compatible embeddings server (infinity-emb, ~1.4 GB) in ./.venv-embed-server, for the test of
# PAPERCHAT_EMBED__BACKEND=openai and for users who serve the packaged embedder themselves (README, "Scale"). A venv of
# its own: it pins transformers 4.x, numpy 1.x and huggingface_hub<1, which PaperChat's own stack has moved past.
# Safe to re-run: skipped in a second once installed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
SERVER_VENV=.venv-embed-server
STAMP="$SERVER_VENV/.installed"
WANT=$(sha1sum scripts/install-embed-server.sh | cut -c1-16)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
echo "==> Installing the embeddings server (infinity-emb) in $SERVER_VENV"
STARTED=$SECONDS
[ -x "$SERVER_VENV/bin/python" ] || "$PY" -m venv "$SERVER_VENV"
PIP="$SERVER_VENV/bin/pip -q --disable-pip-version-check"
$PIP install torch==2.13.0  # the CPU wheel, as in the main install
$PIP install -c <(echo "torch==2.13.0") "infinity-emb[server,torch]==0.0.78"
echo "$WANT" >"$STAMP"
echo "    (embeddings server: $((SECONDS - STARTED)) s)"
