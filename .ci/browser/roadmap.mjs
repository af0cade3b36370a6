// The roadmap as a reader meets it, in headless Chromium (Debian's package) at 1,280 × 800
// with every host but the server unreachable:
//
// - the SVG on its own and inside the explorer needs no horizontal scroll, its smallest
//   text is 13 px or more as rendered, every label lies inside its box, and no edge crosses
//   a box (read from the geometry of the drawn SVG); the dark and print variants apply;
// - on /explore, ticking two skills with the keyboard marks them done and lists the next
//   steps with their reasons, the ticks survive a reload, and a level below the one asked
//   is counted as such;
// - axe-core finds no serious or critical accessibility violation on /explore, in the light
//   and the dark colour scheme.
//
// Screenshots go to the folder given.
//
//   node roadmap.mjs http://127.0.0.1:PORT SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const [address, shots] = process.argv.slice(2);
if (!address || !shots) {
  console.error('usage: node roadmap.mjs ADDRESS SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const server = new URL(address);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
    `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${server.hostname}`,
  ],
});
const failures = [];
const elsewhere = [];
const viewport = { width: 1280, height: 800 };

async function open(path, context) {
  const page = await context.newPage();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.host !== server.host) {
      elsewhere.push(`${path}: ${request.url()}`);
    }
  });
  page.on('pageerror', (error) => failures.push(`${path}: script error: ${error.message}`));
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

// Runs in the page: what a reader sees of the roadmap SVG that `selector` names.
function measure(selector) {
  const svg = document.querySelector(selector);
  const view = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / view.width;
  // Whether the page can scroll sideways at all.
  window.scrollTo(100000, window.scrollY);
  const scrolled = window.scrollX;
  window.scrollTo(0, 0);
  let smallest = Infinity;
  const families = new Set();
  for (const text of svg.querySelectorAll('text')) {
    const style = getComputedStyle(text);
    smallest = Math.min(smallest, parseFloat(style.fontSize) * scale);
    families.add(style.fontFamily);
  }
  const boxes = [...svg.querySelectorAll('rect.box')].map((rect) => ({
    x: +rect.getAttribute('x'),
    y: +rect.getAttribute('y'),
    w: +rect.getAttribute('width'),
    h: +rect.getAttribute('height'),
    group: rect.parentNode,
  }));
  const outside = [];
  for (const box of boxes) {
    for (const text of box.group.querySelectorAll(':scope > text')) {
      const b = text.getBBox();
      if (b.x < box.x || b.x + b.width > box.x + box.w || b.y < box.y || b.y + b.height > box.y + box.h) {
        outside.push(text.textContent);
      }
    }
  }
  const crossings = [];
  let segments = 0;
  for (const path of svg.querySelectorAll('path.edge')) {
    const commands = path.getAttribute('d').match(/[MHVL][^MHVL]*/g) || [];
    let at = [0, 0];
    for (const command of commands) {
      const values = command.slice(1).split(/[ ,]+/).filter(Boolean).map(Number);
      let to;
      if (command[0] === 'M') {
        at = values;
        continue;
      } else if (command[0] === 'H') to = [values[0], at[1]];
      else if (command[0] === 'V') to = [at[0], values[0]];
      else to = values;
      segments += 1;
      const [x0, x1] = [Math.min(at[0], to[0]), Math.max(at[0], to[0])];
      const [y0, y1] = [Math.min(at[1], to[1]), Math.max(at[1], to[1])];
      for (const box of boxes) {
        const e = 0.01;
        if (x1 > box.x + e && x0 < box.x + box.w - e && y1 > box.y + e && y0 < box.y + box.h - e) {
          crossings.push(`${command} from ${at} crosses the box at ${box.x},${box.y}`);
        }
      }
      at = to;
    }
  }
  const paper = svg.querySelector('.paper');
  return {
    scrolled,
    width: svg.getBoundingClientRect().width,
    smallest,
    families: [...families],
    boxes: boxes.length,
    outside,
    segments,
    crossings,
    paper: paper ? getComputedStyle(paper).fill : null,
  };
}

function assertReadable(seen, what) {
  if (seen.scrolled !== 0) throw new Error(`${what} scrolls sideways by ${seen.scrolled} px`);
  if (seen.smallest < 13) throw new Error(`${what}: text as small as ${seen.smallest} px`);
  if (!seen.families.every((family) => family.includes('sans-serif'))) {
    throw new Error(`${what}: fonts ${seen.families.join(' | ')}`);
  }
  if (seen.boxes < 50) throw new Error(`${what}: only ${seen.boxes} boxes`);
  if (seen.outside.length) throw new Error(`${what}: text outside its box: ${seen.outside.slice(0, 5).join('; ')}`);
  if (seen.segments < 20) throw new Error(`${what}: only ${seen.segments} edge segments`);
  if (seen.crossings.length) throw new Error(`${what}: ${seen.crossings.slice(0, 5).join('; ')}`);
}

await check('the roadmap SVG reads at 100 % on a 1,280-px screen', async () => {
  const context = await browser.newContext({ viewport });
  const page = await open('/roles/backend-developer/roadmap.svg', context);
  const seen = await page.evaluate(measure, 'svg');
  assertReadable(seen, 'the SVG');
  await page.screenshot({ path: `${shots}/roadmap.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(measure, 'svg');
  if (dark.paper === seen.paper) throw new Error(`no dark variant: paper ${dark.paper}`);
  await page.screenshot({ path: `${shots}/roadmap-dark.png` });
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  const printed = await page.evaluate(measure, 'svg');
  if (printed.paper !== 'rgb(255, 255, 255)') throw new Error(`printed on ${printed.paper}`);
  // The whole diagram, as an image in a page (a screenshot of a whole SVG document is not
  // something Chromium takes).
  const whole = await context.newPage();
  const url = new URL('/roles/backend-developer/roadmap.svg', address).toString();
  await whole.setContent(`<body style="margin:0"><img src="${url}" alt="roadmap"></body>`, { waitUntil: 'load' });
  await whole.screenshot({ path: `${shots}/roadmap-full.png`, fullPage: true });
  await context.close();
});

// Waits until the skill `slug`'s box carries the class `state`.
async function waitForMark(page, slug, state) {
  await page.waitForFunction(
    ([s, c]) => document.querySelector(`#diagram g.skill[data-slug="${s}"]`)?.classList.contains(c),
    [slug, state],
    { timeout: 10000 },
  );
}

async function audit(page, what) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.filter((v) => !grave.includes(v));
  for (const v of minor) console.log(`     (${what}: axe, ${v.impact}: ${v.id}, ${v.nodes.length} nodes)`);
  if (grave.length) {
    const list = grave.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`${what}: ${list.join('; ')}`);
  }
}

await check('the explorer shows a learner where they stand, and passes axe-core', async () => {
  const context = await browser.newContext({ viewport });
  const page = await open('/explore', context);
  await page.waitForSelector('#know-skill-business-logic', { timeout: 20000 });
  await page.waitForFunction(() => document.getElementById('standing').textContent.includes('covered'), null, {
    timeout: 10000,
  });
  const seen = await page.evaluate(measure, '#diagram svg');
  assertReadable(seen, 'the explorer');

  // Two skills ticked from the keyboard: Tab onto the box, Space to tick it.
  for (const slug of ['server-side-programming', 'business-logic']) {
    await page.focus(`#know-skill-${slug}`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    if (outline === 'none') throw new Error('the focused tick box shows no focus');
    await page.keyboard.press('Space');
  }
  await waitForMark(page, 'server-side-programming', 'done');
  await waitForMark(page, 'business-logic', 'done');
  const standing = await page.evaluate(() => ({
    text: document.getElementById('standing').textContent,
    live: document.getElementById('standing').getAttribute('aria-live'),
    next: [...document.querySelectorAll('#next-steps li')].map((li) => li.textContent),
    marked: document.querySelectorAll('#diagram g.skill.next').length,
    stored: JSON.parse(localStorage.getItem('skillgraph.known') || '{}'),
  }));
  if (standing.live !== 'polite') throw new Error('the standing is not announced');
  if (!/\d+ % of Backend Developer covered/.test(standing.text) || !standing.text.includes('2 done')) {
    throw new Error(`standing: ${standing.text}`);
  }
  if (standing.next.length < 1 || standing.marked !== standing.next.length) {
    throw new Error(`next steps: ${JSON.stringify(standing)}`);
  }
  if (!standing.next.every((step) => /: (essential|optional) for Backend Developer|: prerequisite of /.test(step))) {
    throw new Error(`next steps without reasons: ${standing.next.join(' | ')}`);
  }
  if (!('server-side-programming' in standing.stored && 'business-logic' in standing.stored)) {
    throw new Error(`not kept: ${JSON.stringify(standing.stored)}`);
  }
  await page.screenshot({ path: `${shots}/explore-learner.png` });
  await page.screenshot({ path: `${shots}/explore-learner-full.png`, fullPage: true });
  await audit(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await audit(page, 'dark');
  await page.screenshot({ path: `${shots}/explore-learner-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });

  // The ticks survive a reload; a level below the one asked is no longer done.
  await page.reload({ waitUntil: 'load' });
  await waitForMark(page, 'business-logic', 'done');
  await waitForMark(page, 'server-side-programming', 'done');
  await page.selectOption('#level-server-side-programming', 'BEGINNER');
  await page.waitForFunction(
    () => document.getElementById('standing').textContent.includes('1 held below the level asked'),
    null,
    { timeout: 10000 },
  );
  const below = await page.evaluate(
    () => document.querySelector('#diagram g.skill[data-slug="server-side-programming"]').getAttribute('class'),
  );
  if (below.includes('done')) throw new Error(`held at Beginner, still done: ${below}`);
  await context.close();
});

await browser.close();
for (const request of elsewhere) failures.push(`a request left for another host: ${request}`);
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`roadmap: all checks passed; screenshots in ${shots}`);
