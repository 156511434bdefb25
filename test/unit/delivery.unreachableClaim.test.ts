// A row that finds the recipient unreachable (no stored conversation reference, or one of another
// organization) settles the event undeliverable only under the event's send claim, as a send does:
// never while another row of the event (a second message on Azure, or the same row taken over once
// its lease lapsed) is sending its card. Otherwise the event would read undeliverable although its
// card was posted. Azure Queue Storage keeps a second message for the same id:
// https://learn.microsoft.com/rest/api/storageservices/put-message
// Teams names the conversation's tenant in conversation.tenantId of every stored reference:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { DeliveryWorker } from '../../src/notifications/worker';
import { Lease, WorkQueue } from '../../src/state/port';
import { ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';
import { USER, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;
const SERVED = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const FOREIGN = 'f00dfeed-0000-4000-8000-00000000beef';

type Payload = { readonly eventId: string };

/** A send that waits for the test to let it answer. */
function gatedSend() {
  const started: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const send: SendCard = async (reference) => {
    started.push(reference.conversation?.id ?? '');
    await gate;
    return `activity-${started.length}`;
  };
  return { send, started, open };
}

/** Holds the first read of a conversation reference on `state` until the test lets it go on. */
function heldReferenceRead(state: SqliteState) {
  let reading!: () => void;
  const started = new Promise<void>((r) => (reading = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  const get = state.records.get.bind(state.records);
  state.records.get = async (key) => {
    if (first && key.startsWith('ref:')) {
      first = false;
      reading();
      await held;
    }
    return get(key);
  };
  return { started, release };
}

/** Has `worker` handle `row` as its loop would, without waiting for it. */
const handling = (worker: DeliveryWorker, row: Lease<Payload>): Promise<void> =>
  (worker as unknown as { handle(r: Lease<Payload>): Promise<void> }).handle(row);

/** Stores `USER`'s personal chat as naming `tenantId`. */
async function personalChatOf(references: ConversationReferences, tenantId: string): Promise<void> {
  await references.remember(
    {
      conversation: { id: 'a:personal', conversationType: 'personal', tenantId },
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

/** What makes the recipient unreachable once the first row has read the event. */
const unreachable = {
  'no stored reference (the user uninstalled the bot)': (references: ConversationReferences) =>
    references.forgetUser(USER),
  "a stored reference of another organization's tenant": (references: ConversationReferences) =>
    personalChatOf(references, FOREIGN),
};

describe('notification delivery: an unreachable recipient settles only under the send claim', () => {
  const session = deliverySession();
  const { instance } = session;
  const clock = () => Date.now() + session.offset;

  for (const [what, makeUnreachable] of Object.entries(unreachable)) {
    it(`a second row that finds ${what} while the first row's card is being sent leaves the event delivered`, async () => {
      const teams = gatedSend();
      const outbox = new AzureLikeQueue<Payload>(clock);
      const options = { leaseMs: LEASE_MS, servedTenant: SERVED };
      const a = await instance(teams.send, options, outbox);
      const b = await instance(teams.send, options, outbox);
      await personalChatOf(a.references, SERVED);
      const aRead = heldReferenceRead(a.state);
      await a.store.accept(roleEvent('e1'));
      // A second message for the same id, as a repair of a record without its mark leaves on Azure.
      await outbox.enqueue('e1', { eventId: 'e1' });
      const rowA = await outbox.lease(LEASE_MS);
      const rowB = await outbox.lease(LEASE_MS);
      assert.ok(rowA && rowB, 'both rows leased');
      // A reads the queued, unclaimed record, then its read of the recipient is slow.
      const aDone = handling(a.worker, rowA);
      await aRead.started;
      // B reads the recipient, claims the send and posts the card; Teams has not answered yet.
      const bDone = handling(b.worker, rowB);
      await eventually(() => teams.started.length === 1, "B's send under way");
      await makeUnreachable(b.references);
      aRead.release();
      await aDone;
      assert.equal((await a.store.get('e1'))?.state, 'queued', 'not settled while the card is being sent');
      teams.open();
      await bDone;
      const record = await a.store.get('e1');
      assert.equal(record?.state, 'delivered', 'the posted card is what the event says');
      assert.equal(record?.activityId, 'activity-1');
      assert.deepEqual(teams.started, ['a:personal'], 'posted once');
      // A's row comes back once B's claim is over, finds the event settled and ends.
      session.offset += LEASE_MS + 1;
      const again = await outbox.lease(LEASE_MS);
      assert.ok(again, "A's row is back");
      await handling(a.worker, again);
      assert.equal(await outbox.size(), 0);
      assert.equal((await a.store.get('e1'))?.state, 'delivered');
    });
  }

  it('the row taken over once its lease lapsed, sending, is not undone by its first taker finding no reference', async () => {
    const teams = gatedSend();
    const a = await instance(teams.send, { leaseMs: LEASE_MS });
    const b = await instance(teams.send, { leaseMs: LEASE_MS });
    const outbox: WorkQueue<Payload> = a.state.outbox;
    const aRead = heldReferenceRead(a.state);
    await a.store.accept(roleEvent('e1'));
    const rowA = await outbox.lease(LEASE_MS);
    assert.ok(rowA);
    const aDone = handling(a.worker, rowA);
    await aRead.started;
    session.offset += LEASE_MS + 1; // A's lease lapses while A still works
    const rowB = await b.state.outbox.lease(LEASE_MS);
    assert.ok(rowB, 'B takes the row over');
    const bDone = handling(b.worker, rowB);
    await eventually(() => teams.started.length === 1, "B's send under way");
    await b.references.forgetUser(USER);
    aRead.release();
    await aDone;
    assert.equal((await a.store.get('e1'))?.state, 'queued', 'not settled while the card is being sent');
    teams.open();
    await bDone;
    const record = await a.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
    assert.equal(await outbox.size(), 0, "B's row is done");
  });

  it('a settlement whose claim lapsed before its write, taken over by a send, leaves the event to that send', async () => {
    const teams = gatedSend();
    const outbox = new AzureLikeQueue<Payload>(clock);
    const a = await instance(teams.send, { leaseMs: LEASE_MS }, outbox);
    const b = await instance(teams.send, { leaseMs: LEASE_MS }, outbox);
    // A's outcome write is slow (a storage call near its deadline).
    let writing!: () => void;
    const writeStarted = new Promise<void>((r) => (writing = r));
    let releaseWrite!: () => void;
    const writeHeld = new Promise<void>((r) => (releaseWrite = r));
    const finish = a.store.finish.bind(a.store);
    a.store.finish = async (...args) => {
      writing();
      await writeHeld;
      return finish(...args);
    };
    await a.store.accept(roleEvent('e1'));
    await outbox.enqueue('e1', { eventId: 'e1' });
    await a.references.forgetUser(USER);
    const rowA = await outbox.lease(LEASE_MS);
    assert.ok(rowA);
    const aDone = handling(a.worker, rowA);
    await writeStarted; // A claimed the event to settle it undeliverable
    session.offset += LEASE_MS + 1; // A's claim lapses before its write lands
    await personalChatOf(b.references, 't'); // the user installs the bot again
    const rowB = await outbox.lease(LEASE_MS);
    assert.ok(rowB);
    const bDone = handling(b.worker, rowB);
    await eventually(() => teams.started.length === 1, "B's send under way");
    releaseWrite();
    await aDone;
    assert.equal((await a.store.get('e1'))?.state, 'queued', 'not settled over the send that took the claim over');
    teams.open();
    await bDone;
    assert.equal((await a.store.get('e1'))?.state, 'delivered');
  });
});
