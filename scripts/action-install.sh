#!/usr/bin/env bash
# The GitHub Action's install step: installs conn-lint's dependencies in the action's own checkout
# and builds it (npm ci runs the `prepare` build). tree-sitter compiles with the runner's g++ when
# its prebuilt binary does not load.
set -euo pipefail
root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
if [ -f dist/src/cli.js ] && [ -d node_modules ]; then
  echo "conn-lint is already built in $root"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
node bin/conn-lint --version
