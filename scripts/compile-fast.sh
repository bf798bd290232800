#!/usr/bin/env bash
# Compiler launcher for the llama-server build (scripts/install.sh): ggml, the kernels that run for every token, is
# compiled as configured (-O3); the rest (the HTTP server, JSON, chat templates, argument parsing, model loading: code
# that runs once a request) at -O1, which compiles faster. Measured: see scripts/install.sh.
source=""
previous=""
for arg in "$@"; do
  [ "$previous" = "-c" ] && source=$arg
  previous=$arg
done
case "$source" in
  */ggml/src/*) exec "$@" ;;
esac
args=()
for arg in "$@"; do
  [ "$arg" = "-O3" ] && arg=-O1
  args+=("$arg")
done
exec "${args[@]}"
