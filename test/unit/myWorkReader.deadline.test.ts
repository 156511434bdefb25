// A list turn's reads are bounded as a whole. Graph answers a JSON batch 200 while each item may be
// throttled on its own (429 with its own Retry-After), and an item answered 503/504 is backed off
// the same way (https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches;
// https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors). Those items
// are read again side by side (a bounded number at a time), every call given only what is left of
// the list's one deadline (30 s, a command's Graph budget: contract §4), and a source not read in
// time is named on the card ("try again"), never waited for past the deadline nor left out.

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import { ThrottledError } from '../../src/domain/errors';
import { ListName } from '../../src/domain/myWork';
import { BatchAnswer } from '../../src/graph/graphReads';
import { LIST_BUDGET_MS, ListReads, MyWorkReader } from '../../src/graph/myWorkReader';
import { SOURCES } from '../../src/graph/myWorkSources';

const ROW = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  createdDateTime: '2026-01-01T00:00:00Z',
});

/** A fake Graph: a clock the reads move, a batch answered by `batch`, reads that take `readMs`. */
function fakeGraph(opts: { batch: (id: string) => BatchAnswer; batchMs?: number; readMs?: number }) {
  const state = {
    t: 0,
    inFlight: 0,
    maxInFlight: 0,
    sleeps: [] as number[],
    reads: [] as Array<{ path: string; at: number; budget?: number }>,
  };
  let n = 0;
  const reads: ListReads = {
    endpoint: 'https://graph.microsoft.com',
    async batchGet(_op, _v, requests) {
      state.t += opts.batchMs ?? 0;
      return new Map(requests.map((r) => [r.id, opts.batch(r.id)]));
    },
    async getJson(_op, _v, path, _token, budgetMs) {
      state.reads.push({ path, at: state.t, ...(budgetMs !== undefined ? { budget: budgetMs } : {}) });
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      // Let every read that can start start before this one answers.
      await new Promise((r) => setImmediate(r));
      state.t += opts.readMs ?? 0;
      state.inFlight--;
      return { value: [ROW(++n)] };
    },
  } as ListReads;
  const reader = new MyWorkReader(reads, {
    now: () => state.t,
    sleep: async (ms) => {
      state.sleeps.push(ms);
      state.t += ms;
    },
  });
  return { state, reader };
}

const throttled = (retryAfter: string): BatchAnswer => ({
  status: 429,
  body: null,
  headers: { 'retry-after': retryAfter },
});
const token = async () => 'token';

describe('my approvals / my requests: one deadline for the whole list', () => {
  it('reads the throttled batch items again side by side, after one wait', async () => {
    const { state, reader } = fakeGraph({ batch: () => throttled('2') });
    const got = await reader.fetch('approvals', token);
    assert.deepEqual(state.sleeps, [2000]);
    assert.equal(state.reads.length, 3);
    assert.equal(state.maxInFlight, 3, 'the three reads are in flight together, not one after another');
    assert.equal(got.items.length, 3);
    assert.deepEqual(got.failed, []);
  });

  it('reads at most a few at a time', async () => {
    const { state, reader } = fakeGraph({ batch: () => throttled('1') });
    await reader.fetch('requests', token);
    assert.equal(state.reads.length, SOURCES.requests.length);
    assert.equal(state.maxInFlight, 4);
  });

  it('gives each read only the time the list has left', async () => {
    const { state, reader } = fakeGraph({ batch: () => throttled('3'), batchMs: 5_000 });
    await reader.fetch('approvals', token);
    assert.equal(state.reads.length, 3);
    for (const r of state.reads) assert.equal(r.budget, LIST_BUDGET_MS - 5_000 - 3_000, r.path);
  });

  it('keeps to a shorter budget it is given (what a read of several pages has left), never to a longer one', async () => {
    const short = fakeGraph({ batch: () => throttled('3'), batchMs: 5_000 });
    await short.reader.fetch('approvals', token, undefined, 12_000);
    for (const r of short.state.reads) assert.equal(r.budget, 12_000 - 5_000 - 3_000, r.path);
    const long = fakeGraph({ batch: () => throttled('3'), batchMs: 5_000 });
    await long.reader.fetch('approvals', token, undefined, 2 * LIST_BUDGET_MS);
    for (const r of long.state.reads) assert.equal(r.budget, LIST_BUDGET_MS - 5_000 - 3_000, r.path);
  });

  it('does not wait past the deadline: the sources not read are named, with "try again"', async () => {
    const batch = (id: string): BatchAnswer =>
      id === 'role'
        ? { status: 200, body: { value: [ROW(1)] }, headers: {} }
        : id === 'group'
          ? throttled('10')
          : { status: 503, body: null, headers: { 'retry-after': '10' } };
    const { state, reader } = fakeGraph({ batch, batchMs: 25_000 });
    const got = await reader.fetch('approvals', token);
    assert.deepEqual(state.sleeps, [], 'no wait that would end past the deadline');
    assert.equal(state.reads.length, 0);
    assert.equal(got.items.length, 1, 'what was read is shown');
    assert.deepEqual(
      got.failed.map((f) => [f.kind, f.error.code]),
      [
        ['group', 'THROTTLED'],
        ['access', 'THROTTLED'],
      ],
    );
    const words = got.failed.map((f) => explainShort('approvals', f.kind, f.error));
    assert.match(words[0]!, /^PIM for Groups approvals could not be listed: .*Send "my approvals" again in 10 s\.$/);
  });

  // "Wait the number of seconds specified in the Retry-After header" before retrying
  // (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling): a list
  // capped the wait at 10 s and read again at 10 s when Graph had asked for 15.
  it('never reads a throttled item again before its Retry-After', async () => {
    const { state, reader } = fakeGraph({ batch: () => throttled('15') });
    const got = await reader.fetch('approvals', token);
    assert.deepEqual(state.sleeps, [15_000]);
    assert.equal(state.reads.length, 3);
    for (const r of state.reads) assert.ok(r.at >= 15_000, `${r.path} read at ${r.at} ms`);
    assert.equal(got.items.length, 3);
  });

  it('names the parts whose Retry-After leaves no time to read them, without waiting', async () => {
    const batch = (id: string): BatchAnswer =>
      id === 'role' ? throttled('2') : id === 'group' ? throttled('29.5') : throttled('40');
    const { state, reader } = fakeGraph({ batch });
    const got = await reader.fetch('approvals', token);
    assert.deepEqual(state.sleeps, [2_000], 'only the wait that leaves time to read');
    assert.deepEqual(
      state.reads.map((r) => r.path.includes('roleAssignmentScheduleRequests')),
      [true],
      'only the part Graph allowed in time is read again',
    );
    assert.deepEqual(
      got.failed.map((f) => [f.kind, f.error.code, (f.error as ThrottledError).retryAfterSeconds]),
      [
        ['group', 'THROTTLED', 29.5],
        ['access', 'THROTTLED', 40],
      ],
    );
  });

  it('starts no read once the deadline has passed: the rest are named, never waited for', async () => {
    // Four reads go at once; the first to answer ends 31 s in, past the 30 s deadline.
    const { state, reader } = fakeGraph({ batch: () => throttled('1'), readMs: 30_000 });
    const list: ListName = 'requests';
    const got = await reader.fetch(list, token);
    assert.equal(state.reads.length, 4, 'only the reads started within the deadline');
    assert.ok(state.reads.every((r) => r.path.includes('roleAssignmentScheduleRequests')));
    assert.equal(got.items.length, 4, 'the role requests read are shown');
    assert.deepEqual(
      got.failed.map((f) => [f.kind, f.error.code]),
      [
        ['group', 'THROTTLED'],
        ['access', 'THROTTLED'],
      ],
    );
  });

  it('bounds "more" the same way: the next pages share one deadline', async () => {
    const { state, reader } = fakeGraph({ batch: () => throttled('1'), readMs: 1_000 });
    const root = 'https://graph.microsoft.com/v1.0';
    const next = {
      'access.pendingApproval': `${root}/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')?$skiptoken=a`,
      // A list kept before its sources had states names the kind alone.
      group: `${root}/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='principal')?$skiptoken=b`,
    };
    const got = await reader.fetch('requests', token, next);
    assert.equal(state.maxInFlight, 2);
    assert.ok(state.reads.every((r) => r.budget !== undefined && r.budget <= LIST_BUDGET_MS));
    assert.equal(got.items.length, 2);
  });
});
