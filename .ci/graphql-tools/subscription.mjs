// A real graphql-ws client (the npm package, over the `ws` WebSocket) subscribes to
// `catalogChanged` on a running skillgraph, a mutation is made over HTTP with an API key, and
// the event must arrive. Usage: node subscription.mjs http://HOST:PORT KEY
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [address, key] = process.argv.slice(2);
const client = createClient({
  url: `${address.replace("http://", "ws://")}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${key}` },
});

const fail = (message) => {
  console.error(`subscription: ${message}`);
  process.exit(1);
};
setTimeout(() => fail("no event within 10 s"), 10_000).unref();

const received = new Promise((resolve, reject) => {
  client.subscribe(
    { query: "subscription { catalogChanged(kinds: [SKILL]) { revision operation kind slug fields node { ... on Skill { name } } } }" },
    { next: resolve, error: reject, complete: () => reject(new Error("completed without an event")) },
  );
});

// The protocol does not acknowledge a subscription: give the server a moment to start it.
await new Promise((resolve) => setTimeout(resolve, 500));
const response = await fetch(`${address}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
  body: JSON.stringify({ query: 'mutation { updateSkill(input: {skill: "caching", name: "Caching (live)"}) { revision } }' }),
});
const written = await response.json();
if (written.errors) fail(`mutation failed: ${JSON.stringify(written)}`);

const event = await received;
const change = event.data?.catalogChanged;
const expected = { operation: "updateSkill", kind: "SKILL", slug: "caching", name: "Caching (live)" };
if (
  change?.revision !== written.data.updateSkill.revision ||
  change.operation !== expected.operation ||
  change.kind !== expected.kind ||
  change.slug !== expected.slug ||
  change.node?.name !== expected.name ||
  JSON.stringify(change.fields) !== JSON.stringify(["name"])
) {
  fail(`unexpected event ${JSON.stringify(event)}`);
}
console.log(`subscription: graphql-ws received revision ${change.revision} (${change.operation} ${change.slug})`);
await client.dispose();
process.exit(0);
