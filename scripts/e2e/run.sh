#!/usr/bin/env bash
# `npm run test:e2e`: the real-n8n end-to-end test (see test/e2e/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node_modules/.bin/ts-node --transpile-only scripts/e2e/run.ts "$@"
