#!/usr/bin/env bash
# Starts skillgraph on a scratch SQLite database and checks it with standard GraphQL tooling:
# the graphql-http server audit (fails on any error or warning) and a graphql-js full
# introspection round-trip against schema.graphql, and a graphql-ws client that receives the
# event of a mutation made over HTTP. Usage: bash .ci/graphql-tools/run.sh
set -euo pipefail
tools="$(cd "$(dirname "$0")" && pwd)"
(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
source "$tools/../start-server.sh"
trap stop_server EXIT

node "$tools/audit.mjs" "$address/graphql"
node "$tools/introspection.mjs" "$address/graphql" "$root/schema.graphql"

key="$("$root/target/debug/skillgraph" --database-url "sqlite://$scratch/skillgraph.db" \
  keys create --name ci-subscription --scope write 2>/dev/null)"
node "$tools/subscription.mjs" "$address" "$key"
