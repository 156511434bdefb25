// The digest's compact records, pure: counts per UTC day, category and outcome; the waiting list
// kept oldest first and bounded, an item with a known expiry (which a reminder needs) never pushed
// out by one of unknown lapse.

import { strict as assert } from 'node:assert';
import { WaitingItem, dayOf, withCount, withWaiting, withoutWaiting } from '../../src/alerts/digest';

describe('alerts: digest records', () => {
  it('counts by UTC day, category and outcome', () => {
    assert.equal(dayOf(Date.UTC(2026, 2, 4, 23, 59, 59)), '2026-03-04');
    assert.equal(dayOf(Date.UTC(2026, 2, 5, 0, 0, 0)), '2026-03-05');
    let day = withCount(null, '2026-03-04', 'actions', 'succeeded');
    day = withCount(day, '2026-03-04', 'actions', 'succeeded');
    day = withCount(day, '2026-03-04', 'actions', 'refused');
    day = withCount(day, '2026-03-04', 'roleRequests', 'announced');
    assert.deepEqual(day, {
      date: '2026-03-04',
      counts: { actions: { succeeded: 2, refused: 1 }, roleRequests: { announced: 1 } },
    });
  });

  it('keeps the oldest waiting items, once each, within the cap', () => {
    const item = (key: string, since: number): WaitingItem => ({ key, category: 'approvals', title: key, since });
    let list: WaitingItem[] = [];
    for (const [k, s] of [
      ['c', 30],
      ['a', 10],
      ['b', 20],
      ['d', 40],
    ] as const) {
      list = withWaiting(list, item(k, s), { now: 100, cap: 3 }) ?? list;
    }
    assert.deepEqual(
      list.map((i) => i.key),
      ['a', 'b', 'c'],
    );
    assert.equal(withWaiting(list, item('a', 5), { now: 100, cap: 3 }), null, 'already waiting: no write');
    assert.deepEqual(
      withoutWaiting(list, 'b')?.map((i) => i.key),
      ['a', 'c'],
    );
    assert.equal(withoutWaiting(list, 'zzz'), null);
  });

  it('lets a waiting item learn when it lapses from a later event, keeping its age and title', () => {
    const first: WaitingItem = { key: 'a', category: 'accessPackageRequests', title: 'the request', since: 10 };
    const learned = withWaiting([first], { ...first, title: 'the approval', since: 20, expiresAt: 500 }, { now: 30 });
    assert.deepEqual(learned, [{ ...first, expiresAt: 500 }]);
    // A moment the bot worked out (PIM: 24 h after the request) stays; one the event states replaces it.
    assert.equal(withWaiting(learned!, { ...first, since: 30, expiresAt: 900 }, { now: 40 }), null);
    assert.deepEqual(withWaiting(learned!, { ...first, since: 30, expiresAt: 900 }, { now: 40, restated: true }), [
      { ...first, expiresAt: 900 },
    ]);
  });

  it('lets go of the items that have lapsed, and of those of unknown lapse after 30 days, whenever it is written', () => {
    const day = 24 * 3_600_000;
    const now = 100 * day;
    const lapsed: WaitingItem = {
      key: 'lapsed',
      category: 'approvals',
      title: 't',
      since: now - 2 * day,
      expiresAt: now - 1,
    };
    const stale: WaitingItem = { key: 'stale', category: 'accessPackageRequests', title: 't', since: now - 31 * day };
    const young: WaitingItem = { key: 'young', category: 'accessPackageRequests', title: 't', since: now - 29 * day };
    const fresh: WaitingItem = { key: 'fresh', category: 'approvals', title: 't', since: now, expiresAt: now + day };
    assert.deepEqual(
      withWaiting([lapsed, stale, young], fresh, { now })?.map((i) => i.key),
      ['young', 'fresh'],
    );
    // A list full of lapsed items still takes a new one.
    const full = Array.from({ length: 3 }, (_, n) => ({ ...lapsed, key: `l${n}` }));
    assert.deepEqual(
      withWaiting(full, fresh, { now, cap: 3 })?.map((i) => i.key),
      ['fresh'],
    );
    // An item that has lapsed already is not added; the write still lets go of the lapsed ones.
    assert.deepEqual(withWaiting([lapsed, young], { ...fresh, expiresAt: now - 5 }, { now }), [young]);
    assert.equal(withWaiting([young], { ...fresh, expiresAt: now - 5 }, { now }), null);
  });

  it('when full, takes an item with a known expiry in place of the oldest item of unknown lapse, never the reverse', () => {
    const unknown = (key: string, since: number): WaitingItem => ({
      key,
      category: 'accessPackageRequests',
      title: key,
      since,
    });
    const known = (key: string, since: number): WaitingItem => ({ ...unknown(key, since), expiresAt: 1_000 });
    const full = [unknown('u1', 10), known('k1', 20), unknown('u2', 30)];
    assert.deepEqual(
      withWaiting(full, known('k2', 40), { now: 100, cap: 3 })?.map((i) => i.key),
      ['k1', 'u2', 'k2'],
      'the oldest of unknown lapse makes room',
    );
    // An item of unknown lapse older than an item with a known expiry still does not push it out.
    const known2 = [known('k1', 20), known('k2', 40), known('k3', 50)];
    assert.equal(withWaiting(known2, unknown('u0', 10), { now: 100, cap: 3 }), null, 'not taken: nothing changes');
    assert.deepEqual(
      withWaiting([unknown('u1', 10), known('k1', 20), known('k3', 50)], unknown('u0', 5), { now: 100, cap: 3 })?.map(
        (i) => i.key,
      ),
      ['u0', 'k1', 'k3'],
      'among items of unknown lapse the oldest stay',
    );
    // Full of items with a known expiry: the newest is not kept.
    assert.equal(withWaiting(known2, known('k4', 60), { now: 100, cap: 3 }), null);
  });
});
