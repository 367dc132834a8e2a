// The team lead's Cijfers on a surge day, in Chromium against the stand-in (e2e/stand-in.mjs): the
// median and p90 wait are of the conversations answered, so with hundreds still waiting they look
// far better than the day is. The screen must say whose waits they are, in both languages.
// Run with `npm run e2e:stand-in`.

import { after, before, describe, it } from 'node:test';
import { BASE, launchBrowser } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

describe('the figures on a surge day', { timeout: 60_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('says the waits are of those answered, and that whoever still waits is not in them', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(BASE + '/console/');
    await page.getByLabel('Gebruikersnaam').fill('sara');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('button', { name: 'Teamleider' }).click();
    await page.getByRole('button', { name: 'Cijfers', exact: true }).click();
    await page.getByRole('table', { name: /per onderwerp/i }).or(page.locator('table').first()).first().waitFor();
    await page.getByText('Mediane wachttijd en wachttijd p90: van de aangenomen gesprekken. Wie nog wacht telt daarin niet mee', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Median wait and wait p90: of the conversations answered. Whoever is still waiting is not in them', { exact: false }).waitFor();
    await context.close();
  });
});
