// A team's list of its channels (what lets the bot's removal from a team forget every channel of
// it) under forgets and captures from several instances, written once and run on each store
// (SQLite in unit/references.teamList.test.ts, Azure Blob on Azurite in
// e2e/references.azurite.teamList.test.ts). It registers mocha tests; the caller opens instances of
// one fresh store for each test.
// A send Teams answers 403/404 (the bot removed, the channel gone) forgets the channel:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
// The app removed from a team (installationUpdate remove) forgets every channel of the team, and
// the bot added again (installationUpdate add, conversationUpdate naming the bot) captures anew:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import { Records } from '../../src/state/port';
import { CapturedReference, ConversationReferences } from '../../src/state/references';

const TEAM = '19:team@thread.tacv2';
const LIST = `ref:team:${TEAM}`;
const CH_A = '19:a@thread.tacv2';
const CH_B = '19:b@thread.tacv2';
const CH_C = '19:c@thread.tacv2';

/** One store shared by instances: each call opens another instance's records over it. */
export interface TeamListStore {
  records(): Records;
}

/** A channel of the team as a capture sees it. */
function inTeam(channel: string): [CapturedReference, string, string, string] {
  const reference: CapturedReference = {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    conversation: { id: `${channel};messageid=1`, conversationType: 'channel', tenantId: 't' },
    bot: { id: '28:bot', name: 'Governance Bot' },
    user: { id: '29:u', name: 'u', aadObjectId: 'u' },
  };
  return [reference, 'u', channel, TEAM];
}

/** `records` whose delete of `key` runs `meanwhile` once the delete has landed, before it answers:
 * what another instance does between a forget's delete of a reference and its write of the list. */
function afterDeleteOf(records: Records, key: string, meanwhile: () => Promise<void>): Records {
  let armed = true;
  return {
    get: (k) => records.get(k),
    create: (k, v, o) => records.create(k, v, o),
    replace: (k, v, ver, o) => records.replace(k, v, ver, o),
    put: (k, v, o) => records.put(k, v, o),
    delete: async (k, v) => {
      const deleted = await records.delete(k, v);
      if (armed && k === key) {
        armed = false;
        await meanwhile();
      }
      return deleted;
    },
  };
}

/** `records` whose first read of `key` runs `meanwhile` once the read has answered, before it is
 * handed back: what another instance does between a forget's read of the team's list and its deletes. */
function afterReadOf(records: Records, key: string, meanwhile: () => Promise<void>): Records {
  let armed = true;
  return {
    get: async <T>(k: string) => {
      const read = await records.get<T>(k);
      if (armed && k === key) {
        armed = false;
        await meanwhile();
      }
      return read;
    },
    create: (k, v, o) => records.create(k, v, o),
    replace: (k, v, ver, o) => records.replace(k, v, ver, o),
    put: (k, v, o) => records.put(k, v, o),
    delete: (k, v) => records.delete(k, v),
  };
}

/** `records` whose reads of `key` wait for `gate`, and that tell `onPut` when a put of `putKey` has
 * landed: a capture whose reference write is quick and whose stamp of the team's list is slow. */
function slowStamp(records: Records, key: string, gate: Promise<void>, putKey: string, onPut: () => void): Records {
  return {
    get: async <T>(k: string) => {
      if (k === key) await gate;
      return records.get<T>(k);
    },
    create: (k, v, o) => records.create(k, v, o),
    replace: (k, v, ver, o) => records.replace(k, v, ver, o),
    put: async (k, v, o) => {
      const version = await records.put(k, v, o);
      if (k === putKey) onPut();
      return version;
    },
    delete: (k, v) => records.delete(k, v),
  };
}

export function teamListContract(open: () => Promise<TeamListStore & { close(): Promise<void> }>): void {
  let store: TeamListStore & { close(): Promise<void> };
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store?.close();
  });

  const instance = (records: Records = store.records()) =>
    new ConversationReferences(records, { flushDelayMs: 60_000 });
  const capture = async (refs: ConversationReferences, channel: string, occasion: 'turn' | 'install' = 'turn') => {
    await refs.remember(...inTeam(channel), occasion);
    await refs.flush();
  };
  const listed = async (): Promise<string[]> =>
    [...((await store.records().get<{ channels: string[] }>(LIST))?.value.channels ?? [])].sort();

  it("a channel forgotten after a refused send leaves its team's list, and the list goes with its last channel", async () => {
    const a = instance();
    await capture(a, CH_A);
    await capture(a, CH_B);
    await instance().forgetChannel(CH_A);
    assert.equal(await a.forChannel(CH_A), null);
    assert.deepEqual(await listed(), [CH_B], 'the forgotten channel is off the list');
    await instance().forgetChannel(CH_B);
    assert.equal(await store.records().get(LIST), null, 'no list is left for a team with no channel');
    // A channel captured again after its forget is listed again, so the team's removal finds it.
    await capture(a, CH_A, 'install');
    assert.deepEqual(await listed(), [CH_A]);
    await instance().forget({}, undefined, undefined, TEAM);
    assert.equal(await a.forChannel(CH_A), null);
  });

  it("a channel's forget keeps the entry another instance adds to the team's list meanwhile", async () => {
    const b = instance();
    await capture(b, CH_A);
    await capture(b, CH_B);
    const records = afterDeleteOf(store.records(), `ref:channel:${CH_A}`, () => capture(b, CH_C));
    await instance(records).forgetChannel(CH_A);
    assert.deepEqual(await listed(), [CH_B, CH_C], "the other instance's channel keeps its entry");
  });

  // The app removed from the team, then added again at once: the add's capture reaches another
  // instance and lands after the removal's deletes, before the removal writes the list. The channel
  // is on the list already (the removal has not taken it off yet), so the capture adds nothing.
  it("a channel captured again between a team's forget and its write of the list stays listed", async () => {
    const b = instance();
    await capture(b, CH_A);
    await capture(b, CH_B);
    const records = afterDeleteOf(store.records(), `ref:channel:${CH_A}`, () => capture(b, CH_A, 'install'));
    await instance(records).forget({}, undefined, undefined, TEAM);
    assert.ok(await b.forChannel(CH_A), 'the channel captured again is stored');
    assert.deepEqual(await listed(), [CH_A], 'and listed, while the forgotten one is not');
    await instance().forget({}, undefined, undefined, TEAM);
    assert.equal(await instance().forChannel(CH_A), null, "the team's next removal finds it");
    assert.equal(await store.records().get(LIST), null);
  });

  it("a channel captured again between its forget and the forget's write of the list stays listed", async () => {
    const b = instance();
    await capture(b, CH_A);
    const records = afterDeleteOf(store.records(), `ref:channel:${CH_A}`, () => capture(b, CH_A, 'install'));
    await instance(records).forgetChannel(CH_A);
    assert.ok(await b.forChannel(CH_A), 'the channel captured again is stored');
    assert.deepEqual(await listed(), [CH_A], 'and listed');
    await instance().forget({}, undefined, undefined, TEAM);
    assert.equal(await instance().forChannel(CH_A), null, "the team's next removal finds it");
  });

  // The app removed from the team while a capture of one of its channels runs on another instance:
  // the capture's reference lands after the removal read the list and before it deleted the
  // reference, and its stamp after that delete. The delete took the capture's reference away, so
  // the entry its stamp keeps names nothing; left there, nothing would ever take it off (no send
  // reaches a channel without a reference, and a channel's forget reads its team from the reference).
  it("a team's forget takes off an entry stamped again whose reference it deleted", async () => {
    const a = instance();
    await capture(a, CH_A);
    await capture(a, CH_B);
    let open = (): void => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let putLanded = (): void => undefined;
    const landed = new Promise<void>((r) => (putLanded = r));
    const slow = instance(slowStamp(store.records(), LIST, gate, `ref:channel:${CH_A}`, () => putLanded()));
    let captured: Promise<void> = Promise.resolve();
    const reading = afterReadOf(store.records(), LIST, async () => {
      // An install is written at once: its capture ends once that write (its stamp held) has.
      captured = slow.remember(...inTeam(CH_A), 'install');
      await landed;
    });
    const deleting = afterDeleteOf(reading, `ref:channel:${CH_A}`, async () => {
      open();
      await captured;
    });
    await instance(deleting).forget({}, undefined, undefined, TEAM);
    assert.equal(await instance().forChannel(CH_A), null, "the removal deleted the capture's reference");
    assert.equal(await instance().forChannel(CH_B), null);
    assert.equal(await store.records().get(LIST), null, 'and no list is left naming it');
  });

  it('a list and references written before stamps and teams were kept are forgotten as before', async () => {
    const a = instance();
    await capture(a, CH_A);
    await capture(a, CH_B);
    await store.records().put(LIST, { channels: [CH_A, CH_B] }, 'none');
    const b = await store.records().get<{ reference: unknown }>(`ref:channel:${CH_B}`);
    await store.records().put(`ref:channel:${CH_B}`, { reference: b?.value.reference }, 'none');
    await instance().forgetChannel(CH_A);
    assert.deepEqual(await listed(), [CH_B], 'an unstamped entry is taken off');
    // A reference that does not name its team leaves its entry, for the team's removal.
    await instance().forgetChannel(CH_B);
    assert.equal(await a.forChannel(CH_B), null);
    assert.deepEqual(await listed(), [CH_B]);
    await instance().forget({}, undefined, undefined, TEAM);
    assert.equal(await store.records().get(LIST), null);
  });
}
