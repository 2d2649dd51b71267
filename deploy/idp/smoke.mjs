// Smoke test of a RUNNING development IdP (server.mjs): the whole relying-party flow, the way a
// browser plus our web front would do it, with plain node (global fetch, node:crypto, no
// packages). It starts nothing itself.
//
//   IDP_ISSUER=http://127.0.0.1:8090 IDP_API_AUDIENCE=tyndau-api node smoke.mjs
//
// Environment:
//   IDP_ISSUER        required. The issuer the server was started with.
//   IDP_API_AUDIENCE  required. The audience the server puts in access tokens.
//   IDP_CLIENTS       clients file the server uses (default: clients.example.json next to this
//                     file); the first client (or SMOKE_CLIENT_ID) is used.
//   SMOKE_CLIENT_ID   optional, which client of IDP_CLIENTS to use.
//   IDP_KEY_DIR       optional: if set, the kid is also recomputed from dev-signing-key.pk8.b64.
//   SMOKE_CITIZEN, SMOKE_MINOR, SMOKE_OFFICIAL, SMOKE_PASSWORD  demo logins (defaults: aigerim,
//                     dana, erlan; password demo).
//   SMOKE_SHOW_CLAIMS "1" prints the decoded header and claims of the citizen's ID and access
//                     tokens (never the tokens themselves).
//
// Prints one line per check and "N passed, M failed" at the end; exits 1 on any failure.

import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ageOn, parseDate, parseIin, todayUtc } from './iin.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REGIONS = new Set([
  'abai', 'akmola', 'aktobe', 'almaty-region', 'atyrau', 'east-kazakhstan', 'zhambyl', 'zhetysu',
  'west-kazakhstan', 'karaganda', 'kostanay', 'kyzylorda', 'mangystau', 'pavlodar',
  'north-kazakhstan', 'turkestan', 'ulytau', 'astana', 'almaty', 'shymkent',
]);

const env = process.env;
if (!env.IDP_ISSUER || !env.IDP_API_AUDIENCE) {
  console.error('usage: IDP_ISSUER=http://127.0.0.1:8090 IDP_API_AUDIENCE=tyndau-api node smoke.mjs');
  process.exit(2);
}
const ISSUER = env.IDP_ISSUER;
const ORIGIN = new URL(ISSUER).origin;
const AUDIENCE = env.IDP_API_AUDIENCE;
const PASSWORD = env.SMOKE_PASSWORD ?? 'demo';
const LOGINS = {
  citizen: env.SMOKE_CITIZEN ?? 'aigerim',
  minor: env.SMOKE_MINOR ?? 'dana',
  official: env.SMOKE_OFFICIAL ?? 'erlan',
};
const clients = JSON.parse(readFileSync(env.IDP_CLIENTS ?? join(HERE, 'clients.example.json'), 'utf8'));
const CLIENT = env.SMOKE_CLIENT_ID ? clients.find((c) => c.client_id === env.SMOKE_CLIENT_ID) : clients[0];
if (!CLIENT) {
  console.error('smoke: client not found in IDP_CLIENTS');
  process.exit(2);
}
const REDIRECT_URI = CLIENT.redirect_uris[0];
const POST_LOGOUT = CLIENT.post_logout_redirect_uris?.[0];

// --------------------------------------------------------------------------------------------
// Reporting

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok    ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL  ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
class Abort extends Error {}
function must(name, ok, detail) {
  if (!check(name, ok, detail)) throw new Abort(name);
}

// --------------------------------------------------------------------------------------------
// A minimal browser: manual redirects and a path-aware cookie jar.

class Browser {
  constructor() {
    this.jar = new Map(); // `${name}\n${path}` -> {name, value, path}
  }

  cookieHeader(url) {
    const path = new URL(url).pathname;
    const pairs = [];
    for (const c of this.jar.values()) {
      const matches = path === c.path || (path.startsWith(c.path) && (c.path.endsWith('/') || path[c.path.length] === '/'));
      if (matches) pairs.push(`${c.name}=${c.value}`);
    }
    return pairs.join('; ');
  }

  store(url, res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') path = v || '/';
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${name}\n${path}`;
      if (expired) this.jar.delete(key);
      else this.jar.set(key, { name, value, path });
    }
  }

  async request(url, { method = 'GET', headers = {}, body } = {}) {
    const h = { ...headers };
    const cookie = this.cookieHeader(url);
    if (cookie) h.cookie = cookie;
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    this.store(url, res);
    return res;
  }

  async postForm(url, fields) {
    return this.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Follows redirects from `res` (a response to `url`) while they stay at the IdP. Returns the
   * final IdP response, or {external} with the first Location outside the IdP (the client's).
   */
  async follow(url, res, limit = 10) {
    let current = url;
    for (let i = 0; i < limit; i += 1) {
      if (res.status < 300 || res.status > 399) return { res, url: current };
      const location = new URL(res.headers.get('location'), current).href;
      if (new URL(location).origin !== ORIGIN) {
        await res.arrayBuffer();
        return { external: location, status: res.status };
      }
      await res.arrayBuffer();
      current = location;
      res = await this.request(current);
    }
    throw new Error('too many redirects');
  }
}

// --------------------------------------------------------------------------------------------
// Helpers

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const random = () => b64url(crypto.randomBytes(32));
const decodeEntities = (s) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
const now = () => Math.floor(Date.now() / 1000);

function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    input: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

function verifySignature(jwt, jwks) {
  const jwk = jwks.keys.find((k) => k.kid === jwt.header.kid);
  if (!jwk) return `no JWKS key with kid ${jwt.header.kid}`;
  if (jwk.alg && jwk.alg !== jwt.header.alg) return `key ${jwk.kid} is for ${jwk.alg}, token says ${jwt.header.alg}`;
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  let ok;
  if (jwt.header.alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    ok = crypto.verify(null, jwt.input, key, jwt.signature);
  } else if (jwt.header.alg === 'RS256' && jwk.kty === 'RSA') {
    ok = crypto.verify('sha256', jwt.input, key, jwt.signature);
  } else {
    return `unexpected alg ${jwt.header.alg} for a ${jwk.kty} key`;
  }
  return ok ? true : 'signature does not verify';
}

function pageChecks(prefix, html, lang) {
  check(`${prefix}: <html lang="${lang}">`, new RegExp(`<html lang="${lang}">`).test(html));
  check(`${prefix}: has <title>, one <h1>, a <main>`,
    /<title>[^<]+<\/title>/.test(html) && (html.match(/<h1[\s>]/g) ?? []).length === 1 && (html.match(/<main[\s>]/g) ?? []).length === 1);
  check(`${prefix}: no inline script or style`,
    !/<script/i.test(html) && !/<style/i.test(html) && !/\sstyle=/i.test(html) && !/\son[a-z]+=/i.test(html));
}

/** A token endpoint request authenticated the way the client is registered. */
async function postToken(params) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(params);
  if ((CLIENT.token_endpoint_auth_method ?? 'client_secret_basic') === 'client_secret_basic') {
    // RFC 6749 §2.3.1: form-encode id and secret before base64.
    const id = encodeURIComponent(CLIENT.client_id).replaceAll('%20', '+');
    const secret = encodeURIComponent(CLIENT.client_secret).replaceAll('%20', '+');
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else {
    body.set('client_id', CLIENT.client_id);
    body.set('client_secret', CLIENT.client_secret);
  }
  const res = await fetch(`${discovery.token_endpoint}`, { method: 'POST', headers, body: body.toString() });
  return { status: res.status, json: await res.json().catch(() => ({})) };
}

function authorizeUrl(overrides = {}) {
  const u = new URL(discovery.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: CLIENT.client_id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile tyndau',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

/** Starts an authorization request and returns the login page (after the IdP's redirects). */
async function startFlow(browser, { lang = 'ru' } = {}) {
  const state = random();
  const nonce = random();
  const verifier = random();
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const url = authorizeUrl({ state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ui_locales: lang });
  const first = await browser.request(url);
  const end = await browser.follow(url, first);
  return { state, nonce, verifier, end };
}

function loginAction(html) {
  const m = /<form method="post" action="([^"]+\/login)"/.exec(html);
  return m ? new URL(decodeEntities(m[1]), ORIGIN).href : undefined;
}

/** Signs in and returns {code, tokens, ...} for the given login. */
async function signIn(browser, login, label, { lang = 'ru' } = {}) {
  const flow = await startFlow(browser, { lang });
  must(`${label}: authorize leads to the login page`, flow.end.res?.status === 200, `got ${flow.end.res?.status ?? flow.end.external}`);
  const html = await flow.end.res.text();
  const action = loginAction(html);
  must(`${label}: login form found`, !!action);
  const res = await browser.postForm(action, { login, password: PASSWORD, lang });
  check(`${label}: correct password → 303`, res.status === 303, `got ${res.status}`);
  const end = await browser.follow(action, res);
  must(`${label}: consent is automatic and the browser lands on the redirect_uri`, end.external?.startsWith(REDIRECT_URI), end.external ?? `status ${end.res?.status}`);
  const back = new URL(end.external);
  check(`${label}: redirect carries the same state`, back.searchParams.get('state') === flow.state);
  check(`${label}: redirect carries iss = issuer (RFC 9207)`, back.searchParams.get('iss') === ISSUER);
  const code = back.searchParams.get('code');
  must(`${label}: redirect carries a code`, !!code);
  const token = await postToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: flow.verifier });
  must(`${label}: token exchange → 200`, token.status === 200, JSON.stringify(token.json));
  return { ...flow, code, tokens: token.json };
}

function checkIdToken(label, idToken, nonce, jwks, refreshed = false) {
  const jwt = decodeJwt(idToken);
  const p = jwt.payload;
  check(`${label}: ID token alg ${expectedIdAlg}`, jwt.header.alg === expectedIdAlg, jwt.header.alg);
  check(`${label}: ID token kid is in the JWKS`, jwks.keys.some((k) => k.kid === jwt.header.kid), jwt.header.kid);
  if (expectedIdAlg === 'EdDSA') check(`${label}: ID token kid is the dev key's`, jwt.header.kid === devKid, jwt.header.kid);
  check(`${label}: ID token signature verifies against the JWKS`, verifySignature(jwt, jwks) === true, verifySignature(jwt, jwks));
  check(`${label}: ID token iss/aud/exp`, p.iss === ISSUER && p.aud === CLIENT.client_id && p.exp > now() && p.iat <= now() + 5);
  if (refreshed) {
    // OIDC Core §12.2: a refreshed ID token SHOULD NOT carry nonce; if it does, the original one.
    check(`${label}: ID token nonce absent or the original`, p.nonce === undefined || p.nonce === nonce);
  } else {
    check(`${label}: ID token nonce matches`, p.nonce === nonce);
  }
  return p;
}

function checkAccessToken(label, accessToken, jwks, sub) {
  const jwt = decodeJwt(accessToken);
  const p = jwt.payload;
  check(`${label}: access token is a JWT, alg EdDSA, typ at+jwt, kid ${devKid}`,
    jwt.header.alg === 'EdDSA' && /^(at\+jwt|jwt)$/i.test(jwt.header.typ ?? '') && jwt.header.kid === devKid, JSON.stringify(jwt.header));
  check(`${label}: access token signature verifies against the JWKS`, verifySignature(jwt, jwks) === true, verifySignature(jwt, jwks));
  check(`${label}: access token aud = ${AUDIENCE}`, p.aud === AUDIENCE, JSON.stringify(p.aud));
  check(`${label}: access token iss, sub`, p.iss === ISSUER && p.sub === sub, `${p.iss} ${p.sub}`);
  check(`${label}: access token nbf = iat <= now < exp`,
    Number.isInteger(p.nbf) && p.nbf === p.iat && p.nbf <= now() + 5 && Number.isInteger(p.exp) && p.exp > now(), `nbf ${p.nbf} iat ${p.iat} exp ${p.exp}`);
  check(`${label}: access token lives 15 minutes`, p.exp - p.iat === 900, `${p.exp - p.iat}s`);
  check(`${label}: access token has exactly one role`, Array.isArray(p.roles) && p.roles.length === 1, JSON.stringify(p.roles));
  return p;
}

function checkIin(label, iin, birthdate) {
  let parsed;
  try {
    parsed = parseIin(iin);
  } catch (err) {
    return check(`${label}: IIN is valid`, false, err.message);
  }
  check(`${label}: IIN is valid (12 digits, check digit)`, true);
  return check(`${label}: birthdate matches the IIN`, parsed.birthdate === birthdate, `${birthdate} vs ${parsed.birthdate}`);
}

// --------------------------------------------------------------------------------------------

let discovery;
let devKid;
let expectedIdAlg;

async function main() {
  // Health and discovery
  const health = await fetch(`${ISSUER}/health`);
  check('GET /health → 200 ok', health.status === 200 && (await health.text()) === 'ok');

  const disco = await fetch(`${ISSUER}/.well-known/openid-configuration`);
  must('discovery → 200', disco.status === 200);
  discovery = await disco.json();
  check('discovery issuer equals IDP_ISSUER exactly', discovery.issuer === ISSUER, discovery.issuer);
  check('discovery: code flow only', JSON.stringify(discovery.response_types_supported) === '["code"]', JSON.stringify(discovery.response_types_supported));
  check('discovery: PKCE S256 only', JSON.stringify(discovery.code_challenge_methods_supported) === '["S256"]');
  check('discovery: end_session_endpoint', typeof discovery.end_session_endpoint === 'string');
  check('discovery: scopes openid profile tyndau', ['openid', 'profile', 'tyndau'].every((s) => discovery.scopes_supported?.includes(s)));
  check('discovery: ui_locales kk ru en', JSON.stringify(discovery.ui_locales_supported) === '["kk","ru","en"]');
  expectedIdAlg = discovery.id_token_signing_alg_values_supported?.includes('RS256') ? 'RS256' : 'EdDSA';

  const jwksRes = await fetch(discovery.jwks_uri);
  const jwks = await jwksRes.json();
  const ed = jwks.keys.find((k) => k.kty === 'OKP' && k.crv === 'Ed25519');
  must('JWKS has an Ed25519 key', !!ed);
  devKid = `dev-${crypto.createHash('sha256').update(Buffer.from(ed.x, 'base64url')).digest().subarray(0, 12).toString('base64url')}`;
  check('JWKS Ed25519 kid = "dev-" + b64url(sha256(x)[0..12])', ed.kid === devKid && ed.alg === 'EdDSA' && ed.use === 'sig', ed.kid);
  check('JWKS holds no private members', jwks.keys.every((k) => !('d' in k) && !('p' in k)));
  if (env.IDP_KEY_DIR) {
    const b64 = readFileSync(join(env.IDP_KEY_DIR, 'dev-signing-key.pk8.b64'), 'utf8').trim();
    const x = crypto.createPrivateKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).x;
    check('JWKS key is the one in IDP_KEY_DIR', x === ed.x);
  }

  // Citizen: the whole flow
  const browser = new Browser();
  const flow = await startFlow(browser, { lang: 'ru' });
  must('authorize (PKCE S256, state, nonce, ui_locales=ru) → login page', flow.end.res?.status === 200, `status ${flow.end.res?.status ?? flow.end.external}`);
  const loginHtml = await flow.end.res.text();
  pageChecks('login page', loginHtml, 'ru');
  check('login page: labelled Login and Password fields',
    /<label for="login">/.test(loginHtml) && /<input id="login" name="login" type="text"/.test(loginHtml) &&
    /<label for="password">/.test(loginHtml) && /<input id="password" name="password" type="password"/.test(loginHtml));
  check('login page: demo accounts table lists the citizen', loginHtml.includes(`<code>${LOGINS.citizen}</code>`) && /<th scope="col">/.test(loginHtml));
  check('login page: served with a CSP without unsafe-inline', /default-src 'none'/.test(flow.end.res.headers.get('content-security-policy') ?? '') &&
    !/unsafe-inline/.test(flow.end.res.headers.get('content-security-policy') ?? ''));
  const action = loginAction(loginHtml);
  must('login page: form posts to the interaction', !!action);

  const css = await fetch(`${ISSUER}/assets/idp.css`);
  check('GET /assets/idp.css → 200 text/css', css.status === 200 && /text\/css/.test(css.headers.get('content-type') ?? ''));

  const wrong = await browser.postForm(action, { login: LOGINS.citizen, password: 'not-the-password', lang: 'ru' });
  const wrongHtml = await wrong.text();
  check('wrong password → the page again (400)', wrong.status === 400, `got ${wrong.status}`);
  check('wrong password: error summary links to the field', /<a href="#login">Неверный логин или пароль<\/a>/.test(wrongHtml));
  check('wrong password: inline error tied to the field', /aria-describedby="login-error" aria-invalid="true"/.test(wrongHtml) && /id="login-error"/.test(wrongHtml));
  check('wrong password: title starts with "Ошибка:"', /<title>Ошибка: /.test(wrongHtml));
  check('wrong password: the login is kept, the password is not', wrongHtml.includes(`value="${LOGINS.citizen}"`) && !wrongHtml.includes('not-the-password'));
  pageChecks('error page', wrongHtml, 'ru');

  const empty = await browser.postForm(action, { login: '', password: '', lang: 'ru' });
  const emptyHtml = await empty.text();
  check('empty form → both fields flagged', empty.status === 400 && /href="#login"/.test(emptyHtml) && /href="#password"/.test(emptyHtml));

  const xsite = await browser.request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    body: new URLSearchParams({ login: LOGINS.citizen, password: PASSWORD }).toString(),
  });
  check('cross-origin login POST → 403', xsite.status === 403, `got ${xsite.status}`);

  const ok = await browser.postForm(action, { login: LOGINS.citizen, password: PASSWORD, lang: 'ru' });
  check('correct password → 303', ok.status === 303, `got ${ok.status}`);
  const landed = await browser.follow(action, ok);
  must('consent is automatic; redirect to the client redirect_uri', landed.external?.startsWith(REDIRECT_URI), landed.external ?? `status ${landed.res?.status}`);
  const back = new URL(landed.external);
  check('redirect carries the same state', back.searchParams.get('state') === flow.state);
  check('redirect carries iss = issuer (RFC 9207)', back.searchParams.get('iss') === ISSUER);
  const code = back.searchParams.get('code');
  must('redirect carries a code', !!code);

  const noVerifier = await postToken({ grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: REDIRECT_URI });
  check('token request with a bogus code → invalid_grant', noVerifier.status === 400 && noVerifier.json.error === 'invalid_grant', JSON.stringify(noVerifier.json));
  const badSecret = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:wrong-secret`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: flow.verifier }).toString(),
  });
  check('token request with a wrong client secret → 401 invalid_client', badSecret.status === 401);
  // A wrong verifier burns the code (it is single use and oidc-provider revokes on failure), so
  // it is tried on a second flow further down.

  const token = await postToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: flow.verifier });
  must('token exchange (client authentication + code_verifier) → 200', token.status === 200, JSON.stringify(token.json));
  const t = token.json;
  check('token response: Bearer, expires_in 900, id_token, access_token, refresh_token',
    t.token_type === 'Bearer' && t.expires_in === 900 && !!t.id_token && !!t.access_token && !!t.refresh_token, JSON.stringify(Object.keys(t)));
  check('token response: scope openid profile tyndau', t.scope === 'openid profile tyndau', t.scope);

  const id = checkIdToken('citizen', t.id_token, flow.nonce, jwks);
  check('ID token: profile claims (name, given_name, family_name, birthdate, locale)',
    ['name', 'given_name', 'family_name', 'birthdate', 'locale'].every((k) => typeof id[k] === 'string' && id[k]), JSON.stringify(id));
  check('ID token: tyndau claims roles ["citizen"], iin, region', JSON.stringify(id.roles) === '["citizen"]' && REGIONS.has(id.region) && typeof id.iin === 'string');
  check('ID token: no org for a citizen', id.org === undefined);
  checkIin('ID token', id.iin, id.birthdate);

  const at = checkAccessToken('citizen', t.access_token, jwks, id.sub);
  check('access token: roles ["citizen"], iin, region, name as in the ID token',
    JSON.stringify(at.roles) === '["citizen"]' && at.iin === id.iin && at.region === id.region && at.name === id.name, JSON.stringify(at));
  check('access token: client_id and scope', at.client_id === CLIENT.client_id && at.scope === 'openid profile tyndau');
  if (env.SMOKE_SHOW_CLAIMS === '1') {
    // Decoded header and claims only, never the tokens themselves.
    for (const [what, tok] of [['ID token', t.id_token], ['access token', t.access_token]]) {
      const { header, payload } = decodeJwt(tok);
      console.log(`      ${what}: ${JSON.stringify(header)}\n      ${JSON.stringify(payload, null, 2).replaceAll('\n', '\n      ')}`);
    }
  }

  // Refresh with rotation
  const r1 = await postToken({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
  must('refresh → 200', r1.status === 200, JSON.stringify(r1.json));
  check('refresh: a new, different refresh token (rotation)', !!r1.json.refresh_token && r1.json.refresh_token !== t.refresh_token);
  const at2 = checkAccessToken('refreshed', r1.json.access_token, jwks, id.sub);
  check('refreshed access token: same role claims', JSON.stringify(at2.roles) === '["citizen"]' && at2.iin === at.iin);
  if (r1.json.id_token) {
    const rid = checkIdToken('refreshed', r1.json.id_token, flow.nonce, jwks, true);
    check('refreshed ID token: same sub and claims', rid.sub === id.sub && rid.iin === id.iin && rid.name === id.name);
  }

  // Sign-out (RP-initiated logout), while the refresh tokens are still good.
  const logoutState = random();
  const endUrl = new URL(discovery.end_session_endpoint);
  endUrl.searchParams.set('id_token_hint', t.id_token);
  if (POST_LOGOUT) endUrl.searchParams.set('post_logout_redirect_uri', POST_LOGOUT);
  endUrl.searchParams.set('state', logoutState);
  endUrl.searchParams.set('ui_locales', 'ru');
  const endRes = await browser.request(endUrl.href);
  const endHtml = await endRes.text();
  check('end_session (id_token_hint, post_logout_redirect_uri, state, ui_locales) → confirmation page', endRes.status === 200, `got ${endRes.status}`);
  pageChecks('logout page', endHtml, 'ru');
  const formMatch = /<form id="op.logoutForm" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(endHtml);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(endHtml)?.[1];
  check('logout page: a form with the submit buttons inside (works without JS)',
    !!formMatch && /<button type="submit" name="logout" value="yes">/.test(formMatch[2]) && !!xsrf);
  if (formMatch && xsrf) {
    const confirmUrl = new URL(decodeEntities(formMatch[1]), ORIGIN).href;
    const confirm = await browser.postForm(confirmUrl, { xsrf, logout: 'yes' });
    const loc = confirm.headers.get('location') ?? '';
    check('logout confirmed → 303 to post_logout_redirect_uri with state',
      confirm.status === 303 && POST_LOGOUT && loc.startsWith(POST_LOGOUT) && new URL(loc).searchParams.get('state') === logoutState, `${confirm.status} ${loc}`);
  }
  const after = await startFlow(browser, { lang: 'en' });
  const afterHtml = after.end.res ? await after.end.res.text() : '';
  check('after logout, authorize asks to sign in again (English page)', after.end.res?.status === 200 && /<html lang="en">/.test(afterHtml) && /Sign in/.test(afterHtml));
  const rAfter = await postToken({ grant_type: 'refresh_token', refresh_token: r1.json.refresh_token });
  check('after logout the refresh token no longer works', rAfter.status === 400 && rAfter.json.error === 'invalid_grant', JSON.stringify(rAfter.json));

  // Rotation: reuse of a rotated refresh token is refused and revokes the chain.
  const b2 = new Browser();
  const s2 = await signIn(b2, LOGINS.citizen, 'rotation');
  const rot1 = await postToken({ grant_type: 'refresh_token', refresh_token: s2.tokens.refresh_token });
  check('rotation: first refresh → 200', rot1.status === 200, JSON.stringify(rot1.json));
  const reuse = await postToken({ grant_type: 'refresh_token', refresh_token: s2.tokens.refresh_token });
  check('rotation: reusing the old refresh token → invalid_grant', reuse.status === 400 && reuse.json.error === 'invalid_grant', JSON.stringify(reuse.json));
  const chain = await postToken({ grant_type: 'refresh_token', refresh_token: rot1.json.refresh_token });
  check('rotation: after reuse the newer refresh token is revoked too', chain.status === 400 && chain.json.error === 'invalid_grant', JSON.stringify(chain.json));

  // Authorization code replay: refused, and the grant (its refresh token) is revoked.
  const s4 = await signIn(new Browser(), LOGINS.citizen, 'replay');
  const replay = await postToken({ grant_type: 'authorization_code', code: s4.code, redirect_uri: REDIRECT_URI, code_verifier: s4.verifier });
  check('authorization code replay → invalid_grant', replay.status === 400 && replay.json.error === 'invalid_grant', JSON.stringify(replay.json));
  const afterReplay = await postToken({ grant_type: 'refresh_token', refresh_token: s4.tokens.refresh_token });
  check('after a code replay the refresh token of that code is revoked', afterReplay.status === 400 && afterReplay.json.error === 'invalid_grant', JSON.stringify(afterReplay.json));

  // Wrong code_verifier
  const b3 = new Browser();
  const f3 = await startFlow(b3);
  const h3 = f3.end.res ? await f3.end.res.text() : '';
  const a3 = loginAction(h3);
  if (a3) {
    const e3 = await b3.follow(a3, await b3.postForm(a3, { login: LOGINS.citizen, password: PASSWORD }));
    const c3 = e3.external ? new URL(e3.external).searchParams.get('code') : null;
    const bad = await postToken({ grant_type: 'authorization_code', code: c3, redirect_uri: REDIRECT_URI, code_verifier: random() });
    check('token exchange with a wrong code_verifier → invalid_grant', bad.status === 400 && bad.json.error === 'invalid_grant', JSON.stringify(bad.json));
  } else {
    check('wrong code_verifier flow: login page', false);
  }

  // Cancel on the sign-in page: back to the client with access_denied and the state.
  const b5 = new Browser();
  const f5 = await startFlow(b5);
  const h5 = f5.end.res ? await f5.end.res.text() : '';
  const abortAction = /<form method="post" action="([^"]+\/abort)"/.exec(h5)?.[1];
  if (abortAction) {
    const url5 = new URL(decodeEntities(abortAction), ORIGIN).href;
    const e5 = await b5.follow(url5, await b5.postForm(url5, { lang: 'ru' }));
    const back5 = e5.external ? new URL(e5.external) : undefined;
    check('cancel → redirect_uri with error=access_denied and the state',
      !!back5 && e5.external.startsWith(REDIRECT_URI) && back5.searchParams.get('error') === 'access_denied' &&
      back5.searchParams.get('state') === f5.state && !back5.searchParams.has('code'), e5.external ?? `status ${e5.res?.status}`);
  } else {
    check('cancel form on the login page', false);
  }

  // Minor: under 18 whatever the date
  const minor = await signIn(new Browser(), LOGINS.minor, 'minor', { lang: 'kk' });
  const mid = checkIdToken('minor', minor.tokens.id_token, minor.nonce, jwks);
  checkIin('minor', mid.iin, mid.birthdate);
  const age = ageOn(parseDate(mid.birthdate), todayUtc());
  check('minor: under 18 today', age < 18, `age ${age}`);
  const mat = checkAccessToken('minor', minor.tokens.access_token, jwks, mid.sub);
  check('minor: access token iin = ID token iin', mat.iin === mid.iin);

  // Official: org, no iin
  const off = await signIn(new Browser(), LOGINS.official, 'official', { lang: 'en' });
  const oid = checkIdToken('official', off.tokens.id_token, off.nonce, jwks);
  const oat = checkAccessToken('official', off.tokens.access_token, jwks, oid.sub);
  check('official: roles ["official"] and org in both tokens, no iin/region',
    JSON.stringify(oat.roles) === '["official"]' && /^[a-z0-9-]{2,64}$/.test(oat.org) && oid.org === oat.org &&
    oat.iin === undefined && oat.region === undefined && oid.iin === undefined, JSON.stringify(oat));

  // Negative: no PKCE, plain PKCE, unregistered redirect_uri, implicit
  const nb = new Browser();
  const noPkceUrl = authorizeUrl({ state: random(), nonce: random() });
  const noPkce = await nb.request(noPkceUrl);
  const noPkceLoc = noPkce.headers.get('location') ?? '';
  check('authorize without code_challenge is refused (error=invalid_request to the client, no code)',
    noPkce.status >= 300 && noPkce.status < 400 && noPkceLoc.startsWith(REDIRECT_URI) &&
    new URL(noPkceLoc).searchParams.get('error') === 'invalid_request' && !new URL(noPkceLoc).searchParams.has('code'), `${noPkce.status} ${noPkceLoc}`);

  const plainUrl = authorizeUrl({ state: random(), nonce: random(), code_challenge: random(), code_challenge_method: 'plain' });
  const plain = await nb.request(plainUrl);
  const plainLoc = plain.headers.get('location') ?? '';
  check('authorize with code_challenge_method=plain is refused',
    plain.status >= 300 && plain.status < 400 && new URL(plainLoc, ORIGIN).searchParams.get('error') === 'invalid_request', `${plain.status} ${plainLoc}`);

  const evilUrl = authorizeUrl({ redirect_uri: 'http://127.0.0.1:8087/evil', state: random(), nonce: random(), code_challenge: random(), code_challenge_method: 'S256' });
  const evil = await nb.request(evilUrl);
  const evilHtml = await evil.text();
  check('authorize with an unregistered redirect_uri is refused on the IdP (400 page, no redirect)',
    evil.status === 400 && !evil.headers.get('location') && /invalid_redirect_uri/.test(evilHtml), `${evil.status}`);
  pageChecks('OP error page', evilHtml, 'kk');

  const implicitUrl = authorizeUrl({ response_type: 'id_token token', state: random(), nonce: random() });
  const implicit = await nb.request(implicitUrl);
  const implicitLoc = implicit.headers.get('location') ?? '';
  const implicitErr = implicitLoc ? new URLSearchParams(new URL(implicitLoc).hash.slice(1) || new URL(implicitLoc).search).get('error') : undefined;
  check('implicit flow is refused (unsupported_response_type)',
    (implicit.status >= 300 && implicit.status < 400 && implicitErr === 'unsupported_response_type') || implicit.status === 400, `${implicit.status} ${implicitLoc}`);
}

try {
  await main();
} catch (err) {
  if (!(err instanceof Abort)) {
    failed += 1;
    console.log(`FAIL  unexpected error: ${err?.stack ?? err}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
