// A record blob whose body is not JSON, met again and again on Azurite: it is copied aside and
// counted once for each version of the blob, whichever reads find it and however many at once.
// The original stays where the service refuses its delete: a blob with a snapshot cannot be
// deleted without deleting its snapshots ("You can't delete a blob that has snapshots unless you
// also delete the snapshots", https://learn.microsoft.com/rest/api/storageservices/delete-blob),
// and the store never deletes data it has not kept.

import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { strict as assert } from 'node:assert';
import { AzureState, outboxQueueName } from '../../src/state/azure';
import { blobNameOf } from '../../src/state/azureBlobNames';
import { StoreProblem } from '../../src/state/problems';
import { azuriteSession } from '../fixtures/azuriteSession';
import { problemTexts } from '../fixtures/problemTexts';

describe('Azure Storage state store on Azurite: unreadable record blobs', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  async function corrupt(container: string, key: string, body: string): Promise<ContainerClient> {
    const blobs = new ContainerClient(session.connectionString, container);
    await blobs.createIfNotExists();
    await blobs.getBlockBlobClient(blobNameOf(key)).upload(body, body.length);
    return blobs;
  }
  async function kept(blobs: ContainerClient): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of blobs.listBlobsFlat({ prefix: 'quarantine/' })) names.push(blob.name);
    return names;
  }

  it('a blob whose delete is refused is copied aside and counted once, however often it is read', async () => {
    const container = session.freshContainer();
    const blobs = await corrupt(container, 'claim:x', 'garbage {');
    await blobs.getBlockBlobClient(blobNameOf('claim:x')).createSnapshot();
    const state = new AzureState({ connectionString: session.connectionString, container });
    for (let i = 0; i < 4; i++) assert.equal(await state.records.get('claim:x'), null, 'still answered as absent');
    assert.equal((await kept(blobs)).length, 1, (await kept(blobs)).join('\n'));
    assert.equal(problemTexts(state).length, 1, problemTexts(state).join('\n'));
    assert.match(
      problemTexts(state)[0]!,
      /record "claim:x": its value is not JSON; kept as quarantine\/.*; the original could not be removed yet \(409 SnapshotsPresent\)/,
    );
  });

  it('reads at once, in one instance and in another, make one copy; each instance counts it once', async () => {
    const container = session.freshContainer();
    const blobs = await corrupt(container, 'claim:y', '{"torn":');
    const a = new AzureState({ connectionString: session.connectionString, container });
    const b = new AzureState({ connectionString: session.connectionString, container });
    const reads = await Promise.all([a, a, a, b, b].map((s) => s.records.get('claim:y')));
    assert.deepEqual(reads, [null, null, null, null, null]);
    const names = await kept(blobs);
    assert.equal(names.length, 1, names.join('\n'));
    assert.equal((await blobs.getBlockBlobClient(names[0]!).downloadToBuffer()).toString(), '{"torn":');
    assert.ok(problemTexts(a).length + problemTexts(b).length >= 1);
    assert.ok(problemTexts(a).length <= 1 && problemTexts(b).length <= 1);
    assert.ok(await a.records.create('claim:y', { by: 'u2' }, 'none'), 'the key can be written again');
  });

  it('a new version of the key that is unreadable again is set aside again', async () => {
    const container = session.freshContainer();
    const blobs = await corrupt(container, 'claim:z', 'first {');
    const state = new AzureState({ connectionString: session.connectionString, container });
    assert.equal(await state.records.get('claim:z'), null);
    await blobs.getBlockBlobClient(blobNameOf('claim:z')).upload('second {', 8);
    assert.equal(await state.records.get('claim:z'), null);
    const bodies = await Promise.all(
      (await kept(blobs)).map(async (n) => (await blobs.getBlockBlobClient(n).downloadToBuffer()).toString()),
    );
    assert.deepEqual(bodies.sort(), ['first {', 'second {']);
    assert.equal(problemTexts(state).length, 2);
  });

  it('tells a watcher of each one once, as it happens, naming the key and the copy', async () => {
    const container = session.freshContainer();
    const blobs = await corrupt(container, 'claim:w', 'nope');
    const state = new AzureState({ connectionString: session.connectionString, container });
    const seen: StoreProblem[] = [];
    state.watchProblems((p) => seen.push(p));
    assert.equal(seen.length, 0, 'nothing met yet');
    assert.equal(await state.records.get('claim:w'), null);
    assert.equal(await state.records.get('claim:w'), null);
    assert.equal(seen.length, 1);
    const [names] = [await kept(blobs)];
    assert.deepEqual(
      { subject: seen[0]!.subject, where: seen[0]!.where, reason: seen[0]!.reason, keptAs: seen[0]!.keptAs },
      { subject: 'record', where: 'claim:w', reason: 'its value is not JSON', keptAs: names[0] },
    );
  });

  it('an outbox message met again after it was kept (its delete was lost) is neither copied nor counted again', async () => {
    const container = session.freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.check();
    const queue = new QueueClient(session.connectionString, outboxQueueName(container));
    const { messageId } = await queue.sendMessage('not json');
    // What an earlier lease of it left: its text kept, the message itself not deleted.
    const blobs = new ContainerClient(session.connectionString, container);
    await blobs.getBlockBlobClient(`quarantine/outbox/${messageId}`).upload('not json', 8);
    const first = await blobs.getBlockBlobClient(`quarantine/outbox/${messageId}`).getProperties();
    assert.equal(await state.outbox.lease(60_000), null);
    assert.equal(await state.outbox.size(), 0, 'the message is dropped now that its text is kept');
    assert.deepEqual(problemTexts(state), []);
    const kept = await blobs.getBlockBlobClient(`quarantine/outbox/${messageId}`).getProperties();
    assert.equal(kept.etag, first.etag, 'not copied again');
  });
});
