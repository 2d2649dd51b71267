// Tyndau development OpenID Provider — for development and tests ONLY.
//
// A certified OpenID Provider (panva's `oidc-provider`) with demo accounts, so the web front (a
// relying party: authorization code + PKCE S256 + state + nonce, RP-initiated logout) and the
// command API (verifies JWT access tokens) can run without the national identity provider. In
// production the national IdP is configured instead; nothing here is Tyndau-specific protocol:
// discovery, JWKS, code flow, refresh, RP-initiated logout, all standard.
//
// Environment:
//   IDP_PORT          required. TCP port; the server listens on 127.0.0.1 only.
//   IDP_ISSUER        required. Issuer identifier, e.g. http://127.0.0.1:8090 — scheme, host and
//                     port only (no path, no trailing slash). It is the discovery `issuer` and
//                     every token's `iss`, byte for byte, so relying parties and the API must be
//                     configured with exactly this string.
//   IDP_KEY_DIR       required. Directory holding `dev-signing-key.pk8.b64`: an Ed25519 private
//                     key, PKCS#8 DER, standard base64 on one line (`tyndau-cli dev-keys` writes
//                     it). Its kid is "dev-" + base64url(sha256(raw public key)[0..12]), the same
//                     as the Rust side computes; if the directory also has the Rust `jwks.json`,
//                     the kids must agree or the server refuses to start. Access tokens and ID
//                     tokens are signed with it (alg EdDSA).
//   IDP_RSA_ID_TOKENS optional, "1" to sign ID tokens with RS256 instead (for relying parties that
//                     cannot verify EdDSA). The RSA key is kept in IDP_KEY_DIR/idp-rsa.jwk.json
//                     (created with mode 0600 on first use). Access tokens stay EdDSA.
//   IDP_CLIENTS       required. JSON file: a list of confidential clients {client_id,
//                     client_secret, redirect_uris, post_logout_redirect_uris, client_name?,
//                     token_endpoint_auth_method? ("client_secret_basic" (default) or
//                     "client_secret_post")}. See clients.example.json. All are first-party:
//                     consent is granted without a consent page.
//   IDP_API_AUDIENCE  required. `aud` of the access tokens, exactly what the command API expects
//                     (its auth.audience), e.g. tyndau-api.
//   IDP_API_RESOURCE  optional. The RFC 8707 resource indicator that stands for the API (must be an
//                     absolute URI; default urn:tyndau:api). Clients need not send it: it is the
//                     default resource, so the code-flow access token is for the API.
//   IDP_ACCOUNTS      optional. Demo accounts file (default: accounts.json next to this file).
//   IDP_COOKIE_KEYS   optional. Comma-separated keys (>= 32 characters each) signing the IdP's
//                     cookies; default: random per start (sessions live in memory and end with
//                     the process anyway).
//
// Routes besides oidc-provider's (/.well-known/openid-configuration, /jwks, /auth, /token, /me,
// /session/end, /token/revocation): GET /health and /ready (200 "ok"), GET /assets/idp.css, and the sign-in
// interaction under /interaction/:uid.
//
// Logs: one line per request (method, path without query string, status, duration) plus start-up
// and protocol errors. Never passwords, codes or tokens.

import * as crypto from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Provider, errors } from 'oidc-provider';

import { ageOn, formatDate, makeIin, parseDate, parseIin, todayUtc, yearsBefore } from './iin.mjs';
import { CSS, errorPage, loginPage, logoutPage, pickLang, signedOutPage } from './pages.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const ROLES = ['citizen', 'official', 'moderator', 'admin'];
const REGIONS = [
  'abai', 'akmola', 'aktobe', 'almaty-region', 'atyrau', 'east-kazakhstan', 'zhambyl', 'zhetysu',
  'west-kazakhstan', 'karaganda', 'kostanay', 'kyzylorda', 'mangystau', 'pavlodar',
  'north-kazakhstan', 'turkestan', 'ulytau', 'astana', 'almaty', 'shymkent',
];
const ORG_SLUG = /^(?!-)[a-z0-9-]{2,64}(?<!-)$/;
const LOGIN_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
// Display names are shown on public pages: no control or bidi-override characters (as the API).
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const KEY_FILE = 'dev-signing-key.pk8.b64';
const RSA_FILE = 'idp-rsa.jwk.json';
const API_SCOPE = 'openid profile tyndau';
const ACCESS_TOKEN_TTL = 900;

class StartupError extends Error {}

function fail(message) {
  throw new StartupError(message);
}

// The Rust side (aws-lc-rs) writes Ed25519 keys as PKCS#8 v2 (RFC 5958: the public key rides
// along after the private one), which this runtime's OpenSSL refuses ("wrong tag"). Both
// versions hold the 32-byte seed right after the algorithm identifier, so a v2 document is
// rewritten as the equivalent v1 document; anything else is passed through unchanged.
const ED25519_V1_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SEED_MARKER = Buffer.from('300506032b657004220420', 'hex');
function ed25519Pkcs8V1(der) {
  const at = der.indexOf(ED25519_SEED_MARKER);
  if (der[0] !== 0x30 || at < 0 || at + ED25519_SEED_MARKER.length + 32 > der.length) return der;
  const seed = der.subarray(at + ED25519_SEED_MARKER.length, at + ED25519_SEED_MARKER.length + 32);
  return Buffer.concat([ED25519_V1_PREFIX, seed]);
}

function log(message) {
  console.log(`${new Date().toISOString()} idp: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Configuration

function readConfig(env) {
  const need = (name) => {
    const value = env[name];
    if (value === undefined || value.trim() === '') fail(`${name} is required`);
    return value.trim();
  };

  const portText = need('IDP_PORT');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) fail('IDP_PORT must be a TCP port (1-65535)');

  const issuer = need('IDP_ISSUER');
  let issuerUrl;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    fail('IDP_ISSUER must be an absolute URL such as http://127.0.0.1:8090');
  }
  if (!['http:', 'https:'].includes(issuerUrl.protocol)) fail('IDP_ISSUER must use http or https');
  if (issuerUrl.origin !== issuer) {
    fail(`IDP_ISSUER must be scheme://host:port with no path, query or trailing slash (e.g. ${issuerUrl.origin})`);
  }

  const keyDir = resolve(need('IDP_KEY_DIR'));
  const clientsPath = resolve(need('IDP_CLIENTS'));
  const audience = need('IDP_API_AUDIENCE');
  const resource = (env.IDP_API_RESOURCE ?? '').trim() || 'urn:tyndau:api';
  if (!URL.parse(resource) || resource.includes('#')) {
    fail('IDP_API_RESOURCE must be an absolute URI without a fragment (e.g. urn:tyndau:api)');
  }
  const accountsPath = resolve((env.IDP_ACCOUNTS ?? '').trim() || join(HERE, 'accounts.json'));

  const rsaFlag = (env.IDP_RSA_ID_TOKENS ?? '').trim();
  if (!['', '0', '1'].includes(rsaFlag)) fail('IDP_RSA_ID_TOKENS must be 1 (or unset/0)');

  let cookieKeys;
  const cookieKeysText = (env.IDP_COOKIE_KEYS ?? '').trim();
  if (cookieKeysText) {
    cookieKeys = cookieKeysText.split(',').map((k) => k.trim());
    if (cookieKeys.some((k) => k.length < 32)) fail('each IDP_COOKIE_KEYS key must be at least 32 characters');
  } else {
    cookieKeys = [crypto.randomBytes(32).toString('base64url')];
  }

  return {
    port,
    issuer,
    keyDir,
    clientsPath,
    audience,
    resource,
    accountsPath,
    rsaIdTokens: rsaFlag === '1',
    cookieKeys,
  };
}

function readJson(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read ${what} ${path}: ${err.code ?? err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`${what} ${path} is not valid JSON: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

function base64urlSha256Prefix(bytes) {
  return crypto.createHash('sha256').update(bytes).digest().subarray(0, 12).toString('base64url');
}

/** The Ed25519 signing key as a private JWK with the kid the Rust code computes. */
function loadSigningKey(dir) {
  const path = join(dir, KEY_FILE);
  let text;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    fail(`cannot read the signing key ${path} (create it with \`tyndau-cli dev-keys --out DIR\`): ${err.code ?? err.message}`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) fail(`${path} is not standard base64 on one line`);
  let key;
  try {
    key = crypto.createPrivateKey({ key: ed25519Pkcs8V1(Buffer.from(text, 'base64')), format: 'der', type: 'pkcs8' });
  } catch (err) {
    fail(`${path} is not a PKCS#8 DER private key: ${err.message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(`${path} is a ${key.asymmetricKeyType} key, not Ed25519`);
  const jwk = key.export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x, 'base64url');
  if (publicKey.length !== 32) fail(`${path}: the Ed25519 public key is not 32 bytes`);
  const kid = `dev-${base64urlSha256Prefix(publicKey)}`;

  // The Rust `dev-keys` also writes jwks.json; if it is there it must name the same kid.
  const jwksPath = join(dir, 'jwks.json');
  if (existsSync(jwksPath)) {
    const doc = readJson(jwksPath, 'JWKS');
    const same = (doc?.keys ?? []).find((k) => k?.kty === 'OKP' && k?.x === jwk.x);
    if (same && same.kid !== kid) {
      fail(`${jwksPath} names this key "${same.kid}" but the kid computed here is "${kid}"`);
    }
  }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid, alg: 'EdDSA', use: 'sig' };
}

/** The RS256 key for ID tokens (IDP_RSA_ID_TOKENS=1), created on first use. */
function loadOrCreateRsaKey(dir) {
  const path = join(dir, RSA_FILE);
  let jwk;
  if (existsSync(path)) {
    jwk = readJson(path, 'RSA key');
    let key;
    try {
      key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (err) {
      fail(`${path} is not an RSA private JWK: ${err.message}`);
    }
    if (key.asymmetricKeyType !== 'rsa') fail(`${path} is not an RSA key`);
    if (key.asymmetricKeyDetails.modulusLength < 2048) fail(`${path}: the RSA modulus is shorter than 2048 bits`);
    jwk = key.export({ format: 'jwk' });
  } else {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    jwk = privateKey.export({ format: 'jwk' });
    writeFileSync(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
    log(`created the RS256 ID token key ${path}`);
  }
  const kid = `idp-rsa-${base64urlSha256Prefix(Buffer.from(jwk.n, 'base64url'))}`;
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

// ---------------------------------------------------------------------------------------------
// Clients

function loadClients(path, idTokenAlg) {
  const list = readJson(path, 'clients file');
  if (!Array.isArray(list) || list.length === 0) fail(`${path} must be a non-empty JSON array of clients`);
  const allowed = new Set([
    'client_id', 'client_secret', 'client_name', 'redirect_uris', 'post_logout_redirect_uris',
    'token_endpoint_auth_method',
  ]);
  const ids = new Set();
  return list.map((c, i) => {
    const where = `${path} [${i}]`;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) fail(`${where} is not an object`);
    for (const key of Object.keys(c)) {
      if (!allowed.has(key)) fail(`${where}: unknown member "${key}"`);
    }
    if (typeof c.client_id !== 'string' || !c.client_id) fail(`${where}: client_id is required`);
    if (ids.has(c.client_id)) fail(`${where}: duplicate client_id ${c.client_id}`);
    ids.add(c.client_id);
    if (typeof c.client_secret !== 'string' || c.client_secret.length < 16) {
      fail(`${where}: client_secret must be a string of at least 16 characters`);
    }
    const uris = (name, required) => {
      const value = c[name] ?? [];
      if (!Array.isArray(value) || (required && value.length === 0)) {
        fail(`${where}: ${name} must be a${required ? ' non-empty' : 'n'} array of URLs`);
      }
      for (const uri of value) {
        const parsed = typeof uri === 'string' ? URL.parse(uri) : null;
        if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.hash) {
          fail(`${where}: ${name} holds ${JSON.stringify(uri)}, not an http(s) URL without fragment`);
        }
      }
      return value;
    };
    const method = c.token_endpoint_auth_method ?? 'client_secret_basic';
    if (!['client_secret_basic', 'client_secret_post'].includes(method)) {
      fail(`${where}: token_endpoint_auth_method must be client_secret_basic or client_secret_post`);
    }
    return {
      client_id: c.client_id,
      client_secret: c.client_secret,
      ...(c.client_name ? { client_name: String(c.client_name) } : {}),
      application_type: 'web',
      redirect_uris: uris('redirect_uris', true),
      post_logout_redirect_uris: uris('post_logout_redirect_uris', false),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: method,
      id_token_signed_response_alg: idTokenAlg,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Accounts

function loadAccounts(path, today) {
  const doc = readJson(path, 'accounts file');
  const list = doc?.accounts;
  if (!Array.isArray(list) || list.length === 0) fail(`${path}: "accounts" must be a non-empty array`);
  const byLogin = new Map();
  const bySub = new Map();

  for (const [i, a] of list.entries()) {
    const where = `${path} accounts[${i}]${typeof a?.login === 'string' ? ` (${a.login})` : ''}`;
    const bad = (message) => fail(`${where}: ${message}`);
    if (a === null || typeof a !== 'object') bad('not an object');
    if (typeof a.login !== 'string' || !LOGIN_NAME.test(a.login)) bad('login must be 2-64 of a-z 0-9 . _ -');
    if (byLogin.has(a.login)) bad('duplicate login');
    if (typeof a.password !== 'string' || a.password.length === 0) bad('password is required');
    if (typeof a.sub !== 'string' || !a.sub || a.sub.length > 255 || /\p{Cc}/u.test(a.sub)) {
      bad('sub must be a non-empty string of at most 255 characters');
    }
    if (bySub.has(a.sub)) bad('duplicate sub');
    if (!ROLES.includes(a.role)) bad(`role must be one of ${ROLES.join(', ')}`);
    const c = a.claims ?? {};
    if (typeof c !== 'object' || Array.isArray(c)) bad('claims must be an object');

    for (const key of ['given_name', 'family_name']) {
      if (typeof c[key] !== 'string' || !c[key].trim()) bad(`claims.${key} is required`);
    }
    const name = (c.name ?? `${c.given_name} ${c.family_name}`).trim();
    if ([...name].length > 100 || FORBIDDEN_NAME_CHARS.test(name)) bad('name is too long or has control characters');
    if (c.locale !== undefined && !['kk', 'ru', 'en'].includes(c.locale)) bad('claims.locale must be kk, ru or en');

    let { iin } = c;
    let birthdate;
    if (a.role === 'citizen') {
      if (!REGIONS.includes(c.region)) bad(`claims.region must be one of ${REGIONS.join(' ')}`);
      if (a.age_years !== undefined) {
        if (iin !== undefined) bad('give either claims.iin or age_years, not both');
        if (!Number.isInteger(a.age_years) || a.age_years < 0 || a.age_years > 120) bad('age_years must be 0-120');
        if (!['male', 'female'].includes(a.sex)) bad('an account with age_years needs sex (male or female)');
        if (!/^\d{4}$/.test(String(a.iin_serial ?? ''))) bad('an account with age_years needs iin_serial (4 digits)');
        iin = makeIin(yearsBefore(today, a.age_years), a.sex, a.iin_serial);
      }
      if (iin === undefined) bad('a citizen needs claims.iin (or age_years)');
      try {
        ({ birthdate } = parseIin(iin));
      } catch (err) {
        bad(`invalid IIN: ${err.message}`);
      }
      if (c.birthdate !== undefined && c.birthdate !== birthdate) {
        bad(`claims.birthdate ${c.birthdate} does not match the IIN (${birthdate})`);
      }
      if (a.age_years !== undefined && ageOn(parseDate(birthdate), today) !== a.age_years) {
        bad('the computed IIN does not give age_years (bug)');
      }
    } else {
      if (iin !== undefined || c.region !== undefined) bad('only citizens carry iin and region');
      if (a.age_years !== undefined) bad('age_years is for citizens only');
      if (c.birthdate !== undefined) {
        try {
          birthdate = formatDate(parseDate(c.birthdate));
        } catch (err) {
          bad(`claims.birthdate: ${err.message}`);
        }
      }
    }
    if (a.role === 'official') {
      if (typeof c.org !== 'string' || !ORG_SLUG.test(c.org)) bad('an official needs claims.org, a state body slug (a-z 0-9 -)');
    } else if (c.org !== undefined) {
      bad('only officials carry org');
    }

    const claims = {
      sub: a.sub,
      name,
      given_name: c.given_name,
      family_name: c.family_name,
      ...(birthdate ? { birthdate } : {}),
      ...(c.locale ? { locale: c.locale } : {}),
      // Every demo citizen has a (verified) address, so a newcomer finds their mail in the
      // development mailbox; nothing is ever sent beyond it.
      ...(a.role === 'citizen' ? { email: c.email ?? `${a.login}@demo.tyndau.localhost`, email_verified: true } : {}),
      roles: [a.role],
      ...(a.role === 'citizen' ? { iin, region: c.region } : {}),
      ...(a.role === 'official' ? { org: c.org } : {}),
    };
    const account = {
      login: a.login,
      passwordDigest: crypto.createHash('sha256').update(a.password, 'utf8').digest(),
      password: a.password,
      sub: a.sub,
      role: a.role,
      claims,
      age: birthdate ? ageOn(parseDate(birthdate), today) : undefined,
    };
    byLogin.set(a.login, account);
    bySub.set(a.sub, account);
  }
  return { byLogin, bySub, list: [...byLogin.values()] };
}

/** The access token's custom claims, as the command API reads them. */
function accessTokenClaims(account) {
  const { claims } = account;
  switch (account.role) {
    case 'citizen':
      return { roles: claims.roles, iin: claims.iin, region: claims.region, name: claims.name };
    case 'official':
      return { roles: claims.roles, org: claims.org };
    default:
      return { roles: claims.roles };
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers for the interaction routes

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function readForm(ctx, limit = 8 * 1024) {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new HttpError(415, 'expected a form');
  const chunks = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sameDigest(a, b) {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function sendHtml(ctx, status, html) {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

// ---------------------------------------------------------------------------------------------
// Provider

function buildProvider(cfg, { signingKey, rsaKey, clients, accounts }) {
  const idTokenAlg = rsaKey ? 'RS256' : 'EdDSA';
  const idTokenAlgs = rsaKey ? ['EdDSA', 'RS256'] : ['EdDSA'];

  const resourceServer = {
    scope: API_SCOPE,
    audience: cfg.audience,
    accessTokenFormat: 'jwt',
    accessTokenTTL: ACCESS_TOKEN_TTL,
    jwt: { sign: { alg: 'EdDSA' } },
  };

  const provider = new Provider(cfg.issuer, {
    clients,
    jwks: { keys: rsaKey ? [signingKey, rsaKey] : [signingKey] },

    async findAccount(ctx, sub) {
      const account = accounts.bySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        // oidc-provider masks these by the granted scopes (and drops what the scope lacks).
        async claims() {
          return structuredClone(account.claims);
        },
      };
    },

    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'birthdate', 'locale'],
      email: ['email', 'email_verified'],
      tyndau: ['roles', 'iin', 'region', 'org'],
    },
    scopes: ['openid', 'offline_access'],
    // Scope claims go into the ID token too, so the relying party needs no userinfo call.
    conformIdTokenClaims: false,

    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: idTokenAlg,
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    subjectTypes: ['public'],
    pkce: {
      // Every client, confidential ones included (RFC 9700 §2.1.1); S256 is the only method.
      required: () => true,
    },
    enabledJWA: {
      idTokenSigningAlgValues: idTokenAlgs,
      userinfoSigningAlgValues: idTokenAlgs,
    },

    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: false },
      registration: { enabled: false },
      dPoP: { enabled: false },
      claimsParameter: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The API is the default resource, so a plain code flow (no `resource` parameter) yields
        // an access token for the API; at the token endpoint the granted resource is used.
        async defaultResource(ctx, client, oneOf) {
          if (oneOf) return oneOf.includes(cfg.resource) ? cfg.resource : oneOf;
          return cfg.resource;
        },
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(ctx, resourceIndicator) {
          if (resourceIndicator !== cfg.resource) throw new errors.InvalidTarget();
          return resourceServer;
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const lang = pickLang(ctx.oidc.params.ui_locales);
          ctx.set('Cache-Control', 'no-store');
          ctx.body = logoutPage({ lang, form });
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = signedOutPage({ lang: pickLang(undefined) });
        },
      },
    },

    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = accounts.bySub.get(token.accountId);
      return account ? accessTokenClaims(account) : undefined;
    },
    formats: {
      customizers: {
        // The API requires nbf; oidc-provider does not set it, so nbf = iat.
        async jwt(ctx, token, jwt) {
          jwt.payload.nbf = jwt.payload.iat;
        },
      },
    },

    async issueRefreshToken(ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    rotateRefreshToken: true,

    ttl: {
      AuthorizationCode: 60,
      IdToken: 900,
      Interaction: 600,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
      RefreshToken: 8 * 60 * 60,
      AccessToken: (ctx, token) => token.resourceServer?.accessTokenTTL ?? ACCESS_TOKEN_TTL,
    },

    cookies: {
      keys: cfg.cookieKeys,
      // Cookies are not port-scoped: distinct names keep the IdP's cookies apart from the web
      // front's on the same 127.0.0.1 host. `secure` follows the request (plain http on
      // loopback gives non-secure cookies; behind https they become Secure).
      names: { session: 'tyndau_idp_session', interaction: 'tyndau_idp_interaction', resume: 'tyndau_idp_resume' },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },

    discovery: {
      ui_locales_supported: ['kk', 'ru', 'en'],
      claims_locales_supported: undefined,
      service_documentation: undefined,
    },

    async renderError(ctx, out) {
      const lang = pickLang(ctx.oidc?.params?.ui_locales);
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = errorPage({ lang, code: out.error, description: out.error_description });
    },
  });

  for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'userinfo.error', 'revocation.error', 'discovery.error', 'jwks.error']) {
    provider.on(event, (ctx, err) => {
      // error_detail says why (e.g. "grant not found"); none of these fields carry secrets.
      log(`${event}: ${[err.error ?? err.name, err.error_description, err.error_detail].filter(Boolean).join(' — ')}`);
    });
  }
  provider.on('server_error', (ctx, err) => {
    console.error(`${new Date().toISOString()} idp: server_error on ${ctx.method} ${ctx.path}:`, err);
  });
  return provider;
}

// ---------------------------------------------------------------------------------------------
// Middleware: logging, headers, /health, /assets, interactions

function mountRoutes(provider, cfg, { clients, accounts }) {
  const issuerOrigin = new URL(cfg.issuer).origin;
  const clientOrigins = new Set();
  for (const c of clients) {
    for (const uri of [...c.redirect_uris, ...c.post_logout_redirect_uris]) clientOrigins.add(new URL(uri).origin);
  }
  clientOrigins.delete(issuerOrigin);
  // form-action must allow where a form submission ends up after redirects (the relying
  // parties), as Chromium applies it to redirects. script-src 'self' lets oidc-provider add the
  // hash of its own form_post auto-submit script (we serve no script).
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${[...clientOrigins].join(' ')}`.trimEnd(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

  const demoRows = accounts.list.map((a) => ({
    login: a.login,
    role: a.role,
    where: a.claims.region ?? a.claims.org,
    age: a.age,
    password: a.password,
  }));
  const dummyDigest = crypto.createHash('sha256').update(crypto.randomBytes(16)).digest();

  async function clientName(clientId) {
    const client = clientId ? await provider.Client.find(String(clientId)) : undefined;
    return client?.clientName ?? client?.clientId ?? String(clientId ?? '');
  }

  async function details(ctx, uid) {
    const interaction = await provider.interactionDetails(ctx.req, ctx.res);
    if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
    return interaction;
  }

  function checkOrigin(ctx) {
    // Browsers send Origin on POST; a cross-site one is refused (Fetch Metadata as a second line).
    const origin = ctx.get('origin');
    if (origin && origin !== issuerOrigin) throw new HttpError(403, 'cross-origin form post');
    if (ctx.get('sec-fetch-site') === 'cross-site') throw new HttpError(403, 'cross-site form post');
  }

  async function finish(ctx, result, merge) {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(returnTo);
    ctx.status = 303;
  }

  async function autoConsent(ctx, interaction) {
    // All configured clients are first-party: grant what they asked for, without a page
    // (oidc-provider v9 docs' consent example, minus the page).
    const { prompt: { details: missing }, params, session } = interaction;
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (missing.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    await finish(ctx, { consent: interaction.grantId ? {} : { grantId } }, true);
  }

  function renderLogin(ctx, status, interaction, lang, name, extra = {}) {
    sendHtml(ctx, status, loginPage({ lang, uid: interaction.uid, clientName: name, accounts: demoRows, ...extra }));
  }

  async function handleInteraction(ctx, uid, action) {
    if (action === undefined && ctx.method === 'GET') {
      const interaction = await details(ctx, uid);
      const lang = pickLang(interaction.params.ui_locales, ctx.query.lang);
      switch (interaction.prompt.name) {
        case 'login':
          return renderLogin(ctx, 200, interaction, lang, await clientName(interaction.params.client_id));
        case 'consent':
          return autoConsent(ctx, interaction);
        default:
          return finish(ctx, { error: 'access_denied', error_description: 'unsupported interaction' }, false);
      }
    }
    if (action === 'login' && ctx.method === 'POST') {
      checkOrigin(ctx);
      const form = await readForm(ctx);
      const interaction = await details(ctx, uid);
      const lang = pickLang(interaction.params.ui_locales, form.get('lang'));
      if (interaction.prompt.name !== 'login') throw new errors.SessionNotFound('not a login interaction');
      const login = (form.get('login') ?? '').trim().toLowerCase();
      const password = form.get('password') ?? '';
      const errs = {};
      if (!login) errs.login = 'loginEmpty';
      if (!password) errs.password = 'passwordEmpty';
      let account;
      if (!errs.login && !errs.password) {
        const candidate = accounts.byLogin.get(login);
        const digest = crypto.createHash('sha256').update(password, 'utf8').digest();
        const ok = sameDigest(digest, candidate?.passwordDigest ?? dummyDigest);
        if (candidate && ok) account = candidate;
        else errs.login = 'wrong';
      }
      if (!account) {
        log(`sign-in refused (${errs.login === 'wrong' ? 'wrong login or password' : 'empty field'})`);
        const name = await clientName(interaction.params.client_id);
        return renderLogin(ctx, 400, interaction, lang, name, { values: { login: form.get('login') ?? '' }, errors: errs });
      }
      log(`sign-in: ${account.login} (${account.role})`);
      return finish(ctx, { login: { accountId: account.sub, amr: ['pwd'], remember: false } }, false);
    }
    if (action === 'abort' && ctx.method === 'POST') {
      checkOrigin(ctx);
      await readForm(ctx);
      await details(ctx, uid);
      return finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
    }
    throw new HttpError(405, 'method not allowed');
  }

  provider.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Frame-Options', 'DENY');
    try {
      const m = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|abort))?$/.exec(ctx.path);
      // /ready as every Tyndau service has it: this server has no dependency, so it is ready
      // as soon as it answers.
      if ((ctx.path === '/health' || ctx.path === '/ready') && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        ctx.type = 'text/plain; charset=utf-8';
        ctx.set('Cache-Control', 'no-store');
        // Who answered: a starter that picked a port another server holds can tell.
        ctx.set('X-Process-Id', String(process.pid));
        ctx.body = 'ok';
      } else if (ctx.path === '/assets/idp.css' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        ctx.type = 'text/css; charset=utf-8';
        ctx.set('Cache-Control', 'public, max-age=300');
        ctx.body = CSS;
      } else if (m) {
        try {
          await handleInteraction(ctx, m[1], m[2]);
        } catch (err) {
          const lang = pickLang(undefined, ctx.query.lang);
          if (err instanceof errors.SessionNotFound) {
            sendHtml(ctx, 400, errorPage({ lang, expired: true }));
          } else if (err instanceof HttpError) {
            sendHtml(ctx, err.status, errorPage({ lang, code: `${err.status}`, description: err.message }));
          } else {
            console.error(`${new Date().toISOString()} idp: interaction error on ${ctx.method} ${ctx.path}:`, err);
            sendHtml(ctx, 500, errorPage({ lang, code: 'server_error' }));
          }
        }
      } else {
        await next();
      }
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: query strings carry codes, states and id_token_hint.
      log(`${ctx.method} ${ctx.path} ${ctx.status} ${ms.toFixed(1)}ms`);
    }
  });
}

// ---------------------------------------------------------------------------------------------

function main() {
  const cfg = readConfig(process.env);
  const today = todayUtc();
  const signingKey = loadSigningKey(cfg.keyDir);
  const rsaKey = cfg.rsaIdTokens ? loadOrCreateRsaKey(cfg.keyDir) : undefined;
  const clients = loadClients(cfg.clientsPath, rsaKey ? 'RS256' : 'EdDSA');
  const accounts = loadAccounts(cfg.accountsPath, today);

  const provider = buildProvider(cfg, { signingKey, rsaKey, clients, accounts });
  mountRoutes(provider, cfg, { clients, accounts });

  const counts = ROLES.map((r) => `${accounts.list.filter((a) => a.role === r).length} ${r}`).join(', ');
  const minors = accounts.list.filter((a) => a.role === 'citizen' && a.age < 18).map((a) => `${a.login} (${a.age})`);
  log(`${accounts.list.length} demo accounts: ${counts}; under 18: ${minors.join(', ') || 'none'}`);
  log(`clients: ${clients.map((c) => c.client_id).join(', ')}`);

  const server = createServer(provider.callback());
  server.on('error', (err) => {
    console.error(`${new Date().toISOString()} idp: cannot listen on 127.0.0.1:${cfg.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(cfg.port, '127.0.0.1', () => {
    log(
      `listening on http://127.0.0.1:${cfg.port}; issuer ${cfg.issuer}; kid ${signingKey.kid}; ` +
        `ID tokens ${rsaKey ? `RS256 (kid ${rsaKey.kid})` : 'EdDSA'}; access tokens EdDSA for aud ${cfg.audience} (resource ${cfg.resource})`,
    );
  });

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

try {
  main();
} catch (err) {
  if (err instanceof StartupError) {
    console.error(`idp: cannot start: ${err.message}`);
  } else {
    console.error('idp: cannot start:', err);
  }
  process.exit(1);
}

