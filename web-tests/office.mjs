// State bodies and moderators in the back office, run by
// integration-tests/tests/browser_office.rs against a seeded platform whose web front signs in
// through the real development identity provider. Debian's headless Chromium, driven by
// Playwright; axe-core on every office page, in Kazakh, Russian and English.
//
// Two phases, because the comment period must end between them (the test moves the clock):
//   TYNDAU_PHASE=draft  an official (erlan, English, with JavaScript) drafts a consultation by
//                       pasting Kazakh and Russian text, fixes a parity error, opens it; a
//                       citizen comments from the citizens' pages; the official answers the
//                       proposal and publishes a revised version after seeing the re-anchoring.
//                       Prints CONSULTATION=<id>.
//   TYNDAU_PHASE=rest   the moderator (timur, Russian, without JavaScript) rejects-then-
//                       publishes a petition, hides a flagged comment, removes signatures after a
//                       preview; the addressed akimat's official (madina, Kazakh, without
//                       JavaScript) answers a petition after a preview, another body's official
//                       cannot; every office page passes axe in kk, ru, en; the official
//                       publishes the outcome report after its preview, and the public page
//                       shows the answer with its reason.
//
// Environment (rest): TYNDAU_CONSULTATION, TYNDAU_PENDING, TYNDAU_PENDING_2, TYNDAU_FLAGGED
// (consultation/comment), TYNDAU_SIGNED_PETITION, TYNDAU_ANSWER_PETITION.
// Exits 0 when every check passes; otherwise prints each failure and exits 1.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'demo';

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const base = env('TYNDAU_WEB_URL').replace(/\/$/, '');
const phase = env('TYNDAU_PHASE');

const KK = `Қазақстан Республикасының Заңы

1-бап. Мақсаты
Осы Заң бюджеттің ашықтығын айқындайды.

2-бап. Жариялау
1. Бюджет жобасы интернетте жарияланады.
2. Азаматтар ұсыныс бере алады:
1) жазбаша;
2) электрондық түрде.

3-бап. Күшіне ену
1. Осы Заң ресми жарияланған күнінен бастап күшіне енеді.
`;
const RU = `Закон Республики Казахстан

Статья 1. Цель
Настоящий Закон определяет открытость бюджета.

Статья 2. Опубликование
1. Проект бюджета публикуется в интернете.
2. Граждане вправе вносить предложения:
1) письменно;
2) в электронной форме.

Статья 3. Вступление в силу
1. Настоящий Закон вводится в действие со дня официального опубликования.
`;
const REASON_RU = 'Срок публикации увеличен до 30 дней.';

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

const browser = await chromium.launch({ executablePath: process.env.TYNDAU_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const noScript = new WeakSet();

function watch(page, label) {
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|apply|execute)/i.test(text)) {
      failures.push(`${label}: CSP violation on ${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => failures.push(`${label}: script error on ${page.url()}: ${error.message}`));
}

async function axe(page, what) {
  if (noScript.has(page)) return;
  await page.evaluate(AXE_SOURCE);
  // eslint-disable-next-line no-undef
  const results = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    check(false, `${what} (${page.url()}): axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
}

async function body(page) {
  return page.locator('body').innerText();
}

async function expectText(page, text, what) {
  const b = await body(page);
  return check(b.includes(text), `${what}: "${text}" not on ${page.url()}\n---\n${b.slice(0, 1500)}\n---`);
}

async function expectBanner(page, what) {
  return check((await page.locator('.banner').count()) > 0, `${what}: no confirmation banner on ${page.url()}\n${(await body(page)).slice(0, 1200)}`);
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.locator(selector).first().click()]);
  await page.waitForLoadState('load');
}

/** Signs in from the header of the home page in `lang`: staff land on their desk. */
async function signIn(lang, login, js, label) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (!js) noScript.add(page);
  watch(page, label);
  await page.goto(`${base}/${lang}/`, { waitUntil: 'load' });
  await page.locator('nav.account a').first().click();
  await page.waitForSelector('#login', { timeout: 15_000 });
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((url) => url.toString().startsWith(base), { timeout: 15_000 }), page.click('form[action$="/login"] button[type=submit]')]);
  await page.waitForLoadState('load');
  return { context, page };
}

async function draftPhase() {
  const label = 'official en';
  const { context, page } = await signIn('en', 'erlan', true, label);
  check(page.url() === `${base}/en/office`, `${label}: staff land on their desk, not ${page.url()}`);
  await axe(page, `${label} desk`);
  await page.locator('a[href$="/office/consultations/new"]').first().click();
  await page.waitForSelector('#draft-kk');
  await axe(page, `${label} new consultation`);
  for (const [id, value] of [
    ['#title-kk', 'Бюджеттің ашықтығы туралы заң жобасы'], ['#title-ru', 'Проект закона об открытости бюджета'],
    ['#summary-kk', 'Қысқаша мазмұны.'], ['#summary-ru', 'Краткое содержание.'],
    ['#note-kk', 'Түсіндірме жазба.'], ['#note-ru', 'Пояснительная записка.'],
    ['#draft-kk', KK], ['#draft-ru', RU.replace('2. Граждане вправе вносить предложения:\n1) письменно;\n2) в электронной форме.\n', '')],
  ]) {
    await page.fill(id, value);
  }
  await submit(page, 'button[name="step"][value="check"]');
  check((await page.locator('#parity li').count()) === 3, `${label}: the parity list names the three provisions missing in Russian`);
  check((await page.locator('button[name="step"][value="save"]').count()) === 0, `${label}: no save while a provision is missing`);
  await axe(page, `${label} parity error`);
  await page.fill('#draft-ru', RU);
  await submit(page, 'button[name="step"][value="check"]');
  check((await page.locator('table.parsed tbody tr').count()) === 8, `${label}: the draft is read into 8 provisions`);
  await axe(page, `${label} parsed draft`);
  await submit(page, 'button[name="step"][value="save"]');
  const match = /\/office\/consultations\/([0-9a-f-]{36})$/.exec(page.url());
  check(Boolean(match), `${label}: saved, on the consultation's page (${page.url()})`);
  const id = match ? match[1] : '';
  await expectBanner(page, `${label} saved`);
  check((await page.inputValue('#closes-on')).length === 10, `${label}: the end date defaults to the legal minimum`);
  await axe(page, `${label} drafted consultation`);
  await submit(page, 'form:has(input[name="action"][value="open"]) button[type="submit"]');
  await expectBanner(page, `${label} opened`);

  // A citizen comments from the citizens' pages.
  const citizen = await signIn('en', 'aigerim', true, 'citizen en');
  await citizen.page.goto(`${base}/en/consultations/${id}/comment?path=a2.p1`, { waitUntil: 'load' });
  await citizen.page.locator('#language-ru').check();
  await citizen.page.fill('#text', 'Публиковать проект бюджета за 30 дней.');
  await submit(citizen.page, 'form button[type="submit"].primary');
  await expectText(citizen.page, 'Публиковать проект бюджета за 30 дней.', 'citizen comment published');
  await citizen.context.close();

  // A revised version: the diff and the re-anchoring first.
  await page.goto(`${base}/en/office/consultations/${id}/versions/new`, { waitUntil: 'load' });
  await page.fill('#draft-kk', KK.replace('интернетте жарияланады', 'интернетте 30 күн бұрын жарияланады'));
  await page.fill('#draft-ru', RU.replace('публикуется в интернете', 'публикуется в интернете за 30 дней'));
  await submit(page, 'button[name="step"][value="check"]');
  await expectText(page, 'за 30 дней', `${label} diff`);
  await expectText(page, 'Same provision', `${label} re-anchoring`);
  await axe(page, `${label} version check`);
  await submit(page, 'button[name="step"][value="publish"]');
  await expectBanner(page, `${label} version published`);
  // The official answers it: without a reason refused with the field marked, then with one.
  await page.goto(`${base}/en/office/consultations/${id}/proposals`, { waitUntil: 'load' });
  await axe(page, `${label} proposals`);
  const answerLink = page.locator('a[href*="/proposals/"]:not([href$="/duplicates"])').first();
  check((await answerLink.count()) === 1, `${label}: the proposal is in the queue`);
  await answerLink.click();
  await page.waitForSelector('#reason-kk');
  await axe(page, `${label} answer form`);
  await page.locator('#disposition-accepted').check();
  await submit(page, 'form button[type="submit"].primary');
  check((await page.locator('[data-error-summary] a[href="#reason-kk"]').count()) === 1, `${label}: an answer without a reason is refused with the field marked`);
  const focused = await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'));
  check(focused, `${label}: the error summary has the focus`);
  await axe(page, `${label} answer form with errors`);
  await page.fill('#reason-kk', 'Жариялау мерзімі 30 күнге ұзартылды.');
  await page.fill('#reason-ru', REASON_RU);
  await page.fill('#changed-path', 'a2.p1');
  await page.fill('#changed-version', '2');
  await submit(page, 'form button[type="submit"].primary');
  await expectBanner(page, `${label} answered`);

  await context.close();
  console.log(`CONSULTATION=${id}`);
  console.log(`ok   ${label}: drafted from pasted text, parity fixed, opened, revised, answered`);
}

async function restPhase() {
  const consultation = env('TYNDAU_CONSULTATION');
  const pending = env('TYNDAU_PENDING');
  const pending2 = env('TYNDAU_PENDING_2');
  const [flaggedIn, flagged] = env('TYNDAU_FLAGGED').split('/');
  const signed = env('TYNDAU_SIGNED_PETITION');
  const toAnswer = env('TYNDAU_ANSWER_PETITION');

  // The moderator, in Russian, without script.
  let label = 'moderator ru no-JS';
  const mod = await signIn('ru', 'timur', false, label);
  let page = mod.page;
  check(page.url() === `${base}/ru/office`, `${label}: lands on the desk (${page.url()})`);
  await page.goto(`${base}/ru/office/moderation`, { waitUntil: 'load' });
  await page.locator(`a[href="/ru/office/moderation/petitions/${pending}"]`).click();
  await page.waitForLoadState('load');
  await page.locator('#decision-reject').check();
  await submit(page, 'form button[type="submit"].primary');
  check((await page.locator('[data-error-summary] a[href="#explanation"]').count()) === 1, `${label}: a rejection needs an explanation`);
  await page.locator('#decision-publish').check();
  await submit(page, 'form button[type="submit"].primary');
  await expectBanner(page, `${label} published`);
  await page.goto(`${base}/ru/office/moderation/comments/${flaggedIn}/${flagged}`, { waitUntil: 'load' });
  await page.locator('#reason-abusive').check();
  await page.fill('#explanation', 'Оскорбляет участников обсуждения.');
  await submit(page, 'form:has(input[name="action"][value="hide"]) button[type="submit"]');
  await expectBanner(page, `${label} hidden`);
  await page.goto(`${base}/ru/office/moderation`, { waitUntil: 'load' });
  await page.fill('#petition', `${base}/ru/petitions/${signed}`);
  await submit(page, 'form[method="get"] button[type="submit"]');
  check(page.url().endsWith(`/ru/office/moderation/petitions/${signed}/invalidation`), `${label}: found the petition by its address`);
  const hourAgo = new Date(Date.now() - 3_600_000 + 5 * 3_600_000).toISOString().slice(0, 16);
  await page.fill('#signed-from', hourAgo);
  await page.locator('#reason-automated').check();
  await page.fill('#explanation', 'Автоматическая накрутка.');
  await submit(page, 'button[name="step"][value="preview"]');
  await expectText(page, '3', `${label} preview count`);
  check((await page.locator('button[name="step"][value="confirm"]').count()) === 1, `${label}: confirm offered after the preview`);
  await submit(page, 'button[name="step"][value="confirm"]');
  await expectBanner(page, `${label} removed`);
  await mod.context.close();
  console.log(`ok   ${label}: a petition published after a refused rejection, a comment hidden, signatures removed after a preview`);

  // Another body's official is not shown the answer form.
  const other = await signIn('en', 'erlan', true, 'official en');
  const refused = await other.page.goto(`${base}/en/office/petitions/${toAnswer}`, { waitUntil: 'load' });
  check(refused?.status() === 403, `another body's official gets 403, not ${refused?.status()}`);

  // The addressed akimat's official, in Kazakh, without script: preview, then publish.
  label = 'akimat kk no-JS';
  const akimat = await signIn('kk', 'madina', false, label);
  page = akimat.page;
  await page.locator(`a[href="/kk/office/petitions/${toAnswer}"]`).click();
  await page.waitForLoadState('load');
  await page.locator('#decision-partially-satisfied').check();
  await page.fill('#text-kk', 'Жарық шамдары 2027 жылы орнатылады.');
  await page.fill('#text-ru', 'Фонари установят в 2027 году.');
  await submit(page, 'button[name="step"][value="preview"]');
  check((await page.locator('#preview-h').count()) === 1, `${label}: the preview is shown`);
  await submit(page, 'button[name="step"][value="publish"]');
  await expectBanner(page, `${label} answered`);
  await akimat.context.close();
  console.log(`ok   ${label}: a petition answered after a preview; another body's official refused`);

  // Every office page in the three languages, with script (axe).
  const pages = [
    [other.page, ['/office', '/office/consultations/new', `/office/consultations/${consultation}`,
      `/office/consultations/${consultation}/proposals`, `/office/consultations/${consultation}/versions/new`]],
  ];
  const moderatorJs = await signIn('en', 'timur', true, 'moderator en');
  pages.push([moderatorJs.page, ['/office', '/office/moderation', `/office/moderation/petitions/${pending2}`,
    `/office/moderation/comments/${flaggedIn}/${flagged}`, `/office/moderation/petitions/${signed}/invalidation`]]);
  const akimatJs = await signIn('en', 'madina', true, 'akimat en');
  pages.push([akimatJs.page, ['/office', `/office/petitions/${toAnswer}`]]);
  const admin = await signIn('en', 'aliya', true, 'admin en');
  pages.push([admin.page, ['/office', '/office/audit', '/office/audit?actor_kind=moderator']]);
  await other.page.goto(`${base}/en/office/consultations/${consultation}/proposals?show=all`, { waitUntil: 'load' });
  const proposal = await other.page.locator('a[href*="/proposals/"]:not([href$="/duplicates"])').first().getAttribute('href');
  pages[0][1].push(proposal.replace(/^\/en/, ''));
  for (const lang of ['kk', 'ru', 'en']) {
    for (const [p, paths] of pages) {
      for (const path of paths) {
        const response = await p.goto(`${base}/${lang}${path}`, { waitUntil: 'load' });
        check(response?.status() === 200, `${lang}${path}: status ${response?.status()}`);
        check((await p.getAttribute('html', 'lang')) === lang, `${lang}${path}: html[lang]`);
        await axe(p, `sweep ${lang}${path}`);
      }
    }
    // A form with errors, as a screen reader meets it.
    await other.page.goto(`${base}/${lang}/office/consultations/new`, { waitUntil: 'load' });
    await submit(other.page, 'button[name="step"][value="check"]');
    check((await other.page.locator('[data-error-summary] a[href="#title-kk"]').count()) === 1, `${lang}: the summary links to the first field in error`);
    await axe(other.page, `sweep ${lang} new consultation with errors`);
  }
  console.log('ok   every office page in kk, ru and en passes axe');

  // The outcome report: a preview, then published; the public page shows the answer's reason.
  page = other.page;
  await page.goto(`${base}/en/office/consultations/${consultation}`, { waitUntil: 'load' });
  await page.fill('#summary-kk', 'Бір ұсыныс қабылданды.');
  await page.fill('#summary-ru', 'Одно предложение принято.');
  await submit(page, 'button[name="action"][value="report-preview"]');
  check((await page.locator('#report-preview-h').count()) === 1, 'official: the report preview is shown');
  await axe(page, 'official report preview');
  await submit(page, 'button[name="action"][value="report"]');
  await expectBanner(page, 'official report published');
  await page.goto(`${base}/ru/consultations/${consultation}`, { waitUntil: 'load' });
  await expectText(page, REASON_RU, 'public consultation page shows the reason');
  for (const c of [other, moderatorJs, akimatJs, admin]) await c.context.close();
  console.log('ok   the outcome report published after its preview');
}

const started = Date.now();
if (phase === 'draft') await draftPhase();
else await restPhase();
await browser.close();
console.log(`browser checks (${phase}) took ${Date.now() - started} ms`);
console.log(`${checks - failures.length} passed, ${failures.length} failed`);
if (failures.length > 0) {
  console.log('\nFailures:');
  for (const failure of failures) console.log(`- ${failure}`);
  process.exit(1);
}
