// The console's notices (under the header) on a busy day, in Chromium against the stand-in
// (e2e/stand-in.mjs): the server refuses claims while colleagues take residents, and now and then
// something the agent did fails. What the agent sees — each notice for its own time, an error to
// act on until closed, never a pile — and what a screen reader hears: each new notice once.
// Run with `npm run e2e:stand-in`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { standIn, axeScan, launchBrowser, logIn, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** An error frame to Anne's console, as the service sends a refusal. */
async function refuse(code, message, ref) {
  await standIn('agent-frame', { userId: 'u-anne', frame: { type: 'error', code, message, ...(ref ? { ref } : {}) } });
}

async function login(username, locale = 'nl-NL') {
  return logIn(chrome.browser, username, PASSWORD, { locale, timeout: 10_000, ready: async (page) => {
    await page.getByRole('button', { name: 'Volgende gesprek' }).waitFor();
    // the hello has come (with Anne's conversation): her socket is there to send refusals to
    await page.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor();
  } });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The texts of the notices on screen, top to bottom. */
const noticeTexts = (page) => page.locator('.notices .notice').evaluateAll((els) => els.map((e) => e.firstElementChild.textContent.trim()));
/** What the live regions of the page hold that says this text. */
const spokenWith = (page, text) =>
  page.evaluate((t) => [...document.querySelectorAll('[aria-live], [role="alert"], [role="status"], [role="log"]')].filter((e) => e.textContent.includes(t)).length, text);
/**
 * The live region is filled in the render after the notice's own (an effect): wait for it to say
 * `text` (at most 2 s), then count as spokenWith does. Asked at once it raced the render.
 */
const spokenSoon = async (page, text) => {
  await page
    .waitForFunction((t) => [...document.querySelectorAll('[aria-live]')].some((e) => e.textContent.includes(t)), text, { timeout: 2000 })
    .catch(() => {});
  return spokenWith(page, text);
};

describe('notices on a busy day', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('lets each refusal go its own time after it came, while an error to act on stays until closed with the keyboard', async () => {
    const { page, context } = await login('anne');
    const t0 = Date.now();
    await refuse('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
    await refuse('internal', 'Afsluiten is niet gelukt; probeer het opnieuw.', 'leave:live-1');
    await page.locator('.notice').filter({ hasText: 'Afsluiten is niet gelukt' }).waitFor();
    await sleep(3000);
    await refuse('already_claimed', 'Bewoner 2 is al aangenomen.', 'claim-2');
    await sleep(3000);
    await refuse('already_claimed', 'Bewoner 3 is al aangenomen.', 'claim-3');
    // 10 s after it came, Bewoner 1's refusal goes, though others came after it
    await sleep(Math.max(0, t0 + 11_000 - Date.now()));
    assert.deepEqual(await noticeTexts(page), ['Afsluiten is niet gelukt; probeer het opnieuw.', 'Bewoner 2 is al aangenomen.', 'Bewoner 3 is al aangenomen.']);
    await screenshot(page, 'notices-busy');
    // the error to act on is still there after every refusal has gone
    await sleep(Math.max(0, t0 + 17_500 - Date.now()));
    assert.deepEqual(await noticeTexts(page), ['Afsluiten is niet gelukt; probeer het opnieuw.']);

    // the keyboard reaches its close button, Enter closes it, and the focus is not lost
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => !!document.activeElement?.closest('.notice'));
    }
    assert.ok(reached, 'the close button is reached with Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent), 'Melding sluiten');
    await page.keyboard.press('Enter');
    assert.deepEqual(await noticeTexts(page), []);
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY', 'the focus went somewhere, not to the page');
    await context.close();
  });

  it('merges the same refusal repeated into one with a count, and shows at most four', async () => {
    const { page, context } = await login('anne');
    for (let i = 1; i <= 3; i++) await refuse('already_claimed', 'Dit gesprek is al aangenomen.', 'claim-' + i);
    await page.locator('.notice').filter({ hasText: '(3×)' }).waitFor();
    assert.deepEqual(await noticeTexts(page), ['Dit gesprek is al aangenomen.']);
    assert.equal(await page.locator('.notice').count(), 1);
    await refuse('internal', 'Doorverbinden is niet gelukt.', 'leave:live-1');
    for (let i = 1; i <= 5; i++) await refuse('nothing_waiting', `Er wacht niemand (${i}).`);
    await page.locator('.notice').filter({ hasText: 'Er wacht niemand (5).' }).waitFor();
    await page.waitForTimeout(200);
    // four at most; the error to act on is not pushed out by refusals that go by themselves
    assert.deepEqual(await noticeTexts(page), ['Doorverbinden is niet gelukt.', 'Er wacht niemand (3).', 'Er wacht niemand (4).', 'Er wacht niemand (5).']);
    await screenshot(page, 'notices-capped');
    // in English the close button says so
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.getByRole('button', { name: 'Close notice' }).count(), 4);
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await context.close();
  });

  it('never drops an error to act on: with five, it says one more waits, and closing one shows it', async () => {
    const { page, context } = await login('anne');
    for (let i = 1; i <= 5; i++) await refuse('internal', `Afsluiten van gesprek ${i} is niet gelukt.`, 'leave:live-' + i);
    await page.locator('.notice').filter({ hasText: 'Afsluiten van gesprek 5 is niet gelukt.' }).waitFor();
    await page.waitForTimeout(200);
    // the place holds four: the three newest and a line that says two more wait
    assert.deepEqual(await noticeTexts(page), [3, 4, 5].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`));
    assert.match(await page.locator('.notices').innerText(), /\+2 meldingen/);
    await screenshot(page, 'notices-more');
    assert.deepEqual(await axeScan(page, 'notices-more', { all: true }), []);
    await page.locator('.notice').filter({ hasText: 'gesprek 5' }).getByRole('button', { name: 'Melding sluiten' }).click();
    await page.locator('.notice').filter({ hasText: 'gesprek 5' }).waitFor({ state: 'detached' });
    assert.deepEqual(await noticeTexts(page), [1, 2, 3, 4].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`));
    assert.doesNotMatch(await page.locator('.notices').innerText(), /\+\d+ melding/);
    // in English
    for (let i = 6; i <= 7; i++) await refuse('internal', `Closing conversation ${i} failed.`, 'leave:live-' + i);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.notice').filter({ hasText: 'Closing conversation 7 failed.' }).waitFor();
    assert.match(await page.locator('.notices').innerText(), /\+3 notices/);
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await context.close();
  });

  it('has a screen reader hear each new notice, not the old ones again, and passes axe', async () => {
    const { page, context } = await login('anne');
    await refuse('internal', 'Afsluiten is niet gelukt.', 'leave:live-1');
    await page.locator('.notice').filter({ hasText: 'Afsluiten is niet gelukt.' }).waitFor();
    assert.equal(await spokenSoon(page, 'Afsluiten is niet gelukt.'), 1, 'the new notice is in a live region');
    await refuse('already_claimed', 'Dit gesprek is al aangenomen.', 'claim-1');
    await page.locator('.notice').filter({ hasText: 'Dit gesprek is al aangenomen.' }).waitFor();
    // the live region says the new one only; the list of notices on screen is no live region
    assert.equal(await spokenSoon(page, 'Dit gesprek is al aangenomen.'), 1);
    assert.equal(await spokenWith(page, 'Afsluiten is niet gelukt.'), 0, 'the older notice is not said again');
    // the accessibility tree has both notices and their close buttons
    const tree = await page.locator('.notices').ariaSnapshot();
    assert.match(tree, /Afsluiten is niet gelukt\./);
    assert.match(tree, /Dit gesprek is al aangenomen\./);
    assert.equal((tree.match(/button "Melding sluiten"/g) ?? []).length, 2, tree);
    assert.deepEqual(await axeScan(page, 'notices', { all: true }), []);
    await context.close();
  });
});
