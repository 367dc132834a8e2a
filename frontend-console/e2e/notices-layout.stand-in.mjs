// Where the console's notices sit, in Chromium against the stand-in (e2e/stand-in.mjs): an agent
// with a conversation open and four notices on screen (one long, errors that stay until closed)
// must still see and reach the reply box, its buttons and the waiting list's Kies buttons, at a
// laptop's 1366×768 and in the narrow one-column layout (800×900). Run with `npm run e2e:stand-in`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { standIn, axeScan, launchBrowser, logIn, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** An error frame to Anne's console, as the service sends a refusal. */
const refuse = (code, message, ref) => standIn('agent-frame', { userId: 'u-anne', frame: { type: 'error', code, message, ...(ref ? { ref } : {}) } });

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
    await standIn('waiting', { rows: residents(6) });
  });
  after(async () => {
    await standIn('waiting', { rows: null });
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

/** Where what the agent works with is on screen (viewport coordinates, as the pointer sees it). */
async function workPlaces(page) {
  return page.evaluate(() => {
    const place = (e) => {
      const r = e.getBoundingClientRect();
      return { what: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40), x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return [
      ...[...document.querySelectorAll('.composer textarea, .composer button')].map(place),
      ...[...document.querySelectorAll('.waiting-list li, .waiting-list button')].map(place),
      ...[...document.querySelectorAll('.next')].map(place),
    ];
  });
}

describe('a notice that comes moves nothing the agent works with', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
    await standIn('waiting', { rows: residents(6) });
  });
  after(async () => {
    await standIn('waiting', { rows: null });
    await chrome?.close();
  });

  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 800, height: 900 },
    { width: 1920, height: 1080 },
    { width: 1024, height: 768 },
  ]) {
    it(`keeps the reply box, Verstuur and the waiting list where they were at ${viewport.width}×${viewport.height}, and a click aimed before lands`, async () => {
      const { page, context } = await login(viewport);
      await page.locator('.waiting-list button').first().waitFor();
      await page.locator('.composer button[type="submit"]').scrollIntoViewIfNeeded();
      await page.locator('.composer textarea').fill('Ik kijk het even voor u na.');
      const before = await workPlaces(page);
      const pageScroll = await page.evaluate(() => scrollY);
      assert.ok(before.filter((b) => b.what === 'Kies' || /Kies/.test(b.what)).length >= 1 && before.length >= 8, JSON.stringify(before));
      const send = before.find((b) => b.what === 'Verstuur');
      assert.ok(send, JSON.stringify(before));
      // the agent aims at Verstuur; the notices come one after another, one long, one to act on
      await page.mouse.move(send.x + send.width / 2, send.y + send.height / 2);
      await refuse('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
      await page.locator('.notice').first().waitFor();
      assert.deepEqual(await workPlaces(page), before, 'one notice moved nothing');
      await refuse('internal', LONG, 'transfer:live-1');
      await refuse('internal', 'Afsluiten is niet gelukt; probeer het opnieuw.', 'leave:live-1');
      await refuse('unavailable', 'Terugbelverzoek is niet opgeslagen.', 'callback:live-1');
      await page.locator('.notice').filter({ hasText: 'Terugbelverzoek is niet opgeslagen.' }).waitFor();
      assert.deepEqual(await workPlaces(page), before, 'four notices moved nothing');
      // the click aimed before they came lands on Verstuur: the reply goes out
      await page.mouse.down();
      await page.mouse.up();
      await page.locator('.msg-pending').filter({ hasText: 'Ik kijk het even voor u na.' }).waitFor({ timeout: 3000 });
      // what is under each place is still what the agent aimed at
      const hits = await page.evaluate((places) => places
        .map((p) => ({ ...p, x: p.x + p.width / 2, y: p.y + Math.min(p.height / 2, 10) }))
        .filter((p) => p.y >= 0 && p.y < innerHeight && p.x >= 0 && p.x < innerWidth)
        .map((p) => ({ what: p.what, free: !document.elementFromPoint(p.x, p.y)?.closest('.notices-slot, .notices') })), before);
      assert.ok(hits.length >= 4 && hits.every((h) => h.free), 'no notice is over what the agent works with: ' + JSON.stringify(hits));
      // and when they go (closed), nothing moves back either
      while ((await page.locator('.notice').count()) > 0) await page.getByRole('button', { name: 'Melding sluiten' }).first().click();
      // (closing scrolled the page up to the notices: compare where things are on the page)
      const scrolled = await page.evaluate(() => scrollY);
      const onPage = (places, dy) => places.map((p) => ({ what: p.what, x: p.x, y: p.y + dy, width: p.width, height: p.height }));
      assert.deepEqual(onPage(await workPlaces(page), scrolled), onPage(before, pageScroll));
      await screenshot(page, `notices-still-${viewport.width}`);
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

  it('stays when it appears under a pointer that rests there, and goes once the pointer has left', async () => {
    const { page, context } = await login({ width: 1366, height: 900 });
    // the pointer rests where the first notice will appear: at the top of the conversation's log, at the left
    const log = await page.locator('.transcript').boundingBox();
    await page.mouse.move(log.x + 150, log.y + 25);
    await page.waitForTimeout(300);
    const resting = page.locator('.notice').filter({ hasText: 'Bewoner 8 is al aangenomen.' });
    await refuse('already_claimed', 'Bewoner 8 is al aangenomen.', 'claim-8');
    await resting.waitFor();
    const t0 = Date.now();
    assert.ok(await page.evaluate(() => document.querySelector('.notice')?.matches(':hover')), 'the notice is under the pointer');
    // well past its 10 s it is still there: the agent is reading it
    await page.waitForTimeout(13_000);
    assert.equal(await resting.count(), 1, 'the notice under the resting pointer stays');
    // the pointer goes to the reply box: it goes after the time it had left (about 10 s)
    await page.mouse.move(5, 880);
    const left = Date.now();
    await page.waitForTimeout(5000);
    assert.equal(await resting.count(), 1, 'not gone at once when the pointer left');
    await resting.waitFor({ state: 'detached', timeout: Math.max(0, left + 10_000 + 1500 - Date.now()) });
    assert.ok(Date.now() - t0 > 14_000);
    await context.close();
  });
});

describe('no empty band under the header on a small laptop', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  for (const viewport of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    it(`at ${viewport.width}×${viewport.height} the open conversation's header and its Afsluiten are in view with Verstuur, no band is kept, and a notice moves no button`, async () => {
      const { page, context } = await login(viewport);
      // nothing but the main area's own padding between the header and the work
      const gap = await page.evaluate(() => document.querySelector('.work').getBoundingClientRect().top - document.querySelector('header.top').getBoundingClientRect().bottom);
      assert.ok(gap <= 17, `an empty band of ${gap}px above the work while there is no notice`);
      await screenshot(page, `no-band-${viewport.width}x${viewport.height}`);
      // the agent types a reply and scrolls down just far enough to see Verstuur: the conversation's name and its buttons are still seen
      await page.locator('.composer textarea').focus();
      await page.locator('.composer button[type="submit"]').evaluate((e) => e.scrollIntoView({ block: 'nearest' }));
      const inView = async (locator) => page.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1; }, await locator.elementHandle());
      assert.ok(await inView(page.getByRole('heading', { name: 'Gesprek met Lotte' })), 'the conversation\'s heading is in view');
      for (const name of ['Overdragen', 'Terugbellen', 'Afsluiten', 'Verstuur']) assert.ok(await inView(page.getByRole('button', { name, exact: true })), `${name} is in view`);
      // a notice comes, and a second one: every button stays where it was, and each is readable in view
      const buttons = () => page.locator('main button').evaluateAll((els) => els.filter((e) => !e.closest('.notices')).map((e) => { const r = e.getBoundingClientRect(); return { what: e.textContent.trim().slice(0, 30), x: r.x, y: r.y, width: r.width, height: r.height }; }));
      const before = await buttons();
      await refuse('internal', 'Afsluiten is niet gelukt; probeer het opnieuw.', 'leave:live-1');
      await refuse('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
      const notice = page.locator('.notice').filter({ hasText: 'Bewoner 1 is al aangenomen.' });
      await notice.waitFor();
      assert.ok(before.length >= 8, JSON.stringify(before));
      const after = await buttons();
      assert.deepEqual(after, before, 'a notice moved a button');
      for (const n of await page.locator('.notice').all()) assert.ok(await inView(n), 'the notice is in view');
      await screenshot(page, `no-band-notices-${viewport.width}x${viewport.height}`);
      await context.close();
    });
  }
});
