// A category alert of an access package event is sent to each subscribed channel in its own time,
// and the card of a send made after the event's approvalExpiresDateTime is the ended one ("If a
// request isn't approved within this time period, it's automatically denied",
// https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy).
// The alert this release stores says whether it has an ended card, also when it has none (no
// moment stated, or the moment already past at publishing): only an alert of the earlier release,
// which stored no such word, has the event's record read at its send. Otherwise every channel's
// send of the common alert (approvalExpiresDateTime is optional) would read the record again.

import { strict as assert } from 'node:assert';
import type { StoredAlert } from '../../src/alerts/alertStore';
import { eventCard } from '../../src/bot/replyCards';
import { CategoryEvents } from '../../src/notifications/categoryEvents';
import { endedFromRecords, withEnded } from '../../src/notifications/endedAlert';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { timedCard } from '../../src/notifications/timedCard';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const NOW = Date.parse('2026-03-18T08:30:00Z');

function eventOf(inMs: number | undefined): NotificationEvent {
  const parsed = parseEvent(
    {
      eventId: 'ev-1',
      kind: 'accessApproval',
      target: { category: 'approvals' },
      requestId: REQUEST,
      accessPackageName: 'Tools',
      ...(inMs !== undefined ? { approvalExpiresDateTime: new Date(NOW + inMs).toISOString() } : {}),
    },
    NOW,
  );
  assert.ok(parsed.ok);
  return parsed.event;
}

/** The alert as CategoryEvents stores it, from the card and ended card the delivery worker renders
 * (worker.ts: timedCard over eventCard). */
async function published(event: NotificationEvent, acceptedAt: string, asEarlierRelease = false): Promise<StoredAlert> {
  const stored: StoredAlert[] = [];
  const alerts = { publish: async (a: StoredAlert) => void stored.push(a) };
  const digest = { waiting: async () => undefined, count: async () => undefined };
  const titles = { remember: async () => undefined };
  const categoryEvents = new CategoryEvents(alerts as never, digest as never, titles as never, () => NOW);
  const { card, ended } = timedCard(eventCard, event, NOW);
  await (asEarlierRelease
    ? categoryEvents.publish(event, card, acceptedAt)
    : categoryEvents.publish(event, card, acceptedAt, ended));
  assert.equal(stored.length, 1);
  return stored[0]!;
}

/** Sends the alert to five channels, counting the reads of the event's record. */
async function readsForFiveSends(alert: StoredAlert, event: NotificationEvent, acceptedAt: string) {
  let reads = 0;
  const events = {
    get: async () => {
      reads++;
      return { acceptedAt, event } as never;
    },
  };
  const endedOf = endedFromRecords(events, eventCard);
  const sent: Array<StoredAlert | null> = [];
  for (let channel = 0; channel < 5; channel++) sent.push(await withEnded(alert, endedOf));
  return { reads, sent };
}

describe('endedAlert: only an alert of the earlier release reads the event at its send', () => {
  const acceptedAt = new Date(NOW).toISOString();

  for (const [name, inMs] of [
    ['no approvalExpiresDateTime', undefined],
    ['published after its moment', -60_000],
    ['published at its moment', 0],
  ] as const) {
    it(`${name}: no read of the event's record on any channel's send`, async () => {
      const event = eventOf(inMs);
      const alert = await published(event, acceptedAt);
      const { reads, sent } = await readsForFiveSends(alert, event, acceptedAt);
      assert.equal(reads, 0);
      for (const s of sent) assert.equal(s, alert, 'the alert as it was stored');
    });
  }

  it('published before its moment: its ended card is stored, and no send reads the record', async () => {
    const event = eventOf(60_000);
    const alert = await published(event, acceptedAt);
    assert.equal(alert.ended?.at, NOW + 60_000);
    const { reads } = await readsForFiveSends(alert, event, acceptedAt);
    assert.equal(reads, 0);
  });

  it('an alert of the earlier release (stored with no word of an ended card) still reads the record', async () => {
    const event = eventOf(60_000);
    const alert = await published(event, acceptedAt, true);
    assert.equal(alert.ended, undefined);
    const { reads, sent } = await readsForFiveSends(alert, event, acceptedAt);
    assert.equal(reads, 5);
    for (const s of sent) assert.equal(s?.ended?.at, NOW + 60_000, 'its ended card, from the record');
  });
});
