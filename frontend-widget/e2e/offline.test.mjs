// A resident on a phone whose browser goes offline (a tunnel, flight mode): the browser says so at
// once (`offline`), and so must the widget, rather than "Verbonden" over a socket that carries
// nothing until its echo timeout (10–20 s, and only once a message is sent). What is typed
// meanwhile waits for the connection and goes once it is back, once, in its place.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, PHONE, createAgent, createOpenTopic, launch, openWidget, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
const TOPIC = { id: `offline-${STAMP}`, nameNl: `Offline ${STAMP}`, nameEn: `Offline ${STAMP}` };

let browser;
let agent;

before(async () => {
  await createOpenTopic(TOPIC);
  agent = await AgentSocket.connect((await createAgent([TOPIC.id], 'Daan')).token);
  browser = await launch(PHONE);
});

after(async () => {
  agent?.close();
  await browser?.close();
});

/** The texts of the chat's messages in order, and which of them still wait. */
function shown(page) {
  return page.evaluate(() => [...document.getElementById('loket-widget').shadowRoot.querySelectorAll('.log .msg.resident, .log .msg.agent')]
    .map((m) => (m.classList.contains('pending') ? 'pending: ' : '') + m.querySelector('.text').textContent));
}

test('the browser going offline says "Geen verbinding" at once; what is typed meanwhile goes once when it is back', withSnapshot(() => browser, 'offline', async () => {
  const page = await browser.newPage();
  await page.goto(process.env.LOKET_E2E_URL + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const box = page.getByLabel('Uw bericht');
  await box.waitFor();
  agent.send({ type: 'claim', ref: 'claim-offline' });
  const { conversation } = await agent.next((f) => f.type === 'assigned');
  await dialog.getByText('U chat met Daan.').waitFor();
  await box.fill('Eerste vraag');
  await box.press('Enter');
  await agent.next((f) => f.type === 'message' && f.text === 'Eerste vraag');
  await dialog.getByText('Verbonden', { exact: true }).waitFor();

  await browser.context.setOffline(true);
  // said within a few seconds, without a message having to time out first
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor({ timeout: 3000 });
  await box.fill('Getypt in de tunnel');
  await box.press('Enter');
  await dialog.locator('.msg.pending', { hasText: 'Getypt in de tunnel' }).getByText('wacht op verbinding').waitFor({ timeout: 3000 });
  agent.send({ type: 'message', conversationId: conversation.id, clientMsgId: 'a-offline-1', text: 'Bent u er nog?' });
  await agent.next((f) => f.type === 'message' && f.text === 'Bent u er nog?');

  await browser.context.setOffline(false);
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  await agent.next((f) => f.type === 'message' && f.text === 'Getypt in de tunnel');
  await dialog.locator('.msg.agent', { hasText: 'Bent u er nog?' }).waitFor();
  const expected = ['Eerste vraag', 'Bent u er nog?', 'Getypt in de tunnel'];
  // in the order the server stored them, each once, none left waiting
  for (let i = 0; i < 50 && JSON.stringify(await shown(page)) !== JSON.stringify(expected); i++) await page.waitForTimeout(100);
  assert.deepEqual(await shown(page), expected);
  assert.equal(agent.frames.filter((f) => f.type === 'message' && f.text === 'Getypt in de tunnel').length, 1, 'stored and delivered once');
  assert.deepEqual(browser.errors, []);
  await page.close();
}));
