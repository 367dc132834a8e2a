// Once a conversation has ended, the browser keeps nothing that opens it again: the open page
// still shows it (rating, download), but a reload, or a tab closed and reopened with its
// sessionStorage (the next person at a library computer), shows only that it has ended.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, api, checkScreen, createAgent, createOpenTopic, launch, openWidget, withSnapshot } from './helpers.mjs';

const TOPIC = { id: 'ended-privacy-' + Date.now().toString(36), nameNl: 'Beëindigd privé', nameEn: 'Ended private' };

let browser;
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
});

/** Everything the site keeps in this tab's browser storage. */
const stored = (page) => page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }));

test('after the end, a reload shows only that the conversation has ended, and the tab keeps no token', withSnapshot(() => browser, 'ended-privacy', async () => {
  const page = browser.page;
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  await page.getByLabel('Uw bericht').fill('Mijn rijbewijs is gestolen');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Mijn rijbewijs is gestolen' }).waitFor();
  const { id, token } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')));
  assert.ok(id && token);

  await agent.claim(id);
  await agent.say(id, 'Doe aangifte bij de politie.');
  await dialog.getByText('Doe aangifte bij de politie.').waitFor();
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Verwezen' });

  // the open page: the conversation, the rating and the download stay
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  await dialog.getByText('Doe aangifte bij de politie.').waitFor();
  await page.getByRole('button', { name: 'Beoordeling versturen' }).waitFor();
  await page.getByRole('button', { name: 'Download het gesprek' }).waitFor();
  // the browser: nothing that opens it
  const kept = await stored(page);
  assert.ok(!kept.includes(token), 'no token in storage');
  assert.ok(!kept.includes(id), 'no conversation id in storage');
  await page.getByRole('button', { name: '5', exact: true }).click();
  await page.getByRole('button', { name: 'Beoordeling versturen' }).click();
  await dialog.getByText('Bedankt voor uw beoordeling.').waitFor();

  // a reload (or the tab reopened by the next person): only that it ended
  await page.reload();
  await dialog.getByRole('heading', { name: 'Dit gesprek is beëindigd.' }).waitFor();
  await dialog.getByText('Voor uw privacy tonen we het hier niet meer.').waitFor();
  assert.equal(await dialog.getByText('Doe aangifte bij de politie.').count(), 0);
  assert.equal(await dialog.getByText('Mijn rijbewijs is gestolen').count(), 0);
  const sockets = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/ws/resident/')).length);
  assert.equal(sockets, 0, 'no connection to the ended conversation');
  await checkScreen(page, '30-ended-reload');
  await page.getByRole('button', { name: 'Nieuwe vraag' }).click();
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('loket.widget.v1')), null);

  // the token itself still reads the transcript for the open page's download, shortly after the end
  const transcript = await api('GET', `/api/v1/conversations/${id}/transcript`, { token, accept: 'text/plain' });
  assert.equal(transcript.status, 200);
  assert.deepEqual(browser.errors, []);
}));
