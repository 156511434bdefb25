// What a newcomer sees: `npm start` with no configuration, then the Agents Playground in a real
// browser (Debian's chromium, driven by playwright-core): type "help", then a demo command.

import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { freePort } from '../fixtures/ports';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('sandbox in the Agents Playground (browser)', function () {
  this.timeout(180_000);
  let child: ChildProcess | null = null;
  let output = '';
  let playgroundUrl = '';
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sandbox-'));

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.REQUIRE_BROWSER) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium.`);
      this.skip();
    }
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() };
    env.PORT = String(await freePort());
    child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'index.js')], {
      env,
      cwd: projectRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const m = /Open (http:\/\/localhost:\d+) and type "help"/.exec(output);
      if (m?.[1]) {
        playgroundUrl = m[1];
        break;
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(playgroundUrl, `the sandbox did not announce the Playground:\n${output}`);
  });

  after(() => {
    child?.kill('SIGTERM');
  });

  it('says loudly that it is the sandbox and prints the Playground URL', () => {
    assert.match(output, /SANDBOX/);
    assert.match(playgroundUrl, /^http:\/\/localhost:\d+$/);
  });

  it('answers help and a demo command with cards a person can read', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(playgroundUrl.replace('localhost', '127.0.0.1'));
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
    assert.match(output, /"event":"governance.action"/);
  });

  it('my approvals: approve one row, deny another with a justification typed in the card; the list card updates', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      await page.goto(playgroundUrl.replace('localhost', '127.0.0.1'));
      const box = page.locator('[data-lexical-editor="true"]');
      await box.click();
      await page.keyboard.type('my approvals');
      await page.keyboard.press('Enter');
      const list = page.locator('.ac-adaptiveCard').filter({ hasText: 'Waiting for your approval' }).last();
      await list.waitFor({ timeout: 30_000 });
      await list.getByRole('button', { name: 'Approve' }).first().click();
      await list
        .getByText(/Approved by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      // Deny opens a required justification box inside the card; its own Deny sends it.
      await list.getByRole('button', { name: 'Deny' }).first().click();
      const why = list.locator('textarea, input[type="text"]').first();
      await why.waitFor({ timeout: 10_000 });
      await why.fill('Not during the change freeze');
      // The shown card is an Adaptive Card of its own, nested in the row: its button sends.
      const shown = why.locator('xpath=ancestor::div[contains(@class,"ac-adaptiveCard")][1]');
      await shown.getByRole('button', { name: 'Deny' }).click();
      await list
        .getByText(/Denied by Megan Bowen/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, 'approvals.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    assert.match(output, /"operation":"decide[A-Za-z]+Approval"[^\n]*"decision":"deny"[^\n]*"justificationLength":28/);
    assert.doesNotMatch(output, /Not during the change freeze/);
  });
});
