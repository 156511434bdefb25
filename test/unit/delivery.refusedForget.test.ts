// A send Teams refused for the conversation (403/404: the app was removed or uninstalled) makes the
// event undeliverable and forgets the conversation. The outcome is not held hostage by the forget:
// when the reference cannot be deleted right now, the event is still settled at once (and the
// failed forget logged), instead of being left queued for its row to come back after the lease and
// post again where Teams asked the bot to stop.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, handleNextRow, roleEvent, teamsError, USER } from '../fixtures/deliverySession';

describe('notification delivery refused by the conversation', () => {
  const session = deliverySession();
  const { instance } = session;

  it('settles the event undeliverable even when its reference cannot be forgotten right now', async () => {
    const c = connector([teamsError(403, undefined, 'BotNotInConversationRoster')]);
    const i = await instance(c.send);
    const { store, state, references, events } = i;
    references.forgetUser = async () => {
      throw new StateUnavailableError('state store: delete failed (SQLITE_BUSY)');
    };
    await store.accept(roleEvent('e1'));
    await handleNextRow(i, 60_000);
    const rec = await store.get('e1');
    assert.equal(rec?.state, 'undeliverable', 'settled at the first pass');
    assert.equal(rec?.attempts, 1);
    assert.match(String(rec?.reason), /403 BotNotInConversationRoster/);
    assert.equal(await state.outbox.size(), 0, 'the row is done: nothing is posted there again');
    assert.ok(events().includes('notification.forget.failed'), 'the failed forget is logged');
    assert.ok(await references.forUser(USER), 'the reference stays until a later refusal forgets it');
  });

  // The user installs the app again while the refused send is under way, and another instance stores
  // the fresh reference (installationUpdate add,
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
  // The refusal forgets the reference the send used, not that one: before, the forget deleted it,
  // and the user's next notifications were "has not installed Governance Bot".
  it('keeps a reference stored again while the refused send was under way', async () => {
    const other = await instance(connector().send);
    const send: SendCard = async () => {
      await other.references.remember(
        {
          conversation: { id: 'a:personal', conversationType: 'personal', tenantId: 't' },
          serviceUrl: 'https://smba.example/amer/',
          user: { id: '29:u' },
        },
        USER,
        undefined,
        undefined,
        'install',
      );
      await other.references.flush();
      throw teamsError(403, undefined, 'BotNotInConversationRoster');
    };
    const i = await instance(send);
    await i.store.accept(roleEvent('e1'));
    await handleNextRow(i, 60_000, false);
    const rec = await i.store.get('e1');
    assert.equal(rec?.state, 'undeliverable');
    assert.match(String(rec?.reason), /403 BotNotInConversationRoster/);
    const kept = await i.references.forUser(USER);
    assert.equal(kept?.serviceUrl, 'https://smba.example/amer/', 'the fresh reference stays');
  });
});
