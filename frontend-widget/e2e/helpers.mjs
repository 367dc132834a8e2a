// Shared by the browser tests: the service's address, staff set-up over REST, an agent on a
// WebSocket, Chromium, axe-core scans and screenshots.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

export const BASE = process.env.LOKET_E2E_URL;
const ADMIN_PASSWORD = process.env.LOKET_E2E_ADMIN_PASSWORD;
if (!BASE) throw new Error('LOKET_E2E_URL is not set: run the browser tests with `npm run e2e`');

export const RESULTS = resolve(import.meta.dirname, '..', 'test-results');
mkdirSync(RESULTS, { recursive: true });

// axe-core runs inside the page (it reads open shadow roots); injecting it once per page load
// is an order of magnitude faster than a fresh AxeBuilder per scan.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }))), WCAG_AA);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export async function api(method, path, { token, body, accept } = {}) {
  const headers = { Accept: accept ?? 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* text */
  }
  return { status: res.status, json, text };
}

async function login(username, password) {
  const res = await api('POST', '/api/v1/auth/token', { body: { username, password } });
  assert.equal(res.status, 200, `login ${username}: ${res.text}`);
  return res.json.accessToken;
}

let adminToken = null;
let agents = 0;

/** The bootstrap administrator's token. */
export async function admin() {
  adminToken ??= await login('admin', ADMIN_PASSWORD);
  return adminToken;
}

/** Log in as a user created by a test. */
export function loginAs(username, password) {
  return login(username, password);
}

/** A fresh agent account (or another staff role) for these topics; returns its token and display name. */
export async function createAgent(topics, displayName = 'Anne', roles = ['agent']) {
  adminToken ??= await login('admin', ADMIN_PASSWORD);
  const username = `agent${Date.now().toString(36)}${++agents}`;
  const password = 'agent-password-' + username;
  const res = await api('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { username, displayName, password, roles, topics, maxConcurrent: 3 },
  });
  assert.ok(res.status === 201 || res.status === 200, `create agent: ${res.status} ${res.text}`);
  return { token: await login(username, password), displayName };
}

/** Opening hours of a topic open all day, every day: a test's chat is not closed by the hour it runs in. */
export const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '23:59']]]));

/** A fresh topic open all day (`{ id, nameNl, nameEn }`), last in the widget's list. */
export async function createOpenTopic(topic) {
  const created = await api('POST', '/api/v1/admin/topics', {
    token: await admin(),
    body: { ...topic, sortOrder: 999, openingHours: ALL_DAY, closedDates: [] },
  });
  assert.equal(created.status, 201, `create topic: ${created.status} ${created.text}`);
}

/** An agent's console, reduced to a WebSocket and the frames it received. */
export class AgentSocket {
  static async connect(token) {
    const ws = new WebSocket(BASE.replace(/^http/, 'ws') + '/ws/agent', { headers: { Authorization: 'Bearer ' + token } });
    const agent = new AgentSocket(ws);
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    await agent.next((f) => f.type === 'hello');
    return agent;
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiters = [];
    this.ids = 0;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      for (const w of [...this.waiters]) {
        if (w.match(frame)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.ok(frame);
        }
      }
    });
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) that matches. */
  next(match, timeout = 15000) {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((ok, fail) => {
      const w = { match, ok };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          fail(new Error('agent: no matching frame in time; got ' + JSON.stringify(this.frames.slice(-5))));
        }
      }, timeout);
    });
  }

  /** Claim until the given conversation is ours (the claim takes the longest-waiting one). */
  async claim(conversationId) {
    this.send({ type: 'claim', conversationId, ref: 'claim-' + ++this.ids });
    const assigned = await this.next((f) => f.type === 'assigned' && f.conversation.id === conversationId);
    return assigned.conversation;
  }

  say(conversationId, text) {
    const clientMsgId = 'a-' + ++this.ids + '-' + Date.now();
    this.send({ type: 'message', conversationId, clientMsgId, text });
    return this.next((f) => f.type === 'message' && f.clientMsgId === clientMsgId);
  }

  close() {
    this.ws.close();
  }
}

/**
 * The test's hand on the widget's network, on every page of `target` (a browser context, or one
 * page): the widget's sockets are kept in `window.__loketSockets`, and while
 * `window.__loketOffline` is set new ones go nowhere (port 9). See dropNetwork and restoreNetwork.
 */
export async function handOnSockets(target) {
  await target.addInitScript(() => {
    const Native = window.WebSocket;
    window.__loketSockets = [];
    window.__loketOffline = false;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(window.__loketOffline ? String(url).replace(/^ws(s?):\/\/[^/]+/, 'ws$1://127.0.0.1:9') : url, protocols);
        window.__loketSockets.push(this);
      }
    };
  });
}

/** The network goes (after handOnSockets): the widget's sockets close, and new ones go nowhere until restoreNetwork. */
export async function dropNetwork(page) {
  await page.evaluate(() => {
    window.__loketOffline = true;
    for (const s of window.__loketSockets) s.close();
  });
}

/**
 * The network is back: the widget's next socket connects. `online`: the browser says so too (an
 * `online` event, on which the widget tries at once instead of at its next retry).
 */
export async function restoreNetwork(page, { online = false } = {}) {
  await page.evaluate((online) => {
    window.__loketOffline = false;
    if (online) window.dispatchEvent(new Event('online'));
  }, online);
}

/** `touch`: a phone's screen (taps, `hasTouch`); `scale`: its device pixel ratio. */
export async function launch(viewport = DESKTOP, { touch = false, scale } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'loket-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport,
    hasTouch: touch,
    ...(scale ? { deviceScaleFactor: scale } : {}),
    acceptDownloads: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
  });
  context.setDefaultTimeout(15000);
  const browser = {
    context,
    page: context.pages()[0] ?? (await context.newPage()),
    errors: [],
    /**
     * A new tab: its own sessionStorage, and the site's localStorage emptied (the widget keeps an
     * open conversation there for the site's other tabs), so nothing of an earlier test is resumed.
     */
    async newPage() {
      const old = browser.page;
      browser.page = await context.newPage();
      browser.errors = [];
      browser.page.on('pageerror', (e) => browser.errors.push(String(e)));
      await old?.close();
      // also when a test closed its tab itself; after the close, so its widget writes no more
      const cdp = await context.newCDPSession(browser.page);
      await cdp.send('Storage.clearDataForOrigin', { origin: new URL(BASE).origin, storageTypes: 'local_storage' });
      await cdp.detach();
      return browser.page;
    },
    /** A picture of the moment a test failed, for the report. */
    async snap(name) {
      await browser.page.screenshot({ path: join(RESULTS, `failed-${name}.png`) }).catch(() => {});
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  browser.page.on('pageerror', (e) => browser.errors.push(String(e)));
  return browser;
}

/** The widget's own elements, inside its shadow root (Playwright's locators pierce open roots). */
export function widget(page) {
  return page.locator('#loket-widget');
}

/** What has focus inside the widget: the accessible name-ish text of the active element. */
export function focused(page) {
  return page.evaluate(() => {
    const host = document.getElementById('loket-widget');
    const el = host?.shadowRoot?.activeElement ?? document.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.getAttribute('aria-label') || el.textContent || '').trim(),
      id: el.id,
      inWidget: !!host?.shadowRoot?.activeElement,
    };
  });
}

/**
 * The screen as it is now: axe-core finds no serious or critical violation (at desktop size and
 * at 360 px), and a screenshot of each size goes to test-results/.
 */
export async function checkScreen(page, name) {
  const original = page.viewportSize();
  for (const [label, size] of [['desktop', DESKTOP], ['360px', PHONE]]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.help} — ${v.targets.join(', ')}`),
      [],
      `axe on "${name}" at ${label}`,
    );
    await page.screenshot({ path: join(RESULTS, `${name}-${label}.png`) });
  }
  await page.setViewportSize(original);
}

/**
 * The page's topic list, as the service answers it, with `change` applied to each topic: how a
 * test tells the widget a topic is closed, has a notice, or offers a callback.
 */
export async function topicsAs(page, change) {
  await page.route('**/api/v1/topics?*', async (route) => {
    const res = await route.fetch();
    const topics = await res.json();
    for (const t of topics) change(t);
    await route.fulfill({ response: res, json: topics });
  });
}

export async function openWidget(page) {
  await page.getByRole('button', { name: 'Chat met de gemeente' }).click();
  await page.getByRole('dialog', { name: 'Chat met de gemeente' }).waitFor();
}

/** Runs a test body; when it fails, a screenshot of that moment goes to test-results/failed-NAME.png. */
export function withSnapshot(getBrowser, name, body) {
  return async () => {
    try {
      await body();
    } catch (e) {
      await getBrowser()?.snap(name);
      throw e;
    }
  };
}

/**
 * The demo page as an English-language site embeds the widget: data-lang="en" on its script tag
 * (set after parsing, before deferred scripts run) and the page's lang.
 */
export async function asEnglishSite(page) {
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      document.documentElement.lang = 'en';
      document.querySelector('script[src*="loket-widget"]').dataset.lang = 'en';
    });
  });
}
