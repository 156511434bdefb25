// A sign out (PendingSignIns.forgetUser: reads the user's index, forgets each entry it names,
// deletes the index) on another instance may come between add's write of the user's index and its
// write of the entry (written last, so that a store that fails leaves nothing for the expiry pass
// to end with a second line). It then finds no entry and forgets nothing; the entry written after
// would wait for a sign-in the user no longer wants, out of every later sign out's reach (the
// index is gone). Contract §3: `sign out` forgets every command waiting for the user's sign-in.
// add reads the index again once the entry is written and forgets the entry itself: false, with
// `gone` told of it (the command's one audit line), and nothing waits.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Records } from '../../src/state/port';
import { PendingSignIn, PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';

/** The shared records, where `afterIndex` runs (once) right after add writes the user's index. */
function interleaved(inner: Records): { records: Records; afterIndex: (() => Promise<void>) | null } {
  const hooks = {
    afterIndex: null as (() => Promise<void>) | null,
    records: null as unknown as Records,
  };
  const after = async <R>(key: string, written: Promise<R>): Promise<R> => {
    const result = await written;
    const hook = key.startsWith('signin-user:') ? hooks.afterIndex : null;
    if (hook) {
      hooks.afterIndex = null;
      await hook();
    }
    return result;
  };
  hooks.records = {
    get: (k) => inner.get(k),
    create: (k, v, e) => after(k, inner.create(k, v, e)),
    replace: (k, v, ver, e) => after(k, inner.replace(k, v, ver, e)),
    put: (k, v, e) => inner.put(k, v, e),
    delete: (k, ver) => inner.delete(k, ver),
  };
  return hooks;
}

describe('a sign out between the index write and the entry write of PendingSignIns.add', () => {
  let dir: string;
  let states: SqliteState[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signout-race-'));
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db')));
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forgets the command: add says so and tells `gone`, nothing waits, no later sign out finds it', async () => {
    let now = 1_000_000;
    const hooks = interleaved(states[0]!.records);
    const here = new PendingSignIns<string>(hooks.records, { now: () => now });
    const there = new PendingSignIns<string>(states[1]!.records, { now: () => now });
    const signOutHeard: string[] = [];
    hooks.afterIndex = () => there.forgetUser(ALICE, (e) => signOutHeard.push(e.id));
    const gone: Array<PendingSignIn<string>> = [];
    const waits = await here.add('id-1', ALICE, 'cancel role-request X', {}, undefined, (e) => gone.push(e));
    assert.equal(hooks.afterIndex, null, 'the sign out came in between');
    assert.equal(await there.get('id-1'), null, 'nothing waits');
    assert.equal(await there.latestFor(ALICE), null);
    assert.equal(waits, false, 'add says the command does not wait');
    assert.deepEqual(
      gone.map((e) => [e.id, e.payload]),
      [['id-1', 'cancel role-request X']],
      'told once',
    );
    assert.deepEqual(signOutHeard, [], 'the sign out found nothing to forget');
    const later: string[] = [];
    await there.forgetUser(ALICE, (e) => later.push(e.id));
    assert.deepEqual(later, [], 'a later sign out has nothing to forget');
    now += 30 * 60_000;
    const expired: string[] = [];
    await there.endExpired((e) => expired.push(e.id));
    assert.deepEqual(expired, [], 'the expiry pass ends nothing: the command ended once');
  });

  it('pushed out by a newer sign-in of the user meanwhile: forgotten as replaced (`forgotten`), not as signed out', async () => {
    const hooks = interleaved(states[0]!.records);
    const here = new PendingSignIns<string>(hooks.records, { maxPerUser: 1 });
    const there = new PendingSignIns<string>(states[1]!.records, { maxPerUser: 1 });
    hooks.afterIndex = async () => void (await there.add('id-2', ALICE, 'newer'));
    const [replaced, gone]: [string[], string[]] = [[], []];
    const waits = await here.add(
      'id-1',
      ALICE,
      'older',
      {},
      (e) => replaced.push(e.id),
      (e) => gone.push(e.id),
    );
    assert.equal(await there.get('id-1'), null, 'the older one does not wait');
    assert.deepEqual({ waits, replaced, gone }, { waits: false, replaced: ['id-1'], gone: [] });
    assert.equal(await there.latestFor(ALICE), 'id-2', 'the newer one waits');
  });

  it('without a sign out in between, the command waits (true) and a sign out forgets it', async () => {
    const here = new PendingSignIns<string>(states[0]!.records);
    const there = new PendingSignIns<string>(states[1]!.records);
    const gone: string[] = [];
    assert.equal(await here.add('id-1', ALICE, 'cmd', {}, undefined, (e) => gone.push(e.id)), true);
    assert.equal((await there.get('id-1'))?.payload, 'cmd');
    const heard: string[] = [];
    await there.forgetUser(ALICE, (e) => heard.push(e.id));
    assert.deepEqual([heard, gone], [['id-1'], []]);
  });
});
