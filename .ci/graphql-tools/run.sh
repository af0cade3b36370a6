#!/usr/bin/env bash
# Starts skillgraph on a scratch SQLite database and checks it with standard GraphQL tooling:
# the graphql-http server audit (fails on any error or warning) and a graphql-js full
# introspection round-trip against schema.graphql. Usage: bash .ci/graphql-tools/run.sh
set -euo pipefail
tools="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$tools/../.." && pwd)"
scratch="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$root" && cargo build --locked --quiet --bin skillgraph)

"$root/target/debug/skillgraph" --database-url "sqlite://$scratch/skillgraph.db" \
  serve --listen 127.0.0.1:0 >"$scratch/server.log" 2>&1 &
server_pid=$!

# The server picks a free port and logs it; wait for that line, then for readiness.
address=""
for _ in $(seq 1 100); do
  address="$(grep -o 'listening on http://[0-9.:]*' "$scratch/server.log" | head -1 | cut -d' ' -f3 || true)"
  [[ -n "$address" ]] && curl -sf "$address/ready" >/dev/null && break
  sleep 0.1
done
if ! curl -sf "$address/ready" >/dev/null; then
  echo "skillgraph did not become ready:" >&2
  cat "$scratch/server.log" >&2
  exit 1
fi

node "$tools/audit.mjs" "$address/graphql"
node "$tools/introspection.mjs" "$address/graphql" "$root/schema.graphql"
