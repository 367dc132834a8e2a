// A resident who closes the tab by mistake (or whose phone's browser dropped it) and opens the
// site again soon finds their conversation: the same one, with its history and its place in the
// queue. Another person (another browser profile) does not.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, api, createAgent, createOpenTopic, launch, openWidget, withSnapshot } from './helpers.mjs';

const TOPIC = { id: 'tab-return-' + Date.now().toString(36), nameNl: 'Tabblad terug', nameEn: 'Tab return' };

let browser;
let other;
let agent;

before(async () => {
  await createOpenTopic(TOPIC);
  const { token } = await createAgent([TOPIC.id], 'Anne');
  agent = await AgentSocket.connect(token);
  browser = await launch();
  await browser.newPage();
});

after(async () => {
  agent?.close();
  await browser?.close();
  await other?.close();
});

const dialogOf = (page) => page.getByRole('dialog', { name: 'Chat met de gemeente' });
const texts = (page) => page.evaluate(() =>
  [...document.getElementById('loket-widget').shadowRoot.querySelectorAll('.log .msg .text')].map((e) => e.textContent));

test('a tab closed and opened again within seconds shows the same conversation, its history and its place', withSnapshot(() => browser, 'tab-return', async () => {
  // someone else is first in this topic's queue, so the resident's place is a number to keep
  const first = await api('POST', '/api/v1/conversations', { body: { topic: TOPIC.id } });
  assert.equal(first.status, 201, first.text);

  let page = browser.page;
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  let dialog = dialogOf(page);
  await dialog.getByText('U bent nummer 2 in de wachtrij.', { exact: false }).waitFor();
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  await page.getByLabel('Uw bericht').fill('Ik ben mijn rijbewijs kwijt');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Ik ben mijn rijbewijs kwijt' }).waitFor();
  const { id } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')));
  assert.ok(id);

  // the tab is closed; a new one (its own, empty sessionStorage) opens the site a few seconds later
  await page.close();
  await new Promise((r) => setTimeout(r, 3000));
  page = browser.page = await browser.context.newPage();
  page.on('pageerror', (e) => browser.errors.push(String(e)));
  await page.goto(BASE + '/');
  dialog = dialogOf(page);
  await dialog.getByText('U bent nummer 2 in de wachtrij.', { exact: false }).waitFor({ timeout: 10000 });
  await dialog.getByText('Ik ben mijn rijbewijs kwijt').waitFor();
  assert.equal(await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1'))?.id), id, 'the same conversation');
  const conversations = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/api/v1/conversations')).length);
  assert.equal(conversations, 0, 'no new conversation started');

  // the agent takes it and writes; the resident answers from the new tab
  await agent.claim(id);
  await dialog.getByText('U chat met Anne.').waitFor();
  await agent.say(id, 'Dan maakt u een afspraak voor een nieuw rijbewijs.');
  await dialog.getByText('Dan maakt u een afspraak voor een nieuw rijbewijs.').waitFor();
  await page.getByLabel('Uw bericht').fill('Dank u');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.text === 'Dank u');

  // another person at another browser (a new profile) finds no conversation: the topic list
  other = await launch();
  const stranger = other.page;
  await stranger.goto(BASE + '/');
  await openWidget(stranger);
  await stranger.getByRole('button', { name: TOPIC.nameNl, exact: true }).waitFor();
  assert.equal(await stranger.getByLabel('Uw bericht').count(), 0);
  assert.equal(await stranger.evaluate(() => localStorage.getItem('loket.widget.v1')), null);

  // the agent closes; nothing of it is left for the site's next tab
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Afspraak' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('loket.widget.v1')), null);
  assert.deepEqual((await texts(page)).slice(0, 3), ['Ik ben mijn rijbewijs kwijt', 'Dan maakt u een afspraak voor een nieuw rijbewijs.', 'Dank u']);
  const next = await browser.context.newPage();
  await next.goto(BASE + '/');
  await openWidget(next);
  await next.getByRole('button', { name: TOPIC.nameNl, exact: true }).waitFor();
  assert.equal(await next.getByLabel('Uw bericht').count(), 0);
  await next.close();
  assert.deepEqual(browser.errors, []);
}));
