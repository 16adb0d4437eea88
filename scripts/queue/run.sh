#!/usr/bin/env bash
# `npm run test:queue`: the node in real n8n queue mode (see scripts/queue/run.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node_modules/.bin/ts-node --transpile-only scripts/queue/run.ts "$@"
