// The database down or out of connections, seen from the widget: the service answers a start
// 503 `unavailable` with Retry-After (ProblemMappers; the mapping itself is tested in the
// service's RestFailuresTest). Taking a real database away takes more than a browser test, so
// here the browser gets that answer while the test says so, and the real service after. Unlike
// 503 `busy` (e2e/busy.test.mjs) it is no capacity refusal: no callback form (it needs the
// database too), but "even niet beschikbaar", the name kept, and a start by itself once it works.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, checkScreen, createAgent, createOpenTopic, launch, openWidget, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
const TOPIC = { id: `storing-${STAMP}`, nameNl: `Storing ${STAMP}`, nameEn: `Outage ${STAMP}` };

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

test('a start answered 503 unavailable is tried again by itself, with the name kept and no callback offered', withSnapshot(() => browser, 'unavailable', async () => {
  const page = await browser.newPage();
  let down = true;
  let refused = 0;
  let passed = 0;
  await page.route('**/api/v1/conversations', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    if (!down) {
      passed++;
      return route.continue();
    }
    refused++;
    await route.fulfill({
      status: 503,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '1' },
      body: JSON.stringify({
        type: '/problems/unavailable',
        title: 'Tijdelijk niet beschikbaar / Temporarily unavailable',
        status: 503,
        detail: 'Probeer het over een paar seconden opnieuw. / Try again in a few seconds.',
      }),
    });
  });
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await dialog.getByLabel('Uw naam (niet verplicht)').fill('Jan de Vries');
  await page.getByRole('button', { name: 'Start de chat' }).click();

  // said in a status region; the house rules stay, with the name as typed
  const status = dialog.getByRole('status').filter({ hasText: 'De chat is even niet beschikbaar.' });
  await status.waitFor();
  assert.match(await status.textContent(), /Wij proberen het over \d+ seconden vanzelf opnieuw\. Wat u hebt ingevuld, blijft staan\./);
  await dialog.getByRole('button', { name: 'Opnieuw proberen' }).waitFor();
  assert.equal(await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).count(), 0, 'no callback form for an outage');
  assert.equal(await dialog.getByLabel('Uw naam (niet verplicht)').inputValue(), 'Jan de Vries');
  await checkScreen(page, '20-start-unavailable');

  // the database is back: the next try by itself (2 s doubling, at least Retry-After) starts the chat
  down = false;
  await dialog.getByText('in de wachtrij', { exact: false }).waitFor({ timeout: 30000 });
  assert.ok(refused >= 1, 'the start met the outage');
  assert.equal(passed, 1, 'one start reached the service');
  assert.equal(await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).count(), 0);
  await page.close();
}));
