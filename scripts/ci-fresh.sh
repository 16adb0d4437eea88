#!/usr/bin/env bash
# CI as a brand-new machine sees it: clone the current commit into a temp folder and run .ci/run there
# with HOME and E2E_CACHE_DIR pointing at new, empty temp folders (so no npm cache, no n8n install, no
# ~/.npmrc from earlier runs can help). Prints the wall time. Uncommitted changes are not included.
# Usage: bash scripts/ci-fresh.sh [commit]   (default HEAD; KEEP=1 keeps the temp folders afterwards)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$repo" rev-parse "${1:-HEAD}")"
work="$(mktemp -d "${TMPDIR:-/tmp}/b24-ci-fresh.XXXXXX")"
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/home" "$work/e2e-cache" "$work/tmp"
# traversable like /tmp: the queue test runs PostgreSQL as the postgres user inside TMPDIR
chmod 755 "$work" "$work/tmp"
git clone --quiet --no-hardlinks "$repo" "$work/repo"
git -C "$work/repo" checkout --quiet --detach "$commit"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "ci-fresh: note: uncommitted changes in $repo are not part of this run" >&2
fi
echo "ci-fresh: commit $commit in $work/repo; HOME=$work/home E2E_CACHE_DIR=$work/e2e-cache"
# the environment of a fresh login: nothing that `npm run` or a previous run exported
unset_vars=()
for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(N8N_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(E2E_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset_vars+=(-u "$v")
done
start=$SECONDS
set +e
(cd "$work/repo" && env "${unset_vars[@]}" CI=true HOME="$work/home" E2E_CACHE_DIR="$work/e2e-cache" \
  TMPDIR="$work/tmp" bash .ci/run)
rc=$?
set -e
secs=$((SECONDS - start))
echo "ci-fresh: .ci/run exited $rc after $((secs / 60)) min $((secs % 60)) s (commit ${commit:0:10})"
exit $rc
