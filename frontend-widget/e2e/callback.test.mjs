// Callbacks: an offer to a waiting resident, accepted in the chat; and a request straight from
// the topic list when no agent is free. Both show up in the agents' callback list and can be
// cancelled by the resident.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, api, checkScreen, createAgent, launch, openWidget, topicsAs, withSnapshot } from './helpers.mjs';

let browser;
let staff;

before(async () => {
  // a team lead for another topic only: nobody serves "Afval" or "Belastingen", and a team lead
  // reads the callback requests of every topic (an agent only those of their own topics)
  staff = await createAgent(['overig'], 'Bram', ['supervisor']);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function callback(id) {
  const res = await api('GET', `/api/v1/callbacks/${id}`, { token: staff.token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function callbacks() {
  const res = await api('GET', '/api/v1/callbacks', { token: staff.token });
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

const saved = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1') || 'null'));

test('a waiting resident accepts the callback offer without losing what they were typing', withSnapshot(() => browser, 'callback-offer', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: 'Afval', exact: true }).click();

  // no agent for this topic: the widget proposes a callback first, chatting stays possible
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  await checkScreen(page, '08-callback-first');
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const box = page.getByLabel('Uw bericht');
  await box.waitFor();
  await dialog.getByText('Wachttijd onbekend', { exact: false }).waitFor();

  // the offer arrives while the resident is typing; it does not take the focus or the draft
  await box.click();
  await box.pressSequentially('Mijn container is niet ');
  await dialog.getByText('Er is nu geen medewerker beschikbaar', { exact: false }).waitFor();
  await box.pressSequentially('geleegd');
  assert.equal(await box.inputValue(), 'Mijn container is niet geleegd');
  const chat = await saved(page);
  assert.equal(await box.evaluate((el) => el === el.getRootNode().activeElement), true, 'focus stays in the message box');
  await checkScreen(page, '09-callback-offer');

  await page.getByRole('button', { name: 'Bel mij terug' }).click();
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  // the API's field errors appear beside the field (a premium-rate number: only the service knows it)
  await page.getByLabel('Telefoonnummer').fill('0900 1234567');
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).click();
  await dialog.locator('.error', { hasText: /betaalnummers/ }).first().waitFor();
  assert.equal(await page.getByLabel('Telefoonnummer').getAttribute('aria-invalid'), 'true');
  await checkScreen(page, '10-callback-form-errors');

  // back to the chat: the draft is still there
  await page.getByRole('button', { name: 'Terug naar de chat' }).click();
  assert.equal(await page.getByLabel('Uw bericht').inputValue(), 'Mijn container is niet geleegd');
  await page.getByRole('button', { name: 'Bel mij terug' }).click();
  await page.getByLabel('Telefoonnummer').fill('06 12345678');
  await page.getByLabel('Naam (niet verplicht)').fill('Jan Jansen');
  await page.getByLabel("'s Middags").check();
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).click();

  await dialog.getByRole('heading', { name: 'Wij bellen u terug' }).waitFor();
  // what the resident needs to trust it: the number as typed, when, and a short reference to quote
  await dialog.getByText('Wij bellen u op 06 12345678.').waitFor();
  await dialog.getByText("Wanneer: 's middags.").waitFor();
  const shown = (await dialog.locator('.ref code').textContent()).trim();
  assert.match(shown, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  // the chat has ended: the tab keeps the request with its own token, nothing that opens the conversation
  const request = await saved(page);
  assert.equal(request.kind, 'callback');
  const reference = request.id;
  assert.ok(!JSON.stringify(request).includes(chat.token) && !JSON.stringify(request).includes(chat.id));
  const listed = (await callbacks()).find((c) => c.id === reference);
  assert.ok(listed, 'the request is in GET /api/v1/callbacks');
  assert.equal(listed.reference, shown, 'the agents\' list has the reference the resident was given');
  assert.equal(listed.phone, '+31612345678');
  assert.equal(listed.window, 'afternoon');
  assert.equal(listed.conversationId, chat.id);
  await checkScreen(page, '11-callback-created');

  // after a reload the confirmation is still there, the number by its last digits only, and the resident can cancel
  await page.reload();
  await dialog.getByRole('heading', { name: 'Wij bellen u terug' }).waitFor();
  await dialog.getByText('Wij bellen u op het nummer dat eindigt op 78.').waitFor();
  assert.equal(await dialog.getByText('06 12345678').count(), 0);
  assert.equal((await dialog.locator('.ref code').textContent()).trim(), shown);
  // one tap cancels nothing: the widget asks first, and "Nee" keeps the request
  await page.getByRole('button', { name: 'Terugbelverzoek intrekken' }).click();
  await dialog.getByRole('group', { name: 'Wilt u uw terugbelverzoek intrekken? Wij bellen u dan niet.' }).waitFor();
  await checkScreen(page, '11b-callback-cancel-question');
  await page.getByRole('button', { name: 'Nee, niet intrekken' }).click();
  assert.equal((await callback(reference)).state, 'open');
  await page.getByRole('button', { name: 'Terugbelverzoek intrekken' }).click();
  await page.getByRole('button', { name: 'Ja, intrekken' }).click();
  await dialog.getByText('Uw terugbelverzoek is ingetrokken.').waitFor();
  assert.equal((await callback(reference)).state, 'cancelled');
  assert.deepEqual(browser.errors, []);
}));

test('for a closed topic, a resident leaves a callback request straight from the topic list', withSnapshot(() => browser, 'callback-direct', async () => {
  const page = await browser.newPage();
  // every topic is open in this run (LOKET_ALWAYS_OPEN); the topic list is told one is closed
  await topicsAs(page, (t) => {
    if (t.id === 'belastingen') Object.assign(t, { open: false, nextOpenAt: '2026-11-30T07:30:00Z', callbackOffered: true, estimatedWaitSeconds: null });
  });
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText(/Nu gesloten\. Weer open maandag 30 november/).waitFor();
  await page.getByRole('button', { name: 'Belastingen', exact: true }).click();
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  await dialog.getByText(/Dit onderwerp is nu gesloten\. Wij zijn weer open maandag 30 november/).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Toch chatten en wachten' }).count(), 0, 'a closed topic offers no chat');
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).click();
  await dialog.getByText('Vul een telefoonnummer in.').first().waitFor();
  await page.getByLabel('Telefoonnummer').fill('+31 20 123 4567');
  await page.getByLabel('Waar gaat het over? (niet verplicht)').fill('Vraag over mijn aanslag');
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).click();
  await dialog.getByRole('heading', { name: 'Wij bellen u terug' }).waitFor();
  await dialog.getByText('Wij bellen u op +31 20 123 4567.').waitFor();
  const shown = (await dialog.locator('.ref code').textContent()).trim();
  const listed = (await callbacks()).find((c) => c.reference === shown);
  assert.ok(listed, 'the request is in GET /api/v1/callbacks, by the reference the resident was given');
  const reference = listed.id;
  assert.equal(listed.topic, 'belastingen');
  assert.equal(listed.note, 'Vraag over mijn aanslag');
  await checkScreen(page, '12-callback-direct-created');

  await page.getByRole('button', { name: 'Terugbelverzoek intrekken' }).click();
  await page.getByRole('button', { name: 'Ja, intrekken' }).click();
  await dialog.getByText('Uw terugbelverzoek is ingetrokken.').waitFor();
  assert.equal((await callback(reference)).state, 'cancelled');
  await page.getByRole('button', { name: 'Nieuwe vraag' }).click();
  await page.getByRole('button', { name: 'Belastingen', exact: true }).waitFor();
  assert.deepEqual(browser.errors, []);
}));
