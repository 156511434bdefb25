// The digest's compact records, pure: counts per UTC day, category and outcome; the waiting list
// kept oldest first and bounded.

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
      list = withWaiting(list, item(k, s), 3) ?? list;
    }
    assert.deepEqual(
      list.map((i) => i.key),
      ['a', 'b', 'c'],
    );
    assert.equal(withWaiting(list, item('a', 5), 3), null, 'already waiting: no write');
    assert.deepEqual(
      withoutWaiting(list, 'b')?.map((i) => i.key),
      ['a', 'c'],
    );
    assert.equal(withoutWaiting(list, 'zzz'), null);
  });

  it('lets a waiting item learn when it lapses from a later event, keeping its age and title', () => {
    const first: WaitingItem = { key: 'a', category: 'accessPackageRequests', title: 'the request', since: 10 };
    const list = [first];
    const learned = withWaiting(list, { ...first, title: 'the approval', since: 20, expiresAt: 500 });
    assert.deepEqual(learned, [{ ...first, expiresAt: 500 }]);
    assert.equal(withWaiting(learned!, { ...first, since: 30, expiresAt: 900 }), null, 'the first moment stays');
  });
});
