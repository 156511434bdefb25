// The digest's compact records, pure: counts per UTC day, category and outcome; the waiting list
// kept oldest first and bounded, an item with a known expiry (which a reminder needs) never pushed
// out by one of unknown lapse.

import { strict as assert } from 'node:assert';
import { dayOf, digestCard, withCount } from '../../src/alerts/digest';
import { WaitingItem, withWaiting, withoutWaiting } from '../../src/alerts/waitingList';

const DAY = 24 * 3_600_000;
/** The "Oldest items still waiting" a channel following `categories` reads in its digest. */
const waitingShown = (categories: Parameters<typeof digestCard>[0], items: readonly WaitingItem[], now: number) =>
  JSON.stringify(digestCard(categories, { date: dayOf(now - DAY), counts: {} }, items, now).attachment);

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

  // The README: a request and its approval (same request id) are one waiting item, and each digest
  // lists the oldest items still waiting "in the categories this channel follows". The approval of a
  // PIM request waits for an approver (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow),
  // so a channel following "approvals" sees it even when its request was announced first elsewhere.
  it('remembers every category that announced an item, and shows it to a channel following any of them', () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const key = 'cancelRoleRequest:95c690fb-3eb3-4942-a03f-4524aed6f31e';
    const request: WaitingItem = {
      key,
      category: 'roleRequests',
      title: 'Adele asked for Global Reader',
      since: now - 2 * 3_600_000,
      expiresAt: now + 20 * 3_600_000,
    };
    const approval: WaitingItem = { ...request, category: 'approvals', since: now - 3_600_000 };
    const first = withWaiting([], request, { now: request.since })!;
    const both = withWaiting(first, approval, { now: approval.since });
    assert.deepEqual(both, [{ ...request, categories: ['roleRequests', 'approvals'] }], 'one item, two categories');
    assert.equal(withWaiting(both!, approval, { now }), null, 'announced there again: no write');
    assert.match(waitingShown(['approvals'], both!, now), /Adele asked for Global Reader/);
    assert.match(waitingShown(['roleRequests'], both!, now), /Adele asked for Global Reader/);
    assert.doesNotMatch(waitingShown(['accessPackageRequests'], both!, now), /Adele asked for Global Reader/);
    // An item stored before the categories were kept has only its first one, and learns the others.
    const stored: WaitingItem = { ...request };
    assert.match(waitingShown(['roleRequests'], [stored], now), /Adele asked for Global Reader/);
    assert.deepEqual(withWaiting([stored], approval, { now })?.[0]?.categories, ['roleRequests', 'approvals']);
    // Learning a lapse keeps the categories, and learning a category keeps the lapse.
    const access: WaitingItem = { key: 'a', category: 'accessPackageRequests', title: 't', since: now - DAY };
    const learned = withWaiting(
      [access],
      { ...access, category: 'approvals', since: now, expiresAt: now + DAY },
      { now },
    );
    assert.deepEqual(learned, [
      { ...access, categories: ['accessPackageRequests', 'approvals'], expiresAt: now + DAY },
    ]);
  });

  // The README: "each write of the list lets go of … those of unknown lapse announced more than 30
  // days ago". On a quiet tenant nothing writes the list for weeks; the digest built from it must not
  // show such an item as still waiting ("waiting 40 days").
  it('does not show in the digest an item the list lets go of, though nothing has written the list since', () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const old: WaitingItem = {
      key: 'o',
      category: 'accessPackageRequests',
      title: 'THE-OLD-ONE',
      since: now - 40 * DAY,
    };
    const young: WaitingItem = { ...old, key: 'y', title: 'THE-YOUNG-ONE', since: now - 29 * DAY };
    const lapsed: WaitingItem = { ...old, key: 'l', title: 'THE-LAPSED-ONE', since: now - DAY, expiresAt: now };
    const list = withWaiting([], old, { now: old.since })!;
    const shown = waitingShown(['accessPackageRequests'], [...list, young, lapsed], now);
    assert.doesNotMatch(shown, /THE-OLD-ONE/);
    assert.doesNotMatch(shown, /THE-LAPSED-ONE/);
    assert.match(shown, /THE-YOUNG-ONE/);
    assert.match(shown, /waiting 29 days/);
  });

  // The digest counts only the categories a channel follows ("in the categories this channel
  // follows"). A channel with the digest on and no category gets no count at all: saying "Nothing
  // happened" and "Nothing is waiting" every day, however busy the tenant, misleads its readers;
  // and one following some categories must not read that nothing waits when only its own do not.
  it('says a channel following no category has nothing counted, and scopes "nothing waiting" to its categories', () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const day = { date: '2026-11-29', counts: { roleRequests: { announced: 40 } } };
    const waiting: WaitingItem[] = [{ key: 'w', category: 'roleRequests', title: 'THE-WAITING-ONE', since: now - DAY }];
    const none = JSON.stringify(digestCard([], day, waiting, now).attachment);
    assert.doesNotMatch(none, /Nothing happened/);
    assert.doesNotMatch(none, /Nothing is waiting/);
    assert.match(none, /This channel follows no category, so this digest has nothing to count/);
    assert.match(none, /@mention Governance Bot with \\"alerts\\"/);
    const some = JSON.stringify(digestCard(['workflowRuns'], day, waiting, now).attachment);
    assert.doesNotMatch(some, /Nothing is waiting for a decision/);
    assert.match(some, /Nothing in the categories this channel follows is waiting for a decision\./);
  });

  // A digest sent late (no pass ran while it was due) keeps both the late words and, for a channel
  // following no category, the words that it counts nothing: neither replaces the other.
  it('a late digest to a channel following no category says both that it is late and that it counts nothing', () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const day = { date: '2026-11-27', counts: { roleRequests: { announced: 3 } } };
    const late = digestCard([], day, [], now, { late: true });
    const shown = JSON.stringify(late.attachment);
    assert.match(shown, /Governance digest for 2026-11-27 \(sent late\)/);
    assert.match(shown, /This channel follows no category, so this digest has nothing to count for 2026-11-27 \(UTC\)/);
    assert.match(shown, /Sent late: it could not be sent on the day it was due\./);
    assert.doesNotMatch(shown, /Nothing happened/);
    // The summary is the notification's preview (activity feed, toast): "0 events" there would say
    // nothing happened, the very reading the card's words avoid.
    assert.equal(late.summary, 'Governance digest for 2026-11-27 (sent late): this channel follows no category');
  });

  it("a digest's summary for a channel following no category does not count 0 events", () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const day = { date: '2026-11-29', counts: { roleRequests: { announced: 40 } } };
    const none = digestCard([], day, [], now);
    assert.doesNotMatch(none.summary, /\bevents?\b/);
    assert.match(none.summary, /^Governance digest for 2026-11-29: this channel follows no category$/);
    assert.match(digestCard(['roleRequests'], day, [], now).summary, /: 40 events$/);
  });

  // A channel following no category has no waiting list either (the list is of the categories it
  // follows): a heading "Oldest items still waiting" over nothing reads as a list left empty.
  it('shows a channel following no category no waiting heading and no waiting line', () => {
    const now = Date.UTC(2026, 10, 30, 7, 5);
    const day = { date: '2026-11-29', counts: { roleRequests: { announced: 40 } } };
    const waiting: WaitingItem[] = [{ key: 'w', category: 'roleRequests', title: 'THE-WAITING-ONE', since: now - DAY }];
    const none = JSON.stringify(digestCard([], day, waiting, now).attachment);
    assert.doesNotMatch(none, /Oldest items still waiting/);
    assert.doesNotMatch(none, /is waiting for a decision|THE-WAITING-ONE/);
    const some = JSON.stringify(digestCard(['roleRequests'], day, waiting, now).attachment);
    assert.match(some, /Oldest items still waiting/);
    assert.match(some, /THE-WAITING-ONE/);
    assert.match(
      JSON.stringify(digestCard(['workflowRuns'], day, waiting, now).attachment),
      /Oldest items still waiting/,
    );
  });
});
