// The new screens (team lead, administration, departments, new password) in Chromium against the
// stand-in of the agreed API (e2e/stand-in.mjs): labels, focus, keyboard, read-back and axe-core
// with no violation of any impact level. Run with `npm run e2e:stand-in`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { BASE, standIn, axeScan, launchBrowser, screenshot } from './helpers.mjs';
import { adminKeyboardWalk } from './walks.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

async function noA11yIssues(page, name) {
  const all = await axeScan(page, name, { all: true });
  assert.deepEqual(all, [], `axe: violations on ${name}: ${JSON.stringify(all, null, 2)}`);
}

async function login(username, { locale = 'nl-NL' } = {}) {
  const context = await chrome.browser.newContext({ viewport: { width: 1366, height: 900 }, locale, acceptDownloads: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + '/console/');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('navigation', { name: 'Onderdelen' }).waitFor();
  return { context, page, errors };
}

/**
 * What `read` says of the focused element, once it matches `expected` (a string or a RegExp), or
 * after 3 s, for the assertion to report. The console moves the focus in an effect or a timer
 * after the render, a frame after the element is on screen: read at once, it was once still on
 * BODY ('BODY' !== 'H1').
 */
async function focused(page, read, expected) {
  const until = Date.now() + 3000;
  for (;;) {
    const got = await page.evaluate(read);
    const ok = expected instanceof RegExp ? expected.test(got ?? '') : got === expected;
    if (ok || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const tabs = (page, label = 'Onderdelen') => page.getByRole('navigation', { name: label }).getByRole('button').allInnerTexts();
const section = (page, name) => page.getByRole('button', { name, exact: true });

describe('new console screens against the stand-in', { timeout: 200_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('shows each role its tabs, in Dutch and in English', async () => {
    const expected = {
      anne: ['Gesprekken', 'Terugbelverzoeken'],
      sara: ['Gesprekken', 'Terugbelverzoeken', 'Teamleider', 'Afdelingen'],
      admin: ['Beheer', 'Afdelingen'],
      dora: ['Afdelingen'],
    };
    for (const [user, names] of Object.entries(expected)) {
      const { page, context, errors } = await login(user);
      const shown = (await tabs(page)).map((t) => t.replace(/\s*:?\s*\d+$/, '').trim());
      assert.deepEqual(shown, names, user);
      if (user === 'sara') {
        await page.getByRole('button', { name: 'English' }).click();
        assert.deepEqual((await tabs(page, 'Sections')).map((t) => t.replace(/\s*:?\s*\d+$/, '').trim()), ['Conversations', 'Callback requests', 'Team lead', 'Departments']);
        await page.getByRole('button', { name: 'Nederlands' }).click();
      }
      if (user === 'admin') {
        await page.getByRole('button', { name: 'English' }).click();
        assert.deepEqual(await tabs(page, 'Sections'), ['Administration', 'Departments']);
        await page.getByRole('button', { name: 'Nederlands' }).click();
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('team lead: live board, agents, capacity flag set and read back, figures, KCM with CSV, past conversations', async () => {
    const { page, context, errors } = await login('sara');
    await page.getByRole('button', { name: 'Teamleider', exact: true }).click();
    const live = page.locator('section[aria-labelledby="live-title"] tr[data-topic="rijbewijs"]');
    await live.getByText('2').first().waitFor(); // callbacks open
    assert.deepEqual((await live.locator('td').allInnerTexts()).slice(4, 7), ['0', '1', '1'], 'available, away, at capacity');
    await noA11yIssues(page, 'sup-overview');

    const form = page.locator('section[aria-labelledby="capacity-title"]');
    await form.getByLabel('Onderwerp').selectOption('paspoort-id');
    await form.getByLabel('Capaciteit krap').check();
    await form.getByLabel('Tot (optioneel)').fill('2020-01-01T10:00');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await form.getByText('Dit tijdstip ligt in het verleden.').waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'capacity-until'), 'capacity-until');
    await noA11yIssues(page, 'sup-capacity-error');
    await form.getByLabel('Tot (optioneel)').fill('');
    await form.getByLabel('Reden (optioneel)').fill('Ziekte in het team');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Opgeslagen: Paspoort en ID-kaart staat op krap.').waitFor();
    const row = form.locator('tr[data-topic="paspoort-id"]');
    await row.getByText('Krap').waitFor();
    await row.getByText('Ziekte in het team').waitFor();
    await page.locator('section[aria-labelledby="live-title"] tr[data-topic="paspoort-id"]').getByText('Krap').waitFor();

    await section(page, 'Cijfers').click();
    await page.getByRole('img', { name: 'Gesprekken per uur' }).waitFor();
    await page.getByRole('img', { name: 'Wachttijd per uur (minuten)' }).waitFor();
    const desc = await page.locator('figure svg desc').first().textContent();
    assert.match(desc, /Drukste uur: 11:00–12:00 \(7 aangeboden\)/);
    await page.getByText('Cijfers per uur als tabel').click();
    const cells = await page.locator('.chart-table').getByRole('row', { name: /^11:00–12:00/ }).locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), ['7', '6', '0']);
    await screenshot(page, 'stand-in-figures');
    await noA11yIssues(page, 'sup-figures');

    await section(page, 'Tevredenheid (KCM)').click();
    await page.getByRole('cell', { name: 'Lang gewacht, maar "goed" geholpen; =ja' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporteren als CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^loket-kcm-alle-onderwerpen-\d{4}-\d{2}-\d{2}-tm-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(csv.includes('"Lang gewacht, maar ""goed"" geholpen; =ja"'), csv);
    await noA11yIssues(page, 'sup-kcm');

    await section(page, 'Eerdere gesprekken').click();
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.getByText('1 gesprek gevonden.').waitFor();
    await noA11yIssues(page, 'sup-history');
    const view = page.getByRole('button', { name: /^Bekijken: gesprek met Jan/ });
    await view.click();
    const dialog = page.getByRole('dialog', { name: 'Gesprek met Jan (alleen lezen)' });
    await dialog.getByText('Verwezen naar de website').waitFor();
    await noA11yIssues(page, 'sup-transcript');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.match(await focused(page, () => document.activeElement?.getAttribute('aria-label') ?? '', /^Bekijken: gesprek met Jan/), /^Bekijken: gesprek met Jan/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('administrator, keyboard only: topics and users, with errors beside the fields', async () => {
    const { page, context, errors } = await login('admin');
    await adminKeyboardWalk(page, noA11yIssues);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('administrator: closes a topic today, sees it closed; erasure asks first; server errors land on their fields', async () => {
    const { page, context } = await login('admin');
    await section(page, 'Onderwerpen').click();
    const row = page.locator('tr[data-topic="rijbewijs"]');
    await row.getByRole('button', { name: 'Bewerken: Rijbewijs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Onderwerp bewerken: Rijbewijs' });
    await dialog.getByRole('button', { name: 'Vandaag sluiten' }).click();
    // a second Friday period starts where the first ends and waits for its end: an error on Friday until then
    await dialog.getByRole('button', { name: 'Periode toevoegen op Vrijdag' }).click();
    await dialog.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('#hours-fri-error').getByText('Vul een tijd in als 08:30.').waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'h-fri-1-from'), 'h-fri-1-from');
    await noA11yIssues(page, 'admin-topic-dialog-errors');
    await dialog.getByRole('button', { name: 'Verwijderen: Vrijdag, periode 2' }).click();
    await dialog.getByRole('button', { name: 'Opslaan' }).click();
    await dialog.waitFor({ state: 'detached' });
    // closed now, in the "Nu" column: the Openingstijden cell beside it says "za–zo gesloten" any day
    const heads = await page.locator('.topics-table thead th').allInnerTexts();
    const now = row.locator(':scope > *').nth(heads.indexOf('Nu'));
    await now.filter({ hasText: /^Gesloten/ }).waitFor();
    await now.getByText(/^opent /).waitFor();

    // the server's field errors land on their field: a user name that exists
    await section(page, 'Gebruikers').click();
    await page.getByRole('button', { name: 'Nieuwe gebruiker' }).click();
    const user = page.getByRole('dialog', { name: 'Nieuwe gebruiker' });
    await user.getByLabel('Gebruikersnaam').fill('anne');
    await user.getByLabel(/^Naam/).fill('Anne Tweede');
    await user.getByLabel('Wachtwoord', { exact: true }).fill('lang-genoeg-wachtwoord');
    await user.getByRole('button', { name: 'Opslaan' }).click();
    await user.locator('#user-username-error').getByText('bestaat al').waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'user-username'), 'user-username');
    await page.keyboard.press('Escape');

    await section(page, 'Verwijderverzoeken').click();
    await page.getByLabel('Gesprek-id').fill('c0ffee00-0000-4000-8000-00000000ffff');
    await page.getByRole('button', { name: 'Verwijderen…' }).first().click();
    const confirm = page.getByRole('alertdialog', { name: 'Definitief verwijderen?' });
    await confirm.waitFor();
    assert.equal(await focused(page, () => document.activeElement?.textContent, 'Annuleren'), 'Annuleren', 'Cancel has the focus first');
    await noA11yIssues(page, 'admin-erasure-confirm');
    await confirm.getByRole('button', { name: 'Definitief verwijderen' }).click();
    await page.locator('#erase-conversation-error').getByText('Dit gesprek bestaat niet.').waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'erase-conversation'), 'erase-conversation', 'the refused field has the focus');
    await page.getByLabel('Gesprek-id').fill('c0ffee00-0000-4000-8000-000000000001');
    await page.getByRole('button', { name: 'Verwijderen…' }).first().click();
    await confirm.getByRole('button', { name: 'Definitief verwijderen' }).click();
    await page.getByText('De persoonsgegevens van gesprek c0ffee00-0000-4000-8000-000000000001 zijn verwijderd.').waitFor();
    // a number is the service's to judge: a short one is asked, and the service's reason shows by the field, in Dutch only
    await page.getByRole('textbox', { name: 'Telefoonnummer' }).fill('06-12');
    await page.getByRole('button', { name: 'Verwijderen…' }).nth(1).click();
    // confirmed before the service has judged it: the admin is told how it is read, and that an invalid one removes nothing
    await confirm.getByText('Zonder landcode leest de dienst het als Nederlands nummer.').waitFor();
    await confirm.getByText(/is het geen geldig nummer, dan wordt niets verwijderd/).waitFor();
    await confirm.getByRole('button', { name: 'Definitief verwijderen' }).click();
    await page.locator('#erase-phone-error').getByText('Vul een geldig nummer in.', { exact: true }).waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'erase-phone'), 'erase-phone', 'the refused field has the focus');
    await page.getByRole('textbox', { name: 'Telefoonnummer' }).fill('+44 20 7946 0958');
    await page.getByRole('button', { name: 'Verwijderen…' }).nth(1).click();
    await confirm.getByRole('button', { name: 'Definitief verwijderen' }).click();
    await page.getByText('2 terugbelverzoeken verwijderd.').waitFor();
    await context.close();
  });

  it('department: places "alleen op afspraak", the agent sees it beside the conversation, the department ends it', async () => {
    const { page, context } = await login('dora');
    await noA11yIssues(page, 'departments');
    await page.getByRole('button', { name: 'Melding plaatsen: Burgerzaken' }).click();
    const dialog = page.getByRole('dialog', { name: 'Melding plaatsen: Burgerzaken' });
    await dialog.getByRole('button', { name: 'Melding plaatsen' }).click();
    await dialog.getByText('Kies een van de mogelijkheden.').waitFor();
    await noA11yIssues(page, 'department-notice-errors');
    await dialog.getByLabel('Alleen op afspraak').check();
    await dialog.getByLabel('Tekst voor medewerkers').fill('Paspoort alleen op afspraak.');
    await dialog.getByLabel('Tekst voor inwoners (optioneel)').fill('Maak een afspraak via de website.');
    await dialog.getByRole('button', { name: 'Melding plaatsen' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Melding voor Burgerzaken geplaatst.').waitFor();
    await page.getByRole('button', { name: 'Geschiedenis tonen: Burgerzaken' }).click();
    await page.locator('.notice-history').getByText('Actueel').waitFor();
    await noA11yIssues(page, 'departments-history');
    // Belastingen is not Dora's: no button to write there
    assert.equal(await page.getByRole('button', { name: 'Melding plaatsen: Belastingen' }).count(), 0);

    const anne = await login('anne');
    const notice = anne.page.locator('.panel .dept-notices');
    await notice.getByText('Burgerzaken: Alleen op afspraak').waitFor();
    await notice.getByText('Paspoort alleen op afspraak.').waitFor();
    await anne.page.locator('.board-card[data-topic="paspoort-id"] .dept-notices').getByText('Burgerzaken: Alleen op afspraak').waitFor();
    await noA11yIssues(anne.page, 'agent-conversation-notice');

    await page.getByRole('button', { name: 'Beëindigen: Alleen op afspraak bij Burgerzaken' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Beëindigen' }).click();
    await page.getByText('Melding van Burgerzaken beëindigd.').waitFor();
    await page.locator('.notice-history').getByText('Beëindigd', { exact: true }).waitFor();
    await anne.page.reload();
    await anne.page.getByRole('tab', { name: /Lotte/ }).waitFor();
    await anne.page.waitForTimeout(500);
    assert.equal(await notice.count(), 0);
    await anne.context.close();
    await context.close();
  });

  it('agent: Overdragen starts on no topic, and a confirm without one says so by the field', async () => {
    // the stand-in gives Anne Lotte's conversation in Paspoort; nothing is transferred here
    const { page, context } = await login('anne');
    await page.getByRole('tab', { name: /Lotte/ }).waitFor();
    await page.getByRole('button', { name: 'Overdragen', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Gesprek overdragen' });
    const select = dialog.getByLabel('Onderwerp', { exact: true });
    assert.equal(await select.evaluate((el) => el.selectedOptions[0].textContent), 'Kies een onderwerp…');
    assert.deepEqual(await select.locator('option').allInnerTexts(), ['Kies een onderwerp…', 'Paspoort en ID-kaart (huidig onderwerp: terug in de wachtrij)', 'Rijbewijs', 'Afval']);
    await dialog.getByRole('button', { name: 'Overdragen', exact: true }).click();
    await dialog.locator('#transfer-topic-error').getByText('Kies een onderwerp.', { exact: true }).waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'transfer-topic'), 'transfer-topic', 'the topic field has the focus');
    await noA11yIssues(page, 'transfer-no-topic');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: /Lotte/ }).waitFor();
    await context.close();
  });

  it('agent: the callback list says its reads are audited, and shows the references of repeats merged into a request', async () => {
    const at = new Date(Date.now() - 20 * 60_000).toISOString();
    const row = { id: 'cb-1', reference: '4K7M-Q2XZ', repeats: [{ id: 'cb-2', reference: 'Z9Y8-X7W6', createdAt: at, state: 'merged', name: 'Jan', window: 'asap', note: null }],
      topic: 'paspoort-id', state: 'open', phone: '+31612345678', name: 'Jan', window: 'asap', note: null, conversationId: null, priorityAt: at, createdAt: at, nextAttemptAt: null, claimedBy: null, attempts: [] };
    const set = (rows) => standIn('callbacks', { rows });
    await set([row]);
    try {
      const { page, context, errors } = await login('anne');
      await page.getByRole('button', { name: /^Terugbelverzoeken/ }).click();
      const list = page.locator('.callbacks-view');
      // an agent asked on the phone for the repeat's reference finds the request by it
      await list.locator('tr[data-callback="cb-1"]').getByText('Referentie 4K7M-Q2XZ, Z9Y8-X7W6').waitFor();
      // the list shows residents' phone numbers: like the transcript, it says that reading it is recorded
      await list.getByText('Dit inzien wordt vastgelegd in het auditlog.').waitFor({ timeout: 5000 });
      await page.getByRole('button', { name: 'English' }).click();
      await list.getByText('Viewing this is recorded in the audit log.').waitFor({ timeout: 5000 });
      await page.getByRole('button', { name: 'Nederlands' }).click();
      await noA11yIssues(page, 'callbacks-audited');
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await set(null);
    }
  });

  it('a user whose password was reset sets a new one at login', async () => {
    const context = await chrome.browser.newContext({ locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(BASE + '/console/');
    await page.getByLabel('Gebruikersnaam').fill('piet');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('heading', { name: 'Nieuw wachtwoord instellen' }).waitFor();
    assert.equal(await focused(page, () => document.activeElement?.tagName, 'H1'), 'H1');
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('iets anders');
    await page.getByRole('button', { name: 'Wachtwoord instellen en inloggen' }).click();
    await page.getByText('Het nieuwe wachtwoord moet anders zijn dan het huidige.').waitFor();
    await page.getByText('De twee wachtwoorden zijn niet gelijk.').waitFor();
    assert.equal(await focused(page, () => document.activeElement?.id, 'new-password'), 'new-password');
    await noA11yIssues(page, 'new-password-errors');
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('mijn-eigen-wachtwoord');
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('mijn-eigen-wachtwoord');
    await page.getByRole('button', { name: 'Wachtwoord instellen en inloggen' }).click();
    await page.getByRole('button', { name: 'Volgende gesprek' }).waitFor();
    await context.close();
  });
});
