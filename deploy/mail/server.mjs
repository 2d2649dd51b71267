// A real SMTP server on loopback that accepts mail and keeps it, for development and tests
// (Nodemailer's smtp-server). Tyndau's scripts start it (scripts/up.sh, the tests) in place of a
// mail relay; never in production, where the relay is configuration.
//
// Every accepted message is appended to <dir>/mail.mbox (mboxrd; open it with any mail client,
// e.g. `mutt -f .data/mail/mail.mbox`) and listed in <dir>/index.tsv:
//
//   accepted_at_unix_ms<TAB>message_id<TAB>recipient<TAB>size
//
// Mail is kept under its Message-ID: a message sent again with the same Message-ID (a sender that
// could not tell whether its first attempt was accepted) is not stored twice; it is listed in
// <dir>/redelivered.tsv instead, so a test sees every duplicate.
//
// Faults, for tests: recipients matching --reject are refused for good (550), those matching
// --defer are refused for now (451).
//
//   node server.mjs --port 2525 --dir .data/mail [--reject RE] [--defer RE]
//
// Under scripts/up.sh the port and directory come from MAILBOX_SMTP_PORT and MAILBOX_DIR, and
// TYNDAU_HTTP__ADDR (host:port) serves /health, /ready and the latest mail at / for reading.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: process.env.MAILBOX_SMTP_PORT || '2525' },
    dir: { type: 'string', default: process.env.MAILBOX_DIR },
    reject: { type: 'string' },
    defer: { type: 'string' },
  },
});
if (!args.dir) {
  console.error('usage: server.mjs --dir DIR [--host H] [--port P] [--reject RE] [--defer RE]');
  process.exit(2);
}
fs.mkdirSync(args.dir, { recursive: true });
const mboxPath = path.join(args.dir, 'mail.mbox');
const indexPath = path.join(args.dir, 'index.tsv');
const reject = args.reject ? new RegExp(args.reject) : null;
const defer = args.defer ? new RegExp(args.defer) : null;

// The Message-IDs already kept (a restart reads them back from the index).
const stored = new Set();
if (fs.existsSync(indexPath)) {
  for (const line of fs.readFileSync(indexPath, 'utf8').split('\n')) {
    const id = line.split('\t')[1];
    if (id) stored.add(id);
  }
}
// Synchronous appends: a message is on disk before it is acknowledged with 250.
const mbox = fs.openSync(mboxPath, 'a');
const index = fs.openSync(indexPath, 'a');
const redelivered = fs.openSync(path.join(args.dir, 'redelivered.tsv'), 'a');

function messageIdOf(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const headers = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
  const match = /^message-id:[ \t]*(.*(?:\r\n[ \t].*)*)/im.exec(headers);
  return match ? match[1].replace(/\r\n/g, '').trim() : '';
}

function mboxrd(raw, from) {
  const text = raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  const stamp = new Date().toUTCString();
  return Buffer.from(`From ${from || 'MAILER-DAEMON'} ${stamp}\n${text}${text.endsWith('\n') ? '' : '\n'}\n`, 'latin1');
}

const server = new SMTPServer({
  name: 'tyndau-mailbox',
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  hideSTARTTLS: true,
  size: 10 * 1024 * 1024,
  maxClients: 256,
  logger: false,
  onRcptTo(address, _session, callback) {
    if (reject && reject.test(address.address)) {
      const error = new Error('Mailbox unavailable');
      error.responseCode = 550;
      return callback(error);
    }
    if (defer && defer.test(address.address)) {
      const error = new Error('Try again later');
      error.responseCode = 451;
      return callback(error);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const error = new Error('Message too big');
        error.responseCode = 552;
        return callback(error);
      }
      const raw = Buffer.concat(chunks);
      const id = messageIdOf(raw);
      if (!id) {
        const error = new Error('A Message-ID is required here');
        error.responseCode = 554;
        return callback(error);
      }
      const now = Date.now();
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      if (stored.has(id)) {
        fs.writeSync(redelivered, `${now}\t${id}\t${recipients.join(',')}\n`);
        return callback(null, 'already stored');
      }
      stored.add(id);
      fs.writeSync(mbox, mboxrd(raw, session.envelope.mailFrom && session.envelope.mailFrom.address));
      fs.writeSync(index, recipients.map((r) => `${now}\t${id}\t${r}\t${raw.length}\n`).join(''));
      callback(null, 'kept');
    });
  },
});
server.on('error', (error) => {
  console.error('mailbox:', error.message);
  // Not listening (the port is taken): exit, so whoever started us can tell.
  if (!server.server || !server.server.listening) process.exit(1);
});
let listening = false;
server.listen(Number(args.port), args.host, () => {
  listening = true;
  console.log(`mailbox: SMTP on ${args.host}:${args.port}, mail in ${mboxPath}`);
});

// Health, readiness, and the newest messages decoded as plain text (newest first), for a
// developer: `/?last=N`; `/raw` gives them as stored.
let web = null;
if (process.env.TYNDAU_HTTP__ADDR) {
  const [host, port] = process.env.TYNDAU_HTTP__ADDR.split(':');
  web = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://mailbox');
    if (url.pathname === '/health' || url.pathname === '/ready') {
      const ok = url.pathname === '/health' || listening;
      response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ status: ok ? 'ok' : 'starting' }));
    }
    if ((url.pathname === '/' || url.pathname === '/raw') && request.method === 'GET') {
      const count = Math.min(Number(url.searchParams.get('last')) || 20, 200);
      const text = fs.existsSync(mboxPath) ? fs.readFileSync(mboxPath, 'latin1') : '';
      const messages = text.split(/^(?=From )/m).filter((m) => m.trim()).slice(-count).reverse();
      const headers = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
      const rule = '\n' + '='.repeat(72) + '\n';
      if (url.pathname === '/raw') {
        response.writeHead(200, headers);
        return response.end(Buffer.from(messages.join(rule), 'latin1'));
      }
      Promise.all(
        messages.map(async (m) => {
          const raw = Buffer.from(m.slice(m.indexOf('\n') + 1), 'latin1');
          const mail = await simpleParser(raw);
          return [
            `Date: ${mail.date ? mail.date.toISOString() : ''}`,
            `To: ${mail.to ? mail.to.text : ''}`,
            `Subject: ${mail.subject ?? ''}`,
            `Message-ID: ${mail.messageId ?? ''}`,
            '',
            (mail.text ?? '').trim(),
          ].join('\n');
        }),
      ).then(
        (decoded) => {
          response.writeHead(200, headers);
          response.end(decoded.length ? decoded.join(rule) : 'No mail yet.\n');
        },
        (error) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`could not read the mail: ${error.message}\n`);
        },
      );
      return undefined;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found\n');
  });
  web.listen(Number(port), host);
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (web) web.close();
    server.close(() => process.exit(0));
  });
}
