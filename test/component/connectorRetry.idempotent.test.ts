// The Bot Connector calls that keep the SDK's retry (src/bot/connectorRetry.ts): a PUT (a card
// edited in place: the other copies after a click, a late click outcome) and a GET (the roster
// entry that decides whether a team owner may change a channel's settings) are idempotent, so a
// passing 503 is retried inside the client; a turn reply (a POST) is sent again after one 429 at
// most, as the README says ("How a command runs", step 5).
// Teams' throttling answers: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
// Updating a message in place (PUT .../activities/{id}): https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#update-activity

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity, ConversationReference, TeamsInfo } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { replaceCard } from '../../src/bot/replies';
import { readConfig } from '../../src/config';
import { recordingLogger } from '../fixtures/recordingLogger';

type Answer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown };

/** A connector that answers each request from `script` (then 200 with `ok`), recording METHOD path. */
async function connector(script: readonly Answer[], ok: unknown) {
  const left = [...script];
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}`);
      const a = left.shift() ?? { status: 200, body: ok };
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body ?? { error: { code: 'ServiceUnavailable', message: 'try later' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A message activity to the bot from the connector at `serviceUrl`; `fields` replace the defaults. */
const message = (serviceUrl: string, fields: Record<string, unknown>): Activity =>
  ({
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:personal-1', conversationType: 'personal' },
    text: 'help',
    ...fields,
  }) as Activity;

describe('idempotent Bot Connector calls keep the SDK retry', function () {
  this.timeout(20_000);

  it('a card copy edited outside a turn (PUT) after one passing 503 is edited, not left stale', async () => {
    const c = await connector([{ status: 503 }], { id: 'act-1' });
    try {
      const adapter = createAdapter(readConfig({}), recordingLogger().logger);
      const reference: Partial<ConversationReference> = {
        channelId: 'msteams',
        serviceUrl: c.serviceUrl,
        conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
        bot: { id: '28:bot', name: 'Governance Bot' },
      };
      let updated: boolean | undefined;
      const reply = {
        attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
        summary: 's',
      };
      // As CardCopyUpdates.updateCopy and the late click outcome do (src/bot/teamsEdge.ts).
      await adapter.continueConversationAsync('', reference, async (ctx) => {
        updated = await replaceCard(ctx, 'act-1', reply, recordingLogger().logger);
      });
      assert.deepEqual(
        c.calls.map((x) => x.split(' ')[0]),
        ['PUT', 'PUT'],
        `calls: ${c.calls.join(', ')}`,
      );
      assert.equal(updated, true, 'the copy was edited');
    } finally {
      await c.close();
    }
  });

  it("a team owner's roster lookup in a turn (GET) after one passing 503 still finds the owner", async () => {
    const c = await connector([{ status: 503 }], { id: '29:owner', userRole: 'owner', name: 'Owner' });
    try {
      const adapter = createAdapter(readConfig({}), recordingLogger().logger);
      const activity = message(c.serviceUrl, {
        from: { id: '29:owner' },
        conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel' },
        channelData: { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:ops@thread.tacv2' } },
        text: 'alerts on roles',
      });
      let role: string | undefined | null;
      await adapter.handleAuthenticated(await adapter.authenticate('', activity), activity, async (ctx) => {
        // As teamsInfoDirectory.member does (src/bot/teamsDirectory.ts): a failure is "not known".
        role = await TeamsInfo.getMember(ctx, '29:owner').then(
          (m) => (m as { userRole?: string }).userRole,
          () => null,
        );
      });
      assert.deepEqual(
        c.calls.map((x) => x.split(' ')[0]),
        ['GET', 'GET'],
        `calls: ${c.calls.join(', ')}`,
      );
      assert.equal(role, 'owner');
    } finally {
      await c.close();
    }
  });
});

describe('a throttled turn reply', function () {
  this.timeout(20_000);

  it('is sent again after one wait for a 429 at most', async () => {
    const throttled = { status: 429, headers: { 'retry-after': '0' } };
    const c = await connector([throttled, throttled, throttled], { id: 'act-1' });
    try {
      const adapter = createAdapter(readConfig({}), recordingLogger().logger);
      const activity = message(c.serviceUrl, {});
      await adapter.handleAuthenticated(await adapter.authenticate('', activity), activity, async (ctx) => {
        await ctx.sendActivity('Here is the answer.').catch(() => undefined);
      });
      assert.ok(c.calls.length <= 2, `POSTs of one reply: ${c.calls.length}`);
    } finally {
      await c.close();
    }
  });
});
