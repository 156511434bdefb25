// A message turn that failed inside the bot (a command whose handling threw) is answered with a
// line that says something went wrong. As an invoke that failed inside the bot does
// (invokeResponses.ts invokeFailedText), that line gives the person a reference, and the one error
// line logged for the failure carries it as its `correlationId`, so an administrator can find it.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { recordingLogger } from '../fixtures/recordingLogger';
import { scriptedConnector } from '../fixtures/scriptedConnector';

const inbound = (serviceUrl: string) =>
  ({
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:personal-1', conversationType: 'personal' },
    text: 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f31e',
  }) as Activity;

describe('a message turn that failed inside the bot', function () {
  this.timeout(20_000);

  it('tells the person a reference that is the correlationId of its one error line', async () => {
    const connector = await scriptedConnector([]);
    try {
      const log = recordingLogger();
      const adapter = createAdapter(readConfig({}), log.logger);
      const said: string[] = [];
      adapter.use(async (ctx, next) => {
        ctx.onSendActivities(async (_c, activities, send) => {
          for (const a of activities) said.push(String(a.text ?? ''));
          return send();
        });
        await next();
      });
      const activity = inbound(connector.serviceUrl);
      await adapter.handleAuthenticated(await adapter.authenticate('', activity), activity, () =>
        Promise.reject(new Error('the command failed')),
      );
      const failed = log.lines.filter((l) => l.event === 'bot.turn.failed');
      assert.equal(failed.length, 1, 'logged once');
      assert.equal(log.lines.filter((l) => l.level === 'error').length, 1, 'one error line for one failure');
      const id = failed[0]?.correlationId;
      assert.equal(typeof id, 'string');
      assert.match(String(id), /^[0-9a-f-]{36}$/);
      assert.equal(said.length, 1);
      assert.ok(said[0]?.includes(`reference: ${String(id)}.`), said[0]);
      assert.ok(said[0]?.includes('check whether it was made'), 'never says nothing changed');
    } finally {
      await connector.close();
    }
  });
});
