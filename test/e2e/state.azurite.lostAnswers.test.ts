// The Azure Storage state store on Azurite when an answer is lost on the way back: the service did
// what was asked, the connection failed before the answer arrived, and the SDK's retry policy sent
// the request again (test/fixtures/lostAnswers.ts stands in for that network).
// - Blob records: the retry of a conditional write is refused because of the first try's own
//   write (409 BlobAlreadyExists, 412 ConditionNotMet,
//   https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).
//   That refusal must not read as another writer's win: the click's claim, its completion and a
//   channel delivery's claim are this writer's own.
// - Queue leases: a renewal (Update Message) whose answer was lost changed the pop receipt, which
//   the holder never learns (https://learn.microsoft.com/rest/api/storageservices/update-message):
//   its retry, and every call after, is refused (400 PopReceiptMismatch), so the holder counts the
//   row as lost and stops; the row comes back once, when the renewed lease ends, to one instance.

import { strict as assert } from 'node:assert';
import { DeliveryLedger } from '../../src/alerts/deliveries';
import { AzureState } from '../../src/state/azure';
import { Claims } from '../../src/state/claims';
import { SignInStates } from '../../src/state/signInStates';
import { azuriteSession } from '../fixtures/azuriteSession';
import { LostAnswers, endpointOrigin, lostAnswers, throughRelay } from '../fixtures/lostAnswers';

const PUT = (method: string) => method === 'PUT';

describe('Azure Storage state store on Azurite, answers lost after the service acted', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  let relay: LostAnswers;
  afterEach(() => relay.close());

  /** A store whose blob (or queue) calls go through `relay`, and one on another machine that reaches
   * the service directly, both on one container. */
  async function twoMachines(endpoint: 'BlobEndpoint' | 'QueueEndpoint'): Promise<[AzureState, AzureState]> {
    relay = await lostAnswers(endpointOrigin(session.connectionString, endpoint));
    const container = session.freshContainer();
    const connectionString = throughRelay(session.connectionString, endpoint, relay.origin);
    const lossy = new AzureState({ connectionString, container });
    const other = new AzureState({ connectionString: session.connectionString, container });
    await lossy.check(); // the container and the queue exist before answers start to be lost
    return [lossy, other];
  }

  it("a click's claim taken, renewed and completed with each answer lost is still the click's own", async () => {
    const [lossy, other] = await twoMachines('BlobEndpoint');
    const claims = new Claims(lossy.records, { instance: 'machine-1' });
    relay.lose(PUT);
    const taken = await claims.take('approve:item-1', { userId: 'u1' });
    assert.ok(taken.won, 'the claim this click created is its own, not a claim held by someone else');
    relay.lose(PUT);
    assert.equal(await claims.renew('approve:item-1', taken.fence), true);
    relay.lose(PUT);
    const outcome = { outcome: 'succeeded' as const, summary: 'Approved', at: new Date(0).toISOString() };
    assert.equal(await claims.complete('approve:item-1', taken.fence, outcome), true, 'completed, not superseded');
    assert.equal(relay.lost.length, 3, 'each of the three writes lost its answer');
    const seen = await new Claims(other.records, { instance: 'machine-2' }).get('approve:item-1');
    assert.equal(seen?.state, 'done');
    assert.deepEqual(seen?.outcome, outcome);
  });

  it("a channel delivery's claim whose answer was lost is taken once and counted once", async () => {
    const [lossy, other] = await twoMachines('BlobEndpoint');
    const delivery = { deliveryId: 'd1', eventId: 'e1', category: 'actions', teamId: 't', channelId: 'c' };
    await other.records.put('alerts:delivery:d1', { ...delivery, state: 'queued', attempts: 0, updatedAt: 0 }, 'none');
    relay.lose(PUT);
    const claim = await new DeliveryLedger(lossy.records).claim('d1', 'machine-1', 60_000);
    assert.equal(claim.kind, 'claimed', 'not given back as held by another');
    const record = await new DeliveryLedger(other.records).get('d1');
    assert.equal(record?.attempts, 1);
    assert.equal(record?.claim?.token, claim.kind === 'claimed' ? claim.token : undefined);
  });

  it("a lost answer never turns another writer's win into this writer's", async () => {
    const [lossy, other] = await twoMachines('BlobEndpoint');
    const theirs = await other.records.create('k', { by: 'other' }, 'none');
    assert.ok(theirs);
    relay.lose(PUT);
    assert.equal(await lossy.records.create('k', { by: 'lossy' }, 'none'), null, 'the other writer won');
    assert.equal(relay.lost.length, 1, 'the refusal itself was lost, and the retry refused again');
    assert.equal(await lossy.records.replace('k', { by: 'lossy' }, '"stale"', 'keep'), null);
    assert.deepEqual((await other.records.get('k'))?.value, { by: 'other' });
  });

  // A delete at a version (If-Match) whose answer was lost is refused on its retry (404 BlobNotFound:
  // the first try removed the blob): that is this delete's success, not another caller's. A sign-in
  // state consumed so must give its binding to the one caller that consumed it.
  it("a delete at a version whose answer was lost is this caller's own: a sign-in state is consumed once", async () => {
    const [lossy, other] = await twoMachines('BlobEndpoint');
    const states = new SignInStates(lossy.records);
    const binding = { pendingId: 'p1', aadObjectId: 'u1', codeVerifier: 'v'.repeat(43) };
    const state = await states.beginAuthorize(binding);
    relay.lose((method) => method === 'PUT' || method === 'DELETE');
    assert.deepEqual(await states.takeAuthorize(state), binding, 'the binding this caller consumed');
    assert.equal(relay.lost.length, 1, 'the consuming write lost its answer');
    assert.equal(await new SignInStates(other.records).takeAuthorize(state), null, 'consumed: once only');
    const version = (await other.records.create('k', 'v', 'none'))!;
    relay.lose((method) => method === 'PUT' || method === 'DELETE');
    assert.equal(await lossy.records.delete('k', version), true);
    assert.equal(await other.records.get('k'), null);
    assert.ok(await other.records.create('k', 'again', 'none'), 'the key can be created again');
    assert.equal(await lossy.records.delete('k', version), false, 'a stale version deletes nothing');
    assert.deepEqual((await other.records.get('k'))?.value, 'again');
  });

  it('a lease renewal whose answer was lost: the holder counts the row lost, and it comes back once', async () => {
    const [lossy, other] = await twoMachines('QueueEndpoint');
    await other.outbox.enqueue('row-1', { eventId: 'row-1' });
    const lease = await lossy.outbox.lease(2_000);
    assert.ok(lease);
    relay.lose((method, url) => method === 'PUT' && /popreceipt=/i.test(url));
    assert.equal(await lossy.outbox.extend(lease, 2_000), null, 'its own renewal reads as a lost lease');
    assert.equal(relay.lost.length, 1);
    assert.equal(await lossy.outbox.complete(lease), false, 'the old receipt holds nothing any more');
    // Renewed all the same: nobody gets the row before that lease ends, then one instance does.
    let back = await other.outbox.lease(60_000);
    const deadline = Date.now() + 20_000;
    while (!back && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      back = await other.outbox.lease(60_000);
    }
    assert.equal(back?.id, 'row-1', 'the row came back');
    assert.equal(await lossy.outbox.lease(60_000), null, 'to one instance only');
    assert.equal(await other.outbox.size(), 1, 'one copy of it');
  });
});
