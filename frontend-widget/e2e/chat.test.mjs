// A resident on the demo page chats with an agent: both ways, through a reload, to a rating.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, api, BASE, checkScreen, createAgent, dropNetwork, handOnSockets, launch, openWidget, restoreNetwork, withSnapshot } from './helpers.mjs';

let browser;
let agent;

before(async () => {
  const { token, displayName } = await createAgent(['paspoort-id'], 'Anne');
  agent = await AgentSocket.connect(token);
  agent.displayName = displayName;
  browser = await launch();
  await browser.newPage();
  // the test's hand on the network: it can drop the widget's socket and refuse new ones for a while
  await handOnSockets(browser.page);
});

after(async () => {
  agent?.close();
  await browser?.close();
});

/** The conversation the widget keeps in sessionStorage. */
async function saved(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1') || 'null'));
}

test('a resident chats with an agent both ways, survives a reload, rates the conversation and downloads it', withSnapshot(() => browser, 'chat', async () => {
  const { page, errors } = browser;
  await page.goto(BASE + '/');
  await page.getByRole('button', { name: 'Chat met de gemeente' }).waitFor();
  await checkScreen(page, '01-launcher');

  await openWidget(page);
  const topic = page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true });
  await topic.waitFor();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await assert.doesNotReject(dialog.getByText('Dit kunt u ook online regelen').first().waitFor());
  await checkScreen(page, '02-topics');

  await topic.click();
  await dialog.getByText('deel geen BSN', { exact: false }).or(dialog.getByText('Deel geen BSN', { exact: false })).first().waitFor();
  // the retention the service is configured with (GET /api/v1/settings), or wording without a number
  const settings = await api('GET', '/api/v1/settings');
  if (settings.status === 200 && Number.isInteger(settings.json?.retentionDays)) {
    await dialog.getByText(`Wij bewaren uw naam en berichten ${settings.json.retentionDays} dagen.`, { exact: false }).waitFor();
  } else {
    await dialog.getByText('Wij bewaren uw naam en berichten niet langer dan nodig', { exact: false }).waitFor();
    assert.equal(await dialog.getByText(/\d+ dagen/).count(), 0, 'no number of days the service did not give');
  }
  await checkScreen(page, '03-house-rules');
  await page.getByLabel('Uw naam (niet verplicht)').fill('Jan');
  await page.getByRole('button', { name: 'Start de chat' }).click();

  const box = page.getByLabel('Uw bericht');
  await box.waitFor();
  await dialog.getByText(/U bent (de volgende|nummer \d+) in de wachtrij/).waitFor();
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const { id, token } = await saved(page);
  assert.ok(id && token, 'the conversation is kept in sessionStorage while it runs');

  await box.fill('Mijn paspoort is verlopen');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await dialog.getByText('Mijn paspoort is verlopen').waitFor();
  await checkScreen(page, '04-queue');

  // the agent takes the conversation and sees what the resident wrote while waiting
  const conversation = await agent.claim(id);
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.text === 'Mijn paspoort is verlopen', 5000)
    .catch(() => assert.ok(conversation.messages.some((m) => m.text === 'Mijn paspoort is verlopen'), 'the agent has the first message'));
  await dialog.getByText('U chat met Anne.').waitFor();

  agent.send({ type: 'typing', conversationId: id });
  await dialog.getByText('Anne typt…').waitFor();
  await agent.say(id, 'U kunt online een afspraak maken.');
  await dialog.getByText('U kunt online een afspraak maken.').waitFor();

  // text is shown as text, never as HTML
  await agent.say(id, '<img src=x onerror="window.hacked=1"> <b>vet</b>');
  await dialog.getByText('<img src=x onerror="window.hacked=1"> <b>vet</b>').waitFor();
  assert.equal(await page.evaluate(() => document.getElementById('loket-widget').shadowRoot.querySelectorAll('.log img, .log b').length), 0);
  assert.equal(await page.evaluate(() => window.hacked), undefined);

  await box.fill('Dank u, waar vind ik dat?');
  await box.press('Enter');
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.from === 'resident' && f.text === 'Dank u, waar vind ik dat?');
  await dialog.getByText('Dank u, waar vind ik dat?').waitFor();
  await checkScreen(page, '05-chat');

  // a reload mid-conversation: the same conversation, every message once, and the chat goes on
  await page.reload();
  await dialog.getByText('U kunt online een afspraak maken.').waitFor();
  const texts = async () => page.evaluate(() =>
    [...document.getElementById('loket-widget').shadowRoot.querySelectorAll('.log .msg .text')].map((e) => e.textContent));
  await agent.say(id, 'Op de website van de gemeente.');
  await dialog.getByText('Op de website van de gemeente.').waitFor();
  assert.deepEqual(await texts(), [
    'Mijn paspoort is verlopen',
    'U kunt online een afspraak maken.',
    '<img src=x onerror="window.hacked=1"> <b>vet</b>',
    'Dank u, waar vind ik dat?',
    'Op de website van de gemeente.',
  ]);
  assert.equal((await saved(page)).id, id, 'the same conversation after the reload');
  await page.getByLabel('Uw bericht').fill('Gevonden, bedankt!');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.text === 'Gevonden, bedankt!');
  // the widget has it confirmed too: the agent can hear of it before the resident's own echo
  // arrives, and a message still unconfirmed when the network goes would wait as well
  await dialog.locator('.msg:not(.pending)', { hasText: 'Gevonden, bedankt!' }).waitFor();

  // the network goes away: the widget says so, keeps what the resident types, and sends it once it is back
  await dropNetwork(page);
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  await page.getByLabel('Uw bericht').fill('Getypt tijdens de storing');
  await page.getByRole('button', { name: 'Verstuur' }).click();
  await dialog.getByText('wacht op verbinding').waitFor();
  await checkScreen(page, '05b-offline');
  await agent.say(id, 'Bent u er nog?');
  await restoreNetwork(page, { online: true });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.text === 'Getypt tijdens de storing');
  await dialog.getByText('Bent u er nog?').waitFor();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Getypt tijdens de storing' }).waitFor();
  assert.deepEqual((await texts()).slice(-3), ['Gevonden, bedankt!', 'Bent u er nog?', 'Getypt tijdens de storing']);
  assert.equal(agent.frames.filter((f) => f.type === 'message' && f.text === 'Getypt tijdens de storing').length, 1);

  // the agent closes; the resident rates and downloads the transcript
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Verwezen naar online afspraak' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  await checkScreen(page, '06-closed-rating');
  await page.getByRole('button', { name: '4', exact: true }).click();
  assert.equal(await page.getByRole('button', { name: '4', exact: true }).getAttribute('aria-pressed'), 'true');
  await page.getByLabel('Toelichting (niet verplicht)').fill('Snel geholpen');
  await page.getByRole('button', { name: 'Beoordeling versturen' }).click();
  await dialog.getByText('Bedankt voor uw beoordeling.').waitFor();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download het gesprek' }).click();
  const file = await download;
  const transcript = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  assert.match(transcript, /Mijn paspoort is verlopen/);
  assert.match(transcript, /Op de website van de gemeente\./);
  await checkScreen(page, '07-rated');

  // once ended, the tab keeps nothing that opens it (the page shows it from memory)
  assert.equal(JSON.stringify(await saved(page)), '{"kind":"ended","open":true}');
  // the rating is stored: a second one is refused
  const again = await api('POST', `/api/v1/conversations/${id}/rating`, { token, body: { score: 1 } });
  assert.equal(again.status, 409);
  assert.deepEqual(errors, []);
}));
