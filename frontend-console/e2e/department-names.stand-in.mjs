// A name two departments share (stored before names were unique), in Chromium against the stand-in
// (e2e/stand-in.mjs): an administrator reads under each of them that one needs another name; a team
// lead, who cannot rename, reads nothing of it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, logIn, screenshot, standIn } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
const LINE = 'Deze naam heeft ook een andere afdeling; geef een van beide een andere naam.';
let chrome;

describe('a department name two departments share', { timeout: 60_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
    await standIn('department-pair', { add: true });
  });
  after(async () => {
    await standIn('department-pair', { add: false });
    await chrome?.close();
  });

  it('asks an administrator, beside both departments, to rename one of them', async () => {
    const { context, page, errors } = await logIn(chrome.browser, 'admin', PASSWORD);
    await page.getByRole('button', { name: 'Afdelingen', exact: true }).click();
    const card = (id) => page.locator(`.dept-card[data-department="${id}"]`);
    await card('burgerzaken').getByText(LINE).waitFor();
    await card('burgerzaken-oud').getByText(LINE).waitFor();
    assert.equal(await card('belastingen').getByText(LINE).count(), 0);
    await screenshot(page, 'department-name-shared');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says nothing of it to a team lead', async () => {
    const { context, page } = await logIn(chrome.browser, 'sara', PASSWORD);
    await page.getByRole('button', { name: 'Afdelingen', exact: true }).click();
    await page.locator('.dept-card[data-department="burgerzaken-oud"]').waitFor();
    assert.equal(await page.getByText(LINE).count(), 0);
    await context.close();
  });
});
