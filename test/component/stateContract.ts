// The storage contract every adapter of the state port keeps, written once and run against each
// (SQLite in state.sqlite.storage.test.ts, Azure Storage on Azurite in e2e/state.azurite.test.ts).
// It registers mocha tests; the caller opens a fresh, empty store for each.

import { strict as assert } from 'node:assert';
import { StatePort, StateUnavailableError } from '../../src/state/port';
import { updateRecord } from '../../src/state/update';
import { expiryContract } from './stateContractExpiry';
import { outboxContract } from './stateContractOutbox';
import { problemTexts } from '../fixtures/problemTexts';

export interface StateUnderTest {
  readonly state: StatePort;
  /** The adapter's clock (epoch ms): due times are computed from it. */
  now(): number;
  /** Moves the adapter's clock forward. Where leases run on the service's own clock (Azure Queue
   * Storage), only record expiry moves: the queue tests then wait for the service by polling. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface ContractOptions {
  /** Enqueueing an id that is queued is a no-op (SQLite); Azure Queue Storage queues it twice. */
  readonly dedupesEnqueue: boolean;
}

export function stateContract(open: () => Promise<StateUnderTest>, options: ContractOptions): void {
  let h: StateUnderTest;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(async () => {
    await h?.close();
  });

  describe('records', () => {
    it('creates only when absent and reads back value and version', async () => {
      const { records } = h.state;
      assert.equal(await records.get('claim:a'), null);
      const version = await records.create('claim:a', { by: 'u1', n: [1, 2] }, 'none');
      assert.ok(version);
      assert.deepEqual(await records.get('claim:a'), { value: { by: 'u1', n: [1, 2] }, version });
      assert.equal(await records.create('claim:a', { by: 'u2' }, 'none'), null);
      assert.deepEqual((await records.get('claim:a'))?.value, { by: 'u1', n: [1, 2] });
    });

    it('gives exactly one winner among 50 concurrent creates of one key', async () => {
      const { records } = h.state;
      for (const key of ['race:1', 'race:2', 'race:3']) {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => records.create(key, { by: i }, 'none')));
        const winners = results.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
        assert.equal(winners.length, 1, key);
        assert.deepEqual(await records.get(key), { value: { by: winners[0]!.i }, version: winners[0]!.v });
      }
    });

    it('replaces only at the stored version', async () => {
      const { records } = h.state;
      assert.equal(await records.replace('r', 1, '1', 'none'), null, 'nothing to replace');
      const v1 = (await records.create('r', 1, 'none'))!;
      const v2 = await records.replace('r', 2, v1, 'none');
      assert.ok(v2 && v2 !== v1);
      assert.equal(await records.replace('r', 3, v1, 'none'), null, 'a stale version loses');
      assert.equal(await records.replace('r', 3, 'not-a-version', 'none'), null);
      assert.deepEqual(await records.get('r'), { value: 2, version: v2 });
      const v3 = await records.put('r', 4, 'none');
      assert.ok(v3 !== v2);
      assert.equal(await records.replace('r', 5, v2, 'none'), null, 'put changed the version');
      assert.deepEqual(await records.get('r'), { value: 4, version: v3 });
    });

    it('loses no increment among 20 concurrent compare-and-swap writers', async () => {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          updateRecord<number>(h.state.records, 'counter', (n) => ({ next: (n ?? 0) + 1 }), 'none', { attempts: 200 }),
        ),
      );
      assert.equal((await h.state.records.get<number>('counter'))?.value, 20);
    });

    it('deletes only at the stored version when one is given', async () => {
      const { records } = h.state;
      assert.equal(await records.delete('d'), false, 'nothing to delete');
      const v1 = (await records.create('d', 'x', 'none'))!;
      const v2 = (await records.replace('d', 'y', v1, 'none'))!;
      assert.equal(await records.delete('d', v1), false, 'a stale version deletes nothing');
      assert.equal((await records.get('d'))?.value, 'y');
      assert.equal(await records.delete('d', v2), true);
      assert.equal(await records.get('d'), null);
      await records.put('d', 'z', 'none');
      assert.equal(await records.delete('d'), true);
      assert.equal(await records.get('d'), null);
      assert.ok(await records.create('d', 'again', 'none'), 'a deleted key can be created again');
    });

    it('never gives a key a version it had before a delete: a compare-and-swap read before loses', async () => {
      const { records } = h.state;
      const v1 = (await records.create('k', 'old', 'none'))!;
      const v2 = (await records.replace('k', 'older', v1, 'none'))!;
      assert.equal(await records.delete('k'), true);
      const v3 = (await records.create('k', 'new', 'none'))!;
      const v4 = (await records.put('k', 'newer', 'none'))!;
      assert.equal(new Set([v1, v2, v3, v4]).size, 4, `versions repeat: ${[v1, v2, v3, v4].join(', ')}`);
      for (const stale of [v1, v2, v3]) {
        assert.equal(await records.replace('k', 'stale', stale, 'none'), null, `replace at ${stale}`);
        assert.equal(await records.delete('k', stale), false, `delete at ${stale}`);
      }
      assert.deepEqual(await records.get('k'), { value: 'newer', version: v4 });
    });

    // Instances consuming one record at once (a sign-in state, taken by whoever deletes it at the
    // version read), while others create the key anew: one delete wins, at most one create, and
    // the record a create wrote is never taken away by a delete at the old version.
    it('gives exactly one winner among concurrent deletes at one version, and keeps a create racing them', async () => {
      const { records } = h.state;
      for (const key of ['take:1', 'take:2', 'take:3']) {
        const version = (await records.create(key, 'old', 'none'))!;
        const deletes = Array.from({ length: 10 }, () => records.delete(key, version));
        const creates = Array.from({ length: 10 }, (_, i) => records.create(key, { by: i }, 'none'));
        const deleted = await Promise.all(deletes);
        const created = await Promise.all(creates);
        assert.equal(deleted.filter((d) => d).length, 1, `${key}: deletes that won`);
        const winners = created.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
        assert.ok(winners.length <= 1, `${key}: creates that won`);
        const now = await records.get(key);
        assert.deepEqual(now, winners[0] ? { value: { by: winners[0].i }, version: winners[0].v } : null, key);
        assert.equal(await records.delete(key, version), false, `${key}: the consumed version deletes nothing`);
      }
    });

    it('treats an expired record as absent: get, and create takes its place once', async () => {
      const { records } = h.state;
      await records.create('signin:1', { step: 1 }, { ttlMs: 60_000 });
      h.advance(59_000);
      assert.deepEqual((await records.get('signin:1'))?.value, { step: 1 });
      h.advance(1_000);
      assert.equal(await records.get('signin:1'), null);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => records.create('signin:1', { step: i }, 'none')),
      );
      const winners = results.filter((v) => v !== null);
      assert.equal(winners.length, 1, 'exactly one creator replaces the expired record');
      assert.equal((await records.get('signin:1'))?.version, winners[0]);
    });

    it('sweeps away the records that expired, and only those', async () => {
      const { records } = h.state;
      await records.create('turn:1', true, { ttlMs: 1_000 });
      await records.put('turn:2', true, { ttlMs: 1_000 });
      await records.create('signin:1', { step: 1 }, { ttlMs: 60_000 });
      await records.put('claim:1', { by: 'u1' }, 'none');
      assert.equal(await h.state.sweepExpired(), 0, 'nothing has expired yet');
      h.advance(1_000);
      assert.equal(await h.state.sweepExpired(), 2);
      assert.equal(await h.state.sweepExpired(), 0, 'a second sweep finds nothing');
      assert.deepEqual((await records.get('signin:1'))?.value, { step: 1 });
      assert.deepEqual((await records.get('claim:1'))?.value, { by: 'u1' });
    });

    it('stores any key apart from every other', async () => {
      const keys = [
        '',
        '/',
        '.',
        '..',
        'a/b/../c',
        'A',
        'a',
        'a%2Fb',
        'a/b',
        'claim:cancelRoleRequest:00000000-0000-0000-0000-000000000001',
        ' spaces and ?query=1&x#frag ',
        'ünïcødé ✓ 日本',
        '𝄞'.repeat(256),
        'x'.repeat(512),
        'y'.repeat(511) + '/',
      ];
      const { records } = h.state;
      for (const [i, key] of keys.entries()) assert.ok(await records.create(key, { i }, 'none'), JSON.stringify(key));
      for (const [i, key] of keys.entries()) assert.deepEqual((await records.get(key))?.value, { i });
    });
  });

  describe('record expiry', () => expiryContract(() => h));

  describe('outbox', () => {
    outboxContract(() => h, options);

    it('reports nothing quarantined on a healthy store and passes its check', async () => {
      await h.state.check();
      assert.deepEqual(problemTexts(h.state), []);
    });
  });

  describe('close', () => {
    // The store closes last when an instance stops (src/shutdown.ts); work left behind at the
    // deadline that calls it afterwards is refused, on every adapter alike, rather than writing
    // claims and rows for an instance whose liveness has already ended.
    it('refuses every call after close as unavailable, a second close included harmlessly', async () => {
      const { records, outbox } = h.state;
      assert.ok(await records.create('before', 1, 'none'));
      await h.state.close();
      const refused = (e: unknown) => e instanceof StateUnavailableError && /closed/.test(e.message);
      await assert.rejects(records.get('before'), refused);
      await assert.rejects(records.create('after', 1, 'none'), refused);
      await assert.rejects(records.put('before', 2, 'none'), refused);
      await assert.rejects(outbox.enqueue('e1', { eventId: 'e1' }), refused);
      await assert.rejects(outbox.lease(60_000), refused);
      await assert.rejects(h.state.check(), refused);
      await h.state.close();
    });
  });
}
