// What a walk as administrator through the topic form found, against the stand-in
// (e2e/stand-in.mjs): a closed day picked but not added with "Dag toevoegen" is saved with the
// topic, not dropped; the keyboard focus after adding or removing a period, an alternative or a
// closed day stays in the form; a canned reply made while the list is filtered on a topic is for
// that topic, and one saved outside the filter is shown, not hidden. Leaves the stand-in's topics
// and canned replies as it found them. A disable or a save that moves a row in its sorted list
// leaves the focus on that row's button, not on the row now in its place.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeScan, launchBrowser, logIn } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** An Amsterdam day `offset` days from today, as the date field takes it. */
function day(offset) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(Date.now() + offset * 86_400_000));
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

async function openRijbewijs(page, lang = 'nl') {
  const en = lang === 'en';
  await page.getByRole('button', { name: en ? 'Topics' : 'Onderwerpen', exact: true }).click();
  const row = page.locator('tr[data-topic="rijbewijs"]');
  await row.getByRole('button', { name: en ? 'Edit: Driving licence' : 'Bewerken: Rijbewijs' }).click();
  const dialog = page.getByRole('dialog', { name: en ? 'Edit topic: Driving licence' : 'Onderwerp bewerken: Rijbewijs' });
  await dialog.waitFor();
  return { row, dialog };
}

describe('the administrator’s topic form and canned replies, against the stand-in', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  it('a closed day picked but not added is saved with the topic, in Dutch and English', async () => {
    const { page, context, errors } = await logIn(chrome.browser, 'admin', PASSWORD, { viewport: { width: 1280, height: 800 }, timeout: 10_000 });
    for (const [lang, offset] of [['nl', 40], ['en', 41]]) {
      const en = lang === 'en';
      if (en) await page.getByRole('button', { name: 'English' }).click();
      const { row, dialog } = await openRijbewijs(page, lang);
      // the administrator picks a day and goes straight to Opslaan
      await dialog.getByLabel(en ? 'Date' : 'Datum', { exact: true }).fill(day(offset));
      await dialog.getByRole('button', { name: en ? 'Save' : 'Opslaan', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.locator('.closed-upcoming').waitFor();
      const shown = await row.locator('.closed-upcoming').innerText();
      const expected = new Intl.DateTimeFormat(en ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(day(offset) + 'T12:00:00Z'));
      assert.ok(shown.includes(expected), `the list shows the day picked (${expected}) among the closed days: ${shown}`);

      // and the form has it among the coming closed days
      const again = await openRijbewijs(page, lang);
      const upcoming = again.dialog.getByRole('list', { name: en ? 'Upcoming closed days' : 'Komende gesloten dagen' });
      assert.equal(await upcoming.getByRole('listitem').count(), 1);
      // put the stand-in back as it was
      await upcoming.getByRole('button').click();
      await again.dialog.getByRole('button', { name: en ? 'Save' : 'Opslaan', exact: true }).click();
      await again.dialog.waitFor({ state: 'detached' });
      await row.locator('.closed-upcoming').waitFor({ state: 'detached' });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('canned replies: a new one under a topic filter is for that topic; one saved outside the filter is shown, in Dutch and English', async () => {
    const { page, context, errors } = await logIn(chrome.browser, 'admin', PASSWORD, { viewport: { width: 1024, height: 700 }, timeout: 10_000 });
    for (const lang of ['nl', 'en']) {
      const en = lang === 'en';
      if (en) await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: en ? 'Canned replies' : 'Standaardantwoorden', exact: true }).click();
      const filter = page.getByLabel(en ? 'Topic' : 'Onderwerp', { exact: true });
      await filter.selectOption('rijbewijs');
      const rows = page.locator('section[aria-labelledby="canned-title"] tbody tr');
      await page.getByText(en ? 'No canned replies found.' : 'Geen standaardantwoorden gevonden.').waitFor();

      // made while the list shows Rijbewijs: Rijbewijs is ticked
      await page.getByRole('button', { name: en ? 'New canned reply' : 'Nieuw standaardantwoord' }).click();
      let dialog = page.getByRole('dialog', { name: en ? 'New canned reply' : 'Nieuw standaardantwoord' });
      const rijbewijs = dialog.getByRole('checkbox', { name: en ? 'Driving licence' : 'Rijbewijs' });
      assert.equal(await rijbewijs.isChecked(), true, 'the filtered topic is ticked');
      assert.equal(await dialog.getByRole('checkbox', { name: en ? 'Passport and ID card' : 'Paspoort en ID-kaart' }).isChecked(), false);
      await dialog.getByLabel(en ? 'Title' : 'Titel', { exact: true }).fill('Verlengen ' + lang);
      await dialog.getByLabel(en ? 'Text' : 'Tekst', { exact: true }).fill('U kunt uw rijbewijs online verlengen, {naam}.');
      await dialog.getByRole('button', { name: en ? 'Save' : 'Opslaan', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await rows.filter({ hasText: 'Verlengen ' + lang }).waitFor();
      assert.equal(await filter.inputValue(), 'rijbewijs');

      // a general one (Rijbewijs unticked) is not in the Rijbewijs list: the list then shows every reply
      await page.getByRole('button', { name: en ? 'New canned reply' : 'Nieuw standaardantwoord' }).click();
      dialog = page.getByRole('dialog', { name: en ? 'New canned reply' : 'Nieuw standaardantwoord' });
      await dialog.getByRole('checkbox', { name: en ? 'Driving licence' : 'Rijbewijs' }).uncheck();
      await dialog.getByLabel(en ? 'Title' : 'Titel', { exact: true }).fill('Algemeen ' + lang);
      await dialog.getByLabel(en ? 'Text' : 'Tekst', { exact: true }).fill('Een ogenblik, {naam}.');
      await dialog.getByRole('button', { name: en ? 'Save' : 'Opslaan', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(en ? `Canned reply Algemeen ${lang} saved.` : `Standaardantwoord Algemeen ${lang} opgeslagen.`).waitFor();
      await rows.filter({ hasText: 'Algemeen ' + lang }).waitFor();
      assert.equal(await filter.inputValue(), '', 'the filter shows every reply');
      await rows.filter({ hasText: 'Verlengen ' + lang }).waitFor();

      // put the stand-in back as it was
      for (const title of ['Verlengen ' + lang, 'Algemeen ' + lang]) {
        await page.getByRole('button', { name: (en ? 'Delete: ' : 'Verwijderen: ') + title }).click();
        const confirm = page.getByRole('alertdialog');
        await confirm.getByRole('button', { name: en ? 'Delete' : 'Verwijderen', exact: true }).click();
        await rows.filter({ hasText: title }).waitFor({ state: 'detached' });
        // the row and its button are gone: the focus on Nieuw standaardantwoord, not on the page's body
        await page.waitForFunction(() => document.activeElement?.id === 'canned-new');
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('by keyboard: a disable or a save that moves a row leaves the focus on that row, not on the one now in its place', async () => {
    const { page, context, errors } = await logIn(chrome.browser, 'admin', PASSWORD, { viewport: { width: 1280, height: 800 }, timeout: 10_000 });
    const label = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    const names = () => page.locator('table.users-table tbody th').allInnerTexts();

    // users are listed active first, by name: Anne, disabled, goes to the end
    await page.getByRole('button', { name: 'Gebruikers', exact: true }).click();
    await page.locator('tr[data-user="anne"]').waitFor();
    assert.equal((await names())[0], 'Anne');
    await page.getByRole('button', { name: 'Uitschakelen: Anne' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog', { name: 'Anne uitschakelen?' });
    await confirm.getByRole('button', { name: 'Uitschakelen', exact: true }).focus();
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Inschakelen: Anne' }).waitFor();
    assert.equal((await names()).at(-1), 'Anne');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Inschakelen: Anne');
    // and back, to the top: the stand-in as it was
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog', { name: 'Anne inschakelen?' }).getByRole('button', { name: 'Inschakelen', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Uitschakelen: Anne' }).waitFor();
    assert.equal((await names())[0], 'Anne');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Uitschakelen: Anne');

    // a topic moved up by its order: the focus on its own Bewerken
    await page.getByRole('button', { name: 'Onderwerpen', exact: true }).click();
    const order = () => page.locator('table.topics-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.topic));
    for (const [value, expected] of [['5', ['rijbewijs', 'paspoort-id']], ['20', ['paspoort-id', 'rijbewijs']]]) {
      await page.getByRole('button', { name: 'Bewerken: Rijbewijs' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Onderwerp bewerken: Rijbewijs' });
      await dialog.getByLabel('Volgorde').fill(value);
      await dialog.getByLabel('Volgorde').press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await page.waitForFunction((ids) => [...document.querySelectorAll('table.topics-table tbody tr')].map((r) => r.dataset.topic).join() === ids, expected.join());
      assert.deepEqual(await order(), expected);
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Bewerken: Rijbewijs');
    }
    assert.equal(await label(), 'Bewerken: Rijbewijs');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('by keyboard: after adding or removing a period, an alternative or a closed day the focus stays in the form', async () => {
    const { page, context, errors } = await logIn(chrome.browser, 'admin', PASSWORD, { viewport: { width: 1024, height: 700 }, timeout: 10_000 });
    const { dialog } = await openRijbewijs(page);
    const press = async (name) => {
      await dialog.getByRole('button', { name, exact: true }).focus();
      await page.keyboard.press('Enter');
    };

    // a second period on Monday: the caret goes to its end (its start is where the first ended)
    await press('Periode toevoegen op Maandag');
    await page.waitForFunction(() => document.activeElement?.id === 'h-mon-1-to');
    assert.equal(await dialog.locator('#h-mon-1-from').inputValue(), '17:00');
    await page.keyboard.type('1900');
    assert.equal(await dialog.locator('#h-mon-1-to').inputValue(), '19:00');
    // removed again: the focus goes to Monday's add button, not to the page's body
    await press('Verwijderen: Maandag, periode 2');
    await page.waitForFunction(() => document.activeElement?.id === 'add-period-mon');
    assert.equal(await dialog.locator('#h-mon-1-to').count(), 0);
    // Saturday, closed: its first period starts at its first field
    await press('Periode toevoegen op Zaterdag');
    await page.waitForFunction(() => document.activeElement?.id === 'h-sat-0-from');
    await press('Verwijderen: Zaterdag, periode 1');
    await page.waitForFunction(() => document.activeElement?.id === 'add-period-sat');

    // an alternative: the caret in its Dutch title, then its English title and address by Tab
    await press('Alternatief toevoegen');
    await page.waitForFunction(() => document.activeElement?.id === 'alt-title-0');
    await page.keyboard.type('Online aanvragen');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'alt-title-en-0');
    await press('Verwijderen: alternatief 1');
    await page.waitForFunction(() => document.activeElement?.id === 'alt-add');
    assert.equal(await dialog.locator('#alt-title-0').count(), 0);

    // a closed day added and removed: the focus goes back to the date field
    await press('Vandaag sluiten');
    const chips = dialog.getByRole('list', { name: 'Komende gesloten dagen' });
    await chips.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'closed-new');
    assert.equal(await chips.count(), 0);

    const all = await axeScan(page, 'admin-topic-form-keyboard', { all: true });
    assert.deepEqual(all, [], `axe: ${JSON.stringify(all, null, 2)}`);
    // Escape leaves the form without saving, the focus back on the row's button
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Bewerken: Rijbewijs');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
