// The lease a token exchange holds on a waiting sign-in (src/state/signIns.ts), across two
// instances sharing one SQLite file: of concurrent exchanges exactly one holds it, only the holder
// (or, once its lease ended, a later exchange) removes it to run the command, a failure lets go of
// it in place with the reason, and a sign out removes it whoever holds it.

import { strict as assert } from 'node:assert';
import type { PendingSignIns } from '../../src/state/signIns';
import { twoInstanceSignIns } from '../fixtures/twoInstanceSignIns';

const ALICE = 'Alice';

describe('the lease of a token exchange on a waiting sign-in', () => {
  const signIns = twoInstanceSignIns();
  let here: PendingSignIns<string>;
  let there: PendingSignIns<string>;
  beforeEach(() => {
    ({ here, there } = signIns);
  });

  it('of concurrent exchanges on two instances exactly one holds it; only that one removes it', async () => {
    await here.add('id-1', ALICE, 'cancel it');
    const [a, b] = await Promise.all([
      here.lease('id-1', ALICE, 'exchange-a', 60_000),
      there.lease('id-1', ALICE, 'exchange-b', 60_000),
    ]);
    assert.equal([a, b].filter((x) => x !== null).length, 1);
    const [winner, loser] = a ? ['exchange-a', 'exchange-b'] : ['exchange-b', 'exchange-a'];
    assert.equal(await there.finish('id-1', loser), false, 'the other exchange runs nothing');
    assert.ok(await here.get('id-1'), 'still waiting while held');
    assert.equal(await here.finish('id-1', winner), true);
    assert.equal(await here.get('id-1'), null);
    assert.equal(await there.finish('id-1', winner), false, 'once');
  });

  it('a failure lets go in place with the reason; an ended lease lets the next exchange hold it', async () => {
    await here.add('id-1', ALICE, 'cancel it');
    assert.ok(await here.lease('id-1', ALICE, 'exchange-a', 60_000));
    await there.release('id-1', 'exchange-b', { reason: 'mfa' });
    assert.equal((await here.get('id-1'))?.reason, undefined, 'only the holder lets go');
    await here.release('id-1', 'exchange-a', { reason: 'consent' });
    const after = await there.get('id-1');
    assert.equal(after?.reason, 'consent');
    assert.equal(after?.lease, undefined);

    assert.ok(await there.lease('id-1', 'alice', 'exchange-c', 60_000), 'the user in any case');
    assert.equal(await here.lease('id-1', ALICE, 'exchange-d', 60_000), null, 'held');
    assert.equal(await here.lease('id-1', 'bob', 'exchange-e', 60_000), null, 'never for another user');
    signIns.now += 60_001;
    assert.ok(await here.lease('id-1', ALICE, 'exchange-d', 60_000), 'the dead holder’s lease ended');
    assert.equal(await there.finish('id-1', 'exchange-c'), false, 'the late holder runs nothing now');
    assert.equal(await here.finish('id-1', 'exchange-d'), true);
  });

  it('a sign-in moved to a fresh card is one entry under both ids: one lease, one finish, its page reason cleared', async () => {
    await here.add('id-1', ALICE, 'cancel it', { reason: 'consent', tenantId: 'tenant' });
    assert.equal(await there.moveTo('id-1', 'id-2', 'bob'), false, 'never for another user');
    assert.equal(await there.moveTo('id-1', 'id-2', ALICE), true);
    const moved = await here.get('id-2');
    assert.equal(moved?.payload, 'cancel it');
    assert.equal(moved?.reason, undefined, 'its sign-in is done');
    assert.equal(moved?.tenantId, 'tenant');
    assert.ok(await here.lease('id-2', ALICE, 'exchange-a', 60_000));
    assert.equal(await there.lease('id-1', ALICE, 'exchange-b', 60_000), null, 'held under either id');
    await here.release('id-2', 'exchange-a', { reason: 'mfa' });
    assert.equal((await there.get('id-1'))?.reason, 'mfa');
    assert.ok(await there.lease('id-1', ALICE, 'exchange-b', 60_000));
    assert.equal(await there.finish('id-1', 'exchange-b'), true);
    assert.equal(await here.get('id-2'), null, 'gone under both');
    assert.equal((await here.take('id-2')).entry, null);
  });

  it('a sign out removes a held sign-in; its exchange then neither runs it nor gives it back', async () => {
    await here.add('id-1', ALICE, 'cancel it');
    assert.ok(await here.lease('id-1', ALICE, 'exchange-a', 60_000));
    await there.forgetUser(ALICE);
    assert.equal(await here.finish('id-1', 'exchange-a'), false);
    await here.release('id-1', 'exchange-a', { reason: 'consent' });
    assert.equal(await here.get('id-1'), null);
  });
});
