// Conversation references across instances sharing one store: what one instance believes it stored
// is only a belief. Another instance may delete the reference (Teams answered 403/404 to a
// notification there, or the app was removed from the team there); an install seen by this
// instance writes it again whatever it believes, and a turn does once the belief has expired.
// Install events (installationUpdate, conversationUpdate membersAdded naming the bot):
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// The 403/404 that makes an instance forget: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { ReferenceCapture } from '../../src/bot/referenceCapture';
import { Records } from '../../src/state/port';
import { recordsWithPut } from '../fixtures/recordsWithPut';
import { ConversationReferences, ReferenceOptions, STORED_BELIEF_MS } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';
import { recordingLogger } from '../fixtures/recordingLogger';

const ALICE = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const CHANNEL = '19:ops@thread.tacv2';
const TEAM = '19:team@thread.tacv2';
const BOT = { id: '28:bot', name: 'Governance Bot' };

const personalChat: Partial<Activity> = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  from: { id: '29:alice', name: 'Alice', aadObjectId: ALICE },
  recipient: BOT,
  conversation: { id: 'a:personal-alice', conversationType: 'personal', tenantId: 't', isGroup: false, name: '' },
  channelData: { tenant: { id: 't' } },
};

const teamChannel = (conversationId: string): Partial<Activity> => ({
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  from: { id: '29:alice', name: 'Alice', aadObjectId: ALICE },
  recipient: BOT,
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 't', isGroup: true, name: '' },
  channelData: { tenant: { id: 't' }, channel: { id: CHANNEL }, team: { id: TEAM } },
});

/** Records that list the keys written. */
function counting(records: Records) {
  const puts: string[] = [];
  const wrapped = recordsWithPut(records, (k, write) => {
    puts.push(k);
    return write();
  });
  return { records: wrapped, puts };
}

describe('conversation references across instances', () => {
  let dir: string;
  const opened: SqliteState[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-refs-inst-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const store = (): SqliteState => {
    const s = new SqliteState(path.join(dir, 'state.db'));
    opened.push(s);
    return s;
  };

  /** One instance: its references (over its own connection to the shared file) and its middleware. */
  const instance = (options: ReferenceOptions = {}, records: Records = store().records) => {
    const references = new ConversationReferences(records, { flushDelayMs: 60_000, ...options });
    const capture = new ReferenceCapture(references, recordingLogger().logger);
    const turn = async (activity: Partial<Activity>): Promise<void> => {
      await capture.onTurn(new TurnContext(new TestAdapter(), activity), async () => undefined);
      await capture.idle();
      await references.flush();
    };
    return { references, turn };
  };

  const message = (over: Partial<Activity>): Partial<Activity> => ({ type: 'message', id: 'm1', text: 'hi', ...over });

  it('a personal reference another instance forgot is stored again when the app is installed again here', async () => {
    const a = instance();
    const b = instance();
    await a.turn(message(personalChat));
    assert.ok(await b.references.forUser(ALICE));
    // Instance B: Teams answered 403 to a notification (Alice had uninstalled the app).
    await b.references.forgetUser(ALICE);
    // Alice installs the app again; the installationUpdate reaches instance A.
    await a.turn({ ...personalChat, type: 'installationUpdate', action: 'add' });
    assert.ok(await b.references.forUser(ALICE), 'Alice can be reached again');
  });

  it("a channel another instance forgot is stored again, with the team's list, when the bot is added to the team again here", async () => {
    const a = instance();
    const b = instance();
    await a.turn(message(teamChannel(`${CHANNEL};messageid=1`)));
    // The app is removed from the team; the installationUpdate reaches instance B.
    await b.references.forget({}, undefined, undefined, TEAM);
    assert.equal(await b.references.forChannel(CHANNEL), null);
    // The bot is added to the team again; the conversationUpdate naming the bot reaches A.
    await a.turn({ ...teamChannel(CHANNEL), type: 'conversationUpdate', membersAdded: [BOT] });
    assert.ok(await b.references.forChannel(CHANNEL), 'the channel can be reached again');
    // The team's list names the channel again, so a later removal forgets it.
    await b.references.forget({}, undefined, undefined, TEAM);
    assert.equal(await b.references.forChannel(CHANNEL), null);
  });

  it('a member added who is not the bot does not rewrite an unchanged reference', async () => {
    const c = counting(store().records);
    const a = instance({}, c.records);
    await a.turn(message(teamChannel(`${CHANNEL};messageid=1`)));
    const written = c.puts.length;
    const bob = { id: '29:bob', name: 'Bob', aadObjectId: 'b0b0b0b0-2222-4aaa-8bbb-0000000000b0' };
    await a.turn({ ...teamChannel(CHANNEL), type: 'conversationUpdate', membersAdded: [bob] });
    assert.equal(c.puts.length, written);
  });

  it('a reference another instance forgot is written again by a turn here once the belief has expired', async () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const a = instance({ now: () => now });
    const b = instance();
    await a.turn(message(personalChat));
    await b.references.forgetUser(ALICE);
    // A turn while the belief holds does not write (that is what the belief is for) ...
    now += STORED_BELIEF_MS / 2;
    await a.turn(message({ ...personalChat, id: 'm2' }));
    assert.equal(await b.references.forUser(ALICE), null);
    // ... the first turn after it expired does.
    now += STORED_BELIEF_MS;
    await a.turn(message({ ...personalChat, id: 'm3' }));
    assert.ok(await b.references.forUser(ALICE), 'Alice can be reached again');
  });
});
