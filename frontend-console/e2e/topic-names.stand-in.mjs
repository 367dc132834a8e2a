// The topics' names on the agent's board right after login, in Chromium against the stand-in
// (e2e/stand-in.mjs): the board comes over the socket with topic ids, the names a moment later
// over REST; until they are known the cards showed the ids ("paspoort-id").

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE, launchBrowser, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

describe('topic names on the board', { timeout: 60_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('shows no topic id while the names are on their way, and the names once they come', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
    context.setDefaultTimeout(10_000);
    // the topics' names are held back until the board has been looked at
    let release;
    const held = new Promise((r) => (release = r));
    await context.route('**/api/v1/topics?*', async (route) => {
      await held;
      await route.continue();
    });
    const page = await context.newPage();
    await page.goto(BASE + '/console/');
    await page.getByLabel('Gebruikersnaam').fill('anne');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.locator('.board-card[data-topic="paspoort-id"] h3').waitFor();
    await page.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor();
    // where a topic's name shows: the board's cards, the conversation's tab and heading, the waiting list
    const seen = await page.locator('.board-card h3, .tab-topic, .panel-meta, .waiting-list li .muted').allInnerTexts();
    assert.ok(seen.length >= 4, JSON.stringify(seen));
    assert.ok(seen.every((text) => !/paspoort-id|rijbewijs/.test(text)), 'a topic id on screen: ' + JSON.stringify(seen));
    const labels = await page.locator('main button[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.ok(labels.every((l) => !/paspoort-id|rijbewijs/.test(l)), JSON.stringify(labels));
    await screenshot(page, 'topic-names-pending');
    release();
    await page.locator('.board-card[data-topic="paspoort-id"] h3').filter({ hasText: 'Paspoort en ID-kaart' }).waitFor();
    await page.locator('.board-card[data-topic="rijbewijs"] h3').filter({ hasText: 'Rijbewijs' }).waitFor();
    assert.match(await page.locator('.panel-meta').innerText(), /Paspoort en ID-kaart/);
    await context.close();
  });
});
