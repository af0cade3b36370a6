#!/usr/bin/env bash
# Opens skillgraph's pages in headless Chromium (Debian's `chromium`, installed here when
# missing) with every other host unreachable: the IDEs and the explorer (pages.mjs), then the
# roadmap's legibility, the learner's view and an axe-core audit (roadmap.mjs); screenshots go
# to target/screenshots/.
# Usage: bash .ci/browser/run.sh
set -euo pipefail
browser="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
source "$browser/../start-server.sh"
trap stop_server EXIT

key="$("$root/target/debug/skillgraph" --database-url "sqlite://$scratch/skillgraph.db" \
  keys create --name ci-browser --scope write 2>/dev/null)"
node "$browser/pages.mjs" "$address" "$root/target/screenshots" "$key"
node "$browser/roadmap.mjs" "$address" "$root/target/screenshots"
