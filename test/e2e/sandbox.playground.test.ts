// What a newcomer sees: `npm start` with no configuration, then the Agents Playground in a real
// browser (Debian's chromium, driven by playwright-core): type "help", then a demo command, the
// notification cards' buttons, and the `my approvals` and `my requests` list cards. The sign-in
// fallback in the same browser is in sandbox.signIn.test.ts.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SandboxRun, launchChromium, requireChromium, sharedSandbox } from '../fixtures/sandboxRun';

describe('sandbox in the Agents Playground (browser)', function () {
  this.timeout(180_000);
  let sandbox: SandboxRun;
  let playgroundUrl = '';
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sandbox-'));

  before(async function () {
    requireChromium(this);
    sandbox = await sharedSandbox();
    playgroundUrl = sandbox.playgroundUrl;
  });

  it('says loudly that it is the sandbox and prints the Playground URL', () => {
    assert.match(sandbox.output(), /SANDBOX/);
    assert.match(sandbox.output(), /Open http:\/\/localhost:\d+ and type "help"/);
  });

  it('answers help and a demo command with cards a person can read', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(playgroundUrl);
      const box = page.locator('[data-lexical-editor="true"]');
      const send = async (text: string): Promise<void> => {
        await box.click();
        await page.keyboard.type(text);
        await page.keyboard.press('Enter');
      };
      await send('help');
      await page.getByText('cancel role-request', { exact: false }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'help.png') });

      const ex = loadDemoSeed().examples;
      await send(`cancel role-request ${ex.roleRequestId}`);
      await page
        .getByText(/Cancelled the role assignment request/i)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'cancelled.png') });
      assert.ok(fs.statSync(path.join(shots, 'cancelled.png')).size > 10_000);

      // Notification cards, then their buttons (Universal Actions through the Playground).
      await send('demo');
      await page
        .getByText('Adele Vance requested Global Administrator', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.getByText('Order a laptop for Adele Vance', { exact: false }).first().waitFor({ timeout: 30_000 });
      // And one waiting for the demo user's own approval.
      await page
        .getByText('Diego Siciliani requested Exchange Administrator', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Approve' }).first().click();
      await page
        .getByText(/Approved by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Cancel' }).first().click();
      await page
        .getByText(/Cancelled by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'buttons.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    // Audit lines reach the sandbox's stdout too.
    assert.match(sandbox.output(), /"event":"governance.action"/);
  });

  it('my approvals: approve one row, deny another with a justification typed in the card; the list card updates', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      await page.goto(playgroundUrl);
      const box = page.locator('[data-lexical-editor="true"]');
      await box.click();
      await page.keyboard.type('my approvals');
      await page.keyboard.press('Enter');
      const list = page.locator('.ac-adaptiveCard').filter({ hasText: 'Waiting for your approval' }).last();
      await list.waitFor({ timeout: 30_000 });
      // A PIM row asks why once: "Approve or deny" opens one required box with Approve and Deny
      // under it (PIM's default policy requires the approver's justification); the shown card is
      // an Adaptive Card of its own, nested in the row, and its buttons send the box.
      const decideIn = async (reason: string, button: 'Approve' | 'Deny') => {
        await list.getByRole('button', { name: 'Approve or deny', exact: true }).first().click();
        const why = list.locator('textarea, input[type="text"]').first();
        await why.waitFor({ timeout: 10_000 });
        await why.fill(reason);
        const shown = why.locator('xpath=ancestor::div[contains(@class,"ac-adaptiveCard")][1]');
        await shown.getByRole('button', { name: button, exact: true }).click();
      };
      await decideIn('Checked with the requester', 'Approve');
      await list
        .getByText(/Approved by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await decideIn('Not during the change freeze', 'Deny');
      await list
        .getByText(/Denied by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'approvals.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    assert.match(
      sandbox.output(),
      /"operation":"decide[A-Za-z]+Approval"[^\n]*"decision":"deny"[^\n]*"justificationLength":28/,
    );
    assert.doesNotMatch(sandbox.output(), /Not during the change freeze/);
  });

  // README, "The sandbox": `my requests` lists Megan Bowen's own requests from the seed, each with
  // Cancel (her PIM requests by filterByCurrentUser(on='principal'), "the principal can be the
  // creator or approver … or they can be the target of the assignment"):
  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  it('my requests: the default user’s own requests, each with Cancel; one cancelled is not listed again', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      await page.goto(playgroundUrl);
      const box = page.locator('[data-lexical-editor="true"]');
      const lists = page.locator('.ac-adaptiveCard').filter({ hasText: 'Your pending requests' });
      const ask = async (): Promise<ReturnType<typeof lists.last>> => {
        const before = await lists.count();
        await box.click();
        await page.keyboard.type('my requests');
        await page.keyboard.press('Enter');
        for (let i = 0; i < 300 && (await lists.count()) <= before; i++) await page.waitForTimeout(100);
        const list = lists.last();
        await list.getByText('Access package · Project Falcon').waitFor({ timeout: 30_000 });
        return list;
      };
      const first = await ask();
      assert.doesNotMatch(await first.innerText(), /no requests that can still be cancelled/);
      // Her own requests, and the two (PIM role, access package) she is also named an approver of.
      const own = loadDemoSeed().selfService.adminOwnRequestIds.length + 2;
      assert.equal(await first.getByRole('button', { name: 'Cancel' }).count(), own);
      // Newest first: her PIM role request heads the list.
      await first.getByText('PIM role · Compliance Administrator').waitFor({ timeout: 10_000 });
      await first.getByRole('button', { name: 'Cancel' }).first().click();
      await first
        .getByText(/Cancelled by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'myRequests.png'), fullPage: true });
      const again = await ask();
      assert.equal(await again.getByRole('button', { name: 'Cancel' }).count(), own - 1);
      assert.doesNotMatch(await again.innerText(), /Compliance Administrator/);
    } finally {
      await browser.close();
    }
    // Her request, cancelled as her.
    const seed = loadDemoSeed();
    const role = seed.roleRequests.find((r) => seed.selfService.adminOwnRequestIds.includes(r.id))!;
    assert.equal(role.roleName, 'Compliance Administrator');
    assert.match(
      sandbox.output(),
      new RegExp(
        `"operation":"cancelRoleRequest","targetId":"${role.id}"[^\\n]*"userId":"${seed.users[0]!.id}"[^\\n]*"outcome":"succeeded"`,
      ),
    );
  });
});
