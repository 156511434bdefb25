// An install captured on one instance reaches a notification handled on another at once: the
// install's reference is written before its turn ends, not behind it after the capture delay, so an
// event posted to another instance just after the app was installed is delivered, not settled for
// good as "has not installed". The write-behind delay here is a minute (standing for the default
// 200 ms, which a test cannot hold without sleeping): only an install written at once passes.
// Install events (installationUpdate add, conversationUpdate naming the bot):
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { ReferenceCapture } from '../../src/bot/referenceCapture';
import { ConversationReferences } from '../../src/state/references';
import { connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';
import { recordsWithPut } from '../fixtures/recordsWithPut';
import { StateUnavailableError } from '../../src/state/port';

const BOB = 'b0b0b0b0-2222-4aaa-8bbb-0000000000b0';
const BOT = { id: '28:bot', name: 'Governance Bot' };

const bobsChat: Partial<Activity> = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  from: { id: '29:bob', name: 'Bob', aadObjectId: BOB },
  recipient: BOT,
  conversation: { id: 'a:personal-bob', conversationType: 'personal', tenantId: 't', isGroup: false, name: '' },
  channelData: { tenant: { id: 't' } },
};

describe('an install on one instance and a notification on another', () => {
  const session = deliverySession();

  const installs: Array<[string, Partial<Activity>]> = [
    ['installationUpdate add', { ...bobsChat, type: 'installationUpdate', action: 'add' }],
    ['conversationUpdate adding the bot', { ...bobsChat, type: 'conversationUpdate', membersAdded: [BOT] }],
  ];
  for (const [name, install] of installs) {
    it(`an event posted to the other instance right after the install (${name}) is delivered`, async () => {
      const c = connector();
      const a = await session.instance(c.send);
      const b = await session.instance(c.send);
      // Instance A's references as the bot makes them, their capture delay a minute long.
      const references = new ConversationReferences(a.state.records, { flushDelayMs: 60_000 });
      const capture = new ReferenceCapture(references, recordingLogger().logger);
      await capture.onTurn(new TurnContext(new TestAdapter(), install), async () => undefined);
      // The install's turn has ended; the event reaches instance B.
      await b.store.accept(roleEvent('after-install', BOB));
      b.worker.start();
      await eventually(async () => (await b.store.get('after-install'))?.state !== 'queued', 'the event settled');
      const record = await b.store.get('after-install');
      assert.equal(record?.state, 'delivered', record?.reason);
      assert.deepEqual(c.sent, ['a:personal-bob']);
      await references.flush();
    });
  }

  it('a message turn is still written behind (coalesced), not at once', async () => {
    const c = connector();
    const a = await session.instance(c.send);
    const references = new ConversationReferences(a.state.records, { flushDelayMs: 60_000 });
    const capture = new ReferenceCapture(references, recordingLogger().logger);
    await capture.onTurn(
      new TurnContext(new TestAdapter(), { ...bobsChat, type: 'message', id: 'm1', text: 'hi' }),
      async () => undefined,
    );
    await capture.idle();
    assert.equal(await a.state.records.get(`ref:user:${BOB}`), null, 'not written before the delay');
    await references.flush();
  });

  it('an install whose write fails still ends its turn, and the write is tried again on its own', async () => {
    const c = connector();
    const a = await session.instance(c.send);
    let fail = true;
    const records = recordsWithPut(a.state.records, (_key, write) =>
      fail ? Promise.reject(new StateUnavailableError('state store: write failed (SQLITE_IOERR)')) : write(),
    );
    const log = recordingLogger();
    const references = new ConversationReferences(records, { flushDelayMs: 60_000, retry: { firstMs: 1 } });
    const capture = new ReferenceCapture(references, log.logger);
    let handled = false;
    await capture.onTurn(
      new TurnContext(new TestAdapter(), { ...bobsChat, type: 'installationUpdate', action: 'add' }),
      async () => void (handled = true),
    );
    assert.ok(handled, 'the turn went on to its handler');
    fail = false;
    await eventually(async () => (await a.state.records.get(`ref:user:${BOB}`)) !== null, 'the retry wrote it');
    await references.flush();
  });
});
