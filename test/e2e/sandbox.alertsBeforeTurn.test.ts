// The sandbox's "Governance alerts" channel is reached through the Agents Playground. The launcher
// starts the Playground before the bot and hands over its connector address (src/sandbox/start.ts,
// src/bot/sandboxTeam.ts), so a newcomer who follows the README's category example before opening
// the Playground finds the post delivered to the channel, as the README promises ("hears every
// category from the start"). It used to be dead-lettered with "Governance Bot does not know this
// channel any more", words untrue of a channel the bot had never known.

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

  it('is delivered to the Governance alerts channel, as the README tells', async () => {
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
      assert.equal(status.state, 'delivered', JSON.stringify(status));
      assert.equal(status.channels?.length, 1);
      assert.equal(status.channels?.[0]?.state, 'delivered', JSON.stringify(status));

      const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8').replace(/\s+/g, ' ');
      const sandboxChannel = readme.slice(readme.indexOf('In the sandbox the "Governance alerts" channel'));
      assert.match(sandboxChannel.slice(0, 300), /hears every category \(and the digest\) from the start:/);
      assert.doesNotMatch(sandboxChannel.slice(0, 700), /dead-lettered/, 'the README promises no dead letter');
      const openFirst = readme.slice(readme.indexOf('Open the Playground first'));
      assert.doesNotMatch(openFirst.slice(0, 600), /dead-lettered/, 'a category event is not dead-lettered');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(state, { recursive: true, force: true });
    }
  });
});
