// A click's claim on Azure Blob Storage (Azurite), held on one machine while another takes it over
// once its lease ran out: the holder's renewal and its completion race the other machine's taking,
// each a compare-and-swap on the blob's ETag (If-Match,
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).
// Whatever the order, exactly one of them ends up with the item: the holder's completion or the
// other machine's taking, never both, and the record says which.

import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { Claims } from '../../src/state/claims';
import { azuriteSession } from '../fixtures/azuriteSession';

describe('a click claim on Azure Storage (Azurite), raced by a second machine', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  it('renewal, completion and a takeover at once: exactly one of completion and takeover wins', async () => {
    const container = session.freshContainer();
    // Leases that have run out by the time the other machine looks: a takeover is always allowed.
    const machine = (instance: string) =>
      new Claims(new AzureState({ connectionString: session.connectionString, container }).records, {
        instance,
        leaseMs: 1,
      });
    const [holder, other] = [machine('machine-1'), machine('machine-2')];
    const outcome = { outcome: 'succeeded' as const, summary: 'Approved', at: new Date(0).toISOString() };
    let completions = 0;
    let takeovers = 0;
    for (let round = 0; round < 20; round++) {
      const key = `approve:item-${round}`;
      const taken = await holder.take(key, { userId: 'u1' });
      assert.ok(taken.won);
      const [, completed, takeover] = await Promise.all([
        holder.renew(key, taken.fence),
        holder.complete(key, taken.fence, outcome),
        other.take(key, { userId: 'u2' }),
      ]);
      assert.notEqual(completed, takeover.won, `round ${round}: exactly one of them has the item`);
      const record = await other.get(key);
      if (completed) {
        completions++;
        assert.equal(record?.state, 'done');
        assert.deepEqual(record?.fence, taken.fence);
      } else {
        takeovers++;
        assert.equal(record?.state, 'inProgress');
        assert.equal(record?.holder.userId, 'u2');
        assert.equal(record?.fence.counter, 2);
      }
    }
    assert.equal(completions + takeovers, 20);
  });
});
