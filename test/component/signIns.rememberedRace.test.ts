// A command remembered for its sign-in (state/signIns.ts add) is saved last and then checked against
// the user's list of waiting commands. Two edges of that check, each against contract §3 (`sign out`
// forgets every waiting command, and only `sign out` does) and §6 (one audit line per command):
// - the store failing right after the command was saved leaves it waiting, so its one line comes
//   from the periodic pass, and the person is not also given a store failure (a second line);
// - newer commands of the same user pushing it out of the list, in the same moment, end it as
//   `replaced`, and the person, who never sent `sign out`, is not told they did.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { AuditLine } from '../../src/domain/governance';
import { Records, StateUnavailableError } from '../../src/state/port';
import { afterUserList } from './afterUserList';
import { Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

const OAUTH = 'application/vnd.microsoft.card.oauth';
const abandonedOf = (l: object) => (l as { abandoned?: string }).abandoned;

describe('a command remembered for sign-in: the store failing right after it was saved', () => {
  let r: Rig;
  const clock = new FakeClock();
  const store = { downAfterSave: false, down: false };
  const failingAfterSave = (inner: Records): Records => {
    const maybe = <R>(f: () => Promise<R>) =>
      store.down ? Promise.reject(new StateUnavailableError('state store: down')) : f();
    return {
      get: (k) => maybe(() => inner.get(k)),
      create: (k, v, e) => maybe(() => inner.create(k, v, e)),
      replace: (k, v, ver, e) => maybe(() => inner.replace(k, v, ver, e)),
      put: (k, v, e) =>
        maybe(async () => {
          const version = await inner.put(k, v, e);
          if (store.downAfterSave && k.startsWith('signin:')) store.down = true;
          return version;
        }),
      delete: (k, ver) => maybe(() => inner.delete(k, ver)),
    };
  };
  rigPerTest((rig) => (r = rig), { clock, pendingRecords: failingAfterSave });

  it('leaves it waiting, with its one line from the expiry pass', async () => {
    const megan = r.user(0);
    const before = auditLinesOf(r).length;
    store.downAfterSave = true;
    const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    store.downAfterSave = false;
    store.down = false;
    const oauth = typed.sent
      .flatMap((a: Partial<Activity>) => a.attachments ?? [])
      .some((a) => a.contentType === OAUTH);
    assert.ok(oauth, 'the Sign in card: the command waits');
    assert.equal(auditLinesOf(r).length, before, 'no line while it waits');
    const swept: AuditLine[] = [];
    await clock.advance(30 * 60_000);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(
      swept.map((l) => abandonedOf(l)),
      ['expired'],
      'its one line',
    );
  });
});

describe('a command remembered for sign-in: newer commands of the user push it out meanwhile', () => {
  let r: Rig;
  const clock = new FakeClock();
  const hook = afterUserList();
  rigPerTest((rig) => (r = rig), { clock, pendingRecords: hook.wrap });

  it('ends it as replaced, and does not tell someone who never signed out that they did', async () => {
    const megan = r.user(0);
    const before = auditLinesOf(r).length;
    hook.step = async () => {
      for (let i = 0; i < 5; i++) await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    };
    const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    assert.equal(hook.step, null, 'the newer commands came in between');
    assert.deepEqual(
      auditLinesOf(r)
        .slice(before)
        .map((l) => abandonedOf(l)),
      ['replaced'],
    );
    const said = JSON.stringify(typed.sent);
    assert.doesNotMatch(said, /You signed out/);
    assert.match(said, /you signed out, or newer commands of yours took its place/);
  });
});
