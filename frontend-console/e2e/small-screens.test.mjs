// The console on a small laptop screen (1024×700): what a walk through it found cut off.
// Part of `npm run e2e`; alone: `npm run e2e -- e2e/small-screens.test.mjs`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser, launchBrowser, logIn, tokenFor } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-789';
const SMALL = { width: 1024, height: 700 };
// a service that is already running (LOKET_BASE_URL) keeps the users of an earlier run
const TESS = 'small-tess-' + Date.now().toString(36);

let chrome;

describe('the console at 1024×700', { timeout: 120_000 }, () => {
  before(async () => {
    const admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    await createUser(admin, { username: TESS, displayName: 'Tess', password: PASSWORD, roles: ['supervisor', 'agent'], topics: ['paspoort-id'] });
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
  });

  it('the team lead sees every column of "Wachtrijen nu", Capaciteit included, without scrolling sideways', async () => {
    const { page, context } = await logIn(chrome.browser, TESS, PASSWORD, { viewport: SMALL });
    await page.getByRole('navigation', { name: 'Onderdelen' }).getByRole('button', { name: 'Teamleider', exact: true }).click();
    const table = page.locator('.live-table');
    await table.locator('tbody tr').first().waitFor();
    const seen = await table.evaluate((t) => {
      const box = t.closest('.table-scroll').getBoundingClientRect();
      return [...t.querySelectorAll('thead th')].map((th) => {
        const r = th.getBoundingClientRect();
        return { text: th.textContent, cut: r.right > box.right + 0.5 };
      });
    });
    assert.deepEqual(seen.filter((c) => c.cut).map((c) => c.text), [], 'columns cut off at the right edge');
    await context.close();
  });
});
