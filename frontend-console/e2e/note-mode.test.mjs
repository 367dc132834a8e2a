// The composer's two modes in a real browser against the running service, seen from the
// resident's socket: while the agent writes an internal note the resident must not see
// "Noor typt…" (no `typing` frame reaches them) nor the note; in reply mode they do see typing.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentBoard, axeScan, createUser, launchBrowser, logIn, resident, screenshot, tokenFor, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
const NOTE = 'Inwoner belde eerder al over dit paspoort';
const NOTE_LABEL = 'Interne notitie — niet zichtbaar voor de inwoner';

let chrome;
let noor; // { context, page }
let wim; // the resident
let fien; // a second resident

const agentTyping = (r) => r.frames.filter((f) => f.type === 'typing' && f.from === 'agent');
const transcript = (page) => page.locator('.panel .transcript');
const modeButton = (page, name) => page.locator('.composer').getByRole('button', { name, exact: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const login = (username) => logIn(chrome.browser, username, PASSWORD, { viewport: { width: 1280, height: 900 }, ready: agentBoard });

/**
 * The resident's conversation, picked from the waiting list by its id (others may be waiting too,
 * a resident of the same name from another file among them).
 */
async function pick(page, r, name) {
  await page.locator(`li[data-conversation="${r.id}"]`).getByRole('button', { name: 'Kies gesprek met ' + name }).click();
  await page.getByRole('tab', { name: new RegExp(name) }).waitFor();
  await r.waitFor((f) => f.type === 'state' && f.state === 'active' && f.agentName === 'Noor', `${name} active with Noor`);
}

describe('composer: reply or internal note', { timeout: 120_000 }, () => {
  before(async () => {
    const admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    await createUser(admin, { username: 'nm-noor', displayName: 'Noor', password: PASSWORD, roles: ['agent'], topics: ['paspoort-id'] });
    chrome = await launchBrowser();
    noor = await login('nm-noor');
    wim = await resident('paspoort-id', 'Wim');
    wim.send('Mijn paspoort is kwijt');
    await pick(noor.page, wim, 'Wim');
  });

  after(async () => {
    wim?.close();
    fien?.close();
    await chrome?.close();
  });

  it('in note mode the resident sees no typing and gets no message; the note is saved as a note', async () => {
    const { page } = noor;
    // reply is where every conversation starts
    assert.equal(await modeButton(page, 'Antwoord').getAttribute('aria-pressed'), 'true');
    await modeButton(page, 'Interne notitie').click();
    assert.equal(await modeButton(page, 'Interne notitie').getAttribute('aria-pressed'), 'true');
    assert.equal(await modeButton(page, 'Antwoord').getAttribute('aria-pressed'), 'false');
    // a screen reader hears the change
    await page.locator('.sr-only[aria-live="polite"]').getByText('Interne notitie: niet zichtbaar voor de inwoner', { exact: false }).waitFor();
    // the box says what it is, and so does its button
    const box = page.getByLabel(NOTE_LABEL);
    await page.getByRole('button', { name: 'Notitie opslaan' }).waitFor();
    // slower than the 2 s typing rhythm: in reply mode this would send typing twice or more
    await box.pressSequentially(NOTE, { delay: 110 });
    await screenshot(page, 'note-mode-1280');
    const serious = await axeScan(page, 'note-mode');
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));
    await box.press('Enter');
    const note = transcript(page).locator('.msg-note[data-seq]', { hasText: NOTE });
    await note.waitFor();
    assert.match(await note.textContent(), /Interne notitie/);
    assert.equal(await box.inputValue(), '');
    // after a note the box stays a note: agents often write two
    assert.equal(await modeButton(page, 'Interne notitie').getAttribute('aria-pressed'), 'true');
    // whatever the server relayed would have arrived by now
    await sleep(1500);
    assert.deepEqual(agentTyping(wim), [], 'the resident got a typing frame while the agent wrote a note');
    assert.ok(!wim.frames.some((f) => f.type === 'message' && f.text === NOTE), 'the resident received the note');
  });

  it('back in reply mode the resident sees typing again and gets the message', async () => {
    const { page } = noor;
    await modeButton(page, 'Antwoord').click();
    const box = page.getByLabel('Uw bericht');
    await box.pressSequentially('Dat zoeken we samen uit.', { delay: 20 });
    await wim.waitFor((f) => f.type === 'typing' && f.from === 'agent', 'agent typing in reply mode');
    await screenshot(page, 'reply-mode-1280');
    await box.press('Enter');
    await wim.waitFor((f) => f.type === 'message' && f.from === 'agent' && f.text === 'Dat zoeken we samen uit.', 'the reply');
    assert.ok(!wim.frames.some((f) => f.type === 'message' && f.text === NOTE), 'the resident received the note');
  });

  it('typed as a reply, then switched to a note: the resident stops seeing the agent typing at once', async () => {
    const { page } = noor;
    const box = page.getByLabel('Uw bericht');
    const before = wim.frames.length;
    await box.pressSequentially('Ik kijk even of', { delay: 20 });
    await wim.waitFor((f) => wim.frames.indexOf(f) >= before && f.type === 'typing' && f.from === 'agent', 'agent typing in reply mode');
    await page.keyboard.press('Alt+i');
    await page.getByLabel(NOTE_LABEL).waitFor();
    // the widget would show "Noor typt…" 5 s after the last typing frame; this must come well before
    await wim.waitFor((f) => wim.frames.indexOf(f) >= before && f.type === 'typing_stopped' && f.from === 'agent', 'typing stopped after the switch', 2000);
    // what is typed on in note mode brings no new typing frame
    const stopped = wim.frames.length;
    await page.getByLabel(NOTE_LABEL).pressSequentially(' dit klopt', { delay: 110 });
    await sleep(1000);
    assert.deepEqual(agentTyping({ frames: wim.frames.slice(stopped) }), []);
    // tidy for the next test: an empty box in reply mode
    await page.getByLabel(NOTE_LABEL).fill('');
    await page.keyboard.press('Alt+i');
    await page.getByLabel('Uw bericht').waitFor();
  });

  it('keeps the mode per conversation across a switch and a reload; Alt+I switches it', async () => {
    const { page } = noor;
    fien = await resident('paspoort-id', 'Fien');
    fien.send('Ik wil een ID-kaart aanvragen');
    await pick(page, fien, 'Fien');
    // Fien's conversation starts in reply mode; Alt+I makes it a note and puts the caret in the box
    assert.equal(await modeButton(page, 'Antwoord').getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Alt+i');
    await page.getByLabel(NOTE_LABEL).waitFor();
    await until(() => page.evaluate(() => document.activeElement?.id?.startsWith('reply-')), 'focus in the box');
    await page.keyboard.type('Half');
    // Wim's is still in reply mode, Fien's still a note when the agent comes back
    await page.getByRole('tab', { name: /Wim/ }).click();
    assert.equal(await modeButton(page, 'Antwoord').getAttribute('aria-pressed'), 'true');
    await page.getByRole('tab', { name: /Fien/ }).click();
    assert.equal(await modeButton(page, 'Interne notitie').getAttribute('aria-pressed'), 'true');
    // a reload brings back the draft in the mode it was written in: Enter must not send it to Fien
    await page.reload();
    await page.getByRole('tab', { name: /Fien/ }).click();
    assert.equal(await page.getByLabel(NOTE_LABEL).inputValue(), 'Half');
    await page.getByLabel(NOTE_LABEL).press('Enter');
    await transcript(page).locator('.msg-note[data-seq]', { hasText: 'Half' }).waitFor();
    await sleep(1000);
    assert.deepEqual(agentTyping(fien), []);
    assert.ok(!fien.frames.some((f) => f.type === 'message' && f.text === 'Half'));
    // the narrow screen, both modes
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByLabel(NOTE_LABEL).fill('Een tweede notitie');
    await screenshot(page, 'note-mode-400');
    await page.keyboard.press('Alt+i');
    await page.getByLabel('Uw bericht').waitFor();
    await screenshot(page, 'reply-mode-400');
  });
});
