// Issue 10, seen from the widget: on the day of a surge a node lets a few starts through at once
// and queues the rest; when its line is full it answers 503 `busy` (the line itself is tested in
// the service's GateTest). Filling the line of a real node takes a surge, so here the browser gets
// that answer for one start, and the widget must turn it into a callback request, not an error.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, createAgent, createOpenTopic, launch, openWidget, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
const TOPIC = { id: `druk-${STAMP}`, nameNl: `Drukte ${STAMP}`, nameEn: `Busy ${STAMP}` };

let browser;
let agent;

before(async () => {
  await createOpenTopic(TOPIC);
  // an agent is on duty, so the widget offers the chat (with none it offers a callback at once)
  agent = await AgentSocket.connect((await createAgent([TOPIC.id], 'Daan')).token);
  browser = await launch();
});

after(async () => {
  agent?.close();
  await browser?.close();
});

test('a full line of starts makes the widget offer a callback request', withSnapshot(() => browser, 'busy', async () => {
  const page = await browser.newPage();
  let answered = 0;
  await page.route('**/api/v1/conversations', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    answered++;
    await route.fulfill({
      status: 503,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '60' },
      body: JSON.stringify({ type: '/problems/busy', title: 'Het is nu erg druk / It is very busy right now', status: 503 }),
    });
  });
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  // an agent is on duty: the form says it is busy, not that nobody is free
  await dialog.getByText('Het is nu erg druk in de chat.', { exact: false }).waitFor();
  assert.equal(await dialog.getByText('geen medewerker vrij', { exact: false }).count(), 0);
  assert.equal(answered, 1, 'the start reached the line once');
  await page.close();
}));
