// The storage contract on a record's expiry, part of stateContract.ts (run against SQLite and
// Azurite): every write names what it does to the expiry. A TTL sets one from now, 'none' takes it
// away, and 'keep' leaves the one the record has: a record with a retention that a caller changes
// without meaning to renew it must still go when its retention ends.

import { strict as assert } from 'node:assert';
import { updateRecord } from '../../src/state/update';
import type { StateUnderTest } from './stateContract';

const TEN_DAYS = 10 * 24 * 60 * 60 * 1000;

export function expiryContract(under: () => StateUnderTest): void {
  it('replace with keep keeps the expiry the record has, and the version it gives keeps it again', async () => {
    const h = under();
    const { records } = h.state;
    const v1 = (await records.create('signin:1', { step: 1 }, { ttlMs: 60_000 }))!;
    h.advance(30_000);
    const v2 = await records.replace('signin:1', { step: 2 }, v1, 'keep');
    assert.ok(v2, 'the replace wins');
    const v3 = await records.replace('signin:1', { step: 3 }, v2, 'keep');
    assert.ok(v3, 'a replace at the version a keeping replace gave wins too');
    h.advance(29_000);
    assert.deepEqual(await records.get('signin:1'), { value: { step: 3 }, version: v3 });
    h.advance(1_000);
    assert.equal(await records.get('signin:1'), null, 'gone when its first write said');
    assert.equal(await h.state.sweepExpired(), 1, 'and swept as expired');
  });

  it('put with keep keeps the expiry; over an absent or expired record it writes one without', async () => {
    const h = under();
    const { records } = h.state;
    await records.put('turn:1', 'a', { ttlMs: 60_000 });
    h.advance(30_000);
    assert.ok(await records.put('turn:1', 'b', 'keep'));
    h.advance(29_000);
    assert.equal((await records.get('turn:1'))?.value, 'b');
    h.advance(1_000);
    assert.equal(await records.get('turn:1'), null, 'gone when its first write said');
    // Expired: it counts as absent, so there is nothing to keep (a past expiry would hide the write).
    await records.put('turn:1', 'c', 'keep');
    await records.put('fresh', 'd', 'keep');
    h.advance(TEN_DAYS);
    assert.equal((await records.get('turn:1'))?.value, 'c');
    assert.equal((await records.get('fresh'))?.value, 'd');
  });

  it('a record without an expiry stays without one through keep', async () => {
    const h = under();
    const { records } = h.state;
    const v = (await records.create('claim:1', 1, 'none'))!;
    assert.ok(await records.replace('claim:1', 2, v, 'keep'));
    await records.put('claim:2', 1, 'none');
    await records.put('claim:2', 2, 'keep');
    h.advance(TEN_DAYS);
    assert.equal((await records.get('claim:1'))?.value, 2);
    assert.equal((await records.get('claim:2'))?.value, 2);
  });

  it('only an explicit none takes an expiry away', async () => {
    const h = under();
    const { records } = h.state;
    const v = (await records.create('short', 1, { ttlMs: 1_000 }))!;
    assert.ok(await records.replace('short', 2, v, 'none'));
    await records.put('shortPut', 1, { ttlMs: 1_000 });
    await records.put('shortPut', 2, 'none');
    h.advance(TEN_DAYS);
    assert.equal((await records.get('short'))?.value, 2);
    assert.equal((await records.get('shortPut'))?.value, 2);
  });

  for (const expiry of ['keep', 'none', { ttlMs: 60_000 }] as const) {
    it(`a replace (${JSON.stringify(expiry)}) of a record that expired since it was read loses: it is gone`, async () => {
      const h = under();
      const { records } = h.state;
      const v = (await records.create('signin:1', 1, { ttlMs: 1_000 }))!;
      h.advance(1_000);
      // An expired record is absent (get, create): a version read before is no licence to revive it.
      assert.equal(await records.replace('signin:1', 2, v, expiry), null);
      assert.equal(await records.get('signin:1'), null);
      assert.ok(await records.create('signin:1', 3, 'none'), 'the key is free');
    });
  }

  it('updateRecord keeps the expiry with keep, renews it with a TTL, and creates without one on keep', async () => {
    const h = under();
    const { records } = h.state;
    const add = (n: number | null) => ({ next: (n ?? 0) + 1 });
    await updateRecord<number>(records, 'kept', add, { ttlMs: 60_000 });
    await updateRecord<number>(records, 'renewed', add, { ttlMs: 60_000 });
    h.advance(30_000);
    assert.equal(await updateRecord<number>(records, 'kept', add, 'keep'), 2);
    assert.equal(await updateRecord<number>(records, 'renewed', add, { ttlMs: 60_000 }), 2);
    await updateRecord<number>(records, 'made', add, 'keep');
    h.advance(30_000);
    assert.equal(await records.get('kept'), null, 'kept: gone when its first write said');
    assert.equal((await records.get('renewed'))?.value, 2, 'renewed: 60 s from its second write');
    h.advance(30_000);
    assert.equal(await records.get('renewed'), null);
    h.advance(TEN_DAYS);
    assert.equal((await records.get('made'))?.value, 1, 'made from nothing with keep: no expiry');
  });
}
