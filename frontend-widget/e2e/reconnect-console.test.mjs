// Coming back online while an attempt to reconnect still hangs: the widget connects anew at once
// without closing the hanging socket while it connects (the browser logged "WebSocket is closed
// before the connection is established"), and when that one gets through after all it is closed
// without delivering anything: one live socket, no message lost or shown twice.

import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, PHONE, createAgent, launch, openWidget, withSnapshot } from './helpers.mjs';

let browser;
let agent;
let relay;

/**
 * A TCP relay in front of the service, which the page is loaded through. While `hold()` is on, a
 * new connection is held (its upgrade request on its way, as on a link that went away) until
 * `release()` lets what it holds through; `pass()` lets new ones through at once again.
 */
function startHoldingRelay(target) {
  const open = new Set();
  const held = [];
  let holding = false;
  const pass = (client, buffered) => {
    if (client.destroyed) return;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    open.add(client);
    open.add(upstream);
    for (const d of buffered) upstream.write(d);
    client.removeAllListeners('data');
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('error', () => {});
  };
  const server = createServer((client) => {
    client.on('error', () => {});
    if (!holding) return pass(client, []);
    const conn = { client, buffered: [] };
    client.on('data', (d) => conn.buffered.push(d));
    held.push(conn);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}`,
    hold() {
      holding = true;
    },
    pass() {
      holding = false;
    },
    release() {
      for (const { client, buffered } of held.splice(0)) pass(client, buffered);
    },
    close: () => new Promise((done) => {
      server.close(done);
      for (const c of open) c.destroy();
      for (const { client } of held) client.destroy();
    }),
  })));
}

before(async () => {
  relay = await startHoldingRelay(new URL(BASE));
  agent = await AgentSocket.connect((await createAgent(['paspoort-id'], 'Anne')).token);
  browser = await launch(PHONE, { touch: true });
  // the widget's sockets, and whether each one ever opened
  await browser.context.addInitScript(() => {
    const Native = window.WebSocket;
    window.__loketSockets = [];
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        window.__loketSockets.push(this);
        this.addEventListener('open', () => (this.opened = true));
      }
    };
  });
});

after(async () => {
  agent?.close();
  await browser?.close();
  await relay?.close();
});

test('back online while a reconnect hangs: no socket closed while it connects, one live socket, each message once', withSnapshot(() => browser, 'reconnect-console', async () => {
  const page = await browser.newPage();
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.goto(relay.url + '/');
  await openWidget(page);
  await page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const { id } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')));
  await agent.claim(id);
  await dialog.getByText('U chat met Anne.').waitFor();

  // the link goes: the socket drops, and the widget's next attempt hangs on its way
  relay.hold();
  const dropped = await page.evaluate(() => {
    for (const s of window.__loketSockets) s.close();
    return window.__loketSockets.length;
  });
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  await page.waitForFunction((n) => window.__loketSockets.slice(n).some((s) => s.readyState === WebSocket.CONNECTING), dropped);
  const box = page.getByLabel('Uw bericht');
  await box.fill('Kan ik het paspoort ook op zaterdag ophalen?');
  await box.press('Enter');

  // the phone is on another network: the browser says it is online, and the hanging attempt gets through after all
  relay.pass();
  const hanging = await page.evaluate(() => {
    const n = window.__loketSockets.length;
    window.dispatchEvent(new Event('online'));
    return n;
  });
  relay.release();
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const got = await agent.next((f) => f.type === 'message' && f.conversationId === id && f.from === 'resident' && f.text.startsWith('Kan ik het paspoort'));
  // the attempt that hung got through, and was closed at once
  await page.waitForFunction(([from, to]) => window.__loketSockets.slice(from, to).every((s) => s.readyState === WebSocket.CLOSED), [dropped, hanging]);
  assert.deepEqual(logged.filter((t) => /closed before the connection is established/i.test(t)), [], 'console');
  assert.deepEqual(await page.evaluate(([from, to]) => window.__loketSockets.slice(from, to).map((s) => !!s.opened), [dropped, hanging]), [true],
    'the attempt that hung opened');

  await agent.say(id, 'Ja, op zaterdag tot 12 uur.');
  await dialog.getByText('Ja, op zaterdag tot 12 uur.').waitFor();
  assert.equal(await dialog.getByText('Ja, op zaterdag tot 12 uur.').count(), 1, 'the answer shows once');
  assert.equal(await dialog.locator('.msg.resident', { hasText: 'Kan ik het paspoort ook op zaterdag ophalen?' }).count(), 1, 'the message shows once');
  assert.equal(agent.frames.filter((f) => f.type === 'message' && f.seq === got.seq).length, 1, 'the agent got it once');
  assert.equal(await page.evaluate(() => window.__loketSockets.filter((s) => s.readyState === WebSocket.OPEN).length), 1, 'one live socket');

  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Zaterdag' });
  await agent.next((f) => f.type === 'ended' && f.conversationId === id);
}));
