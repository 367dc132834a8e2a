// The agent console in a real browser against the running service (agent socket, callbacks, supervisor):
// two agents in two browser contexts, a resident over WebSocket, a callback request, a
// supervisor, a reload mid-chat, and an axe-core scan of every screen.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE, agentBoard, api, axeScan, createUser, dropProxy, launchBrowser, logIn, resident, screenshot, tokenFor, until } from './helpers.mjs';

const CONSOLE = BASE + '/console/';
const PASSWORD = 'geheim-wachtwoord-123';

let chrome;
let admin;
let anne; // { context, page }
let bert;
let jan; // the resident
let integrator;
let keesClient;

async function noSeriousA11yIssues(page, name) {
  const serious = await axeScan(page, name);
  assert.deepEqual(serious, [], `axe: serious or critical violations on ${name}: ${JSON.stringify(serious, null, 2)}`);
}

const login = (username, base = BASE) => logIn(chrome.browser, username, PASSWORD, { base, ready: agentBoard });

const tab = (page, name) => page.getByRole('tab', { name: new RegExp(name) });
const transcript = (page) => page.locator('.panel .transcript');
const residentTexts = () => jan.frames.filter((f) => f.type === 'message').map((f) => f.text);

describe('agent console', { timeout: 200_000 }, () => {
  before(async () => {
    admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    const topics = ['paspoort-id', 'rijbewijs'];
    await createUser(admin, { username: 'anne', displayName: 'Anne', password: PASSWORD, roles: ['agent'], topics });
    await createUser(admin, { username: 'bert', displayName: 'Bert', password: PASSWORD, roles: ['agent'], topics });
    await createUser(admin, { username: 'sara', displayName: 'Sara', password: PASSWORD, roles: ['supervisor'], topics });
    await createUser(admin, { username: 'crm', displayName: 'CRM', password: PASSWORD, roles: ['integrator'], topics: [] });
    integrator = await tokenFor('crm', PASSWORD);
    await api('POST', '/api/v1/admin/canned-replies', {
      token: admin,
      body: { title: 'Afspraak maken', text: 'U kunt online een afspraak maken, {naam}.', topics: ['paspoort-id'], locale: 'nl' },
    });
    chrome = await launchBrowser();
  });

  after(async () => {
    jan?.close();
    await chrome?.close();
  });

  it('serves the console at /console/ and shows an accessible login form', async () => {
    const res = await fetch(CONSOLE);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<div id="app">/);
    const bare = await fetch(BASE + '/console', { redirect: 'manual' });
    console.log(`    GET /console (no slash) → ${bare.status} ${bare.headers.get('location') ?? ''}`);
    const context = await chrome.browser.newContext();
    const page = await context.newPage();
    await page.goto(CONSOLE);
    await page.getByRole('button', { name: 'Inloggen' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.getByLabel('Gebruikersnaam').fill('anne');
    await page.getByLabel('Wachtwoord').fill('fout');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('alert').filter({ hasText: 'onjuist' }).waitFor();
    await screenshot(page, '01-login');
    await noSeriousA11yIssues(page, 'login');
    // the token never shows up in a URL
    assert.ok(!page.url().includes('token'));
    await context.close();
  });

  it('agent A sees a waiting resident on the live board and in the waiting list, and claims the next conversation', async () => {
    const t0 = Date.now();
    const lap = (what) => process.env.E2E_TIMING && console.log(`    ${what}: ${Date.now() - t0} ms`);
    anne = await login('anne');
    lap('anne logged in');
    bert = await login('bert');
    lap('bert logged in');
    jan = await resident('paspoort-id', 'Jan');
    jan.send('Mijn paspoort is verlopen');
    await jan.waitFor((f) => f.type === 'message' && f.from === 'resident', 'echo of own message');

    lap('resident connected');
    const card = anne.page.locator('.board-card[data-topic="paspoort-id"]');
    await until(async () => (await card.locator('.waiting-count').textContent()) === '1', 'board: 1 waiting');
    lap('board shows 1');
    // the waiting list: who waits, and what they asked first
    await anne.page.locator('.waiting-list li', { hasText: 'Jan' }).getByText('Mijn paspoort is verlopen').waitFor();
    lap('waiting list');
    await screenshot(anne.page, '02-board-waiting');
    await noSeriousA11yIssues(anne.page, 'console-queue');

    await anne.page.getByRole('button', { name: 'Volgende gesprek' }).click();
    await tab(anne.page, 'Jan').waitFor();
    await transcript(anne.page).getByText('Mijn paspoort is verlopen').waitFor();
    await jan.waitFor((f) => f.type === 'state' && f.state === 'active' && f.agentName === 'Anne', 'state active with Anne');
    await until(async () => (await card.locator('.waiting-count').textContent()) === '0', 'board: 0 waiting');
  });

  it('chats both ways, shows typing, and renders message text as text, never as HTML', async () => {
    const { page } = anne;
    const box = page.getByLabel('Uw bericht');
    await box.click();
    await box.pressSequentially('Goedemorgen Jan', { delay: 10 });
    await jan.waitFor((f) => f.type === 'typing' && f.from === 'agent', 'agent typing');
    await box.press('Enter');
    await jan.waitFor((f) => f.type === 'message' && f.from === 'agent' && f.text === 'Goedemorgen Jan', 'agent message');
    await transcript(page).locator('.msg-agent', { hasText: 'Goedemorgen Jan' }).waitFor();
    assert.equal(await box.inputValue(), '');

    jan.typing();
    await page.getByText('Jan typt…').waitFor();
    const html = '<img src=x onerror="window.__pwned=1"><b>vet</b> & zo';
    jan.send(html);
    await transcript(page).getByText(html, { exact: true }).waitFor();
    assert.equal(await transcript(page).locator('img, b').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  it('writes an internal note that looks different and that the resident never receives', async () => {
    const { page } = anne;
    await page.getByLabel('Uw bericht').fill('Klant heeft ook een vraag over zijn rijbewijs');
    await page.getByRole('button', { name: 'Notitie', exact: true }).click();
    const note = transcript(page).locator('.msg-note[data-seq]', { hasText: 'Klant heeft ook een vraag over zijn rijbewijs' });
    await note.waitFor();
    assert.match(await note.textContent(), /Interne notitie/);
    assert.match(await note.textContent(), /niet zichtbaar voor de inwoner/);
  });

  it('inserts a canned reply with the "/" shortcut', async () => {
    const { page } = anne;
    const box = page.getByLabel('Uw bericht');
    await box.click();
    await box.pressSequentially('/afspr', { delay: 20 });
    await page.getByRole('option', { name: /Afspraak maken/ }).waitFor();
    await box.press('Enter');
    assert.equal(await box.inputValue(), 'U kunt online een afspraak maken, Jan.');
    await box.press('Enter');
    await jan.waitFor((f) => f.type === 'message' && f.text === 'U kunt online een afspraak maken, Jan.', 'canned reply');
  });

  it('restores everything after a page reload mid-chat: login, conversation, messages, note and draft', async () => {
    const { page } = anne;
    await page.getByLabel('Uw bericht').fill('Een half getypt antwoord');
    await page.reload();
    await tab(page, 'Jan').waitFor();
    assert.equal(await page.getByLabel('Gebruikersnaam').count(), 0, 'still logged in');
    const log = transcript(page);
    await log.getByText('Mijn paspoort is verlopen').waitFor();
    await log.getByText('Goedemorgen Jan').waitFor();
    await log.locator('.msg-note', { hasText: 'rijbewijs' }).waitFor();
    await log.getByText('U kunt online een afspraak maken, Jan.').waitFor();
    assert.equal(await page.getByLabel('Uw bericht').inputValue(), 'Een half getypt antwoord');
    assert.ok(!page.url().includes('ey'), 'no token in the URL');
    // the conversation stayed with Anne: the resident was never told otherwise
    assert.ok(!jan.frames.some((f) => f.type === 'state' && f.state === 'queued' && jan.frames.indexOf(f) > 1));
    // and chat goes on
    jan.send('Bent u er nog?');
    await log.getByText('Bent u er nog?').waitFor();
    await page.getByLabel('Uw bericht').fill('Ja, ik ben er nog.');
    await page.getByRole('button', { name: 'Verstuur' }).click();
    await jan.waitFor((f) => f.type === 'message' && f.text === 'Ja, ik ben er nog.', 'reply after reload');
    await screenshot(page, '03-conversation');
    await noSeriousA11yIssues(page, 'console-conversation');
  });

  it('transfers the conversation to another topic', async () => {
    const { page } = anne;
    await page.getByRole('button', { name: 'Overdragen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gesprek overdragen' });
    await dialog.waitFor();
    await dialog.getByLabel('Onderwerp', { exact: true }).selectOption('rijbewijs');
    await screenshot(page, '04-transfer-dialog');
    await noSeriousA11yIssues(page, 'transfer-dialog');
    await dialog.getByRole('button', { name: 'Overdragen' }).click();
    await dialog.waitFor({ state: 'detached' });
    await tab(page, 'Jan').waitFor({ state: 'detached' });
    await page.getByText('U heeft geen open gesprekken').waitFor();
    await jan.waitFor((f) => f.type === 'state' && f.state === 'queued', 'back in the queue');
  });

  it('agent B claims the transferred conversation and sees the whole history with the note', async () => {
    const { page } = bert;
    const card = page.locator('.board-card[data-topic="rijbewijs"]');
    await until(async () => (await card.locator('.waiting-count').textContent()) === '1', 'rijbewijs: 1 waiting');
    await page.getByRole('button', { name: 'Neem gesprek: ' + (await card.locator('h3').textContent()) }).click();
    await tab(page, 'Jan').waitFor();
    const log = transcript(page);
    await log.getByText('Mijn paspoort is verlopen').waitFor();
    await log.getByText('Goedemorgen Jan').waitFor();
    await log.locator('.msg-note', { hasText: 'Klant heeft ook een vraag over zijn rijbewijs' }).waitFor();
    await jan.waitFor((f) => f.type === 'state' && f.state === 'active' && f.agentName === 'Bert', 'active with Bert');
    jan.send('Hallo Bert');
    await log.getByText('Hallo Bert').waitFor();
  });

  it('agent B closes with an outcome, a summary and the confidential flag', async () => {
    const { page } = bert;
    await page.getByRole('button', { name: 'Afsluiten' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gesprek afsluiten' });
    await dialog.getByLabel('Doorverwezen').check();
    await dialog.getByLabel('Samenvatting').fill('Verwezen naar het CBR en de online afspraak');
    await dialog.getByLabel(/Vertrouwelijk/).check();
    await screenshot(page, '05-close-dialog');
    await noSeriousA11yIssues(page, 'close-dialog');
    await dialog.getByRole('button', { name: 'Afsluiten' }).click();
    await tab(page, 'Jan').waitFor({ state: 'detached' });
    await jan.waitFor((f) => f.type === 'state' && f.state === 'closed', 'closed');
    const { json } = await api('GET', '/api/v1/conversations/' + jan.id, { token: integrator });
    assert.equal(json.state, 'closed');
    assert.equal(json.outcome, 'referred');
    assert.equal(json.confidential, true);
  });

  it('the resident never received the note', () => {
    assert.ok(residentTexts().length >= 5);
    assert.ok(!residentTexts().some((t) => t.includes('rijbewijs')), JSON.stringify(residentTexts()));
    assert.ok(!jan.frames.some((f) => f.from === 'note'));
  });

  it('a new callback request appears live, is claimed and marked reached', async () => {
    const { page } = anne;
    await page.getByRole('button', { name: /Terugbelverzoeken/ }).click();
    await page.getByRole('heading', { name: 'Open verzoeken' }).waitFor();
    const { json } = await api('POST', '/api/v1/callbacks', {
      body: { topic: 'paspoort-id', phone: '06 12345678', name: 'Piet', window: 'morning', note: 'Over de aanvraag van een ID-kaart' },
      expect: 201,
    });
    // no reload: the `callbacks` event brings it
    const claim = page.getByRole('button', { name: 'Claimen: terugbelverzoek van Piet' });
    await claim.waitFor();
    // the reference the resident was given: an agent finds the request by it when they phone
    assert.match(json.reference, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await page.locator(`tr[data-callback="${json.id}"]`).getByText(`Referentie ${json.reference}`).waitFor();
    await screenshot(page, '06-callbacks-open');
    await noSeriousA11yIssues(page, 'callbacks');
    await claim.click();
    const mine = page.locator('.claimed', { hasText: 'Piet' });
    await mine.waitFor();
    await mine.getByRole('link', { name: /Bel \+31612345678/ }).waitFor();
    await mine.getByLabel('Bereikt').check();
    await mine.getByLabel('Notitie bij de poging').fill('Uitgelegd hoe de aanvraag gaat');
    await screenshot(page, '07-callback-claimed');
    await noSeriousA11yIssues(page, 'callback-claimed');
    await mine.getByRole('button', { name: 'Poging vastleggen' }).click();
    await page.getByText('Poging vastgelegd: Bereikt.').waitFor();
    await mine.waitFor({ state: 'detached' });
    const done = await api('GET', '/api/v1/callbacks/' + json.id, { token: integrator });
    assert.equal(done.json.state, 'done');
    assert.equal(done.json.attempts[0].result, 'reached');
    assert.equal(done.json.attempts[0].note, 'Uitgelegd hoe de aanvraag gaat');
  });

  it('an agent converts a chat into a callback request from the waiting list pick', async () => {
    const { page } = anne;
    await page.getByRole('button', { name: /^Gesprekken/ }).click();
    const marie = await resident('rijbewijs', 'Marie');
    marie.send('Kunt u mij terugbellen?');
    const pick = page.getByRole('button', { name: 'Kies gesprek met Marie' });
    await pick.waitFor();
    await pick.click();
    await tab(page, 'Marie').waitFor();
    await page.getByRole('button', { name: 'Terugbellen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Omzetten naar terugbelverzoek' });
    await dialog.getByLabel('Telefoonnummer').fill('12');
    await dialog.getByRole('button', { name: 'Terugbelverzoek maken' }).click();
    // an invalid number is refused with the server's reason, in the page's language only, by the field
    await dialog.locator('.error').filter({ hasText: 'Vul een geldig nummer in.' }).waitFor();
    assert.equal(await dialog.locator('.error').first().textContent(), 'Vul een geldig nummer in.');
    assert.equal(await dialog.getByLabel('Telefoonnummer').getAttribute('aria-invalid'), 'true');
    await dialog.getByLabel('Telefoonnummer').fill('020 123 4567');
    await dialog.getByLabel('Voorkeur').selectOption('afternoon');
    await dialog.getByRole('button', { name: 'Terugbelverzoek maken' }).click();
    await tab(page, 'Marie').waitFor({ state: 'detached' });
    await marie.waitFor((f) => f.type === 'state' && f.state === 'callback', 'state callback');
    const { json } = await api('GET', '/api/v1/callbacks?state=open&topic=rijbewijs', { token: integrator });
    assert.ok(json.items.some((c) => c.phone === '+31201234567' && c.window === 'afternoon'));
    marie.close();
  });

  it('the supervisor sees agents, all queues and the statistics of the day', async () => {
    const sara = await login('sara');
    const { page } = sara;
    await page.getByRole('button', { name: 'Teamleider' }).click();
    await page.getByRole('heading', { name: 'Medewerkers' }).waitFor();
    const agents = page.locator('section[aria-labelledby="agents-title"] table');
    await agents.getByRole('rowheader', { name: 'Anne' }).waitFor();
    await agents.getByRole('rowheader', { name: 'Bert' }).waitFor();
    await screenshot(page, '08-supervisor');
    await noSeriousA11yIssues(page, 'supervisor');
    await page.getByRole('button', { name: 'Cijfers', exact: true }).click();
    const stats = page.locator('section[aria-labelledby="stats-title"] table');
    const row = stats.getByRole('row', { name: /Paspoort/ });
    await row.waitFor();
    await page.getByRole('button', { name: 'Overzicht', exact: true }).click();
    // the status toggle reaches the server: Anne goes away, the supervisor sees it
    await anne.page.getByLabel('Afwezig').check();
    await page.getByRole('button', { name: 'Vernieuwen' }).count(); // no-op: the table refreshes by itself
    await until(async () => /Afwezig/.test(await agents.getByRole('row', { name: /Anne/ }).textContent()), 'Anne away', 25_000);
    await anne.page.getByLabel('Beschikbaar').check();
    await sara.context.close();
  });

  it('keyboard: Alt+N claims the next conversation, Alt+H lists the shortcuts', async () => {
    const { page } = anne;
    keesClient = await resident('paspoort-id', 'Kees');
    keesClient.send('Hallo');
    const card = page.locator('.board-card[data-topic="paspoort-id"]');
    await until(async () => (await card.locator('.waiting-count').textContent()) === '1', 'board: Kees waiting');
    await page.locator('body').click();
    await page.keyboard.press('Alt+n');
    await tab(page, 'Kees').waitFor();
    await page.keyboard.press('Alt+h');
    const help = page.getByRole('dialog', { name: 'Sneltoetsen' });
    await help.waitFor();
    await noSeriousA11yIssues(page, 'shortcuts-dialog');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('several conversations at once, with unread counts per conversation', async () => {
    const { page } = anne;
    const lotte = await resident('paspoort-id', 'Lotte');
    lotte.send('Vraag over mijn ID-kaart');
    await page.getByRole('button', { name: 'Kies gesprek met Lotte' }).click();
    await tab(page, 'Lotte').waitFor();
    assert.equal(await tab(page, 'Lotte').getAttribute('aria-selected'), 'true');
    const kees = tab(page, 'Kees');
    assert.equal(await kees.getAttribute('aria-selected'), 'false');
    keesClient.send('Hallo? Ik heb nog een vraag');
    keesClient.send('Over mijn paspoort');
    await kees.getByText('2 ongelezen').waitFor();
    await until(async () => /^\(2\)/.test(await page.title()), 'unread count in the title');
    await screenshot(page, '10-two-conversations');
    await noSeriousA11yIssues(page, 'two-conversations');
    await page.keyboard.press('Alt+1');
    await transcript(page).getByText('Over mijn paspoort').waitFor();
    await kees.getByText('ongelezen').waitFor({ state: 'detached' });
    // side by side: every conversation in its own column, each with its own reply box
    await page.getByRole('button', { name: 'Naast elkaar' }).click();
    const keesColumn = page.getByRole('region', { name: /Gesprek met Kees/ });
    const lotteColumn = page.getByRole('region', { name: /Gesprek met Lotte/ });
    await keesColumn.waitFor();
    await lotteColumn.getByLabel('Uw bericht').fill('Een moment, ik zoek het op.');
    await lotteColumn.getByRole('button', { name: 'Verstuur' }).click();
    await lotte.waitFor((f) => f.type === 'message' && f.text === 'Een moment, ik zoek het op.', 'reply from a column');
    await screenshot(page, '11-side-by-side');
    await noSeriousA11yIssues(page, 'side-by-side');
    await page.getByRole('button', { name: 'Naast elkaar' }).click();
    await tab(page, 'Lotte').waitFor();
    lotte.close();
    keesClient.close();
  });


  it('a dropped connection shows a banner, reconnects with back-off and loses nothing', async () => {
    const proxy = await dropProxy(Number(new URL(BASE).port));
    const bertAgain = await login('bert', proxy.url);
    const { page } = bertAgain;
    const lies = await resident('rijbewijs', 'Lies');
    lies.send('Mijn rijbewijs is gestolen');
    const card = page.locator('.board-card[data-topic="rijbewijs"]');
    await until(async () => (await card.locator('.waiting-count').textContent()) === '1', 'board: Lies waiting');
    await page.getByRole('button', { name: 'Volgende gesprek' }).click();
    await tab(page, 'Lies').waitFor();

    proxy.drop();
    await page.getByText(/Verbinding verbroken/).waitFor();
    await screenshot(page, '09-connection-lost');
    // written while offline: kept as pending and sent after the reconnect
    await page.getByLabel('Uw bericht').fill('Heeft u al aangifte gedaan?');
    await page.getByLabel('Uw bericht').press('Enter');
    await transcript(page).locator('.msg-pending', { hasText: 'Heeft u al aangifte gedaan?' }).waitFor();
    lies.send('Ik wacht even');
    await new Promise((r) => setTimeout(r, 1500));
    proxy.restore();

    await page.getByText('Verbinding hersteld.').waitFor({ timeout: 40_000 });
    await transcript(page).getByText('Ik wacht even').waitFor();
    await lies.waitFor((f) => f.type === 'message' && f.from === 'agent' && f.text === 'Heeft u al aangifte gedaan?', 'message written offline');
    await transcript(page).locator('.msg-pending').waitFor({ state: 'detached' });
    assert.equal(lies.frames.filter((f) => f.type === 'message' && f.text === 'Heeft u al aangifte gedaan?').length, 1, 'stored once');
    assert.equal(await tab(page, 'Lies').count(), 1);
    lies.close();
    await bertAgain.context.close();
    await proxy.close();
  });
});
