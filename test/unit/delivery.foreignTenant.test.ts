// A notification to a person (or a channel) whose stored conversation reference names another
// organization's tenant. The bot serves one tenant and refuses activities from others at its
// inbound edge (src/bot/adapter.ts); a reference stored before that check must not carry this
// organization's notifications into the other organization's chat either, and since that tenant's
// uninstall events are refused now, the reference is forgotten here, as after a refusal by the
// conversation. A multi-tenant bot can be installed by any tenant:
// https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy
// Teams names the conversation's tenant in conversation.tenantId of every activity, so of every
// stored reference:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';
import { ConversationReferences } from '../../src/state/references';
import { USER, connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

const SERVED = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const FOREIGN = 'f00dfeed-0000-4000-8000-00000000beef';
const CHANNEL = '19:foreign-ops@thread.tacv2';

/** Stores `USER`'s personal chat as naming `tenantId` (none: no tenant at all). */
async function personalChatOf(references: ConversationReferences, tenantId: string | undefined): Promise<void> {
  await references.remember(
    {
      conversation: { id: 'a:personal', conversationType: 'personal', ...(tenantId ? { tenantId } : {}) },
      serviceUrl: 'https://smba.example/',
      user: { id: '29:u' },
    },
    USER,
    undefined,
    undefined,
    'install',
  );
  await references.flush();
}

describe('notification delivery: a stored reference of another tenant', () => {
  const session = deliverySession();
  const { instance } = session;

  it('is never sent to: no connector call, the reference forgotten, undeliverable, logged once naming the tenant', async () => {
    const c = connector();
    const log = recordingLogger();
    const { store, references, worker } = await instance(c.send, { servedTenant: SERVED, logger: log.logger });
    await personalChatOf(references, FOREIGN);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('e1');
    assert.equal(rec?.state, 'undeliverable');
    assert.match(String(rec?.reason), /another organization/);
    assert.deepEqual(c.sent, [], 'no call to the connector');
    assert.equal(await references.forUser(USER), null, 'the reference is forgotten');
    const lines = log.lines.filter((l) => l.event === 'notification.foreignTenant');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.foreignTenant, FOREIGN);
    assert.doesNotMatch(JSON.stringify(log.lines), /smba\.example|a:personal/, 'never the reference body');
  });

  it('a channel notification whose stored channel reference names another tenant is not sent either', async () => {
    const c = connector();
    const { store, references, worker } = await instance(c.send, { servedTenant: SERVED });
    await references.remember(
      {
        conversation: { id: `${CHANNEL};messageid=1`, conversationType: 'channel', tenantId: FOREIGN },
        serviceUrl: 'https://smba.example/',
      },
      undefined,
      CHANNEL,
      '19:team@thread.tacv2',
      'install',
    );
    await references.flush();
    assert.ok(await references.forChannel(CHANNEL), 'the channel reference is stored');
    const parsed = parseEvent({
      eventId: 'c1',
      kind: 'roleRequest',
      target: { channelId: CHANNEL },
      requestId: SERVED,
    });
    assert.ok(parsed.ok);
    await store.accept(parsed.event);
    worker.start();
    await eventually(async () => (await store.get('c1'))?.state !== 'queued', 'the outcome');
    assert.equal((await store.get('c1'))?.state, 'undeliverable');
    assert.deepEqual(c.sent, []);
    assert.equal(await references.forChannel(CHANNEL), null, 'the channel reference is forgotten');
  });

  it("the served tenant's reference (its GUID in another case) is delivered", async () => {
    const c = connector();
    const { store, references, worker } = await instance(c.send, { servedTenant: SERVED });
    await personalChatOf(references, SERVED.toUpperCase());
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    assert.equal((await store.get('e1'))?.state, 'delivered');
    assert.deepEqual(c.sent, ['a:personal']);
    assert.ok(await references.forUser(USER));
  });

  it('a reference naming no tenant is delivered (the default tenant)', async () => {
    const c = connector();
    const { store, references, worker } = await instance(c.send, { servedTenant: SERVED });
    await personalChatOf(references, undefined);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    assert.equal((await store.get('e1'))?.state, 'delivered');
    assert.deepEqual(c.sent, ['a:personal']);
  });

  it('with the served tenant unknown (configured by its domain name) the check is off, as at the inbound edge', async () => {
    const c = connector();
    const { store, references, worker } = await instance(c.send, { servedTenant: null });
    await personalChatOf(references, FOREIGN);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    assert.equal((await store.get('e1'))?.state, 'delivered');
  });
});
