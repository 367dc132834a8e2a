// What a walk through the console as team lead and administrator found: the keyboard focus after
// a view shortcut, and the audit log in words. Part of `npm run e2e`; alone:
// `npm run e2e -- e2e/staff-walk.test.mjs`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, createUser, launchBrowser, logIn, screenshot, tokenFor, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-456';

let chrome;
let admin;

const login = (username, password = PASSWORD) => logIn(chrome.browser, username, password);

const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()}#${a.id}` : '';
  });

describe('a walk as team lead and administrator', { timeout: 180_000 }, () => {
  before(async () => {
    admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    await createUser(admin, { username: 'walk-tess', displayName: 'Tess', password: PASSWORD, roles: ['supervisor', 'agent'], topics: ['paspoort-id'] });
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
  });

  it('a view shortcut takes the focus along to the view it opens, not to the page body', async () => {
    const { page, context } = await login('walk-tess');
    await page.getByRole('heading', { name: 'Wachtrijen' }).waitFor();
    // the team lead is on a button of the conversations view
    await page.locator('main button:not([disabled])').first().focus();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('main')?.id), 'main');
    await page.keyboard.press('Alt+s');
    await page.getByRole('heading', { name: 'Teamleider' }).waitFor();
    await until(async () => (await focused(page)) === 'main#main', 'the focus on the Teamleider view');
    await page.keyboard.press('Alt+g');
    await page.getByRole('heading', { name: 'Wachtrijen' }).waitFor();
    await until(async () => (await focused(page)) === 'main#main', 'the focus on the conversations view');
    // the next Tab goes on inside the view, not back at the top of the page
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement?.closest('main')?.id ?? '');
    assert.equal(next, 'main', 'Tab after the shortcut stays in the view');
    await context.close();
  });

  it('the audit log says who did what in words, with the code beside it for the filter', async () => {
    // something audited: a team lead's read of the ratings
    const tess = await tokenFor('walk-tess', PASSWORD);
    await api('GET', '/api/v1/ratings?from=2026-01-01&to=2026-01-02', { token: tess });
    await createUser(admin, { username: 'walk-admin', displayName: 'Beheer Twee', password: PASSWORD, roles: ['admin'] });
    const { page, context } = await login('walk-admin');
    await page.getByRole('button', { name: 'Auditlog', exact: true }).click();
    await page.getByLabel('Gebruiker').fill('walk-tess');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    const row = page.locator('table.audit-table tbody tr').first();
    await until(async () => /walk-tess/.test(await row.textContent()), 'the team lead’s read in the log');
    const cells = await row.locator('td').allTextContents();
    await screenshot(page, 'walk-audit-log');
    assert.equal(cells[1], 'Teamleider', 'the role in words');
    assert.match(cells[2], /^Beoordelingen gelezen/, 'the action in words');
    assert.match(cells[2], /read_ratings/, 'and its code, which the filter takes');
    await context.close();
  });
});
