// The bot removed from a team: every channel reference of the team is forgotten, then the team's list
// of its channels is deleted (src/state/references.ts, forget). When only that list cannot be
// deleted, what the error says is what is true: how many references were forgotten (each once: the
// removal's own channel is on the list too), and how long the list stays. Its channels have no
// reference left, so no send reaches them and no refusal comes; only another removal of the team
// reads the list, which needs the bot added to the team again (its captures stamp the list).
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#team-members-removed

import { strict as assert } from 'node:assert';
import { Records } from '../../src/state/port';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { ConversationReferences } from '../../src/state/references';
import { inChannel, referencesOnSqlite } from '../fixtures/referencesOnSqlite';

const TEAM = '19:team';
const LIST = `ref:team:${TEAM}`;
const CH_A = '19:a@thread.tacv2';
const CH_B = '19:b@thread.tacv2';

const inTeam = (ch: string) => ({ ...inChannel('u1', 't'), conversation: { id: ch, conversationType: 'channel' } });

describe("conversation references: a team's removal whose list cannot be deleted", () => {
  const world = referencesOnSqlite('govbot-refs-team-');

  /** The store, with every write of the team's list refused. */
  const listWritesFailing = (): Records => {
    const records = world.state.records;
    const refused = () => Promise.reject(Object.assign(new Error('ServerBusy'), { statusCode: 503 }));
    return {
      get: (k) => records.get(k),
      create: (k, v, o) => records.create(k, v, o),
      replace: (k, v, ver, o) => (k === LIST ? refused() : records.replace(k, v, ver, o)),
      put: (k, v, o) => records.put(k, v, o),
      delete: (k, v) => (k === LIST ? refused() : records.delete(k, v)),
    };
  };

  const capture = async (refs: ConversationReferences, channels: string[]) => {
    for (const ch of channels) await refs.remember(inTeam(ch), 'u1', ch, TEAM);
    await refs.flush();
  };
  const listed = async () => (await world.state.records.get<{ channels: string[] }>(LIST))?.value.channels ?? [];

  it('counts each reference once and says the list stays until the bot is added and removed again', async () => {
    await capture(new ConversationReferences(world.state.records, { flushDelayMs: 60_000 }), [CH_A, CH_B]);
    const refs = new ConversationReferences(listWritesFailing());
    await assert.rejects(refs.forget(inTeam(CH_A), 'u1', CH_A, TEAM), (e: ReferenceWriteError) => {
      assert.equal(e.code, 'REFERENCES_NOT_FORGOTTEN');
      assert.equal(e.onlyTeamListKept, true);
      assert.equal(
        e.message,
        "2 conversation references were forgotten, but the team's list of its channels could not be deleted; " +
          'it stays stored, naming them, until the bot is added to the team again and removed again',
      );
      return true;
    });
    const fresh = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    assert.equal(await fresh.forChannel(CH_A), null);
    assert.equal(await fresh.forChannel(CH_B), null);
    assert.deepEqual([...(await listed())].sort(), [CH_A, CH_B], 'the list stays');

    // The bot added to the team again, then removed again: that removal deletes the list.
    await capture(fresh, [CH_A]);
    await fresh.forget(inTeam(CH_A), 'u1', CH_A, TEAM);
    assert.equal(await world.state.records.get(LIST), null, 'the list is gone');
  });
});
