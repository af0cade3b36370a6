# Sourced by the CI scripts that check a running server: builds skillgraph, starts it on a
# scratch SQLite database on a free port, waits until it is ready, and sets `address`. The
# caller's EXIT trap must call `stop_server`.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}

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
