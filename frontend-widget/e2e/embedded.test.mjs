// The widget embedded on the municipality's own site, another origin than Loket's: every call it
// makes goes cross-origin (CORS for REST, the Origin check for the socket), and the site is let
// into the widget's endpoints only, not the staff's (docs/protocol.md §10).
//
// The site's origin must be in the service's LOKET_ALLOWED_ORIGINS; scripts/e2e.mjs lists
// LOKET_E2E_SITE (http://localhost:<port>: another host than the 127.0.0.1 of the service's
// address, so another origin; the page itself comes from the test). Against a service that is
// already running, set both, or the test is skipped.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, createAgent, launch, openWidget, withSnapshot } from './helpers.mjs';

const SITE = process.env.LOKET_E2E_SITE;
const skip = SITE ? false : 'LOKET_E2E_SITE is not set (the site in the service\'s LOKET_ALLOWED_ORIGINS)';

let browser;
let agent;

before(async () => {
  if (skip) return;
  const { token } = await createAgent(['paspoort-id'], 'Anne');
  agent = await AgentSocket.connect(token);
  browser = await launch();
  // the page comes from the test, not from a server on loopback, so Chromium counts it as a public
  // site and asks before it reaches the service on 127.0.0.1; the real site and service are both public
  await browser.context.grantPermissions(['local-network-access']);
  // the municipality's page, as its own web server would send it, with the widget's script tag from its README
  await browser.context.route(SITE + '/contact', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Contact – Gemeente Voorbeeld</title>
      <link rel="icon" href="data:,"></head>
      <body><main><h1>Contact met de gemeente</h1><p>Chat met ons via de knop rechtsonder.</p></main>
      <script src="${BASE}/widget/loket-widget.js" data-loket-url="${BASE}" data-lang="nl" defer></script></body></html>`,
  }));
});

after(async () => {
  agent?.close();
  await browser?.close();
});

test('the widget on the municipality\'s site chats, rates and downloads across origins', { skip }, withSnapshot(() => browser, 'embedded', async () => {
  const { page, errors } = browser;
  const calls = [];
  page.on('request', (r) => {
    if (r.url().startsWith(BASE + '/api/')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(SITE + '/contact');
  assert.notEqual(new URL(page.url()).origin, new URL(BASE).origin, 'the page is on another origin than the service');

  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).click();
  await page.getByLabel('Uw naam (niet verplicht)').fill('Jan');
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const { id } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1') || 'null'));

  await agent.claim(id);
  await dialog.getByText('U chat met Anne.').waitFor();
  await agent.say(id, 'Waarmee kan ik u helpen?');
  await dialog.getByText('Waarmee kan ik u helpen?').waitFor();
  await page.getByLabel('Uw bericht').fill('Mijn paspoort is verlopen');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.text === 'Mijn paspoort is verlopen');

  agent.send({ type: 'close', conversationId: id, outcome: 'answered' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  await page.getByRole('button', { name: '5', exact: true }).click();
  await page.getByRole('button', { name: 'Beoordeling versturen' }).click();
  await dialog.getByText('Bedankt voor uw beoordeling.').waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download het gesprek' }).click();
  const file = await download;
  const transcript = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  assert.match(transcript, /Mijn paspoort is verlopen/);
  for (const call of ['GET /api/v1/topics', 'POST /api/v1/conversations', `POST /api/v1/conversations/${id}/rating`,
    `GET /api/v1/conversations/${id}/transcript`]) {
    assert.ok(calls.includes(call), `${call} went from the site to the service (${calls.join(', ')})`);
  }

  // a script on the site reads what the widget reads, and nothing of the staff's: the browser
  // hides those answers from it (no Access-Control-Allow-Origin), with a token or without
  const reads = await page.evaluate(async (base) => {
    const read = (path, init) => fetch(base + path, { credentials: 'omit', ...init }).then((r) => r.status, () => 'refused');
    return {
      topics: await read('/api/v1/topics'),
      callbacks: await read('/api/v1/callbacks', { headers: { Authorization: 'Bearer x' } }),
      users: await read('/api/v1/admin/users'),
      login: await read('/api/v1/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":"admin","password":"x"}' }),
    };
  }, BASE);
  assert.deepEqual(reads, { topics: 200, callbacks: 'refused', users: 'refused', login: 'refused' });
  assert.deepEqual(errors, []);
}));
