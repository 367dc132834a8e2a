// The open conversation on a phone, in Chromium against the stand-in (e2e/stand-in.mjs): its panel's
// border goes round all it holds. Capped at the screen's height less the connection banner's band,
// the panel ended above its content: at 390×844 the reply box hung 16 px below the panel's bottom
// edge, at 360×640 the reply box and its buttons lay wholly under it (style.css, one column).
// Alone: `node e2e/run-stand-in.mjs phone-fit` (after `vite build`).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, logIn } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** The panel's border box and those of what it holds (page coordinates, so scrolling does not matter). */
function boxes(page) {
  return page.evaluate(() => {
    const place = (e, what) => {
      const r = e.getBoundingClientRect();
      return { what, top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX, right: r.right + scrollX };
    };
    const panel = document.querySelector('.conversations .panel');
    return {
      panel: place(panel, 'panel'),
      inside: [
        place(panel.querySelector('.panel-head'), 'heading and buttons'),
        place(panel.querySelector('.transcript-box'), 'log'),
        place(panel.querySelector('.composer'), 'reply box'),
        place(panel.querySelector('.composer textarea'), 'Uw bericht'),
        ...[...panel.querySelectorAll('.composer-actions button')].map((b) => place(b, b.textContent.trim())),
      ],
    };
  });
}

describe('on a phone the open conversation holds its reply box', { timeout: 60_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 360, height: 640 },
  ]) {
    it(`at ${viewport.width}×${viewport.height} the reply box, Verstuur and the log lie inside the panel's border`, async () => {
      const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, {
        viewport,
        timeout: 10_000,
        ready: (p) => p.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor(),
      });
      const { panel, inside } = await boxes(page);
      assert.ok(inside.some((b) => b.what === 'Verstuur'), `Verstuur measured: ${JSON.stringify(inside)}`);
      for (const b of inside) {
        // (a fraction of a pixel: sub-pixel rounding of the layout)
        const within = b.top >= panel.top - 0.5 && b.bottom <= panel.bottom + 0.5 && b.left >= panel.left - 0.5 && b.right <= panel.right + 0.5;
        assert.ok(within, `"${b.what}" lies outside the panel (${Math.round(b.bottom - panel.bottom)} px below its bottom edge): ${JSON.stringify({ panel, b })}`);
      }
      // and the agent can scroll down to Verstuur: nothing past the page's end
      const send = page.getByRole('button', { name: 'Verstuur', exact: true });
      await send.evaluate((e) => e.scrollIntoView({ block: 'end' }));
      const seen = await send.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight + 1;
      });
      assert.ok(seen, 'Verstuur in view once scrolled to');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
