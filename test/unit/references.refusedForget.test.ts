// A forget after Teams refused a send (403/404: the app uninstalled, the bot removed from the team,
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis)
// forgets the reference the send used, never one stored since: the user may install the app again
// (or the bot be added to the team again: installationUpdate add,
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events)
// between the send's read and the forget, and another instance store the fresh reference. Before,
// the forget deleted the key whatever it held: the recipient's notifications were then "has not
// installed Governance Bot" until a turn captured the reference again (the installing instance
// believes it stored for five minutes), and the channel left its team's list, so a later removal of
// the team did not find it.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ConversationReferences } from '../../src/state/references';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { ALICE, inChannel, personal, referencesOnSqlite } from '../fixtures/referencesOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CH = '19:a@thread.tacv2';

const channel = (sender: string, serviceUrl = 'https://smba.example/') => ({
  ...inChannel(sender, 't'),
  serviceUrl,
  conversation: { id: CH, conversationType: 'channel', tenantId: 't' },
});

describe('conversation references: a forget after a refused send', () => {
  const world = referencesOnSqlite('govbot-refs-refused-');
  let other: SqliteState;
  beforeEach(() => {
    other = new SqliteState(path.join(world.dir, 'state.db'));
  });
  afterEach(async () => {
    await other.close();
  });
  const teamList = async () =>
    (await world.state.records.get<{ channels: string[] }>(`ref:team:${TEAM}`))?.value.channels ?? [];

  it("keeps a user's reference another instance stored after the send read it", async () => {
    const here = new ConversationReferences(world.state.records);
    const there = new ConversationReferences(other.records);
    await here.remember(personal(ALICE), ALICE, undefined);
    await here.flush();
    const refused = await here.readUser(ALICE);
    assert.ok(refused?.version, 'read from the store, with its version');
    // The user installs the app again; the other instance stores the fresh reference.
    await there.remember(
      { ...personal(ALICE), serviceUrl: 'https://smba.example/amer/' },
      ALICE,
      undefined,
      undefined,
      'install',
    );
    await there.flush();
    await here.forgetUser(ALICE, refused);
    const kept = await new ConversationReferences(world.state.records).forUser(ALICE);
    assert.equal(kept?.serviceUrl, 'https://smba.example/amer/', 'the fresh reference stays');
  });

  it("keeps a user's reference stored again unchanged (an install writes it afresh)", async () => {
    const here = new ConversationReferences(world.state.records);
    const there = new ConversationReferences(other.records);
    await here.remember(personal(ALICE), ALICE, undefined);
    await here.flush();
    const refused = await here.readUser(ALICE);
    assert.ok(refused);
    // A reinstall may give the personal chat the same id: the stored reference then looks the same.
    await there.remember(personal(ALICE), ALICE, undefined, undefined, 'install');
    await there.flush();
    await here.forgetUser(ALICE, refused);
    assert.ok(await new ConversationReferences(world.state.records).forUser(ALICE), 'the reinstall stays');
  });

  it("forgets the user's reference the send used", async () => {
    const here = new ConversationReferences(world.state.records);
    await here.remember(personal(ALICE), ALICE, undefined);
    await here.flush();
    const refused = await here.readUser(ALICE);
    assert.ok(refused);
    await here.forgetUser(ALICE, refused);
    assert.equal(await new ConversationReferences(world.state.records).forUser(ALICE), null);
  });

  it('forgets a reference the send took from a capture not written yet, once written as it was', async () => {
    const here = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    await here.remember(personal(ALICE), ALICE, undefined);
    const refused = await here.readUser(ALICE);
    assert.equal(refused?.version, null, 'a capture of this process, not stored yet');
    await here.flush();
    await here.forgetUser(ALICE, refused!);
    assert.equal(await new ConversationReferences(world.state.records).forUser(ALICE), null);
  });

  it('a refused capture not written yet is not written afterwards', async () => {
    const here = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    await here.remember(personal(ALICE), ALICE, undefined);
    const refused = await here.readUser(ALICE);
    assert.equal(refused?.version, null, 'a capture of this process, not stored yet');
    await here.forgetUser(ALICE, refused!);
    await here.flush();
    assert.equal(await new ConversationReferences(world.state.records).forUser(ALICE), null);
  });

  it("a refused channel capture not written yet is not written, nor put on its team's list", async () => {
    const here = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    await here.remember(channel('u1'), 'u1', CH, TEAM);
    const refused = await here.readChannel(CH);
    assert.equal(refused?.version, null);
    await here.forgetChannel(CH, refused!);
    await here.flush();
    assert.equal(await new ConversationReferences(world.state.records).forChannel(CH), null);
    assert.deepEqual(await teamList(), []);
  });

  it('keeps a reinstall stored the same after a refused capture of this process was written', async () => {
    const here = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    const there = new ConversationReferences(other.records);
    await here.remember(personal(ALICE), ALICE, undefined);
    const refused = await here.readUser(ALICE);
    assert.equal(refused?.version, null);
    await here.flush();
    // A reinstall may give the personal chat the same id: the stored reference then looks the same.
    await there.remember(personal(ALICE), ALICE, undefined, undefined, 'install');
    await there.flush();
    await here.forgetUser(ALICE, refused!);
    assert.ok(await new ConversationReferences(world.state.records).forUser(ALICE), 'the reinstall stays');
  });

  it('keeps a capture of this process made after the refused one was read', async () => {
    const here = new ConversationReferences(world.state.records, { flushDelayMs: 60_000 });
    await here.remember(personal(ALICE), ALICE, undefined);
    const refused = await here.readUser(ALICE);
    // The person writes to the bot again: a capture of its own, newer than the refused one.
    await here.remember(personal(ALICE, 'm2'), ALICE, undefined, undefined, 'install');
    await here.forgetUser(ALICE, refused!);
    await here.flush();
    assert.ok(await new ConversationReferences(world.state.records).forUser(ALICE), 'the newer capture is written');
  });

  it("keeps a channel's reference, and its entry on its team's list, when the bot was added again since", async () => {
    const here = new ConversationReferences(world.state.records);
    const there = new ConversationReferences(other.records);
    await here.remember(channel('u1'), 'u1', CH, TEAM);
    await here.flush();
    const refused = await here.readChannel(CH);
    assert.ok(refused?.version);
    await there.remember(channel('u2', 'https://smba.example/emea/'), 'u2', CH, TEAM, 'install');
    await there.flush();
    await here.forgetChannel(CH, refused);
    const kept = await new ConversationReferences(world.state.records).forChannel(CH);
    assert.equal(kept?.serviceUrl, 'https://smba.example/emea/', 'the fresh reference stays');
    assert.deepEqual(await teamList(), [CH], "the team's list still names it, so the team's removal finds it");
  });

  it("forgets the channel's reference the send used, and takes it off its team's list", async () => {
    const here = new ConversationReferences(world.state.records);
    await here.remember(channel('u1'), 'u1', CH, TEAM);
    await here.remember(
      { ...channel('u1'), conversation: { id: '19:b@thread.tacv2' } },
      'u1',
      '19:b@thread.tacv2',
      TEAM,
    );
    await here.flush();
    const refused = await here.readChannel(CH);
    assert.ok(refused);
    await here.forgetChannel(CH, refused);
    assert.equal(await new ConversationReferences(world.state.records).forChannel(CH), null);
    assert.deepEqual(await teamList(), ['19:b@thread.tacv2']);
  });

  // The capture's write was under way when the forget came, and failed: the write-behind queues it
  // again for its retry, which would then store the reference Teams refused.
  it('does not store a refused capture whose write failed while the forget waited for it', async () => {
    const here = new ConversationReferences(world.state.records);
    await here.remember(personal(ALICE), ALICE, undefined);
    const refused = await here.readUser(ALICE);
    assert.equal(refused?.version, null, 'read before it was stored');
    let reach!: () => void;
    const reached = new Promise<void>((res) => (reach = res));
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    const records = world.state.records as { put: Records['put'] };
    const put = records.put.bind(world.state.records);
    let armed = true;
    records.put = async (k, v, expiry) => {
      if (armed && k.startsWith('ref:user:')) {
        armed = false;
        reach();
        await released;
        throw new StateUnavailableError('state store: the write did not reach the store');
      }
      return put(k, v, expiry);
    };
    const writing = here.flush();
    await reached;
    const forgetting = here.forgetUser(ALICE, refused!);
    release();
    await forgetting;
    await writing.catch(() => undefined);
    await here.flush();
    assert.equal(await new ConversationReferences(world.state.records).forUser(ALICE), null);
  });
});
