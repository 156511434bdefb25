// Forgetting conversation references (the app removed from a team, or a send answered that the bot
// was removed): a team's forget reaches every channel in its list, even one another instance adds
// meanwhile; a reference forgotten is not brought back by a pending write; a delete the store
// refuses keeps what finds it again and says so.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { Records } from '../../src/state/port';
import { holdNextWrite } from '../fixtures/heldWrite';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';
import { ALICE, inChannel, personal, referencesOnSqlite } from '../fixtures/referencesOnSqlite';

describe('conversation references: forgetting', () => {
  const world = referencesOnSqlite('govbot-refs-');
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    ({ dir, state } = world);
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
});
