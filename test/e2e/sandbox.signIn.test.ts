// What a newcomer sees of the sign-in fallback: `npm start` with no configuration, then the Agents
// Playground in a real browser (Debian's chromium, driven by playwright-core), for the users who
// must consent or pass MFA, from the card's Sign in button through the bot's pages and the
// simulated Entra's pages until the command runs. The Playground's own chat is in
// sandbox.playground.test.ts.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SandboxRun, launchChromium, requireChromium, sharedSandbox } from '../fixtures/sandboxRun';

/**
 * The sign-in fallback in a real browser. The Playground has one current user (Megan Bowen), so
 * the other users' activities go through its "Mock an Activity" API (`/_internal/v1/customActivities`,
 * what its dialog posts): the bot's answers then appear in the Playground's personal chat.
 * Teams bot sign-in, the button's page, notifySuccess and signin/verifyState:
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
 * Outside Teams the end page's `app.initialize()` never completes, so the test reads the one-time
 * state the page would hand to `authentication.notifySuccess` from `body[data-state]` and delivers
 * `signin/verifyState` with it the way Teams does.
 */
describe('sandbox sign-in from the card (browser)', function () {
  this.timeout(240_000);
  let sandbox: SandboxRun;
  let playground = '';
  let botUrl = '';
  let browser: Browser | null = null;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-'));
  const seed = loadDemoSeed();

  before(async function () {
    requireChromium(this);
    sandbox = await sharedSandbox();
    playground = sandbox.playgroundUrl;
    botUrl = sandbox.botUrl;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  const userNamed = (name: string) => {
    const u = seed.users.find((x) => x.displayName === name);
    assert.ok(u, name);
    return u;
  };

  /** Posts an activity from `user` through the Playground, as its "Mock an Activity" dialog does. */
  async function asUser(user: { id: string; displayName: string }, activity: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${playground}/_internal/v1/customActivities/template?conversationId=personal-chat-id`);
    assert.equal(res.status, 200);
    const template = (await res.json()) as Record<string, unknown>;
    const sent = await fetch(`${playground}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...template,
        ...activity,
        from: { id: `user-${user.id}`, name: user.displayName, aadObjectId: user.id },
      }),
    });
    assert.equal(sent.status, 200);
  }

  /**
   * Sends `command` as `userName`, presses the Sign in button of the card that says `cardText`,
   * lets `signIn` complete the simulated Entra's pages in the window that opened, and returns the
   * end page's one-time state after checking the button opened the bot's own start page.
   */
  async function signInFromCard(
    page: Page,
    userName: string,
    command: string,
    cardText: RegExp,
    signIn: (popup: Page) => Promise<void>,
  ): Promise<string> {
    const user = userNamed(userName);
    await asUser(user, { type: 'message', text: command });
    const card = page.locator('[data-tid="hero-card"]').filter({ hasText: cardText }).last();
    await card.waitFor({ timeout: 30_000 });
    const requested: string[] = [];
    page.context().on('request', (r) => requested.push(r.url()));
    const opened = page.context().waitForEvent('page', { timeout: 30_000 });
    await card.getByRole('button', { name: 'Sign in' }).click();
    const popup = await opened;
    await signIn(popup);
    await popup
      .waitForURL((u) => u.toString().startsWith(`${botUrl}/auth/end?`), { timeout: 30_000 })
      .catch((e: unknown) => {
        throw new Error(`the sign-in window stayed at ${new URL(popup.url()).pathname}: ${String(e)}`);
      });
    const body = popup.locator('body');
    assert.equal(await body.getAttribute('data-outcome'), 'success', await body.innerText());
    const state = await body.getAttribute('data-state');
    assert.ok(state && state.length >= 43, 'a one-time state for notifySuccess');
    // The button opened the bot's own start page for this pending sign-in, never an empty URL.
    const start = requested.find((u) => u.startsWith(`${botUrl}/auth/start?`));
    assert.ok(start, `the Sign in button opened ${requested[0] ?? 'nothing'}`);
    assert.match(new URL(start).searchParams.get('s') ?? '', /^[0-9a-f-]{36}$/);
    await popup.close();
    return state;
  }

  it('Alex Wilber consents on the tenant page from the card, and the command runs', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 }, ignoreHTTPSErrors: true });
    try {
      await page.goto(playground);
      await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 30_000 });
      const alex = userNamed('Alex Wilber');
      const state = await signInFromCard(
        page,
        'Alex Wilber',
        `cancel access-request ${seed.selfService.consentUserAccessRequestId}`,
        /needs your permission/,
        async (popup) => {
          // Entra's account picker, then its consent page (prompt=consent).
          await popup.locator('#user').selectOption(alex.id);
          await popup.locator('#continue').click();
          await popup.locator('#accept').click();
        },
      );
      await asUser(alex, { type: 'invoke', name: 'signin/verifyState', value: { state } });
      await page
        .getByText(/Cancelled the access package assignment request/i)
        .last()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'consent-ran.png') });
    } finally {
      await page.close();
    }
    assert.match(
      sandbox.output(),
      new RegExp(`"event":"governance.action".*"userId":"${seed.selfService.consentUserId}"`),
    );
  });

  it('Isaiah Langer passes the MFA step with the one-time code from the card, and the command runs', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 }, ignoreHTTPSErrors: true });
    try {
      await page.goto(playground);
      await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 30_000 });
      const isaiah = userNamed('Isaiah Langer');
      const state = await signInFromCard(
        page,
        'Isaiah Langer',
        `cancel role-request ${seed.selfService.mfaUserRoleRequestId}`,
        /multi-factor authentication/,
        async (popup) => {
          await popup.locator('#user').selectOption(isaiah.id);
          await popup.locator('#continue').click();
          const code = (await popup.locator('#otp-hint').innerText()).trim();
          await popup.locator('#otp').fill(code);
          await popup.locator('#verify').click();
        },
      );
      // A second use of the same state runs nothing again: single use.
      await asUser(isaiah, { type: 'invoke', name: 'signin/verifyState', value: { state } });
      await page
        .getByText(/Cancelled the role assignment request/i)
        .last()
        .waitFor({ timeout: 30_000 });
      await asUser(isaiah, { type: 'invoke', name: 'signin/verifyState', value: { state } });
      await page.getByText('This sign-in is no longer valid').last().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'mfa-ran.png') });
    } finally {
      await page.close();
    }
    assert.match(sandbox.output(), new RegExp(`"event":"governance.action".*"userId":"${seed.selfService.mfaUserId}"`));
  });
});
