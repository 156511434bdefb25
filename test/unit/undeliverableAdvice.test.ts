// An event made undeliverable because the recipient cannot be reached (Teams refused the
// conversation, or no conversation is stored) is not sent again, and its record is kept 30 days,
// during which the same eventId posted again is answered 202 "duplicate" and sends nothing
// (README "Retention"). So the reason an administrator reads on GET must say what to do: once the
// bot can reach the recipient again, post the event under a new eventId. Teams' table of these
// refusals asks the bot to stop posting there until the bot is installed again or someone writes to it:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// and a proactive message needs a conversation the bot was installed in:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import { classifySendError, recipientOf } from '../../src/notifications/delivery';
import type { ConversationReferences } from '../../src/state/references';
import { teamsError } from '../fixtures/deliverySession';

const NEW_EVENT_ID = /under a new eventId/;
const DUPLICATE = /same eventId .*duplicate/;

describe('an undeliverable event says what to do next', () => {
  it('a refusal by the conversation says the event is not sent again and to post it under a new eventId', () => {
    for (const [status, code] of [
      [403, 'BotNotInConversationRoster'],
      [404, 'ConversationNotFound'],
      [403, 'BotDisabledByAdmin'],
      [403, 'ConversationBlockedByUser'],
      [403, undefined],
    ] as const) {
      const failure = classifySendError(teamsError(status, undefined, code));
      assert.ok(failure.kind === 'undeliverable', String(code));
      assert.match(failure.reason, /not sent again/, String(code));
      assert.match(failure.reason, NEW_EVENT_ID, String(code));
      assert.match(failure.reason, DUPLICATE, String(code));
    }
    // The bot gone: what lets it post again is installing it again there.
    const gone = classifySendError(teamsError(403, undefined, 'BotNotInConversationRoster'));
    assert.ok(gone.kind === 'undeliverable');
    assert.match(gone.reason, /once Governance Bot is installed there again/);
  });

  it('a recipient with no stored conversation, user or channel, is told the same', async () => {
    const none = {
      readUser: async () => null,
      readChannel: async () => null,
    } as unknown as ConversationReferences;
    const user = await recipientOf({ target: { userId: 'u' } } as never, none);
    const channel = await recipientOf({ target: { channelId: 'c' } } as never, none, async () => null);
    for (const r of [user, channel]) {
      assert.ok('undeliverable' in r);
      assert.match(r.undeliverable, /not sent again/);
      assert.match(r.undeliverable, NEW_EVENT_ID);
      assert.match(r.undeliverable, DUPLICATE);
    }
    assert.ok('undeliverable' in user && /has not installed Governance Bot/.test(user.undeliverable));
    assert.ok('undeliverable' in channel && /not installed in the team of this channel/.test(channel.undeliverable));
  });
});
