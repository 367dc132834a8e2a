// A held conversation the service could not read at the agent's hello (protocol §5, `later`), as
// the browser shows it after a reload, against the stand-in (e2e/stand-in.mjs): known by its id
// alone while it loads, its draft kept, Terugbellen waiting (Afsluiten and Overdragen usable); then its `assigned` fills it in,
// quietly, for it was the agent's all along.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentBoard, axeScan, launchBrowser, logIn, standIn, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
const ID = 'c0ffee00-0000-4000-8000-0000000000a7';
let chrome;

/**
 * How the presence mark (the dot) inside `where` looks to the eye: its size, shape, border and fill
 * as drawn (computed style), or null when there is none. Two marks that look alike give equal answers.
 */
function dotLook(where) {
  return where.evaluate((root) => {
    const dot = [...root.querySelectorAll('[aria-hidden="true"]')].find((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.width < 20 && !e.textContent.trim();
    });
    if (!dot) return null;
    const s = getComputedStyle(dot);
    const r = dot.getBoundingClientRect();
    return {
      width: Math.round(r.width), height: Math.round(r.height), radius: s.borderTopLeftRadius,
      border: `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderTopColor}`, fill: s.backgroundColor, image: s.backgroundImage,
    };
  });
}

function conversation() {
  const t = new Date(Date.now() - 120_000).toISOString();
  return {
    id: ID, topic: 'rijbewijs', state: 'active', residentName: 'Sanne', queuedAt: t, assignedAt: t, residentOnline: true, confidential: false,
    messages: [
      { seq: 1, from: 'resident', text: 'Mijn rijbewijs is verlopen, wat nu?', sentAt: t },
      { seq: 2, from: 'agent', text: 'Dat regelen we, Sanne.', sentAt: t, agentName: 'Anne' },
    ],
  };
}

describe('a conversation that comes later, against the stand-in', { timeout: 90_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await standIn('later', { userId: 'u-anne', conversation: null }).catch(() => undefined);
    await chrome?.close();
  });

  it('after a reload: shown by its id while it loads, draft kept, Afsluiten usable, Terugbellen waiting; its assigned fills it in, announced as loaded, not as new', async () => {
    const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, { timeout: 10_000, ready: agentBoard });
    // it comes to her first as any transfer does
    await standIn('agent-frame', { userId: 'u-anne', frame: { type: 'assigned', conversation: conversation(), via: 'transfer' } });
    const tab = page.getByRole('tab', { name: /^Sanne/ });
    await tab.click();
    const box = page.getByLabel('Uw bericht', { exact: true });
    await box.fill('Uw nieuwe rijbewijs kunt u');
    // the draft is kept in sessionStorage as it is typed; wait until it is there before reloading
    await until(() => page.evaluate(() => Object.values(sessionStorage).some((v) => v.includes('Uw nieuwe rijbewijs kunt u'))), 'the draft kept');

    // the service cannot read it at the next hello: `later` names it
    await standIn('later', { userId: 'u-anne', conversation: conversation() });
    await page.reload();
    await agentBoard(page);
    const loadingTab = page.getByRole('tab', { name: /^Gesprek wordt geladen/ });
    await loadingTab.click();
    // the screen reader hears it is loading, not that the resident is offline
    const tabName = await loadingTab.evaluate((el) => el.textContent);
    assert.match(tabName, /wordt geladen/);
    assert.doesNotMatch(tabName, /offline/);
    await page.getByRole('heading', { name: /Gesprek wordt geladen/ }).first().waitFor();
    await page.getByText('Dit gesprek wordt nog geladen…').waitFor();
    // whether its resident is online is not known yet: its presence mark, in its tab and its panel,
    // looks like neither an online nor an offline resident's (it showed offline grey), and the panel's
    // words do not say offline
    const loadingLooks = { tab: await dotLook(loadingTab), panel: await dotLook(page.locator('.panel .panel-meta')) };
    const lotteTab = page.getByRole('tab', { name: /^Lotte/ });
    const online = await dotLook(lotteTab);
    await standIn('agent-frame', { userId: 'u-anne', frame: { type: 'presence', conversationId: 'live-1', residentOnline: false } });
    await page.getByRole('tab', { name: /^Lotte.*offline/ }).waitFor();
    const offline = await dotLook(lotteTab);
    await standIn('agent-frame', { userId: 'u-anne', frame: { type: 'presence', conversationId: 'live-1', residentOnline: true } });
    await page.getByRole('tab', { name: /^Lotte.*online/ }).waitFor();
    assert.notDeepEqual(online, offline, 'online and offline look apart (the look is measured)');
    for (const [where, look] of Object.entries(loadingLooks)) {
      assert.ok(look, `a presence mark in its ${where} while it loads`);
      assert.notDeepEqual(look, offline, `its ${where}'s mark does not look offline while it loads: ${JSON.stringify(look)}`);
      assert.notDeepEqual(look, online, `its ${where}'s mark does not look online while it loads: ${JSON.stringify(look)}`);
    }
    const meta = await page.locator('.panel .panel-meta').innerText();
    assert.match(meta, /Nog onbekend of de inwoner online is/);
    assert.doesNotMatch(meta, /offline/);
    // closing and handing on need no read by the console: the server may retry its read for long
    for (const name of ['Overdragen', 'Afsluiten']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).isEnabled(), true, `${name} usable while it loads`);
    }
    assert.equal(await page.getByRole('button', { name: 'Terugbellen', exact: true }).isDisabled(), true, 'Terugbellen waits while it loads');
    // the close dialog of a conversation known by its id alone (no topic, no name) opens and asks as usual
    await page.getByRole('button', { name: 'Afsluiten', exact: true }).click();
    const closing = page.getByRole('dialog', { name: 'Gesprek afsluiten' });
    await closing.waitFor();
    await closing.getByRole('radio').first().waitFor();
    await closing.getByRole('button', { name: 'Annuleren' }).click();
    await closing.waitFor({ state: 'detached' });
    assert.equal(await box.inputValue(), 'Uw nieuwe rijbewijs kunt u', 'the draft waits for it');
    assert.equal(await page.getByText('Mijn rijbewijs is verlopen, wat nu?').count(), 0, 'no history yet');
    const quiet = await axeScan(page, 'later-loading');
    assert.deepEqual(quiet, [], `axe while loading: ${JSON.stringify(quiet, null, 2)}`);

    // the service can read it again: its assigned comes, with its history
    // the console's announcements: the polite region just before <main> (the notices have their own)
    const spoken = page.locator('div.sr-only[aria-live="polite"]:has(+ main#main)');
    assert.equal(await spoken.count(), 1);
    const before = (await spoken.innerText()).trim();
    await standIn('later-arrives', { userId: 'u-anne' });
    await page.getByText('Mijn rijbewijs is verlopen, wat nu?').waitFor();
    await page.getByText('Dat regelen we, Sanne.').waitFor();
    await page.getByRole('tab', { name: /^Sanne/ }).waitFor();
    assert.equal(await page.getByText('Dit gesprek wordt nog geladen…').count(), 0);
    // its data says the resident is online: the marks say so now
    assert.deepEqual(await dotLook(page.getByRole('tab', { name: /^Sanne/ })), online, 'its tab shows online once it came');
    assert.deepEqual(await dotLook(page.locator('.panel .panel-meta')), online, 'its panel shows online once it came');
    assert.match(await page.locator('.panel .panel-meta').innerText(), /Inwoner is online/);
    assert.equal(await box.inputValue(), 'Uw nieuwe rijbewijs kunt u', 'the draft is still in the box');
    for (const name of ['Overdragen', 'Terugbellen', 'Afsluiten']) {
      await until(() => page.getByRole('button', { name, exact: true }).isEnabled(), `${name} enabled once it came`);
    }
    // it was hers all along: not "taken in another window", not "transferred to you"
    const said = await until(async () => {
      const now = (await spoken.innerText()).trim();
      return now !== before && now;
    }, 'the announcement');
    assert.equal(said, 'Gesprek geladen: Sanne (Rijbewijs).');
    assert.equal(await page.getByRole('tab', { selected: true }).getAttribute('id'), 'tab-' + ID, 'it stays the one she looks at');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
