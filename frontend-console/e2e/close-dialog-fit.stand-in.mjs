// The close form on a low screen, in Chromium against the stand-in (e2e/stand-in.mjs): an agent
// with a conversation open presses Afsluiten at 1024×600 and 1280×650. The form (outcome, summary,
// confidential) is a native modal dialog, centred on the screen and not inside the conversation's
// panel, at most 92% of the screen high and scrolling within itself beyond that (style.css,
// dialog.modal). At these sizes it fits whole: every field, Annuleren and Afsluiten in view and
// within the dialog's own box, without scrolling it, whether the page is at its top or scrolled
// down to Verstuur, in Dutch and in English. It was so when this test was written; the test keeps
// it so. Run with `npm run e2e:stand-in` (alone: `node e2e/run-stand-in.mjs close-dialog`).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, logIn, screenshot } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** The dialog's box and, for each of its fields and buttons, whether it lies wholly within both the dialog's visible area and the screen. */
function fit(page) {
  return page.evaluate(() => {
    const dialog = document.querySelector('dialog[open]');
    const d = dialog.getBoundingClientRect();
    // the dialog's visible area: its box less its border (what scrolls inside it shows only there)
    const inner = { top: d.top + dialog.clientTop, bottom: d.top + dialog.clientTop + dialog.clientHeight };
    const parts = [...dialog.querySelectorAll('fieldset, textarea, input[type="checkbox"], .dialog-actions button')].map((e) => {
      const r = e.getBoundingClientRect();
      const name = (e.textContent || e.getAttribute('aria-label') || e.id || e.tagName).trim().slice(0, 30) || e.tagName;
      const seen = r.top >= Math.max(0, inner.top) - 0.5 && r.bottom <= Math.min(innerHeight, inner.bottom) + 0.5 && r.left >= d.left - 0.5 && r.right <= d.right + 0.5;
      return { name, top: Math.round(r.top), bottom: Math.round(r.bottom), seen };
    });
    return {
      innerHeight,
      dialog: { top: Math.round(d.top), bottom: Math.round(d.bottom), scrollHeight: dialog.scrollHeight, clientHeight: dialog.clientHeight },
      parts,
    };
  });
}

describe('the close form fits a low screen', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  for (const viewport of [
    { width: 1024, height: 600 },
    { width: 1280, height: 650 },
  ]) {
    it(`at ${viewport.width}×${viewport.height}: the close form's fields, Annuleren and Afsluiten in view and inside it`, async () => {
      const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, {
        viewport,
        timeout: 10_000,
        ready: (p) => p.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor(),
      });
      const cases = [
        { lang: 'nl', scrolled: false, title: 'Gesprek afsluiten', open: 'Afsluiten', cancel: 'Annuleren', confirm: 'Afsluiten' },
        { lang: 'nl', scrolled: true, title: 'Gesprek afsluiten', open: 'Afsluiten', cancel: 'Annuleren', confirm: 'Afsluiten' },
        { lang: 'en', scrolled: true, title: 'Close conversation', open: 'Close', cancel: 'Cancel', confirm: 'Close' },
      ];
      for (const c of cases) {
        if (c.lang === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') {
          await page.getByRole('button', { name: 'Switch to English' }).click();
          await page.getByRole('heading', { name: 'Conversation with Lotte' }).waitFor();
        }
        // the agent scrolled down to the reply box, or not
        await page.locator('.composer button[type="submit"]').evaluate((e, scrolled) => (scrolled ? e.scrollIntoView({ block: 'end' }) : scrollTo(0, 0)), c.scrolled);
        await page.locator('.panel-actions').getByRole('button', { name: c.open, exact: true }).click();
        const dialog = page.getByRole('dialog', { name: c.title });
        await dialog.waitFor();
        const measured = await fit(page);
        const label = `${c.lang}, page ${c.scrolled ? 'scrolled to Verstuur' : 'at its top'}: ${JSON.stringify(measured)}`;
        assert.ok(measured.dialog.top >= 0 && measured.dialog.bottom <= measured.innerHeight, `the dialog within the screen, ${label}`);
        assert.ok(measured.dialog.scrollHeight <= measured.dialog.clientHeight, `the form fits without scrolling it, ${label}`);
        assert.ok(measured.parts.length >= 5, `fieldset, summary, checkbox and both buttons measured, ${label}`);
        assert.deepEqual(measured.parts.filter((p) => !p.seen).map((p) => p.name), [], `out of view or outside the dialog, ${label}`);
        // both take a click where they are (Playwright's trial click fails when something else would
        // receive it), looked for in the form's foot; the × of the dialog ("Sluiten", "Close window")
        // must not be taken for the form's Afsluiten / Close
        assert.equal(await dialog.getByRole('button', { name: c.confirm, exact: true }).count(), 1, `one button named ${c.confirm}, ${label}`);
        const actions = dialog.locator('.dialog-actions');
        await actions.getByRole('button', { name: c.confirm, exact: true }).click({ trial: true, timeout: 3000 });
        await actions.getByRole('button', { name: c.cancel, exact: true }).click({ trial: true, timeout: 3000 });
        if (!c.scrolled) await screenshot(page, `close-dialog-fit-${viewport.width}x${viewport.height}`);
        await actions.getByRole('button', { name: c.cancel, exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
