// Where the console's notices sit, in Chromium against the stand-in (e2e/stand-in.mjs): an agent
// with a conversation open and four notices on screen (one long, errors that stay until closed)
// must still see and reach the reply box, its buttons and the waiting list's Kies buttons, at a
// laptop's 1366×768 and in the narrow one-column layout (800×900). Run with `npm run e2e:stand-in`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE, axeScan, launchBrowser, logIn, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

async function post(path, body) {
  const res = await fetch(BASE + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 204);
}
/** An error frame to Anne's console, as the service sends a refusal. */
const refuse = (code, message, ref) => post('/__stand-in/agent-frame', { userId: 'u-anne', frame: { type: 'error', code, message, ...(ref ? { ref } : {}) } });

const started = Date.now() - 10 * 60_000;
const residents = (n) =>
  Array.from({ length: n }, (_, i) => {
    const at = new Date(started + i * 1000).toISOString();
    return { id: `wl-${i}`, topic: 'paspoort-id', residentName: `Bewoner ${i}`, queuedAt: at, waitingSince: at, firstMessage: null };
  });

async function login(viewport) {
  return logIn(chrome.browser, 'anne', PASSWORD, { viewport, timeout: 10_000, ready: async (page) => {
    await page.getByRole('button', { name: 'Volgende gesprek' }).waitFor();
    await page.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor();
  } });
}

const LONG =
  'Doorverbinden is niet gelukt: de afdeling Burgerzaken is op dit moment niet bereikbaar en het gesprek staat nog bij u; ' +
  'probeer het over een paar minuten opnieuw of maak een terugbelverzoek aan zodat de inwoner niet hoeft te wachten.';

/** Whether two boxes share any area. */
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The boxes of every notice and of what the agent works with, in page coordinates (scroll added). */
async function boxes(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height, name: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40) };
    };
    const composer = document.querySelector('.composer');
    return {
      notices: [...document.querySelectorAll('.notices .notice')].map(box),
      work: [
        ...[...composer.querySelectorAll('textarea, button')].map(box),
        ...[...document.querySelectorAll('.waiting-list button')].map(box),
      ],
    };
  });
}

describe('notices never cover what the agent works with', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
    await post('/__stand-in/waiting', { rows: residents(6) });
  });
  after(async () => {
    await post('/__stand-in/waiting', { rows: null });
    await chrome?.close();
  });

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 800, height: 900 },
    { width: 1920, height: 1080 },
    { width: 1024, height: 768 },
  ]) {
    it(`keeps the reply box, its buttons and Kies free and clickable at ${viewport.width}×${viewport.height}`, async () => {
      const { page, context } = await login(viewport);
      await page.locator('.waiting-list button').first().waitFor();
      await refuse('internal', 'Afsluiten is niet gelukt; probeer het opnieuw.', 'leave:live-1');
      await refuse('internal', LONG, 'transfer:live-1');
      await refuse('unavailable', 'Terugbelverzoek is niet opgeslagen.', 'callback:live-1');
      await refuse('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
      await refuse('internal', 'Nog een fout die blijft staan.', 'leave:live-2');
      await page.locator('.notice').filter({ hasText: 'Nog een fout die blijft staan.' }).waitFor();
      await page.waitForTimeout(200);
      assert.equal(await page.locator('.notices .notice').count(), 4, 'four notices, the cap');
      // scroll the reply box into view as an agent would, then measure
      await page.locator('.composer textarea').scrollIntoViewIfNeeded();
      const { notices, work } = await boxes(page);
      assert.ok(notices.length === 4 && work.length >= 3, JSON.stringify({ notices, work }));
      for (const n of notices) for (const w of work) assert.ok(!overlap(n, w), `notice "${n.name}" covers "${w.name}": ${JSON.stringify({ n, w })}`);
      await screenshot(page, `notices-layout-${viewport.width}`);
      // Playwright's click without force fails when another element would receive it
      await page.locator('.composer textarea').fill('Een ogenblik, ik kijk het na.');
      await page.locator('.composer button[type="submit"]').click({ timeout: 3000 });
      await page.locator('.composer textarea').fill('');
      await page.locator('.waiting-list button').first().click({ trial: true, timeout: 3000 });
      assert.deepEqual(await axeScan(page, `notices-layout-${viewport.width}`, { all: true }), []);
      await context.close();
    });
  }
});

describe('a notice that goes by itself waits while the agent is on it', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('stays while the pointer is on it or the focus in it, and goes after the time it had left', async () => {
    const { page, context } = await login({ width: 1366, height: 900 });
    const read = page.locator('.notice').filter({ hasText: 'Bewoner 7 is al aangenomen.' });
    const tabbed = page.locator('.notice').filter({ hasText: 'Er wacht niemand.' });
    await refuse('already_claimed', 'Bewoner 7 is al aangenomen.', 'claim-7');
    await refuse('nothing_waiting', 'Er wacht niemand.');
    await read.waitFor();
    await tabbed.waitFor();
    const t0 = Date.now();
    // 2 s later the agent puts the pointer on one and tabs to the other's close button
    await page.waitForTimeout(2000);
    await read.hover();
    await tabbed.getByRole('button', { name: 'Melding sluiten' }).focus();
    const held = Date.now();
    // well past their 10 s both are still there
    await page.waitForTimeout(Math.max(0, t0 + 14_000 - Date.now()));
    assert.equal(await read.count(), 1, 'the notice under the pointer stays');
    assert.equal(await tabbed.count(), 1, 'the notice with the focus stays');
    // the pointer goes to the reply box, the focus into it: each had about 8 s left
    await page.mouse.move(5, 880);
    await page.locator('.composer textarea').focus();
    const left = Date.now();
    const stillFor = 10_000 - (held - t0) - 1500;
    await page.waitForTimeout(stillFor);
    assert.equal(await read.count(), 1, 'not gone at once when the pointer left');
    assert.equal(await tabbed.count(), 1, 'not gone at once when the focus left');
    await read.waitFor({ state: 'detached', timeout: Math.max(0, left + 10_000 - Date.now()) });
    await tabbed.waitFor({ state: 'detached', timeout: 1000 });
    await context.close();
  });
});
