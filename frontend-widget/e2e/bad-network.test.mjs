// A resident on a phone (360×740, touch) with a bad mobile connection: a slow network, going
// offline and back while waiting and chatting, a link that dies without a word (the page's socket
// stays "open": a TCP relay between the browser and the service stops passing bytes, as when a
// phone changes networks), the tab hidden and shown again. What the resident sees must be current.

import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, PHONE, api, createAgent, launch, openWidget, withSnapshot } from './helpers.mjs';

let browser;
let agent;
let relay;

/**
 * A TCP relay in front of the service. `silence()` makes every connection open now go quiet in
 * both directions for good without closing (what a dropped mobile link looks like to both ends);
 * new connections pass as before (the phone is on another network now). `down()` and `up()`: no
 * network for a while, see there.
 */
function startRelay(target) {
  const pairs = new Set();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy(); // no network: nothing gets through
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    const pair = { client, upstream, silent: false };
    pairs.add(pair);
    client.on('data', (d) => pair.silent || upstream.write(d));
    upstream.on('data', (d) => pair.silent || client.write(d));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // a silent link never tells either side it closed
    client.on('close', () => pair.silent || end());
    upstream.on('close', () => pair.silent || end());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}`,
    silence() {
      for (const p of pairs) p.silent = true;
    },
    /**
     * No network at all (Chromium's offline emulation lets WebSockets through): what is on its way
     * is held, as TCP holds it while a train is in a tunnel, and nothing new connects.
     */
    down() {
      down = true;
      for (const p of pairs) {
        p.client.pause();
        p.upstream.pause();
      }
    },
    /** The network is back: what was held goes on. */
    up() {
      down = false;
      for (const p of pairs) {
        p.client.resume();
        p.upstream.resume();
      }
    },
    close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      server.close();
    },
  })));
}

before(async () => {
  relay = await startRelay(new URL(BASE));
  const { token, displayName } = await createAgent(['paspoort-id'], 'Anne');
  agent = await AgentSocket.connect(token);
  agent.displayName = displayName;
  browser = await launch(PHONE, { touch: true });
});

after(async () => {
  agent?.close();
  await browser?.close();
  relay?.close();
});

/** The page counts the sockets the widget opens, and the page's visibility can be set by the test. */
async function phonePage() {
  await browser.context.setOffline(false); // an earlier test that failed offline leaves no trace
  relay.up();
  const page = await browser.newPage();
  // the page is on the relay's origin: nothing an earlier test kept there is taken up
  const clear = await browser.context.newCDPSession(page);
  await clear.send('Storage.clearDataForOrigin', { origin: relay.url, storageTypes: 'local_storage' });
  await clear.detach();
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.__sockets = [];
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        window.__sockets.push({ at: Date.now() });
      }
    };
    window.__visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => window.__visibility });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__visibility === 'hidden' });
  });
  const cdp = await browser.context.newCDPSession(page);
  return { page, cdp };
}

const sockets = (page) => page.evaluate(() => window.__sockets.length);
const setVisibility = (page, v) => page.evaluate((v) => {
  window.__visibility = v;
  document.dispatchEvent(new Event('visibilitychange'));
}, v);

/** A slow mobile network: high latency, low throughput. */
async function slowNetwork(cdp) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 800, downloadThroughput: 40 * 1024, uploadThroughput: 16 * 1024 });
}

async function saved(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1') || 'null'));
}

async function texts(page) {
  return page.evaluate(() => [...document.getElementById('loket-widget').shadowRoot.querySelectorAll('.log .msg .text')].map((e) => e.textContent));
}

test('on a slow phone network, a double tap starts one chat and sends one message; offline while queued, the position is current when back', withSnapshot(() => browser, 'bad-network-queue', async () => {
  const { page, cdp } = await phonePage();
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/v1/conversations') && posts.push(r.url()));
  // someone ahead in the queue
  const ahead = await api('POST', '/api/v1/conversations', { body: { topic: 'paspoort-id' } });
  assert.equal(ahead.status, 201);

  await page.goto(relay.url + '/');
  await slowNetwork(cdp);
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).tap();
  const start = page.getByRole('button', { name: 'Start de chat' });
  await start.waitFor();
  await start.tap();
  await start.tap({ force: true }).catch(() => {}); // the second tap of an impatient thumb
  await dialog.getByText(/U bent nummer \d+ in de wachtrij/).waitFor({ timeout: 30000 });
  await dialog.getByText('Verbonden', { exact: true }).waitFor({ timeout: 30000 });
  assert.equal(posts.length, 1, 'one start, one conversation');
  const { id } = await saved(page);

  // a double tap on "Verstuur" with a slow network: one message
  const box = page.getByLabel('Uw bericht');
  await box.fill('Mijn paspoort is verlopen');
  const send = page.getByRole('button', { name: 'Verstuur' });
  await send.tap();
  await send.tap();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Mijn paspoort is verlopen' }).waitFor({ timeout: 30000 });
  assert.deepEqual(await texts(page), ['Mijn paspoort is verlopen']);

  // offline in the queue: said at once, typing waits for the connection
  await browser.context.setOffline(true);
  relay.down();
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor({ timeout: 5000 });
  await box.fill('Getypt zonder bereik');
  await send.tap();
  await dialog.getByText('wacht op verbinding').waitFor();
  // meanwhile the one ahead is taken: the widget is next, which it can only hear once back
  await agent.claim(ahead.json.id);
  const before = await sockets(page);
  await page.waitForTimeout(20000); // the phone stays out of reach a while
  const tries = (await sockets(page)) - before;
  assert.ok(tries <= 6, `reconnect attempts while offline for 20 s: ${tries}`);
  assert.equal(await dialog.getByText('Geen verbinding', { exact: true }).count(), 1, 'still said while offline');
  relay.up();
  await browser.context.setOffline(false);
  await dialog.getByText('U bent de volgende in de wachtrij.').waitFor({ timeout: 5000 });
  await dialog.getByText('De verbinding is terug.').waitFor();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Getypt zonder bereik' }).waitFor({ timeout: 15000 });
  assert.deepEqual(await texts(page), ['Mijn paspoort is verlopen', 'Getypt zonder bereik']);

  // the agent sees each message once, in order
  const conversation = await agent.claim(id);
  const mine = conversation.messages.filter((m) => m.from === 'resident').map((m) => m.text);
  assert.deepEqual(mine, ['Mijn paspoort is verlopen', 'Getypt zonder bereik']);
  await dialog.getByText('U chat met Anne.').waitFor({ timeout: 15000 });
  agent.send({ type: 'close', conversationId: id, outcome: 'answered' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor({ timeout: 15000 });
  assert.deepEqual(browser.errors, []);
}));

test('a link that dies without a word: the phone on another network, and a tab hidden for a while, show what happened meanwhile', withSnapshot(() => browser, 'bad-network-silent', async () => {
  const { page } = await phonePage();
  await page.goto(relay.url + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).tap();
  await page.getByRole('button', { name: 'Start de chat' }).tap();
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const { id } = await saved(page);

  // the link goes quiet: the page's socket still says it is open, and the header "Verbonden"
  relay.silence();
  await agent.claim(id);
  await page.waitForTimeout(3000);
  assert.equal(await dialog.getByText('U chat met Anne.').count(), 0, 'nothing can come through a silent link');
  // the phone is on 4G now and says so: the widget replaces the socket and sees the agent at once
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await dialog.getByText('U chat met Anne.').waitFor({ timeout: 5000 });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();

  // the tab goes into the background and its link dies there; the agent writes meanwhile
  await setVisibility(page, 'hidden');
  relay.silence();
  await agent.say(id, 'Waarmee kan ik u helpen?');
  await page.waitForTimeout(31000);
  const before = await sockets(page);
  await setVisibility(page, 'visible');
  await dialog.getByText('Waarmee kan ik u helpen?').waitFor({ timeout: 5000 });
  assert.equal((await sockets(page)) - before, 1, 'one new socket on return');
  // a short look elsewhere costs nothing
  const now = await sockets(page);
  for (let i = 0; i < 3; i++) {
    await setVisibility(page, 'hidden');
    await page.waitForTimeout(500);
    await setVisibility(page, 'visible');
  }
  assert.equal(await sockets(page), now);

  // a message on a silent link with no way to tell: it goes again after its echo timeout, once
  relay.silence();
  await page.getByLabel('Uw bericht').fill('Is mijn bericht aangekomen?');
  await page.getByRole('button', { name: 'Verstuur' }).tap();
  // the server may still count this phone's three silent sockets (until they miss its pings, up to
  // about 80 s): the new one replaces the oldest of them instead of being refused, so the message
  // is in after its echo timeout (10-20 s) and a reconnect, not after the pings
  await dialog.locator('.msg:not(.pending)', { hasText: 'Is mijn bericht aangekomen?' }).waitFor({ timeout: 45000 });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  assert.equal(await dialog.getByText('Dit gesprek is al open in 3 vensters; sluit er een.').count(), 0, 'no refusal');
  assert.equal(await dialog.locator('.replaced:not([hidden])').count(), 0, 'this window is the one that carries on');
  assert.deepEqual(await texts(page), ['Waarmee kan ik u helpen?', 'Is mijn bericht aangekomen?']);
  const got = agent.frames.filter((f) => f.type === 'message' && f.conversationId === id && f.text === 'Is mijn bericht aangekomen?');
  assert.equal(got.length, 1, 'the agent gets it once');
  agent.send({ type: 'close', conversationId: id, outcome: 'answered' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor({ timeout: 15000 });
  assert.deepEqual(browser.errors, []);
}));
