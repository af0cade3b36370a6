#!/usr/bin/env bash
# Counts the CPU instructions the server spends per request on one query, under valgrind's
# callgrind. Unlike requests per second, the count is the same from run to run on a busy or a
# quiet machine, so it shows what a change to the server's code is worth.
#
#   benches/instructions.sh DATABASE_URL [QUERY_NAME] [REQUESTS]
#
# DATABASE_URL is a database that already holds a graph (`skillgraph generate --database-url
# ...`); QUERY_NAME is N (default), D or F, the benchmark's queries; REQUESTS defaults to 30.
# Needs valgrind, curl and jq. Only the requests are counted: start-up, migrations and five
# warm-up requests are not. With ENCODING=gzip or br set, answers are asked for compressed
# (the size printed is then the compressed one). The database's own work (PostgreSQL's
# processes) is not counted; on SQLite it is, since the engine runs inside the server.
# The server is this checkout's `profiling` build (the release build with line tables; in
# CARGO_TARGET_DIR when set), or the binary SKILLGRAPH_BIN names, to count another build on
# the same database.
set -euo pipefail

database_url=${1:?usage: benches/instructions.sh DATABASE_URL [N|D|F] [REQUESTS]}
query_name=${2:-N}
requests=${3:-30}
case $query_name in
  N) query='{ roles(first: 50) { nodes { id name skills(first: 10) { edges { importance level node { id name slug } } } } } }' ;;
  D) query='{ role(slug: "role-1") { name skills(first: 10) { nodes { name languages(first: 5) { nodes { name frameworks(first: 5) { nodes { name } } } } } } } }' ;;
  F) query='{ roles(first: 10) { nodes { id name } } }' ;;
  *) echo "unknown query $query_name (N, D or F)" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
if [ -z "${SKILLGRAPH_BIN:-}" ]; then
  cargo build --profile profiling --quiet
  SKILLGRAPH_BIN="${CARGO_TARGET_DIR:-target}/profiling/skillgraph"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/out.%p" \
  "$SKILLGRAPH_BIN" serve --database-url "$database_url" --listen "127.0.0.1:$port" \
  > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" > /dev/null && break
  sleep 1
done
body=$(jq -n --arg query "$query" '{query: $query}')
# ENCODING=gzip (or br) asks for a compressed answer, to count what compression costs.
ask() {
  curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -d "$body" \
    ${ENCODING:+-H "accept-encoding: $ENCODING"} > "$work/answer.json"
}
for _ in 1 2 3 4 5; do ask; done
callgrind_control --instr=on "$server" > /dev/null 2>&1
for _ in $(seq 1 "$requests"); do ask; done
callgrind_control --instr=off "$server" > /dev/null 2>&1
callgrind_control --dump "$server" > /dev/null 2>&1
kill "$server"
wait "$server" || true
total=$(cat "$work"/out.* | awk '/^totals:/ { sum += $2 } END { print sum }')
echo "$query_name: $((total / requests)) instructions per request" \
  "($requests requests, answer of $(wc -c < "$work/answer.json") bytes)"
