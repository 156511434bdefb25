// How a Bot Connector refusal is read from its status and the error code of its body, after
// Microsoft's table "Status codes from bot conversational APIs":
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// Only a refusal by the conversation itself forgets a recipient or suspends a channel; a fault of
// the bot's own deployment fails the send and keeps both.

import { strict as assert } from 'node:assert';
import { channelRefusal, suspensionOf } from '../../src/alerts/channelSuspension';
import { readRefusal } from '../../src/notifications/connectorRefusal';
import { classifySendError } from '../../src/notifications/delivery';
import { teamsError } from '../fixtures/deliverySession';

/** The error as @azure/core-client builds it for an answer whose body names `code`. */
const refused = (status: number, code?: string) => teamsError(status, undefined, code);

describe('reading a Bot Connector refusal', () => {
  it("a 403 or 404 of the table's refusals by the conversation forgets the recipient and suspends the channel", () => {
    for (const [status, code] of [
      [403, 'BotDisabledByAdmin'],
      [403, 'BotNotInConversationRoster'],
      [403, 'ConversationBlockedByUser'],
      [403, 'ForbiddenOperationException'],
      [404, 'ConversationNotFound'],
    ] as const) {
      assert.deepEqual(readRefusal(refused(status, code)), { kind: 'conversationRefused', status, code }, code);
      const failure = classifySendError(refused(status, code));
      assert.ok(failure.kind === 'undeliverable' && failure.forgetRecipient, code);
      assert.match(failure.reason, new RegExp(`\\(${status} ${code}\\)`));
      assert.equal(channelRefusal(refused(status, code))?.status, status, code);
    }
  });

  it("the reason says what the table says happened: an administrator's block, the user's block, the bot gone", () => {
    const reason = (status: number, code?: string) => {
      const failure = classifySendError(refused(status, code));
      return failure.kind === 'undeliverable' ? failure.reason : '';
    };
    // BotDisabledByAdmin: "Admin blocked interactions between user and the bot app. Admin needs to
    // allow the app for the user inside of app policies" (the table above): no one uninstalled it.
    const admin = reason(403, 'BotDisabledByAdmin');
    assert.match(admin, /administrator.*app polic/);
    assert.doesNotMatch(admin, /uninstalled|removed/);
    // ConversationBlockedByUser: "User blocked the bot in 1:1 chat or channel via moderation settings".
    const blocked = reason(403, 'ConversationBlockedByUser');
    assert.match(blocked, /blocked Governance Bot/);
    assert.doesNotMatch(blocked, /uninstalled|removed/);
    // Every other refusal by the conversation, and one with no code: the bot is not there any more.
    for (const [status, code] of [[403, 'BotNotInConversationRoster'], [404, 'ConversationNotFound'], [403]] as const)
      assert.match(reason(status, code), /removed there or the recipient uninstalled it/, code);
    // Each says what lets the bot post there again (its reference is forgotten): a message to it.
    for (const r of [admin, blocked]) assert.match(r, /writing to the bot there lets it post again\.$/);
  });

  it('a 403 or 404 with no documented code, or none, is read the conservative way: the conversation refuses', () => {
    for (const error of [refused(403), refused(404), refused(403, 'SomethingNew'), refused(404, 'NotFound')]) {
      const failure = classifySendError(error);
      assert.ok(failure.kind === 'undeliverable' && failure.forgetRecipient);
      assert.ok(channelRefusal(error));
    }
    // A code Teams does not document is text from outside: never repeated in a reason.
    const failure = classifySendError(refused(403, 'Injected <b>text</b>'));
    assert.equal(failure.kind === 'undeliverable' && failure.reason.includes('Injected'), false);
  });

  it("a fault of the bot's deployment (InvalidBotApiHost, NotEnoughPermissions, BotNotRegistered) keeps everything", () => {
    for (const [status, code] of [
      [403, 'InvalidBotApiHost'],
      [403, 'NotEnoughPermissions'],
      [401, 'BotNotRegistered'],
    ] as const) {
      const failure = classifySendError(refused(status, code));
      assert.equal(failure.kind, 'undeliverable', code);
      assert.ok(failure.kind === 'undeliverable');
      assert.equal(failure.forgetRecipient, false, code);
      assert.deepEqual(failure.deploymentFault, { status, code });
      assert.match(failure.reason, new RegExp(`\\(${status} ${code}\\).*administrator`), code);
      assert.equal(channelRefusal(refused(status, code)), null, code);
    }
    // The GCC case names the endpoint the table gives.
    const gcc = classifySendError(refused(403, 'InvalidBotApiHost'));
    assert.match(gcc.kind === 'undeliverable' ? gcc.reason : '', /smba\.infra\.gcc\.teams\.microsoft\.com/);
    // Any 401 is the bot's credentials, code or not.
    assert.deepEqual(readRefusal(refused(401)), { kind: 'deploymentFault', status: 401, code: null });
  });

  it('reads the code case aside, from the error, its parsed body or its raw body', () => {
    assert.equal(readRefusal(refused(403, 'invalidbotapihost')).kind, 'deploymentFault');
    const parsedOnly = { statusCode: 403, response: { parsedBody: { error: { code: 'InvalidBotApiHost' } } } };
    assert.equal(readRefusal(parsedOnly).kind, 'deploymentFault');
    const textOnly = { statusCode: 403, response: { bodyAsText: '{"error":{"code":"NotEnoughPermissions"}}' } };
    assert.equal(readRefusal(textOnly).kind, 'deploymentFault');
    assert.equal(readRefusal({ statusCode: 403, response: { bodyAsText: '{not json' } }).kind, 'conversationRefused');
  });

  it('a 404 ActivityNotFoundInConversation is a message gone: nothing forgotten, nothing suspended', () => {
    const error = refused(404, 'ActivityNotFoundInConversation');
    assert.deepEqual(readRefusal(error), { kind: 'messageGone', status: 404 });
    const failure = classifySendError(error);
    assert.ok(failure.kind === 'undeliverable' && !failure.forgetRecipient);
    assert.equal(channelRefusal(error), null);
  });

  it('other answers and errors with no status are not refusals of the conversation', () => {
    for (const error of [refused(400, 'BadArgument'), refused(413, 'MessageSizeTooBig'), new Error('reset')]) {
      assert.deepEqual(readRefusal(error), { kind: 'other' });
      assert.equal(channelRefusal(error), null);
    }
  });

  it("a suspension's reason names the status and the documented code", () => {
    assert.match(
      suspensionOf({ status: 403, code: 'BotNotInConversationRoster' }, 0).reason,
      /\(403 BotNotInConversationRoster\)/,
    );
    assert.match(suspensionOf({ status: 404, code: null }, 0).reason, /\(404\): it was deleted/);
  });
});
