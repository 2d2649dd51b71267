// Browser checks of the Tyndau web front, run by integration-tests/tests/browser.rs against a
// freshly seeded platform. One headless Chromium (Debian's), one context, one tab, reused.
//
// Environment:
//   TYNDAU_WEB_URL        the web front's base URL
//   TYNDAU_WEB_PAGES      JSON [{ "name", "path" (after the language prefix), "status"?,
//                          "heading": { "kk", "ru", "en" } }]
//   TYNDAU_COMMAND_URL    the command API, for the live-counter check
//   TYNDAU_CITIZEN_TOKEN  a citizen who has not signed TYNDAU_LIVE_PETITION yet
//   TYNDAU_LIVE_PETITION  an open petition id
//   TYNDAU_CHROMIUM       the browser (default /usr/bin/chromium)
//   TYNDAU_WEB_SCREENSHOTS  optional: a directory for a full-page PNG of every page (to look at)
//
// Exits 0 when every check passes; otherwise prints each failure and exits 1.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LANGS = ['kk', 'ru', 'en'];
// Without the background-networking flags Chromium keeps calling home, which this machine's
// closed network answers slowly and noisily.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LIVE_TIMEOUT_MS = 5_000;

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const base = env('TYNDAU_WEB_URL').replace(/\/$/, '');
const pages = JSON.parse(env('TYNDAU_WEB_PAGES'));
const commandUrl = env('TYNDAU_COMMAND_URL').replace(/\/$/, '');
const citizenToken = env('TYNDAU_CITIZEN_TOKEN');
const livePetition = env('TYNDAU_LIVE_PETITION');

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures.push(what);
    console.log(`FAIL ${what}`);
  }
  return ok;
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.TYNDAU_CHROMIUM || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cspViolations = [];
page.on('console', (message) => {
  const text = message.text();
  if (/Content Security Policy|Refused to (load|apply|execute)/i.test(text)) {
    cspViolations.push(`${page.url()}: ${text}`);
  }
});
page.on('pageerror', (error) => failures.push(`script error on ${page.url()}: ${error.message}`));

/** axe-core on the current page: serious and critical violations only. */
async function axeViolations() {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: the page
  // itself still allows no inline or foreign script.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Tabs through the page; every focusable control must be reached and show a focus ring. */
async function keyboardProblems() {
  const expected = await page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), ' +
      'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const visible = (el) => {
      const style = getComputedStyle(el);
      return el.getClientRects().length > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    // The skip link is off-screen until focused, but focusable: it counts.
    const all = [...document.querySelectorAll(selector)].filter((el) => visible(el) || el.classList.contains('skip'));
    all.forEach((el, i) => el.setAttribute('data-kb', String(i)));
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    window.scrollTo(0, 0);
    return all.length;
  });
  const reached = new Set();
  const unringed = [];
  for (let i = 0; i < expected + 2; i += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { index: el.getAttribute('data-kb'), ring, name: `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"` };
    });
    if (!focus) continue;
    if (focus.index === null) {
      unringed.push(`focus went to an element outside the list: ${focus.name}`);
      continue;
    }
    if (!focus.ring) unringed.push(`no visible focus indicator on ${focus.name}`);
    reached.add(focus.index);
  }
  const missed = [];
  for (let i = 0; i < expected; i += 1) {
    if (!reached.has(String(i))) {
      missed.push(await page.evaluate((i) => {
        const el = document.querySelector(`[data-kb="${i}"]`);
        return `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"`;
      }, i));
    }
  }
  return { expected, problems: [...unringed, ...missed.map((m) => `not reachable by Tab: ${m}`)] };
}

// 1. Every page in every language: status, html[lang], a translated heading, axe, keyboard.
for (const spec of pages) {
  for (const lang of LANGS) {
    const url = `${base}/${lang}${spec.path}`;
    const response = await page.goto(url, { waitUntil: 'load' });
    const status = response ? response.status() : 0;
    const wanted = spec.status ?? 200;
    check(status === wanted, `${url}: status ${status}, expected ${wanted}`);
    const htmlLang = await page.getAttribute('html', 'lang');
    check(htmlLang === lang, `${url}: html[lang] is ${htmlLang}`);
    const headings = (await page.locator('h1, h2, h3').allTextContents()).map((h) => h.trim());
    const heading = spec.heading[lang];
    check(
      headings.some((h) => h.includes(heading)),
      `${url}: no heading contains "${heading}" (headings: ${headings.slice(0, 8).join(' | ')})`,
    );
    for (const violation of await axeViolations()) check(false, `${url}: axe ${violation}`);
    // Keyboard once per page kind (the markup is the same in every language), in Kazakh.
    if (lang === 'kk') {
      const { expected, problems } = await keyboardProblems();
      check(expected > 0, `${url}: no focusable element found`);
      for (const problem of problems) check(false, `${url}: keyboard: ${problem}`);
    }
    if (process.env.TYNDAU_WEB_SCREENSHOTS) {
      const file = `${process.env.TYNDAU_WEB_SCREENSHOTS}/${spec.name.replace(/\W+/g, '-')}-${lang}.png`;
      await page.screenshot({ path: file, fullPage: true });
    }
    console.log(`ok   ${spec.name} [${lang}] ${status}`);
  }
}

// 2. The language switch keeps the page and changes the language.
{
  const from = `${base}/en/petitions/${livePetition}`;
  await page.goto(from, { waitUntil: 'load' });
  await Promise.all([
    page.waitForURL(`${base}/ru/petitions/${livePetition}`, { timeout: 10_000 }),
    page.click('nav.langs a[hreflang="ru"]'),
  ]).catch((error) => check(false, `language switch: ${error.message}`));
  check(page.url() === `${base}/ru/petitions/${livePetition}`, `language switch: landed on ${page.url()}`);
  check((await page.getAttribute('html', 'lang')) === 'ru', 'language switch: html[lang] is not ru');
  console.log('ok   language switch en → ru');
}

// 3. The live counter moves when a signature is made through the command API.
{
  await page.goto(`${base}/en/petitions/${livePetition}`, { waitUntil: 'load' });
  const counter = page.locator('[data-live-count]');
  const before = (await counter.textContent()).trim();
  const signedAt = Date.now();
  const reply = await fetch(`${commandUrl}/petitions/${livePetition}/signature`, {
    method: 'POST',
    headers: { authorization: `Bearer ${citizenToken}` },
  });
  check(reply.status === 201, `signing through the command API answered ${reply.status}`);
  try {
    await page.waitForFunction(
      (before) => document.querySelector('[data-live-count]').textContent.trim() !== before,
      before,
      { timeout: LIVE_TIMEOUT_MS },
    );
    const after = (await counter.textContent()).trim();
    const number = (text) => Number(text.replace(/[^0-9]/g, ''));
    check(number(after) === number(before) + 1, `live counter went from ${before} to ${after}`);
    const progress = await page.getAttribute('progress', 'value');
    check(progress === null || Number(progress) === number(after), `progress value ${progress} after ${after}`);
    console.log(`ok   live counter ${before} → ${after} in ${Date.now() - signedAt} ms`);
  } catch (error) {
    check(false, `live counter did not change from ${before} within ${LIVE_TIMEOUT_MS} ms`);
  }
}

for (const violation of cspViolations) check(false, `CSP violation: ${violation}`);
await browser.close();

console.log(`browser checks took ${Date.now() - started} ms`);
console.log(`${checks - failures.length} passed, ${failures.length} failed`);
if (failures.length > 0) {
  console.log('\nFailures:');
  for (const failure of failures) console.log(`- ${failure}`);
  process.exit(1);
}
