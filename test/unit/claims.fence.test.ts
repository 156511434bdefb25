// A claim on one operation's target (src/state/claims.ts): the fence proves who holds it. A holder
// whose claim was taken over, or whose claim expired and was taken anew, cannot record an outcome,
// renew or release; a settled claim is never released or taken again; each taking counts up.

import { strict as assert } from 'node:assert';
import { Claims, Fence } from '../../src/state/claims';
import { ClockedRecords } from '../fixtures/clockedRecords';

const KEY = Claims.keyOf('resumeTask', 'AB12CD34-0000-4000-8000-000000000001');
const done = { outcome: 'succeeded', summary: 'Approved', at: '2025-01-01T00:00:00Z' } as const;

function rig(opts: { leaseMs?: number; keepMs?: number } = {}) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => void (now += ms) };
  const claims = new Claims(new ClockedRecords(() => now), { instance: 'boot-1', now: () => now, ...opts });
  return { claims, clock };
}

async function won(p: Promise<Awaited<ReturnType<Claims['take']>>>): Promise<{ fence: Fence; tookOver: boolean }> {
  const r = await p;
  assert.ok(r.won, 'the claim is taken');
  return r;
}

describe('claims: fences', () => {
  it('keys a target whatever the case of its id', () => {
    assert.equal(KEY, 'resumeTask:ab12cd34-0000-4000-8000-000000000001');
  });

  it('a claim taken over after its lease counts up, says so, and shuts the first holder out', async () => {
    const { claims, clock } = rig({ leaseMs: 5_000 });
    const first = await won(claims.take(KEY, { userId: 'u1' }));
    assert.equal(first.tookOver, false);
    clock.advance(5_001);
    const second = await won(claims.take(KEY, { userId: 'u2' }));
    assert.equal(second.tookOver, true, 'taken from a holder whose lease ran out');
    assert.ok(second.fence.counter > first.fence.counter, 'the counter orders takings');
    assert.equal(await claims.renew(KEY, first.fence), false);
    assert.equal(await claims.complete(KEY, first.fence, done), false);
    assert.equal(await claims.release(KEY, first.fence), false);
    assert.equal((await claims.get(KEY))?.holder.userId, 'u2');
  });

  it('a renewed lease holds the claim past its first end', async () => {
    const { claims, clock } = rig({ leaseMs: 5_000 });
    const { fence } = await won(claims.take(KEY, { userId: 'u1' }));
    clock.advance(4_000);
    assert.equal(await claims.renew(KEY, fence), true);
    clock.advance(2_000);
    assert.equal((await claims.take(KEY, { userId: 'u2' })).won, false, 'still within the renewed lease');
    assert.equal(await claims.complete(KEY, fence, done), true);
  });

  it('a claim taken again after a release counts up and is no takeover', async () => {
    const { claims } = rig();
    const first = await won(claims.take(KEY, { userId: 'u1' }));
    assert.equal(await claims.release(KEY, first.fence), true);
    const second = await won(claims.take(KEY, { userId: 'u2' }));
    assert.equal(second.tookOver, false, 'nobody held it');
    assert.ok(second.fence.counter > first.fence.counter);
  });

  it('a settled claim is not released, renewed or taken again by its own fence or anyone', async () => {
    const { claims, clock } = rig({ leaseMs: 5_000 });
    const { fence } = await won(claims.take(KEY, { userId: 'u1' }));
    assert.equal(await claims.complete(KEY, fence, done), true);
    assert.equal(await claims.release(KEY, fence), false, 'a done write is not offered to be done again');
    assert.equal(await claims.renew(KEY, fence), false);
    assert.equal(await claims.complete(KEY, fence, { ...done, outcome: 'failed' }), false);
    clock.advance(60_000);
    const later = await claims.take(KEY, { userId: 'u2' });
    assert.equal(later.won, false);
    assert.equal(!later.won && later.record.state, 'done');
    assert.equal(!later.won && later.record.outcome?.outcome, 'succeeded');
  });

  it('a claim kept past its retention and taken anew shuts out the old fence of the same count', async () => {
    const { claims, clock } = rig({ leaseMs: 5_000, keepMs: 10_000 });
    const first = await won(claims.take(KEY, { userId: 'u1' }));
    clock.advance(10_000);
    assert.equal(await claims.get(KEY), null, 'the record lives keepMs');
    const second = await won(claims.take(KEY, { userId: 'u2' }));
    assert.equal(second.fence.counter, first.fence.counter, 'the count starts again');
    assert.equal(await claims.complete(KEY, first.fence, done), false, 'the nonce tells the takings apart');
    assert.equal((await claims.get(KEY))?.state, 'inProgress');
  });
});
