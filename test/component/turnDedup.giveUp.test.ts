// The marks of message turns given up at shutdown (src/state/turnDedup.ts): only a turn that said
// it may give its mark back and has not kept it is given up, and its mark is deleted only at the
// version it wrote, so a mark another instance wrote since (the first expired) stays.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteState } from '../../src/state/sqlite';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig } from './botRig';

describe('turn marks given up at shutdown', () => {
  let dir: string;
  let state: SqliteState;
  let at: number;
  beforeEach(() => {
    dir = Rig.dir();
    at = Date.now();
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => at });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives up only turns that may give their mark back and have not kept it', async () => {
    const turns = new TurnDedup(state.records);
    const [open, kept, never] = await Promise.all(['a', 'b', 'c'].map((id) => turns.begin('conv', id)));
    open!.mayGiveBack();
    kept!.mayGiveBack();
    assert.equal(kept!.keep(), true);
    assert.equal(await turns.giveUp(), 1);
    assert.equal(open!.keep(), false, 'a given-up turn can no longer start its write');
    assert.equal(never!.keep(), true);
    const again = new TurnDedup(state.records);
    assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((id) => again.firstTime('conv', id))), [true, false, false]);
  });

  it('leaves a mark written since by another instance', async () => {
    const first = new TurnDedup(state.records, 60_000);
    const mark = await first.begin('conv', 'x');
    mark!.mayGiveBack();
    at += 61_000;
    const other = new TurnDedup(state.records, 60_000);
    assert.equal(await other.firstTime('conv', 'x'), true, 'the first mark expired');
    assert.equal(await first.giveUp(), 0);
    assert.equal(await other.firstTime('conv', 'x'), false, 'the newer mark stays');
  });

  it('forgets a turn once it ended', async () => {
    const turns = new TurnDedup(state.records);
    const mark = await turns.begin('conv', 'y');
    mark!.mayGiveBack();
    turns.end(mark!);
    assert.equal(await turns.giveUp(), 0);
  });
});

// A mark the store refused to delete still stands: the redelivery would be dropped as a duplicate
// everywhere, so a turn given up then would be lost (a press's decision never sent and nothing
// said). When the mark is seen to stand, the turn runs on as if never given up; the stop still
// reports the failure.
describe('turn marks the store refuses to give back at shutdown', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = Rig.dir();
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refusingDeletes = (refuse: { get: boolean }) =>
    new Proxy(state.records, {
      get(target, name, receiver) {
        if (name === 'delete') return async () => Promise.reject(new Error('store down'));
        if (name === 'get' && refuse.get) return async () => Promise.reject(new Error('store down'));
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });

  it('a mark seen to stand: the turn is not given up, and the redelivery is still dropped', async () => {
    const turns = new TurnDedup(refusingDeletes({ get: false }));
    const mark = await turns.begin('conv', 'z');
    mark!.mayGiveBack();
    await assert.rejects(turns.giveUp(), /store down/, 'the stop reports the failure');
    assert.equal(mark!.keep(), true, 'the turn runs on: its redelivery will be dropped');
    assert.equal(await new TurnDedup(state.records).firstTime('conv', 'z'), false);
  });

  it('a mark the store cannot show either: the turn stays given up (its delete may have been done)', async () => {
    const turns = new TurnDedup(refusingDeletes({ get: true }));
    const mark = await turns.begin('conv', 'w');
    mark!.mayGiveBack();
    await assert.rejects(turns.giveUp(), /store down/);
    assert.equal(mark!.keep(), false);
  });
});
