// Helpers for the console's browser tests: REST as admin, a resident over WebSocket, Chromium, axe.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
export const BASE = process.env.LOKET_BASE_URL;

/**
 * Sets what the stand-in (e2e/stand-in.mjs) answers or sends, for the tests against it alone:
 * POST /__stand-in/<what> (waiting, callbacks, agent-frame, queue-fails, department-pair, later,
 * later-arrives, notices-forget); it answers 204.
 */
export async function standIn(what, body) {
  const res = await fetch(`${BASE}/__stand-in/${what}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`stand-in ${what}: ${res.status}`);
}
export const RESULTS = process.env.LOKET_RESULTS || path.resolve('test-results');
if (!BASE) throw new Error('LOKET_BASE_URL is not set: run the browser tests with `npm run e2e`');

export async function api(method, pathname, { token, body, expect } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  const ok = expect ? [].concat(expect).includes(res.status) : res.ok;
  if (!ok) throw new Error(`${method} ${pathname} → ${res.status} ${text}`);
  return { status: res.status, json };
}

export async function tokenFor(username, password) {
  return (await api('POST', '/api/v1/auth/token', { body: { username, password } })).json.accessToken;
}

export async function createUser(adminToken, user) {
  return (await api('POST', '/api/v1/admin/users', { token: adminToken, body: { maxConcurrent: 3, ...user } })).json;
}

/**
 * Waits until `check` answers something truthy (and returns it), polling every 150 ms; a throw
 * counts as "not yet". After `ms` it fails with what it waited for and the last answer or error.
 */
export async function until(check, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** A resident: starts a conversation and keeps every frame the server sends on its WebSocket. */
export async function resident(topic, name) {
  const { json } = await api('POST', '/api/v1/conversations', { body: { topic, name }, expect: 201 });
  const frames = [];
  const waiters = [];
  const ws = new WebSocket(BASE.replace(/^http/, 'ws') + '/ws/resident/' + json.id, {
    headers: { Authorization: 'Bearer ' + json.token },
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    frames.push(frame);
    for (const w of [...waiters]) if (w.test(frame)) w.resolve(frame);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let n = 0;
  return {
    id: json.id,
    token: json.token,
    frames,
    send(text) {
      const clientMsgId = `r-${++n}`;
      ws.send(JSON.stringify({ type: 'message', clientMsgId, text }));
      return clientMsgId;
    },
    typing() {
      ws.send(JSON.stringify({ type: 'typing' }));
    },
    /** Resolves with the first frame (already received or still to come) that passes the test. */
    waitFor(test, what = 'frame', ms = 15_000) {
      const found = frames.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = {
          test,
          resolve: (f) => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(w), 1);
            resolve(f);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`resident: no ${what} within ${ms} ms; got ${JSON.stringify(frames)}`));
        }, ms);
        waiters.push(w);
      });
    },
    close() {
      ws.close();
    },
  };
}

/** Debian's Chromium; launch() gives it a fresh, throw-away user-data-dir of its own every time. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Logs in through the console's form in a fresh browser context of `browser` and waits until the
 * console is there: by default its main navigation, which every role has; agents' tests pass
 * `ready` to wait for their board instead.
 */
export async function logIn(browser, username, password,
  { base = BASE, viewport = { width: 1366, height: 900 }, locale = 'nl-NL', timeout = 15_000, acceptDownloads = false, ready } = {}) {
  const context = await browser.newContext({ viewport, locale, acceptDownloads });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  // the page's uncaught errors, for a test to assert there were none
  const errors = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
    console.error(`  [${username} page error] ${e.message}`);
  });
  await page.goto(base + '/console/');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  if (ready) await ready(page);
  else await page.getByRole('navigation', { name: 'Onderdelen' }).waitFor();
  return { context, page, errors };
}

/** An agent's console is ready once its board has arrived: the socket is connected. */
export async function agentBoard(page) {
  await page.getByRole('button', { name: 'Volgende gesprek' }).waitFor();
  await page.locator('.board-card').first().waitFor();
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page (WCAG 2.0/2.1 A and AA and best practices); returns the serious and
 * critical violations, or every violation of any impact with `{ all: true }` (the new screens).
 */
export async function axeScan(page, name, { all = false } = {}) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  // evaluated, not added as a script tag: the console's Content-Security-Policy forbids inline scripts
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `axe-${name}.json`), JSON.stringify(result, null, 2));
  if (all) return result;
  const minor = result.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.log(`  axe ${name}: ${minor.length} minor/moderate finding(s): ${minor.map((v) => v.id).join(', ')}`);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
}

/**
 * A TCP proxy in front of the service that can cut every connection and refuse new ones for a
 * while: a network drop as the browser sees it, without touching the service.
 */
export async function dropProxy(targetPort) {
  const net = await import('node:net');
  const sockets = new Set();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    drop() {
      refusing = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
