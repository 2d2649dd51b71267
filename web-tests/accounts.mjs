// Citizens acting in the browser, run by integration-tests/tests/browser_accounts.rs against a
// freshly seeded platform whose web front signs in through the real development identity
// provider (deploy/idp). Debian's headless Chromium, driven by Playwright; axe-core on every
// page a citizen acts on, in Kazakh, Russian and English.
//
// The flows run twice: with JavaScript (in English) and without it (in Russian), each as other
// citizens, from the provider's own sign-in page to the result on "My page".
//
// Environment:
//   TYNDAU_WEB_URL          the web front's base URL
//   TYNDAU_PETITION         an open national petition
//   TYNDAU_LOCAL_PETITION   an open petition to the Almaty city akimat
//   TYNDAU_CONSULTATION     an open consultation with provision a1 and a proposal by someone else
//   TYNDAU_CHROMIUM         the browser (default /usr/bin/chromium)
//   TYNDAU_WEB_SCREENSHOTS  optional: a directory for a PNG of every checked page
//
// Exits 0 when every check passes; otherwise prints each failure and exits 1.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
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
const petition = env('TYNDAU_PETITION');
const localPetition = env('TYNDAU_LOCAL_PETITION');
const consultation = env('TYNDAU_CONSULTATION');

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

// What the pages say, per language (the flows assert on these, so a missing translation fails).
const TEXT = {
  en: {
    signInToSign: 'Sign in to sign this petition',
    showNameYes: /^Yes, show/,
    showNameNo: 'No, count my signature without my name',
    signButton: 'Sign this petition',
    signedOn: 'You signed this petition on',
    signed: 'Your signature has been added',
    withdrawLink: 'Withdraw my signature',
    withdrawn: 'Your signature has been withdrawn',
    tooYoung: 'You must be 18 or over to sign a petition.',
    notResident: 'Signing is open to residents of Almaty only.',
    myPage: 'My page',
    startPetition: 'Start a petition',
    continue: 'Continue',
    send: 'Send for moderation',
    sent: 'Your petition has been sent for moderation',
    awaiting: 'Awaiting moderation',
    commentOnProvision: 'Comment on this provision',
    publish: 'Publish comment',
    published: 'Your comment has been published',
    reply: 'Reply',
    publishReply: 'Publish reply',
    replied: 'Your reply has been published',
    agree: 'I agree',
    agreed: 'Your view has been recorded',
    erase: 'Erase my personal data',
    erased: 'Your personal data has been erased',
    errorTitle: 'Error:',
    problem: 'There is a problem',
    signOut: 'Sign out',
  },
  ru: {
    signInToSign: 'Войдите, чтобы подписать петицию',
    showNameYes: /^Да, показывать/,
    showNameNo: 'Нет, учитывать подпись без имени',
    signButton: 'Подписать петицию',
    signedOn: 'Вы подписали эту петицию',
    signed: 'Ваша подпись добавлена',
    withdrawLink: 'Отозвать мою подпись',
    withdrawn: 'Ваша подпись отозвана',
    tooYoung: 'Подписывать петиции можно с 18 лет.',
    notResident: 'Подписать могут только жители региона: город Алматы.',
    myPage: 'Моя страница',
    startPetition: 'Создать петицию',
    continue: 'Продолжить',
    send: 'Отправить на модерацию',
    sent: 'Ваша петиция отправлена на модерацию',
    awaiting: 'На модерации',
    commentOnProvision: 'Прокомментировать это положение',
    publish: 'Опубликовать комментарий',
    published: 'Ваш комментарий опубликован',
    reply: 'Ответить',
    publishReply: 'Опубликовать ответ',
    replied: 'Ваш ответ опубликован',
    agree: 'Согласен',
    agreed: 'Ваше мнение учтено',
    erase: 'Удалить мои персональные данные',
    erased: 'Ваши персональные данные удалены',
    errorTitle: 'Ошибка:',
    problem: 'Есть проблема',
    signOut: 'Выйти',
  },
};

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.TYNDAU_CHROMIUM || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});

function watch(page, label) {
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|apply|execute)/i.test(text)) {
      failures.push(`${label}: CSP violation on ${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => failures.push(`${label}: script error on ${page.url()}: ${error.message}`));
}

// Pages opened without JavaScript cannot run axe (it is a script): they are the same markup as
// with it, and the sweep below checks every page with axe in every language.
const noScript = new WeakSet();

async function axe(page, what) {
  if (noScript.has(page)) return;
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    check(false, `${what} (${page.url()}): axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
  if (process.env.TYNDAU_WEB_SCREENSHOTS) {
    const file = `${process.env.TYNDAU_WEB_SCREENSHOTS}/${what.replace(/\W+/g, '-')}.png`;
    await page.screenshot({ path: file, fullPage: true });
  }
}

async function bodyText(page) {
  return page.locator('body').innerText();
}

async function expectText(page, text, what) {
  const body = await bodyText(page);
  return check(body.includes(text), `${what}: "${text}" not on ${page.url()}\n---\n${body.slice(0, 1500)}\n---`);
}

/** On the identity provider's sign-in page: log in as `login`. */
async function providerSignIn(page, login, what) {
  await page.waitForSelector('#login', { timeout: 15_000 });
  check(page.url().startsWith(base) === false, `${what}: sign-in did not go to the identity provider`);
  await axe(page, `${what} provider sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((url) => url.toString().startsWith(base), { timeout: 15_000 }), page.click('form[action$="/login"] button[type=submit]')]);
}

async function signInFromHeader(page, lang, login, what) {
  await page.goto(`${base}/${lang}/`, { waitUntil: 'load' });
  await page.locator('nav.account a').first().click();
  await providerSignIn(page, login, what);
}

/** The flows of one citizen, in one language, with or without script. */
async function citizenFlows({ lang, js, citizen }) {
  const t = TEXT[lang];
  const label = `${lang}${js ? '' : ' no-JS'}`;
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  if (!js) noScript.add(page);
  watch(page, label);

  // 1. Sign a petition: from its page, through the provider's sign-in, a confirmation step.
  await page.goto(`${base}/${lang}/petitions/${petition}`, { waitUntil: 'load' });
  const before = Number((await page.locator('[data-live-count]').textContent()).replace(/[^0-9]/g, ''));
  await page.getByRole('link', { name: t.signInToSign }).click();
  await providerSignIn(page, citizen, `${label} sign`);
  check(page.url().endsWith(`/${lang}/petitions/${petition}/sign`), `${label}: back on the sign page, at ${page.url()}`);
  await axe(page, `${label} sign page`);
  // Without a choice: the error summary, focused when script runs.
  await page.getByRole('button', { name: t.signButton }).click();
  await page.waitForLoadState('load');
  check((await page.title()).startsWith(t.errorTitle), `${label}: the title of a form with errors starts with "${t.errorTitle}"`);
  await expectText(page, t.problem, `${label} error summary`);
  if (js) {
    const focused = await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'));
    check(focused, `${label}: the error summary has the focus`);
  }
  await axe(page, `${label} sign page with an error`);
  await page.getByLabel(t.showNameYes).check();
  await page.getByRole('button', { name: t.signButton }).click();
  await page.waitForURL(new RegExp(`/${lang}/petitions/${petition}`));
  await expectText(page, t.signed, `${label} signed`);
  await expectText(page, t.signedOn, `${label} signed on`);
  if (js) {
    try {
      await page.waitForFunction(
        (before) => Number(document.querySelector('[data-live-count]').textContent.replace(/[^0-9]/g, '')) === before + 1,
        before,
        { timeout: 10_000 },
      );
      check(true, 'live counter');
      console.log(`ok   ${label}: the live counter moved to ${before + 1}`);
    } catch {
      check(false, `${label}: the live counter did not move from ${before}`);
    }
  }

  // 2. Withdraw, with a confirmation.
  await page.getByRole('link', { name: t.withdrawLink }).click();
  await axe(page, `${label} withdraw page`);
  await page.getByRole('button', { name: t.withdrawLink }).click();
  await page.waitForURL(new RegExp(`/${lang}/petitions/${petition}`));
  await expectText(page, t.withdrawn, `${label} withdrawn`);

  // 3. Start a petition: addressee (and what follows), texts, check, send.
  await page.goto(`${base}/${lang}/me`, { waitUntil: 'load' });
  await axe(page, `${label} my page`);
  await page.getByRole('link', { name: t.startPetition }).first().click();
  await axe(page, `${label} new petition, addressee`);
  await page.selectOption('#addressee', 'akimat-almaty');
  if (js) {
    const shown = await page.locator('[data-terms-for="akimat-almaty"]').isVisible();
    check(shown, `${label}: choosing the addressee shows its terms`);
  }
  await page.getByRole('button', { name: t.continue }).click();
  await page.waitForSelector('#title');
  await axe(page, `${label} new petition, texts`);
  await page.locator(`#language-${lang === 'en' ? 'ru' : lang}`).check();
  await page.fill('#title', `Велодорожки <em>${label}</em>`);
  await page.fill('#request', 'Построить велодорожки вдоль проспекта Абая.');
  await page.fill('#text', 'Велосипедистам негде ездить безопасно.');
  await page.getByRole('button', { name: t.continue }).click();
  await page.waitForSelector('dl.check');
  await axe(page, `${label} new petition, check`);
  await page.getByRole('button', { name: t.send }).click();
  await page.waitForURL(/\/sent$/);
  await expectText(page, t.sent, `${label} petition sent`);
  await axe(page, `${label} petition sent`);

  // 4. Comment on a provision, quoting it; reply; agree.
  await page.goto(`${base}/${lang}/consultations/${consultation}`, { waitUntil: 'load' });
  await axe(page, `${label} consultation, signed in`);
  await page.getByRole('link', { name: new RegExp(t.commentOnProvision) }).first().click();
  await page.waitForSelector('#text');
  await axe(page, `${label} comment form`);
  // Quote words of the provision as the page shows it (in the page's language, or a fallback).
  const shownText = (await page.locator('[data-quote-source] p').first().textContent()).trim();
  const quote = shownText.split(/\s+/).slice(1, 4).join(' ');
  if (js) {
    // Select the words in the provision: the script copies them into the quote field.
    await page.evaluate((quote) => {
      const box = document.querySelector('[data-quote-source] p');
      const node = box.firstChild;
      const start = node.textContent.indexOf(quote);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + quote.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      box.closest('[data-quote-source]').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }, quote);
    check((await page.inputValue('#quote')) === quote, `${label}: selecting text fills the quote field`);
  } else {
    await page.fill('#quote', quote);
  }
  await page.locator('#language-ru').check();
  await page.fill('#text', `Срок мал: нужно 45 дней (${label}).`);
  await page.getByRole('button', { name: t.publish }).click();
  await page.waitForURL(new RegExp(`/consultations/${consultation}`));
  await expectText(page, t.published, `${label} comment published`);
  await expectText(page, `Срок мал: нужно 45 дней (${label}).`, `${label} comment shown`);
  // Agree with the other citizen's proposal (on the whole draft), then reply to it.
  await page.goto(`${base}/${lang}/consultations/${consultation}`, { waitUntil: 'load' });
  const other = page.locator('article.comment', { hasText: 'Прошу публиковать проект' }).first();
  await other.getByRole('button', { name: t.agree, exact: true }).click();
  await page.waitForLoadState('load');
  await expectText(page, t.agreed, `${label} agreed`);
  await page.locator('article.comment', { hasText: 'Прошу публиковать проект' }).first().getByRole('link', { name: t.reply }).click();
  await page.waitForSelector('#text');
  await axe(page, `${label} reply form`);
  await page.locator('#language-ru').check();
  await page.fill('#text', `Поддерживаю (${label}).`);
  await page.getByRole('button', { name: t.publishReply }).click();
  await page.waitForURL(new RegExp(`/consultations/${consultation}`));
  await expectText(page, t.replied, `${label} replied`);

  // 5. My page lists the signature, the petition and the comments.
  await page.goto(`${base}/${lang}/me`, { waitUntil: 'load' });
  await expectText(page, t.awaiting, `${label} my page: the petition awaits moderation`);
  await expectText(page, `Велодорожки <em>${label}</em>`, `${label} my page: the petition's title as typed`);
  await expectText(page, `Срок мал: нужно 45 дней (${label}).`, `${label} my page: the comment`);
  await expectText(page, `Поддерживаю (${label}).`, `${label} my page: the reply`);

  // 6. Erasure, behind a confirmation.
  await page.getByRole('link', { name: t.erase }).click();
  await axe(page, `${label} erase page`);
  await page.getByRole('button', { name: t.erase }).click();
  await page.waitForURL(new RegExp(`/${lang}/me`));
  await expectText(page, t.erased, `${label} erased`);

  // 7. Sign out, here and at the provider.
  await page.getByRole('button', { name: t.signOut }).click();
  await page.waitForLoadState('load');
  const confirm = page.locator('button[name="logout"][value="yes"]');
  if (await confirm.count()) {
    await Promise.all([page.waitForURL((url) => url.toString().startsWith(base)), confirm.click()]);
  }
  check(page.url().startsWith(base), `${label}: back on the site after signing out (${page.url()})`);
  check((await page.locator('nav.account a').count()) > 0, `${label}: signed out, the header offers sign-in`);
  await context.close();
  console.log(`ok   ${label}: sign, withdraw, start a petition, comment, reply, agree, My page, erase, sign out`);
}

/** Ineligible citizens are refused with the reason, the form kept. */
async function refusals(lang) {
  const t = TEXT[lang];
  for (const [citizen, target, text] of [
    ['dana', petition, t.tooYoung],
    ['olga', localPetition, t.notResident],
  ]) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    noScript.add(page);
    watch(page, `${lang} refusal`);
    await signInFromHeader(page, lang, citizen, `${lang} ${citizen}`);
    await page.goto(`${base}/${lang}/petitions/${target}/sign`, { waitUntil: 'load' });
    await page.getByLabel(t.showNameNo).check();
    await page.getByRole('button', { name: t.signButton }).click();
    await page.waitForLoadState('load');
    await expectText(page, text, `${lang} ${citizen} refused`);
    await axe(page, `${lang} ${citizen} refused`);
    await context.close();
  }
  console.log(`ok   ${lang}: an under-18 citizen and a citizen of another region are refused with the reason`);
}

/** Every page a citizen acts on, in the three languages: axe, html[lang]. */
async function everyPageInEveryLanguage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  watch(page, 'sweep');
  await signInFromHeader(page, 'kk', 'dmitry', 'sweep');
  const paths = [
    `/petitions/${petition}`,
    `/petitions/${petition}/sign`,
    `/petitions/new`,
    `/consultations/${consultation}`,
    `/consultations/${consultation}/comment?path=a1`,
    `/consultations/${consultation}/comment`,
    `/me`,
    `/me/erase`,
    `/me/notifications/settings`,
    `/bodies/government`,
    `/unsubscribe?t=not-a-link`,
  ];
  for (const lang of ['kk', 'ru', 'en']) {
    for (const path of paths) {
      const response = await page.goto(`${base}/${lang}${path}`, { waitUntil: 'load' });
      check(response?.status() === 200, `${lang}${path}: status ${response?.status()}`);
      check((await page.getAttribute('html', 'lang')) === lang, `${lang}${path}: html[lang]`);
      await axe(page, `sweep ${lang}${path}`);
    }
    // A form with errors, as a screen reader meets it.
    await page.goto(`${base}/${lang}/petitions/new`, { waitUntil: 'load' });
    await page.locator('button[name="step"][value="addressee"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('[data-error-summary] a[href="#addressee"]').count()) === 1, `${lang}: the summary links to the field in error`);
    await axe(page, `sweep ${lang} new petition with an error`);
    // The notification settings with a wrong address.
    await page.goto(`${base}/${lang}/me/notifications/settings`, { waitUntil: 'load' });
    await page.fill('#email', 'not an address');
    await page.locator('form[action$="/me/notifications/settings"] button[type="submit"]').click();
    await page.waitForLoadState('load');
    check((await page.locator('[data-error-summary] a[href="#email"]').count()) === 1, `${lang}: the settings' summary links to the address`);
    await axe(page, `sweep ${lang} notification settings with an error`);
  }
  await context.close();
  console.log('ok   every citizen page in kk, ru and en passes axe');
}

await citizenFlows({ lang: 'en', js: true, citizen: 'aigerim' });
await citizenFlows({ lang: 'ru', js: false, citizen: 'nurlan' });
await refusals('ru');
await everyPageInEveryLanguage();
await browser.close();

console.log(`browser checks took ${Date.now() - started} ms`);
console.log(`${checks - failures.length} passed, ${failures.length} failed`);
if (failures.length > 0) {
  console.log('\nFailures:');
  for (const failure of failures) console.log(`- ${failure}`);
  process.exit(1);
}
