// Conversation references on the state port: captured without waiting for storage, coalesced per
// conversation, stored without per-sender parts, never for group chats, with a bounded cache.
// What a proactive send needs: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Records } from '../../src/state/port';
import { holdNextWrite } from '../fixtures/heldWrite';
import { recordsWithPut } from '../fixtures/recordsWithPut';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { LruCache } from '../../src/state/lruCache';
import { CapturedReference, ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const CHANNEL = '19:ops@thread.tacv2';

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

function personal(aad: string, activityId = 'm1'): CapturedReference & { activityId: string } {
  return {
    activityId,
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: 't' },
    bot: { id: '28:bot', name: 'Governance Bot' },
    user: { id: `29:${aad}`, name: 'Alice', aadObjectId: aad },
  };
}

function inChannel(sender: string, thread: string): CapturedReference & { activityId: string; locale: string } {
  return {
    activityId: `m-${sender}`,
    locale: 'en-US',
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    conversation: { id: `${CHANNEL};messageid=${thread}`, conversationType: 'channel', tenantId: 't' },
    bot: { id: '28:bot', name: 'Governance Bot' },
    user: { id: `29:${sender}`, name: sender, aadObjectId: sender },
  };
}

describe('conversation references', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-refs-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
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

  it("two instances adding channels of one team concurrently keep both in the team's list", async () => {
    const other = new SqliteState(path.join(dir, 'state.db'));
    try {
      const a = new ConversationReferences(state.records, { flushDelayMs: 60_000 });
      const b = new ConversationReferences(other.records, { flushDelayMs: 60_000 });
      const chA = '19:a@thread.tacv2';
      const chB = '19:b@thread.tacv2';
      await a.remember(
        { ...inChannel('u1', 't'), conversation: { id: chA, conversationType: 'channel' } },
        'u1',
        chA,
        '19:team',
      );
      await b.remember(
        { ...inChannel('u2', 't'), conversation: { id: chB, conversationType: 'channel' } },
        'u2',
        chB,
        '19:team',
      );
      await Promise.all([a.flush(), b.flush()]);
      const team = await state.records.get<{ channels: string[] }>('ref:team:19:team');
      assert.deepEqual([...(team?.value.channels ?? [])].sort(), [chA, chB]);
      // Removing the app from the team forgets both channels.
      await a.forget({}, undefined, undefined, '19:team');
      assert.equal(await b.forChannel(chA), null);
      assert.equal(await b.forChannel(chB), null);
    } finally {
      await other.close();
    }
  });

  // Two instances: A forgets the team (the app removed from it: installationUpdate remove,
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events)
  // while B adds another channel of the team to its list, between A's read of the list and A's
  // write of it. B's entry must survive A's forget, or no later removal of the team finds it.
  it("a channel another instance adds to the team's list while a forget is under way keeps its entry", async () => {
    const other = new SqliteState(path.join(dir, 'state.db'));
    try {
      const chA = '19:a@thread.tacv2';
      const chB = '19:b@thread.tacv2';
      const inTeam = (ch: string, who: string) =>
        [
          { ...inChannel(who, 't'), conversation: { id: ch, conversationType: 'channel' } },
          who,
          ch,
          '19:team',
        ] as const;
      const b = new ConversationReferences(other.records, { flushDelayMs: 60_000 });
      await b.remember(...inTeam(chA, 'u1'));
      await b.flush();
      // B's next add to the team's list has read it ([chA]) and waits to write it.
      const held = holdNextWrite(other.records, 'ref:team:');
      await b.remember(...inTeam(chB, 'u2'));
      const adding = b.flush();
      await held.reached;
      // A reads the list ([chA]); B's write lands as A deletes chA, before A writes the list.
      const aRecords: Records = {
        get: (k) => state.records.get(k),
        create: (k, v, o) => state.records.create(k, v, o),
        replace: (k, v, ver, o) => state.records.replace(k, v, ver, o),
        put: (k, v, o) => state.records.put(k, v, o),
        delete: async (k, v) => {
          if (k === `ref:channel:${chA}`) {
            held.release();
            await adding;
          }
          return state.records.delete(k, v);
        },
      };
      const a = new ConversationReferences(aRecords, { flushDelayMs: 60_000 });
      await a.forget({}, undefined, undefined, '19:team');
      assert.equal(await b.forChannel(chA), null);
      const team = await state.records.get<{ channels: string[] }>('ref:team:19:team');
      assert.deepEqual(team?.value.channels, [chB], "B's channel keeps its entry; the forgotten one is gone");
      // So the next removal of the team finds B's channel and forgets it, and the list with it.
      await new ConversationReferences(state.records).forget({}, undefined, undefined, '19:team');
      assert.equal(await new ConversationReferences(state.records).forChannel(chB), null);
      assert.equal(await state.records.get('ref:team:19:team'), null);
    } finally {
      await other.close();
    }
  });

  it('a reference forgotten while its write is pending is not brought back', async () => {
    const refs = new ConversationReferences(state.records, { flushDelayMs: 60_000 });
    await refs.remember(personal(ALICE), ALICE, undefined);
    await refs.forget(personal(ALICE), ALICE, undefined);
    await refs.flush();
    assert.equal(await refs.forUser(ALICE), null);
    assert.equal(await new ConversationReferences(state.records).forUser(ALICE), null);
  });

  // Teams answers 403/404 to a send where the bot was removed or the app uninstalled, and the bot
  // forgets the conversation then, or on installationUpdate remove
  // (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
  // One delete the store refuses (a 403 from Blob Storage, a store outage) must not keep the others.
  it('a forget tries every key when one delete fails, says so, and keeps the team list that finds it', async () => {
    const failing = new Set<string>();
    const deleted: string[] = [];
    const records: Records = {
      get: (k) => state.records.get(k),
      create: (k, v, o) => state.records.create(k, v, o),
      replace: (k, v, ver, o) => state.records.replace(k, v, ver, o),
      put: (k, v, o) => state.records.put(k, v, o),
      delete: (k, v) => {
        deleted.push(k);
        return failing.has(k)
          ? Promise.reject(Object.assign(new Error('AuthorizationPermissionMismatch'), { statusCode: 403 }))
          : state.records.delete(k, v);
      },
    };
    const refs = new ConversationReferences(records, { flushDelayMs: 60_000 });
    const channels = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2'];
    for (const ch of channels) {
      await refs.remember(
        { ...inChannel('u1', 't'), conversation: { id: ch, conversationType: 'channel' } },
        'u1',
        ch,
        '19:team',
      );
    }
    await refs.remember(personal(ALICE), ALICE, undefined);
    await refs.flush();
    failing.add('ref:channel:19:a@thread.tacv2');
    const forgotten = refs.forget({}, undefined, undefined, '19:team');
    await assert.rejects(forgotten, (e: ReferenceWriteError) => {
      assert.equal(e.code, 'REFERENCES_NOT_FORGOTTEN');
      assert.match(e.message, /^2 of 4 conversation references could not be forgotten \(1 channel, 1 team\)/);
      assert.doesNotMatch(e.message, /thread\.tacv2/, 'no identifier in the message');
      return true;
    });
    // The channels after the failed one were forgotten all the same; the failed one stays, and so
    // does the team's list, which is how the next removal finds it.
    const fresh = new ConversationReferences(state.records);
    assert.ok(await fresh.forChannel(channels[0]!), 'the refused delete left its reference');
    assert.equal(await fresh.forChannel(channels[1]!), null);
    assert.equal(await fresh.forChannel(channels[2]!), null);
    assert.ok(await state.records.get('ref:team:19:team'), 'the team list is kept while a channel is');
    // A user's chat: the one key fails and the forget says so, never silently.
    failing.add(`ref:user:${ALICE}`);
    await assert.rejects(refs.forgetUser(ALICE), /1 of 1 conversation references could not be forgotten \(1 user\)/);
    assert.ok(await fresh.forUser(ALICE));
    // Once the store lets it, the next removal forgets the rest, the team list last.
    failing.clear();
    deleted.length = 0;
    await refs.forget({}, undefined, undefined, '19:team');
    assert.equal(await fresh.forChannel(channels[0]!), null);
    assert.equal(await state.records.get('ref:team:19:team'), null);
    assert.equal(deleted.at(-1), 'ref:team:19:team');
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
