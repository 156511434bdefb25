// Conversation references on the state port: captured without waiting for storage, coalesced per
// conversation, stored without per-sender parts, never for group chats, with a bounded cache.
// What a proactive send needs: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import { Records } from '../../src/state/port';
import { recordsWithPut } from '../fixtures/recordsWithPut';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { LruCache } from '../../src/state/lruCache';
import { ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';
import { ALICE, CHANNEL, inChannel, personal, referencesOnSqlite } from '../fixtures/referencesOnSqlite';

/** Records that count writes and can be made to hang. */
function counting(records: Records) {
  const puts: string[] = [];
  let hang = false;
  const wrapped = recordsWithPut(records, (k, write) => {
    puts.push(k);
    return hang ? new Promise<string>(() => undefined) : write();
  });
  return { records: wrapped, puts, hangWrites: () => (hang = true) };
}

describe('conversation references', () => {
  const world = referencesOnSqlite('govbot-refs-');
  let state: SqliteState;
  beforeEach(() => {
    ({ state } = world);
  });

  it('remember returns without waiting for storage, and the reference is readable at once', async () => {
    const c = counting(state.records);
    c.hangWrites();
    const refs = new ConversationReferences(c.records, { flushDelayMs: 60_000 });
    await refs.remember(personal(ALICE), ALICE, undefined);
    assert.equal(c.puts.length, 0, 'nothing written on the turn');
    assert.equal((await refs.forUser(ALICE))?.conversation?.id, `a:personal-${ALICE}`);
  });

  it('coalesces captures of one conversation into one write of the latest', async () => {
    const c = counting(state.records);
    const refs = new ConversationReferences(c.records, { flushDelayMs: 60_000 });
    for (let i = 0; i < 10; i++) {
      await refs.remember({ ...personal(ALICE), serviceUrl: `https://smba${i}.example/` }, ALICE, undefined);
    }
    await refs.flush();
    assert.deepEqual(c.puts, [`ref:user:${ALICE}`]);
    const stored = await new ConversationReferences(state.records).forUser(ALICE);
    assert.equal(stored?.serviceUrl, 'https://smba9.example/');
  });

  it('writes behind on its own after a short delay', async () => {
    const c = counting(state.records);
    const refs = new ConversationReferences(c.records, { flushDelayMs: 1 });
    await refs.remember(personal(ALICE), ALICE, undefined);
    const deadline = Date.now() + 5000;
    while (c.puts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(c.puts, [`ref:user:${ALICE}`]);
  });

  it('an unchanged reference is not written again (the message id is not part of it)', async () => {
    const c = counting(state.records);
    const refs = new ConversationReferences(c.records, { flushDelayMs: 60_000 });
    await refs.remember(personal(ALICE, 'm1'), ALICE, undefined);
    await refs.flush();
    await refs.remember(personal(ALICE, 'm2'), ALICE, undefined);
    await refs.flush();
    assert.equal(c.puts.length, 1);
  });

  it("stores a channel's reference without the sender: 50 senders in many threads write once", async () => {
    const c = counting(state.records);
    const refs = new ConversationReferences(c.records, { flushDelayMs: 60_000 });
    for (let i = 0; i < 50; i++) {
      await refs.remember(inChannel(`user-${i}`, `t${i % 7}`), `user-${i}`, CHANNEL, '19:team');
      if (i % 10 === 0) await refs.flush();
    }
    await refs.flush();
    assert.deepEqual(c.puts, [`ref:channel:${CHANNEL}`]);
    const stored = await new ConversationReferences(state.records).forChannel(CHANNEL);
    assert.deepEqual(stored, {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      bot: { id: '28:bot', name: 'Governance Bot' },
      conversation: { id: CHANNEL, tenantId: 't', conversationType: 'channel', isGroup: true },
    });
  });

  it('stores nothing for a group chat (no notification can target one)', async () => {
    const c = counting(state.records);
    const refs = new ConversationReferences(c.records, { flushDelayMs: 60_000 });
    await refs.remember(
      {
        serviceUrl: 'https://smba.example/',
        conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', tenantId: 't' },
      },
      ALICE,
      undefined,
    );
    await refs.flush();
    assert.equal(c.puts.length, 0);
  });

  it('keeps the "already stored" cache within its bound', async () => {
    const refs = new ConversationReferences(state.records, { flushDelayMs: 60_000, cacheSize: 100 });
    for (let i = 0; i < 1000; i++) {
      const aad = `a1b2c3d4-1111-4aaa-8bbb-${String(i).padStart(12, '0')}`;
      await refs.remember(personal(aad), aad, undefined);
    }
    await refs.flush();
    assert.equal(refs.cachedKeys, 100);
    const aad = `a1b2c3d4-1111-4aaa-8bbb-${String(999).padStart(12, '0')}`;
    assert.ok(await refs.forUser(aad), 'every reference was still stored');
  });

  it('the LRU forgets the least recently used key first', () => {
    const lru = new LruCache<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1);
    lru.set('c', 3);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.size, 2);
  });

  it('after a failed write the next capture writes again', async () => {
    let fail = true;
    const errors: ReferenceWriteError[] = [];
    const records: Records = {
      get: (k) => state.records.get(k),
      create: (k, v, o) => state.records.create(k, v, o),
      replace: (k, v, ver, o) => state.records.replace(k, v, ver, o),
      delete: (k, v) => state.records.delete(k, v),
      put: (k, v, o) => (fail ? Promise.reject(new Error('store down')) : state.records.put(k, v, o)),
    };
    const refs = new ConversationReferences(records, { flushDelayMs: 60_000, onError: (e) => errors.push(e) });
    await refs.remember(personal(ALICE), ALICE, undefined);
    await refs.flush();
    // The failure (retried), and the flush saying what it could not write.
    assert.deepEqual(
      errors.map((e) => e.code),
      ['REFERENCE_WRITE_RETRYING', 'REFERENCES_NOT_WRITTEN'],
    );
    fail = false;
    await refs.remember(personal(ALICE), ALICE, undefined);
    await refs.flush();
    assert.ok(await new ConversationReferences(state.records).forUser(ALICE));
  });
});
