// What a walk as agent, team lead and administrator left open, against the stand-in
// (e2e/stand-in.mjs): free capacity counted honestly on both boards, a past closed day still
// shown to the administrator, past conversations found by conversation id or resident name.
// Runs first of the stand-in files and changes nothing the others read.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeScan, launchBrowser, logIn } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
const JAN = 'c0ffee00-0000-4000-8000-000000000001';
let chrome;

async function login(username) {
  return logIn(chrome.browser, username, PASSWORD, { timeout: 10_000 });
}

async function noA11yIssues(page, name) {
  const all = await axeScan(page, name, { all: true });
  assert.deepEqual(all, [], `axe: violations on ${name}: ${JSON.stringify(all, null, 2)}`);
}

const section = (page, name) => page.getByRole('button', { name, exact: true });

describe('gaps found on the staff walk, against the stand-in', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('team lead and agent: a colleague who is available but full is no free capacity', async () => {
    // the stand-in's board: Rijbewijs has one available colleague, at the maximum; Paspoort one with room
    const { page, context, errors } = await login('sara');
    await page.getByRole('button', { name: 'Teamleider', exact: true }).click();
    const table = page.locator('section[aria-labelledby="live-title"] table');
    const heads = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(heads.slice(5, 8), ['Beschikbaar (vrije plek)', 'Afwezig', 'Vol']);
    const cells = async (topic) => (await table.locator(`tr[data-topic="${topic}"] td`).allInnerTexts()).slice(4, 7);
    await page.locator('section[aria-labelledby="live-title"] tr[data-topic="rijbewijs"]').getByText('2').first().waitFor();
    assert.deepEqual(await cells('rijbewijs'), ['0', '1', '1'], 'free, away, full');
    assert.deepEqual(await cells('paspoort-id'), ['1', '0', '0'], 'free, away, full');
    await page.getByText('Beschikbaar (vrije plek): online, niet afwezig en met ruimte voor nog een gesprek.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'English' }).click();
    assert.deepEqual((await table.locator('thead th').allInnerTexts()).slice(5, 8), ['Available (free slot)', 'Away', 'At capacity']);
    await page.getByRole('button', { name: 'Nederlands' }).click();

    // the agent's board says the same: no colleague with room on Rijbewijs
    await page.getByRole('button', { name: 'Gesprekken', exact: true }).click();
    const card = page.locator('.board-card[data-topic="rijbewijs"]');
    await card.waitFor();
    assert.equal(await card.locator('dt', { hasText: 'Collega’s met een vrije plek' }).count(), 1);
    assert.equal(await card.locator('div', { has: page.locator('dt', { hasText: 'Collega’s met een vrije plek' }) }).locator('dd').innerText(), '0');
    assert.equal(
      await page.locator('.board-card[data-topic="paspoort-id"] div', { has: page.locator('dt', { hasText: 'Collega’s met een vrije plek' }) }).locator('dd').innerText(),
      '1',
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('administrator: a closed day that has passed stays in sight, under Verleden', async () => {
    // the stand-in's Paspoort was closed ten days ago and will be in thirty
    const { page, context, errors } = await login('admin');
    await section(page, 'Onderwerpen').click();
    const row = page.locator('tr[data-topic="paspoort-id"]');
    await row.waitFor();
    const past = row.locator('.closed-past');
    await past.waitFor();
    assert.match(await past.innerText(), /^Verleden: /);
    assert.equal(await row.locator('.closed-upcoming').count(), 1);

    await row.getByRole('button', { name: 'Bewerken: Paspoort en ID-kaart' }).click();
    const dialog = page.getByRole('dialog', { name: 'Onderwerp bewerken: Paspoort en ID-kaart' });
    const upcoming = dialog.getByRole('list', { name: 'Komende gesloten dagen' });
    const gone = dialog.getByRole('list', { name: 'Verleden' });
    assert.equal(await upcoming.getByRole('listitem').count(), 1);
    assert.equal(await gone.getByRole('listitem').count(), 1);
    // a past day can still be removed, as an upcoming one
    await gone.getByRole('button', { name: /^Verwijderen: / }).waitFor();
    await noA11yIssues(page, 'admin-topic-past-closed');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('administrator: each topic\'s opening hours in the list, every column in view at 1024×700', async () => {
    // the stand-in's Paspoort: Monday to Thursday 08:30–17:00, Friday to 12:00, closed at the weekend
    const { page, context, errors } = await logIn(chrome.browser, 'admin', PASSWORD, { timeout: 10_000, viewport: { width: 1024, height: 700 } });
    await section(page, 'Onderwerpen').click();
    const table = page.locator('.topics-table');
    const row = table.locator('tr[data-topic="paspoort-id"]');
    await row.waitFor();
    const heads = await table.locator('thead th').allInnerTexts();
    const column = heads.indexOf('Openingstijden');
    assert.ok(column >= 0, `an Openingstijden column among ${heads.join(' | ')}`);
    // the row's cells after its heading cell (the topic's name, a th)
    const cells = await row.locator(':scope > *').allInnerTexts();
    assert.equal(cells[column], 'ma–do 08:30–17:00\nvr 08:30–12:00\nza–zo gesloten');
    // a run of days reads on one line: "ma–do 08:30–" above "17:00" is misread
    const broken = await table.locator(`tbody tr > :nth-child(${column + 1}) > div`).evaluateAll((lines) =>
      lines.filter((line) => {
        const text = document.createRange();
        text.selectNodeContents(line);
        return new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      }).map((line) => line.textContent),
    );
    assert.deepEqual(broken, [], 'runs of days broken over two lines');
    const cut = await table.evaluate((t) => {
      const box = t.closest('.table-scroll').getBoundingClientRect();
      return [...t.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().right > box.right + 0.5).map((th) => th.textContent);
    });
    assert.deepEqual(cut, [], 'columns cut off at the right edge');
    await noA11yIssues(page, 'admin-topics-hours');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('team lead: finds a past conversation by its id, whatever its day, and by the resident’s name', async () => {
    const { page, context, errors } = await login('sara');
    await page.getByRole('button', { name: 'Teamleider', exact: true }).click();
    await section(page, 'Eerdere gesprekken').click();

    // not an id: said beside the field, which gets the focus; nothing is asked
    await page.getByLabel('Gesprek-id (optioneel)').fill('12345');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.locator('#history-conversationId-error').getByText('Vul een gesprek-id in').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'history-conversationId');

    // the id from a CRM record, pasted with a space: the period does not count
    await page.getByLabel('Gesprek-id (optioneel)').fill(' ' + JAN.toUpperCase());
    const [byId] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/conversations/search')),
      page.getByRole('button', { name: 'Zoeken', exact: true }).click(),
    ]);
    const asked = new URL(byId.url()).searchParams;
    assert.equal(asked.get('conversationId'), JAN.toUpperCase());
    assert.equal(asked.get('from'), null, 'an id is found on any day');
    await page.getByText('1 gesprek gevonden.').waitFor();
    await page.getByRole('button', { name: /^Bekijken: gesprek met Jan/ }).waitFor();

    // by part of the name, within the period
    await page.getByLabel('Gesprek-id (optioneel)').fill('');
    await page.getByLabel('Naam inwoner (optioneel)').fill('ja');
    const [byName] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/conversations/search')),
      page.getByRole('button', { name: 'Zoeken', exact: true }).click(),
    ]);
    const named = new URL(byName.url()).searchParams;
    assert.equal(named.get('residentName'), 'ja');
    assert.ok(named.get('from'), 'a name is searched within the period');
    await page.getByText('1 gesprek gevonden.').waitFor();
    await page.getByLabel('Naam inwoner (optioneel)').fill('Piet');
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.getByText('0 gesprekken gevonden.').waitFor();
    await noA11yIssues(page, 'sup-history-by-id');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
