// The sandbox's "Governance alerts" channel is reached through the Agents Playground, whose address
// the bot learns from the first activity it receives (src/bot/sandboxTeam.ts). A newcomer who
// follows the README's category example before opening the Playground finds the channel's post
// dead-lettered: the README says so beside the "Open the Playground first" advice and where it says
// the channel hears every category, rather than promising the channel hears them from the start.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { startSandbox } from '../fixtures/sandboxRun';

/** An application token with Notifications.Send from the simulated tenant, as the README's curl does. */
function appToken(tenant: string): Promise<string> {
  const ca = fs.readFileSync(path.join(projectRoot(), '.sandbox', 'sandbox-ca.pem'));
  return new Promise((resolve, reject) => {
    const req = https.request(`${tenant}/_sandbox/appToken`, { method: 'POST', ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve((JSON.parse(body) as { token: string }).token));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ roles: ['Notifications.Send'] }));
  });
}

describe('the sandbox: a category event posted before the Playground sends anything', function () {
  this.timeout(120_000);

  it('is dead-lettered for the Governance alerts channel, as the README tells', async () => {
    // A state directory of its own: the default one (.sandbox/state) is emptied at start, and may
    // be another sandbox's of this test run.
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-before-turn-'));
    const { run, child } = await startSandbox({ STATE_DIRECTORY: state });
    try {
      const tenant = /Simulated tenant: (https:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1];
      assert.ok(tenant, run.output());
      const token = await appToken(tenant);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const event = {
        eventId: 'before-playground',
        kind: 'roleRequest',
        target: { category: 'roleRequests' },
        requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      };
      const posted = await fetch(`${run.botUrl}/api/notifications`, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
      });
      assert.equal(posted.status, 202);
      let status: { state?: string; channels?: Array<{ state: string; reason?: string }> } = {};
      for (let i = 0; i < 100 && (status.state === undefined || status.state === 'queued'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await (
          await fetch(`${run.botUrl}/api/notifications/before-playground`, { headers })
        ).json()) as typeof status;
      }
      assert.equal(status.state, 'undeliverable', JSON.stringify(status));
      assert.equal(status.channels?.length, 1);
      assert.equal(status.channels?.[0]?.state, 'deadLetter');
      assert.match(status.channels?.[0]?.reason ?? '', /does not know this channel/);

      const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8').replace(/\s+/g, ' ');
      const sandboxChannel = readme.slice(readme.indexOf('In the sandbox the "Governance alerts" channel'));
      assert.match(
        sandboxChannel.slice(0, 700),
        /once the Playground is open[^.]*posted before that is dead-lettered for the channel/,
        'the README says when the sandbox channel starts hearing its categories',
      );
      const openFirst = readme.slice(readme.indexOf('Open the Playground first'));
      assert.match(openFirst.slice(0, 600), /dead-lettered/, 'the curl section says what happens to a category event');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(state, { recursive: true, force: true });
    }
  });
});
