// Runs the graphql-http server audit (GraphQL over HTTP conformance) against a running
// server and fails on any error or warning. Usage: node audit.mjs http://host:port/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status === 'ok') continue;
  const body = await result.response.text().catch(() => '');
  console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}`);
  console.log(`  ${result.reason}`);
  console.log(`  got ${result.response.status} ${result.response.headers.get('content-type')}: ${body.slice(0, 300)}`);
}
console.log(
  `graphql-http ${results.length} audits: ${counts.ok} ok, ${counts.notice} notices, ` +
    `${counts.warn} warnings, ${counts.error} errors`,
);
process.exit(counts.warn + counts.error === 0 ? 0 : 1);
