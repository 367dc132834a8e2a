// The callback form walked as a resident on a phone (360×740, touch): its field errors, the
// on-screen keyboard, an agent who takes the chat while the form is open, a connection that drops
// and comes back, and the form by keyboard alone.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, createAgent, createOpenTopic, dropNetwork, focused, handOnSockets, launch, openWidget, restoreNetwork, topicsAs, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
/** Nobody serves it at first: a resident who chats anyway is offered a callback above the chat. */
const EMPTY = { id: `bel-${STAMP}`, nameNl: `Terugbellen ${STAMP}`, nameEn: `Callback ${STAMP}` };
/** Like EMPTY until an agent for it comes on duty in the test; apart, so EMPTY stays without one. */
const TAKEN = { id: `neem-${STAMP}`, nameNl: `Aannemen ${STAMP}`, nameEn: `Take ${STAMP}` };

let browser;
const agents = [];

before(async () => {
  await createOpenTopic(EMPTY);
  await createOpenTopic(TAKEN);
  browser = await launch({ width: 360, height: 740 }, { touch: true });
  // on every page: the test's hand on the widget's sockets (drop them, and send new ones nowhere)
  await handOnSockets(browser.context);
});

after(async () => {
  for (const a of agents) a.close();
  await browser?.close();
});

const dialogOf = (page) => page.getByRole('dialog', { name: 'Chat met de gemeente' });

/** The callback form straight from the topic list: "Belastingen" is told to be closed. */
async function directForm(page) {
  await topicsAs(page, (t) => {
    if (t.id === 'belastingen') Object.assign(t, { open: false, nextOpenAt: '2026-11-30T07:30:00Z', callbackOffered: true, estimatedWaitSeconds: null });
  });
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: 'Belastingen', exact: true }).click();
  await dialogOf(page).getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
}

/** A chat on the unserved topic, with the callback form opened from its offer; returns the conversation id. */
async function formOverChat(page, topic = EMPTY) {
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: topic.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await page.getByRole('button', { name: 'Bel mij terug' }).click();
  await dialogOf(page).getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  return (await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')))).id;
}

/** The hint and the service's reason for a number that is no number, as the phone field is described by them. */
const INVALID = /^Bijvoorbeeld 06 12345678 of \+44 20 7946 0958 Vul een geldig nummer in\.$/;

/** What a screen reader hears for a field: whether it is invalid, and the texts it is described by. */
function described(page, label) {
  return page.getByLabel(label).evaluate((el) => {
    const root = el.getRootNode();
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    return { invalid: el.getAttribute('aria-invalid'), text: ids.map((id) => root.getElementById(id)?.textContent ?? '').join(' ').trim() };
  });
}

/** Where an element of the widget is, whether it lies in the visible window, and whether a finger at its middle touches it. */
function place(page, selector) {
  return page.evaluate((sel) => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const el = root.querySelector(sel);
    const r = el.getBoundingClientRect();
    const hit = root.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), inView: r.top >= 0 && r.bottom <= innerHeight, touchable: hit === el || el.contains(hit) };
  }, selector);
}

async function fillForm(page, { phone, name, note }) {
  if (phone !== undefined) await page.getByLabel('Telefoonnummer').fill(phone);
  if (name !== undefined) await page.getByLabel('Naam (niet verplicht)').fill(name);
  if (note !== undefined) await page.getByLabel('Waar gaat het over? (niet verplicht)').fill(note);
}

async function typed(page) {
  return {
    phone: await page.getByLabel('Telefoonnummer').inputValue(),
    name: await page.getByLabel('Naam (niet verplicht)').inputValue(),
    note: await page.getByLabel('Waar gaat het over? (niet verplicht)').inputValue(),
  };
}

test('field errors: each said beside its field and to a screen reader, focus on the field, nothing typed lost', withSnapshot(() => browser, 'cbform-errors', async () => {
  const page = await browser.newPage();
  await directForm(page);
  const dialog = dialogOf(page);
  const submit = page.getByRole('button', { name: 'Vraag terugbellen aan' });

  // no number, and the optional name left empty: only the number is asked for
  await fillForm(page, { note: 'Vraag over mijn aanslag' });
  await submit.tap();
  await dialog.getByRole('alert').filter({ hasText: 'Controleer de gegevens.' }).waitFor();
  assert.deepEqual(await described(page, 'Telefoonnummer'), { invalid: 'true', text: 'Bijvoorbeeld 06 12345678 of +44 20 7946 0958 Vul een telefoonnummer in.' });
  assert.equal((await described(page, 'Naam (niet verplicht)')).invalid, null, 'an empty name is no error');
  assert.equal((await focused(page)).id, await page.getByLabel('Telefoonnummer').getAttribute('id'), 'focus on the number');

  // the service judges every number and says why in one short line: no number, letters, a premium-rate
  // number (each reason differs from the one before, so each wait is for the service's new answer)
  for (const [wrong, saying] of [
    ['12345', INVALID],
    ['06 1234 5ABC', /^Bijvoorbeeld 06 12345678 of \+44 20 7946 0958 Gebruik alleen cijfers, geen letters\.$/],
    ['0900 1234567', /^Bijvoorbeeld 06 12345678 of \+44 20 7946 0958 Wij bellen geen betaalnummers\.$/],
  ]) {
    await fillForm(page, { phone: wrong, name: 'Jan Jansen' });
    await submit.tap();
    await page.waitForFunction((source) => {
      const root = document.getElementById('loket-widget').shadowRoot;
      const input = root.querySelector('form.callback input[type=tel]');
      const text = input.getAttribute('aria-describedby').split(/\s+/).map((id) => root.getElementById(id)?.textContent ?? '').join(' ').trim();
      return input.getAttribute('aria-invalid') === 'true' && new RegExp(source).test(text);
    }, saying.source);
    const said = await described(page, 'Telefoonnummer');
    assert.equal(said.invalid, 'true', `${wrong}: aria-invalid`);
    assert.match(said.text, saying, `${wrong}: the field is described by its error: ${said.text}`);
    assert.doesNotMatch(said.text, / \/ /, `${wrong}: in the resident's language only: ${said.text}`);
    assert.equal((await focused(page)).tag, 'input', `${wrong}: focus on the number`);
    assert.deepEqual(await typed(page), { phone: wrong, name: 'Jan Jansen', note: 'Vraag over mijn aanslag' }, `${wrong}: nothing typed is lost`);
    // the error stands next to its field: between its label and the input, not far away
    const [err, input] = await Promise.all([place(page, 'form.callback .field .error:not(:empty)'), place(page, 'form.callback input[type=tel]')]);
    assert.ok(input.top - err.bottom >= 0 && input.top - err.bottom < 24, `${wrong}: error right above the field ${JSON.stringify({ err, input })}`);
  }

  // once corrected, the error goes and the request is made
  await fillForm(page, { phone: '06 23456789' });
  await submit.tap();
  await dialog.getByText('Wij bellen u op 06 23456789.').waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('valid Dutch landline and a foreign number are accepted as typed', withSnapshot(() => browser, 'cbform-valid', async () => {
  for (const number of ['030 234 5678', '+44 20 7946 0958']) {
    const page = await browser.newPage();
    await directForm(page);
    await fillForm(page, { phone: number });
    await page.getByRole('button', { name: 'Vraag terugbellen aan' }).tap();
    await dialogOf(page).getByText(`Wij bellen u op ${number}.`).waitFor();
  }
}));

test('with the on-screen keyboard up (and at 200 % zoom), the focused field and the submit button stay reachable', withSnapshot(() => browser, 'cbform-keyboard', async () => {
  for (const [full, short] of [[{ width: 360, height: 740 }, { width: 360, height: 400 }], [{ width: 180, height: 370 }, { width: 180, height: 200 }]]) {
    const page = await browser.newPage();
    await page.setViewportSize(full);
    await directForm(page);
    for (const [label, selector] of [['Telefoonnummer', 'form.callback input[type=tel]'], ['Waar gaat het over? (niet verplicht)', 'form.callback textarea']]) {
      await page.getByLabel(label).tap();
      // the keyboard comes up: the visual viewport shrinks with the focus in the field
      await page.setViewportSize(short);
      await page.getByLabel(label).evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
      const field = await place(page, selector);
      assert.ok(field.inView && field.touchable, `${full.width}px, ${label}: in view and nothing over it ${JSON.stringify(field)}`);
      await page.getByLabel(label).pressSequentially('0');
      await page.getByRole('button', { name: 'Vraag terugbellen aan' }).scrollIntoViewIfNeeded();
      const button = await place(page, 'form.callback button[type=submit]');
      assert.ok(button.inView && button.touchable, `${full.width}px: the submit button can be reached ${JSON.stringify(button)}`);
      await page.setViewportSize(full);
    }
    // an error found with the keyboard up (the service's reason for a number that is no number): the
    // field it is about, and the whole of its error right above it, are in view, also at 200 % zoom
    await page.getByLabel('Telefoonnummer').fill('12345');
    await page.setViewportSize(short);
    await page.getByRole('button', { name: 'Vraag terugbellen aan' }).scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Vraag terugbellen aan' }).tap();
    await page.waitForFunction(() => document.getElementById('loket-widget').shadowRoot.querySelector('form.callback input[type=tel]').getAttribute('aria-invalid') === 'true');
    const [err, input] = [await place(page, 'form.callback .field .error:not(:empty)'), await place(page, 'form.callback input[type=tel]')];
    assert.ok(input.inView && input.touchable, `${full.width}px: the wrong field is in view ${JSON.stringify(input)}`);
    // (touchable: its top is not under the panel's header)
    assert.ok(err.inView && err.touchable && err.bottom <= input.top && input.top - err.bottom < 24,
      `${full.width}px: its error is wholly in view, right above the field ${JSON.stringify({ err, input })}`);
  }
}));

test('an agent takes the chat while the form is open: the resident is told, keeps what she wrote, and the chat goes on to its end', withSnapshot(() => browser, 'cbform-taken', async () => {
  const page = await browser.newPage();
  const id = await formOverChat(page, TAKEN);
  const dialog = dialogOf(page);
  await fillForm(page, { phone: '06 1234', name: 'Els', note: 'Mijn container is drie weken niet geleegd.' });

  const agent = await AgentSocket.connect((await createAgent([TAKEN.id], 'Anne')).token);
  agents.push(agent);
  await agent.claim(id);
  await dialog.getByText('Anne heeft uw gesprek aangenomen. U kunt nu chatten; er is geen terugbelverzoek gemaakt.', { exact: false }).waitFor();
  const box = page.getByLabel('Uw bericht');
  assert.equal(await box.evaluate((el) => el.getRootNode().activeElement === el), true, 'the focus is in the message box');
  // what she wrote about her question is not lost: it waits in the message box, to send or change
  assert.equal(await box.inputValue(), 'Mijn container is drie weken niet geleegd.');
  await dialog.getByText('Wat u bij "Waar gaat het over?" schreef, staat in het berichtvak.', { exact: false }).waitFor();

  await agent.say(id, 'Goedemiddag, ik kijk het voor u na.');
  await dialog.getByText('Goedemiddag, ik kijk het voor u na.').waitFor();
  await page.getByRole('button', { name: 'Verstuur' }).tap();
  await agent.next((f) => f.type === 'message' && f.conversationId === id && f.from === 'resident' && f.text === 'Mijn container is drie weken niet geleegd.');
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Melding gemaakt' });
  await dialog.getByText('Het gesprek is beëindigd.', { exact: true }).waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('the connection drops while the form is open: sending says so, what was typed stays, and it goes once the connection is back', withSnapshot(() => browser, 'cbform-offline', async () => {
  const page = await browser.newPage();
  await formOverChat(page);
  const dialog = dialogOf(page);
  await fillForm(page, { phone: '06 87654321', name: 'Els', note: 'Over mijn container' });
  await dropNetwork(page);
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).tap();
  // a clear answer: no connection, the details are kept, send again when it is back
  await dialog.getByRole('alert').filter({ hasText: 'Geen verbinding. Uw gegevens staan nog in het formulier; verstuur het opnieuw zodra er weer verbinding is.' }).waitFor();
  assert.deepEqual(await typed(page), { phone: '06 87654321', name: 'Els', note: 'Over mijn container' });

  await restoreNetwork(page, { online: true });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  assert.deepEqual(await typed(page), { phone: '06 87654321', name: 'Els', note: 'Over mijn container' }, 'the form stays as typed');
  await page.getByRole('button', { name: 'Vraag terugbellen aan' }).tap();
  await dialog.getByText('Wij bellen u op 06 87654321.').waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('by keyboard alone: the form in a sensible order, and Escape and reopening bring the focus back to it', withSnapshot(() => browser, 'cbform-keys', async () => {
  const page = await browser.newPage();
  await formOverChat(page);
  const dialog = dialogOf(page);
  assert.equal((await focused(page)).text, 'Terugbelverzoek', 'the form opens at its heading');
  const order = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    order.push(f.tag === 'button' ? f.text : f.tag + (f.id ? '' : ''));
  }
  assert.deepEqual(order.slice(0, 6), ['input', 'input', 'input', 'textarea', 'Vraag terugbellen aan', 'Terug naar de chat'], `tab order: ${order.join(', ')}`);
  await page.getByLabel('Telefoonnummer').focus();
  await page.keyboard.type('06 11223344');

  // Escape closes the panel and returns the focus to the launcher
  await page.keyboard.press('Escape');
  assert.equal((await focused(page)).text.startsWith('Chat met de gemeente'), true, 'focus on the launcher');
  // reopened: the form as it was, with the focus in it
  await page.keyboard.press('Enter');
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  const back = await focused(page);
  assert.ok(back?.inWidget && back.text === 'Terugbelverzoek', `the focus is in the form again: ${JSON.stringify(back)}`);
  assert.equal(await page.getByLabel('Telefoonnummer').inputValue(), '06 11223344');

  // "Terug naar de chat" puts the focus in the message box
  await page.getByRole('button', { name: 'Terug naar de chat' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('Uw bericht').evaluate((el) => el.getRootNode().activeElement === el), true);
  assert.deepEqual(browser.errors, []);
}));

test('on a touch phone each choice of "Wanneer mogen wij bellen?" is a target of at least 44 px high across the row', withSnapshot(() => browser, 'cbform-windows', async () => {
  const page = await browser.newPage();
  await directForm(page);
  const dialog = dialogOf(page);
  for (const choice of ['Zo snel mogelijk', "'s Ochtends", "'s Middags"]) {
    // what a finger touches to choose: the label, which checks its radio button
    const box = await dialog.locator('label', { hasText: choice }).boundingBox();
    assert.ok(box.height >= 44 && box.width >= 200, `"${choice}" is ${Math.round(box.width)}×${Math.round(box.height)} px`);
  }
  // a tap beside the words, still in the row, chooses it
  const row = await dialog.locator('label', { hasText: "'s Middags" }).boundingBox();
  await page.touchscreen.tap(row.x + row.width - 20, row.y + row.height - 4);
  assert.equal(await page.getByLabel("'s Middags").isChecked(), true, "a tap near the row's lower edge chooses 's Middags");
  await page.close();
}));

test('on a touch phone (390×844 and 360×640), a wrong or missing number brings the field into view with its label and error, none under the header', withSnapshot(() => browser, 'cbform-label', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 360, height: 640 }]) {
    const phone = await launch(viewport, { touch: true, scale: 2 });
    try {
      await handOnSockets(phone.context);
      const page = await phone.newPage();
      await directForm(page);
      for (const number of ['', '12345']) {
        await page.getByLabel('Telefoonnummer').fill(number);
        const submit = page.getByRole('button', { name: 'Vraag terugbellen aan' });
        await submit.scrollIntoViewIfNeeded();
        await submit.tap();
        await page.waitForFunction((n) => {
          const root = document.getElementById('loket-widget').shadowRoot;
          const input = root.querySelector('form.callback input[type=tel]');
          const error = root.querySelector('form.callback .field .error:not(:empty)');
          // the service's answer for a number, the form's own for none; focus on the field
          return input.getAttribute('aria-invalid') === 'true' && error && root.activeElement === input && (n === '' || /geldig/.test(error.textContent));
        }, number);
        // what the resident sees: the label, the error and the field wholly between the header and the panel's bottom
        const seen = await page.evaluate(() => {
          const root = document.getElementById('loket-widget').shadowRoot;
          const input = root.querySelector('form.callback input[type=tel]');
          const head = root.querySelector('.head').getBoundingClientRect();
          const body = root.querySelector('.body').getBoundingClientRect();
          const top = Math.max(head.bottom, body.top);
          const bottom = Math.min(body.bottom, innerHeight);
          const where = (el) => {
            const r = el.getBoundingClientRect();
            return r.top >= top - 1 && r.bottom <= bottom + 1 ? 'in view' : `${Math.round(r.top)}–${Math.round(r.bottom)} outside ${Math.round(top)}–${Math.round(bottom)}`;
          };
          return {
            label: where(root.querySelector(`label[for="${input.id}"]`)),
            error: where(root.querySelector('form.callback .field .error:not(:empty)')),
            field: where(input),
          };
        });
        assert.deepEqual(seen, { label: 'in view', error: 'in view', field: 'in view' }, `${viewport.width}×${viewport.height}, number "${number}"`);
      }
      await page.screenshot({ path: new URL(`../test-results/cbform-label-${viewport.width}x${viewport.height}.png`, import.meta.url).pathname });
    } finally {
      await phone.close();
    }
  }
}));
