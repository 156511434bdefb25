// Which items a posted card shows, found again when a button on it is clicked: in a channel, Teams
// sends the click with the thread in the conversation id (`;messageid=<root>`).
// https://learn.microsoft.com/dotnet/api/microsoft.teams.core.schema.conversationextensions.tothreadedconversationid

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CardBindings, threadless } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';

describe('card bindings', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-bindings-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const item = { operation: 'cancelRoleRequest', ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' } };

  it('finds a card posted to a channel when the click names the channel thread', async () => {
    const bindings = new CardBindings(state.records);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item]);
    assert.deepEqual(await bindings.itemsOf('19:ops@thread.tacv2;messageid=1700000000001', '1700000000001'), [item]);
    assert.deepEqual(await bindings.itemsOf('19:ops@thread.tacv2', '1700000000001'), [item]);
  });

  it('keeps other conversations and other cards apart', async () => {
    const bindings = new CardBindings(state.records);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item]);
    assert.equal(await bindings.itemsOf('19:other@thread.tacv2;messageid=1700000000001', '1700000000001'), null);
    assert.equal(await bindings.itemsOf('19:ops@thread.tacv2', '1700000000002'), null);
    assert.equal(threadless('a:personal-chat'), 'a:personal-chat');
  });

  it("keeps a card's final word when the delivery binds the same card again (a duplicate or retaken row)", async () => {
    // The delivery workers bind a delivered card again when a duplicate or retaken row finds it
    // posted (worker.ts, fanoutWorker.ts: "both writes are idempotent"); the card is the same card,
    // still showing its final word to everyone.
    const bindings = new CardBindings(state.records);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item]);
    await bindings.settle('19:ops@thread.tacv2', '1700000000001', { text: 'Cancelled by Megan Bowen.', style: 'good' });
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item]);
    const card = await bindings.cardOf('19:ops@thread.tacv2', '1700000000001');
    assert.deepEqual(card?.settled, { text: 'Cancelled by Megan Bowen.', style: 'good' });
  });

  it('a card bound by an earlier release, bound again, is not given a time', async () => {
    // Its binding has no time; binding it again (a "More" on a list, a retaken delivery row) is not
    // its post. The double-click guard (cardAction.ts) takes a decision made before a card's
    // formedAt for one the card already showed, so a later time would let a stale press through.
    const key = 'card:19:ops@thread.tacv2:1700000000001';
    await state.records.put(key, { items: [item] }, { ttlMs: 3_600_000 });
    const bindings = new CardBindings(state.records);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item], 1_800_000_000_000);
    const card = await bindings.cardOf('19:ops@thread.tacv2', '1700000000001');
    assert.deepEqual(card?.items, [item]);
    assert.equal(card?.formedAt, undefined, 'the time its content was formed is not known');
  });

  it('a card bound again keeps the time its first binding named; none named, none kept', async () => {
    const bindings = new CardBindings(state.records);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item], 1_700_000_000_000);
    await bindings.bind('19:ops@thread.tacv2', '1700000000001', [item], 1_700_000_060_000);
    assert.equal((await bindings.cardOf('19:ops@thread.tacv2', '1700000000001'))?.formedAt, 1_700_000_000_000);
    await bindings.bind('19:ops@thread.tacv2', '1700000000002', [item]);
    await bindings.bind('19:ops@thread.tacv2', '1700000000002', [item], 1_700_000_060_000);
    assert.equal((await bindings.cardOf('19:ops@thread.tacv2', '1700000000002'))?.formedAt, undefined);
  });

  it('a binding of the release before, with the time it was bound (boundAt), is given no formed time', async () => {
    // boundAt was written when the binding was (up to a day after the post, for a retried binding):
    // taken for when the card's content was formed, it would pass a stale press (cardAction.ts).
    // The value is the same JSON on SQLite and in an Azure blob (both behind Records).
    const key = 'card:19:ops@thread.tacv2:1700000000003';
    await state.records.put(key, { items: [item], boundAt: 1_800_000_000_000 }, { ttlMs: 3_600_000 });
    const bindings = new CardBindings(state.records);
    assert.equal((await bindings.cardOf('19:ops@thread.tacv2', '1700000000003'))?.formedAt, undefined);
    await bindings.bind('19:ops@thread.tacv2', '1700000000003', [item], 1_800_000_060_000);
    const card = await bindings.cardOf('19:ops@thread.tacv2', '1700000000003');
    assert.deepEqual(card?.items, [item]);
    assert.equal(card?.formedAt, undefined, 'bound again, it still has no formed time');
  });

  it("a list card's page bound from an older list than the one bound does not replace it", async () => {
    // Two page turns at once bind in any order; the card shows the newer list's page
    // (listTurns.ts), so its binding stays that page's rows.
    const bindings = new CardBindings(state.records);
    const older = { operation: 'approveAccessRequest', ids: { requestId: '7999249e-249e-7999-9e24-99799e249100' } };
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000004', [item], 6), true);
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000004', [older], 5), false, 'a newer stays');
    assert.deepEqual(await bindings.itemsOf('a:personal-megan', '1700000000004'), [item]);
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000004', [older], 7), true);
    assert.deepEqual(await bindings.itemsOf('a:personal-megan', '1700000000004'), [older]);
  });

  it("a list card's page bound again to the rows it holds at that revision is not written again", async () => {
    // Every press on a list row binds its card to the page kept (bot/listRows.ts): a page already
    // bound at the list's revision costs a read, not a write.
    const bindings = new CardBindings(state.records);
    const key = 'card:a:personal-megan:1700000000005';
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000005', [item], 3), true);
    const version = (await state.records.get(key))?.version;
    const same = { operation: item.operation, ids: { requestId: item.ids.requestId } };
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000005', [same], 3), true);
    assert.equal((await state.records.get(key))?.version, version, 'the binding was written again');
    // A newer revision of the same rows is written once (its rank rises), then not again.
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000005', [same], 4), true);
    const raised = (await state.records.get(key))?.version;
    assert.notEqual(raised, version, 'the newer revision was not recorded');
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000005', [same], 4), true);
    assert.equal((await state.records.get(key))?.version, raised, 'the binding was written again');
  });

  it('an older page turn bound after a newer one that landed on the bound rows does not replace them', async () => {
    // Page turn A (Previous, to P0) is saved as revision 3, page turn B (More on a stale copy, back
    // to P1) as revision 4; B binds first and finds P1 bound at revision 2. The list kept is B's, so
    // the card must stay bound to P1 and A must hear that a newer binding stayed (listTurns.ts).
    const bindings = new CardBindings(state.records);
    const p0 = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-4000-8000-000000000000' } };
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000006', [item], 2), true);
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000006', [item], 4), true, 'B');
    assert.equal(await bindings.bindPage('a:personal-megan', '1700000000006', [p0], 3), false, 'A is older');
    assert.deepEqual(await bindings.itemsOf('a:personal-megan', '1700000000006'), [item]);
  });
});
