// The Azure Storage state store (records on Blob Storage, the outbox on Queue Storage) against
// Azurite on loopback: the storage contract, and what only the service can get wrong.
// Leases are visibility timeouts on the service's clock: the contract's time-dependent queue
// tests poll the service rather than move a fake clock (record expiry still uses a fake one).

import { BlobClient, ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { strict as assert } from 'node:assert';
import { AddressInfo, Socket, createServer } from 'node:net';
import { AzureState, outboxQueueName } from '../../src/state/azure';
import { SweepBudget, blobNameOf } from '../../src/state/azureRecords';
import { StateUnavailableError } from '../../src/state/port';
import { Azurite, startAzurite } from '../fixtures/azurite';
import { freePort } from '../fixtures/ports';
import { stateContract } from '../component/stateContract';

async function eventually<T>(probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let containers = 0;
  const freshContainer = () => `state-${process.pid}-${++containers}`;

  /** A fresh container with `live` records and `expiring` ones (1 s), the clock just past their expiry. */
  async function withExpired(live: readonly string[], expiring: readonly string[], sweep?: SweepBudget) {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({
      connectionString: azurite.connectionString,
      container,
      now: () => clock,
      ...(sweep ? { sweep } : {}),
    });
    for (const key of live) await state.records.put(key, true);
    for (const key of expiring) await state.records.put(key, true, { ttlMs: 1_000 });
    clock += 1_000;
    return { state, container };
  }

  before(async () => {
    azurite = await startAzurite({ queue: true });
  });
  after(async () => {
    await azurite?.stop();
  });

  describe('the storage contract', () => {
    stateContract(
      async () => {
        let clock = Date.now();
        const state = new AzureState({
          connectionString: azurite.connectionString,
          container: freshContainer(),
          now: () => clock,
        });
        return {
          state,
          now: () => clock,
          advance: (ms) => {
            clock += ms;
          },
          close: () => state.close(),
        };
      },
      { dedupesEnqueue: false },
    );
  });

  it('names the outbox queue after the container, always validly', () => {
    assert.equal(outboxQueueName('governance-state'), 'governance-state-outbox');
    const long = outboxQueueName(`${'a'.repeat(55)}-bcdefgh`);
    assert.equal(long, `${'a'.repeat(55)}-outbox`);
    assert.match(long, /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it('quarantines a blob whose body is not JSON: get gives null, the bytes are kept aside', async () => {
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container });
    await state.records.put('claim:x', { by: 'u1' });
    const blobs = new ContainerClient(azurite.connectionString, container);
    const garbage = 'garbage {';
    await blobs.getBlockBlobClient(blobNameOf('claim:x')).upload(garbage, garbage.length);
    assert.equal(await state.records.get('claim:x'), null);
    const problems = state.quarantined();
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /record "claim:x": its value is not JSON; kept as quarantine\//);
    const kept: string[] = [];
    for await (const blob of blobs.listBlobsFlat({ prefix: 'quarantine/' })) kept.push(blob.name);
    assert.equal(kept.length, 1);
    assert.equal((await blobs.getBlockBlobClient(kept[0]!).downloadToBuffer()).toString(), garbage);
    assert.ok(await state.records.create('claim:x', { by: 'u2' }), 'the key can be written again');
  });

  // The sweep lists blobs page by page with a continuation marker
  // (https://learn.microsoft.com/en-us/rest/api/storageservices/enumerating-blob-resources) and
  // deletes each only at the ETag it listed (If-Match,
  // https://learn.microsoft.com/en-us/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).
  it('sweeps expired records away and keeps the rest', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container, now: () => clock });
    await state.records.put('dedupe:1', true, { ttlMs: 1_000 });
    await state.records.put('dedupe:2', true, { ttlMs: 1_000 });
    await state.records.put('signin:1', { step: 1 }, { ttlMs: 60_000 });
    await state.records.put('claim:1', { by: 'u1' });
    assert.equal(await state.sweepExpired(), 0);
    clock += 1_000;
    assert.equal(await state.sweepExpired(), 2);
    const left: string[] = [];
    for await (const blob of new ContainerClient(azurite.connectionString, container).listBlobsFlat()) {
      left.push(blob.name);
    }
    assert.deepEqual(left.sort(), [blobNameOf('claim:1'), blobNameOf('signin:1')].sort());
  });

  it('a record rewritten after the sweep listed it expired is kept (the delete is conditional)', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container, now: () => clock });
    await state.records.put('turn:1', 'old', { ttlMs: 1_000 });
    clock += 1_000;
    // Between the sweep's listing and its delete, someone writes the key anew.
    const listBlobsFlat = ContainerClient.prototype.listBlobsFlat;
    ContainerClient.prototype.listBlobsFlat = function (this: ContainerClient, ...args) {
      const listing = listBlobsFlat.apply(this, args);
      const byPage = listing.byPage.bind(listing);
      listing.byPage = (settings) => {
        const pages = byPage(settings);
        const next = pages.next.bind(pages);
        pages.next = async () => {
          const page = await next();
          await state.records.put('turn:1', 'new', { ttlMs: 60_000 });
          return page;
        };
        return pages;
      };
      return listing;
    };
    try {
      assert.equal(await state.sweepExpired(), 0, 'the blob changed since it was listed: not deleted');
    } finally {
      ContainerClient.prototype.listBlobsFlat = listBlobsFlat;
    }
    assert.equal((await state.records.get('turn:1'))?.value, 'new');
  });

  it('a sweep limit counts deletions: live records listed first never hide the expired ones', async () => {
    // Blobs list in name order: the live records come first.
    const { state } = await withExpired(['a:live:1', 'a:live:2', 'a:live:3'], ['z:turn:1', 'z:turn:2']);
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 0);
    assert.equal((await state.records.get('a:live:3'))?.value, true);
  });

  it('goes on in the listing where the last sweep stopped, and starts over after the end', async () => {
    // One page per sweep, of two blobs.
    const { state } = await withExpired(['a:live:1', 'a:live:2', 'a:live:3'], ['z:turn:1', 'z:turn:2'], {
      ms: 0,
      pageSize: 2,
    });
    assert.equal(await state.sweepExpired(), 0, 'page 1: a:live:1, a:live:2');
    assert.equal(await state.sweepExpired(), 1, 'page 2: a:live:3, z:turn:1');
    assert.equal(await state.sweepExpired(), 1, 'page 3: z:turn:2, the end');
    assert.equal(await state.sweepExpired(), 0, 'from the top again');
    assert.equal((await state.records.get('a:live:2'))?.value, true);
  });

  it('a sweep cut short by its limit lists the same page again next time', async () => {
    const { state, container } = await withExpired(['a:live:1', 'c:live:1'], ['b:turn:1', 'b:turn:2', 'd:turn:3'], {
      pageSize: 3,
    });
    const left = async () => {
      const names: string[] = [];
      for await (const blob of new ContainerClient(azurite.connectionString, container).listBlobsFlat()) {
        names.push(blob.name);
      }
      return names;
    };
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 1);
    const names = await left();
    assert.ok(!names.includes(blobNameOf('b:turn:2')), 'the rest of the first page went before the next page');
    assert.ok(names.includes(blobNameOf('d:turn:3')));
    assert.equal(await state.sweepExpired(1), 1);
    assert.ok(!(await left()).includes(blobNameOf('d:turn:3')));
  });

  it('a create racing the sweep of the expired record it replaces still creates', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container, now: () => clock });
    await state.records.put('turn:1', 'old', { ttlMs: 1_000 });
    clock += 1_000;
    // The sweep deletes the expired blob right after create has looked at it.
    const getProperties = BlobClient.prototype.getProperties;
    let swept = 0;
    BlobClient.prototype.getProperties = async function (this: BlobClient, ...args) {
      const seen = await getProperties.apply(this, args);
      if (swept === 0) swept = await state.sweepExpired();
      return seen;
    };
    try {
      assert.ok(await state.records.create('turn:1', 'new'), 'the key was free: create wins');
    } finally {
      BlobClient.prototype.getProperties = getProperties;
    }
    assert.equal(swept, 1, 'the sweep ran in between');
    assert.equal((await state.records.get('turn:1'))?.value, 'new');
  });

  it('sets an outbox message that is not an item aside and leases the next', async () => {
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container });
    await state.check();
    const queue = new QueueClient(azurite.connectionString, outboxQueueName(container));
    await queue.sendMessage('not json');
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    const leases = [await state.outbox.lease(60_000), await state.outbox.lease(60_000)];
    assert.deepEqual(
      leases.map((l) => l?.id ?? null).filter((id) => id !== null),
      ['e1'],
    );
    assert.match(state.quarantined().join('\n'), /outbox message .*: its text is not an outbox item; kept as/);
    assert.equal(await state.outbox.size(), 1, 'only the real item is left');
  });

  it('an item due beyond what one visibility timeout hides is put back, and that is no attempt', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: azurite.connectionString, container, now: () => clock });
    await state.check();
    // What enqueue writes for a due time past 7 days, here due in 2 s and visible at once.
    const queue = new QueueClient(azurite.connectionString, outboxQueueName(container));
    await queue.sendMessage(JSON.stringify({ id: 'far', payload: { eventId: 'far' }, notBefore: clock + 2_000 }));
    assert.equal(await state.outbox.lease(60_000), null, 'surfaced early: put back');
    clock += 2_000;
    const lease = await eventually(() => state.outbox.lease(60_000));
    assert.equal(lease.id, 'far');
    assert.equal(lease.attempts, 1, 'putting it back was not an attempt');
  });

  it('an extended lease carries the new pop receipt, and the old one is void', async () => {
    const state = new AzureState({ connectionString: azurite.connectionString, container: freshContainer() });
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    const held = (await state.outbox.lease(60_000))!;
    const renewed = (await state.outbox.extend(held, 60_000))!;
    assert.notEqual(renewed.receipt, held.receipt, 'Queue Storage gives a new pop receipt on every update');
    assert.equal(await state.outbox.complete(held), false, 'the old receipt is void');
    assert.equal(await state.outbox.complete(renewed), true);
  });

  it('an unreachable service gives StateUnavailableError within the deadline, naming no URL', async () => {
    const port = await freePort();
    const connectionString = azurite.connectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
    const state = new AzureState({ connectionString, container: 'nowhere', timeoutMs: 2_000 });
    for (const attempt of [state.check(), state.records.get('k'), state.outbox.lease(1_000)]) {
      const error = await attempt.then(
        () => assert.fail('answered without a service'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StateUnavailableError, String(error));
      assert.ok(!/127\.0\.0\.1|http|devstoreaccount1|nowhere/.test(error.message), error.message);
      assert.equal(error.cause, undefined, 'no SDK error (with its URL) travels along');
    }
  });

  it('a service that never answers gives StateUnavailableError at the deadline', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const connectionString = azurite.connectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
      const state = new AzureState({ connectionString, container: 'hung', timeoutMs: 1_000 });
      const error = await state.records.get('k').then(
        () => assert.fail('answered without a service'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StateUnavailableError, String(error));
      assert.match(error.message, /no answer in time/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a connection string with a blob endpoint and no queue endpoint', () => {
    const blobOnly = azurite.connectionString.replace(/QueueEndpoint=[^;]+;/, '');
    assert.throws(
      () => new AzureState({ connectionString: blobOnly, container: 'x-state' }),
      (e: unknown) => e instanceof StateUnavailableError && /no QueueEndpoint/.test(e.message),
    );
  });

  it('a wrong account key gives StateUnavailableError, not the SDK error', async () => {
    const connectionString = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${'A'.repeat(88)}`);
    const state = new AzureState({ connectionString, container: freshContainer() });
    const error = await state.records.put('k', 1).then(
      () => assert.fail('wrote with a wrong key'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StateUnavailableError);
    assert.match(error.message, /^state store: create (container|queue) failed \(403 \w+\)$/);
  });
});
