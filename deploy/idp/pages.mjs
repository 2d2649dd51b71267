// HTML pages of the development IdP: sign-in, sign-out confirmation, signed-out and error pages,
// in Kazakh, Russian and English. No script and no inline style anywhere (the stylesheet is the
// /assets/idp.css route), every echoed value goes through escapeHtml, forms work without
// JavaScript, and each page has <html lang>, a <title>, one <h1> and a <main> landmark.

export const LANGS = ['kk', 'ru', 'en'];
export const DEFAULT_LANG = 'kk';

const T = {
  kk: {
    langName: 'Қазақша',
    site: 'Tyndau — әзірлеуге арналған IdP',
    langNav: 'Тіл',
    signIn: 'Кіру',
    intro:
      'Бұл — тек әзірлеу мен тестілеуге арналған сынақ сәйкестендіру қызметі. Нақты жүйеде кіру ұлттық сәйкестендіру қызметі арқылы өтеді.',
    forClient: (name) => `«${name}» қызметіне кіру.`,
    login: 'Логин',
    password: 'Құпиясөз',
    submit: 'Кіру',
    cancel: 'Бас тарту',
    problem: 'Қате бар',
    error: 'Қате',
    loginEmpty: 'Логинді енгізіңіз',
    passwordEmpty: 'Құпиясөзді енгізіңіз',
    wrong: 'Логин немесе құпиясөз дұрыс емес',
    demo: 'Демо тіркелгілер',
    demoPassword: (pw) => `Барлық демо тіркелгінің құпиясөзі: ${pw}`,
    demoPasswords: 'Әр тіркелгінің құпиясөзі accounts.json файлында.',
    colLogin: 'Логин',
    colRole: 'Рөлі',
    colWhere: 'Өңір немесе ұйым',
    colAge: 'Жасы',
    roles: { citizen: 'Азамат', official: 'Мемлекеттік қызметші', moderator: 'Модератор', admin: 'Әкімші' },
    signOut: 'Шығу',
    signOutHeading: 'Жүйеден шығуды растаңыз',
    signOutText: 'Осы сәйкестендіру қызметіндегі сеансыңыз аяқталады.',
    signOutYes: 'Иә, шығу',
    signOutNo: 'Жоқ, жүйеде қалу',
    signedOut: 'Сіз жүйеден шықтыңыз',
    signedOutText: 'Сеанс аяқталды. Бұл терезені жабуға болады.',
    failed: 'Қате орын алды',
    failedText: 'Сұрауды орындау мүмкін болмады.',
    errorCode: 'Қате коды',
    expired: 'Кіру сеансының мерзімі өтті',
    expiredText: 'Қызметке оралып, қайта кіріңіз.',
  },
  ru: {
    langName: 'Русский',
    site: 'Tyndau — IdP для разработки',
    langNav: 'Язык',
    signIn: 'Вход',
    intro:
      'Это тестовый сервис идентификации — только для разработки и тестирования. В рабочей системе вход выполняется через национальный сервис идентификации.',
    forClient: (name) => `Вход в сервис «${name}».`,
    login: 'Логин',
    password: 'Пароль',
    submit: 'Войти',
    cancel: 'Отмена',
    problem: 'Возникла проблема',
    error: 'Ошибка',
    loginEmpty: 'Введите логин',
    passwordEmpty: 'Введите пароль',
    wrong: 'Неверный логин или пароль',
    demo: 'Демо-учётные записи',
    demoPassword: (pw) => `Пароль всех демо-учётных записей: ${pw}`,
    demoPasswords: 'Пароль каждой учётной записи указан в файле accounts.json.',
    colLogin: 'Логин',
    colRole: 'Роль',
    colWhere: 'Регион или организация',
    colAge: 'Возраст',
    roles: { citizen: 'Гражданин', official: 'Госслужащий', moderator: 'Модератор', admin: 'Администратор' },
    signOut: 'Выход',
    signOutHeading: 'Подтвердите выход',
    signOutText: 'Ваш сеанс в этом сервисе идентификации будет завершён.',
    signOutYes: 'Да, выйти',
    signOutNo: 'Нет, остаться',
    signedOut: 'Вы вышли из системы',
    signedOutText: 'Сеанс завершён. Это окно можно закрыть.',
    failed: 'Произошла ошибка',
    failedText: 'Не удалось выполнить запрос.',
    errorCode: 'Код ошибки',
    expired: 'Сеанс входа истёк',
    expiredText: 'Вернитесь в сервис и войдите снова.',
  },
  en: {
    langName: 'English',
    site: 'Tyndau — development IdP',
    langNav: 'Language',
    signIn: 'Sign in',
    intro:
      'This is a test identity service for development and testing only. In production, people sign in through the national identity provider.',
    forClient: (name) => `Sign in to ${name}.`,
    login: 'Login',
    password: 'Password',
    submit: 'Sign in',
    cancel: 'Cancel',
    problem: 'There is a problem',
    error: 'Error',
    loginEmpty: 'Enter your login',
    passwordEmpty: 'Enter your password',
    wrong: 'The login or password is incorrect',
    demo: 'Demo accounts',
    demoPassword: (pw) => `All demo accounts use the password: ${pw}`,
    demoPasswords: 'Each account’s password is in accounts.json.',
    colLogin: 'Login',
    colRole: 'Role',
    colWhere: 'Region or organisation',
    colAge: 'Age',
    roles: { citizen: 'Citizen', official: 'Official', moderator: 'Moderator', admin: 'Administrator' },
    signOut: 'Sign out',
    signOutHeading: 'Confirm sign-out',
    signOutText: 'Your session at this identity service will end.',
    signOutYes: 'Yes, sign out',
    signOutNo: 'No, stay signed in',
    signedOut: 'You have signed out',
    signedOutText: 'Your session has ended. You can close this window.',
    failed: 'Something went wrong',
    failedText: 'The request could not be completed.',
    errorCode: 'Error code',
    expired: 'Your sign-in has expired',
    expiredText: 'Go back to the service and sign in again.',
  },
};

export function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The page language: the first supported tag of `preferred` (an explicit choice, e.g. the
 * language switch), else of `uiLocales` (the OIDC ui_locales parameter, space-separated, e.g.
 * "ru-KZ en"), else Kazakh.
 */
export function pickLang(uiLocales, preferred) {
  const candidates = [preferred, ...String(uiLocales ?? '').split(/\s+/)];
  for (const tag of candidates) {
    const primary = String(tag ?? '').toLowerCase().split(/[-_]/)[0];
    if (LANGS.includes(primary)) return primary;
  }
  return DEFAULT_LANG;
}

function layout({ lang, title, main, langLinks }) {
  const t = T[lang];
  const nav = langLinks
    ? `<nav class="langs" aria-label="${escapeHtml(t.langNav)}"><ul>${LANGS.map((l) =>
        l === lang
          ? `<li><a href="${escapeHtml(langLinks(l))}" lang="${l}" hreflang="${l}" aria-current="true">${escapeHtml(T[l].langName)}</a></li>`
          : `<li><a href="${escapeHtml(langLinks(l))}" lang="${l}" hreflang="${l}">${escapeHtml(T[l].langName)}</a></li>`,
      ).join('')}</ul></nav>`
    : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/idp.css">
</head>
<body>
<header class="banner"><p class="site">${escapeHtml(t.site)}</p>${nav}</header>
<main id="main">
${main}
</main>
</body>
</html>
`;
}

/**
 * The sign-in page.
 *  uid        interaction id (form actions)
 *  clientName the relying party's name
 *  accounts   [{login, role, where, age, password}] for the help table
 *  values     {login} to keep what was typed (never the password)
 *  errors     {login?: message key, password?: message key}
 */
export function loginPage({ lang, uid, clientName, accounts, values = {}, errors = {} }) {
  const t = T[lang];
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const fields = [
    { id: 'login', label: t.login, type: 'text', autocomplete: 'username', value: values.login ?? '' },
    { id: 'password', label: t.password, type: 'password', autocomplete: 'current-password', value: '' },
  ];
  const errorList = fields.filter((f) => errors[f.id]);
  const summary = errorList.length
    ? `<div class="error-summary">
<div role="alert">
<h2 id="error-summary-title">${escapeHtml(t.problem)}</h2>
<ul>${errorList.map((f) => `<li><a href="#${f.id}">${escapeHtml(t[errors[f.id]])}</a></li>`).join('')}</ul>
</div>
</div>`
    : '';
  const field = (f) => {
    const err = errors[f.id];
    const errorHtml = err
      ? `<p id="${f.id}-error" class="error-message"><span class="visually-hidden">${escapeHtml(t.error)}: </span>${escapeHtml(t[err])}</p>`
      : '';
    const described = err ? ` aria-describedby="${f.id}-error" aria-invalid="true"` : '';
    const extra = f.type === 'text' ? ' autocapitalize="none" spellcheck="false"' : '';
    return `<div class="field${err ? ' field-error' : ''}">
<label for="${f.id}">${escapeHtml(f.label)}</label>
${errorHtml}<input id="${f.id}" name="${f.id}" type="${f.type}" autocomplete="${f.autocomplete}" value="${escapeHtml(f.value)}"${extra}${described}>
</div>`;
  };
  const passwords = new Set(accounts.map((a) => a.password));
  const passwordNote = passwords.size === 1 ? t.demoPassword([...passwords][0]) : t.demoPasswords;
  const rows = accounts
    .map(
      (a) =>
        `<tr><td><code>${escapeHtml(a.login)}</code></td><td>${escapeHtml(t.roles[a.role] ?? a.role)}</td><td>${a.where ? `<code>${escapeHtml(a.where)}</code>` : '—'}</td><td>${escapeHtml(a.age ?? '—')}</td></tr>`,
    )
    .join('\n');
  const main = `${summary}
<h1>${escapeHtml(t.signIn)}</h1>
<p>${escapeHtml(t.forClient(clientName))}</p>
<p class="hint">${escapeHtml(t.intro)}</p>
<form method="post" action="${escapeHtml(`${base}/login`)}" novalidate>
${fields.map(field).join('\n')}
<input type="hidden" name="lang" value="${lang}">
<div class="actions"><button type="submit">${escapeHtml(t.submit)}</button></div>
</form>
<form method="post" action="${escapeHtml(`${base}/abort`)}" class="cancel">
<input type="hidden" name="lang" value="${lang}">
<button type="submit" class="secondary">${escapeHtml(t.cancel)}</button>
</form>
<section aria-labelledby="demo-title">
<h2 id="demo-title">${escapeHtml(t.demo)}</h2>
<p>${escapeHtml(passwordNote)}</p>
<table>
<caption class="visually-hidden">${escapeHtml(t.demo)}</caption>
<thead><tr><th scope="col">${escapeHtml(t.colLogin)}</th><th scope="col">${escapeHtml(t.colRole)}</th><th scope="col">${escapeHtml(t.colWhere)}</th><th scope="col">${escapeHtml(t.colAge)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
  const title = `${errorList.length ? `${t.error}: ` : ''}${t.signIn} — ${t.site}`;
  return layout({ lang, title, main, langLinks: (l) => `${base}?lang=${l}` });
}

/** RP-initiated logout confirmation. `form` is oidc-provider's form (action + xsrf hidden input). */
export function logoutPage({ lang, form }) {
  const t = T[lang];
  const buttons = `<div class="actions"><button type="submit" name="logout" value="yes">${escapeHtml(t.signOutYes)}</button>
<button type="submit" class="secondary">${escapeHtml(t.signOutNo)}</button></div>`;
  // The buttons go inside oidc-provider's form, so the page needs neither script nor the form=""
  // attribute. The form's markup is the library's own (its action and xsrf value are not ours).
  const formWithButtons = form.replace('</form>', `${buttons}</form>`);
  const main = `<h1>${escapeHtml(t.signOutHeading)}</h1>
<p>${escapeHtml(t.signOutText)}</p>
${formWithButtons}`;
  return layout({ lang, title: `${t.signOut} — ${t.site}`, main });
}

export function signedOutPage({ lang }) {
  const t = T[lang];
  const main = `<h1>${escapeHtml(t.signedOut)}</h1>
<p>${escapeHtml(t.signedOutText)}</p>`;
  return layout({ lang, title: `${t.signedOut} — ${t.site}`, main });
}

/** An error page. `code`/`description` are OAuth error fields (escaped). */
export function errorPage({ lang, code, description, expired = false }) {
  const t = T[lang];
  const heading = expired ? t.expired : t.failed;
  const text = expired ? t.expiredText : t.failedText;
  const details = code
    ? `<dl><dt>${escapeHtml(t.errorCode)}</dt><dd><code>${escapeHtml(code)}</code></dd>${
        description ? `<dt class="visually-hidden">${escapeHtml(t.error)}</dt><dd>${escapeHtml(description)}</dd>` : ''
      }</dl>`
    : '';
  const main = `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(text)}</p>
${details}`;
  return layout({ lang, title: `${t.error}: ${heading} — ${t.site}`, main });
}

export const CSS = `/* Development IdP pages. No inline styles anywhere; this is the only stylesheet. */
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #0b0c0c; background: #fff; }
body { margin: 0; }
.banner { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem 1.5rem; padding: 0.75rem 1rem; background: #0b3b60; color: #fff; }
.banner .site { margin: 0; font-weight: 700; }
.langs ul { display: flex; gap: 1rem; margin: 0; padding: 0; list-style: none; }
.langs a { color: #fff; }
.langs a[aria-current] { font-weight: 700; text-decoration: none; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.375rem; margin: 2rem 0 0.75rem; }
a { color: #1d70b8; }
a:focus, button:focus, input:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 5px #0b0c0c; }
.hint { color: #484949; }
.field { margin: 0 0 1.25rem; }
.field label { display: block; font-weight: 700; margin-bottom: 0.25rem; }
.field input { display: block; width: 100%; max-width: 24rem; min-height: 2.5rem; padding: 0.375rem 0.5rem; font: inherit; border: 2px solid #0b0c0c; border-radius: 0; }
.field-error { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
.field-error input { border-color: #d4351c; }
.error-message { margin: 0 0 0.25rem; color: #d4351c; font-weight: 700; }
.error-summary { border: 5px solid #d4351c; padding: 1rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; }
.error-summary a { color: #d4351c; font-weight: 700; }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0 1rem; }
button { min-height: 2.5rem; min-width: 6rem; padding: 0.5rem 1rem; font: inherit; font-weight: 700; color: #fff; background: #00703c; border: 2px solid transparent; border-radius: 0; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
button.secondary { color: #0b0c0c; background: #f3f2f1; box-shadow: 0 2px 0 #929191; }
.cancel { margin: 0 0 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em; }
dl { margin: 1rem 0; }
dt { font-weight: 700; }
dd { margin: 0 0 0.5rem; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
`;
