import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaimStore } from '../../src/storage/claims';
import { FileStorage } from '../../src/storage/fileStorage';
import { raceTwoProcesses } from '../fixtures/race';

describe('FileStorage and claims', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads, writes and deletes with MemoryStorage-style eTags', async () => {
    const s = new FileStorage(dir);
    await s.write({ a: { n: 1 } });
    const first = (await s.read(['a', 'missing'])) as Record<string, { n: number; eTag: string }>;
    assert.equal(first.a?.n, 1);
    assert.equal(first.missing, undefined);
    await s.write({ a: { n: 2, eTag: first.a!.eTag } });
    await assert.rejects(s.write({ a: { n: 3, eTag: first.a!.eTag } }), /etag conflict/);
    await s.write({ a: { n: 4, eTag: '*' } });
    await assert.rejects(s.write({ nope: { n: 1, eTag: 'x' } }), /etag conflict/);
    assert.equal(((await s.read(['a'])) as Record<string, { n: number }>).a?.n, 4);
    await s.delete(['a']);
    assert.deepEqual(await s.read(['a']), {});
    assert.equal(await s.create('b', { v: 1 }), true);
    assert.equal(await s.create('b', { v: 2 }), false);
  });

  it('survives a restart: a new instance reads what the old one wrote', async () => {
    await new FileStorage(dir).write({ 'conversation:1': { ref: 'x' } });
    const again = (await new FileStorage(dir).read(['conversation:1'])) as Record<string, { ref: string }>;
    assert.equal(again['conversation:1']?.ref, 'x');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
      [],
    );
  });

  it('gives exactly one winner among 50 concurrent claims, for each of 20 keys', async () => {
    const claims = new ClaimStore(new FileStorage(dir));
    for (let k = 0; k < 20; k++) {
      const key = ClaimStore.keyOf('cancelRoleRequest', `key-${k}`);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(key, { userId: `u${i}` })));
      assert.equal(results.filter((r) => r.won).length, 1, key);
      const losers = results.filter((r) => !r.won);
      assert.ok(losers.every((r) => !r.won && r.record.state === 'inProgress'));
    }
  });

  it('final claims tell later clickers the outcome; failed calls release; expired leases are taken over', async () => {
    let now = 1_000;
    const claims = new ClaimStore(new FileStorage(dir), { now: () => now, leaseMs: 60_000 });
    const a = await claims.claim('k1', { userId: 'megan', userName: 'Megan Bowen' });
    assert.ok(a.won);
    await claims.complete('k1', a.token, {
      outcome: 'succeeded',
      summary: 'Cancelled',
      at: '10:42',
      byName: 'Megan Bowen',
    });
    const late = await claims.claim('k1', { userId: 'adele' });
    assert.ok(!late.won && late.record.state === 'done' && late.record.outcome?.byName === 'Megan Bowen');

    const b = await claims.claim('k2', { userId: 'megan' });
    assert.ok(b.won);
    await claims.release('k2', 'not-the-token');
    assert.ok(!(await claims.claim('k2', { userId: 'adele' })).won, 'only the holder releases');
    await claims.release('k2', b.token);
    assert.ok((await claims.claim('k2', { userId: 'adele' })).won, 'released claims can be taken');

    const c = await claims.claim('k3', { userId: 'crashed' });
    assert.ok(c.won);
    now += 61_000;
    const d = await claims.claim('k3', { userId: 'next' });
    assert.ok(d.won, 'an abandoned claim expires');
    await claims.complete('k3', c.token, { outcome: 'failed', summary: 'x', at: 'y' });
    assert.equal((await claims.get('k3'))?.holder.userId, 'next', 'the old holder cannot complete it');
  });

  it('two processes on one state directory: every key has exactly one winner', async function () {
    this.timeout(60_000);
    const [a, b] = await raceTwoProcesses(['file', dir], 200);
    const all = [...a!.won, ...b!.won];
    assert.equal(all.length, 200, `A won ${a!.won.length}, B won ${b!.won.length}`);
    assert.equal(new Set(all).size, 200);
    assert.ok(a!.won.length > 0 && b!.won.length > 0, 'both processes really raced');
  });
});
