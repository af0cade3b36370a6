// Opens skillgraph's browser pages in headless Chromium (Debian's package), with every host
// but the server unreachable, and checks what a person would see: GraphiQL runs its example
// query and shows the answer, GraphQL Playground shows its editor. Screenshots are written to
// the folder given, for a person to look at.
//
//   node pages.mjs http://127.0.0.1:PORT SCREENSHOT_DIR [API_KEY]
//
// With an API key, GraphiQL also runs a subscription and must show the change a mutation
// (sent here, over HTTP) commits.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [address, shots, key] = process.argv.slice(2);
if (!address || !shots) {
  console.error('usage: node pages.mjs ADDRESS SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const server = new URL(address);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Any other host does not resolve: an asset fetched from a CDN would fail to load.
    `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${server.hostname}`,
  ],
});
const failures = [];
const elsewhere = [];

async function open(path) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.host !== server.host) {
      elsewhere.push(`${path}: ${request.url()}`);
    }
  });
  page.on('pageerror', (error) => failures.push(`${path}: script error: ${error.message}`));
  page.on('requestfailed', (request) =>
    failures.push(`${path}: request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  await page.goto(new URL(path, address).toString(), { waitUntil: 'load' });
  return page;
}

async function check(name, run) {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures.push(`${name}: ${error.message.split('\n')[0]}`);
    console.log(`FAIL ${name}`);
  }
}

await check('GraphiQL runs the example query and shows the answer', async () => {
  const page = await open('/');
  await page.waitForSelector('.graphiql-container', { state: 'visible', timeout: 20000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => document.querySelector('.result-window')?.innerText.includes('Backend Developer'),
    null,
    { timeout: 20000 },
  );
  const answer = await page.innerText('.result-window');
  if (!answer.includes('"importance": "ESSENTIAL"')) {
    throw new Error(`the answer lacks the edges' importance: ${answer.slice(0, 300)}`);
  }
  await page.screenshot({ path: `${shots}/graphiql.png` });
  await page.close();
});

if (key) {
  await check('GraphiQL runs a subscription and shows a change as it is committed', async () => {
    const page = await open('/');
    await page.waitForSelector('.graphiql-container', { state: 'visible', timeout: 20000 });
    await page.evaluate((query) => {
      document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query);
    }, 'subscription { catalogChanged(kinds: [SKILL]) { revision operation slug fields } }');
    await page.click('.graphiql-execute-button');
    // The protocol does not acknowledge a subscription, so the change is made again each
    // second until one shows (or 20 s pass).
    const shown = () =>
      page.evaluate(() =>
        document.querySelector('.result-window')?.innerText.includes('"operation": "updateSkill"'));
    let seen = false;
    for (let attempt = 0; attempt < 20 && !seen; attempt += 1) {
      const response = await fetch(`${address}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query: 'mutation { updateSkill(input: {skill: "caching", description: "Seen live."}) { revision } }',
        }),
      });
      const written = await response.json();
      if (written.errors) throw new Error(`the mutation failed: ${JSON.stringify(written)}`);
      await page.waitForTimeout(1000);
      seen = await shown();
    }
    await page.screenshot({ path: `${shots}/graphiql-subscription.png` });
    if (!seen) {
      const text = await page.innerText('.result-window');
      throw new Error(`no change shown: ${text.slice(0, 300)}`);
    }
    await page.close();
  });
}

await check('GraphQL Playground shows its editor and runs the example query', async () => {
  const page = await open('/playground');
  const editor = await page.waitForSelector('.CodeMirror', { state: 'visible', timeout: 30000 });
  await page.waitForFunction(
    () => document.body.innerText.includes('backend-developer'),
    null,
    { timeout: 20000 },
  );
  const box = await editor.boundingBox();
  if (!box || box.height < 200 || box.width < 300) {
    throw new Error(`the editor is not on screen: ${JSON.stringify(box)}`);
  }
  // The round play button (Playground gives it no name or class of its own).
  await page.click('svg[viewBox="3.5,4.5,24,24"]');
  await page.waitForFunction(
    () => document.body.innerText.includes('"name": "Backend Developer"'),
    null,
    { timeout: 20000 },
  );
  await page.waitForTimeout(1000); // Playground fades in.
  await page.screenshot({ path: `${shots}/playground.png` });
  await page.close();
});

await check('the explorer draws the roadmap of Backend Developer', async () => {
  const page = await open('/explore');
  await page.waitForFunction(
    () => document.querySelector('#diagram svg g.skill[data-slug="server-side-programming"] title')
      ?.textContent.startsWith('Server-side Programming'),
    null,
    { timeout: 20000 },
  );
  const drawn = await page.evaluate(() => {
    const svg = document.querySelector('#diagram svg');
    const box = svg.getBoundingClientRect();
    return {
      role: document.getElementById('role').value,
      boxes: svg.querySelectorAll('rect').length,
      arrows: svg.querySelectorAll('path').length,
      width: box.width,
      height: box.height,
      languages: [...document.querySelectorAll('#languages > li')].map((li) => li.innerText).join('\n'),
    };
  });
  if (drawn.role !== 'backend-developer' || drawn.boxes < 20 || drawn.arrows < 20) {
    throw new Error(`the diagram is not the roadmap: ${JSON.stringify(drawn)}`);
  }
  if (drawn.width < 200 || drawn.height < 200) {
    throw new Error(`the diagram is not on screen: ${JSON.stringify(drawn)}`);
  }
  if (!/Python[\s\S]*Django/.test(drawn.languages)) {
    throw new Error(`languages and frameworks are missing: ${drawn.languages}`);
  }
  await page.screenshot({ path: `${shots}/explore.png` });
  await page.close();
});

await browser.close();
for (const request of elsewhere) failures.push(`a request left for another host: ${request}`);
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`browser pages: all checks passed; screenshots in ${shots}`);
