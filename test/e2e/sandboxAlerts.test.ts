// The sandbox's ops channel in a real browser: the Agents Playground's "Identity Operations" team
// has a "Governance alerts" channel that hears every category from the start (src/sandbox/alertsTeam.ts).
// What a person sees there: `demo` in the personal chat announces its items in the channel too
// (each a new thread the bot starts in the channel); a cancel typed in the personal chat appears as
// an "Actions taken through the bot" card naming the actor, the action and the item; a button
// pressed in the personal chat settles the channel's copy of the same item (updateActivity). Megan
// Bowen, the Playground's current user, saves the channel's settings card: the Playground makes
// every team member a plain member (roster userRole "user"), so she may because she owns the team's
// Microsoft 365 group (seed.json "Identity Operations", read with GET /me/ownedObjects:
// https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects) and is in the demo's alerts
// admin group (checked with POST /me/checkMemberGroups:
// https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups). The Playground has no way to
// switch its current user, so a refused user is shown by the component tests, not here.
//
// The Playground shows the team's channels under "Teams Channel" in its sidebar:
// https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/developer-tools/agents-playground/overview
// New channel threads and edits of the bot's own messages, as Teams does them:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { SandboxRun, launchChromium, requireChromium, sharedSandbox } from '../fixtures/sandboxRun';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('sandbox: the Governance alerts channel in the Agents Playground (browser)', function () {
  this.timeout(180_000);
  let sandbox: SandboxRun;
  let browser: Browser | null = null;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-'));

  before(async function () {
    requireChromium(this);
    sandbox = await sharedSandbox();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  /** Opens a conversation from the Playground's sidebar. */
  async function open(page: Page, name: 'Personal Chat' | 'Identity Operations - Governance alerts'): Promise<void> {
    await page.getByRole('treeitem', { name, exact: true }).click();
    // Only a channel has a "Start a new post" box: it tells the two views apart.
    const newPost = page.getByText('Start a new post', { exact: true });
    if (name === 'Personal Chat') await newPost.waitFor({ state: 'detached', timeout: 30_000 });
    else await newPost.waitFor({ timeout: 30_000 });
  }

  /** A post of the channel (the Playground draws each as a group with its own reply box). */
  function channelPost(page: Page, text: string | RegExp): Locator {
    return page.locator('[role="group"]').filter({ has: page.locator('.ac-adaptiveCard'), hasText: text });
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.locator('[data-lexical-editor="true"]').last().click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('demo announces its items in the channel; a cancel typed in the personal chat shows up there as an action taken', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
    try {
      await page.goto(sandbox.playgroundUrl);
      await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 30_000 });
      await send(page, 'demo');
      const roleCard = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: 'Adele Vance requested Global Administrator' })
        .last();
      await roleCard.waitFor({ timeout: 30_000 });
      const requestId = UUID.exec(await roleCard.innerText())?.[0];
      assert.ok(requestId, 'the demo role request card shows its requestId');
      const accessCard = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: 'Alex Wilber requested Marketing campaign tools' })
        .last();
      await accessCard.waitFor({ timeout: 30_000 });
      const accessRequestId = UUID.exec(await accessCard.innerText())?.[0];
      assert.ok(accessRequestId, 'the demo access package card shows its requestId');

      // (1) The channel shows the demo's announcements, each as a post of its own.
      await open(page, 'Identity Operations - Governance alerts');
      for (const text of [
        'Adele Vance requested Global Administrator',
        'Alex Wilber requested Marketing campaign tools',
        'Order a laptop for Adele Vance',
        'Diego Siciliani requested Exchange Administrator',
      ]) {
        await channelPost(page, text).first().waitFor({ timeout: 30_000 });
      }
      assert.equal(
        await channelPost(page, 'Demo notifications on their way').count(),
        0,
        'no personal chat reply here',
      );
      await page.screenshot({ path: path.join(shots, 'channel-demo.png') });

      // (2) A cancel typed in the personal chat, as the signed-in sandbox user.
      await open(page, 'Personal Chat');
      await send(page, `cancel role-request ${requestId}`);
      await page
        .getByText(/Cancelled the role assignment request/i)
        .first()
        .waitFor({ timeout: 30_000 });
      await open(page, 'Identity Operations - Governance alerts');
      const action = channelPost(page, 'Megan Bowen cancelled the role assignment request').filter({
        hasText: requestId,
      });
      await action.waitFor({ timeout: 30_000 });
      const seen = await action.innerText();
      assert.match(seen, /Actions taken through the bot/);
      assert.match(
        seen,
        /Megan Bowen cancelled the role assignment request "Adele Vance requested Global Administrator for 8 hours\."/,
      );
      assert.match(seen, /By:\s+Megan Bowen/);
      assert.match(seen, /Succeeded/);
      assert.match(seen, /From:\s+a chat command/);
      await page.screenshot({ path: path.join(shots, 'channel-action-chat.png') });

      // (3) A button pressed in the personal chat: the channel's copy of the item is settled in place,
      // and the action is announced, from a card button this time.
      await open(page, 'Personal Chat');
      const chatCopy = page.locator('.ac-adaptiveCard').filter({ hasText: accessRequestId }).last();
      await chatCopy.getByRole('button', { name: 'Cancel' }).click();
      await chatCopy.getByText(/Cancelled by Megan Bowen/).waitFor({ timeout: 30_000 });
      await open(page, 'Identity Operations - Governance alerts');
      const channelCopy = channelPost(page, 'Cancel an access package assignment request').filter({
        hasText: accessRequestId,
        hasNotText: 'Actions taken through the bot',
      });
      await channelCopy.getByText(/Cancelled by Megan Bowen/).waitFor({ timeout: 30_000 });
      assert.equal(
        await channelCopy.getByRole('button', { name: 'Cancel' }).count(),
        0,
        'the settled copy has no button',
      );
      const clicked = channelPost(page, 'Megan Bowen cancelled the access package assignment request').filter({
        hasText: accessRequestId,
      });
      await clicked.waitFor({ timeout: 30_000 });
      assert.match(await clicked.innerText(), /From:\s+a card button/);
      await page.screenshot({ path: path.join(shots, 'channel-action-card.png') });
    } finally {
      await page.close();
    }
  });

  it('an @mention of the bot in a new post is answered in that thread: the channel hears every category', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
    try {
      await page.goto(sandbox.playgroundUrl);
      await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 30_000 });
      await open(page, 'Identity Operations - Governance alerts');
      // The "Start a new post" box is the channel's first editor; "@" opens its mention picker.
      await page.locator('[data-lexical-editor="true"]').first().click();
      await page.keyboard.type('@');
      await page.getByRole('menuitem', { name: 'Governance Bot' }).click();
      await page.keyboard.type(' alerts');
      await page.getByRole('button', { name: 'Post', exact: true }).click();
      // The question and the bot's answer in one post: the answer is a reply in the thread.
      const thread = channelPost(page, 'Alert settings').filter({
        has: page.getByText('Megan Bowen', { exact: true }),
      });
      await thread.waitFor({ timeout: 30_000 });
      const actions = thread.getByRole('checkbox', { name: 'Actions taken through the bot' });
      assert.equal(await actions.isChecked(), true);
      assert.equal(await thread.getByRole('checkbox', { name: 'PIM role requests' }).isChecked(), true);
      await page.screenshot({ path: path.join(shots, 'channel-thread-reply.png') });
    } finally {
      await page.close();
    }
  });

  /** Asks for the channel's settings with an @mention; the new thread (the Playground puts it on top). */
  async function askForSettings(page: Page): Promise<Locator> {
    const threads = channelPost(page, 'Alert settings').filter({ has: page.getByText('Megan Bowen', { exact: true }) });
    const before = await threads.count();
    await page.locator('[data-lexical-editor="true"]').first().click();
    await page.keyboard.type('@');
    await page.getByRole('menuitem', { name: 'Governance Bot' }).click();
    await page.keyboard.type(' alerts');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await threads.nth(before).waitFor({ timeout: 30_000 });
    return threads.first();
  }

  /**
   * Presses Save and waits for the bot's answer to the Action.Execute invoke, which the Playground's
   * page receives from its server: a card that replaces the clicked one, or an error whose message
   * the Playground shows under the card (Universal Actions:
   * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview).
   */
  async function save(page: Page, thread: Locator): Promise<{ type?: string; value?: { message?: string } }> {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/_conversation/v1/invoke',
      { timeout: 30_000 },
    );
    await thread.getByRole('button', { name: 'Save', exact: true }).click();
    return (await (await answered).json()) as { type?: string; value?: { message?: string } };
  }

  it("Megan, owner of the team's group and in the alerts admin group, unticks a category on the settings card and saves: the card shows the saved choice", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
    try {
      await page.goto(sandbox.playgroundUrl);
      await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 30_000 });
      await open(page, 'Identity Operations - Governance alerts');
      const card = await askForSettings(page);
      const workflowRuns = card.getByRole('checkbox', { name: 'Workflow runs' });
      assert.equal(await workflowRuns.isChecked(), true, 'the channel hears workflow runs to begin with');
      await workflowRuns.uncheck();
      // Refused, the answer is an error: the Playground shows its message under the card and
      // draws the card as it was.
      const answer = await save(page, card);
      assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive', answer.value?.message);
      assert.equal(await workflowRuns.isChecked(), false);
      assert.equal(await card.getByRole('checkbox', { name: 'PIM role requests' }).isChecked(), true);
      // The roster said "user": the bot asked the simulated tenant, as Megan, which objects she owns.
      const ownedReads = sandbox
        .output()
        .split('\n')
        .filter((l) => l.includes('"graph.exchange"') && l.includes('/v1.0/me/ownedObjects'));
      assert.ok(
        ownedReads.some((l) => l.includes('"status":200')),
        'the team owner check read GET /me/ownedObjects',
      );
      await page.screenshot({ path: path.join(shots, 'channel-settings-saved.png') });

      // Asked again, the bot draws the card from what it stored: the choice was saved.
      const again = await askForSettings(page);
      assert.equal(await again.getByRole('checkbox', { name: 'Workflow runs' }).isChecked(), false);
      assert.equal(await again.getByRole('checkbox', { name: 'PIM role requests' }).isChecked(), true);
      assert.equal(await again.getByRole('checkbox', { name: 'Actions taken through the bot' }).isChecked(), true);

      // The channel hears every category again, as the sandbox starts.
      await again.getByRole('checkbox', { name: 'Workflow runs' }).check();
      const restored = await save(page, again);
      assert.equal(restored.type, 'application/vnd.microsoft.card.adaptive', restored.value?.message);
    } finally {
      await page.close();
    }
  });
});
