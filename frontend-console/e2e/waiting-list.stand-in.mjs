// The agent's waiting list on a surge day, in Chromium against the stand-in (e2e/stand-in.mjs):
// hundreds wait, colleagues take residents off the top every few seconds, and the list is read
// again while the agent aims at a "Kies". What the agent sees: how many the list leaves out, and a
// row that stays under the mouse. Run with `npm run e2e:stand-in`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { standIn, axeScan, launchBrowser, logIn, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

const started = Date.now() - 3_600_000;
/** n residents in queue order, alternating between the agent's two topics. */
const residents = (n) =>
  Array.from({ length: n }, (_, i) => {
    const at = new Date(started + i * 1000).toISOString();
    return { id: `w-${i}`, topic: i % 2 ? 'rijbewijs' : 'paspoort-id', residentName: `Bewoner ${i}`, queuedAt: at, waitingSince: at, firstMessage: null };
  });

async function setWaiting(rows) {
  await standIn('waiting', { rows });
}

async function queueFails(fails) {
  await standIn('queue-fails', { fails });
}

async function login(username, locale = 'nl-NL') {
  return logIn(chrome.browser, username, PASSWORD, { locale, timeout: 10_000,
    ready: (page) => page.getByRole('button', { name: 'Volgende gesprek' }).waitFor() });
}

/** Counts the console's reads of the waiting list. */
function countReads(page) {
  const reads = { n: 0 };
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/queue') reads.n++;
  });
  return reads;
}

async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the waiting list in a surge', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await queueFails(false);
    await setWaiting(null);
    await chrome?.close();
  });

  it('says how many it leaves out when more wait than it shows, in Dutch and English', async () => {
    await setWaiting(residents(250));
    const { page, context } = await login('anne');
    await page.locator('.waiting-list li').nth(199).waitFor();
    assert.equal(await page.locator('.waiting-list li').count(), 200);
    // the board says 250; the list must not look like everyone
    await page.getByText('De 200 die het langst wachten, van 250 wachtenden.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('The 200 who have waited longest, of 250 waiting.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Nederlands' }).click();
    // when all fit, nothing is said
    await setWaiting(residents(20));
    await until(async () => (await page.locator('.waiting-list li').count()) === 20, 'the list of 20');
    assert.equal(await page.getByText('die het langst wachten', { exact: false }).count(), 0);
    await context.close();
  });

  it('keeps the row under the mouse where it is while colleagues take residents above it', async () => {
    let rows = residents(40);
    await setWaiting(rows);
    const { page, context } = await login('anne');
    const reads = countReads(page);
    await page.locator('.waiting-list li[data-conversation="w-39"]').waitFor();
    const aim = page.locator('.waiting-list li[data-conversation="w-3"]').getByRole('button', { name: 'Kies gesprek met Bewoner 3' });
    await aim.scrollIntoViewIfNeeded();
    const box = await aim.boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    const underMouse = () => page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.closest('li')?.dataset.conversation ?? null, [x, y]);
    assert.equal(await underMouse(), 'w-3');

    // two colleagues take Bewoner 0 and 1; a resident joins at the back
    rows = [...rows.slice(2), ...residents(41).slice(40)];
    const before = reads.n;
    await setWaiting(rows);
    await until(() => reads.n > before, 'the list read again after the board changed');
    await page.locator('.waiting-list li[data-conversation="w-40"]').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await underMouse(), 'w-3', 'the row under the mouse is still Bewoner 3');
    // the residents taken stay in their place, marked, and cannot be picked
    const gone = page.locator('.waiting-list li[data-conversation="w-0"]');
    await gone.getByText('Niet meer in de wachtrij', { exact: false }).waitFor();
    assert.equal(await gone.getByRole('button').getAttribute('aria-disabled'), 'true');
    // and look it: not the "claim under way" cursor of a live row
    assert.equal(await gone.getByRole('button').evaluate((b) => getComputedStyle(b).cursor), 'not-allowed');
    await screenshot(page, 'waiting-list-held');
    assert.deepEqual(await axeScan(page, 'waiting-list-held', { all: true }), []);

    // the mouse leaves the list: the residents taken go, the list closes up
    await page.getByRole('heading', { name: 'Wachtrijen' }).hover();
    await until(async () => (await page.locator('.waiting-list li').first().getAttribute('data-conversation')) === 'w-2', 'the list closed up');
    assert.equal(await page.locator('.waiting-list li[data-conversation="w-0"]').count(), 0);
    await context.close();
  });

  it('closes up under a mouse left resting on the list (the agent typing in a chat) after a few seconds', async () => {
    let rows = residents(40);
    await setWaiting(rows);
    const { page, context } = await login('anne');
    await page.locator('.waiting-list li[data-conversation="w-39"]').waitFor();
    await page.locator('.waiting-list li[data-conversation="w-3"]').hover();
    rows = rows.slice(2);
    await setWaiting(rows);
    await page.locator('.waiting-list li[data-conversation="w-0"]').getByText('Niet meer in de wachtrij').waitFor();
    // the mouse does not move: the struck-through rows do not pile up on top for good
    await until(async () => (await page.locator('.waiting-list li').first().getAttribute('data-conversation')) === 'w-2', 'the list closed up', 15_000);
    await context.close();
  });

  it('says a failed read under the rows, so that no Kies moves while the service fails and comes back', async () => {
    await setWaiting(residents(6));
    const { page, context } = await login('anne');
    const list = page.locator('section.waiting');
    const kies = list.locator('li[data-conversation="w-0"]').getByRole('button', { name: 'Kies gesprek met Bewoner 0' });
    await kies.waitFor();
    const before = await kies.boundingBox();
    // the service fails the list's reads while the socket stays up; the agent asks for the list
    await queueFails(true);
    await list.getByRole('button', { name: 'Vernieuwen' }).click();
    const failed = list.getByText(/^Laden mislukt: /);
    await failed.waitFor();
    assert.deepEqual(await kies.boundingBox(), before, 'Kies stays where it was while the read fails');
    // said under the rows, which stay as last read
    const rowsBottom = await list.locator('ol.waiting-list').evaluate((ol) => ol.getBoundingClientRect().bottom);
    assert.ok((await failed.boundingBox()).y >= rowsBottom, 'the failure is said under the rows');
    await screenshot(page, 'waiting-list-read-failed');
    assert.deepEqual(await axeScan(page, 'waiting-list-read-failed', { all: true }), []);
    // back: the line goes at the next read, and Kies has not moved either way
    await queueFails(false);
    await list.getByRole('button', { name: 'Vernieuwen' }).click();
    await failed.waitFor({ state: 'detached' });
    assert.deepEqual(await kies.boundingBox(), before, 'Kies stays where it was once the read works again');
    await context.close();
  });
});
