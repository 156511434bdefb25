// A message turn that failed, whose "something went wrong" reply Teams refuses as well. botbuilder
// answers the channel's POST 500 when the turn error handler throws (CloudAdapter.process), and
// the channel then counts the activity as failed and may deliver it again
// (https://github.com/MicrosoftDocs/msteams-docs/issues/6084 for redelivery). Here the activity
// was received and handled: what failed is the bot's own reply, which a redelivery cannot fix
// (the bot drops a message it has seen, governanceBot.ts). So the handler logs the refusal and the
// turn ends as handled, answered 200 as any turn whose handler returns; the turn's own failure
// was logged before. Send-to-conversation answers:
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { recordingLogger } from '../fixtures/recordingLogger';
import { scriptedConnector } from '../fixtures/scriptedConnector';

const inbound = (serviceUrl: string, type = 'message') =>
  ({
    type,
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:personal-1', conversationType: 'personal' },
    text: 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f31e',
  }) as Activity;

describe('a failed turn whose error reply Teams refuses too', function () {
  this.timeout(20_000);

  it('ends the turn as handled (the POST is answered 200), with both failures logged', async () => {
    const connector = await scriptedConnector([{ status: 403, code: 'BotDisabledByAdmin' }]);
    try {
      const log = recordingLogger();
      const adapter = createAdapter(readConfig({}), log.logger);
      const activity = inbound(connector.serviceUrl);
      const answer = await adapter.handleAuthenticated(await adapter.authenticate('', activity), activity, () =>
        Promise.reject(new Error('the command failed')),
      );
      assert.equal(answer, undefined, 'no invoke response: the server answers 200');
      assert.equal(connector.posts.length, 1, 'the error reply was tried once');
      assert.deepEqual(log.events(), ['bot.turn.failed', 'bot.turnError.replyFailed']);
    } finally {
      await connector.close();
    }
  });
});
