// The same widget in English, on a page whose script tag says data-lang="en".

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, checkScreen, launch, withSnapshot, asEnglishSite } from './helpers.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('with data-lang="en" every screen speaks English, topic names included', withSnapshot(() => browser, 'english', async () => {
  const page = await browser.newPage();
  await asEnglishSite(page);
  await page.goto(BASE + '/');
  await page.getByRole('button', { name: 'Chat with the municipality' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat with the municipality' });
  await dialog.getByRole('heading', { name: 'What is your question about?' }).waitFor();
  await page.getByRole('button', { name: 'Waste collection', exact: true }).waitFor();
  await dialog.getByText('You can also do this online').first().waitFor();
  // the links Loket starts with have their English titles (V50), not the Dutch ones
  await dialog.getByRole('link', { name: 'Request a bulky waste collection' }).waitFor();
  await dialog.getByRole('link', { name: 'Apply for your driving licence online' }).waitFor();
  assert.equal(await dialog.getByRole('link', { name: 'Grofvuil ophalen aanvragen' }).count(), 0);
  await checkScreen(page, '13-english-topics');

  await page.getByRole('button', { name: 'Municipal taxes', exact: true }).click();
  await dialog.getByRole('heading', { name: 'Callback request' }).waitFor();
  // the service's reason for a number that is no number, beside the field in English only
  await page.getByLabel('Phone number').fill('12345');
  await page.getByRole('button', { name: 'Request a callback' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Please check the details.' }).waitFor();
  assert.equal(await page.getByLabel('Phone number').getAttribute('aria-invalid'), 'true');
  assert.equal(await dialog.locator('.field .error:not(:empty)').textContent(), 'Enter a valid number.');
  await page.getByRole('button', { name: 'Chat and wait anyway' }).click();
  await dialog.getByText('Do not share your citizen service number', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Start the chat' }).click();
  await page.getByLabel('Your message').fill('Hello');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.getByText(/You are (next|number \d+) in the queue\. Waiting time unknown\./).waitFor();
  await dialog.getByText('Would you like us to call you back?', { exact: false }).waitFor();
  await checkScreen(page, '14-english-queue');

  await page.getByRole('button', { name: 'End conversation' }).click();
  await page.getByRole('button', { name: 'Yes, end it' }).click();
  await dialog.getByRole('heading', { name: 'You are no longer in the queue.' }).waitFor();
  await page.getByRole('button', { name: 'Close chat' }).click();
  assert.equal(await page.getByRole('button', { name: 'Chat with the municipality' }).isVisible(), true);
  assert.deepEqual(browser.errors, []);
}));
